// The Content-Security-Policy of the renderer: the same policy `hookbench serve` sends the browser UI. In dev the
// page comes from the Vite dev server, whose HMR needs its websocket and React Refresh's inline preamble.

export interface CspOptions {
  /** ELECTRON_RENDERER_URL in `electron-vite dev`; undefined when loading the built files */
  devServerUrl?: string | undefined;
}

export const CSP_DIRECTIVES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['default-src', ["'self'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'", "'unsafe-inline'"]],
  ['connect-src', ["'self'"]],
  ['img-src', ["'self'", 'data:']],
  ['object-src', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
];

export function buildCsp(opts: CspOptions = {}): string {
  const dev = opts.devServerUrl ? new URL(opts.devServerUrl) : null;
  return CSP_DIRECTIVES.map(([name, sources]) => {
    const extra: string[] = [];
    if (dev) {
      const ws = `${dev.protocol === 'https:' ? 'wss:' : 'ws:'}//${dev.host}`;
      if (name === 'script-src') extra.push(dev.origin, "'unsafe-inline'");
      if (name === 'connect-src') extra.push(dev.origin, ws);
    }
    return `${name} ${[...sources, ...extra].join(' ')}`;
  }).join('; ');
}

/** Response headers with our policy in place of any the response carried (header names are case-insensitive). */
export function withCspHeader(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}
