import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { en } from './en.ts';
import { translator } from './locales.ts';
import { nl } from './nl.ts';

const placeholders = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe('message catalogs', () => {
  test('Dutch uses the same placeholders as English for every message', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      assert.deepEqual(placeholders(nl[key]), placeholders(en[key]), key);
      assert.ok(nl[key].trim(), `${key} is translated`);
    }
  });

  test('t() looks messages up in its locale and fills in parameters', () => {
    assert.equal(translator('en')('signIn.next'), 'Next');
    assert.equal(translator('nl')('signIn.next'), 'Volgende');
    assert.equal(translator('nl')('error.requestId', { id: 'abc-123' }), 'Aanvraag-ID: abc-123');
  });

  test('parameters are inserted verbatim, never re-interpreted as placeholders', () => {
    assert.equal(translator('en')('error.requestId', { id: '{id} <b>' }), 'Request ID: {id} <b>');
  });
});
