import { type FormEvent, useId, useState } from 'react';
import { roleTemplates } from '../../../../../src/modules/directory/access/roles.catalog.ts';
import { useAccess } from '../../access/AccessContext.tsx';
import { GLOBAL_ADMINISTRATOR } from '../../access/roles.ts';
import { UserPickerDialog } from '../../components/UserPickerDialog.tsx';
import { CheckboxField, SelectField, TextField } from '../../forms/Fields.tsx';
import { describeError } from '../../graph/errors.ts';
import { useGraph } from '../../graph/GraphContext.tsx';
import { useResource } from '../../hooks/useResource.ts';
import { Alert } from '../../ui/Alert.tsx';
import { Button } from '../../ui/Button.tsx';
import { LoadError } from '../../ui/LoadError.tsx';
import { Loading } from '../../ui/Loading.tsx';
import { type AdminConsentRequestPolicy, getPolicy, putPolicy, type ReviewerScope } from './consentRequestsApi.ts';

/** Application Administrator and Cloud Application Administrator change the settings; only a Global Administrator turns the workflow on. */
const SETTINGS_ROLES = new Set([GLOBAL_ADMINISTRATOR, '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', '158c047a-c907-4556-b7ef-446551a6b5f7']);
const MAX_REVIEWERS = 25;

interface Reviewer {
  scope: ReviewerScope;
  label: string;
}

const userQuery = (id: string) => `/users/${id}`;
const roleQuery = (templateId: string) => `/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${templateId}'`;

/** A readable name for each reviewer entry (a user's name, a group's, a role's). */
async function describeReviewers(graph: ReturnType<typeof useGraph>, scopes: ReviewerScope[], signal: AbortSignal): Promise<Reviewer[]> {
  return Promise.all(
    scopes.map(async (scope) => {
      const user = /\/users\/([0-9a-f-]{36})$/i.exec(scope.query);
      const group = /\/groups\/([0-9a-f-]{36})\//i.exec(scope.query);
      const role = /roleDefinitionId eq '([0-9a-f-]{36})'/i.exec(scope.query);
      try {
        if (user?.[1]) {
          const found = await graph.get<{ displayName: string | null; userPrincipalName: string }>(`/users/${user[1]}?$select=displayName,userPrincipalName`, { signal });
          return { scope, label: `${found.displayName ?? found.userPrincipalName} (${found.userPrincipalName})` };
        }
        if (group?.[1]) {
          const found = await graph.get<{ displayName: string }>(`/groups/${group[1]}?$select=displayName`, { signal });
          return { scope, label: `Members of ${found.displayName}` };
        }
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') throw error;
      }
      if (role?.[1]) return { scope, label: `Role: ${roleTemplates.find((r) => r.id === role[1]!.toLowerCase())?.displayName ?? role[1]}` };
      return { scope, label: scope.query };
    }),
  );
}

/** The workflow's settings (Entra's "Admin consent settings"): on or off, who reviews, notifications, reminders, expiry. */
export function WorkflowSettingsForm() {
  const graph = useGraph();
  const loaded = useResource(async (signal) => {
    const policy = await getPolicy(graph, signal);
    return { policy, reviewers: await describeReviewers(graph, policy.reviewers, signal) };
  }, [graph]);
  const { state } = loaded;
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') return <LoadError error={state.error} doing="view the admin consent settings" onRetry={loaded.reload} />;
  return <SettingsFields policy={state.data.policy} initialReviewers={state.data.reviewers} />;
}

