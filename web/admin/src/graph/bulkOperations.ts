import type { GraphClient } from './client.ts';
import { withQuery } from './odata.ts';

/** Tessera's `/beta/bulkOperations` (Entra has no public API for its bulk operations). */
export type BulkStatus = 'notStarted' | 'running' | 'completed' | 'failed';

export interface BulkOperation {
  id: string;
  kind: 'invitations' | string;
  status: BulkStatus;
  fileName: string | null;
  totalRows: number;
  processedRows: number;
  succeededRows: number;
  failedRows: number;
  createdDateTime: string;
  completedDateTime: string | null;
  createdBy: { id: string; displayName: string | null } | null;
}

export interface BulkRow {
  rowNumber: number;
  email: string | null;
  displayName: string | null;
  status: 'pending' | 'succeeded' | 'failed';
  error: { code: string; message: string } | null;
  userId: string | null;
  inviteRedeemUrl: string | null;
}

export const BULK_PAGE_SIZE = 50;

const path = (id: string) => `/bulkOperations/${encodeURIComponent(id)}`;

export const bulkOperationsUrl = (graph: GraphClient) => withQuery(graph.betaUrl('/bulkOperations'), { $top: 20 });

export const getBulkOperation = (graph: GraphClient, id: string, signal?: AbortSignal) => graph.get<BulkOperation>(graph.betaUrl(path(id)), { signal });

export const bulkRowsUrl = (graph: GraphClient, id: string) => withQuery(graph.betaUrl(`${path(id)}/rows`), { $top: BULK_PAGE_SIZE });

/** The file goes up as it is (text/csv); the API checks header, encoding and row count before creating anything. */
export const uploadInvitationsCsv = (graph: GraphClient, file: Blob, fileName: string) =>
  graph.postFile<BulkOperation>(withQuery(graph.betaUrl('/bulkOperations/invitations'), { fileName }), file, 'text/csv');

export const downloadResults = (graph: GraphClient, id: string) => graph.download(graph.betaUrl(`${path(id)}/results`));

export const downloadInvitationsTemplate = (graph: GraphClient) => graph.download(graph.betaUrl('/bulkOperations/templates/invitations'));

export const isFinished = (status: BulkStatus) => status === 'completed' || status === 'failed';
