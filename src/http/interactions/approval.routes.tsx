import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isAppError } from '../../kernel/errors.ts';
import { GRAPH_APP_ID, MAX_REASON_LENGTH, OIDC_SCOPES, type ConsentPrompt, type InteractiveRequest, type RequestedResource } from '../../modules/consent/index.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { verifyCsrf } from '../pages/index.ts';
import { ApprovalRequiredPage, RequestSentPage, RequestsBlockedPage } from './approval.pages.tsx';
import { consentStep } from './consent.routes.tsx';
import { type Interaction, interactionTools } from './interaction.ts';

/** Entra's answer to the app when the user could not consent and the request workflow is on. */
export const APPROVAL_REQUIRED =
  'AADSTS90095: Admin consent is required for the permissions requested by this application. An admin consent request may be sent to the admin.';

/** The sign-in's scopes as a request records them: sign-in scopes are Microsoft Graph's, the rest the resource's. */
function requestedResources(request: InteractiveRequest): RequestedResource[] {
  const graph: RequestedResource = { resourceAppId: GRAPH_APP_ID, scopes: [], appRoles: [] };
  const resource: RequestedResource = { resourceAppId: request.resourceAppId ?? GRAPH_APP_ID, scopes: [], appRoles: [] };
  for (const value of request.scopes) (OIDC_SCOPES.has(value.toLowerCase()) ? graph : resource).scopes.push(value);
  const out = resource.resourceAppId === GRAPH_APP_ID ? [{ ...graph, scopes: [...graph.scopes, ...resource.scopes] }] : [graph, resource];
  return out.filter((entry) => entry.scopes.length > 0);
}

/**
 * "Approval required" (issue 16 item 6): `/{tenant}/interaction/{uid}/approval`, where the consent
 * step (consent.routes.tsx) sends a user who may not consent while the tenant's admin consent
 * workflow is on. The user writes a justification and sends the request (modules/consent's
 * ConsentRequestsService creates or joins the app's request and mails the reviewers); "Request
 * sent" then returns to the app with access_denied, as does going back. A blocked app offers no
 * request. The interaction itself never gains a grant here.
 */
export const approvalRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { load, finish, at, clientOrigins } = interactionTools(container);
  const { requestOf } = consentStep(container);
  const limit = { rateLimit: { max: container.config.rateLimits.signIn, timeWindow: '1 minute' } };

  /** The prompt as the consent step sees it; null when the user may consent after all (then the consent page is theirs). */
  async function promptOf(scope: TenantScope, interaction: Interaction): Promise<{ request: InteractiveRequest; prompt: ConsentPrompt } | null> {
    const request = requestOf(interaction);
    const prompt = await container.consent.prompt(scope, request);
    return prompt.mayConsent ? null : { request, prompt };
  }

  const formatDate = (request: FastifyRequest, iso: string) =>
    new Intl.DateTimeFormat(request.locale === 'nl' ? 'nl-NL' : 'en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(iso));

  async function showForm(request: FastifyRequest, reply: FastifyReply, scope: TenantScope, interaction: Interaction, form: { reason?: string; error?: string; status?: number } = {}) {
    const found = await promptOf(scope, interaction);
    if (!found) return reply.redirect(at(request, interaction), 303);
    const { request: signIn, prompt } = found;
    const state = await container.consentRequests.approvalState(scope, signIn.userId, signIn.clientAppId);
    const options = { title: request.t(state.blocked ? 'approval.blocked.title' : 'approval.title'), formActionOrigins: clientOrigins(interaction) };
    if (state.blocked) return reply.page(<RequestsBlockedPage app={prompt.app} action={at(request, interaction, '/approval')} />, options);
    // the workflow was turned off meanwhile: the consent step shows "Need admin approval"
    if (!state.enabled) return reply.redirect(at(request, interaction), 303);
    return reply.page(
      <ApprovalRequiredPage
        prompt={prompt}
        action={at(request, interaction, '/approval')}
        reason={form.reason ?? state.open?.reason}
        {...(form.error ? { error: form.error } : {})}
        {...(state.open ? { pendingSince: formatDate(request, state.open.createdDateTime) } : {})}
      />,
      { ...options, ...(form.status ? { status: form.status } : {}) },
    );
  }

  app.get('/:tenant/interaction/:uid/approval', async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    return showForm(request, reply, scope, interaction);
  });

  app.get('/:tenant/interaction/:uid/approval/sent', async (request, reply) => {
    const { scope, interaction } = await load(request, reply);
    const found = await promptOf(scope, interaction);
    if (!found) return reply.redirect(at(request, interaction), 303);
    const state = await container.consentRequests.approvalState(scope, found.request.userId, found.request.clientAppId);
    if (!state.open) return reply.redirect(at(request, interaction, '/approval'), 303);
    return reply.page(<RequestSentPage app={found.prompt.app} action={at(request, interaction, '/approval')} />, {
      title: request.t('approval.sent.title'),
      formActionOrigins: clientOrigins(interaction),
    });
  });

  app.post('/:tenant/interaction/:uid/approval', { preHandler: verifyCsrf, config: limit }, async (request, reply) => {
    // a finished or expired interaction, or another browser's, fails here: an error page, no request
    const { scope, interaction } = await load(request, reply);
    const body = request.body as Record<string, unknown>;
    if (body.decision !== 'request') return finish(reply, interaction, { error: 'access_denied', error_description: APPROVAL_REQUIRED });
    const found = await promptOf(scope, interaction);
    if (!found) return reply.redirect(at(request, interaction), 303);
    const reason = typeof body.reason === 'string' ? body.reason : '';
    try {
      await container.consentRequests.submit(scope, { userId: found.request.userId, clientAppId: found.request.clientAppId, permissions: requestedResources(found.request), reason });
    } catch (error) {
      if (isAppError(error) && (error.code === 'consentRequests.reasonRequired' || error.code === 'consentRequests.reasonTooLong')) {
        const message = error.code === 'consentRequests.reasonRequired' ? request.t('approval.error.reasonRequired') : request.t('approval.error.reasonTooLong', { max: String(MAX_REASON_LENGTH) });
        return showForm(request, reply, scope, interaction, { reason: reason.slice(0, 2000), error: message, status: 400 });
      }
      throw error;
    }
    request.log.info({ tenantId: scope.tenantId, clientId: found.request.clientAppId }, 'admin consent requested');
    return reply.redirect(at(request, interaction, '/approval/sent'), 303);
  });
};
