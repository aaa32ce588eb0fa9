import { navigate, pages } from './router';
import { useShortcut } from './shortcuts';
import { useShell } from './ui-store';

/** Shortcuts documented in the help overlay even when the feature registering them is not mounted. */
export const documentedShortcuts: ReadonlyArray<{ combo: string; description: string }> = [
  { combo: 'mod+k', description: 'Quick switcher: pages, endpoints, recent events' },
  { combo: '?', description: 'Show keyboard shortcuts' },
  { combo: 'escape', description: 'Close the open panel or dialog' },
  { combo: 'mod+enter', description: 'Send the event (in Compose)' },
  // handled by the focused list itself (Deliveries log, Events, Inbox requests); Tab reaches the list's rows
  { combo: 'j', description: 'Next row of the focused list (or ↓)' },
  { combo: 'k', description: 'Previous row of the focused list (or ↑)' },
  { combo: 'enter', description: 'Open the focused row' },
  ...pages.map((p) => ({ combo: `g ${p.key}`, description: `Go to ${p.label}` })),
];

/** The shell's own shortcuts: switcher, help, and `g <letter>` navigation. */
export function useGlobalShortcuts(): void {
  const { open, close, overlay } = useShell();
  useShortcut('mod+k', () => {
    if (overlay === 'switcher') close();
    else open('switcher');
    return true;
  });
  useShortcut('?', () => {
    open('help');
    return true;
  });
  useShortcut('g e', () => go('/endpoints'));
  useShortcut('g c', () => go('/compose'));
  useShortcut('g d', () => go('/deliveries'));
  useShortcut('g v', () => go('/events'));
  useShortcut('g i', () => go('/inbox'));
  useShortcut('g s', () => go('/settings'));

  function go(path: string): true {
    close();
    navigate(path);
    return true;
  }
}
