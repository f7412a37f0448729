import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { AppError } from '../../kernel/errors.ts';
import { parseFilter, parseOrderBy, parseTop } from '../../kernel/odata/index.ts';
import { ConsentRequestErrors } from '../../modules/consent/index.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot, project } from './serialize.ts';
import { collectionFingerprint, openSkipToken, sealSkipToken } from './skip-tokens.ts';
import { nextLink, readSelect, single } from './query-options.ts';

type Query = Record<string, string | string[] | undefined>;

const APP_REQUEST_PROPERTIES = ['id', 'appId', 'appDisplayName', 'pendingScopes'];
const USER_REQUEST_PROPERTIES = ['id', 'approvalId', 'status', 'createdBy', 'createdDateTime', 'completedDateTime', 'reason', 'customData', 'approval'];
const APP_OPTIONS = new Set(['$filter', '$orderby', '$top', '$skiptoken', '$select']);
const USER_OPTIONS = new Set(['$filter', '$top', '$skiptoken', '$select', '$expand']);

const ROOT = '/identityGovernance/appConsent/appConsentRequests';
/** `filterByCurrentUser(on='reviewer')` as a path segment (the router hands it over decoded) */
const FILTER_BY_CURRENT_USER = /^filterByCurrentUser\(on='([^']*)'\)$/i;

/** Whether a key segment is the `filterByCurrentUser` function; only `on='reviewer'` exists (Graph's enum). */
function isReviewerFunction(segment: string): boolean {
  const match = FILTER_BY_CURRENT_USER.exec(segment);
  if (!match) return false;
  if (match[1]?.toLowerCase() !== 'reviewer') throw ConsentRequestErrors.unsupportedFunction(segment);
  return true;
}

function checkOptions(query: Query, allowed: ReadonlySet<string>): void {
  for (const name of Object.keys(query)) {
    if (name.startsWith('$') && !allowed.has(name.toLowerCase())) throw new AppError('badRequest', 'graph.unknownQueryOption', `The query parameter '${name}' is not supported.`);
  }
}

/** `$expand=approval` (the only relationship a userConsentRequest has). */
function expandsApproval(query: Query): boolean {
  const expand = single(query, '$expand');
  if (expand === undefined) return false;
  if (expand.trim().toLowerCase() !== 'approval') throw new AppError('badRequest', 'graph.unknownExpand', `Parsing OData Select and Expand failed: Could not find a property named '${expand}' on type 'microsoft.graph.userConsentRequest'.`);
  return true;
}

/**
 * The admin consent workflow on Graph (graph-reference §7): `policies/adminConsentRequestPolicy`
 * (GET, PUT → 204) and `identityGovernance/appConsent/appConsentRequests` with their
 * userConsentRequests, approvals and `filterByCurrentUser(on='reviewer')`, on v1.0 and beta; on
 * beta only, Tessera's decisions (Graph has none, §7.4): `.../appConsentRequests/{id}/approve`,
 * `/deny` and `/block` → 204, 409 when the request was already decided or has expired.
 *
 * Routes whose key segment may be the `filterByCurrentUser` function declare `anyAuthenticated`;
 * the service authorizes each (reviewers need not hold an administrator role to see their requests).
 */
