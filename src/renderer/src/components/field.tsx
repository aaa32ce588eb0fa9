import type { ReactNode } from 'react';

export interface FieldProps {
  label: ReactNode;
  /** id of the control the label is for */
  htmlFor: string;
  /** inline validation message (shown in red, linked with aria-describedby by the caller via `${htmlFor}-error`) */
  error?: string | null;
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
}

/** A labelled form control with its hint and inline error. */
export function Field({ label, htmlFor, error, hint, children, className = '' }: FieldProps) {
  return (
    <div className={`field ${className}`}>
      <label htmlFor={htmlFor}>{label}</label>
      {children}
      {error ? (
        <span className="field-error" id={`${htmlFor}-error`}>
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint">{hint}</span>
      ) : null}
    </div>
  );
}

/** Props that mark a control invalid and point it at its error message. */
export function invalidProps(id: string, error: string | null | undefined) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};
}
