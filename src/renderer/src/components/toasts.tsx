import { create } from 'zustand';

export type ToastKind = 'info' | 'success' | 'error';

/** A link shown in a toast, e.g. to the endpoint that was just disabled. */
export interface ToastLink {
  href: string;
  label: string;
}

interface ToastItem {
  id: number;
  message: string;
  kind: ToastKind;
  link?: ToastLink;
}

interface ToastState {
  toasts: ToastItem[];
  push: (message: string, kind: ToastKind, link?: ToastLink) => number;
  dismiss: (id: number) => void;
}

let nextId = 1;
const DISMISS_MS = { info: 3500, success: 3500, error: 7000 } as const;

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  push: (message, kind, link) => {
    const id = nextId++;
    // keep the last few; a burst of errors should not cover the page
    set((s) => ({ toasts: [...s.toasts.slice(-3), { id, message, kind, ...(link ? { link } : {}) }] }));
    setTimeout(() => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })), DISMISS_MS[kind]);
    return id;
  },
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a short message at the bottom right; returns its id for `dismissToast`. */
export function toast(message: string, kind: ToastKind = 'info', link?: ToastLink): number {
  return useToasts.getState().push(message, kind, link);
}

/** Takes a toast away before its time (e.g. the problem it reported is fixed). */
export function dismissToast(id: number): void {
  useToasts.getState().dismiss(id);
}

export function Toaster() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toast-area" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.kind}`}>
          <span>{t.message}</span>
          {t.link ? (
            <a className="toast-link" href={t.link.href}>
              {t.link.label}
            </a>
          ) : null}
          <button type="button" className="toast-close" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ✕
          </button>
        </div>
      ))}
    </div>
  );
}
