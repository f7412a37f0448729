import { type FormEvent, useId, useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { TextAreaField, TextField } from '../../../forms/Fields.tsx';
import { RadioGroupField } from '../../../forms/RadioGroupField.tsx';
import type { AppRole, Application, PermissionScope } from '../../../graph/applicationTypes.ts';
import { updateApplication } from '../../../graph/applications.ts';
import { describeError } from '../../../graph/errors.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { Alert } from '../../../ui/Alert.tsx';
import { Badge } from '../../../ui/Badge.tsx';
import { Button } from '../../../ui/Button.tsx';
import { Modal } from '../../../ui/Modal.tsx';
import { Section } from '../../../ui/Section.tsx';
import {
  checkIdentifierUri,
  checkPermissionValue,
  defaultIdentifierUri,
  memberTypesLabel,
  newAppRole,
  newScope,
  removable,
  type RoleMembers,
  roleMemberChoices,
  takenValues,
} from '../appRules.ts';
import { OutcomeAlert, useRunner } from '../useRunner.tsx';

/** Entra's "Expose an API" (Application ID URI and scopes) together with its "App roles". */
export function ExposeApiTab({ application, onChanged }: { application: Application; onChanged(): void }) {
  const canEdit = useAccess().can(Actions.updateApplications);
  const runner = useRunner();
  return (
    <>
      {!canEdit && <p className="form-note">You can view this registration but not change it.</p>}
      <OutcomeAlert outcome={runner.outcome} testId="expose-api-outcome" />
      <IdentifierUriSection application={application} canEdit={canEdit} runner={runner} onChanged={onChanged} />
      <ScopesSection application={application} canEdit={canEdit} runner={runner} onChanged={onChanged} />
      <AppRolesSection application={application} canEdit={canEdit} runner={runner} onChanged={onChanged} />
    </>
  );
}

interface PartProps {
  application: Application;
  canEdit: boolean;
  runner: ReturnType<typeof useRunner>;
  onChanged(): void;
}

function IdentifierUriSection({ application, canEdit, runner, onChanged }: PartProps) {
  const graph = useGraph();
  const inputId = useId();
  const current = application.identifierUris?.[0] ?? null;
  const [typed, setTyped] = useState(current ?? defaultIdentifierUri(application.appId));
  const [problem, setProblem] = useState<string | null>(null);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const found = checkIdentifierUri(typed);
    setProblem(found);
    if (found) return;
    await runner.run('identifierUri', 'change app registrations', async () => {
      await updateApplication(graph, application.id, { identifierUris: [typed.trim(), ...(application.identifierUris ?? []).slice(1)] });
      onChanged();
      return `The Application ID URI is now ${typed.trim()}.`;
    });
  };

  return (
    <Section title="Application ID URI" testId="identifier-uri">
      <p className="field-hint">The globally unique URI that identifies this API; scopes are requested as {'{URI}/{scope}'}.</p>
      {canEdit ? (
        <form className="inline-form" onSubmit={(event) => void save(event)} noValidate>
          <div className={`field${problem ? ' field-invalid' : ''}`}>
            <label htmlFor={inputId}>Application ID URI</label>
            <div className="field-control">
              <input
                id={inputId}
                value={typed}
                onChange={(event) => {
                  setTyped(event.target.value);
                  setProblem(null);
                }}
                spellCheck={false}
                autoComplete="off"
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? `${inputId}-error` : undefined}
                data-testid="identifier-uri-input"
              />
              <Button type="submit" busy={runner.busy === 'identifierUri'} disabled={runner.busy !== null} data-testid="identifier-uri-save">
                {current ? 'Save' : 'Set'}
              </Button>
            </div>
            {problem && (
              <p className="field-error" id={`${inputId}-error`}>
                {problem}
              </p>
            )}
          </div>
        </form>
      ) : (
        <p className="break mono">{current ?? 'Not set'}</p>
      )}
    </Section>
  );
}

const stateBadge = (enabled: boolean) => (enabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>);

