// Desktop notifications for what the engine reports (an endpoint auto-disabled). Clicking one brings the window
// forward, where the banner and the endpoint's page explain what happened.
import type { Notifier } from '../engine/types';

/** Electron's Notification instance, as far as the notifier uses it. */
export interface NotificationLike {
  on(event: 'click' | 'close' | 'failed', listener: () => void): unknown;
  show(): void;
}

export interface DesktopNotifierDeps {
  /** Notification.isSupported() */
  isSupported(): boolean;
  create(opts: { title: string; body: string }): NotificationLike;
  /** show, restore and focus the main window */
  focusWindow(): void;
}

export function createDesktopNotifier(deps: DesktopNotifierDeps): Notifier {
  // A notification that is garbage-collected loses its click handler, so each is held until it is done with.
  const live = new Set<NotificationLike>();
  return (n) => {
    if (!deps.isSupported()) return;
    const shown = deps.create({ title: n.title, body: n.body });
    live.add(shown);
    const release = () => live.delete(shown);
    shown.on('click', () => {
      release();
      deps.focusWindow();
    });
    shown.on('close', release);
    shown.on('failed', release);
    shown.show();
  };
}
