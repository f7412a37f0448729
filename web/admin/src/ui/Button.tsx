import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { Link, useNavigate } from '../router/Router.tsx';

type Variant = 'primary' | 'secondary' | 'danger' | 'ghost';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  /** shows the button as working and keeps it from being pressed twice */
  busy?: boolean;
}

export function Button({ variant = 'secondary', busy = false, type = 'button', className, disabled, children, ...rest }: ButtonProps) {
  return (
    <button type={type} className={['button', `button-${variant}`, className].filter(Boolean).join(' ')} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

/** Navigation that looks like a button (Cancel, Back to list). */
export function ButtonLink({ to, variant = 'secondary', children }: { to: string; variant?: Variant; children: ReactNode }) {
  return (
    <Link to={to} className={`button button-${variant}`}>
      {children}
    </Link>
  );
}

/** A page header's "New …" button, shown only when the admin may create that kind of object. */
export function NewObjectButton({ allowed, to, testId, children }: { allowed: boolean; to: string; testId: string; children: ReactNode }) {
  const navigate = useNavigate();
  if (!allowed) return null;
  return (
    <Button variant="primary" onClick={() => navigate(to)} data-testid={testId}>
      {children}
    </Button>
  );
}
