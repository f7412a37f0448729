import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { type BodySpec, readBody } from '../../src/kernel/body.ts';
import { PROTOTYPE_KEYS } from '../../src/kernel/safe-input.ts';
import { groupBodySpec } from '../../src/modules/directory/group.schemas.ts';
import { brandingBodySpec, organizationBodySpec } from '../../src/modules/directory/organization.schemas.ts';
import { userBodySpec } from '../../src/modules/directory/user.schemas.ts';
import { testDialects } from '../helpers/databases.ts';
import { graphCaller, type Graph } from '../helpers/graph.ts';
import { createHarness, type Harness } from '../helpers/server.ts';
import { fuzzOptions, isClientError } from './fuzz-runs.ts';

/**
 * Issue 13 item 4: for any body, `readBody` returns a null-prototype object (nested objects too)
 * holding only declared, writable properties, or throws a client error; and through the API a
 * write never answers 5xx, whatever JSON (or not-JSON) it is sent.
 */
const SPECS: [string, BodySpec][] = [
  ['microsoft.graph.user', userBodySpec],
  ['microsoft.graph.group', groupBodySpec],
  ['microsoft.graph.organization', organizationBodySpec],
  ['tessera.organizationBranding', brandingBodySpec],
];

const names = (spec: BodySpec) => [...Object.keys(spec), ...PROTOTYPE_KEYS, '@odata.type', 'members@odata.bind', 'owners@odata.bind', '@odata.id', 'toString', 'password', 'x'];

/** JSON values whose object keys are mostly the table's own names (and nested ones), sometimes prototype keys. */
function bodyFor(spec: BodySpec): fc.Arbitrary<unknown> {
  const key = fc.oneof({ arbitrary: fc.constantFrom(...names(spec)), weight: 5 }, fc.constantFrom('password', 'forceChangePasswordNextSignIn', 'contactEmail', 'statementUrl', 'issuer'), fc.string({ maxLength: 6 }));
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string({ maxLength: 20 }),
      fc.constantFrom('Str0ng!Passw0rd', 'a@b.example', 'https://contoso.example/x', 'NL', 'en-US', 'Guest', '#1f6feb', ''),
      fc.boolean(),
      fc.constant(null),
      fc.double(),
      fc.integer(),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(key, tie('value'), { maxKeys: 4 }),
    ),
  }));
  return fc.oneof(fc.dictionary(key, value, { maxKeys: 6 }), value, fc.jsonValue().map((v) => v as unknown));
}

/** Every object reachable from `value` has a null prototype. */
function assertNullPrototypes(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) return value.forEach(assertNullPrototypes);
  assert.equal(Object.getPrototypeOf(value), null);
  for (const key of Object.keys(value)) {
    assert.ok(!PROTOTYPE_KEYS.has(key), key);
    assertNullPrototypes((value as Record<string, unknown>)[key]);
  }
}

describe('readBody (property-based)', () => {
  for (const [entity, spec] of SPECS) {
    test(`${entity}: declared writable own properties into null-prototype objects, or a client error`, () => {
      fc.assert(
        fc.property(bodyFor(spec), fc.boolean(), (body, viaJson) => {
          // JSON.parse is how bodies arrive: it makes `__proto__` an own property, as an attacker would send it
          const input = viaJson ? JSON.parse(JSON.stringify(body) ?? 'null') : body;
          let out: Record<string, unknown>;
          try {
            out = readBody(input, spec, entity, { allowAnnotations: ['members@odata.bind'] });
          } catch (error) {
            assert.ok(isClientError(error), String(error));
            return;
          }
          assert.equal(Object.getPrototypeOf(out), null);
          for (const name of Object.keys(out)) {
            assert.ok(!PROTOTYPE_KEYS.has(name), name);
            // an allowed annotation is kept as sent (checked for prototype keys); everything else is read into null-prototype objects
            if (name === 'members@odata.bind') continue;
            assertNullPrototypes(out[name]);
            assert.ok(Object.hasOwn(spec, name) && spec[name]!.writable !== false, `${name} is not a writable property`);
          }
        }),
        fuzzOptions(3000),
      );
    });
  }
});

for (const dialect of testDialects) {
  describe(`Graph writes never answer 5xx (${dialect})`, () => {
    let h: Harness;
    let graph: Graph;
    let userId: string;
    let groupId: string;
    before(async () => {
      h = await createHarness(dialect);
      graph = graphCaller(h.app, h.tenant.adminToken);
      userId = (await graph('POST', '/users', {
        accountEnabled: true,
        displayName: 'Fuzzed',
        mailNickname: 'fuzzed',
        userPrincipalName: `fuzzed@${h.tenant.domain}`,
        passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: false },
      })).body.id;
      groupId = (await graph('POST', '/groups', { displayName: 'Fuzzed', mailNickname: 'fuzzed', mailEnabled: false, securityEnabled: true })).body.id;
    });
    after(() => h.close());

    test('PATCH and POST with random bodies, JSON or not', async () => {
      // No password: an admin's password reset would hash (slowly) and sign the admin out.
      const userSpec = Object.fromEntries(Object.entries(userBodySpec).filter(([name]) => name !== 'passwordProfile'));
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom<[string, () => string, BodySpec]>(
            ['PATCH', () => `/users/${userId}`, userSpec],
            ['PATCH', () => `/groups/${groupId}`, groupBodySpec],
            ['POST', () => '/groups', groupBodySpec],
            ['PATCH', () => `/organization/${h.tenant.id}`, organizationBodySpec],
            ['PATCH', () => `/beta/organization/${h.tenant.id}/branding`, brandingBodySpec],
            ['POST', () => `/groups/${groupId}/members/$ref`, { '@odata.id': { type: 'string' } }],
            ['POST', () => '/directoryObjects/getByIds', { ids: { type: 'stringArray' }, types: { type: 'stringArray' } }],
          ).chain(([method, url, spec]) =>
            fc.tuple(
              fc.constant(method),
              fc.constant(url),
              fc.oneof({ arbitrary: bodyFor(spec).map((b) => JSON.stringify(b) ?? 'null'), weight: 4 }, fc.string({ maxLength: 30 }), fc.constantFrom('{', '[]', '""', '{"@odata.id":"https://x/users/%E0%A4%A"}')),
            ),
          ),
          async ([method, url, body]) => {
            const response = await graph(method, url(), body);
            assert.ok(response.status < 500, `${response.status} for ${method} ${url()} ${body}: ${response.text.slice(0, 300)}`);
            if (response.status >= 400) assert.match(response.body.error.code, /^Request_|^Authorization_/);
          },
        ),
        fuzzOptions(150),
      );
    });
  });
}
