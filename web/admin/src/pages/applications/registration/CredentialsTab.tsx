import { type FormEvent, useId, useRef, useState } from 'react';
import { useAccess } from '../../../access/AccessContext.tsx';
import { Actions } from '../../../access/roles.ts';
import { SelectField, TextField } from '../../../forms/Fields.tsx';
import type { Application, PasswordCredential } from '../../../graph/applicationTypes.ts';
import { addPassword, keyCredentialsWith, removePassword, updateApplication } from '../../../graph/applications.ts';
import { describeError } from '../../../graph/errors.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { Alert } from '../../../ui/Alert.tsx';
import { Button } from '../../../ui/Button.tsx';
import { CopyField } from '../../../ui/CopyField.tsx';
import { Modal } from '../../../ui/Modal.tsx';
import { Section } from '../../../ui/Section.tsx';
import { certificateKey, formatDate, secretEnd, secretLifetimes } from '../appRules.ts';
import { OutcomeAlert, useRunner } from '../useRunner.tsx';

/** Entra's "Certificates & secrets": client secrets (each shown once) and certificates (public keys only). */
export function CredentialsTab({ application, onChanged }: { application: Application; onChanged(): void }) {
  const canEdit = useAccess().can(Actions.updateApplicationCredentials);
  return (
    <>
      {!canEdit && <p className="form-note">You can view these credentials but not change them.</p>}
      <SecretsSection application={application} canEdit={canEdit} onChanged={onChanged} />
      <CertificatesSection application={application} canEdit={canEdit} onChanged={onChanged} />
    </>
  );
}

