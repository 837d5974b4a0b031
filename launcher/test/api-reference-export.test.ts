// The editor-app image ships /api/openapi.json and /api/reference as static
// files (deploy/docker/editor-app.Dockerfile runs export-api-reference.ts).
// They must be what `npm start` serves: the all-in-one app on a real Postgres
// schema answers, and the exported files are compared with its answers byte
// for byte, and nginx's policy for the page with the launcher's.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { coreMigrations, openDatabase, runMigrations, type Database } from '@copycloud/db';
import { fileStorageConfigFromEnv, openFileStorage, type FileStorage } from '@copycloud/files';
import { createLogger } from '@copycloud/observability';
import { reviewMigrations } from '@copycloud/review';
import { createTestSchema, type TestSchema } from '@copycloud/testing';
import { createAllInOne, type AllInOne } from '../src/all-in-one.js';
import { API_REFERENCE_INIT_PATH, EXPORTED_FILES, exportApiReference, staticReferencePage } from '../src/api-reference-export.js';
import { parseLauncherEnv } from '../src/config.js';

const NGINX_CONF = fileURLToPath(new URL('../../deploy/nginx/editor-app.conf', import.meta.url));

let schema: TestSchema;
let db: Database;
let files: FileStorage;
let dataDir: string;
let outDir: string;
let stack: AllInOne;

before(async () => {
  schema = await createTestSchema('apiexport');
  dataDir = mkdtempSync(join(tmpdir(), 'copycloud-api-export-'));
  outDir = mkdtempSync(join(tmpdir(), 'copycloud-api-export-out-'));
  const env = parseLauncherEnv({ DATABASE_URL: schema.url, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', EDITOR_DIST_DIR: dataDir });
  db = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  await runMigrations(db, [...coreMigrations, ...reviewMigrations]);
  files = await openFileStorage(fileStorageConfigFromEnv(env));
  stack = createAllInOne(env, { db, logger: createLogger({ name: 'api-export-test', level: 'silent' }), files });
});

after(async () => {
  for (const step of stack?.shutdownSteps ?? []) await step.run();
  await files?.close();
  await db?.close();
  await schema?.drop();
  for (const dir of [dataDir, outDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The reference page's policy as nginx sends it (deploy/nginx/editor-app.conf). */
function nginxReferencePolicy(): string {
  const block = /location = \/api\/reference \{([\s\S]*?)\n\s*\}/.exec(readFileSync(NGINX_CONF, 'utf8'))?.[1];
  assert.ok(block, 'nginx has a location for /api/reference');
  const header = /add_header Content-Security-Policy "([^"]+)";/.exec(block!)?.[1];
  assert.ok(header, 'nginx sends a Content-Security-Policy with the reference page');
  return header!;
}

test('the exported document, page and script are what npm start serves; nginx sends its policy without the nonce', async () => {
  const exported = await exportApiReference(outDir);
  const read = (path: string) => readFileSync(join(outDir, EXPORTED_FILES[path]!));

  const json = await stack.app.request('/api/openapi.json');
  assert.equal(json.status, 200);
  const served = Buffer.from(await json.arrayBuffer());
  assert.ok(read('/api/openapi.json').equals(served), 'api/openapi.json is byte-identical to the launcher document');
  // The merged document, not one service's: every service's routes are in it.
  const paths = Object.keys(JSON.parse(served.toString('utf8')).paths as object);
  for (const path of ['/api/auth/login', '/api/docs/{id}/versions', '/api/docs/{id}/files', '/api/docs/{id}/comments', '/api/notifications', '/api/ai/complete', '/api/reference']) {
    assert.ok(paths.includes(path), `${path} is documented`);
  }

  const script = await stack.app.request('/api/reference/scalar.js');
  assert.equal(script.status, 200);
  assert.ok(read('/api/reference/scalar.js').equals(Buffer.from(await script.arrayBuffer())), 'scalar.js is the bundle the launcher serves');

  const page = await stack.app.request('/api/reference');
  assert.equal(page.status, 200);
  const servedHtml = await page.text();
  const policy = page.headers.get('content-security-policy')!;
  const nonce = /'nonce-([^']+)'/.exec(policy)![1]!;
  const html = read('/api/reference').toString('utf8');
  assert.doesNotMatch(html, /nonce/, 'no nonce in a static page');
  // Every script is same-origin (script-src 'self' suffices): the bundle, then the start-up call.
  assert.deepEqual([...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => [m[1]!.trim(), m[2]!.trim()]), [
    ['src="/api/reference/scalar.js"', ''],
    [`src="${API_REFERENCE_INIT_PATH}"`, ''],
  ]);
  // init.js is exactly the launcher page's inline start-up script, which loads this document.
  const inline = new RegExp(`<script type="text/javascript" nonce="${nonce.replace(/[+/]/g, '\\$&')}">([\\s\\S]*?)</script>`).exec(servedHtml)?.[1];
  assert.ok(inline, 'the launcher page starts Scalar inline');
  assert.equal(read(API_REFERENCE_INIT_PATH).toString('utf8'), `${inline!.trim()}\n`);
  assert.match(inline!, /"url": "\/api\/openapi\.json"/);
  // Apart from nonces and that script, the page is the launcher's (title, styles, mount point).
  const withoutScripts = (text: string) => text.replace(/<script\b[\s\S]*?<\/script>/g, '').replace(/\s*<meta property="csp-nonce"[^>]*>/, '').replace(/ nonce="[^"]*"/g, '');
  assert.equal(withoutScripts(html), withoutScripts(servedHtml));

  assert.equal(exported.contentSecurityPolicy, policy.replace(` 'nonce-${nonce}'`, ''));
  assert.doesNotMatch(exported.contentSecurityPolicy, /nonce|unsafe-inline'[^;]*script|script-src[^;]*unsafe/);
  assert.equal(nginxReferencePolicy(), exported.contentSecurityPolicy, 'nginx sends the launcher policy minus the nonce (update editor-app.conf if the launcher policy changed)');
});

test('a reference page the exporter does not recognise fails the export with a clear error', () => {
  const policy = "script-src 'self' 'nonce-abc'";
  assert.throws(() => staticReferencePage('<html></html>', "script-src 'self'"), /no nonce source/);
  assert.throws(() => staticReferencePage('<html><script nonce="abc">x</script></html>', policy), /csp-nonce meta tag not found/);
  assert.throws(
    () => staticReferencePage('<meta property="csp-nonce" content="abc" /><script src="/s.js" nonce="abc"></script>', policy),
    /inline start-up script was not found/,
  );
  const ok = staticReferencePage('<meta property="csp-nonce" content="abc" /><script src="/s.js" nonce="abc"></script><script type="text/javascript" nonce="abc">go()</script>', policy);
  assert.deepEqual(ok, { html: `<script src="/s.js"></script><script src="${API_REFERENCE_INIT_PATH}"></script>`, init: 'go()\n', contentSecurityPolicy: "script-src 'self'" });
});
