import { type ReactNode, useEffect, useId, useRef } from 'react';
import { createPortal } from 'react-dom';
import { useShortcut } from '../app/shortcuts';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"]), [contenteditable="true"]';

export interface ModalProps {
  /** heading, also the dialog's accessible name */
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** `drawer` slides in from the right and keeps the page visible; default `dialog` */
  variant?: 'dialog' | 'drawer';
  /** extra class on the dialog box, e.g. a width */
  className?: string;
  /** footer row (buttons), right-aligned */
  footer?: ReactNode;
  /** element to focus first (a selector inside the dialog); default the first field or button */
  initialFocus?: string;
  /** keep the title for screen readers only (the quick switcher has no visible header) */
  hideTitle?: boolean;
}

/** A dialog in a portal: Esc and a click outside close it, Tab stays inside, focus returns on close. */
export function Modal({
  title,
  onClose,
  children,
  variant = 'dialog',
  className = '',
  footer,
  initialFocus,
  hideTitle,
}: ModalProps) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useShortcut('escape', () => {
    onClose();
    return true;
  });

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const box = ref.current;
    const first =
      (initialFocus ? box?.querySelector<HTMLElement>(initialFocus) : null) ??
      box?.querySelector<HTMLElement>('input, select, textarea');
    // with no field to type in, focus the dialog itself rather than lighting up its close button
    (first ?? box)?.focus();
    return () => previous?.focus?.();
  }, [initialFocus]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const items = [...ref.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    if (items.length === 0) return;
    const firstItem = items[0];
    const lastItem = items[items.length - 1];
    if (e.shiftKey && document.activeElement === firstItem) {
      e.preventDefault();
      lastItem?.focus();
    } else if (!e.shiftKey && document.activeElement === lastItem) {
      e.preventDefault();
      firstItem?.focus();
    }
  };

  return createPortal(
    // biome-ignore lint/a11y/noStaticElementInteractions: a click on the backdrop closes; Esc is the keyboard path
    <div
      className={`overlay ${variant === 'drawer' ? 'overlay-drawer' : ''}`}
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div
        ref={ref}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        className={`${variant === 'drawer' ? 'drawer' : 'modal'} ${className}`}
        onKeyDown={onKeyDown}
      >
        {hideTitle ? (
          <h2 id={titleId} className="visually-hidden">
            {title}
          </h2>
        ) : (
          <div className="modal-header">
            <h2 id={titleId}>{title}</h2>
            <button type="button" className="btn btn-ghost btn-sm" aria-label="Close" onClick={onClose}>
              ✕
            </button>
          </div>
        )}
        <div className="modal-body">{children}</div>
        {footer ? <div className="modal-footer">{footer}</div> : null}
      </div>
    </div>,
    document.body,
  );
}
