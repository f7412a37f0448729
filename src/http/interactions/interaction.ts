import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Container } from '../../container.ts';
import { AppError } from '../../kernel/errors.ts';
import type { HomeIdentity } from '../../modules/invitations/index.ts';
import { tenantScope, type TenantScope } from '../../tenancy/scope.ts';

/** What oidc-provider tells the sign-in pages about the authorization request they serve. */
export interface Interaction {
  uid: string;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  params: Record<string, string | undefined>;
  grantId?: string;
  session?: { accountId?: string };
  /** what this page flow has established so far (oidc-provider keeps it until the interaction finishes) */
  result?: InteractionProgress & Record<string, unknown>;
  /** saves the interaction (with `result`) for the rest of its lifetime */
  persist(): Promise<unknown>;
  /** where the browser resumes the authorization request */
  returnTo: string;
}

/**
 * Steps of a sign-in that are done but not yet a login, kept server-side on the interaction.
 * Until a login result replaces them, leaving the page (or resuming the authorization) signs nobody in.
 */
export interface InteractionProgress {
  /** the password was right but must be changed first (forceChangePasswordNextSignIn) */
  passwordChange?: { accountId: string; credentialStamp: string };
  /** a pending guest signed in at home and is shown Review permissions once (direct-link redemption) */
  guestReview?: { guestId: string; home: HomeIdentity };
  /** creating a personal account (personal-accounts tenant): the address, its code, whether the code was right */
  signup?: { email: string; codeId: string | null; verified: boolean };
}

/** A completed sign-in (and, for prompt=select_account, the account choice it made). */
export function loginResult(interaction: Interaction, accountId: string, amr: string[] = ['pwd']): Record<string, unknown> {
  return {
    login: { accountId, remember: true, amr },
    ...(interaction.prompt.name === 'select_account' ? { select_account: {} } : {}),
  };
}

/** The interaction helpers every sign-in page route uses, bound to one container. */
export function interactionTools(container: Container) {
  async function load(request: FastifyRequest, reply: FastifyReply): Promise<{ scope: TenantScope; interaction: Interaction }> {
    const { tenant, uid } = request.params as { tenant: string; uid: string };
    const scope = await container.tenants.resolve(tenant);
    if (!scope) throw new AppError('notFound', 'signIn.unknownTenant', `Tenant '${tenant}' not found.`);
    const provider = await container.oidc.provider(tenantScope(scope.tenantId));
    let interaction: Interaction;
    try {
      interaction = (await provider.interactionDetails(request.raw, reply.raw)) as Interaction;
    } catch {
      throw new AppError('badRequest', 'signIn.sessionExpired', 'Your sign-in session has expired or is not valid. Go back to the application and sign in again.');
    }
    if (interaction.uid !== uid) throw new AppError('badRequest', 'signIn.sessionMismatch', 'This sign-in page belongs to another sign-in. Go back to the application and sign in again.');
    return { scope, interaction };
  }

  /** Where the browser goes after the sign-in: the client's redirect URI (already validated by the provider). */
  function clientOrigins(interaction: Interaction): string[] {
    try {
      return interaction.params.redirect_uri ? [new URL(interaction.params.redirect_uri).origin] : [];
    } catch {
      return [];
    }
  }

  /**
   * Stores the interaction's result and sends the browser back to the authorization request: what
   * `provider.interactionResult(..., { mergeWithLastSubmission: false })` does, on the interaction
   * this request has already loaded (instead of reading it from the database a second time).
   */
  async function finish(reply: FastifyReply, interaction: Interaction, result: Record<string, unknown>) {
    interaction.result = result;
    await interaction.persist();
    return reply.redirect(interaction.returnTo, 303);
  }

  const base = (request: FastifyRequest) => {
    const { tenant, uid } = request.params as { tenant: string; uid: string };
    return `/${encodeURIComponent(tenant)}/interaction/${encodeURIComponent(uid)}`;
  };
  /** A page of this interaction, keeping the language the authorization request asked for. */
  const at = (request: FastifyRequest, interaction: Interaction, step = '') => {
    const locales = interaction.params.ui_locales;
    return `${base(request)}${step}${locales ? `?ui_locales=${encodeURIComponent(locales)}` : ''}`;
  };

  return { load, clientOrigins, finish, at };
}