function ScopesSection({ application, canEdit, runner, onChanged }: PartProps) {
  const graph = useGraph();
  const [adding, setAdding] = useState(false);
  const scopes = application.api?.oauth2PermissionScopes ?? [];

  const save = (key: string, next: PermissionScope[], message: string) =>
    runner.run(key, 'change the scopes of this API', async () => {
      await updateApplication(graph, application.id, { api: { oauth2PermissionScopes: next } });
      onChanged();
      return message;
    });

  return (
    <Section
      title="Scopes defined by this API"
      testId="exposed-scopes"
      actions={
        canEdit && (
          <Button onClick={() => setAdding(true)} data-testid="add-scope">
            Add a scope
          </Button>
        )
      }
    >
      <p className="field-hint">Delegated permissions client apps can ask for. A scope must be disabled before it can be deleted.</p>
      {scopes.length === 0 ? (
        <p className="empty">This API defines no scopes.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="exposed-scopes-table">
            <caption className="visually-hidden">Scopes</caption>
            <thead>
              <tr>
                <th scope="col">Scope</th>
                <th scope="col">Who can consent</th>
                <th scope="col" className="hide-narrow">
                  Admin consent display name
                </th>
                <th scope="col">State</th>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {scopes.map((scope) => (
                <tr key={scope.id} data-scope={scope.value}>
                  <td className="mono">{scope.value}</td>
                  <td>{scope.type === 'User' ? 'Admins and users' : 'Admins only'}</td>
                  <td className="hide-narrow">{scope.adminConsentDisplayName}</td>
                  <td>{stateBadge(scope.isEnabled)}</td>
                  {canEdit && (
                    <td className="cell-actions">
                      <Button
                        variant="ghost"
                        busy={runner.busy === `toggle-${scope.id}`}
                        disabled={runner.busy !== null}
                        onClick={() =>
                          void save(
                            `toggle-${scope.id}`,
                            scopes.map((s) => (s.id === scope.id ? { ...s, isEnabled: !s.isEnabled } : s)),
                            `${scope.isEnabled ? 'Disabled' : 'Enabled'} ${scope.value}.`,
                          )
                        }
                      >
                        {scope.isEnabled ? 'Disable' : 'Enable'}
                        <span className="visually-hidden"> {scope.value}</span>
                      </Button>
                      {removable(scope) && (
                        <Button
                          variant="ghost"
                          busy={runner.busy === `delete-${scope.id}`}
                          disabled={runner.busy !== null}
                          onClick={() => void save(`delete-${scope.id}`, scopes.filter((s) => s.id !== scope.id), `Deleted ${scope.value}.`)}
                        >
                          Delete<span className="visually-hidden"> {scope.value}</span>
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {adding && (
        <AddScopeDialog
          application={application}
          onClose={() => setAdding(false)}
          onAdded={(scope) => {
            setAdding(false);
            runner.setOutcome({ tone: 'success', text: `Added the scope ${scope.value}.` });
            onChanged();
          }}
        />
      )}
    </Section>
  );
}

function AddScopeDialog({ application, onClose, onAdded }: { application: Application; onClose(): void; onAdded(scope: PermissionScope): void }) {
  const graph = useGraph();
  const id = useId();
  const [values, setValues] = useState({ value: '', type: 'Admin' as 'User' | 'Admin', adminConsentDisplayName: '', adminConsentDescription: '', userConsentDisplayName: '', userConsentDescription: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof typeof values, string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (name: keyof typeof values) => (value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    const valueProblem = checkPermissionValue(values.value, takenValues(application));
    if (valueProblem) found.value = valueProblem;
    if (values.adminConsentDisplayName.trim() === '') found.adminConsentDisplayName = 'Admin consent display name is required.';
    if (values.adminConsentDescription.trim() === '') found.adminConsentDescription = 'Admin consent description is required.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const scope = newScope(values, crypto.randomUUID());
      await updateApplication(graph, application.id, { api: { oauth2PermissionScopes: [...(application.api?.oauth2PermissionScopes ?? []), scope] } });
      onAdded(scope);
    } catch (failure) {
      setError(describeError(failure, 'change the scopes of this API'));
      setBusy(false);
    }
  };

  return (
    <Modal title="Add a scope" onClose={onClose} testId="add-scope-dialog">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField id={`${id}-value`} label="Scope name" required value={values.value} onChange={set('value')} error={errors.value} spellCheck={false} autoComplete="off" data-autofocus />
        <RadioGroupField<'User' | 'Admin'>
          id={`${id}-type`}
          legend="Who can consent?"
          options={[
            { value: 'User', label: 'Admins and users' },
            { value: 'Admin', label: 'Admins only' },
          ]}
          value={values.type}
          onChange={(type) => setValues((current) => ({ ...current, type }))}
        />
        <TextField id={`${id}-adminName`} label="Admin consent display name" required value={values.adminConsentDisplayName} onChange={set('adminConsentDisplayName')} error={errors.adminConsentDisplayName} />
        <TextAreaField id={`${id}-adminDescription`} label="Admin consent description" required rows={2} value={values.adminConsentDescription} onChange={set('adminConsentDescription')} error={errors.adminConsentDescription} />
        <TextField id={`${id}-userName`} label="User consent display name" value={values.userConsentDisplayName} onChange={set('userConsentDisplayName')} />
        <TextAreaField id={`${id}-userDescription`} label="User consent description" rows={2} value={values.userConsentDescription} onChange={set('userConsentDescription')} />
        {error && <Alert tone="error">{error}</Alert>}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} data-testid="save-scope">
            Add scope
          </Button>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}

function AppRolesSection({ application, canEdit, runner, onChanged }: PartProps) {
  const graph = useGraph();
  const [adding, setAdding] = useState(false);
  const roles = application.appRoles ?? [];

  const save = (key: string, next: AppRole[], message: string) =>
    runner.run(key, 'change the app roles', async () => {
      await updateApplication(graph, application.id, { appRoles: next });
      onChanged();
      return message;
    });

  return (
    <Section
      title="App roles"
      testId="app-roles"
      actions={
        canEdit && (
          <Button onClick={() => setAdding(true)} data-testid="add-app-role">
            Create app role
          </Button>
        )
      }
    >
      <p className="field-hint">Roles users, groups or applications are assigned to; they appear in the roles claim of tokens. A role must be disabled before it can be deleted.</p>
      {roles.length === 0 ? (
        <p className="empty">This application defines no app roles.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="app-roles-table">
            <caption className="visually-hidden">App roles</caption>
            <thead>
              <tr>
                <th scope="col">Display name</th>
                <th scope="col">Value</th>
                <th scope="col" className="hide-narrow">
                  Allowed member types
                </th>
                <th scope="col">State</th>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {roles.map((role) => (
                <tr key={role.id} data-role={role.value ?? ''}>
                  <td>
                    {role.displayName}
                    <span className="cell-detail">{role.description}</span>
                  </td>
                  <td className="mono">{role.value}</td>
                  <td className="hide-narrow">{memberTypesLabel(role.allowedMemberTypes)}</td>
                  <td>{stateBadge(role.isEnabled)}</td>
                  {canEdit && (
                    <td className="cell-actions">
                      <Button
                        variant="ghost"
                        busy={runner.busy === `toggle-${role.id}`}
                        disabled={runner.busy !== null}
                        onClick={() =>
                          void save(
                            `toggle-${role.id}`,
                            roles.map((r) => (r.id === role.id ? { ...r, isEnabled: !r.isEnabled } : r)),
                            `${role.isEnabled ? 'Disabled' : 'Enabled'} ${role.displayName ?? role.value}.`,
                          )
                        }
                      >
                        {role.isEnabled ? 'Disable' : 'Enable'}
                        <span className="visually-hidden"> {role.displayName}</span>
                      </Button>
                      {removable(role) && (
                        <Button
                          variant="ghost"
                          busy={runner.busy === `delete-${role.id}`}
                          disabled={runner.busy !== null}
                          onClick={() => void save(`delete-${role.id}`, roles.filter((r) => r.id !== role.id), `Deleted ${role.displayName ?? role.value}.`)}
                        >
                          Delete<span className="visually-hidden"> {role.displayName}</span>
                        </Button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {adding && (
        <AddAppRoleDialog
          application={application}
          onClose={() => setAdding(false)}
          onAdded={(role) => {
            setAdding(false);
            runner.setOutcome({ tone: 'success', text: `Created the app role ${role.displayName}.` });
            onChanged();
          }}
        />
      )}
    </Section>
  );
}

function AddAppRoleDialog({ application, onClose, onAdded }: { application: Application; onClose(): void; onAdded(role: AppRole): void }) {
  const graph = useGraph();
  const id = useId();
  const [values, setValues] = useState({ displayName: '', value: '', description: '', members: 'User' as RoleMembers });
  const [errors, setErrors] = useState<Partial<Record<'displayName' | 'value' | 'description', string>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (name: 'displayName' | 'value' | 'description') => (value: string) => {
    setValues((current) => ({ ...current, [name]: value }));
    setErrors((current) => ({ ...current, [name]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (values.displayName.trim() === '') found.displayName = 'Display name is required.';
    const valueProblem = checkPermissionValue(values.value, takenValues(application));
    if (valueProblem) found.value = valueProblem;
    if (values.description.trim() === '') found.description = 'Description is required.';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      const role = newAppRole(values, crypto.randomUUID());
      await updateApplication(graph, application.id, { appRoles: [...(application.appRoles ?? []), role] });
      onAdded(role);
    } catch (failure) {
      setError(describeError(failure, 'change the app roles'));
      setBusy(false);
    }
  };

  return (
    <Modal title="Create app role" onClose={onClose} testId="add-app-role-dialog">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField id={`${id}-displayName`} label="Display name" required value={values.displayName} onChange={set('displayName')} error={errors.displayName} data-autofocus />
        <RadioGroupField id={`${id}-members`} legend="Allowed member types" options={roleMemberChoices} value={values.members} onChange={(members) => setValues((current) => ({ ...current, members }))} />
        <TextField id={`${id}-value`} label="Value" required hint="Appears in the roles claim." value={values.value} onChange={set('value')} error={errors.value} spellCheck={false} autoComplete="off" />
        <TextAreaField id={`${id}-description`} label="Description" required rows={2} value={values.description} onChange={set('description')} error={errors.description} />
        {error && <Alert tone="error">{error}</Alert>}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} data-testid="save-app-role">
            Apply
          </Button>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}
