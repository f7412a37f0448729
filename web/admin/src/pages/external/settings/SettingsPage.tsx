import { useGraph } from '../../../graph/GraphContext.tsx';
import { getOrganization } from '../../../graph/organization.ts';
import { useResource } from '../../../hooks/useResource.ts';
import { Section } from '../../../ui/Section.tsx';
import { ExternalPage } from '../ExternalPage.tsx';
import { CollaborationRestrictionsForm } from './CollaborationRestrictionsForm.tsx';
import { EmailOtpForm } from './EmailOtpForm.tsx';
import { GuestAccessForm } from './GuestAccessForm.tsx';
import { IdentityProvidersSection } from './IdentityProvidersSection.tsx';
import { LeaveSettingsForm } from './LeaveSettingsForm.tsx';

/** Entra's "External collaboration settings", one card (and one Save) per policy behind it. */
export function SettingsPage() {
  const graph = useGraph();
  const organization = useResource((signal) => getOrganization(graph, signal), [graph]);
  return (
    <ExternalPage title="External collaboration settings" subtitle="Who may invite guests, what guests may see, and which partners may be invited.">
      <Section title="Guest user access and invite restrictions" testId="settings-guest-access">
        <GuestAccessForm />
      </Section>
      <Section title="Collaboration restrictions" testId="settings-collaboration">
        <CollaborationRestrictionsForm />
      </Section>
      <Section title="Email one-time passcode for guests" testId="settings-email-otp">
        <EmailOtpForm />
      </Section>
      <Section title="External user leave settings" testId="settings-leave">
        <LeaveSettingsForm organization={organization} />
      </Section>
      <IdentityProvidersSection />
    </ExternalPage>
  );
}
