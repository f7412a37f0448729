import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { JobRunner } from '../../src/jobs/runner.ts';
import { registerJobHandlers } from '../../src/jobs/handlers.ts';
import { createLogger } from '../../src/kernel/logger.ts';
import { grantsRepo } from '../../src/modules/consent/index.ts';
import { scoped } from '../../src/storage/scoped.ts';
import { tenantScope } from '../../src/tenancy/scope.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { isolationTablesSnapshot } from '../helpers/snapshot.ts';
import { ROLE, userWithRoles } from './invitations.helpers.ts';

/**
 * `/beta/bulkOperations` (issue 15 item 8 and its "Bad input" CSV part): uploads of both templates
 * processed by the real job runner with per-row results, 2,000 rows through and 2,001 refused whole
 * with nothing created, wrong headers, bad encoding, duplicates, formula cells escaped in the
 * results CSV, the legacy groups and applications, and who may upload and see what.
 */
const REDIRECT = 'https://apps.contoso.example/welcome';
const HEADINGS =
  'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]';
const current = (...rows: string[]) => `version:v1.0\r\n${HEADINGS}\r\n${rows.join('\r\n')}\r\n`;
const LEGACY = 'Email,DisplayName,InvitationText,InviteRedirectUrl,InvitedToApplications,InvitedToGroups,CcEmailAddress,Language';
const legacy = (...rows: string[]) => `${LEGACY}\n${rows.join('\n')}\n`;

