import type { ReactNode } from 'react';
import { Modal } from './modal';

export interface ConfirmDialogProps {
  title: string;
  /** what will happen, in plain words */
  message: ReactNode;
  /** the confirm button's label, e.g. "Delete endpoint" */
  confirmLabel: string;
  /** red confirm button for destructive actions */
  danger?: boolean;
  /** disables the buttons while the action runs */
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  /** shown under the message, e.g. an ErrorText */
  error?: ReactNode;
}

export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onCancel,
  error,
}: ConfirmDialogProps) {
  return (
    <Modal
      title={title}
      onClose={onCancel}
      className="modal-narrow"
      initialFocus="[data-confirm]"
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            data-confirm
            className={danger ? 'btn btn-danger-solid' : 'btn btn-primary'}
            onClick={onConfirm}
            disabled={busy}
          >
            {busy ? 'Working…' : confirmLabel}
          </button>
        </>
      }
    >
      <div className="stack">
        <div>{message}</div>
        {error}
      </div>
    </Modal>
  );
}
