import { type FormEvent, useCallback, useState } from 'react';
import { describeError, fieldOfError, GraphError } from '../graph/errors.ts';

type Values = Record<string, string | boolean>;
type FieldErrors<V> = Partial<Record<keyof V & string, string>>;

interface FormOptions<V extends Values> {
  /** prefix of the field ids (`new-user` gives `new-user-displayName`) */
  id: string;
  initial: V;
  /**
   * API property names → form fields, so that an API error naming a property (a duplicate
   * userPrincipalName, say) is shown beside the field it concerns rather than above the form.
   */
  apiFields: Readonly<Record<string, keyof V & string>>;
}

interface SubmitOptions<V extends Values> {
  validate(values: V): FieldErrors<V>;
  /** for messages such as "You don't have permission to create users." */
  doing: string;
  /** does the work; a returned string is shown as a success message */
  run(values: V): Promise<string | void>;
}

export function useForm<V extends Values>({ id, initial, apiFields }: FormOptions<V>) {
  const [values, setValues] = useState<V>(initial);
  const [errors, setErrors] = useState<FieldErrors<V>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const fieldId = useCallback((name: keyof V & string) => `${id}-${name}`, [id]);

  const set = useCallback(<K extends keyof V & string>(name: K, value: V[K]) => {
    setValues((current) => ({ ...current, [name]: value }));
    // An edited field's old complaint no longer applies.
    setErrors((current) => (current[name] === undefined ? current : { ...current, [name]: undefined }));
    setNotice(null);
  }, []);

  /** Props for a TextField / SelectField bound to a string value. */
  const text = (name: keyof V & string) => ({
    id: fieldId(name),
    value: String(values[name]),
    onChange: (value: string) => set(name, value as V[typeof name]),
    error: errors[name],
  });

  const reset = useCallback((next: V) => {
    setValues(next);
    setErrors({});
    setFormError(null);
  }, []);

  const focusField = (name: string) => document.getElementById(`${id}-${name}`)?.focus();

  const submit =
    ({ validate, doing, run }: SubmitOptions<V>) =>
    async (event: FormEvent) => {
      event.preventDefault();
      setFormError(null);
      setNotice(null);
      const found = validate(values);
      setErrors(found);
      const firstInvalid = Object.keys(found).find((name) => found[name as keyof V & string] !== undefined);
      if (firstInvalid) {
        focusField(firstInvalid);
        return;
      }
      setSubmitting(true);
      try {
        const message = await run(values);
        if (message) setNotice(message);
      } catch (error) {
        const field = error instanceof GraphError && error.status !== 403 ? fieldOfError(error, Object.keys(apiFields)) : null;
        const target = field === null ? undefined : apiFields[field];
        if (error instanceof GraphError && target !== undefined) {
          setErrors({ [target]: error.message } as FieldErrors<V>);
          focusField(target);
        } else {
          setFormError(describeError(error, doing));
        }
      } finally {
        setSubmitting(false);
      }
    };

  return { values, set, text, errors, formError, notice, submitting, reset, submit, fieldId };
}
