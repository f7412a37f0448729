import { useState } from 'react';
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts';

/** What the admin types into a list's search box, and the trimmed term the list queries once typing pauses. */
export function useSearchTerm() {
  const [search, setSearch] = useState('');
  const term = useDebouncedValue(search.trim(), 300);
  return { search, setSearch, term };
}

interface SearchFieldProps {
  /** also the test id */
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onChange(value: string): void;
}

/** An inline search box for a list's toolbar. */
export function SearchField({ id, label, placeholder, value, onChange }: SearchFieldProps) {
  return (
    <div className="field field-inline">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="search"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder={placeholder}
        autoComplete="off"
        data-testid={id}
      />
    </div>
  );
}
