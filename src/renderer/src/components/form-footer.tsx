/** The footer of a modal or drawer that edits a form: Cancel, and a submit button bound to the form by id. */
export interface FormFooterProps {
  /** id of the <form> the submit button submits */
  formId: string;
  onCancel: () => void;
  /** the submit label, e.g. "Save changes" */
  submitLabel: string;
  /** shown while the mutation runs, e.g. "Saving…" */
  pendingLabel: string;
  pending: boolean;
}

export function FormFooter({ formId, onCancel, submitLabel, pendingLabel, pending }: FormFooterProps) {
  return (
    <>
      <button type="button" className="btn" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" form={formId} className="btn btn-primary" disabled={pending}>
        {pending ? pendingLabel : submitLabel}
      </button>
    </>
  );
}
