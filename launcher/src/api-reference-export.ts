import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { API_REFERENCE_PATH, API_REFERENCE_SCRIPT_PATH, OPENAPI_JSON_PATH, openApiRoutes, type OpenApiDocument } from '@copycloud/openapi';
import { launcherApiDocument } from './api-document.js';

/**
 * The reference page's start-up call, as a file: a static page cannot carry a
 * fresh CSP nonce per response, so the inline script becomes a same-origin
 * one and `script-src 'self'` covers it.
 */
export const API_REFERENCE_INIT_PATH = '/api/reference/init.js';

/** Files written under the output directory, by the URL path nginx serves them at. */
export interface ExportedApiReference {
  /** URL path -> file, relative to the output directory. */
  files: Record<string, string>;
  /** The launcher's Content-Security-Policy for the page, without its nonce source (what a static server must send). */
  contentSecurityPolicy: string;
}

/** Where each URL path's file goes: `/api/reference` is both a page and a directory, so the page is `api/reference.html`. */
export const EXPORTED_FILES: Record<string, string> = {
  [OPENAPI_JSON_PATH]: 'api/openapi.json',
  [API_REFERENCE_PATH]: 'api/reference.html',
  [API_REFERENCE_SCRIPT_PATH]: 'api/reference/scalar.js',
  [API_REFERENCE_INIT_PATH]: 'api/reference/init.js',
};

/** Replaces every match, and fails when there is none. */
function replaceRequired(text: string, search: RegExp, replacement: string, what: string): string {
  const all = new RegExp(search.source, 'g');
  // Scalar's page changes with its version: fail the build rather than ship a page the policy blocks.
  if (!all.test(text)) throw new Error(`API reference export: ${what} not found in the reference page`);
  return text.replace(all, replacement);
}

/**
 * Turns the page the launcher serves (one nonce per response) into a static
 * one: nonces dropped, the inline start-up script moved to init.js.
 */
export function staticReferencePage(html: string, contentSecurityPolicy: string): { html: string; init: string; contentSecurityPolicy: string } {
  const nonce = /'nonce-([^']+)'/.exec(contentSecurityPolicy)?.[1];
  if (!nonce) throw new Error('API reference export: the page policy has no nonce source');
  const quoted = escapeRegExp(nonce);
  let page = replaceRequired(html, new RegExp(`\\s*<meta property="csp-nonce" content="${quoted}"\\s*/?>`), '', 'the csp-nonce meta tag');
  page = replaceRequired(page, new RegExp(` nonce="${quoted}"`), '', 'nonce attributes');
  const inline = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(page);
  if (!inline) throw new Error('API reference export: the inline start-up script was not found in the reference page');
  page = page.replace(inline[0], `<script src="${API_REFERENCE_INIT_PATH}"></script>`);
  if (page.includes('nonce')) throw new Error('API reference export: a nonce is left in the static page');
  const policy = contentSecurityPolicy.replace(` 'nonce-${nonce}'`, '');
  return { html: page, init: `${inline[1]!.trim()}\n`, contentSecurityPolicy: policy };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Writes what `npm start` serves at /api/openapi.json, /api/reference and
 * /api/reference/scalar.js as static files (plus init.js) under `outDir`,
 * rendered by the same routes, so the bytes are the launcher's.
 */
export async function exportApiReference(outDir: string, document: OpenApiDocument = launcherApiDocument()): Promise<ExportedApiReference> {
  const routes = openApiRoutes(document);
  const get = async (path: string) => {
    const response = await routes.request(path);
    if (response.status !== 200) throw new Error(`API reference export: ${path} answered ${response.status}`);
    return response;
  };
  const json = new Uint8Array(await (await get(OPENAPI_JSON_PATH)).arrayBuffer());
  const script = new Uint8Array(await (await get(API_REFERENCE_SCRIPT_PATH)).arrayBuffer());
  const pageResponse = await get(API_REFERENCE_PATH);
  const page = staticReferencePage(await pageResponse.text(), pageResponse.headers.get('content-security-policy') ?? '');
  const contents: Record<string, string | Uint8Array> = {
    [OPENAPI_JSON_PATH]: json,
    [API_REFERENCE_PATH]: page.html,
    [API_REFERENCE_SCRIPT_PATH]: script,
    [API_REFERENCE_INIT_PATH]: page.init,
  };
  for (const [path, file] of Object.entries(EXPORTED_FILES)) {
    const target = join(outDir, file);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, contents[path]!);
  }
  return { files: { ...EXPORTED_FILES }, contentSecurityPolicy: page.contentSecurityPolicy };
}
