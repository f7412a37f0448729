import { type FormEvent, useId, useRef, useState } from 'react';
import { describeError } from '../../../graph/errors.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { type BulkOperation, bulkOperationsUrl, downloadInvitationsTemplate, uploadInvitationsCsv } from '../../../graph/bulkOperations.ts';
import { usePagedCollection } from '../../../hooks/usePagedCollection.ts';
import { externalPaths } from '../../../router/externalRoutes.ts';
import { Link, useNavigate } from '../../../router/Router.tsx';
import { Alert } from '../../../ui/Alert.tsx';
import { Button } from '../../../ui/Button.tsx';
import { PagedTable } from '../../../ui/PagedTable.tsx';
import { saveFile } from '../../../ui/saveFile.ts';
import { Section } from '../../../ui/Section.tsx';
import { ExternalPage } from '../ExternalPage.tsx';
import { downloadName, formatDateTime } from '../externalRules.ts';
import { BulkStatusBadge } from './BulkStatusBadge.tsx';

/** The API's own limit on an upload; checked here too, so a huge file is not sent only to be refused. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

export function BulkInvitePage() {
  const graph = useGraph();
  const operations = usePagedCollection<BulkOperation>(bulkOperationsUrl(graph));
  return (
    <ExternalPage title="Bulk invite" subtitle="Invite many external users at once from a CSV file.">
      <Section title="Upload a CSV file" testId="bulk-upload">
        <ol className="steps">
          <li>Download the template and fill in one row per invitee; delete the example row.</li>
          <li>Upload the file: up to 2,000 invitees, at most 5 MB, saved as UTF-8.</li>
          <li>Follow the progress and download the results, with one line per invitee.</li>
        </ol>
        <TemplateButton />
        <UploadForm />
      </Section>
      <Section title="Bulk operations" testId="bulk-operations">
        <PagedTable
          list={operations}
          noun="bulk operations"
          caption="Bulk operations"
          doing="view bulk operations"
          testId="bulk-operations-table"
          empty="No bulk invitations yet."
          head={
            <>
              <th scope="col">File</th>
              <th scope="col">Status</th>
              <th scope="col">Succeeded</th>
              <th scope="col">Failed</th>
              <th scope="col" className="hide-narrow">
                Rows
              </th>
              <th scope="col" className="hide-narrow">
                Started
              </th>
              <th scope="col" className="hide-narrow">
                By
              </th>
            </>
          }
          row={(operation) => (
            <>
              <td>
                <Link to={externalPaths.bulkOperation(operation.id)}>{operation.fileName || 'Bulk invitation'}</Link>
              </td>
              <td>
                <BulkStatusBadge status={operation.status} />
              </td>
              <td>{operation.succeededRows}</td>
              <td>{operation.failedRows}</td>
              <td className="hide-narrow">{operation.totalRows}</td>
              <td className="hide-narrow">{formatDateTime(operation.createdDateTime)}</td>
              <td className="hide-narrow">{operation.createdBy?.displayName ?? ''}</td>
            </>
          )}
        />
      </Section>
    </ExternalPage>
  );
}

function TemplateButton() {
  const graph = useGraph();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, fileName } = await downloadInvitationsTemplate(graph);
      saveFile(blob, downloadName(fileName, 'BulkInviteTemplate.csv'));
    } catch (failure) {
      setError(describeError(failure, 'download the template'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="template-download">
      <Button busy={busy} onClick={() => void download()} data-testid="download-template">
        Download template
      </Button>
      {error && <Alert tone="error">{error}</Alert>}
    </div>
  );
}

function UploadForm() {
  const graph = useGraph();
  const navigate = useNavigate();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const check = !file ? 'Choose a CSV file to upload.' : file.size === 0 ? 'The file is empty.' : file.size > MAX_FILE_BYTES ? 'The file is larger than 5 MB.' : null;
    setProblem(check);
    if (check || !file) {
      input.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const operation = await uploadInvitationsCsv(graph, file, file.name);
      navigate(externalPaths.bulkOperation(operation.id), { notice: `${file.name} was uploaded; the invitations are being sent.` });
    } catch (failure) {
      // Graph's message names what is wrong with the file (header, row count, encoding); nothing was created.
      setError(describeError(failure, 'invite guest users'));
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(event) => void upload(event)} noValidate data-testid="bulk-upload-form">
      {error && (
        <Alert tone="error" title="The file was not accepted; no one was invited." testId="bulk-upload-error">
          {error}
        </Alert>
      )}
      <div className={`field${problem ? ' field-invalid' : ''}`}>
        <div className="field-label">
          <label htmlFor={inputId}>CSV file</label>
        </div>
        <input
          ref={input}
          id={inputId}
          type="file"
          accept=".csv,text/csv"
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${inputId}-error` : undefined}
          data-testid="bulk-file"
          onChange={(event) => {
            setFile(event.target.files?.[0] ?? null);
            setProblem(null);
          }}
        />
        {problem && (
          <p className="field-error" id={`${inputId}-error`} data-testid="bulk-file-error">
            {problem}
          </p>
        )}
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} data-testid="upload-csv">
          Upload
        </Button>
      </div>
    </form>
  );
}
