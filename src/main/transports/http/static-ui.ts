// The built renderer, served at `/` so the UI works in a plain browser. Static files need no token: the page
// takes the token from the URL fragment, which browsers never send to the server.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Hono } from 'hono';

/**
 * Where the built renderer is: `$HOOKBENCH_UI_DIR`, else `out/renderer` beside the running bundle
 * (`out/main/cli.js`, or a chunk under `out/main/chunks/`).
 */
export function defaultUiDir(env: NodeJS.ProcessEnv = process.env, moduleUrl: string = import.meta.url): string {
  if (env.HOOKBENCH_UI_DIR) return env.HOOKBENCH_UI_DIR;
  const candidates = ['../renderer', '../../renderer'].map((rel) => fileURLToPath(new URL(rel, moduleUrl)));
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? (candidates[0] as string);
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hookbench</title></head>
<body><h1>Hookbench</h1><p>The web UI is not built. Run <code>npm run build</code>, then start
<code>hookbench serve</code> again. The REST API under <code>/api/v1</code> works meanwhile.</p></body></html>`;

/** Mounts the UI (or the "not built" page) for every GET outside `/api`. */
export function mountUi(app: Hono, uiDir: string | null): void {
  const built = uiDir !== null && existsSync(join(uiDir, 'index.html'));
  if (!built) {
    app.get('*', (c, next) => (c.req.path.startsWith('/api/') ? next() : c.html(NOT_BUILT, 503)));
    return;
  }
  const skipApi = (c: { req: { path: string } }) => c.req.path.startsWith('/api/');
  const files = serveStatic({ root: uiDir });
  // Client-side routes (no file extension) get the app shell; a missing asset stays a 404.
  const shell = serveStatic({ root: uiDir, path: 'index.html' });
  app.get('*', (c, next) => (skipApi(c) ? next() : files(c, next)));
  app.get('*', (c, next) => (skipApi(c) || /\.[A-Za-z0-9]+$/.test(c.req.path) ? next() : shell(c, next)));
}
