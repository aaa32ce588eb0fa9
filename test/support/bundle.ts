// Bundles TypeScript entries with Vite's programmatic SSR build so tests can run them as plain `node` processes
// (the CLI, crash-test children) without depending on out/, which other engineers rebuild at any time.
// Output goes under node_modules/.cache (inside the repo: bare imports of externalized packages resolve from the
// file's location), in a directory keyed by a hash of the sources, so every test file of one run shares one
// build and a changed source gets a fresh one.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * The engine's HTTP worker entry (from the repo root): bundled beside the CLI and crash children, and by the vitest
 * globalSetup for engine tests. The one place to change when the file moves.
 */
export const HTTP_WORKER_ENTRY = 'src/main/engine/http/worker.ts';
const CACHE = join(ROOT, 'node_modules/.cache/hookbench-test');

function listFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listFiles(p, out);
    else out.push(p);
  }
  return out;
}

/**
 * Hash of everything a bundle can contain: src/main, src/shared, src/client (the CLI's --server commands call
 * through it), the entry and the dependency list.
 */
function sourceHash(entries: string[]): string {
  const h = createHash('sha256');
  const files = [
    ...listFiles(join(ROOT, 'src/main')),
    ...listFiles(join(ROOT, 'src/shared')),
    ...listFiles(join(ROOT, 'src/client')),
    ...entries.map((e) => join(ROOT, e)),
    join(ROOT, 'package.json'),
  ].sort();
  for (const f of files) {
    h.update(relative(ROOT, f));
    h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 16);
}

function externals(): (string | RegExp)[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  return [
    /^node:/,
    ...builtinModules,
    ...deps.flatMap((d) => [d, new RegExp(`^${d.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`)]),
  ];
}

const inProcess = new Map<string, Promise<string>>();

/**
 * Builds `entries` (name -> path from the repo root) into one shared directory; resolves to that directory.
 * The output files are `<name>.mjs`.
 */
export function bundle(entries: Record<string, string>): Promise<string> {
  const key = `${sourceHash(Object.values(entries))}-${createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 8)}`;
  let p = inProcess.get(key);
  if (!p) {
    p = buildOnce(key, entries);
    inProcess.set(key, p);
  }
  return p;
}

async function buildOnce(key: string, entries: Record<string, string>): Promise<string> {
  const dir = join(CACHE, key);
  if (existsSync(join(dir, '.complete'))) return dir;
  mkdirSync(CACHE, { recursive: true });
  const staging = mkdtempSync(join(CACHE, 'staging-'));
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    resolve: { alias: { '@shared': join(ROOT, 'src/shared') } },
    build: {
      ssr: true,
      outDir: staging,
      emptyOutDir: true,
      minify: false,
      target: 'node22',
      rollupOptions: {
        input: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(ROOT, path)])),
        external: externals(),
        output: { format: 'es', entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      },
    },
  });
  writeFileSync(join(staging, '.complete'), key);
  try {
    // Atomic publish; when another test process won the race, its identical build is used and ours dropped.
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return dir;
}

/**
 * Bundles one child-process test program (path from the repo root); resolves to its .mjs file. The engine's HTTP
 * worker is built beside it, as in the app's build, so an engine in the child sends from a worker thread.
 */
export async function bundleEntry(file: string): Promise<string> {
  const dir = await bundle({ entry: file, 'http-worker': HTTP_WORKER_ENTRY });
  return join(dir, 'entry.mjs');
}
