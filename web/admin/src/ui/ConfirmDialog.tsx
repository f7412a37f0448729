import { type ReactNode, useState } from 'react';
import { describeError } from '../graph/errors.ts';
import { Alert } from './Alert.tsx';
import { Button } from './Button.tsx';
import { Modal } from './Modal.tsx';

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** for the error message: "delete users" */
  doing: string;
  onConfirm(): Promise<void>;
  onClose(): void;
}

/** Asks before something that cannot be undone; the safe choice has the focus. */
export function ConfirmDialog({ title, children, confirmLabel, doing, onConfirm, onClose }: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
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
      <div className="confirm-text">{children}</div>
      {error && <Alert tone="error">{error}</Alert>}
      <div className="form-actions">
        <Button variant="danger" busy={busy} onClick={confirm}>
          {confirmLabel}
        </Button>
        <Button onClick={onClose} data-autofocus disabled={busy}>
          Cancel
        </Button>
      </div>
    </Modal>
  );
}
