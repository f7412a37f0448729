import type { ReactNode } from 'react';

interface RadioGroupFieldProps<V extends string> {
  /** the group's id; each option's input is `{id}-{value}` */
  id: string;
  legend: string;
  hint?: ReactNode;
  options: readonly { value: V; label: string }[];
  value: V;
  onChange(value: V): void;
  disabled?: boolean;
  error?: string | undefined;
}

/**
 * A set of mutually exclusive choices as native radio buttons in a fieldset: arrow keys move
 * between them, the legend names the group. The fieldset carries the group's id (focusable from
 * script), so an API error about the property can move focus to it.
 */
export function RadioGroupField<V extends string>({ id, legend, hint, options, value, onChange, disabled, error }: RadioGroupFieldProps<V>) {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset id={id} className={`field radio-group${error ? ' field-invalid' : ''}`} tabIndex={-1} aria-describedby={describedBy} data-testid={id}>
      <legend>{legend}</legend>
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {options.map((option) => (
        <div className="radio-option" key={option.value}>
          <input
            type="radio"
            id={`${id}-${option.value}`}
            name={id}
            value={option.value}
            checked={value === option.value}
            disabled={disabled}
            onChange={() => onChange(option.value)}
          />
          <label htmlFor={`${id}-${option.value}`}>{option.label}</label>
        </div>
      ))}
      {error && (
        <p className="field-error" id={`${id}-error`} data-testid={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
