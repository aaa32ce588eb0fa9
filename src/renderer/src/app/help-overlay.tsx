import { useSyncExternalStore } from 'react';
import { Modal } from '../components';
import { documentedShortcuts } from './global-shortcuts';
import { comboLabel, listShortcuts, subscribeShortcuts } from './shortcuts';
import { useShell } from './ui-store';

let cached: ReturnType<typeof listShortcuts> = [];
let version = 0;
let cachedVersion = -1;
subscribeShortcuts(() => {
  version++;
});

function snapshot() {
  if (cachedVersion !== version) {
    cached = listShortcuts();
    cachedVersion = version;
  }
  return cached;
}

export function KeyCaps({ combo }: { combo: string }) {
  const steps = comboLabel(combo);
  return (
    <span className="keycaps">
      {steps.map((caps, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: steps are positional (`g` then `e`)
        <span key={i} className="keycaps-step">
          {i > 0 ? <span className="muted"> then </span> : null}
          {caps.map((c) => (
            <kbd key={c} className="kbd">
              {c}
            </kbd>
          ))}
        </span>
      ))}
    </span>
  );
}

/** Every shortcut: the documented ones plus whatever features registered with a description. */
export function HelpOverlay() {
  const close = useShell((s) => s.close);
  const registered = useSyncExternalStore(subscribeShortcuts, snapshot, snapshot);
  const combos = new Set(documentedShortcuts.map((s) => s.combo));
  const all = [...documentedShortcuts, ...registered.filter((s) => !combos.has(s.combo))];
  return (
    <Modal title="Keyboard shortcuts" onClose={close}>
      <table className="table shortcut-table">
        <tbody>
          {all.map((s) => (
            <tr key={s.combo}>
              <td>{s.description}</td>
              <td className="shortcut-keys">
                <KeyCaps combo={s.combo} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
