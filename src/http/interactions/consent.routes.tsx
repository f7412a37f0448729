import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { isAppError } from '../../kernel/errors.ts';
import { ConsentErrors, GRAPH_APP_ID, OIDC_SCOPES, type ConsentPrompt, type InteractiveRequest } from '../../modules/consent/index.ts';
import { canonicalResource } from '../../oidc/index.ts';
import type { TenantScope } from '../../tenancy/scope.ts';
import { verifyCsrf } from '../pages/index.ts';
import { ConsentPage, NeedApprovalPage } from './consent.pages.tsx';
import { type Interaction, interactionTools } from './interaction.ts';

/** Entra's description when the user declines (or backs out of) consent. */
export const DECLINED = 'AADSTS65004: User declined to consent to access the app.';

/**
 * The consent step of a sign-in (issue 16 item 4). oidc-provider asks for consent when scopes are
 * missing from what is granted, and always with `prompt=consent`; this shows the app, its
 * publisher and the permissions, and records what the user accepts (modules/consent decides who
 * may accept what). A user who may not consent goes to the admin approval request (when the
 * tenant's workflow is on) or sees "Need admin approval".
 */
export function consentStep(container: Container) {
  const { finish, at, clientOrigins } = interactionTools(container);

  /** What the interaction asks for: the resource (its appId) and the scopes, sign-in scopes included. */
  function requestOf(interaction: Interaction): InteractiveRequest {
    const userId = interaction.session?.accountId;
    if (interaction.prompt.name !== 'consent' || !userId) throw ConsentErrors.notConsentInteraction();
    const scopes = [...new Set((interaction.params.scope ?? '').split(' ').filter(Boolean))];
    const indicator = interaction.params.resource;
    let resourceAppId: string | null = null;
    if (indicator) {
      const canonical = canonicalResource(indicator, container.config.baseUrl);
      const api = /^api:\/\/([0-9a-f-]{36})$/i.exec(canonical);
      resourceAppId = canonical === container.config.baseUrl ? GRAPH_APP_ID : (api?.[1]?.toLowerCase() ?? null);
      if (!resourceAppId) throw ConsentErrors.resourceNotFound(indicator);
    } else if (scopes.some((s) => !OIDC_SCOPES.has(s))) {
      resourceAppId = GRAPH_APP_ID;
    }
    return { clientAppId: interaction.params.client_id ?? '', userId, resourceAppId, scopes };
  }

  /** Nothing is missing (only `prompt=consent` asked): the grant as it stands. */
  const nothingMissing = (interaction: Interaction) => !interaction.prompt.details.missingResourceScopes && !interaction.prompt.details.missingOIDCScope;

  const page = (request: FastifyRequest, reply: FastifyReply, interaction: Interaction, prompt: ConsentPrompt) =>
    reply.page(<ConsentPage prompt={prompt} action={at(request, interaction, '/consent')} />, {
      title: request.t('consent.title'),
      formActionOrigins: clientOrigins(interaction),
    });

  /** The app's invalid scope is told to the app, as Entra does (before any prompt). */
  async function refuse(reply: FastifyReply, interaction: Interaction, error: unknown) {
    if (isAppError(error) && (error.code === 'consent.unknownScope' || error.code === 'consent.resourceNotFound')) {
      return finish(reply, interaction, { error: error.code === 'consent.unknownScope' ? 'invalid_scope' : 'invalid_target', error_description: error.message });
    }
    throw error;
  }

  /** GET `/{tenant}/interaction/{uid}` when the provider's prompt is consent. */
  async function show(request: FastifyRequest, reply: FastifyReply, scope: TenantScope, interaction: Interaction) {
    let prompt: ConsentPrompt;
    try {
      prompt = await container.consent.prompt(scope, requestOf(interaction));
    } catch (error) {
      return refuse(reply, interaction, error);
    }
    if (prompt.mayConsent) return page(request, reply, interaction, prompt);
    // nothing new to consent to (prompt=consent on what is granted already): carry on without a prompt
    if (nothingMissing(interaction)) return finish(reply, interaction, { consent: {} });
    if (await container.consentRequests.isEnabled(scope)) return reply.redirect(at(request, interaction, '/approval'), 303);
    request.log.info({ tenantId: scope.tenantId, clientId: prompt.app.appId, block: prompt.block }, 'admin consent required');
    return reply.page(<NeedApprovalPage app={prompt.app} action={at(request, interaction, '/consent')} />, {
      title: request.t('consent.needApproval.title'),
      formActionOrigins: clientOrigins(interaction),
    });
  }

  return { show, requestOf };
}

/** The consent form's POST: Accept (for me, or for the organization) or Cancel. */
export const consentRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { load, finish } = interactionTools(container);
  const { requestOf } = consentStep(container);
  const limit = { rateLimit: { max: container.config.rateLimits.signIn, timeWindow: '1 minute' } };

  app.post('/:tenant/interaction/:uid/consent', { preHandler: verifyCsrf, config: limit }, async (request, reply) => {
    // a finished or expired interaction, or another browser's, fails here: an error page, no grant
    const { scope, interaction } = await load(request, reply);
    const request_ = requestOf(interaction);
    const body = request.body as Record<string, unknown>;
    if (body.decision !== 'accept') return finish(reply, interaction, { error: 'access_denied', error_description: DECLINED });
    // the rules are applied again here: a user who may not consent gets an error page and no grant
    await container.consent.consentInteractive(scope, { ...request_, forOrganization: body.forOrganization === 'on' });
    return finish(reply, interaction, { consent: interaction.grantId ? { grantId: interaction.grantId } : {} });
  });
};
