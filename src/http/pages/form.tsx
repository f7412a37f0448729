import { createContext, type ReactNode, useContext } from 'react';
import { CSRF_FIELD } from './csrf.ts';
import { usePage } from './page-context.ts';

/** Error text per field name; entries in field order, so the first one gets focus. */
export type FieldErrors = Readonly<Record<string, string | undefined>>;

interface FormState {
  errors: Readonly<Record<string, string>>;
  firstInvalid: string | null;
}

const FormContext = createContext<FormState | null>(null);

/** The hidden CSRF token field. `<Form>` includes it; a hand-written `<form method="post">` must too. */
export function CsrfField() {
  return <input type="hidden" name={CSRF_FIELD} value={usePage().csrfToken} />;
}

/**
 * A POST form with its CSRF token. Given `errors`, it lists them at the top in a summary that
 * screen readers announce (role="alert") with links to the fields, shows each under its field,
 * and focuses the first invalid field. Browser validation is off (`novalidate`) so every message
 * comes from the server, in the page's language. Without `action` it posts to the current URL.
 */
export function Form({ action, errors = {}, children }: { action?: string; errors?: FieldErrors; children: ReactNode }) {
  const invalid = Object.entries(errors).filter((entry): entry is [string, string] => Boolean(entry[1]));
  const state: FormState = { errors: Object.fromEntries(invalid), firstInvalid: invalid[0]?.[0] ?? null };
  return (
    <FormContext value={state}>
      <form className="form" method="post" action={action} noValidate>
        <CsrfField />
        {invalid.length > 0 && <ErrorSummary errors={invalid} />}
        {children}
      </form>
    </FormContext>
  );
}

function ErrorSummary({ errors }: { errors: readonly [string, string][] }) {
  const { t } = usePage();
  return (
    <div className="alert alert--error" role="alert">
      <strong className="alert-title">{t('form.errorSummaryTitle')}</strong>
      <ul>
        {errors.map(([name, message]) => (
          <li key={name}>
            <a href={`#${fieldId(name)}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

const fieldId = (name: string) => `field-${name}`;

export interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'url' | 'search';
  /** The value to show again after a failed POST; never rendered for passwords. */
  value?: string;
  hint?: string;
  autoComplete?: string;
  /** Focus this field when the form has no errors (with errors, the first invalid field wins). */
  autoFocus?: boolean;
  required?: boolean;
  maxLength?: number;
  inputMode?: 'text' | 'email' | 'tel' | 'url' | 'numeric' | 'search';
  /** false for user names and codes, where spelling correction and capitals only get in the way. */
  spellCheck?: boolean;
}

/** A labelled text input; its hint and error are tied to it with aria-describedby. Use inside `<Form>`. */
export function Field({ name, label, type = 'text', value, hint, autoFocus, spellCheck, ...input }: FieldProps) {
  const form = useContext(FormContext);
  if (!form) throw new Error(`<Field name="${name}"> must be inside a <Form>`);
  const { t } = usePage();
  const id = fieldId(name);
  const error = form.errors[name];
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className={error ? 'field field--invalid' : 'field'}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          <span className="visually-hidden">{t('form.errorPrefix')} </span>
          {error}
        </p>
      )}
      <input
        {...input}
        className="field-input"
        id={id}
        name={name}
        type={type}
        defaultValue={type === 'password' ? undefined : value}
        aria-describedby={describedBy || undefined}
        aria-invalid={error ? true : undefined}
        autoFocus={form.firstInvalid === null ? autoFocus : form.firstInvalid === name}
        spellCheck={spellCheck}
        autoCapitalize={spellCheck === false ? 'none' : undefined}
      />
    </div>
  );
}

/**
 * A submit button, or with `href` a link that looks like one. Pressing Enter in a field submits
 * with the form's first submit button, so a secondary action placed before the primary one
 * ("Back" before "Next") should be a link, not a second submit button.
 */
export function Button({
  children,
  variant = 'primary',
  href,
  name,
  value,
  form,
  autoFocus,
}: {
  children: ReactNode;
  variant?: 'primary' | 'secondary';
  href?: string;
  name?: string;
  value?: string;
  /** The id of the form this button submits, when it stands outside it. */
  form?: string;
  autoFocus?: boolean;
}) {
  const className = `button button--${variant}`;
  if (href !== undefined) {
    return (
      <a className={className} href={href}>
        {children}
      </a>
    );
  }
  return (
    <button className={className} type="submit" name={name} value={value} form={form} autoFocus={autoFocus}>
      {children}
    </button>
  );
}

/** The row of buttons at the end of a form: right-aligned, primary last (as on Microsoft's sign-in). */
export function Actions({ children, align = 'end' }: { children: ReactNode; align?: 'start' | 'end' }) {
  return <div className={align === 'end' ? 'actions' : 'actions actions--start'}>{children}</div>;
}