function SecretsSection({ application, canEdit, onChanged }: { application: Application; canEdit: boolean; onChanged(): void }) {
  const graph = useGraph();
  const runner = useRunner();
  const [adding, setAdding] = useState(false);
  const [created, setCreated] = useState<PasswordCredential | null>(null);
  const secrets = application.passwordCredentials ?? [];

  return (
    <Section
      title="Client secrets"
      testId="client-secrets"
      actions={
        canEdit && (
          <Button variant="primary" onClick={() => setAdding(true)} data-testid="new-client-secret">
            New client secret
          </Button>
        )
      }
    >
      <p className="field-hint">A secret string the application uses to prove its identity when requesting a token (an application password).</p>
      {created?.secretText && (
        <Alert tone="warning" title="Copy the new client secret's value now" testId="new-secret">
          <p>It is shown only this once: it is stored as a hash and cannot be read again.</p>
          <CopyField label={`Value of ${created.displayName ?? 'the new secret'}`} value={created.secretText} testId="new-secret-value" />
        </Alert>
      )}
      <OutcomeAlert outcome={runner.outcome} testId="client-secrets-outcome" />
      {secrets.length === 0 ? (
        <p className="empty">No client secrets have been created for this application.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="client-secrets-table">
            <caption className="visually-hidden">Client secrets</caption>
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col">Expires</th>
                <th scope="col">Value</th>
                <th scope="col" className="hide-narrow">
                  Secret ID
                </th>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {secrets.map((secret) => (
                <tr key={secret.keyId}>
                  <td>{secret.displayName || 'No description'}</td>
                  <td>{secret.endDateTime ? formatDate(secret.endDateTime) : 'Never'}</td>
                  <td className="mono">{secret.hint ? `${secret.hint}${'*'.repeat(8)}` : '********'}</td>
                  <td className="hide-narrow mono">{secret.keyId}</td>
                  {canEdit && (
                    <td className="cell-actions">
                      <Button
                        variant="ghost"
                        busy={runner.busy === secret.keyId}
                        disabled={runner.busy !== null}
                        aria-label={`Remove ${secret.displayName || secret.keyId}`}
                        onClick={() =>
                          void runner.run(secret.keyId, 'remove client secrets', async () => {
                            await removePassword(graph, application.id, secret.keyId);
                            if (created?.keyId === secret.keyId) setCreated(null);
                            onChanged();
                            return `Removed the client secret ${secret.displayName || secret.keyId}.`;
                          })
                        }
                      >
                        Remove
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {adding && (
        <NewSecretDialog
          applicationId={application.id}
          onClose={() => setAdding(false)}
          onCreated={(secret) => {
            setAdding(false);
            setCreated(secret);
            runner.setOutcome(null);
            onChanged();
          }}
        />
      )}
    </Section>
  );
}

function NewSecretDialog({ applicationId, onClose, onCreated }: { applicationId: string; onClose(): void; onCreated(secret: PasswordCredential): void }) {
  const graph = useGraph();
  const [description, setDescription] = useState('');
  const [months, setMonths] = useState('6');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (description.length > 100) {
      setError('Use at most 100 characters for the description.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const secret = await addPassword(graph, applicationId, { displayName: description.trim(), endDateTime: secretEnd(new Date(), Number(months)) });
      onCreated(secret);
    } catch (failure) {
      setError(describeError(failure, 'add client secrets'));
      setBusy(false);
    }
  };

  return (
    <Modal title="Add a client secret" onClose={onClose} testId="new-secret-dialog">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <TextField id={`${id}-description`} label="Description" value={description} onChange={setDescription} autoComplete="off" data-autofocus />
        <SelectField id={`${id}-expires`} label="Expires" value={months} onChange={setMonths}>
          {secretLifetimes.map((lifetime) => (
            <option key={lifetime.months} value={String(lifetime.months)}>
              {lifetime.label}
            </option>
          ))}
        </SelectField>
        {error && <Alert tone="error">{error}</Alert>}
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy} data-testid="add-secret">
            Add
          </Button>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}

function CertificatesSection({ application, canEdit, onChanged }: { application: Application; canEdit: boolean; onChanged(): void }) {
  const graph = useGraph();
  const runner = useRunner();
  const fileInput = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const nameId = useId();
  const [description, setDescription] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const certificates = application.keyCredentials ?? [];

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) {
      setProblem('Choose a certificate file (.cer, .crt or .pem).');
      return;
    }
    const checked = certificateKey(new Uint8Array(await file.arrayBuffer()));
    if ('problem' in checked) {
      setProblem(checked.problem);
      return;
    }
    setProblem(null);
    const displayName = description.trim() || file.name;
    const done = await runner.run('upload', 'upload certificates', async () => {
      const keyCredentials = keyCredentialsWith(certificates, { type: 'AsymmetricX509Cert', usage: 'Verify', key: checked.key, displayName });
      await updateApplication(graph, application.id, { keyCredentials });
      onChanged();
      return `Uploaded the certificate ${displayName}.`;
    });
    if (done) {
      setDescription('');
      if (fileInput.current) fileInput.current.value = '';
    }
  };

  return (
    <Section title="Certificates" testId="certificates">
      <p className="field-hint">A certificate's public key lets the application prove its identity with a signed assertion (private_key_jwt). The private key never leaves the application.</p>
      <OutcomeAlert outcome={runner.outcome} testId="certificates-outcome" />
      {certificates.length === 0 ? (
        <p className="empty">No certificates have been added for this application.</p>
      ) : (
        <div className="table-wrap">
          <table className="table" data-testid="certificates-table">
            <caption className="visually-hidden">Certificates</caption>
            <thead>
              <tr>
                <th scope="col">Description</th>
                <th scope="col" className="hide-narrow">
                  Thumbprint
                </th>
                <th scope="col">Expires</th>
                <th scope="col" className="hide-narrow">
                  Certificate ID
                </th>
                {canEdit && (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {certificates.map((certificate) => (
                <tr key={certificate.keyId ?? certificate.displayName}>
                  <td>{certificate.displayName || 'No description'}</td>
                  <td className="hide-narrow mono">{certificate.customKeyIdentifier ?? ''}</td>
                  <td>{certificate.endDateTime ? formatDate(certificate.endDateTime) : ''}</td>
                  <td className="hide-narrow mono">{certificate.keyId}</td>
                  {canEdit && (
                    <td className="cell-actions">
                      <Button
                        variant="ghost"
                        busy={runner.busy === certificate.keyId}
                        disabled={runner.busy !== null || !certificate.keyId}
                        aria-label={`Remove ${certificate.displayName || certificate.keyId}`}
                        onClick={() =>
                          void runner.run(certificate.keyId ?? '', 'remove certificates', async () => {
                            await updateApplication(graph, application.id, { keyCredentials: keyCredentialsWith(certificates, null, certificate.keyId ?? null) });
                            onChanged();
                            return `Removed the certificate ${certificate.displayName || certificate.keyId}.`;
                          })
                        }
                      >
                        Remove
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canEdit && (
        <form className="form" onSubmit={(event) => void upload(event)} noValidate data-testid="certificate-upload-form">
          <div className={`field${problem ? ' field-invalid' : ''}`}>
            <div className="field-label">
              <label htmlFor={fileId}>Certificate file</label>
            </div>
            <p className="field-hint" id={`${fileId}-hint`}>
              The public certificate as .cer, .crt or .pem.
            </p>
            <div className="field-control">
              <input
                id={fileId}
                ref={fileInput}
                type="file"
                accept=".cer,.crt,.pem,application/x-x509-ca-cert,application/pkix-cert"
                onChange={() => setProblem(null)}
                aria-describedby={[`${fileId}-hint`, problem ? `${fileId}-error` : null].filter(Boolean).join(' ')}
                aria-invalid={problem ? true : undefined}
                data-testid="certificate-file"
              />
            </div>
            {problem && (
              <p className="field-error" id={`${fileId}-error`} data-testid="certificate-file-error">
                {problem}
              </p>
            )}
          </div>
          <TextField id={nameId} label="Description" value={description} onChange={setDescription} autoComplete="off" />
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={runner.busy === 'upload'} disabled={runner.busy !== null} data-testid="upload-certificate">
              Upload certificate
            </Button>
          </div>
        </form>
      )}
    </Section>
  );
}
