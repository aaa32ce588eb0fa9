import { describe, expect, it } from 'vitest';
import {
  isPermissionGranted,
  mainWindowOptions,
  secureWebPreferences,
  WINDOW_BACKGROUND,
} from '../../src/main/app/security';

describe('window security options', () => {
  it('isolates and sandboxes the renderer, with no Node anywhere', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      preload: '/app/out/preload/index.cjs',
    });
  });

  it('sizes the window and picks its background from the theme; shown later, on ready-to-show', () => {
    const dark = mainWindowOptions({ preloadPath: '/p.cjs', dark: true });
    expect(dark).toMatchObject({ width: 1280, height: 800, minWidth: 1024, minHeight: 640, show: false });
    expect(dark.backgroundColor).toBe(WINDOW_BACKGROUND.dark);
    expect(mainWindowOptions({ preloadPath: '/p.cjs', dark: false }).backgroundColor).toBe(WINDOW_BACKGROUND.light);
    expect(dark.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
  });
});

describe('permissions', () => {
  const isAppUrl = (url: string) => url.startsWith('file:///app/out/renderer/index.html');
  const app = 'file:///app/out/renderer/index.html#/endpoints';

  it('denies everything a page can ask for', () => {
    for (const p of [
      'notifications',
      'media',
      'geolocation',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'unknown',
      'hid',
    ]) {
      expect(isPermissionGranted(p, app, isAppUrl)).toBe(false);
    }
  });

  it('allows only a sanitized clipboard write, and only to the app itself', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', app, isAppUrl)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/', isAppUrl)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', '', isAppUrl)).toBe(false);
  });
});
