import { useMemo } from 'react';
import { AccessContext } from '../access/AccessContext.tsx';
import { loadAccess } from '../access/loadAccess.ts';
import { AuthContext } from '../auth/AuthContext.tsx';
import type { AuthSession } from '../auth/session.ts';
import type { AdminConfig } from '../config.ts';
import { GraphClient } from '../graph/client.ts';
import { GraphContext, useGraph } from '../graph/GraphContext.tsx';
import { useResource } from '../hooks/useResource.ts';
import { RouterProvider } from '../router/Router.tsx';
import { LoadError } from '../ui/LoadError.tsx';
import { Loading } from '../ui/Loading.tsx';
import { NoAccessPage } from './NoAccessPage.tsx';
import { Shell } from './Shell.tsx';
import { SignOutButton } from './SignOutButton.tsx';
import { Standalone } from './Standalone.tsx';

export function App({ config, session }: { config: AdminConfig; session: AuthSession }) {
  const graph = useMemo(() => new GraphClient(config.graphBaseUrl, session), [config, session]);
  return (
    <AuthContext value={session}>
      <GraphContext value={graph}>
        <RouterProvider>
          <AccessGate />
        </RouterProvider>
      </GraphContext>
    </AuthContext>
  );
}

/** The console is only for holders of an administrator role; everyone else gets a clear page. */
function AccessGate() {
  const graph = useGraph();
  const access = useResource((signal) => loadAccess(graph, signal), [graph]);
  const { state } = access;

  if (state.status === 'loading') {
    return (
      <Standalone title="Opening the admin center">
        <Loading label="Checking your roles…" />
      </Standalone>
    );
  }
  if (state.status === 'error') {
    return (
      <Standalone title="The admin center couldn't start">
        <LoadError error={state.error} doing="read your directory roles" onRetry={access.reload} />
        <SignOutButton />
      </Standalone>
    );
  }
  if (!state.data.hasAdminRole) return <NoAccessPage user={state.data.user} />;
  return (
    <AccessContext value={state.data}>
      <Shell />
    </AccessContext>
  );
}
