import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appUrlMatcher, createTrustedSenderCheck } from '../../../src/main/transports/ipc';
import { childFrame, topFrame } from './fakes';

const rendererFile = join('/opt', 'Hookbench app', 'out', 'renderer', 'index.html');
const appFileUrl = pathToFileURL(rendererFile).href;

describe('trusted sender (packaged: the built renderer file)', () => {
  const trusted = createTrustedSenderCheck({ rendererFile });

  it('trusts the top frame showing the built index.html, on any hash route', () => {
    expect(appFileUrl).toContain('Hookbench%20app');
    expect(trusted(topFrame(appFileUrl))).toBe(true);
    expect(trusted(topFrame(`${appFileUrl}#/deliveries?q=evt_1`))).toBe(true);
  });

  it('rejects a missing frame (navigated away or destroyed)', () => {
    expect(trusted(null)).toBe(false);
    expect(trusted(undefined)).toBe(false);
  });

  it('rejects an iframe even when it shows the app document', () => {
    expect(trusted(childFrame(appFileUrl, appFileUrl))).toBe(false);
  });

  it('rejects other files, remote pages, a file on a host, and garbage', () => {
    expect(trusted(topFrame(pathToFileURL(join('/opt', 'Hookbench app', 'out', 'renderer', 'other.html')).href))).toBe(
      false,
    );
    expect(trusted(topFrame(pathToFileURL('/tmp/index.html').href))).toBe(false);
    expect(trusted(topFrame('https://evil.example/index.html'))).toBe(false);
    expect(trusted(topFrame(appFileUrl.replace('file:///', 'file://fileserver/')))).toBe(false);
    expect(trusted(topFrame('not a url'))).toBe(false);
    expect(trusted(topFrame(''))).toBe(false);
  });

  it('does not trust a dev server origin when none is configured', () => {
    expect(trusted(topFrame('http://localhost:5173/'))).toBe(false);
  });
});

describe('trusted sender (dev: the exact Vite dev server origin)', () => {
  const loc = { rendererFile, devServerUrl: 'http://localhost:5173/' };
  const trusted = createTrustedSenderCheck(loc);

  it('trusts any page of that origin, and nothing else', () => {
    expect(trusted(topFrame('http://localhost:5173/'))).toBe(true);
    expect(trusted(topFrame('http://localhost:5173/index.html#/endpoints'))).toBe(true);
    expect(trusted(topFrame('http://localhost:5174/'))).toBe(false);
    expect(trusted(topFrame('https://localhost:5173/'))).toBe(false);
    expect(trusted(topFrame('http://127.0.0.1:5173/'))).toBe(false);
    expect(trusted(topFrame('http://localhost.evil.example:5173/'))).toBe(false);
    expect(trusted(childFrame('http://localhost:5173/', 'http://localhost:5173/'))).toBe(false);
  });

  it('does not also trust the built file in dev', () => {
    expect(trusted(topFrame(appFileUrl))).toBe(false);
  });

  it('refuses a dev server URL that is not http(s)', () => {
    expect(() => appUrlMatcher({ rendererFile, devServerUrl: 'file:///etc/passwd' })).toThrow(/http/);
  });
});
