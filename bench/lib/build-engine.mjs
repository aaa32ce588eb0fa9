// Builds the engine (and the contract, for input parsing) from source into .bench/build with Vite's SSR build,
// so a benchmark never runs a stale out/. node_modules stay external; @shared points at src/shared.
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD_DIR = join(ROOT, '.bench', 'build');

/** Builds and returns the absolute paths of the modules: { engine, shared, queue, pgCore, httpWorker }. */
export async function buildEngine({ quiet = true } = {}) {
  const entry = join(ROOT, 'src/main/engine/index.ts');
  if (!existsSync(entry)) throw new Error(`no engine yet: ${entry} is missing`);
  const { build } = await import('vite');
  rmSync(BUILD_DIR, { recursive: true, force: true });
  await build({
    configFile: false,
    root: ROOT,
    logLevel: quiet ? 'error' : 'info',
    resolve: { alias: { '@shared': join(ROOT, 'src/shared') } },
    build: {
      ssr: true,
      outDir: BUILD_DIR,
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      target: 'node22',
      rollupOptions: {
        // queue: the claim's statements alone, for --scale
        input: {
          engine: entry,
          // loaded by the engine from beside it: HTTP on a worker thread
          'http-worker': join(ROOT, 'src/main/engine/http/worker.ts'),
          shared: join(ROOT, 'src/shared/index.ts'),
          queue: join(ROOT, 'bench/lib/claim-entry.ts'),
          // --store postgres: the engine core on PostgreSQL (startPgCore), one per node process
          'pg-core': join(ROOT, 'src/main/engine/store/pg/engine-core.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
      },
    },
  });
  return {
    engine: join(BUILD_DIR, 'engine.mjs'),
    shared: join(BUILD_DIR, 'shared.mjs'),
    queue: join(BUILD_DIR, 'queue.mjs'),
    pgCore: join(BUILD_DIR, 'pg-core.mjs'),
    httpWorker: join(BUILD_DIR, 'http-worker.mjs'),
  };
}
