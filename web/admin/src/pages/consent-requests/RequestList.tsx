import { useState } from 'react';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { type Decision, type RequestRound } from './consentRequestsApi.ts';
import { DecisionDialog } from './DecisionDialog.tsx';

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

/** Each app's request: the app, the permissions asked for, who asked and why; the decision buttons when the signed-in user reviews it. */
export function RequestList({ rounds, empty, decidable, onDecided }: { rounds: RequestRound[]; empty: string; decidable: boolean; onDecided(message: string): void }) {
  const [deciding, setDeciding] = useState<{ round: RequestRound; decision: Decision } | null>(null);
  if (rounds.length === 0) return <p data-testid="consent-requests-empty">{empty}</p>;
  return (
    <>
      <ul className="consent-requests" data-testid="consent-requests-list">
        {rounds.map((round) => (
          <li key={round.id} className="consent-request" data-testid="consent-request" data-app-id={round.appId}>
            <h3>
              {round.appDisplayName} {round.outcome && <Badge tone={round.outcome === 'Approved' ? 'success' : round.outcome === 'Denied' ? 'danger' : 'neutral'}>{round.outcome}</Badge>}
            </h3>
            <p className="field-hint">Application ID: {round.appId}</p>
            <p>
              <strong>Requested permissions:</strong> <span data-testid="consent-request-scopes">{round.pendingScopes.map((s) => s.displayName).join(', ')}</span>
            </p>
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">Requests for {round.appDisplayName}</caption>
                <thead>
                  <tr>
                    <th scope="col">Requested by</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Requested</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {round.requests.map((request) => (
                    <tr key={request.id} data-testid="consent-request-requester">
                      <td>{request.createdBy.user.displayName ?? request.createdBy.user.id}</td>
                      <td className="consent-request-reason">{request.reason}</td>
                      <td>{date(request.createdDateTime)}</td>
                      <td>{request.status === 'InProgress' ? 'Waiting' : request.status}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {round.outcome && round.outcome !== 'Expired' && (
              <p data-testid="consent-request-outcome">
                {round.outcome} by {round.reviewedBy ?? 'a reviewer'}
                {round.justification ? `: ${round.justification}` : ''}
              </p>
            )}
            {decidable && round.pending && round.assignedToMe && (
              <div className="form-actions">
                <Button variant="primary" onClick={() => setDeciding({ round, decision: 'approve' })} data-testid="consent-request-approve">
                  Approve
                </Button>
                <Button onClick={() => setDeciding({ round, decision: 'deny' })} data-testid="consent-request-deny">
                  Deny
                </Button>
                <Button variant="danger" onClick={() => setDeciding({ round, decision: 'block' })} data-testid="consent-request-block">
                  Block
                </Button>
              </div>
            )}
          </li>
        ))}
      </ul>
      {deciding && (
        <DecisionDialog
          round={deciding.round}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
          onDone={() => {
            const { round, decision } = deciding;
            setDeciding(null);
            onDecided(`${round.appDisplayName}: request ${decision === 'approve' ? 'approved' : decision === 'deny' ? 'denied' : 'blocked'}.`);
          }}
        />
      )}
    </>
  );
}
