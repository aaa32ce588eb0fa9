// Which frames are the app. Exactly two documents are: the built renderer file (packaged and `npm start`) and,
// in development only, the Vite dev server's origin. Anything else — a page a bug navigated to, an iframe, a
// frame that has gone — may not call the engine and may not be navigated to.
import { pathToFileURL } from 'node:url';
import type { FrameLike, TrustedSenderCheck } from './types';

export interface AppLocation {
  /** absolute path of the built renderer, `.../out/renderer/index.html` */
  rendererFile: string;
  /** the dev server URL (ELECTRON_RENDERER_URL) when running `electron-vite dev`; never set in a packaged app */
  devServerUrl?: string | undefined;
}

/** A predicate for "this URL is the app's own document" (any hash route of it). */
export function appUrlMatcher(loc: AppLocation): (url: string) => boolean {
  const filePath = pathToFileURL(loc.rendererFile).pathname;
  const devOrigin = loc.devServerUrl ? originOf(loc.devServerUrl) : null;
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (devOrigin !== null) return u.origin === devOrigin;
    // file URLs have an opaque origin, so the document itself is compared: same path, no host (UNC shares differ)
    return u.protocol === 'file:' && u.host === '' && u.pathname === filePath;
  };
}

/** The IPC sender check: the top frame of a window showing the app's own document. */
export function createTrustedSenderCheck(loc: AppLocation): TrustedSenderCheck {
  const isAppUrl = appUrlMatcher(loc);
  return (frame: FrameLike | null | undefined) => frame != null && frame.parent === null && isAppUrl(frame.url);
}

function originOf(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new Error(`The renderer dev server URL must be http(s), got ${u.protocol}`);
  }
  return u.origin;
}
