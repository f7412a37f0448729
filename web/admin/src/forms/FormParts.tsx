import type { ReactNode } from 'react';
import { Alert } from '../ui/Alert.tsx';
import { Button, ButtonLink } from '../ui/Button.tsx';

/**
 * The top of a form: the error that belongs to no field, the success notice (both from `useForm`)
 * and, when given, a note on what the admin may change.
 */
export function FormStatus({ form, note }: { form: { formError: string | null; notice: string | null }; note?: ReactNode }) {
  return (
    <>
      {form.formError && <Alert tone="error">{form.formError}</Alert>}
      {form.notice && <Alert tone="success">{form.notice}</Alert>}
      {note && <p className="form-note">{note}</p>}
    </>
  );
}

/** The submit button (busy while the form submits) and, when `cancelTo` is given, a Cancel link. */
export function FormActions({ submitting, label = 'Save', cancelTo }: { submitting: boolean; label?: string; cancelTo?: string }) {
  return (
    <div className="form-actions">
      <Button type="submit" variant="primary" busy={submitting}>
        {label}
      </Button>
      {cancelTo !== undefined && <ButtonLink to={cancelTo}>Cancel</ButtonLink>}
    </div>
  );
}
