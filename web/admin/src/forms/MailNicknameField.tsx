import { type ReactNode, useState } from 'react';
import { TextField } from './Fields.tsx';
import { suggestMailNickname } from './nicknames.ts';

/**
 * A mail nickname that follows another field (the display name, the alias of the user principal
 * name) until the admin types one of their own.
 */
export function useSuggestedNickname(setNickname: (value: string) => void) {
  const [touched, setTouched] = useState(false);
  return {
    /** call with the source field's new value */
    follow: (source: string) => {
      if (!touched) setNickname(suggestMailNickname(source));
    },
    /** the nickname field's own change handler */
    edit: (value: string) => {
      setTouched(true);
      setNickname(value);
    },
  };
}

interface MailNicknameFieldProps {
  id: string;
  value: string;
  error?: string | undefined;
  hint: ReactNode;
  onChange(value: string): void;
}

export function MailNicknameField(props: MailNicknameFieldProps) {
  return <TextField label="Mail nickname" required autoComplete="off" spellCheck={false} {...props} />;
}
