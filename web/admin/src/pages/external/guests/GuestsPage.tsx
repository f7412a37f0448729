import { useState } from 'react';
import { type Guest, guestsPageUrl, guestsQueryHeaders, type InvitationStateFilter } from '../../../graph/guests.ts';
import { usePagedCollection } from '../../../hooks/usePagedCollection.ts';
import { externalPaths } from '../../../router/externalRoutes.ts';
import { Link } from '../../../router/Router.tsx';
import { Badge } from '../../../ui/Badge.tsx';
import { NewObjectButton } from '../../../ui/Button.tsx';
import { PagedTable } from '../../../ui/PagedTable.tsx';
import { SearchField, useSearchTerm } from '../../../ui/SearchField.tsx';
import { useExternalSection } from '../ExternalContext.tsx';
import { ExternalPage } from '../ExternalPage.tsx';
import { formatDateTime } from '../externalRules.ts';
import { GuestStateBadge } from './GuestStateBadge.tsx';

const STATES: readonly { value: InvitationStateFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'PendingAcceptance', label: 'Pending acceptance' },
  { value: 'Accepted', label: 'Accepted' },
];

export function GuestsPage() {
  const section = useExternalSection();
  const { search, setSearch, term } = useSearchTerm();
  const [state, setState] = useState<InvitationStateFilter>('all');
  const list = usePagedCollection<Guest>(guestsPageUrl(state, term), guestsQueryHeaders);

  return (
    <ExternalPage
      title="Guest users"
      subtitle="People from other organizations invited to this one, and where their invitations stand."
      actions={
        <NewObjectButton allowed={section.showInvitePages} to={externalPaths.invite} testId="invite-guest">
          Invite external user
        </NewObjectButton>
      }
    >
      <div className="toolbar" role="search">
        <SearchField id="guests-search" label="Search guests" placeholder="Name or e-mail address" value={search} onChange={setSearch} />
        <div className="field field-inline">
          <label htmlFor="guests-state">Invitation state</label>
          <select id="guests-state" value={state} onChange={(event) => setState(event.target.value as InvitationStateFilter)} data-testid="guests-state">
            {STATES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <PagedTable
        list={list}
        noun="guests"
        caption="Guest users"
        doing="view guest users"
        testId="guests-table"
        empty={term || state !== 'all' ? 'No guest users match these filters.' : 'There are no guest users yet. Invite someone from another organization to start.'}
        head={
          <>
            <th scope="col">Name</th>
            <th scope="col" className="hide-narrow">
              E-mail
            </th>
            <th scope="col">Invitation state</th>
            <th scope="col" className="hide-narrow">
              State changed
            </th>
            <th scope="col" className="hide-narrow">
              Created
            </th>
          </>
        }
        row={(guest) => (
          <>
            <td>
              <Link to={externalPaths.guest(guest.id)}>{guest.displayName || guest.mail || guest.userPrincipalName}</Link>
              <span className="cell-detail show-narrow">{guest.mail}</span>
            </td>
            <td className="hide-narrow">{guest.mail}</td>
            <td>
              <span className="badges">
                <GuestStateBadge state={guest.externalUserState} />
                {guest.accountEnabled === false && <Badge tone="danger">Sign-in blocked</Badge>}
              </span>
            </td>
            <td className="hide-narrow">{formatDateTime(guest.externalUserStateChangeDateTime)}</td>
            <td className="hide-narrow">{formatDateTime(guest.createdDateTime)}</td>
          </>
        )}
      />
    </ExternalPage>
  );
}
