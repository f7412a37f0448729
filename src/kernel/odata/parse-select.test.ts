import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseSelect } from './parse-select.ts';

describe('parseSelect', () => {
  test('names are trimmed and kept as written', () => {
    assert.deepEqual(parseSelect('id'), ['id']);
    assert.deepEqual(parseSelect(' id , displayName,Mail '), ['id', 'displayName', 'Mail']);
  });

  test('a repeated name (in any case) is kept once', () => {
    assert.deepEqual(parseSelect('id,displayName,ID'), ['id', 'displayName']);
  });

  const rejects = (text: string, fragment: string) =>
    assert.throws(() => parseSelect(text), (error: any) => error.kind === 'badRequest' && error.code === 'odata.invalidSelect' && error.message.includes(fragment));

  test('empty text or items', () => {
    rejects('', 'it is empty');
    rejects('id,,mail', 'item 2 is empty');
    rejects('id, ', 'item 2 is empty');
  });

  test('anything but identifiers', () => {
    rejects('*', "'*' is not a property name");
    rejects('manager/id', "'manager/id' is not a property name");
    rejects('display name', "'display name' is not a property name");
    rejects('1st', "'1st' is not a property name");
    rejects("id;drop", "'id;drop' is not a property name");
  });
});
