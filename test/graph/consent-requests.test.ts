import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JobRunner } from '../../src/jobs/runner.ts';
import { registerJobHandlers } from '../../src/jobs/handlers.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { GRAPH_APP_ID, grantsRepo, type RequestedResource } from '../../src/modules/consent/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { ManualClock, ROLE, userWithRoles } from './invitations.helpers.ts';

/**
 * The admin consent request workflow over Graph (issue 16 item 6; graph-reference §7): the policy
 * and its bad inputs (nothing changed), requests made and joined, the reads and
 * filterByCurrentUser, decisions by reviewers only (and only on requests made after they became
 * reviewers), approve granting tenant-wide consent, deny and block, expiry and the half-way
 * reminder as jobs on the queue driven by the clock, two decisions at once, and another tenant's ids.
 * The "Approval required" page and the admin center are driven by the browser test
 * (test/browser/consent-requests.test.ts).
 */
const SCOPES = ['ConsentRequest.ReadWrite.All', 'Policy.ReadWrite.ConsentRequest', 'Policy.Read.All', 'User.Read'];
const APP_ADMIN = '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3';
const DAY = 24 * 60 * 60 * 1000;
const REQUESTS = '/identityGovernance/appConsent/appConsentRequests';
const MINE = `${REQUESTS}/filterByCurrentUser(on='reviewer')?$filter=${encodeURIComponent("userConsentRequests/any(u:u/status eq 'InProgress')")}`;
const USER_READ: RequestedResource[] = [{ resourceAppId: GRAPH_APP_ID, scopes: ['openid', 'User.Read'], appRoles: [] }];

async function waitFor(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`gave up waiting for ${what}`);
}

