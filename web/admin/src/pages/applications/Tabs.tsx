import { Link } from '../../router/Router.tsx';

export interface TabLink {
  label: string;
  to: string;
  testId: string;
  current: boolean;
}

/** An object's pages (Overview, Permissions, ...) as tabs under its heading; real links, so each tab has its own address. */
export function Tabs({ label, tabs }: { label: string; tabs: readonly TabLink[] }) {
  return (
    <nav className="subnav" aria-label={label}>
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <Link to={tab.to} aria-current={tab.current ? 'page' : undefined} data-testid={tab.testId}>
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
