import { type ReactNode, useEffect } from 'react';
import { Link } from '../router/Router.tsx';

interface PageHeaderProps {
  title: string;
  subtitle?: ReactNode;
  back?: { to: string; label: string };
  actions?: ReactNode;
}

/** The page's one h1; the shell moves focus to it after navigation, so it is focusable from script. */
export function PageHeader({ title, subtitle, back, actions }: PageHeaderProps) {
  useEffect(() => {
    document.title = `${title} · Tessera admin center`;
  }, [title]);
  return (
    <header className="page-header">
      <div className="page-header-text">
        {back && (
          <Link className="back-link" to={back.to}>
            <span aria-hidden="true">← </span>
            {back.label}
          </Link>
        )}
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {subtitle && <div className="page-subtitle">{subtitle}</div>}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
