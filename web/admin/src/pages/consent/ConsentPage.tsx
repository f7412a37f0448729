import { appPaths } from '../../router/appRoutes.ts';
import { PageHeader } from '../../ui/PageHeader.tsx';
import { Section } from '../../ui/Section.tsx';
import { Tabs } from '../applications/Tabs.tsx';
import { ClassificationsSection } from './ClassificationsSection.tsx';
import { UserConsentForm } from './UserConsentForm.tsx';

/** Entra's "Consent and permissions": the user consent setting and the permissions classified as low impact. */
export function ConsentPage({ tab }: { tab: 'settings' | 'classifications' }) {
  return (
    <>
      <PageHeader title="Consent and permissions" subtitle="Whether users may let apps access the organization's data on their behalf, and for which permissions." />
      <Tabs
        label="Consent and permissions"
        tabs={[
          { label: 'User consent settings', to: appPaths.consentSettings, testId: 'consent-tab-settings', current: tab === 'settings' },
          { label: 'Permission classifications', to: appPaths.classifications, testId: 'consent-tab-classifications', current: tab === 'classifications' },
        ]}
      />
      {tab === 'settings' ? (
        <Section title="User consent for applications" testId="user-consent-settings">
          <UserConsentForm />
        </Section>
      ) : (
        <ClassificationsSection />
      )}
    </>
  );
}
