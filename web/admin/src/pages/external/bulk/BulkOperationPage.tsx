import { useEffect, useRef, useState } from 'react';
import { describeError } from '../../../graph/errors.ts';
import { useGraph } from '../../../graph/GraphContext.tsx';
import { type BulkOperation, type BulkRow, bulkRowsUrl, downloadResults, isFinished } from '../../../graph/bulkOperations.ts';
import { usePagedCollection } from '../../../hooks/usePagedCollection.ts';
import { externalPaths } from '../../../router/externalRoutes.ts';
import { Link } from '../../../router/Router.tsx';
import { Alert } from '../../../ui/Alert.tsx';
import { Badge } from '../../../ui/Badge.tsx';
import { Button } from '../../../ui/Button.tsx';
import { LoadError } from '../../../ui/LoadError.tsx';
import { Loading } from '../../../ui/Loading.tsx';
import { PageHeader } from '../../../ui/PageHeader.tsx';
import { Pager } from '../../../ui/Pager.tsx';
import { saveFile } from '../../../ui/saveFile.ts';
import { Section } from '../../../ui/Section.tsx';
import { downloadName, formatDateTime, percentDone } from '../externalRules.ts';
import { BulkStatusBadge } from './BulkStatusBadge.tsx';
import { useBulkOperation } from './useBulkOperation.ts';

const back = { to: externalPaths.bulk, label: 'Bulk invite' };

export function BulkOperationPage({ id }: { id: string }) {
  const state = useBulkOperation(id);
  if (state.status === 'loading') {
    return (
      <>
        <PageHeader title="Bulk invitation" back={back} />
        <Loading />
      </>
    );
  }
  if (state.status === 'error') {
    return (
      <>
        <PageHeader title="Bulk invitation" back={back} />
        <LoadError error={state.error} doing="view this bulk operation" />
      </>
    );
  }
  const { operation, pollError } = state;
  return (
    <>
      <PageHeader
        title={operation.fileName || 'Bulk invitation'}
        back={back}
        subtitle={
          <>
            <span className="subtitle-text">
              Started {formatDateTime(operation.createdDateTime)}
              {operation.createdBy?.displayName ? ` by ${operation.createdBy.displayName}` : ''}
            </span>{' '}
            <BulkStatusBadge status={operation.status} />
          </>
        }
        actions={<DownloadResultsButton operation={operation} />}
      />
      {pollError !== null && <Alert tone="warning">{`Couldn't refresh the progress (${describeError(pollError, 'view this bulk operation')}); trying again.`}</Alert>}
      <Progress operation={operation} />
      <Results operation={operation} />
    </>
  );
}

function Progress({ operation }: { operation: BulkOperation }) {
  const percent = percentDone(operation.processedRows, operation.totalRows);
  const finished = isFinished(operation.status);
  return (
    <Section title="Progress" testId="bulk-progress">
      <div className="progress">
        <label htmlFor="bulk-progress-bar" className="progress-label">
          {operation.processedRows} of {operation.totalRows} rows processed ({percent}%)
        </label>
        <progress id="bulk-progress-bar" max={Math.max(operation.totalRows, 1)} value={operation.processedRows} />
      </div>
      <dl className="counts" aria-live={finished ? 'polite' : 'off'}>
        <div>
          <dt>Succeeded</dt>
          <dd data-testid="bulk-succeeded">{operation.succeededRows}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd data-testid="bulk-failed">{operation.failedRows}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd data-testid="bulk-status">
            <BulkStatusBadge status={operation.status} />
          </dd>
        </div>
      </dl>
      {operation.status === 'completed' && (
        <p className="bulk-summary" role="status" data-testid="bulk-summary">
          Done{operation.completedDateTime ? ` at ${formatDateTime(operation.completedDateTime)}` : ''}:{' '}
          {operation.failedRows === 0 ? `all ${operation.succeededRows} invitations succeeded.` : `${operation.succeededRows} succeeded, ${operation.failedRows} failed; see the rows below.`}
        </p>
      )}
      {operation.status === 'failed' && (
        <Alert tone="error">The bulk operation stopped before every row was processed. The rows below show what was done; download the results for the rest.</Alert>
      )}
    </Section>
  );
}

/** The rows page follows the progress: it reloads whenever more rows were processed. */
function Results({ operation }: { operation: BulkOperation }) {
  const graph = useGraph();
  const rows = usePagedCollection<BulkRow>(bulkRowsUrl(graph, operation.id));
  const { reload } = rows;
  const seen = useRef(operation.processedRows);
  useEffect(() => {
    if (operation.processedRows === seen.current) return;
    seen.current = operation.processedRows;
    reload();
  }, [operation.processedRows, reload]);

  return (
    <Section title="Results" testId="bulk-results">
      {rows.error !== null && <LoadError error={rows.error} doing="view the results" onRetry={rows.reload} />}
      {rows.loading && rows.items.length === 0 && <Loading />}
      {!rows.loading && rows.error === null && rows.items.length === 0 && <p className="empty">The file had no rows to process.</p>}
      {rows.items.length > 0 && (
        <div className="table-wrap">
          <table className="table" data-testid="bulk-results-table" aria-busy={rows.loading || undefined}>
            <caption className="visually-hidden">Results per row</caption>
            <thead>
              <tr>
                <th scope="col">Row</th>
                <th scope="col">E-mail</th>
                <th scope="col">Status</th>
                <th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              {rows.items.map((row) => (
                <tr key={row.rowNumber} data-status={row.status}>
                  <td>{row.rowNumber}</td>
                  <td>{row.userId ? <Link to={externalPaths.guest(row.userId)}>{row.email}</Link> : row.email}</td>
                  <td>
                    <Badge tone={row.status === 'succeeded' ? 'success' : row.status === 'failed' ? 'danger' : 'neutral'}>
                      {row.status === 'succeeded' ? 'Succeeded' : row.status === 'failed' ? 'Failed' : 'Pending'}
                    </Badge>
                  </td>
                  <td className="bulk-error">{row.error?.message ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager list={rows} noun="rows" />
    </Section>
  );
}

function DownloadResultsButton({ operation }: { operation: BulkOperation }) {
  const graph = useGraph();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const download = async () => {
    setBusy(true);
    setError(null);
    try {
      const { blob, fileName } = await downloadResults(graph, operation.id);
      const base = (operation.fileName ?? 'bulk-invitations').replace(/\.csv$/i, '');
      saveFile(blob, downloadName(fileName, `${base}-results.csv`));
    } catch (failure) {
      setError(describeError(failure, 'download the results'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button busy={busy} onClick={() => void download()} data-testid="download-results">
        Download results
      </Button>
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
