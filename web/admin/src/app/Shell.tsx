import { useEffect, useRef, useState } from 'react';
import { useAccess } from '../access/AccessContext.tsx';
import { Actions } from '../access/roles.ts';
import { useGraph } from '../graph/GraphContext.tsx';
import { getOrganization } from '../graph/organization.ts';
import { useResource } from '../hooks/useResource.ts';
import { Link, useLocation } from '../router/Router.tsx';
import { Alert } from '../ui/Alert.tsx';
import { isActive, navItems } from './navigation.ts';
import { PageView } from './PageView.tsx';
import { SignOutButton } from './SignOutButton.tsx';

/** The console frame: top bar with tenant and account, navigation, and the current page. */
export function Shell() {
  const access = useAccess();
  const graph = useGraph();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);
  const canReadOrganization = access.can(Actions.readOrganization);
  const organization = useResource((signal) => (canReadOrganization ? getOrganization(graph, signal) : Promise.resolve(null)), [graph, canReadOrganization]);
  const tenantName = organization.state.status === 'ready' ? organization.state.data?.displayName : undefined;

  // After in-app navigation, move focus to the new page's heading, as a full page load would reset it.
  // Dependencies: runs on every navigation
  useEffect(() => {
    setMenuOpen(false);
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = document.getElementById('page-title');
    (heading ?? main.current)?.focus();
  }, [location.path]);

  // The notice belongs to this visit of the page; a reload must not show "User created" again.
  useEffect(() => {
    if (location.notice) window.history.replaceState(null, '', window.location.href);
  }, [location.notice]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span className="menu-icon" aria-hidden="true" />
          <span className="visually-hidden">Menu</span>
        </button>
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Tessera <span className="brand-sub">admin center</span>
        </Link>
        {tenantName && (
          <span className="topbar-tenant" data-testid="tenant-name">
            {tenantName}
          </span>
        )}
        <div className="topbar-account">
          <span className="account-name">
            <span>{access.user.displayName || access.user.userPrincipalName}</span>
            <span className="account-upn">{access.user.userPrincipalName}</span>
          </span>
          <SignOutButton variant="ghost" />
        </div>
      </header>
      <div className="layout">
        <nav id="sidebar" className={`sidebar${menuOpen ? ' sidebar-open' : ''}`} aria-label="Admin center">
          <ul>
            {navItems
              .filter((item) => access.can(item.needs))
              .map((item) => (
                <li key={item.to}>
                  <Link to={item.to} data-testid={item.testId} aria-current={isActive(item, location.path) ? 'page' : undefined}>
                    {item.label}
                  </Link>
                </li>
              ))}
          </ul>
          <p className="sidebar-roles">Your roles: {access.roles.map((role) => role.displayName).join(', ')}</p>
        </nav>
        <main id="main" ref={main} tabIndex={-1}>
          {location.notice && (
            <Alert tone="success" testId="notice">
              {location.notice}
            </Alert>
          )}
          <PageView path={location.path} />
        </main>
      </div>
    </div>
  );
}
