import { useEffect, useState } from 'react';
import { startSignIn } from '../auth/oidc.ts';
import type { AdminConfig } from '../config.ts';
import { Alert } from '../ui/Alert.tsx';
import { Button } from '../ui/Button.tsx';
import { Loading } from '../ui/Loading.tsx';
import { App } from './App.tsx';
import { Standalone } from './Standalone.tsx';
import { type Startup, start } from './start.ts';

function SignInButton({ config, label }: { config: AdminConfig; label: string }) {
  const [busy, setBusy] = useState(false);
  return (
    <Button
      variant="primary"
      busy={busy}
      onClick={() => {
        setBusy(true);
        void startSignIn(config, import.meta.env.BASE_URL);
      }}
    >
      {label}
    </Button>
  );
}

export function StartupView() {
  const [startup, setStartup] = useState<Startup | null>(null);

  useEffect(() => {
    start().then(setStartup, (error: unknown) =>
      setStartup({ kind: 'failed', message: error instanceof Error ? error.message : String(error), config: null }),
    );
  }, []);

  if (startup === null || startup.kind === 'redirecting') {
    return (
      <Standalone title="Signing in">
        <Loading label="Taking you to sign-in…" />
      </Standalone>
    );
  }
  switch (startup.kind) {
    case 'ready':
      return <App config={startup.config} session={startup.session} />;
    case 'signedOut':
      return (
        <Standalone title="You're signed out" testId="signed-out">
          <p>You have signed out of the Tessera admin center.</p>
          <SignInButton config={startup.config} label="Sign in" />
        </Standalone>
      );
    case 'failed':
      return (
        <Standalone title="Sign-in didn't complete" testId="sign-in-failed">
          <Alert tone="error">{startup.message}</Alert>
          {startup.config && <SignInButton config={startup.config} label="Sign in again" />}
        </Standalone>
      );
  }
}
