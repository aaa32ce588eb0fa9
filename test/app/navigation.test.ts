import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decideNavigation, decideWindowOpen, isExternalLink } from '../../src/main/app/navigation';
import { appUrlMatcher } from '../../src/main/transports/ipc';

const rendererFile = '/app/out/renderer/index.html';
const appUrl = pathToFileURL(rendererFile).href;
const isAppUrl = appUrlMatcher({ rendererFile });

describe('window.open / target=_blank', () => {
  it('always denies; https links go to the system browser', () => {
    expect(decideWindowOpen('https://docs.example.com/x')).toEqual({
      action: 'deny',
      openExternal: 'https://docs.example.com/x',
    });
  });

  it('never hands other schemes to the OS', () => {
    for (const url of [
      'http://example.com',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-settings:',
      'not a url',
      appUrl,
    ]) {
      expect(decideWindowOpen(url)).toEqual({ action: 'deny', openExternal: null });
    }
    expect(isExternalLink('HTTPS://EXAMPLE.COM')).toBe(true);
  });
});

describe('will-navigate / will-redirect', () => {
  it("allows the app's own document on any hash route", () => {
    expect(decideNavigation(`${appUrl}#/settings`, isAppUrl, true)).toEqual({ allow: true, openExternal: null });
  });

  it('blocks everything else; an https link the page followed opens in the browser instead', () => {
    expect(decideNavigation('https://example.com/', isAppUrl, true)).toEqual({
      allow: false,
      openExternal: 'https://example.com/',
    });
    expect(decideNavigation('http://example.com/', isAppUrl, true)).toEqual({ allow: false, openExternal: null });
    expect(decideNavigation('file:///etc/passwd', isAppUrl, true)).toEqual({ allow: false, openExternal: null });
  });

  it('blocks a redirect without opening it anywhere', () => {
    expect(decideNavigation('https://example.com/', isAppUrl, false)).toEqual({ allow: false, openExternal: null });
  });

  it('in dev, allows the dev server origin (HMR reloads) and nothing else', () => {
    const dev = appUrlMatcher({ rendererFile, devServerUrl: 'http://localhost:5173' });
    expect(decideNavigation('http://localhost:5173/', dev, true).allow).toBe(true);
    expect(decideNavigation('http://localhost:5999/', dev, true).allow).toBe(false);
    expect(decideNavigation(appUrl, dev, true).allow).toBe(false);
  });
});
