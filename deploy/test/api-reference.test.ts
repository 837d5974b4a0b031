// The API document and its reference page in the split deployments: the
// editor-app image's build stage exports them (launcher/src/export-api-reference.ts,
// the same routes `npm start` serves) and its nginx serves them. No Docker
// engine or nginx runs here, so this runs the export exactly as the Dockerfile
// does and resolves every URL through the shipped nginx config's locations
// (nginx's own selection order) to the file the image would hold.
// launcher/test/api-reference-export.test.ts holds the files equal to what the
// launcher serves. Chromium then opens the page as nginx would answer it
// (same files, same headers, from the config), so the static page's policy is
// proven to let Scalar run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from './tools.js';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const NGINX_CONF = read('deploy/nginx/editor-app.conf');
const DOCKERFILE = read('deploy/docker/editor-app.Dockerfile');

interface Location {
  modifier: '=' | '~' | '^~' | '';
  match: string;
  body: string;
}

/** The server block's locations, in file order (the config has no nested blocks but `types { }`). */
function locations(conf: string): Location[] {
  const result: Location[] = [];
  const pattern = /^\s*location\s+(=|~|\^~)?\s*(\S+)\s*\{/gm;
  for (let m = pattern.exec(conf); m; m = pattern.exec(conf)) {
    let depth = 1;
    let i = pattern.lastIndex;
    for (; depth > 0 && i < conf.length; i++) depth += conf[i] === '{' ? 1 : conf[i] === '}' ? -1 : 0;
    result.push({ modifier: (m[1] ?? '') as Location['modifier'], match: m[2]!, body: conf.slice(pattern.lastIndex, i - 1) });
  }
  return result;
}

/** nginx's choice: an exact match; else the longest prefix, unless a regex (in file order) matches and that prefix is not `^~`. */
function selectLocation(all: Location[], uri: string): Location | undefined {
  const exact = all.find((l) => l.modifier === '=' && l.match === uri);
  if (exact) return exact;
  const prefix = all.filter((l) => (l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.match)).sort((a, b) => b.match.length - a.match.length)[0];
  if (prefix?.modifier === '^~') return prefix;
  return all.find((l) => l.modifier === '~' && new RegExp(l.match).test(uri)) ?? prefix;
}

const directive = (body: string, name: string) => new RegExp(`^\\s*${name}\\s+([^;]+);`, 'm').exec(body)?.[1]?.trim();

const all = locations(NGINX_CONF);
const root = directive(NGINX_CONF.replace(/location[\s\S]*$/, ''), 'root')!;

/** The Dockerfile's export step and where the runtime stage puts its output. */
function exportStep(): { args: string[]; outDir: string; copiedTo: string } {
  const run = /^RUN\s+(node\s.*export-api-reference\.ts\s+(\S+))\s*$/m.exec(DOCKERFILE);
  assert.ok(run, 'the build stage runs launcher/src/export-api-reference.ts');
  const outDir = run![2]!;
  const copy = new RegExp(`^COPY --from=build ${outDir.replace(/[/.]/g, '\\$&')}/?\\s+(\\S+)\\s*$`, 'm').exec(DOCKERFILE);
  assert.ok(copy, `the runtime stage copies ${outDir}`);
  return { args: run![1]!.split(/\s+/).slice(1, -1), outDir, copiedTo: copy![1]!.replace(/\/$/, '') };
}

let out: string;
before(() => {
  out = mkdtempSync(join(tmpdir(), 'copycloud-api-reference-'));
  const step = exportStep();
  // The same command, from the repository root (WORKDIR /app is the repository), into a temporary directory.
  const result = spawnSync(process.execPath, [...step.args, out], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(result.status, 0, `export failed:\n${result.stderr}`);
});
after(() => rmSync(out, { recursive: true, force: true }));

/** The file nginx answers `uri` with, as a path in the exported tree, and the location that served it. */
function served(uri: string): { file: string; location: Location } {
  const location = selectLocation(all, uri);
  assert.ok(location, `a location for ${uri}`);
  const tryFiles = directive(location!.body, 'try_files') ?? directive(NGINX_CONF, 'try_files');
  assert.ok(tryFiles, `${uri}: try_files`);
  const first = tryFiles!.split(/\s+/)[0]!.replace('$uri', uri);
  return { file: join(out, first), location: location! };
}

test('the image puts the exported files in the nginx root', () => {
  assert.equal(exportStep().copiedTo, root);
  // Runtime COPY order: the editor app first, the API files over it (it has no api/ directory of its own).
  assert.ok(DOCKERFILE.indexOf('COPY --from=build /app/editor-app/dist/') < DOCKERFILE.indexOf(`COPY --from=build ${exportStep().outDir}/`));
});

test('nginx serves /api/openapi.json, /api/reference and its scripts from the exported files, with their types', () => {
  const expected: Array<[string, string]> = [
    ['/api/openapi.json', 'application/json'],
    ['/api/reference', 'text/html'],
    ['/api/reference/scalar.js', 'text/javascript'],
    ['/api/reference/init.js', 'text/javascript'],
  ];
  for (const [uri, type] of expected) {
    const { file, location } = served(uri);
    assert.ok(existsSync(file) && statSync(file).isFile(), `${uri} -> ${file} exists`);
    assert.match(location.body, /types \{ \}/, `${uri}: the type is the location's, not guessed from the file name`);
    assert.equal(directive(location.body, 'default_type'), type, uri);
    assert.equal(directive(location.body, 'try_files')!.split(/\s+/).at(-1), '=404', `${uri}: a missing file is a 404, not the SPA`);
  }
  assert.equal(JSON.parse(readFileSync(served('/api/openapi.json').file, 'utf8')).openapi, '3.1.0');
  const policy = /add_header Content-Security-Policy "([^"]+)";/.exec(served('/api/reference').location.body)?.[1];
  assert.match(policy ?? '', /(^|; )script-src 'self';/, 'the page policy allows same-origin scripts only');
});

