import type { FastifyPluginAsync } from 'fastify';
import type { Container } from '../../container.ts';
import { DirectoryErrors, type Tenant } from '../../modules/directory/index.ts';
import { principalOf, scopeOf } from './request-context.ts';
import { contextUrl, graphRoot } from './serialize.ts';

type IdParams = { id: string };

/** Graph's `organization` shape of a tenant. */
function organization(tenant: Tenant) {
  return {
    id: tenant.id,
    displayName: tenant.displayName,
    countryLetterCode: tenant.countryLetterCode,
    defaultUsageLocation: tenant.countryLetterCode,
    preferredLanguage: tenant.preferredLanguage,
    city: tenant.city,
    state: tenant.state,
    street: tenant.street,
    postalCode: tenant.postalCode,
    country: null,
    createdDateTime: tenant.createdDateTime,
    tenantType: 'AAD',
    onPremisesSyncEnabled: null,
    privacyProfile: tenant.privacyProfile.contactEmail || tenant.privacyProfile.statementUrl ? tenant.privacyProfile : null,
    technicalNotificationMails: tenant.technicalNotificationMails,
    marketingNotificationEmails: [],
    securityComplianceNotificationMails: [],
    securityComplianceNotificationPhones: [],
    businessPhones: [],
    assignedPlans: [],
    provisionedPlans: [],
    verifiedDomains: tenant.verifiedDomains,
  };
}

export const organizationRoutes: FastifyPluginAsync<{ container: Container }> = async (app, { container }) => {
  const { tenants, config } = container;

  app.get('/organization', { config: { operation: 'organization.read' } }, async (request) => {
    const tenant = await tenants.organization(scopeOf(request), principalOf(request));
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'organization', null), value: [organization(tenant)] };
  });

  app.get<{ Params: IdParams }>('/organization/:id', { config: { operation: 'organization.read' } }, async (request) => {
    const tenant = await tenants.organization(scopeOf(request), principalOf(request));
    if (request.params.id.toLowerCase() !== tenant.id) {
      throw DirectoryErrors.objectNotFound(request.params.id);
    }
    return { '@odata.context': contextUrl(graphRoot(request, config.baseUrl), 'organization/$entity', null), ...organization(tenant) };
  });

  app.patch<{ Params: IdParams }>('/organization/:id', { config: { operation: 'organization.update' } }, async (request, reply) => {
    await tenants.updateOrganization(scopeOf(request), principalOf(request), request.params.id, request.body);
    return reply.code(204).send();
  });
};
