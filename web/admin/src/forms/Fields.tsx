import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { countries } from './countries.ts';

interface FieldFrame {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
  required?: boolean;
}

/** Label, hint and error wired to the control with aria-describedby / aria-invalid. */
function describedBy({ id, error, hint }: FieldFrame): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

function Frame({ frame, children, after }: { frame: FieldFrame; children: ReactNode; after?: ReactNode }) {
  return (
    <div className={`field${frame.error ? ' field-invalid' : ''}`}>
      <div className="field-label">
        <label htmlFor={frame.id}>{frame.label}</label>
        {/* outside the label, so the accessible name stays the label; aria-required tells assistive technology */}
        {frame.required && (
          <span className="required-mark" aria-hidden="true">
            required
          </span>
        )}
      </div>
      {frame.hint && (
        <p className="field-hint" id={`${frame.id}-hint`}>
          {frame.hint}
        </p>
      )}
      <div className="field-control">
        {children}
        {after}
      </div>
      {frame.error && (
        <p className="field-error" id={`${frame.id}-error`} data-testid={`${frame.id}-error`}>
          {frame.error}
        </p>
      )}
    </div>
  );
}

type TextFieldProps = FieldFrame &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value' | 'required'> & {
    value: string;
    onChange(value: string): void;
    /** a control next to the input, such as "Generate password" */
    after?: ReactNode;
  };

export function TextField({ id, label, error, hint, required, value, onChange, after, ...input }: TextFieldProps) {
  const frame = { id, label, error, hint, required };
  return (
    <Frame frame={frame} after={after}>
      <input
        id={id}
        name={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy(frame)}
        {...input}
      />
    </Frame>
  );
}

type TextAreaFieldProps = FieldFrame &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'onChange' | 'value' | 'required'> & { value: string; onChange(value: string): void };

export function TextAreaField({ id, label, error, hint, required, value, onChange, ...textarea }: TextAreaFieldProps) {
  const frame = { id, label, error, hint, required };
  return (
    <Frame frame={frame}>
      <textarea
        id={id}
        name={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy(frame)}
        {...textarea}
      />
    </Frame>
  );
}

type SelectFieldProps = FieldFrame &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'onChange' | 'value' | 'required'> & { value: string; onChange(value: string): void; children: ReactNode };

export function SelectField({ id, label, error, hint, required, value, onChange, children, ...select }: SelectFieldProps) {
  const frame = { id, label, error, hint, required };
  return (
    <Frame frame={frame}>
      <select
        id={id}
        name={id}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-required={required || undefined}
        aria-describedby={describedBy(frame)}
        {...select}
      >
        {children}
      </select>
    </Frame>
  );
}

/** ISO countries by name; the value is the two-letter code Graph stores. */
export function CountryField(props: Omit<SelectFieldProps, 'children'> & { emptyLabel: string }) {
  const { emptyLabel, ...rest } = props;
  return (
    <SelectField {...rest}>
      <option value="">{emptyLabel}</option>
      {countries.map((country) => (
        <option key={country.code} value={country.code}>
          {country.name} ({country.code})
        </option>
      ))}
    </SelectField>
  );
}

type CheckboxFieldProps = { id: string; label: string; hint?: ReactNode; checked: boolean; onChange(checked: boolean): void; disabled?: boolean };

export function CheckboxField({ id, label, hint, checked, onChange, disabled }: CheckboxFieldProps) {
  return (
    <div className="field field-checkbox">
      <input
        type="checkbox"
        id={id}
        name={id}
        checked={checked}
        disabled={disabled}
        onChange={(event) => onChange(event.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
