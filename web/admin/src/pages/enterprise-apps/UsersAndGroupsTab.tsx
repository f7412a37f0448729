import { useState } from 'react';
import { useAccess } from '../../access/AccessContext.tsx';
import { Actions } from '../../access/roles.ts';
import { type AppRoleAssignment, DEFAULT_ACCESS_ROLE_ID } from '../../graph/applicationTypes.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { appRoleAssignedToUrl, removeAssignment } from '../../graph/servicePrincipals.ts';
import { usePagedCollection } from '../../hooks/usePagedCollection.ts';
import { Link } from '../../router/Router.tsx';
import { paths } from '../../router/routes.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { PagedTable } from '../../ui/PagedTable.tsx';
import { Section } from '../../ui/Section.tsx';
import { OutcomeAlert, useRunner } from '../applications/useRunner.tsx';
import { AssignDialog } from './AssignDialog.tsx';
import type { EnterpriseApp } from './EnterpriseAppPage.tsx';

/** Entra's "Users and groups": who is assigned to the app, with which app role. */
export function UsersAndGroupsTab({ app }: { app: EnterpriseApp }) {
  const graph = useGraph();
  const access = useAccess();
  const runner = useRunner();
  const sp = app.servicePrincipal;
  const list = usePagedCollection<AppRoleAssignment>(appRoleAssignedToUrl(sp.id));
  const [adding, setAdding] = useState(false);
  const canChange = access.can(Actions.updateAppRoleAssignments);
  const roleName = (id: string) => (id === DEFAULT_ACCESS_ROLE_ID ? 'Default Access' : (sp.appRoles?.find((role) => role.id === id)?.displayName ?? id));

  return (
    <Section
      title="Users and groups"
      testId="app-assignments"
      actions={
        canChange && (
          <Button variant="primary" onClick={() => setAdding(true)} data-testid="add-assignment">
            Add user/group
          </Button>
        )
      }
    >
      <p className="field-hint">
        {sp.appRoleAssignmentRequired
          ? 'Assignment is required: only these users, and the direct members of these groups, can sign in to the app.'
          : 'Assignment is not required: everyone in the organization can sign in; assignments give app roles.'}
      </p>
      <OutcomeAlert outcome={runner.outcome} testId="app-assignments-outcome" />
      <PagedTable
        list={list}
        noun="assignments"
        caption="Users and groups"
        doing="view the users and groups of this application"
        testId="app-assignments-table"
        empty="No users or groups are assigned to this app."
        head={
          <>
            <th scope="col">Display name</th>
            <th scope="col">Object type</th>
            <th scope="col">Role assigned</th>
            {canChange && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </>
        }
        row={(assignment) => {
          const name = assignment.principalDisplayName || assignment.principalId;
          const to = assignment.principalType === 'User' ? paths.user(assignment.principalId) : assignment.principalType === 'Group' ? paths.group(assignment.principalId) : null;
          return (
            <>
              <td>{to ? <Link to={to}>{name}</Link> : name}</td>
              <td>
                <Badge>{assignment.principalType}</Badge>
              </td>
              <td>{roleName(assignment.appRoleId)}</td>
              {canChange && (
                <td className="cell-actions">
                  <Button
                    variant="ghost"
                    busy={runner.busy === assignment.id}
                    disabled={runner.busy !== null}
                    aria-label={`Remove ${name}`}
                    onClick={() =>
                      void runner.run(assignment.id, 'remove assignments', async () => {
                        await removeAssignment(graph, sp.id, assignment.id);
                        list.reload();
                        return `Removed ${name}.`;
                      })
                    }
                  >
                    Remove
                  </Button>
                </td>
              )}
            </>
          );
        }}
      />
      {adding && (
        <AssignDialog
          servicePrincipal={sp}
          onClose={() => setAdding(false)}
          onAssigned={(message) => {
            setAdding(false);
            runner.setOutcome({ tone: 'success', text: message });
            list.reload();
          }}
        />
      )}
    </Section>
  );
}
