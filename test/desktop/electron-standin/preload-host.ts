// How the stand-in runs the built preload in the page, as Electron runs a sandboxed preload: the file evaluated
// before any page script, with a `require` that knows only `electron`, which offers only `contextBridge` and
// `ipcRenderer`. Playwright's bindings (the IPC and permission channels to the main side) are taken out of the
// page's reach first, so the page can use only what contextBridge exposed — the stand-in's context isolation.
// Electron copies every value that crosses the bridge (structured clone) and freezes what it exposes; so does this.

export interface PreloadChannels {
  /** page.exposeBinding name: (channel, args) => ipcMain handler's result */
  invoke: string;
  /** page.exposeBinding name: (kind, permission) => granted */
  permission: string;
  /** the function webContents.send calls in the page: (channel, args) */
  push: string;
}

/** The init script: the preload source wrapped as a CommonJS module, plus the page-side half of IPC. */
export function preloadInitScript(preloadSource: string, channels: PreloadChannels): string {
  return `(() => {
  if (window.top !== window) return; // Electron runs the preload in the main frame only
  const invokeMain = window[${JSON.stringify(channels.invoke)}];
  const askPermission = window[${JSON.stringify(channels.permission)}];
  delete window[${JSON.stringify(channels.invoke)}];
  delete window[${JSON.stringify(channels.permission)}];
  const clone = (v) => (v !== null && typeof v === 'object' ? structuredClone(v) : v);

  const listeners = new Map();
  const ipcRenderer = Object.freeze({
    invoke: (channel, ...args) => invokeMain(channel, clone(args)),
    on(channel, fn) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel).add(fn);
      return ipcRenderer;
    },
    removeListener(channel, fn) {
      listeners.get(channel)?.delete(fn);
      return ipcRenderer;
    },
  });
  Object.defineProperty(window, ${JSON.stringify(channels.push)}, {
    value: (channel, args) => {
      for (const fn of [...(listeners.get(channel) ?? [])]) fn({ sender: ipcRenderer }, ...clone(args));
    },
  });

  // contextBridge: functions cross as functions whose arguments and results are copied; everything else is copied.
  const toPage = (v) => {
    if (typeof v === 'function') return (...args) => toPage(v(...args.map(toPreload)));
    if (v instanceof Promise) return v.then(toPage);
    return clone(v);
  };
  const toPreload = (v) => (typeof v === 'function' ? (...args) => v(...args.map(toPage)) : clone(v));
  const contextBridge = Object.freeze({
    exposeInMainWorld(key, api) {
      const exposed = {};
      for (const [name, value] of Object.entries(api)) exposed[name] = toPage(value);
      Object.defineProperty(window, key, { value: Object.freeze(exposed), enumerable: true });
    },
  });

  // Web permission requests go to the app's session handlers, as Chromium sends them to Electron's.
  const denied = () => new DOMException('Permission denied', 'NotAllowedError');
  if (window.Notification) {
    Notification.requestPermission = async () => ((await askPermission('request', 'notifications')) ? 'granted' : 'denied');
  }
  if (navigator.geolocation) {
    navigator.geolocation.getCurrentPosition = (ok, fail) => {
      void askPermission('request', 'geolocation').then((granted) => {
        if (!granted) fail?.({ code: 1, message: 'User denied Geolocation' });
      });
    };
  }
  if (navigator.mediaDevices) {
    navigator.mediaDevices.getUserMedia = async () => {
      if (!(await askPermission('request', 'media'))) throw denied();
      throw new DOMException('The stand-in has no media devices', 'NotFoundError');
    };
  }
  if (navigator.permissions) {
    navigator.permissions.query = async ({ name }) => ({ name, state: (await askPermission('check', name)) ? 'granted' : 'denied' });
  }

  const module = { exports: {} };
  const require = (name) => {
    if (name === 'electron') return Object.freeze({ contextBridge, ipcRenderer });
    throw new Error("Cannot find module '" + name + "' (a sandboxed preload can require only electron)");
  };
  (function (require, module, exports) {
${preloadSource}
  })(require, module, module.exports);
})();`;
}
