import type { ChangeEvent, InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
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

interface ValueField extends FieldFrame {
  value: string;
  onChange(value: string): void;
}

/**
 * Splits a field's props into its frame, the attributes its control carries (id and name, value,
 * change handler, state for assistive technology) and the rest, which go to the control as given.
 */
function fieldParts<P extends ValueField>({ id, label, error, hint, required, value, onChange, ...rest }: P) {
  const frame: FieldFrame = { id, label, error, hint, required };
  const control = {
    id,
    name: id,
    value,
    onChange: (event: ChangeEvent<{ value: string }>) => onChange(event.target.value),
    'aria-invalid': error ? true : undefined,
    'aria-required': required || undefined,
    'aria-describedby': describedBy(frame),
  };
  return { frame, control, rest };
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

type TextFieldProps = ValueField &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'onChange' | 'value' | 'required'> & {
    /** a control next to the input, such as "Generate password" */
    after?: ReactNode;
  };

export function TextField({ after, ...props }: TextFieldProps) {
  const { frame, control, rest } = fieldParts(props);
  return (
    <Frame frame={frame} after={after}>
      <input {...control} {...rest} />
    </Frame>
  );
}

type TextAreaFieldProps = ValueField & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id' | 'onChange' | 'value' | 'required'>;

export function TextAreaField(props: TextAreaFieldProps) {
  const { frame, control, rest } = fieldParts(props);
  return (
    <Frame frame={frame}>
      <textarea {...control} {...rest} />
    </Frame>
  );
}

type SelectFieldProps = ValueField & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id' | 'onChange' | 'value' | 'required'> & { children: ReactNode };

export function SelectField(props: SelectFieldProps) {
  const { frame, control, rest } = fieldParts(props);
  return (
    <Frame frame={frame}>
      <select {...control} {...rest} />
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
