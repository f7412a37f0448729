import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { GLOBAL_ADMINISTRATOR } from '../../web/admin/src/access/roles.ts';
import { matchesTypedName, planUserActions, type TargetFacts } from '../../web/admin/src/pages/users/userActionRules.ts';

/**
 * Issue #13, item 1, admin center: which of delete and disable the user page offers on a target,
 * and when it asks for the target's name to be typed. Pure rules, no DOM: the page renders them.
 */
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
const DIRECTORY_READERS = '88d8e3e3-8f55-4a1e-953a-9b9898b8876b';
const globalAdmin = { displayName: 'Global Administrator', roleTemplateId: GLOBAL_ADMINISTRATOR };
const userAdmin = { displayName: 'User Administrator', roleTemplateId: USER_ADMINISTRATOR };
const readers = { displayName: 'Directory Readers', roleTemplateId: DIRECTORY_READERS };

const SELF = "You can't delete or disable your own account.";
const LAST_GA = 'This is the only enabled Global Administrator; assign another one first.';

const target = (facts: Partial<TargetFacts>): TargetFacts => ({
  name: 'Alex Wilber',
  isSelf: false,
  accountEnabled: true,
  roles: [],
  otherEnabledGlobalAdmins: 0,
  ...facts,
});

const refused = { offered: false } as const;
const plain = { offered: true, typedConfirmation: false } as const;
const typed = { offered: true, typedConfirmation: true } as const;

describe('planUserActions', () => {
  const cases: [string, Partial<TargetFacts>, { delete: object; disable: object; notes: RegExp[] }][] = [
    ['a user without roles', {}, { delete: plain, disable: plain, notes: [] }],
    ['a disabled user without roles', { accountEnabled: false }, { delete: plain, disable: refused, notes: [] }],
    ['a limited administrator', { roles: [userAdmin] }, { delete: typed, disable: typed, notes: [/Alex Wilber holds an administrator role \(User Administrator\)/] }],
    ['a reader role is a directory role too', { roles: [readers] }, { delete: typed, disable: typed, notes: [/administrator role \(Directory Readers\)/] }],
    ['one of two enabled Global Administrators', { roles: [globalAdmin, userAdmin], otherEnabledGlobalAdmins: 1 }, { delete: typed, disable: typed, notes: [/\(Global Administrator, User Administrator\)/] }],
    ['the only enabled Global Administrator', { roles: [globalAdmin], otherEnabledGlobalAdmins: 0 }, { delete: refused, disable: refused, notes: [new RegExp(LAST_GA.replace(/[.;]/g, '\\$&'))] }],
    // deleting a disabled one leaves the enabled ones as they are
    ['a disabled Global Administrator when no other is enabled', { roles: [globalAdmin], accountEnabled: false }, { delete: typed, disable: refused, notes: [/holds an administrator role/] }],
    ['oneself, without roles', { isSelf: true }, { delete: refused, disable: refused, notes: [/^You can't delete or disable your own account\.$/] }],
    ['oneself, one of two Global Administrators', { isSelf: true, roles: [globalAdmin], otherEnabledGlobalAdmins: 3 }, { delete: refused, disable: refused, notes: [/^You can't delete or disable your own account\.$/] }],
    ['oneself, the only Global Administrator: both reasons', { isSelf: true, roles: [globalAdmin] }, { delete: refused, disable: refused, notes: [/your own account/, /only enabled Global Administrator/] }],
  ];
  for (const [name, facts, expected] of cases) {
    test(name, () => {
      const plan = planUserActions(target(facts));
      assert.deepEqual(plan.delete, expected.delete, 'delete');
      assert.deepEqual(plan.disable, expected.disable, 'disable');
      assert.equal(plan.notes.length, expected.notes.length, `notes: ${plan.notes.join(' | ')}`);
      expected.notes.forEach((note, index) => assert.match(plan.notes[index] ?? '', note));
    });
  }

  test('the exact sentences shown for oneself and the last Global Administrator', () => {
    assert.deepEqual(planUserActions(target({ isSelf: true, roles: [globalAdmin] })).notes, [SELF, LAST_GA]);
  });

  test('for any target: never oneself, never the last enabled Global Administrator, and typed for every administrator', () => {
    const role = fc.constantFrom(globalAdmin, userAdmin, readers);
    const facts = fc.record({
      name: fc.string(),
      isSelf: fc.boolean(),
      accountEnabled: fc.boolean(),
      roles: fc.uniqueArray(role, { selector: (r) => r.roleTemplateId, maxLength: 3 }),
      otherEnabledGlobalAdmins: fc.nat({ max: 3 }),
    });
    fc.assert(
      fc.property(facts, (f) => {
        const plan = planUserActions(f);
        const lastGlobalAdmin = f.accountEnabled && f.otherEnabledGlobalAdmins === 0 && f.roles.some((r) => r.roleTemplateId === GLOBAL_ADMINISTRATOR);
        for (const action of [plan.delete, plan.disable]) {
          if (f.isSelf || lastGlobalAdmin) assert.equal(action.offered, false);
          if (action.offered) assert.equal(action.typedConfirmation, f.roles.length > 0);
        }
        if (!f.accountEnabled) assert.equal(plan.disable.offered, false, 'nothing to disable');
        // whatever is held back is explained
        if (plan.delete.offered === false) assert.ok(plan.notes.length > 0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('matchesTypedName', () => {
  const alex = { displayName: 'Alex Wilber', userPrincipalName: 'AlexW@contoso.example' };
  test('the user principal name, in any case, or the display name as written', () => {
    assert.equal(matchesTypedName('AlexW@contoso.example', alex), true);
    assert.equal(matchesTypedName('alexw@CONTOSO.example', alex), true);
    assert.equal(matchesTypedName('  Alex Wilber ', alex), true, 'surrounding spaces are ignored');
    assert.equal(matchesTypedName('Alex Wilber', { ...alex, displayName: 'Alex Wilber' }), true);
  });
  test('anything else does not match', () => {
    for (const typed of ['', ' ', 'Alex', 'alex wilber', 'AlexW', 'AlexW@contoso.example.', 'AlexW@contoso.exampl', 'Alex  Wilber', 'x AlexW@contoso.example']) {
      assert.equal(matchesTypedName(typed, alex), false, JSON.stringify(typed));
    }
  });
  test('a user without a display name is confirmed by user principal name only', () => {
    assert.equal(matchesTypedName('', { displayName: null, userPrincipalName: 'a@b.example' }), false);
    assert.equal(matchesTypedName('', { displayName: '', userPrincipalName: 'a@b.example' }), false);
    assert.equal(matchesTypedName('a@b.example', { displayName: '', userPrincipalName: 'a@b.example' }), true);
  });
});
