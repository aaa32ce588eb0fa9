import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const shared = { '@shared': resolve('src/shared') };

/**
 * The page's meta CSP forbids inline scripts, which React Refresh needs in development. In dev the main process
 * sends a CSP header that allows the dev server instead, so the meta tag is dropped only when serving.
 */
const stripMetaCspInDev: Plugin = {
  name: 'hookbench:strip-meta-csp-in-dev',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[^>]*>\s*/i, ''),
};

export default defineConfig({
  main: {
    resolve: { alias: shared },
    build: {
      outDir: 'out/main',
      // The Electron app, the CLI, the engine and the client package; only the app entry ever loads electron.
      rollupOptions: {
        input: {
          index: resolve('src/main/app/index.ts'),
          cli: resolve('src/main/cli/index.ts'),
          // the engine alone, for the benchmark and for programmatic use under Node
          engine: resolve('src/main/engine/index.ts'),
          // the engine's HTTP client on a worker thread, loaded from beside the engine (http-worker-client.ts)
          'http-worker': resolve('src/main/engine/http/worker.ts'),
          // `hookbench/client` (package.json "exports"): the typed HTTP client for tests and scripts
          client: resolve('src/client/index.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias: shared },
    build: {
      outDir: 'out/preload',
      // A sandboxed preload must be one CommonJS file: it can require only `electron`.
      externalizeDeps: false,
      isolatedEntries: true,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    resolve: { alias: { ...shared, '@renderer': resolve('src/renderer/src') } },
    plugins: [react(), stripMetaCspInDev],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves the renderer unminified; CodeMirror alone is most of a megabyte that way.
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
