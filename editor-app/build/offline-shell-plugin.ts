import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

const TEMPLATE_URL = new URL('./service-worker.template.js', import.meta.url);

/**
 * Emits `sw.js` with the list of files of this very build, so the service
 * worker can precache the whole app shell on install (not only what the first
 * page load happened to request after the worker took control).
 */
export function offlineShellPlugin(): Plugin {
  return {
    name: 'copycloud-offline-shell',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((fileName) => !fileName.endsWith('.map'))
        .map((fileName) => '/' + fileName);
      const precacheUrls = [...new Set(['/index.html', ...files])].sort();
      const buildId = createHash('sha256').update(precacheUrls.join('\n')).digest('hex').slice(0, 16);
      const source = readFileSync(TEMPLATE_URL, 'utf8')
        .replace('__PRECACHE_URLS__', JSON.stringify(precacheUrls))
        .replace('__BUILD_ID__', JSON.stringify(buildId));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
