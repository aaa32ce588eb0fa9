// Bundles a TypeScript child entry (and the engine it imports) with Vite's SSR build so a test can run it as a
// plain `node` process and kill -9 it. The output lives under node_modules/.cache (inside the repo) because the
// bundle keeps node_modules external and Node resolves bare ESM imports from the file's own location.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Builds `entry` (path from the repo root) into a fresh directory; returns the .mjs path and a cleanup. */
export async function bundleChild(entry: string): Promise<{ file: string; cleanup(): void }> {
  const { build } = await import('vite');
  const cache = join(ROOT, 'node_modules/.cache/hookbench-hardening');
  mkdirSync(cache, { recursive: true });
  const outDir = mkdtempSync(join(cache, 'bundle-'));
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'error',
    resolve: { alias: { '@shared': join(ROOT, 'src/shared') } },
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      minify: false,
      target: 'node20',
      rollupOptions: {
        input: { child: join(ROOT, entry) },
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      },
    },
  });
  return { file: join(outDir, 'child.mjs'), cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}
