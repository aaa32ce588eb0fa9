// Electron's `session.defaultSession`, as far as the app uses it: permission handlers and onHeadersReceived.
// The stand-in's windows consult them exactly where Chromium would: on a permission request or check from the
// page, and on every response the window receives.

type Callback = (granted: boolean) => void;
type RequestHandler = (wc: unknown, permission: string, callback: Callback, details: { requestingUrl: string }) => void;
type CheckHandler = (wc: unknown, permission: string, origin: string, details: { requestingUrl: string }) => boolean;
type HeadersListener = (
  details: { url: string; resourceType: string; responseHeaders: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void,
) => void;

const handlers = {
  request: null as RequestHandler | null,
  check: null as CheckHandler | null,
  headers: null as HeadersListener | null,
};

export const defaultSession = {
  setPermissionRequestHandler(h: RequestHandler | null): void {
    handlers.request = h;
  },
  setPermissionCheckHandler(h: CheckHandler | null): void {
    handlers.check = h;
  },
  webRequest: {
    onHeadersReceived(listener: HeadersListener | null): void {
      handlers.headers = listener;
    },
  },
};

/** Chromium's default without a handler is to grant; Electron's too. */
export function askPermission(
  kind: 'request' | 'check',
  wc: unknown,
  permission: string,
  url: string,
): Promise<boolean> {
  if (kind === 'check') {
    return Promise.resolve(
      handlers.check ? handlers.check(wc, permission, new URL(url).origin, { requestingUrl: url }) : true,
    );
  }
  const h = handlers.request;
  if (!h) return Promise.resolve(true);
  return new Promise((resolve) => h(wc, permission, resolve, { requestingUrl: url }));
}

/** The headers a response reaches the page with, after the app's onHeadersReceived listener. */
export function applyHeaders(
  url: string,
  resourceType: string,
  responseHeaders: Record<string, string[]>,
): Promise<Record<string, string[]> | null> {
  const listener = handlers.headers;
  if (!listener) return Promise.resolve(responseHeaders);
  return new Promise((resolve) =>
    listener({ url, resourceType, responseHeaders }, (r) =>
      resolve(r.cancel ? null : (r.responseHeaders ?? responseHeaders)),
    ),
  );
}
