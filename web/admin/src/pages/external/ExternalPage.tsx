import type { ReactNode } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { externalPaths } from '../../router/externalRoutes.ts';
import { Link, useLocation } from '../../router/Router.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { useExternalSection } from './ExternalContext.tsx';

interface Tab {
  label: string;
  to: string;
  testId: string;
}

/** The section's pages as tabs under each page's heading; only those the admin may open. */
function ExternalTabs() {
  const access = useAccess();
  const section = useExternalSection();
  const { path } = useLocation();
  const tabs: Tab[] = [
    { label: 'Guest users', to: externalPaths.guests, testId: 'external-tab-guests' },
    ...(section.showInvitePages
      ? [
          { label: 'Invite external user', to: externalPaths.invite, testId: 'external-tab-invite' },
          { label: 'Bulk invite', to: externalPaths.bulk, testId: 'external-tab-bulk' },
        ]
      : []),
    ...(access.can(Actions.readPolicies) ? [{ label: 'External collaboration settings', to: externalPaths.settings, testId: 'external-tab-settings' }] : []),
  ];
  const current = (tab: Tab) => (tab.to === externalPaths.guests ? path === tab.to || path.startsWith(`${tab.to}/guests`) : path === tab.to || path.startsWith(`${tab.to}/`));
  return (
    <nav className="subnav" aria-label="External identities">
      <ul>
        {tabs.map((tab) => (
          <li key={tab.to}>
            <Link to={tab.to} aria-current={current(tab) ? 'page' : undefined} data-testid={tab.testId}>
              {tab.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A page of the section: its heading, the section's tabs, then the page. */
export function ExternalPage({
  title,
  subtitle,
  back,
  actions,
  children,
}: {
  title: string;
  subtitle?: ReactNode;
  back?: { to: string; label: string };
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <PageHeader title={title} subtitle={subtitle} back={back} actions={actions} />
      {!back && <ExternalTabs />}
      {children}
    </>
  );
}
