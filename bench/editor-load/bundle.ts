import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export interface ChunkSize {
  readonly file: string;
  readonly kind: 'js' | 'css';
  /** Named in index.html (script, modulepreload, stylesheet): fetched on every first load; the others only when imported. */
  readonly initial: boolean;
  readonly rawBytes: number;
  readonly gzipBytes: number;
  readonly brotliBytes: number;
}

export interface BundleReport {
  readonly chunks: readonly ChunkSize[];
  readonly total: { readonly rawBytes: number; readonly gzipBytes: number; readonly brotliBytes: number };
  readonly initial: { readonly rawBytes: number; readonly gzipBytes: number; readonly brotliBytes: number };
}

function sum(chunks: readonly ChunkSize[]) {
  return {
    rawBytes: chunks.reduce((total, chunk) => total + chunk.rawBytes, 0),
    gzipBytes: chunks.reduce((total, chunk) => total + chunk.gzipBytes, 0),
    brotliBytes: chunks.reduce((total, chunk) => total + chunk.brotliBytes, 0),
  };
}

/**
 * Every JS and CSS file of the built app (source maps and the service worker
 * left out), raw and compressed as a server would send it: gzip level 9,
 * brotli quality 11 (the launcher itself sends them uncompressed; these say
 * what a compressing proxy or CDN would send).
 */
export function measureBundle(distDir: string): BundleReport {
  const indexHtml = readFileSync(join(distDir, 'index.html'), 'utf8');
  const assetsDir = join(distDir, 'assets');
  const chunks: ChunkSize[] = readdirSync(assetsDir)
    .filter((file) => /\.(js|css)$/.test(file))
    .sort()
    .map((file) => {
      const bytes = readFileSync(join(assetsDir, file));
      return {
        file: `assets/${file}`,
        kind: file.endsWith('.css') ? 'css' : 'js',
        initial: indexHtml.includes(`/assets/${file}`),
        rawBytes: bytes.length,
        gzipBytes: gzipSync(bytes, { level: 9 }).length,
        brotliBytes: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    });
  return { chunks, total: sum(chunks), initial: sum(chunks.filter((chunk) => chunk.initial)) };
}