export const consentRequestsRoutes: FastifyPluginAsync<{ container: Container; version: 'v1.0' | 'beta' }> = async (app, { container, version }) => {
  const service = container.consentRequests;
  const root = (request: FastifyRequest) => graphRoot(request, container.config.baseUrl);

  app.get('/policies/adminConsentRequestPolicy', { config: { operation: 'policies.consentRequest.read' } }, async (request) => {
    const policy = await service.policy(scopeOf(request), principalOf(request));
    return { '@odata.context': contextUrl(root(request), 'policies/adminConsentRequestPolicy/$entity', null), ...policy };
  });

  app.put('/policies/adminConsentRequestPolicy', { config: { operation: 'policies.consentRequest.update' } }, async (request, reply) => {
    await service.updatePolicy(scopeOf(request), principalOf(request), request.body);
    return reply.code(204).send();
  });

  const listAppRequests = async (request: FastifyRequest, reviewer: boolean) => {
    const query = request.query as Query;
    checkOptions(query, APP_OPTIONS);
    const select = readSelect(query, APP_REQUEST_PROPERTIES, 'microsoft.graph.appConsentRequest');
    const filterText = single(query, '$filter');
    const orderText = single(query, '$orderby');
    const topText = single(query, '$top');
    const order = orderText === undefined ? undefined : parseOrderBy(orderText);
    if (order && order.length > 1) throw ConsentRequestErrors.unsupportedOrderBy(orderText!);
    const fingerprint = collectionFingerprint(request, [filterText ?? '', orderText ?? '', select?.join(',') ?? '']);
    const tokenText = single(query, '$skiptoken');
    const after = tokenText === undefined ? null : openSkipToken(request, tokenText, fingerprint);
    const page = await service.listAppRequests(
      scopeOf(request),
      principalOf(request),
      {
        ...(filterText === undefined ? {} : { filter: parseFilter(filterText) }),
        ...(order?.[0] ? { orderBy: order[0] } : {}),
        top: topText === undefined ? 100 : parseTop(topText),
        after: after ? { sort: String(after.sort[0] ?? ''), id: after.id } : null,
      },
      { reviewer },
    );
    return {
      '@odata.context': contextUrl(root(request), 'identityGovernance/appConsent/appConsentRequests', select),
      ...(page.next ? { '@odata.nextLink': nextLink(request, root(request), sealSkipToken(request, { sort: [page.next.sort], id: page.next.id, fingerprint })) } : {}),
      value: page.items.map((item) => project(item, select, APP_REQUEST_PROPERTIES)),
    };
  };

  const listUserRequests = async (request: FastifyRequest, roundId: string, reviewer: boolean) => {
    const query = request.query as Query;
    checkOptions(query, USER_OPTIONS);
    const select = readSelect(query, USER_REQUEST_PROPERTIES, 'microsoft.graph.userConsentRequest');
    const expandApproval = expandsApproval(query);
    const filterText = single(query, '$filter');
    const topText = single(query, '$top');
    const fingerprint = collectionFingerprint(request, [roundId, filterText ?? '', select?.join(',') ?? '', String(expandApproval)]);
    const tokenText = single(query, '$skiptoken');
    const after = tokenText === undefined ? null : openSkipToken(request, tokenText, fingerprint).id;
    const page = await service.listUserRequests(
      scopeOf(request),
      principalOf(request),
      roundId,
      { ...(filterText === undefined ? {} : { filter: parseFilter(filterText) }), top: topText === undefined ? 100 : parseTop(topText), after, expandApproval },
      { reviewer },
    );
    const defaults = expandApproval ? USER_REQUEST_PROPERTIES : USER_REQUEST_PROPERTIES.filter((p) => p !== 'approval');
    return {
      '@odata.context': contextUrl(root(request), `identityGovernance/appConsent/appConsentRequests('${roundId}')/userConsentRequests`, select),
      ...(page.next ? { '@odata.nextLink': nextLink(request, root(request), sealSkipToken(request, { sort: [page.next.sort], id: page.next.id, fingerprint })) } : {}),
      value: page.items.map((item) => project(item, select ? [...select, ...(expandApproval ? ['approval'] : [])] : null, defaults)),
    };
  };

  app.get(ROOT, { config: { operation: 'consentRequests.read' } }, (request) => listAppRequests(request, false));

  app.get<{ Params: { id: string } }>(`${ROOT}/:id`, { config: { operation: 'anyAuthenticated' } }, async (request) => {
    if (isReviewerFunction(request.params.id)) return listAppRequests(request, true);
    const query = request.query as Query;
    checkOptions(query, new Set(['$select']));
    const select = readSelect(query, APP_REQUEST_PROPERTIES, 'microsoft.graph.appConsentRequest');
    const item = await service.getAppRequest(scopeOf(request), principalOf(request), request.params.id);
    return { '@odata.context': contextUrl(root(request), 'identityGovernance/appConsent/appConsentRequests/$entity', select), ...project(item, select, APP_REQUEST_PROPERTIES) };
  });

  app.get<{ Params: { id: string } }>(`${ROOT}/:id/userConsentRequests`, { config: { operation: 'consentRequests.read' } }, (request) => listUserRequests(request, request.params.id, false));

  app.get<{ Params: { id: string; requestId: string } }>(`${ROOT}/:id/userConsentRequests/:requestId`, { config: { operation: 'anyAuthenticated' } }, async (request) => {
    const { id, requestId } = request.params;
    if (isReviewerFunction(requestId)) return listUserRequests(request, id, true);
    const query = request.query as Query;
    checkOptions(query, new Set(['$select', '$expand']));
    const select = readSelect(query, USER_REQUEST_PROPERTIES, 'microsoft.graph.userConsentRequest');
    const expandApproval = expandsApproval(query);
    const item = await service.getUserRequest(scopeOf(request), principalOf(request), id, requestId, { expandApproval });
    const defaults = expandApproval ? USER_REQUEST_PROPERTIES : USER_REQUEST_PROPERTIES.filter((p) => p !== 'approval');
    return {
      '@odata.context': contextUrl(root(request), `identityGovernance/appConsent/appConsentRequests('${id}')/userConsentRequests/$entity`, select),
      ...project(item, select ? [...select, ...(expandApproval ? ['approval'] : [])] : null, defaults),
    };
  });

  app.get<{ Params: { id: string; requestId: string } }>(`${ROOT}/:id/userConsentRequests/:requestId/approval`, { config: { operation: 'consentRequests.read' } }, async (request) => {
    const { id, requestId } = request.params;
    const approval = await service.getApproval(scopeOf(request), principalOf(request), id, requestId);
    return { '@odata.context': contextUrl(root(request), `identityGovernance/appConsent/appConsentRequests('${id}')/userConsentRequests('${requestId}')/approval/$entity`, null), ...approval };
  });

  if (version !== 'beta') return;

  // Tessera's extensions: Graph decides these only in the portal (graph-reference §7.4)
  for (const decision of ['approve', 'deny', 'block'] as const) {
    app.post<{ Params: { id: string } }>(`${ROOT}/:id/${decision}`, { config: { operation: 'consentRequests.decide' } }, async (request, reply) => {
      await service.decide(scopeOf(request), principalOf(request), request.params.id, decision, request.body);
      return reply.code(204).send();
    });
  }
};
