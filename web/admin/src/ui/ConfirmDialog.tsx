import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { TextField } from '../forms/Fields.tsx';
import { describeError } from '../graph/errors.ts';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';
import { Modal } from './Modal.tsx';

/** Entra-style typed confirmation: the confirm button stays disabled until the typed text matches. */
export interface TypedConfirmation {
  label: string;
  hint?: ReactNode;
  matches(typed: string): boolean;
}

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** for the error message: "delete users" */
  doing: string;
  /** ask for a name to be typed before the confirm button works (deleting an administrator, say) */
  typedConfirmation?: TypedConfirmation | undefined;
  onConfirm(): Promise<void>;
  onClose(): void;
}

/**
 * Asks before something that cannot be undone; the safe choice has the focus, or, when a name must
 * be typed, the field to type it in (Enter then confirms, once the name matches).
 */
export function ConfirmDialog({ title, children, confirmLabel, doing, typedConfirmation, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const typedId = useId();
  const confirmed = !typedConfirmation || typedConfirmation.matches(typed);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!confirmed || busy) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
    } catch (failure) {
      setError(describeError(failure, doing));
      setBusy(false);
    }
  };

  return (
    <Modal title={title} onClose={onClose} testId="confirm-dialog">
      <form onSubmit={(event) => void confirm(event)} noValidate>
        <div className="confirm-text">{children}</div>
        {typedConfirmation && (
          <TextField
            id={typedId}
            label={typedConfirmation.label}
            hint={typedConfirmation.hint}
            value={typed}
            onChange={setTyped}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            disabled={busy}
            data-autofocus
          />
        )}
        {error && <Alert tone="error">{error}</Alert>}
        <div className="form-actions">
          <Button type="submit" variant="danger" busy={busy} disabled={!confirmed}>
            {confirmLabel}
          </Button>
          <Button onClick={onClose} data-autofocus={typedConfirmation ? undefined : true} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}
