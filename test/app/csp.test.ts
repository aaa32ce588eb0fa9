import { describe, expect, it } from 'vitest';
import { buildCsp, withCspHeader } from '../../src/main/app/csp';
import { CONTENT_SECURITY_POLICY } from '../../src/main/transports/http/security';

const directives = (csp: string) => new Map(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));

describe('CSP', () => {
  it('is exactly the policy hookbench serve sends the browser UI', () => {
    expect(buildCsp()).toBe(CONTENT_SECURITY_POLICY);
    expect(buildCsp()).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('in dev adds the Vite dev server origin and its HMR websocket, nothing broader', () => {
    const d = directives(buildCsp({ devServerUrl: 'http://localhost:5173/' }));
    expect(d.get('connect-src')).toEqual(["'self'", 'http://localhost:5173', 'ws://localhost:5173']);
    expect(d.get('script-src')).toEqual(["'self'", 'http://localhost:5173', "'unsafe-inline'"]);
    expect(d.get('default-src')).toEqual(["'self'"]);
    expect(d.get('object-src')).toEqual(["'none'"]);
    expect(d.get('frame-ancestors')).toEqual(["'none'"]);
    expect(buildCsp({ devServerUrl: 'http://localhost:5173/' })).not.toContain('*');
    expect(directives(buildCsp({ devServerUrl: 'https://127.0.0.1:9000' })).get('connect-src')).toContain(
      'wss://127.0.0.1:9000',
    );
  });

  it('replaces whatever CSP a response carried, whatever its case, and keeps other headers', () => {
    const out = withCspHeader(
      { 'content-security-policy': ['default-src *'], 'Content-Type': ['text/html'] },
      'default-src none',
    );
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ['default-src none'] });
    expect(withCspHeader(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] });
  });
});
