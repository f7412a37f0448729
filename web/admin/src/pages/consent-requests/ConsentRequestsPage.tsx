import './consent-requests.css';
import { useState } from 'react';
import { useGraph } from '../../graph/GraphContext.tsx';
import { useResource } from '../../hooks/useResource.ts';
import { type ConsentRequestsTab, paths } from '../../router/routes.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Section } from '../../ui/Section.tsx';
import { Tabs } from '../applications/Tabs.tsx';
import { allPendingRounds, decidedRounds, myPendingRounds, type RequestRound } from './consentRequestsApi.ts';
import { RequestList } from './RequestList.tsx';
import { WorkflowSettingsForm } from './WorkflowSettingsForm.tsx';

const LISTS: Record<Exclude<ConsentRequestsTab, 'settings'>, { title: string; empty: string; doing: string; load: typeof myPendingRounds; decidable: boolean }> = {
  pending: { title: 'My pending', empty: 'No requests are waiting for your review.', doing: 'view your pending requests', load: myPendingRounds, decidable: true },
  all: { title: 'All', empty: 'No requests are waiting for a review.', doing: 'view the requests', load: allPendingRounds, decidable: true },
  history: { title: 'History', empty: 'No request has been decided or has expired yet.', doing: 'view the history of requests', load: decidedRounds, decidable: false },
};

/**
 * Entra's "Admin consent requests" (Enterprise applications): the requests waiting for the signed-in
 * reviewer (My pending), all waiting requests, the history, and the workflow's settings.
 */
export function ConsentRequestsPage({ tab }: { tab: ConsentRequestsTab }) {
  return (
    <>
      <PageHeader title="Admin consent requests" subtitle="Users ask for apps they can't consent to themselves; reviewers approve, deny or block them." />
      <Tabs
        label="Admin consent requests"
        tabs={[
          { label: 'My pending', to: paths.consentRequests, testId: 'consent-requests-tab-pending', current: tab === 'pending' },
          { label: 'All', to: paths.consentRequestsTab('all'), testId: 'consent-requests-tab-all', current: tab === 'all' },
          { label: 'History', to: paths.consentRequestsTab('history'), testId: 'consent-requests-tab-history', current: tab === 'history' },
          { label: 'Settings', to: paths.consentRequestsTab('settings'), testId: 'consent-requests-tab-settings', current: tab === 'settings' },
        ]}
      />
      {tab === 'settings' ? (
        <Section title="Admin consent settings" testId="consent-workflow-settings">
          <WorkflowSettingsForm />
        </Section>
      ) : (
        <RoundsSection key={tab} tab={tab} />
      )}
    </>
  );
}

function RoundsSection({ tab }: { tab: Exclude<ConsentRequestsTab, 'settings'> }) {
  const graph = useGraph();
  const list = LISTS[tab];
  const rounds = useResource<RequestRound[]>((signal) => list.load(graph, signal), [graph, tab]);
  const [notice, setNotice] = useState<string | null>(null);
  const { state } = rounds;
  return (
    <Section
      title={list.title}
      testId={`consent-requests-${tab}`}
      actions={
        // requests arrive while the page is open: look again without leaving it
        <Button onClick={rounds.reload} data-testid="consent-requests-refresh">
          Refresh
        </Button>
      }
    >
      {notice && (
        <Alert tone="success" testId="consent-requests-notice">
          {notice}
        </Alert>
      )}
      {state.status === 'loading' ? (
        <Loading />
      ) : state.status === 'error' ? (
        <LoadError error={state.error} doing={list.doing} onRetry={rounds.reload} />
      ) : (
        <RequestList
          rounds={state.data}
          empty={list.empty}
          decidable={list.decidable}
          onDecided={(message) => {
            setNotice(message);
            rounds.reload();
          }}
        />
      )}
    </Section>
  );
}
