import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseOrderBy } from './parse-orderby.ts';

describe('parseOrderBy', () => {
  test('one property, ascending by default', () => {
    assert.deepEqual(parseOrderBy('displayName'), [{ property: 'displayName', direction: 'asc' }]);
  });

  test('several items, explicit directions in any case, extra whitespace', () => {
    assert.deepEqual(parseOrderBy(' displayName  DESC ,userPrincipalName asc,createdDateTime Desc '), [
      { property: 'displayName', direction: 'desc' },
      { property: 'userPrincipalName', direction: 'asc' },
      { property: 'createdDateTime', direction: 'desc' },
    ]);
  });

  const rejects = (text: string, fragment: string) =>
    assert.throws(() => parseOrderBy(text), (error: any) => error.kind === 'badRequest' && error.code === 'odata.invalidOrderBy' && error.message.includes(fragment));

  test('empty text or items', () => {
    rejects('', 'it is empty');
    rejects('  ', 'it is empty');
    rejects('displayName,', 'item 2 is empty');
    rejects(',displayName', 'item 1 is empty');
  });

  test('bad names and directions', () => {
    rejects('display-name', "'display-name' is not a property name");
    rejects('manager/displayName', "'manager/displayName' is not a property name");
    rejects('displayName descending', "'descending' is not a direction (expected asc or desc)");
    rejects('displayName desc nulls', "unexpected 'nulls' after 'displayName desc'");
  });

  test('a property listed twice', () => {
    rejects('displayName, DisplayName desc', "'DisplayName' is listed more than once");
  });
});