test('the page loads only scripts nginx serves, and they load the document nginx serves', () => {
  const html = readFileSync(served('/api/reference').file, 'utf8');
  const sources = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  assert.deepEqual(sources, ['/api/reference/scalar.js', '/api/reference/init.js']);
  assert.equal([...html.matchAll(/<script\b/g)].length, sources.length, 'no inline script (the policy allows none)');
  for (const src of sources) assert.ok(existsSync(served(src).file), src);
  const init = readFileSync(served('/api/reference/init.js').file, 'utf8');
  assert.match(init, /Scalar\.createApiReference\('#app'/);
  const url = /"url": "([^"]+)"/.exec(init)?.[1];
  assert.equal(url, '/api/openapi.json');
  assert.ok(existsSync(served(url!).file));
});

test('the single-page app keeps every other path', () => {
  for (const uri of ['/', '/d/some-doc', '/api/reference/other.js', '/api/referencex']) {
    assert.equal(selectLocation(all, uri)?.match, '/', uri);
  }
  assert.equal(selectLocation(all, '/assets/main-abc.js')?.match, '/assets/');
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const noChromium = existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing`;
if (noChromium && process.env.CI === 'true') throw new Error(`CI=true and ${noChromium}`);

test('API1 Chromium renders the static reference page as nginx serves it: every service, nothing from elsewhere, nothing refused by its policy', { skip: noChromium }, async () => {
  // Each request answered as the shipped config would: its location's file, type and add_header lines.
  const server = createServer((req, res) => {
    const uri = new URL(req.url ?? '/', 'http://x').pathname;
    const { file, location } = served(uri);
    if (!uri.startsWith('/api/') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': directive(location.body, 'default_type')! };
    for (const m of location.body.matchAll(/add_header\s+(\S+)\s+"([^"]*)";/g)) headers[m[1]!.toLowerCase()] = m[2]!;
    res.writeHead(200, headers).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    const elsewhere: string[] = [];
    const refused: string[] = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
    });
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    const response = await page.goto(`${origin}/api/reference`);
    assert.match(response!.headers()['content-security-policy'] ?? '', /script-src 'self';/);
    await page.getByRole('heading', { name: 'Copycloud HTTP API' }).waitFor({ timeout: 60_000 });
    // Operations of several services, so the whole merged document loaded.
    for (const summary of ['Sign in with email and password']) await page.getByText(summary).first().waitFor();
    const sidebar = await page.locator('nav, aside, .sidebar').first().innerText();
    for (const tag of ['auth', 'versions', 'files', 'comments', 'notifications', 'ai']) assert.match(sidebar, new RegExp(`(^|\\n)${tag}(\\n|$)`, 'i'), `tag ${tag}`);
    assert.deepEqual(elsewhere, [], 'the page loads nothing from another host');
    assert.deepEqual(refused, [], 'its Content-Security-Policy refuses nothing the page needs');
  } finally {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  }
});
