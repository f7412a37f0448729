import { type FormEvent, useId, useState } from 'react';
import { TextAreaField } from '../../forms/Fields.tsx';
import { describeError } from '../../graph/errors.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { Modal } from '../../ui/Modal.tsx';
import { type Decision, decide, type RequestRound } from './consentRequestsApi.ts';

const TEXT: Record<Decision, { title: string; confirm: string; doing: string; lead: string; required: boolean }> = {
  approve: {
    title: 'Approve the request',
    confirm: 'Approve',
    doing: 'approve the request',
    lead: 'Approving grants admin consent for everyone in the organization to the permissions listed, and tells every requester.',
    required: false,
  },
  deny: {
    title: 'Deny the request',
    confirm: 'Deny',
    doing: 'deny the request',
    lead: 'The requesters are told, with your justification. They may ask again later.',
    required: true,
  },
  block: {
    title: 'Block the app',
    confirm: 'Block',
    doing: 'block the app',
    lead: 'The app is disabled in this organization: nobody can sign in to it or ask for it any more. The requesters are told, with your justification.',
    required: true,
  },
};

const MAX = 500;

/** Approve, Deny or Block one app's request (Deny and Block need a justification, as in Entra). */
export function DecisionDialog({ round, decision, onDone, onClose }: { round: RequestRound; decision: Decision; onDone(): void; onClose(): void }) {
  const graph = useGraph();
  const text = TEXT[decision];
  const fieldId = useId();
  const [justification, setJustification] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const value = justification.trim();
    if (text.required && !value) return setFieldError('Enter a justification.');
    if (value.length > MAX) return setFieldError(`At most ${MAX} characters.`);
    setFieldError(undefined);
    setBusy(true);
    setError(null);
    try {
      await decide(graph, round.id, decision, value);
      onDone();
    } catch (failure) {
      setError(describeError(failure, text.doing));
      setBusy(false);
    }
  };

  return (
    <Modal title={`${text.title}: ${round.appDisplayName}`} onClose={onClose} testId={`decision-dialog-${decision}`}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <p>{text.lead}</p>
        <TextAreaField
          id={fieldId}
          label={text.required ? 'Justification' : 'Justification (optional)'}
          hint="The requesters see this in the e-mail that tells them the outcome."
          value={justification}
          onChange={setJustification}
          error={fieldError}
          required={text.required}
          rows={3}
          maxLength={MAX}
          disabled={busy}
          data-autofocus
          data-testid="decision-justification"
        />
        {error && <Alert tone="error">{error}</Alert>}
        <div className="form-actions">
          <Button type="submit" variant={decision === 'approve' ? 'primary' : 'danger'} busy={busy} data-testid="decision-confirm">
            {text.confirm}
          </Button>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}
