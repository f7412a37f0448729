import { CheckboxField, TextField } from '../../../forms/Fields.tsx';
import { FormStatus } from '../../../forms/FormParts.tsx';
import { useForm } from '../../../forms/useForm.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import type { Guest } from '../../../graph/guests.ts';
import { type Invitation, resendInvitation, resetRedemption } from '../../../graph/invitations.ts';
import { Button } from '../../../ui/Button.tsx';
import { Modal } from '../../../ui/Modal.tsx';
import { checkInviteEmail, checkRedirectUrl, defaultRedirectUrl } from '../externalRules.ts';

interface DialogProps {
  guest: Guest;
  name: string;
  onClose(): void;
  onDone(invitation: Invitation, message: string): void;
}

/** API property → field, so Graph's complaint about a property shows beside its field. */
const apiFields = { invitedUserEmailAddress: 'email', inviteRedirectUrl: 'redirectUrl' } as const;

/** Resend: a fresh redemption link by e-mail to the address the guest was invited with; the old link stops working. */
export function ResendInvitationDialog({ guest, name, onClose, onDone }: DialogProps) {
  const graph = useGraph();
  const email = guest.mail ?? '';
  const form = useForm({ id: 'resend', initial: { email, redirectUrl: defaultRedirectUrl(window.location.origin) }, apiFields });
  const onSubmit = form.submit({
    doing: 'invite guest users',
    validate: (v) => {
      const redirectUrl = checkRedirectUrl(v.redirectUrl);
      return redirectUrl ? { redirectUrl } : {};
    },
    run: async (v) => {
      const invitation = await resendInvitation(graph, { email, displayName: guest.displayName ?? undefined }, v.redirectUrl.trim());
      onDone(invitation, `A new invitation was sent to ${email}. The previous link no longer works.`);
    },
  });
  return (
    <Modal title="Resend invitation" onClose={onClose} testId="resend-dialog">
      <form onSubmit={onSubmit} noValidate>
        <p className="confirm-text">
          Send <strong>{name}</strong> a new invitation e-mail at <strong>{email}</strong>?
        </p>
        <FormStatus form={form} />
        <TextField label="Redirect URL" required type="url" spellCheck={false} hint="Where the guest lands after accepting." {...form.text('redirectUrl')} data-autofocus />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={form.submitting}>
            Resend
          </Button>
          <Button onClick={onClose} disabled={form.submitting}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}

/**
 * Graph's reset redemption: the same guest object (id, memberships, apps) redeems again, with a new
 * address or another identity; its invitation state goes back to pending acceptance.
 */
export function ResetRedemptionDialog({ guest, name, onClose, onDone }: DialogProps) {
  const graph = useGraph();
  const form = useForm<{ email: string; redirectUrl: string; send: boolean }>({
    id: 'reset-redemption',
    initial: { email: guest.mail ?? '', redirectUrl: defaultRedirectUrl(window.location.origin), send: true },
    apiFields,
  });
  const onSubmit = form.submit({
    doing: 'reset redemption status',
    validate: (v) => {
      const email = checkInviteEmail(v.email);
      const redirectUrl = checkRedirectUrl(v.redirectUrl);
      return { ...(email ? { email } : {}), ...(redirectUrl ? { redirectUrl } : {}) };
    },
    run: async (v) => {
      const email = v.email.trim();
      const invitation = await resetRedemption(graph, guest.id, email, v.redirectUrl.trim(), v.send);
      onDone(
        invitation,
        v.send
          ? `${name}'s redemption status was reset and an invitation was sent to ${email}.`
          : `${name}'s redemption status was reset. Send them the new redemption link below.`,
      );
    },
  });
  return (
    <Modal title="Reset redemption status" onClose={onClose} testId="reset-redemption-dialog">
      <form onSubmit={onSubmit} noValidate>
        <p className="confirm-text">
          <strong>{name}</strong> will accept the invitation again, possibly with another e-mail address or account. Their object, group memberships and app
          access stay as they are; their sign-ins with the old identity stop.
        </p>
        <FormStatus form={form} />
        <TextField
          label="New e-mail address"
          required
          type="email"
          inputMode="email"
          spellCheck={false}
          autoComplete="off"
          hint="Where the invitation goes; it becomes one of the guest's e-mail addresses."
          {...form.text('email')}
          data-autofocus
        />
        <TextField label="Redirect URL" required type="url" spellCheck={false} hint="Where the guest lands after accepting." {...form.text('redirectUrl')} />
        <CheckboxField id={form.fieldId('send')} label="Send invitation e-mail" checked={form.values.send} onChange={(checked) => form.set('send', checked)} />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={form.submitting}>
            Reset
          </Button>
          <Button onClick={onClose} disabled={form.submitting}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}
