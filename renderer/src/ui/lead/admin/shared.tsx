/** Small pieces the accounts, GDPR and audit sections share: field errors from the server's answer, a status line. */
import { useId, type ReactNode } from 'react';
import type { DeskT } from '../../../i18n/typing';
import { ApiError } from '../../../api/client';
import { codeMessage, errorMessage } from '../../errors';

/** The server's refusal split into a message at its field (when the form has that field) and one for the form. */
export interface FormErrors {
  fields: Record<string, string>;
  form: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, form: null };

export function formErrors(t: DeskT, err: unknown, formFields: readonly string[]): FormErrors {
  if (err instanceof ApiError && err.field) {
    const field = err.field.split('.')[0] ?? err.field;
    if (formFields.includes(field)) return { fields: { [field]: codeMessage(t, err.code) }, form: null };
  }
  return { fields: {}, form: errorMessage(t, err) };
}

/** A labelled field with its error under it (announced, and named by the input's aria-describedby). */
export function Field({ label, error, children }: { label: string; error?: string | undefined; children: (props: { 'aria-invalid': boolean; 'aria-describedby'?: string }) => ReactNode }) {
  const id = useId();
  return (
    <label className="admin-field">
      <span>{label}</span>
      {children({ 'aria-invalid': error !== undefined, ...(error !== undefined ? { 'aria-describedby': id } : {}) })}
      {error !== undefined && (
        <span id={id} className="error field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

export function FormError({ text }: { text: string | null }) {
  return text === null ? null : (
    <p className="error" role="alert">
      {text}
    </p>
  );
}
