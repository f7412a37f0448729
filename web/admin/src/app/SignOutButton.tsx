import { useState } from 'react';
import { useAuth } from '../auth/AuthContext.tsx';
import { Button } from '../ui/Button.tsx';

export function SignOutButton({ variant = 'secondary' }: { variant?: 'secondary' | 'ghost' }) {
  const auth = useAuth();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant={variant}
      busy={busy}
      data-testid="sign-out"
      onClick={() => {
        setBusy(true);
        auth.signOut();
      }}
    >
      Sign out
    </Button>
  );
}
