// Builds the engine (and the contract, for input parsing) from source into .bench/build with Vite's SSR build,
// so a benchmark never runs a stale out/. node_modules stay external; @shared points at src/shared.
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BUILD_DIR = join(ROOT, '.bench', 'build');

/**
 * Builds and returns the absolute paths of the modules: { engine, shared, queue, pgCore, httpWorker }.
 * `root`: the tree whose src/ is built (bench/ab.mjs passes another revision's, extracted under .bench/); `outDir`:
 * where to (inside this repository, so that node_modules resolve from it); `parts: 'engine'`: the engine, its HTTP
 * worker and the contract only (what the Hookbench system loads).
 */
export async function buildEngine({ quiet = true, root = ROOT, outDir = BUILD_DIR, parts = 'all' } = {}) {
  const entry = join(root, 'src/main/engine/index.ts');
  if (!existsSync(entry)) throw new Error(`no engine yet: ${entry} is missing`);
  const input = {
    engine: entry,
    // loaded by the engine from beside it: HTTP on a worker thread
    'http-worker': join(root, 'src/main/engine/http/worker.ts'),
    shared: join(root, 'src/shared/index.ts'),
  };
  if (parts === 'all') {
    // queue: the claim's statements alone, for --scale
    input.queue = join(ROOT, 'bench/lib/claim-entry.ts');
    // --store postgres: the engine core on PostgreSQL (startPgCore), one per node process
    input['pg-core'] = join(root, 'src/main/engine/store/pg/engine-core.ts');
  }
  const { build } = await import('vite');
  rmSync(outDir, { recursive: true, force: true });
  await build({
    configFile: false,
    root,
    logLevel: quiet ? 'error' : 'info',
    resolve: { alias: { '@shared': join(root, 'src/shared') } },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      minify: false,
      sourcemap: true,
      target: 'node22',
      rollupOptions: {
        input,
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs' },
      },
    },
  });
  return {
    engine: join(outDir, 'engine.mjs'),
    shared: join(outDir, 'shared.mjs'),
    queue: join(outDir, 'queue.mjs'),
    pgCore: join(outDir, 'pg-core.mjs'),
    httpWorker: join(outDir, 'http-worker.mjs'),
  };
}
