import { createContext, useContext } from 'react';
import type { AllowInvitesFrom } from '../../graph/policies.ts';
import type { InviteAccess } from './externalRules.ts';

/** What every page of the section needs: whether the admin may invite, under the tenant's policy. */
export interface ExternalSection {
  /** `authorizationPolicy.allowInvitesFrom`, or null while unknown or unreadable */
  allowInvitesFrom: AllowInvitesFrom | null;
  invite: InviteAccess;
  /** the section shows the invite pages at all (roles or policy could allow it) */
  showInvitePages: boolean;
  /** reads the policy again (after the settings page changed it) */
  reloadPolicy(): void;
}

export const ExternalSectionContext = createContext<ExternalSection | null>(null);

export function useExternalSection(): ExternalSection {
  const section = useContext(ExternalSectionContext);
  if (!section) throw new Error('useExternalSection outside ExternalIdentitiesView');
  return section;
}