function SettingsFields({ policy, initialReviewers }: { policy: AdminConsentRequestPolicy; initialReviewers: Reviewer[] }) {
  const graph = useGraph();
  const access = useAccess();
  const ids = { enabled: useId(), notify: useId(), reminders: useId(), duration: useId(), role: useId() };
  const roleIds = new Set(access.roles.map((r) => r.roleTemplateId));
  const canEdit = [...roleIds].some((id) => SETTINGS_ROLES.has(id));
  const canEnable = roleIds.has(GLOBAL_ADMINISTRATOR) || policy.isEnabled;
  const [isEnabled, setEnabled] = useState(policy.isEnabled);
  const [notifyReviewers, setNotify] = useState(policy.notifyReviewers);
  const [remindersEnabled, setReminders] = useState(policy.remindersEnabled);
  const [duration, setDuration] = useState(String(policy.requestDurationInDays || 30));
  const [reviewers, setReviewers] = useState<Reviewer[]>(initialReviewers);
  const [role, setRole] = useState('');
  const [picking, setPicking] = useState(false);
  const [durationError, setDurationError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const add = (reviewer: Reviewer) => {
    setNotice(null);
    setReviewers((current) => (current.some((r) => r.scope.query.toLowerCase() === reviewer.scope.query.toLowerCase()) ? current : [...current, reviewer]));
  };

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    const days = Number(duration);
    if (!Number.isInteger(days) || days < 1 || days > 30) return setDurationError('Enter a whole number of days from 1 to 30.');
    setDurationError(undefined);
    if (isEnabled && reviewers.length === 0) return setError('Add at least one reviewer before turning the workflow on.');
    setSaving(true);
    setError(null);
    setNotice(null);
    try {
      await putPolicy(graph, { isEnabled, notifyReviewers, remindersEnabled, requestDurationInDays: days, reviewers: reviewers.map((r) => r.scope) });
      setNotice('Saved.');
    } catch (failure) {
      setError(describeError(failure, 'change the admin consent settings'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form className="form" onSubmit={(event) => void save(event)} noValidate data-testid="consent-workflow-form">
      {error && <Alert tone="error">{error}</Alert>}
      {notice && <Alert tone="success">{notice}</Alert>}
      {!canEdit && <p className="form-note">You can view these settings but not change them (Global, Application and Cloud Application Administrators can).</p>}
      <CheckboxField
        id={ids.enabled}
        label="Users can request admin consent to apps they are unable to consent to"
        hint={!canEnable ? 'Only a Global Administrator can turn the workflow on.' : undefined}
        checked={isEnabled}
        onChange={setEnabled}
        disabled={!canEdit || (!canEnable && !isEnabled)}
      />
      <fieldset className="field">
        <legend>Who can review admin consent requests</legend>
        {reviewers.length === 0 ? (
          <p className="field-hint">No reviewers yet.</p>
        ) : (
          <ul data-testid="consent-workflow-reviewers">
            {reviewers.map((reviewer) => (
              <li key={reviewer.scope.query}>
                {reviewer.label}{' '}
                {canEdit && (
                  <Button variant="ghost" onClick={() => setReviewers((current) => current.filter((r) => r !== reviewer))} aria-label={`Remove ${reviewer.label}`}>
                    Remove
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {canEdit && reviewers.length < MAX_REVIEWERS && (
          <div className="form-actions">
            <Button onClick={() => setPicking(true)} data-testid="consent-workflow-add-user">
              Add a user
            </Button>
            <SelectField id={ids.role} label="Add a role" value={role} onChange={setRole}>
              <option value="">Choose a role</option>
              {roleTemplates.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.displayName}
                </option>
              ))}
            </SelectField>
            <Button
              disabled={!role}
              onClick={() => {
                const template = roleTemplates.find((r) => r.id === role);
                if (template) add({ scope: { query: roleQuery(template.id), queryType: 'MicrosoftGraph', queryRoot: null }, label: `Role: ${template.displayName}` });
                setRole('');
              }}
            >
              Add role
            </Button>
          </div>
        )}
        <p className="field-hint">Reviewers can act only on requests made after they were added.</p>
      </fieldset>
      <CheckboxField id={ids.notify} label="Selected users will receive email notifications for requests" checked={notifyReviewers} onChange={setNotify} disabled={!canEdit} />
      <CheckboxField id={ids.reminders} label="Selected users will receive request expiration reminders" checked={remindersEnabled} onChange={setReminders} disabled={!canEdit} />
      <TextField id={ids.duration} label="Consent request expires after (days)" type="number" min={1} max={30} value={duration} onChange={setDuration} error={durationError} disabled={!canEdit} />
      {canEdit && (
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={saving} data-testid="consent-workflow-save">
            Save
          </Button>
        </div>
      )}
      {picking && (
        <UserPickerDialog
          title="Add a reviewer"
          doing="add a reviewer"
          onPick={async (user) => add({ scope: { query: userQuery(user.id), queryType: 'MicrosoftGraph', queryRoot: null }, label: `${user.displayName ?? user.userPrincipalName} (${user.userPrincipalName})` })}
          onClose={() => setPicking(false)}
        />
      )}
    </form>
  );
}
