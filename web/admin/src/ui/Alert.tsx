import type { ReactNode } from 'react';

interface AlertProps {
  tone: 'error' | 'success' | 'info' | 'warning';
  title?: string;
  children: ReactNode;
  testId?: string;
}

/** Errors interrupt (role="alert"); confirmations and hints wait their turn (role="status"). */
export function Alert({ tone, title, children, testId }: AlertProps) {
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {title && <p className="alert-title">{title}</p>}
      <div>{children}</div>
    </div>
  );
}