for (const dialect of testDialects) {
  describe(`bulk invitations from CSV (${dialect})`, () => {
    let h: Harness;
    let runner: JobRunner;
    let admin: Graph;
    let counter = 0;
    const address = (domain = 'partner.example') => `bulk${++counter}.${dialect}@${domain}`;

    before(async () => {
      h = await createHarness(dialect, { config: { baseUrl: 'https://tessera.test' } });
      runner = new JobRunner(h.container.queue, createLogger('silent'));
      registerJobHandlers(runner, h.container);
      admin = graphCaller(h.app, h.tokens.user(h.tenant.id, h.tenant.adminId, ['Directory.ReadWrite.All', 'User.Invite.All', 'Policy.ReadWrite.Authorization']));
    });
    after(() => h.close());

    const upload = (token: string, body: string | Buffer, query = '', contentType = 'text/csv') =>
      h.app.inject({ method: 'POST', url: `/beta/bulkOperations/invitations${query}`, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload: body });
    const adminToken = () => h.tokens.user(h.tenant.id, h.tenant.adminId, ['Directory.ReadWrite.All', 'User.Invite.All']);

    /** Runs due jobs (the bulk job, a batch per transaction) until the operation is settled. */
    async function finish(id: string, graph: Graph = admin) {
      for (let i = 0; i < 200; i++) {
        await runner.runDue();
        const operation = await graph('GET', `/beta/bulkOperations/${id}`);
        assert.equal(operation.status, 200, JSON.stringify(operation.body));
        if (operation.body.status === 'completed' || operation.body.status === 'failed') return operation.body;
      }
      throw new Error('the bulk operation did not finish');
    }

    async function allRows(id: string, graph: Graph = admin, top = 999) {
      const rows: any[] = [];
      let url: string | null = `/beta/bulkOperations/${id}/rows?$top=${top}`;
      while (url) {
        const page: Awaited<ReturnType<Graph>> = await graph('GET', url);
        assert.equal(page.status, 200, JSON.stringify(page.body));
        rows.push(...page.body.value);
        url = page.body['@odata.nextLink'] ? page.body['@odata.nextLink'].replace('https://tessera.test', '') : null;
      }
      return rows;
    }

    const snapshot = () => isolationTablesSnapshot(h.db, h.tenant.id);

    test('the template download is the current Entra template', async () => {
      const response = await admin('GET', '/beta/bulkOperations/templates/invitations');
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv/);
      assert.match(String(response.headers['content-disposition']), /attachment; filename="BulkInviteUsersTemplate.csv"/);
      assert.match(response.text, /^version:v1\.0\r\nEmail address to invite \[inviteeEmail\] Required,Redirection url \[inviteRedirectURL\] Required,Send invitation message \(true or false\) \[sendEmail\],Customized invitation message \[customizedMessageBody\]\r\nexample@example.com,/);
    });

    test('the current template: 202 with Location, the job invites every row, per-row results, guests and mails', async () => {
      const [a, b, c] = [address(), address(), address()];
      const response = await upload(adminToken(), current(`${a},${REDIRECT},true,"Welcome, partner"`, `${b},${REDIRECT},false,`, `${c},${REDIRECT}`), '?fileName=partners.csv');
      assert.equal(response.statusCode, 202, response.body);
      const created = response.json();
      assert.equal(response.headers.location, `https://tessera.test/beta/bulkOperations/${created.id}`);
      assert.equal(created['@odata.context'], 'https://tessera.test/beta/$metadata#bulkOperations/$entity');
      assert.deepEqual(
        { kind: created.kind, status: created.status, fileName: created.fileName, totalRows: created.totalRows, processedRows: created.processedRows, createdBy: created.createdBy },
        { kind: 'invitations', status: 'notStarted', fileName: 'partners.csv', totalRows: 3, processedRows: 0, createdBy: { id: h.tenant.adminId, displayName: created.createdBy.displayName } },
      );
      const outboxBefore = (await h.container.mail.outbox(tenantScope(h.tenant.id), 1000)).length;

      const done = await finish(created.id);
      assert.deepEqual([done.status, done.processedRows, done.succeededRows, done.failedRows], ['completed', 3, 3, 0]);
      assert.ok(done.completedDateTime);
      const rows = await allRows(created.id);
      assert.deepEqual(rows.map((r) => [r.rowNumber, r.email, r.status, r.error]), [[3, a, 'succeeded', null], [4, b, 'succeeded', null], [5, c, 'succeeded', null]]);
      for (const row of rows) {
        assert.match(row.inviteRedeemUrl, new RegExp(`^https://tessera\\.test/redeem\\?tenant=${h.tenant.id}&user=${row.userId}&ticket=[A-Za-z0-9_-]{43}&ver=2\\.0$`));
        const guest = await admin('GET', `/users/${row.userId}?$select=userType,externalUserState,creationType,mail,userPrincipalName`);
        assert.equal(guest.status, 200);
        assert.equal(guest.body.userType, 'Guest');
        assert.equal(guest.body.externalUserState, 'PendingAcceptance');
        assert.equal(guest.body.creationType, 'Invitation');
        assert.equal(guest.body.mail, row.email);
        assert.ok(guest.body.userPrincipalName.endsWith(`#EXT#@${h.tenant.domain}`));
      }
      // sendEmail true (and an empty cell: Entra's default) queue a mail; false does not
      const everything = await h.container.mail.outbox(tenantScope(h.tenant.id), 1000);
      const outbox = everything.slice(0, everything.length - outboxBefore); // newest first
      assert.deepEqual(outbox.map((m) => m.to[0]).sort(), [a, c].sort());
      assert.match(outbox.find((m) => m.to[0] === a)!.text, /Welcome, partner/);
      // the redeem URL is kept sealed at rest
      const stored = await h.db.db.selectFrom('bulk_operation_rows').select('invite_redeem_url_sealed').where('operation_id', '=', created.id).execute();
      for (const row of stored) assert.match(String(row.invite_redeem_url_sealed), /^v1\./);
      // running the job again changes nothing: settled rows are never invited twice
      const again = await h.container.bulk.run(tenantScope(h.tenant.id), created.id, { assertLease: async () => {} });
      assert.equal(again?.succeededRows, 3);
      assert.equal((await h.container.mail.outbox(tenantScope(h.tenant.id), 1000)).length, outboxBefore + 2);
    });

    test('2,000 rows are all processed with per-row results; 2,001 are refused whole and nothing is created', async () => {
      const tag = `k${++counter}${dialect}`;
      const lines = Array.from({ length: 2001 }, (_, i) => `${tag}-${i}@scale.example,${REDIRECT},false`);
      const before = await snapshot();
      const refused = await upload(adminToken(), current(...lines));
      assert.equal(refused.statusCode, 400, refused.body);
      assert.equal(refused.json().error.code, 'Request_BadRequest');
      assert.match(refused.json().error.message, /The file has 2001 rows; at most 2000 rows can be uploaded at once/);
      assert.deepEqual(await snapshot(), before, 'a refused file created nothing');

      const response = await upload(adminToken(), current(...lines.slice(0, 2000)));
      assert.equal(response.statusCode, 202, response.body);
      const done = await finish(response.json().id);
      assert.deepEqual([done.status, done.totalRows, done.processedRows, done.succeededRows, done.failedRows], ['completed', 2000, 2000, 2000, 0]);
      const rows = await allRows(done.id, admin, 700);
      assert.equal(rows.length, 2000);
      assert.deepEqual(rows.map((r) => r.rowNumber), Array.from({ length: 2000 }, (_, i) => i + 3));
      assert.ok(rows.every((r) => r.status === 'succeeded' && r.userId && r.error === null));
      assert.equal(new Set(rows.map((r) => r.userId)).size, 2000, 'one guest per row');
      const guests = await h.db.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', h.tenant.id).where('mail', 'like', `${tag}-%`).executeTakeFirstOrThrow();
      assert.equal(Number(guests.n), 2000);
    });

    test('a wrong header, bad encoding and other broken files are refused whole with a message naming the problem', async () => {
      const before = await snapshot();
      const cases: [string | Buffer, RegExp][] = [
        ['version:v1.0\r\nEmail,Redirect\r\nx@partner.example,https://x.example\r\n', /no '\[inviteeEmail\]' column/],
        ['Mail,Name\r\nx@partner.example,X\r\n', /not a bulk invite template/],
        ['Email,DisplayName,Groups\r\nx@partner.example,X,1\r\n', /unknown column 'Groups'/],
        [Buffer.concat([Buffer.from(`${LEGACY}\nok@partner.example,Ok\nbad@partner.example,Ren`), Buffer.from([0xe9, 0x0a])]), /not valid UTF-8 \(line 3\)/],
        [Buffer.from(`\ufeff${LEGACY}\n`, 'utf16le'), /UTF-16/],
        [current(`example@example.com,https://myapps.azure.com,true,Hello`), /examples row/],
        [current(`"x@partner.example,${REDIRECT}`), /quoted cell is opened but never closed/],
        ['', /empty/],
      ];
      for (const [file, message] of cases) {
        const response = await upload(adminToken(), file);
        assert.equal(response.statusCode, 400, `${message}: ${response.body}`);
        assert.equal(response.json().error.code, 'Request_BadRequest');
        assert.match(response.json().error.message, message);
      }
      // not CSV at all, and over the size limit
      const json = await upload(adminToken(), '{"a":1}', '', 'application/json');
      assert.equal(json.statusCode, 400);
      assert.match(json.json().error.message, /Content-Type: text\/csv/);
      const huge = await upload(adminToken(), Buffer.alloc(5 * 1024 * 1024 + 1, 0x61));
      assert.equal(huge.statusCode, 413);
      assert.match(huge.json().error.message, /5242880 bytes/);
      const badName = await upload(adminToken(), current(`${address()},${REDIRECT}`), `?fileName=${encodeURIComponent('a\nb')}`);
      assert.equal(badName.statusCode, 400);
      const unknown = await upload(adminToken(), current(`${address()},${REDIRECT}`), '?$select=id');
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual(await snapshot(), before, 'refused files created nothing');
    });

    test('per-row errors: duplicates, invitation rules, missing redirect; the rest of the file goes through', async () => {
      const ok = address();
      const response = await upload(
        adminToken(),
        current(
          `${ok},${REDIRECT}`,
          `${ok.toUpperCase()},${REDIRECT}`,
          `someone@gmail.com,${REDIRECT}`,
          `not-an-address,${REDIRECT}`,
          `${address()},http://insecure.example/`,
          `${address()},`,
          `${address()},${REDIRECT},perhaps`,
        ),
      );
      assert.equal(response.statusCode, 202, response.body);
      const created = response.json();
      assert.equal(created.failedRows, 2, 'the duplicate and the bad sendEmail fail at upload');
      const done = await finish(created.id);
      assert.deepEqual([done.totalRows, done.succeededRows, done.failedRows], [7, 1, 6]);
      const rows = await allRows(done.id);
      const byRow = Object.fromEntries(rows.map((r) => [r.rowNumber, r]));
      assert.equal(byRow[3].status, 'succeeded');
      assert.match(byRow[4].error.message, /duplicate of row 3/);
      assert.match(byRow[5].error.message, /consumer e-mail domains/);
      assert.equal(byRow[6].status, 'failed');
      assert.equal(byRow[7].status, 'failed');
      assert.match(byRow[8].error.message, /inviteRedirectURL is required/);
      assert.match(byRow[9].error.message, /sendEmail must be true or false/);
      for (const row of rows.filter((r) => r.status === 'failed')) {
        assert.equal(row.userId, null);
        assert.equal(row.inviteRedeemUrl, null);
      }
      // failed rows left nothing behind: only the good row's guest exists
      const guests = await h.db.db.selectFrom('users').select('mail').where('tenant_id', '=', h.tenant.id).where('mail', 'in', rows.map((r) => r.email)).execute();
      assert.deepEqual(guests.map((g) => g.mail), [ok]);
    });

    test('formula cells are text on the way in and escaped in the results CSV', async () => {
      const name = '=HYPERLINK("http://evil.example","click")';
      const email = address();
      const response = await upload(adminToken(), legacy(`${email},"${name.replace(/"/g, '""')}",+1 call me,${REDIRECT}`, `@SUM(1+1)@partner.example,-2,,${REDIRECT}`));
      assert.equal(response.statusCode, 202, response.body);
      const done = await finish(response.json().id);
      assert.equal(done.succeededRows, 1);
      const rows = await allRows(done.id);
      const guest = await admin('GET', `/users/${rows[0].userId}?$select=displayName`);
      assert.equal(guest.body.displayName, name, 'stored as typed, not evaluated');

      const results = await admin('GET', `/beta/bulkOperations/${done.id}/results`);
      assert.equal(results.status, 200);
      assert.match(String(results.headers['content-type']), /^text\/csv/);
      assert.match(String(results.headers['content-disposition']), new RegExp(`attachment; filename="bulk-invite-results-${done.id}.csv"`));
      const lines = results.text.replace(/^\uFEFF/, '').trim().split('\r\n');
      assert.equal(lines[0], 'Row,Email address to invite,Display name,Status,Error code,Error message,User id,Invite redeem url');
      assert.ok(lines[1]!.startsWith(`2,${email},"'=HYPERLINK(""http://evil.example"",""click"")",succeeded,,,${rows[0].userId},https://tessera.test/redeem?`), lines[1]);
      assert.ok(lines[2]!.startsWith(`3,'@SUM(1+1)@partner.example,'-2,failed,`), lines[2]);
      // no cell of the download starts with a formula character
      for (const line of lines) for (const cell of line.split(',')) assert.doesNotMatch(cell.replace(/^"/, ''), /^[=+\-@\t\r]/, line);
    });

    test('legacy columns: InvitedToGroups makes the guest a member, InvitedToApplications assigns the app; unknown ones fail the row whole', async () => {
      const group = await admin('POST', '/groups', { displayName: 'Partners', mailNickname: `partners${++counter}`, mailEnabled: false, securityEnabled: true });
      const other = await admin('POST', '/groups', { displayName: 'Suppliers', mailNickname: `suppliers${++counter}`, mailEnabled: false, securityEnabled: true });
      assert.equal(group.status, 201);
      const app = await h.container.applications.create(tenantScope(h.tenant.id), { displayName: 'Partner portal', redirectUris: ['https://portal.example/cb'] });
      const [joined, missingGroup, missingApp, noRedirect] = [address(), address(), address(), address()];
      const unknownGroup = '0a1b2c3d-0000-4000-8000-00000000dead';
      const response = await upload(
        adminToken(),
        legacy(
          `${joined},Joined,Welcome,${REDIRECT},${app.appId},${group.body.id}; ${other.body.id},,nl`,
          `${missingGroup},Missing group,,${REDIRECT},,${group.body.id} ${unknownGroup},,`,
          `${missingApp},Missing app,,,${unknownGroup},,,`,
          // a legacy row without InviteRedirectUrl goes to My Account
          `${noRedirect},No redirect,,,,,,`,
        ),
      );
      assert.equal(response.statusCode, 202, response.body);
      const done = await finish(response.json().id);
      const rows = await allRows(done.id);
      assert.deepEqual(rows.map((r) => r.status), ['succeeded', 'failed', 'failed', 'succeeded'], JSON.stringify(rows));
      assert.match(rows[1].error.message, new RegExp(`InvitedToGroups: no group '${unknownGroup}'`));
      assert.match(rows[2].error.message, new RegExp(`InvitedToApplications: no application '${unknownGroup}'`));
      for (const id of [group.body.id, other.body.id]) {
        const members = await admin('GET', `/groups/${id}/members`);
        assert.deepEqual(members.body.value.map((m: { id: string }) => m.id), [rows[0].userId]);
      }
      const guest = await admin('GET', `/users/${rows[0].userId}?$select=displayName`);
      assert.equal(guest.body.displayName, 'Joined');
      const assignments = await grantsRepo.appRoleAssignments(scoped(h.db, tenantScope(h.tenant.id)), rows[0].userId, app.servicePrincipalId);
      assert.deepEqual(assignments.map((a) => [a.appRoleId, a.principalType]), [['00000000-0000-0000-0000-000000000000', 'User']]);
      // nothing half-done: the rows that failed on a group or an app created no guest and joined no group
      const strays = await h.db.db.selectFrom('users').select('id').where('tenant_id', '=', h.tenant.id).where('mail', 'in', [missingGroup, missingApp]).execute();
      assert.deepEqual(strays, []);
    });

    test('who may upload and see what: the invite rules, own operations for non-administrators, a role lost before the job runs', async () => {
      const setPolicy = async (allowInvitesFrom: string) => {
        const response = await admin('PATCH', '/policies/authorizationPolicy', { allowInvitesFrom });
        assert.equal(response.status, 204, JSON.stringify(response.body));
      };
      const inviter = await userWithRoles(h, { roles: [ROLE.guestInviter], scopes: ['User.Invite.All'] });
      const member = await userWithRoles(h, { scopes: ['User.Invite.All'] });
      const adminOp = (await upload(adminToken(), current(`${address()},${REDIRECT},false`))).json();
      try {
        await setPolicy('adminsAndGuestInviters');
        const before = await snapshot();
        // a member may not invite here: 403, before the file is even read
        const refused = await upload(member.token, current(`${address()},${REDIRECT}`));
        assert.equal(refused.statusCode, 403, refused.body);
        assert.equal(refused.json().error.code, 'Authorization_RequestDenied');
        assert.equal((await upload(member.token, 'garbage')).statusCode, 403);
        // a token without an invite permission, and an app without one
        assert.equal((await upload(h.tokens.user(h.tenant.id, h.tenant.adminId, ['User.Read']), current(`${address()},${REDIRECT}`))).statusCode, 403);
        assert.equal((await upload(h.tokens.app(h.tenant.id, ['User.Read.All']), current(`${address()},${REDIRECT}`))).statusCode, 403);
        assert.equal((await graphCaller(h.app, member.token)('GET', '/beta/bulkOperations')).status, 403);
        assert.deepEqual(await snapshot(), before);

        // a Guest Inviter uploads; sees their own operation, not the administrator's
        const inviterGraph = graphCaller(h.app, inviter.token);
        const own = await upload(inviter.token, current(`${address()},${REDIRECT},false`));
        assert.equal(own.statusCode, 202, own.body);
        const list = await inviterGraph('GET', '/beta/bulkOperations');
        assert.deepEqual(list.body.value.map((o: { id: string }) => o.id), [own.json().id]);
        assert.equal((await inviterGraph('GET', `/beta/bulkOperations/${adminOp.id}`)).status, 404);
        assert.equal((await inviterGraph('GET', `/beta/bulkOperations/${adminOp.id}/rows`)).status, 404);
        assert.equal((await inviterGraph('GET', `/beta/bulkOperations/${adminOp.id}/results`)).status, 404);
        // the administrator sees both, newest first
        const all = await admin('GET', '/beta/bulkOperations?$top=999');
        const ids = all.body.value.map((o: { id: string }) => o.id);
        assert.ok(ids.indexOf(own.json().id) < ids.indexOf(adminOp.id));

        // the inviter loses the role before the job runs: the job stops, every row fails with the reason
        const lost = await upload(inviter.token, current(`${address()},${REDIRECT},false`, `${address()},${REDIRECT},false`));
        assert.equal(lost.statusCode, 202);
        const role = (await admin('GET', '/directoryRoles')).body.value.find((r: { roleTemplateId: string }) => r.roleTemplateId === ROLE.guestInviter);
        assert.equal((await graphCaller(h.app, h.tenant.adminToken)('DELETE', `/directoryRoles/${role.id}/members/${inviter.id}/$ref`)).status, 204);
        const stopped = await finish(lost.json().id);
        assert.deepEqual([stopped.status, stopped.failedRows, stopped.succeededRows], ['failed', 2, 0]);
        assert.match(stopped.error.message, /its uploader may no longer invite guests/);
        const rows = await allRows(lost.json().id);
        assert.ok(rows.every((r) => r.status === 'failed' && r.error.code === 'uploaderMayNotInvite'));
        // and a caller who may not invite cannot read operations at all
        assert.equal((await inviterGraph('GET', `/beta/bulkOperations/${own.json().id}`)).status, 403);
      } finally {
        await setPolicy('everyone');
      }
      await finish(adminOp.id);
    });

    test('paging: $top and sealed skip tokens bound to their operation; bad ids and tokens', async () => {
      const lines = Array.from({ length: 5 }, () => `${address()},${REDIRECT},false`);
      const first = (await upload(adminToken(), current(...lines))).json();
      const second = (await upload(adminToken(), current(`${address()},${REDIRECT},false`))).json();
      await finish(first.id);
      await finish(second.id);
      const page = await admin('GET', `/beta/bulkOperations/${first.id}/rows?$top=2`);
      assert.equal(page.body.value.length, 2);
      const next = new URL(page.body['@odata.nextLink']);
      const token = next.searchParams.get('$skiptoken')!;
      const rest = await allRows(first.id, admin, 2);
      assert.equal(rest.length, 5);
      // the token of one operation's rows does not page another's, nor the list
      assert.equal((await admin('GET', `/beta/bulkOperations/${second.id}/rows?$skiptoken=${encodeURIComponent(token)}`)).status, 400);
      assert.equal((await admin('GET', `/beta/bulkOperations?$skiptoken=${encodeURIComponent(token)}`)).status, 400);
      assert.equal((await admin('GET', `/beta/bulkOperations/${first.id}/rows?$skiptoken=forged`)).status, 400);
      assert.equal((await admin('GET', `/beta/bulkOperations?$top=0`)).status, 400);
      const listed = await admin('GET', '/beta/bulkOperations?$top=1');
      assert.equal(listed.body.value.length, 1);
      const more = await admin('GET', listed.body['@odata.nextLink'].replace('https://tessera.test', ''));
      assert.equal(more.status, 200);
      assert.notEqual(more.body.value[0].id, listed.body.value[0].id);
      for (const bad of ['not-a-guid', '0a1b2c3d-0000-4000-8000-00000000beef', "' or 1=1 --"]) {
        assert.equal((await admin('GET', `/beta/bulkOperations/${encodeURIComponent(bad)}`)).status, 404);
      }
      // v1.0 has no bulk operations (a Tessera extension on beta)
      assert.equal((await admin('GET', '/v1.0/bulkOperations')).status, 400);
    });
  });
}
