import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseTop } from './parse-top.ts';

describe('parseTop', () => {
  test('1 to 999', () => {
    assert.equal(parseTop('1'), 1);
    assert.equal(parseTop('100'), 100);
    assert.equal(parseTop('999'), 999);
    assert.equal(parseTop('050'), 50);
  });

  for (const text of ['0', '1000', '99999', '-1', 'abc', '', ' 5', '5 ', '1.5', '1e2', '0x10', '+5']) {
    test(`rejects '${text}' with Graph's message`, () => {
      assert.throws(() => parseTop(text), {
        kind: 'badRequest',
        code: 'odata.invalidTop',
        message: `Invalid page size specified: '${text}'. Must be between 1 and 999 inclusive.`,
      });
    });
  }
});
