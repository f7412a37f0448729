import { type ReactNode, useEffect } from 'react';

/** A single-message page outside the console: signing in, signed out, no access, errors. */
export function Standalone({ title, children, testId }: { title: string; children?: ReactNode; testId?: string }) {
  useEffect(() => {
    document.title = `${title} · Tessera admin center`;
  }, [title]);
  return (
    <main className="standalone" data-testid={testId}>
      <div className="standalone-card">
        <p className="brand brand-standalone" aria-hidden="true">
          <span className="brand-mark" />
          Tessera <span className="brand-sub">admin center</span>
        </p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
