import { useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { CheckboxField, SelectField, TextAreaField, TextField } from '../../../forms/Fields.tsx';
import { FormActions, FormStatus } from '../../../forms/FormParts.tsx';
import { useForm } from '../../../forms/useForm.ts';
import { email as emailCheck, maxLength } from '../../../forms/validators.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { type Invitation, type InvitationRequest, invite } from '../../../graph/invitations.ts';
import { externalPaths } from '../../../router/externalRoutes.ts';
import { Link } from '../../../router/Router.tsx';
import { Alert } from '../../../ui/Alert.tsx';
import { Badge } from '../../../ui/Badge.tsx';
import { Button } from '../../../ui/Button.tsx';
import { CopyField } from '../../../ui/CopyField.tsx';
import { Section } from '../../../ui/Section.tsx';
import { useExternalSection } from '../ExternalContext.tsx';
import { ExternalPage } from '../ExternalPage.tsx';
import { checkInviteEmail, checkRedirectUrl, defaultRedirectUrl, invitationStatusLabel, MAX_MESSAGE_LENGTH, messageLanguages } from '../externalRules.ts';

interface InviteValues extends Record<string, string | boolean> {
  email: string;
  displayName: string;
  redirectUrl: string;
  userType: 'Guest' | 'Member';
  send: boolean;
  message: string;
  cc: string;
  language: string;
}

const initialValues = (): InviteValues => ({
  email: '',
  displayName: '',
  redirectUrl: defaultRedirectUrl(window.location.origin),
  userType: 'Guest',
  send: true,
  message: '',
  cc: '',
  language: 'en-US',
});

/** Graph property → form field: Graph's error about a property shows beside the field it concerns. */
const apiFields = {
  invitedUserEmailAddress: 'email',
  invitedUserDisplayName: 'displayName',
  inviteRedirectUrl: 'redirectUrl',
  invitedUserType: 'userType',
  customizedMessageBody: 'message',
  ccRecipients: 'cc',
  messageLanguage: 'language',
} as const;

function requestFrom(v: InviteValues, memberAllowed: boolean): InvitationRequest {
  const message = v.message.trim();
  const cc = v.cc.trim();
  return {
    invitedUserEmailAddress: v.email.trim(),
    inviteRedirectUrl: v.redirectUrl.trim(),
    ...(v.displayName.trim() ? { invitedUserDisplayName: v.displayName.trim() } : {}),
    invitedUserType: memberAllowed ? v.userType : 'Guest',
    sendInvitationMessage: v.send,
    ...(v.send
      ? {
          invitedUserMessageInfo: {
            ...(message ? { customizedMessageBody: message } : {}),
            messageLanguage: v.language,
            ...(cc ? { ccRecipients: [{ emailAddress: { address: cc } }] } : {}),
          },
        }
      : {}),
  };
}

export function InvitePage() {
  const section = useExternalSection();
  const [result, setResult] = useState<Invitation | null>(null);
  // A new form (fresh state) for every invitation: "Invite another" remounts it.
  const [round, setRound] = useState(0);

  return (
    <ExternalPage title="Invite external user" subtitle="Invite someone from another organization to use this organization's apps as a guest.">
      {!section.invite.allowed && section.allowInvitesFrom !== null && (
        <Alert tone="warning" testId="invite-not-allowed">
          <p>{section.invite.reason}</p>
        </Alert>
      )}
      {result ? (
        <InvitationResult
          invitation={result}
          onAnother={() => {
            setResult(null);
            setRound((n) => n + 1);
          }}
        />
      ) : (
        <Section title="Invitation">
          <InviteForm key={round} onInvited={setResult} />
        </Section>
      )}
    </ExternalPage>
  );
}

function InviteForm({ onInvited }: { onInvited(invitation: Invitation): void }) {
  const graph = useGraph();
  // Entra lets only administrators invite someone as a member (User Administrator, Global Administrator).
  const memberAllowed = useAccess().can(Actions.createUsers);
  const form = useForm<InviteValues>({ id: 'invite', initial: initialValues(), apiFields });
  const { values } = form;

  const onSubmit = form.submit({
    doing: 'invite guest users',
    validate: (v) => {
      const errors: Partial<Record<keyof InviteValues & string, string>> = {};
      const email = checkInviteEmail(v.email);
      if (email) errors.email = email;
      const displayName = maxLength(256)(v.displayName.trim());
      if (displayName) errors.displayName = displayName;
      const redirectUrl = checkRedirectUrl(v.redirectUrl);
      if (redirectUrl) errors.redirectUrl = redirectUrl;
      if (v.send) {
        const message = maxLength(MAX_MESSAGE_LENGTH)(v.message);
        if (message) errors.message = message;
        const cc = emailCheck(v.cc.trim());
        if (cc) errors.cc = cc;
      }
      return errors;
    },
    run: async (v) => {
      onInvited(await invite(graph, requestFrom(v, memberAllowed)));
    },
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate data-testid="invite-form">
      <FormStatus form={form} />
      <fieldset>
        <legend>Who</legend>
        <TextField label="Email address" required type="email" inputMode="email" autoComplete="off" spellCheck={false} hint="The invitee's work or personal address." {...form.text('email')} />
        <TextField label="Display name" autoComplete="off" hint="How the guest appears in this directory; you can change it later." {...form.text('displayName')} />
        {memberAllowed && (
          <SelectField label="User type" hint="Members get the same default access as your own users." {...form.text('userType')}>
            <option value="Guest">Guest</option>
            <option value="Member">Member</option>
          </SelectField>
        )}
        <TextField
          label="Redirect URL"
          required
          type="url"
          inputMode="url"
          spellCheck={false}
          hint="Where the invitee lands after accepting: an app of this organization, or My Account."
          {...form.text('redirectUrl')}
        />
      </fieldset>
      <fieldset>
        <legend>Invitation e-mail</legend>
        <CheckboxField
          id={form.fieldId('send')}
          label="Send invitation e-mail"
          hint="Without the e-mail, send the invitee the redemption link yourself."
          checked={values.send}
          onChange={(checked) => form.set('send', checked)}
        />
        <TextAreaField
          label="Message"
          rows={4}
          disabled={!values.send}
          hint={`Added to the e-mail; at most ${MAX_MESSAGE_LENGTH.toLocaleString()} characters.`}
          {...form.text('message')}
        />
        <TextField
          label="Cc recipient"
          type="email"
          inputMode="email"
          autoComplete="off"
          spellCheck={false}
          disabled={!values.send}
          hint="One more address that gets a copy."
          {...form.text('cc')}
        />
        <SelectField label="Language" disabled={!values.send} hint="Of the e-mail's own text; a custom message is sent as written, and the e-mail is then in English." {...form.text('language')}>
          {messageLanguages.map((language) => (
            <option key={language.value} value={language.value}>
              {language.label}
            </option>
          ))}
        </SelectField>
      </fieldset>
      <FormActions submitting={form.submitting} label="Invite" cancelTo={externalPaths.guests} />
    </form>
  );
}

function InvitationResult({ invitation, onAnother }: { invitation: Invitation; onAnother(): void }) {
  const userId = invitation.invitedUser?.id ?? invitation.id;
  const sent = invitation.sendInvitationMessage === true;
  return (
    <Section title="Invitation created" testId="invite-result">
      <Alert tone="success">
        <p>
          {invitation.status === 'Completed'
            ? `${invitation.invitedUserEmailAddress} has already accepted an invitation to this organization; no new link was needed.`
            : sent
              ? `An invitation was sent to ${invitation.invitedUserEmailAddress}.`
              : `${invitation.invitedUserEmailAddress} was invited. Send them the redemption link below.`}
        </p>
      </Alert>
      <dl className="properties">
        <dt>Status</dt>
        <dd data-testid="invite-status">
          <Badge tone={invitation.status === 'Completed' ? 'success' : 'warning'}>{invitationStatusLabel(invitation.status)}</Badge>
        </dd>
        <dt>Guest user</dt>
        <dd>
          <Link to={externalPaths.guest(userId)}>{invitation.invitedUserDisplayName || invitation.invitedUserEmailAddress}</Link>
        </dd>
      </dl>
      {invitation.inviteRedeemUrl && <CopyField label="Redemption link" value={invitation.inviteRedeemUrl} testId="invite-redeem-url" />}
      <div className="form-actions">
        <Button variant="primary" onClick={onAnother} data-testid="invite-another">
          Invite another
        </Button>
      </div>
    </Section>
  );
}
