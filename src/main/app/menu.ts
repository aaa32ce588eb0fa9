// The application menu. Reload and the developer tools exist only in development: in the app they would let a
// user (or a stray shortcut) reload into a half-state or poke at the renderer with the bridge attached.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  isDev: boolean;
  /** process.platform === 'darwin': the first menu is then the app menu */
  isMac: boolean;
  /** opens the documentation outside the app */
  openDocs(): void;
  /** opens the Standard Webhooks specification in the system browser */
  openSpec(): void;
}

export function buildMenuTemplate(opts: MenuOptions): MenuItemConstructorOptions[] {
  const template: MenuItemConstructorOptions[] = [];
  if (opts.isMac) {
    template.push({
      label: 'Hookbench',
      submenu: [
        { role: 'about' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push({ label: 'File', submenu: [opts.isMac ? { role: 'close' } : { role: 'quit' }] });
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });
  const devItems: MenuItemConstructorOptions[] = opts.isDev
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  template.push({
    label: 'View',
    submenu: [
      ...devItems,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });
  template.push({
    role: 'help',
    submenu: [
      { label: 'Hookbench Documentation', click: () => opts.openDocs() },
      { label: 'Standard Webhooks Specification', click: () => opts.openSpec() },
    ],
  });
  return template;
}
