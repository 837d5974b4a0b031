import { defaultClientConditions, defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { offlineShellPlugin } from './build/offline-shell-plugin.js';

export default defineConfig({
  plugins: [react(), offlineShellPlugin()],
  resolve: {
    // Bundle workspace packages from their TypeScript source (their package.json
    // maps this condition to src/), so the app never depends on a stale dist.
    conditions: ['@copycloud/source', ...defaultClientConditions],
    // Two copies of @tiptap/core, ProseMirror or yjs break `instanceof`
    // checks and plugin keys at runtime. The menus that @tiptap/react pulls in
    // are pinned in package.json to keep npm's tree to one copy; this makes
    // the bundle use one copy even if a future install nests another.
    dedupe: ['@tiptap/core', '@tiptap/pm', '@tiptap/y-tiptap', 'yjs', 'y-protocols', 'lib0', 'react', 'react-dom'],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // Tiptap + ProseMirror + Yjs are one ~170 kB (gzip) vendor chunk; that is
    // the editor, not an accident worth a warning on every build.
    chunkSizeWarningLimit: 600,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: a separate chunk stays
        // cached (HTTP and service worker) across app-only deploys.
        codeSplitting: {
          groups: [
            { name: 'editor-vendor', test: /node_modules[\\/](@tiptap|prosemirror-|yjs|y-|lib0|@hocuspocus)/ },
            { name: 'react-vendor', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    // `npm run dev -w editor-app` next to a running launcher: proxy sync and API.
    proxy: {
      '/sync': { target: 'ws://127.0.0.1:8080', ws: true },
      '/api': { target: 'http://127.0.0.1:8080' },
    },
  },
});