for (const dialect of testDialects) {
  describe(`admin consent requests (${dialect})`, () => {
    let h: Harness;
    let clock: ManualClock;
    let runner: JobRunner;
    let ga: Graph;
    let reviewer: { id: string; upn: string; token: string };
    let appAdminReviewer: { id: string; upn: string; token: string };
    let plainReviewer: { id: string; upn: string; token: string };
    let requesters: { id: string; upn: string; token: string }[];
    const scope = () => tenantScope(h.tenant.id);
    const as = (token: string) => graphCaller(h.app, token);
    const beta = (path: string) => `/beta${path}`;

    let counter = 0;
    async function newApp(options: { applicationPermissions?: string[] } = {}): Promise<string> {
      const created = await h.container.applications.create(scope(), { displayName: `Contoso Expenses ${String(++counter).padStart(3, "0")}`, redirectUris: ['https://expenses.example/callback'], withSecret: true, ...options });
      for (const permission of options.applicationPermissions ?? []) await h.container.applications.revokeApplicationPermission(scope(), created.appId, permission);
      return created.appId;
    }

    const request = (userId: string, appId: string, reason = 'I need this for expenses', permissions = USER_READ) =>
      h.container.consentRequests.submit(scope(), { userId, clientAppId: appId, permissions, reason });

    async function roundOf(appId: string): Promise<any> {
      const list = await ga('GET', `${REQUESTS}?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`);
      assert.equal(list.status, 200, list.text);
      return list.body.value.at(-1);
    }

    async function userRequests(roundId: string): Promise<any[]> {
      const list = await ga('GET', `${REQUESTS}/${roundId}/userConsentRequests?$expand=approval`);
      assert.equal(list.status, 200, list.text);
      return list.body.value;
    }

    const outbox = async () => h.container.mail.outbox(scope(), 500);
    const mailsTo = async (upn: string, template?: string) => (await outbox()).filter((m) => m.to.includes(upn) && (!template || m.template === template));
    const tenantWideScopes = (appId: string) => h.container.applications.consentedScopes(scope(), appId, GRAPH_APP_ID, null);

    async function setPolicy(body: Record<string, unknown>): Promise<void> {
      const result = await ga('PUT', '/policies/adminConsentRequestPolicy', body);
      assert.equal(result.status, 204, result.text);
    }

    const userReviewer = (id: string) => ({ query: `/users/${id}`, queryType: 'MicrosoftGraph', queryRoot: null });

    before(async () => {
      clock = new ManualClock(Date.parse('2026-12-04T09:00:00.000Z'));
      h = await createHarness(dialect, { clock });
      ga = as(h.tokens.user(h.tenant.id, h.tenant.adminId, SCOPES));
      runner = new JobRunner(h.container.queue, createLogger('silent'), { pollMs: 20 });
      registerJobHandlers(runner, { mail: h.container.mail, consentRequests: h.container.consentRequests });
      runner.start();
      reviewer = await userWithRoles(h, { roles: [ROLE.globalAdministrator], scopes: SCOPES, name: 'reviewer' });
      appAdminReviewer = await userWithRoles(h, { roles: [APP_ADMIN], scopes: SCOPES, name: 'appadmin' });
      plainReviewer = await userWithRoles(h, { scopes: SCOPES, name: 'plain' });
      requesters = [];
      for (let i = 0; i < 3; i++) requesters.push(await userWithRoles(h, { scopes: ['User.Read'], name: `requester${i}` }));
    });
    after(async () => {
      await runner?.stop();
      await h?.close();
    });

    test('the policy starts as Entra leaves it: off, 30 days, no reviewers, version 0', async () => {
      const policy = await ga('GET', '/policies/adminConsentRequestPolicy');
      assert.equal(policy.status, 200, policy.text);
      assert.match(policy.body['@odata.context'], /\$metadata#policies\/adminConsentRequestPolicy\/\$entity$/);
      assert.deepEqual(
        { ...policy.body, '@odata.context': undefined },
        { '@odata.context': undefined, isEnabled: false, notifyReviewers: false, remindersEnabled: false, requestDurationInDays: 30, reviewers: [], version: 0 },
      );
      assert.equal(await h.container.consentRequests.isEnabled(scope()), false);
      const betaPolicy = await ga('GET', beta('/policies/adminConsentRequestPolicy'));
      assert.equal(betaPolicy.status, 200);
    });

    test('bad policies are refused with 400 and change nothing', async () => {
      const other = await createHarness(dialect);
      try {
        const foreignUser = await userWithRoles(other, { name: 'foreign' });
        const bad: [string, unknown][] = [
          ['enabled without reviewers', { isEnabled: true, reviewers: [] }],
          ['enabled, reviewers never set', { isEnabled: true }],
          ['duration 0', { requestDurationInDays: 0 }],
          ['duration 31', { requestDurationInDays: 31 }],
          ['duration not a whole number', { requestDurationInDays: 1.5 }],
          ['unknown property', { isEnabled: false, color: 'blue' }],
          ['read-only version', { version: 7 }],
          ['not an object', [1, 2]],
          ['a user that does not exist', { reviewers: [userReviewer('00000000-0000-4000-8000-000000000001')] }],
          ["another tenant's user", { reviewers: [userReviewer(foreignUser.id)] }],
          ['an unknown query form', { reviewers: [{ query: `/users?$filter=id eq '${reviewer.id}'`, queryType: 'MicrosoftGraph', queryRoot: null }] }],
          ['another query type', { reviewers: [{ query: `/users/${reviewer.id}`, queryType: 'AzureAD', queryRoot: null }] }],
          ['an unknown role', { reviewers: [{ query: "/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '00000000-0000-4000-8000-000000000002'", queryType: 'MicrosoftGraph' }] }],
          ['a group that does not exist', { reviewers: [{ query: '/groups/00000000-0000-4000-8000-000000000003/transitiveMembers/microsoft.graph.user', queryType: 'MicrosoftGraph' }] }],
          ['the same reviewer twice', { reviewers: [userReviewer(reviewer.id), userReviewer(reviewer.id.toUpperCase())] }],
          ['26 reviewers', { reviewers: Array.from({ length: 26 }, () => userReviewer(reviewer.id)) }],
          ['a prototype key', JSON.parse('{"__proto__": {"isEnabled": true}}')],
        ];
        for (const [label, body] of bad) {
          const result = await ga('PUT', '/policies/adminConsentRequestPolicy', body);
          assert.equal(result.status, 400, `${label}: ${result.text}`);
          assert.equal(result.body.error.code, 'Request_BadRequest', label);
        }
        const policy = await ga('GET', '/policies/adminConsentRequestPolicy');
        assert.equal(policy.body.version, 0);
        assert.equal(policy.body.isEnabled, false);
        assert.deepEqual(policy.body.reviewers, []);
      } finally {
        await other.close();
      }
    });

    test('only a Global Administrator turns the workflow on; callers without the permission or role are refused', async () => {
      const body = { isEnabled: true, notifyReviewers: true, remindersEnabled: false, requestDurationInDays: 10, reviewers: [userReviewer(reviewer.id)] };
      const asAppAdmin = await as(appAdminReviewer.token)('PUT', '/policies/adminConsentRequestPolicy', body);
      assert.equal(asAppAdmin.status, 403, asAppAdmin.text);
      const withoutScope = await as(h.tokens.user(h.tenant.id, h.tenant.adminId, ['User.Read', 'Directory.Read.All']))('PUT', '/policies/adminConsentRequestPolicy', body);
      assert.equal(withoutScope.status, 403);
      const plainUser = await as(plainReviewer.token)('GET', '/policies/adminConsentRequestPolicy');
      assert.equal(plainUser.status, 403, 'a user without a directory role does not read the policy');
      const appOnly = await as(h.tokens.app(h.tenant.id, ['Directory.Read.All']))('GET', '/policies/adminConsentRequestPolicy');
      assert.equal(appOnly.status, 403);
      assert.equal((await ga('GET', '/policies/adminConsentRequestPolicy')).body.version, 0);

      await setPolicy(body);
      const policy = await ga('GET', '/policies/adminConsentRequestPolicy');
      assert.equal(policy.body.isEnabled, true);
      assert.equal(policy.body.version, 1);
      assert.equal(policy.body.requestDurationInDays, 10);
      assert.deepEqual(policy.body.reviewers, [{ query: `/users/${reviewer.id}`, queryType: 'MicrosoftGraph', queryRoot: null }]);
      assert.equal(await h.container.consentRequests.isEnabled(scope()), true);
      // an Application Administrator may change the settings of a workflow that is on
      clock.advance(1000);
      const byAppAdmin = await as(appAdminReviewer.token)('PUT', '/policies/adminConsentRequestPolicy', {
        reviewers: [userReviewer(reviewer.id), userReviewer(appAdminReviewer.id), userReviewer(plainReviewer.id), { query: `/beta/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq '${ROLE.globalAdministrator}'`, queryType: 'MicrosoftGraph', queryRoot: null }],
      });
      assert.equal(byAppAdmin.status, 204, byAppAdmin.text);
      const after = await ga('GET', '/policies/adminConsentRequestPolicy');
      assert.equal(after.body.version, 2);
      assert.equal(after.body.reviewers.length, 4);
      assert.equal(after.body.requestDurationInDays, 10, 'left out: kept');
      clock.advance(1000);
    });

    test('a request creates the app round, a second submit updates it, another user joins it; reviewers get mail', async () => {
      const appId = await newApp();
      const [a, b] = requesters;
      await assert.rejects(request(a!.id, appId, '   '), (error: any) => error.code === 'consentRequests.reasonRequired');
      await assert.rejects(request(a!.id, appId, 'x'.repeat(501)), (error: any) => error.code === 'consentRequests.reasonTooLong');
      await assert.rejects(request(a!.id, appId, 'ok', [{ resourceAppId: GRAPH_APP_ID, scopes: ['Nope.Read'], appRoles: [] }]));
      assert.equal((await ga('GET', `${REQUESTS}?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`)).body.value.length, 0, 'bad requests record nothing');

      await request(a!.id, appId, 'First reason');
      await request(a!.id, appId, 'Better reason', [{ resourceAppId: GRAPH_APP_ID, scopes: ['User.Read', 'email'], appRoles: [] }]);
      await request(b!.id, appId, 'Me too');
      const round = await roundOf(appId);
      assert.equal(round.appId, appId);
      assert.match(round.appDisplayName, /^Contoso Expenses/);
      assert.deepEqual(round.pendingScopes.map((s: any) => s.displayName).sort(), ['User.Read', 'email', 'openid']);
      const users = await userRequests(round.id);
      assert.equal(users.length, 2);
      const mine = users.find((u) => u.createdBy.user.id === a!.id);
      assert.equal(mine.reason, 'Better reason');
      assert.equal(mine.status, 'InProgress');
      assert.equal(mine.approvalId, mine.id);
      assert.equal(mine.completedDateTime, null);
      assert.equal(mine.approval.stages[0].reviewResult, 'NotReviewed');
      assert.equal(mine.approval.stages[0].assignedToMe, true, 'the Global Administrator is a reviewer through the role');
      // one mail per reviewer per new request (the update sends none): reviewer, app admin, plain (the GA role holders include reviewer and the tenant admin)
      const toReviewer = await mailsTo(reviewer.upn, 'consentRequest.new');
      assert.equal(toReviewer.filter((m) => m.subject.includes(round.appDisplayName)).length, 2);
      assert.match(toReviewer[0]!.text, /\/admin\/consent-requests/);
      // the entity, $select and a filtered user list
      const one = await ga('GET', `${REQUESTS}/${round.id}?$select=appDisplayName`);
      assert.deepEqual(Object.keys(one.body).sort(), ['@odata.context', 'appDisplayName']);
      const byStatus = await ga('GET', `${REQUESTS}/${round.id}/userConsentRequests?$filter=${encodeURIComponent("status eq 'Completed'")}`);
      assert.deepEqual(byStatus.body.value, []);
      const single = await ga('GET', `${REQUESTS}/${round.id}/userConsentRequests/${mine.id}`);
      assert.equal(single.status, 200);
      assert.equal(single.body.approval, undefined);
      const approval = await ga('GET', `${REQUESTS}/${round.id}/userConsentRequests/${mine.id}/approval`);
      assert.equal(approval.body.stages.length, 1);
    });

    test('filterByCurrentUser(on=\'reviewer\'): its $filter is required, other functions and filters are refused', async () => {
      const mine = await as(reviewer.token)('GET', MINE);
      assert.equal(mine.status, 200, mine.text);
      assert.ok(mine.body.value.length >= 1);
      const encoded = await as(reviewer.token)('GET', `${REQUESTS}/filterByCurrentUser(on=%27reviewer%27)?$filter=${encodeURIComponent("userConsentRequests/any(u:u/status eq 'InProgress')")}`);
      assert.equal(encoded.status, 200, encoded.text);
      assert.equal((await as(reviewer.token)('GET', `${REQUESTS}/filterByCurrentUser(on='reviewer')`)).status, 400);
      assert.equal((await as(reviewer.token)('GET', `${REQUESTS}/filterByCurrentUser(on='requestor')?$filter=appId eq 'x'`)).status, 400);
      for (const filter of ["appId ne 'x'", "startswith(appDisplayName,'C')", "userConsentRequests/any(u:u/reason eq 'x')", "userConsentRequests/any(u:u/status eq 'Sleeping')", "appId eq 'a' or appId eq 'b'"]) {
        const result = await as(reviewer.token)('GET', `${REQUESTS}/filterByCurrentUser(on='reviewer')?$filter=${encodeURIComponent(filter)}`);
        assert.equal(result.status, 400, `${filter}: ${result.text}`);
      }
      assert.equal((await ga('GET', `${REQUESTS}?$orderby=reason`)).status, 400);
      // a user who reviews nothing sees nothing; a user without the scope is refused
      const outsider = await userWithRoles(h, { scopes: ['ConsentRequest.Read.All'], name: 'outsider' });
      const none = await as(outsider.token)('GET', MINE);
      assert.equal(none.status, 200);
      assert.deepEqual(none.body.value, []);
      assert.equal((await as(outsider.token)('GET', REQUESTS)).status, 403, 'listing every request needs a role that reads them');
      assert.equal((await as(requesters[0]!.token)('GET', MINE)).status, 403);
    });

    test('$orderby and paging over app rounds', async () => {
      for (let i = 0; i < 2; i++) await request(requesters[i]!.id, await newApp());
      const all = await ga('GET', `${REQUESTS}?$orderby=appDisplayName desc&$top=1`);
      assert.equal(all.status, 200, all.text);
      assert.equal(all.body.value.length, 1);
      assert.ok(all.body['@odata.nextLink']);
      const next = await ga('GET', all.body['@odata.nextLink'].replace(/^.*\/v1\.0/, ''));
      assert.equal(next.status, 200, next.text);
      assert.ok(next.body.value[0].appDisplayName <= all.body.value[0].appDisplayName);
    });

    test('only reviewers decide, and only on requests made after they became reviewers', async () => {
      const appId = await newApp();
      await request(requesters[0]!.id, appId);
      const round = await roundOf(appId);
      // an Application Administrator named as reviewer (a user entry) only now, after the request
      const late = await userWithRoles(h, { roles: [APP_ADMIN], scopes: SCOPES, name: 'late' });
      clock.advance(1000);
      const policy = (await ga('GET', '/policies/adminConsentRequestPolicy')).body;
      await setPolicy({ reviewers: [...policy.reviewers, userReviewer(late.id)] });
      const byLate = await as(late.token)('POST', beta(`${REQUESTS}/${round.id}/approve`), {});
      assert.equal(byLate.status, 403, byLate.text);
      assert.equal((await as(late.token)('GET', MINE)).body.value.some((r: any) => r.id === round.id), false);
      const byNonReviewer = await as(requesters[1]!.token)('POST', beta(`${REQUESTS}/${round.id}/deny`), { justification: 'no' });
      assert.equal(byNonReviewer.status, 403);
      const appOnly = await as(h.tokens.app(h.tenant.id, ['ConsentRequest.ReadWrite.All']))('POST', beta(`${REQUESTS}/${round.id}/approve`), {});
      assert.equal(appOnly.status, 403);
      assert.equal((await ga('POST', `${REQUESTS}/${round.id}/approve`, {})).status, 400, 'decisions are beta extensions');
      assert.equal((await tenantWideScopes(appId)).size, 0, 'nothing granted');
      assert.equal((await userRequests(round.id))[0].status, 'InProgress');
    });

    test('deny needs a justification, tells every requester, and they may ask again', async () => {
      const appId = await newApp();
      await request(requesters[0]!.id, appId);
      await request(requesters[1]!.id, appId);
      const round = await roundOf(appId);
      for (const body of [{}, { justification: '  ' }, { justification: 'x'.repeat(501) }, { justification: 'ok', extra: 1 }]) {
        const result = await as(plainReviewer.token)('POST', beta(`${REQUESTS}/${round.id}/deny`), body);
        assert.equal(result.status, 400, JSON.stringify(body));
      }
      const denied = await as(plainReviewer.token)('POST', beta(`${REQUESTS}/${round.id}/deny`), { justification: 'Use the approved expenses tool' });
      assert.equal(denied.status, 204, denied.text);
      const again = await as(reviewer.token)('POST', beta(`${REQUESTS}/${round.id}/approve`), {});
      assert.equal(again.status, 409, 'already decided');
      const users = await userRequests(round.id);
      for (const user of users) {
        assert.equal(user.status, 'Completed');
        assert.ok(user.completedDateTime);
        const [stage] = user.approval.stages;
        assert.equal(stage.reviewResult, 'Denied');
        assert.equal(stage.justification, 'Use the approved expenses tool');
        assert.equal(stage.reviewedBy.id, plainReviewer.id);
        assert.equal(stage.status, 'Completed');
      }
      for (const who of requesters.slice(0, 2)) {
        const [mail] = (await mailsTo(who.upn, 'consentRequest.denied')).filter((m) => m.subject.includes(round.appDisplayName));
        assert.ok(mail, `${who.upn} is told`);
        assert.match(mail.text, /Use the approved expenses tool/);
      }
      assert.equal((await tenantWideScopes(appId)).size, 0);
      // asking again opens a new round
      await request(requesters[0]!.id, appId, 'Please reconsider');
      const list = await ga('GET', `${REQUESTS}?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`);
      assert.equal(list.body.value.length, 2);
      const pending = await ga('GET', `${REQUESTS}?$filter=${encodeURIComponent(`appId eq '${appId}' and userConsentRequests/any(u:u/status eq 'InProgress')`)}`);
      assert.equal(pending.body.value.length, 1);
      assert.notEqual(pending.body.value[0].id, round.id);
    });

    test('approve grants tenant-wide consent to what was asked; a reviewer without an admin role may not approve', async () => {
      const appId = await newApp();
      await request(requesters[0]!.id, appId);
      const round = await roundOf(appId);
      const byPlain = await as(plainReviewer.token)('POST', beta(`${REQUESTS}/${round.id}/approve`), {});
      assert.equal(byPlain.status, 403, byPlain.text);
      assert.equal((await tenantWideScopes(appId)).size, 0);
      const approved = await as(appAdminReviewer.token)('POST', beta(`${REQUESTS}/${round.id}/approve`), { justification: 'Fine' });
      assert.equal(approved.status, 204, approved.text);
      assert.deepEqual([...(await tenantWideScopes(appId))].sort(), ['User.Read', 'openid']);
      const [user] = await userRequests(round.id);
      assert.equal(user.approval.stages[0].reviewResult, 'Approved');
      assert.equal(user.approval.stages[0].assignedToMe, false, 'decided: nothing left to do');
      assert.equal((await mailsTo(requesters[0]!.upn, 'consentRequest.approved')).filter((m) => m.subject.includes(round.appDisplayName)).length, 1);
      assert.equal((await as(reviewer.token)('POST', beta(`${REQUESTS}/${round.id}/deny`), { justification: 'late' })).status, 409);
    });

    test('application permissions of Microsoft Graph: only a Global Administrator approves', async () => {
      const appId = await newApp({ applicationPermissions: ['User.Read.All'] });
      await request(requesters[1]!.id, appId);
      const round = await roundOf(appId);
      assert.ok(round.pendingScopes.some((s: any) => s.displayName === 'User.Read.All'), 'the registration\'s application permission is part of the round');
      const byAppAdmin = await as(appAdminReviewer.token)('POST', beta(`${REQUESTS}/${round.id}/approve`), {});
      assert.equal(byAppAdmin.status, 403, byAppAdmin.text);
      assert.deepEqual(await h.container.applications.applicationRoles(scope(), appId, GRAPH_APP_ID), []);
      const byGa = await as(reviewer.token)('POST', beta(`${REQUESTS}/${round.id}/approve`), {});
      assert.equal(byGa.status, 204, byGa.text);
      assert.deepEqual(await h.container.applications.applicationRoles(scope(), appId, GRAPH_APP_ID), ['User.Read.All']);
    });

    test('block disables the app here, tells the requesters, and refuses further requests', async () => {
      const appId = await newApp();
      await request(requesters[2]!.id, appId);
      const round = await roundOf(appId);
      assert.equal((await as(plainReviewer.token)('POST', beta(`${REQUESTS}/${round.id}/block`), {})).status, 400);
      const blocked = await as(plainReviewer.token)('POST', beta(`${REQUESTS}/${round.id}/block`), { justification: 'Not allowed here' });
      assert.equal(blocked.status, 204, blocked.text);
      assert.equal(await h.container.consentRequests.isBlocked(scope(), appId), true);
      assert.equal((await h.container.applications.servicePrincipal(scope(), appId))?.accountEnabled, false);
      assert.equal((await mailsTo(requesters[2]!.upn, 'consentRequest.blocked')).filter((m) => m.subject.includes(round.appDisplayName)).length, 1);
      await assert.rejects(request(requesters[0]!.id, appId), (error: any) => error.code === 'consentRequests.appBlocked');
      assert.equal((await userRequests(round.id))[0].approval.stages[0].reviewResult, 'Denied');
      assert.equal((await tenantWideScopes(appId)).size, 0);
    });

    test('requests expire after requestDurationInDays (a job): the requester is told, approving then grants nothing', async () => {
      const appId = await newApp();
      await request(requesters[0]!.id, appId);
      const round = await roundOf(appId);
      clock.advance(10 * DAY + 1000);
      // the job may not have run yet: the decision itself sees the time is up
      const late = await as(reviewer.token)('POST', beta(`${REQUESTS}/${round.id}/approve`), {});
      assert.equal(late.status, 409, late.text);
      assert.equal((await tenantWideScopes(appId)).size, 0);
      h.container.queue.nudge();
      await waitFor('the expiry job', async () => (await userRequests(round.id))[0].status === 'Expired');
      const expiredMails = async () => (await mailsTo(requesters[0]!.upn, 'consentRequest.expired')).filter((m) => m.subject.includes(round.appDisplayName));
      await waitFor('the expiry mail', async () => (await expiredMails()).length === 1);
      assert.equal((await as(reviewer.token)('POST', beta(`${REQUESTS}/${round.id}/deny`), { justification: 'x' })).status, 409);
      // the round closed: a new request opens another
      await request(requesters[0]!.id, appId, 'Once more');
      const list = await ga('GET', `${REQUESTS}?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`);
      assert.equal(list.body.value.length, 2);
    });

    test('one reminder half-way when reminders are on', async () => {
      await setPolicy({ remindersEnabled: true, requestDurationInDays: 4 });
      const appId = await newApp();
      await request(requesters[1]!.id, appId, 'Reminder please');
      const round = await roundOf(appId);
      const reminders = async () => (await mailsTo(reviewer.upn, 'consentRequest.reminder')).filter((m) => m.subject.includes(round.appDisplayName));
      assert.equal((await reminders()).length, 0);
      clock.advance(2 * DAY + 1000);
      h.container.queue.nudge();
      await waitFor('the reminder', async () => (await reminders()).length === 1);
      clock.advance(1000);
      h.container.queue.nudge();
      assert.equal((await reminders()).length, 1, 'only one');
      await setPolicy({ remindersEnabled: false, requestDurationInDays: 10 });
    });

    test('two reviewers deciding at once: exactly one decision wins', async () => {
      for (let round = 0; round < 6; round++) {
        const appId = await newApp();
        await request(requesters[round % 3]!.id, appId);
        const { id } = await roundOf(appId);
        const results = await Promise.all([
          as(reviewer.token)('POST', beta(`${REQUESTS}/${id}/approve`), {}),
          as(appAdminReviewer.token)('POST', beta(`${REQUESTS}/${id}/deny`), { justification: 'No' }),
        ]);
        const label = JSON.stringify(results.map((r) => [r.status, r.body?.error?.message]));
        assert.deepEqual(results.map((r) => r.status).sort(), [204, 409], label);
        const approved = results[0]!.status === 204;
        assert.equal((await tenantWideScopes(appId)).size > 0, approved, label);
        const [user] = await userRequests(id);
        assert.equal(user.approval.stages[0].reviewResult, approved ? 'Approved' : 'Denied', label);
      }
    });

    test('two first requests for one app at once end in one round', async () => {
      const appId = await newApp();
      await Promise.all([request(requesters[0]!.id, appId, 'one'), request(requesters[1]!.id, appId, 'two')]);
      const list = await ga('GET', `${REQUESTS}?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`);
      assert.equal(list.body.value.length, 1);
      assert.equal((await userRequests(list.body.value[0].id)).length, 2);
    });

    test("another tenant's request ids are not found", async () => {
      const other = await createHarness(dialect);
      try {
        const otherGa = graphCaller(other.app, other.tokens.user(other.tenant.id, other.tenant.adminId, SCOPES));
        const appId = await newApp();
        await request(requesters[2]!.id, appId);
        const round = await roundOf(appId);
        const [user] = await userRequests(round.id);
        assert.equal((await otherGa('GET', `${REQUESTS}/${round.id}`)).status, 404);
        assert.equal((await otherGa('GET', `${REQUESTS}/${round.id}/userConsentRequests`)).status, 404);
        assert.equal((await otherGa('GET', `${REQUESTS}/${round.id}/userConsentRequests/${user.id}`)).status, 404);
        assert.equal((await otherGa('POST', beta(`${REQUESTS}/${round.id}/approve`), {})).status, 404);
        assert.equal((await ga('GET', `${REQUESTS}/${round.id}/userConsentRequests/${round.id}`)).status, 404);
        assert.equal((await userRequests(round.id))[0].status, 'InProgress');
        const grants = await grantsRepo.listPermissionGrants(scoped(h.db, scope()), {}, null, 1000);
        assert.ok(grants.length > 0);
      } finally {
        await other.close();
      }
    });
  });
}
