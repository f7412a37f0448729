import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { AppError } from '../../kernel/errors.ts';
import { ODataErrors, parseTop } from '../../kernel/odata/index.ts';
import { BULK_LIMITS, BulkErrors, invitationTemplateCsv, type BulkOperation, type BulkRow } from '../../modules/bulk/index.ts';
import { nextLink, single } from './query-options.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot } from './serialize.ts';
import { collectionFingerprint, openSkipToken, relationshipFingerprint, sealSkipToken } from './skip-tokens.ts';

type IdParams = { id: string };
type Query = Record<string, string | string[] | undefined>;

/** Content types a CSV upload may come as: text/csv, and what browsers on Windows send for .csv files. */
const CSV_TYPES = ['text/csv', 'application/csv', 'application/vnd.ms-excel'];

/**
 * `/beta/bulkOperations`: Tessera's extension for Entra's bulk operations, which have no public
 * Graph API (b2b-contract.md, H3). An upload is the CSV file itself as the body; it answers 202
 * with the operation (Location: the operation) and the job does the rows. Who may use it: whoever
 * may invite (`invitations.create`, then the tenant's allowInvitesFrom in the service).
 */
export const bulkOperationsRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { bulk, config } = container;

  // This plugin's own body parsers: the file as bytes (the service checks encoding, header and rows),
  // and anything else refused (in the handler) with a message that says how to send it.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'buffer', bodyLimit: BULK_LIMITS.maxFileBytes }, (_request, body, done) => done(null, body));
  // Anything else is read (up to the file limit) and dropped: the handler refuses it, after the
  // authentication and authorization hooks, so a caller without rights learns 401/403 first.
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BULK_LIMITS.maxFileBytes }, (_request, _body, done) => done(null, undefined));

  app.post(
    '/bulkOperations/invitations',
    { config: { operation: 'invitations.create' }, bodyLimit: BULK_LIMITS.maxFileBytes },
    async (request, reply) => {
      const query = request.query as Query;
      rejectUnknownOptions(query, ['fileName']);
      if (!Buffer.isBuffer(request.body)) throw BulkErrors.unsupportedContentType();
      const operation = await bulk.upload(scopeOf(request), principalOf(request), request.body, { fileName: single(query, 'fileName') ?? null });
      const root = graphRoot(request, config.baseUrl);
      reply.code(202).header('location', `${root}/bulkOperations/${operation.id}`);
      return operationBody(root, operation);
    },
  );

  app.get('/bulkOperations', { config: { operation: 'invitations.create' } }, async (request) => {
    const query = request.query as Query;
    rejectUnknownOptions(query, ['$top', '$skiptoken']);
    const top = readTop(query);
    const fingerprint = collectionFingerprint(request, []);
    const token = single(query, '$skiptoken');
    const cursor = token === undefined ? null : openSkipToken(request, token, fingerprint);
    const after = cursor ? { createdAt: cursor.sort[0] ?? '', id: cursor.id } : null;
    if (after && Number.isNaN(Date.parse(after.createdAt))) throw ODataErrors.invalidSkipToken();
    const page = await bulk.list(scopeOf(request), principalOf(request), { top, after });
    const root = graphRoot(request, config.baseUrl);
    const body: Record<string, unknown> = { '@odata.context': contextUrl(root, 'bulkOperations', null) };
    if (page.nextAfter) body['@odata.nextLink'] = nextLink(request, root, sealSkipToken(request, { sort: [page.nextAfter.createdDateTime], id: page.nextAfter.id, fingerprint }));
    body.value = page.operations.map(withType);
    return body;
  });

  // before `/bulkOperations/:id`: a static path wins, and the template is not an operation
  app.get('/bulkOperations/templates/invitations', { config: { operation: 'invitations.create' } }, async (request, reply) => {
    rejectUnknownOptions(request.query as Query, []);
    reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="BulkInviteUsersTemplate.csv"');
    return invitationTemplateCsv();
  });

  app.get<{ Params: IdParams }>('/bulkOperations/:id', { config: { operation: 'invitations.create' } }, async (request) => {
    rejectUnknownOptions(request.query as Query, []);
    const operation = await bulk.get(scopeOf(request), principalOf(request), request.params.id);
    return operationBody(graphRoot(request, config.baseUrl), operation);
  });

  app.get<{ Params: IdParams }>('/bulkOperations/:id/rows', { config: { operation: 'invitations.create' } }, async (request) => {
    const query = request.query as Query;
    rejectUnknownOptions(query, ['$top', '$skiptoken']);
    const top = readTop(query);
    const token = single(query, '$skiptoken');
    const fingerprint = relationshipFingerprint(request);
    let after: number | null = null;
    if (token !== undefined) {
      const { id } = openSkipToken(request, token, fingerprint);
      after = /^\d{1,9}$/.test(id) ? Number(id) : Number.NaN;
      if (Number.isNaN(after)) throw ODataErrors.invalidSkipToken();
    }
    const page = await bulk.rows(scopeOf(request), principalOf(request), request.params.id, { top, after });
    const root = graphRoot(request, config.baseUrl);
    const body: Record<string, unknown> = { '@odata.context': contextUrl(root, `bulkOperations('${request.params.id.toLowerCase()}')/rows`, null) };
    if (page.nextAfter !== null) body['@odata.nextLink'] = nextLink(request, root, sealSkipToken(request, { sort: [], id: String(page.nextAfter), fingerprint }));
    body.value = page.rows.map(rowBody);
    return body;
  });

  app.get<{ Params: IdParams }>('/bulkOperations/:id/results', { config: { operation: 'invitations.create' } }, async (request, reply) => {
    rejectUnknownOptions(request.query as Query, []);
    const chunks: string[] = [];
    // read whole inside this request's turn (graph-admission.ts); a file is at most TESSERA_BULK_INVITE_MAX_ROWS rows
    for await (const chunk of await bulk.results(scopeOf(request), principalOf(request), request.params.id)) chunks.push(chunk);
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="bulk-invite-results-${request.params.id.toLowerCase()}.csv"`);
    // a BOM, so Excel reads the UTF-8 names as UTF-8
    return `\uFEFF${chunks.join('')}`;
  });
};

function operationBody(root: string, operation: BulkOperation) {
  return { '@odata.context': contextUrl(root, 'bulkOperations/$entity', null), ...withType(operation) };
}

function withType(operation: BulkOperation) {
  return { '@odata.type': '#tessera.bulkOperation', ...operation };
}

function rowBody(row: BulkRow) {
  return { rowNumber: row.rowNumber, email: row.email, displayName: row.displayName, status: row.status, error: row.error, userId: row.userId, inviteRedeemUrl: row.inviteRedeemUrl };
}

function readTop(query: Query): number {
  const text = single(query, '$top');
  return text === undefined ? 100 : parseTop(text);
}

/** Only the options a route reads; anything else is a 400 naming it (as Graph does for unknown `$` options). */
function rejectUnknownOptions(query: Query, known: readonly string[]): void {
  for (const name of Object.keys(query)) {
    if (!known.includes(name)) throw new AppError('badRequest', 'graph.unknownQueryOption', `The query parameter '${name}' is not supported.`);
  }
}
