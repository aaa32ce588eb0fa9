// Where the window may go. It shows the app and nothing else: links to the web open in the system browser, never
// inside the window (a page loaded there would inherit the preload's bridge to the engine).

/** Links that may be handed to the system browser. http: is left out on purpose: only TLS links leave the app. */
export function isExternalLink(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

export interface WindowOpenDecision {
  /** always deny: the app never opens a second Electron window */
  action: 'deny';
  /** a URL to open in the system browser instead, or null */
  openExternal: string | null;
}

/** For `setWindowOpenHandler` (`target=_blank` links, window.open). */
export function decideWindowOpen(url: string): WindowOpenDecision {
  return { action: 'deny', openExternal: isExternalLink(url) ? url : null };
}

export interface NavigationDecision {
  allow: boolean;
  /** set when the page itself tried to go to an https URL (a followed link): open it in the browser instead */
  openExternal: string | null;
}

/** For `will-navigate` and `will-redirect`: only the app's own document (any of its hash routes) may load. */
export function decideNavigation(
  url: string,
  isAppUrl: (url: string) => boolean,
  fromPage: boolean,
): NavigationDecision {
  if (isAppUrl(url)) return { allow: true, openExternal: null };
  // a redirect is the server's choice, not a link the user followed: it is stopped and never opened elsewhere
  return { allow: false, openExternal: fromPage && isExternalLink(url) ? url : null };
}
