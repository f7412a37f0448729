import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iso, json } from './values.ts';

/** The slow path iso() had before its shortcut for stored ISO text: parse, print, drop the milliseconds. */
const parsed = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString().replace(/\.\d{3}Z$/, 'Z');

test('iso gives the same text for stored ISO strings, Dates and other timestamp forms', () => {
  const samples: unknown[] = [
    '2026-12-02T15:58:23.168Z',
    '2026-12-02T15:58:23.000Z',
    '1999-01-01T00:00:00.999Z',
    '2026-12-02T15:58:23Z',
    '2026-12-02 15:58:23',
    '2026-12-02T16:58:23.168+01:00',
    '2026-12-02T15:58:23.1Z',
    new Date('2026-12-02T15:58:23.168Z'),
  ];
  for (let i = 0; i < 500; i++) samples.push(new Date(Date.UTC(1970, 0, 1) + Math.floor(Math.random() * 2 ** 42)).toISOString());
  for (const value of samples) assert.equal(iso(value), parsed(value), String(value));
  assert.equal(iso(null, 'nullable'), null);
  assert.throws(() => iso(undefined));
  assert.throws(() => iso('not a date'), RangeError);
});

test('json reads stored arrays as new arrays, and passes parsed values through', () => {
  const a = json<string[]>('[]', ['fallback']);
  const b = json<string[]>('[]', ['fallback']);
  assert.deepEqual(a, []);
  assert.notEqual(a, b, 'each call gets its own array, as JSON.parse gives');
  assert.deepEqual(json('["x"]', []), ['x']);
  assert.deepEqual(json(null, ['fallback']), ['fallback']);
  const value = [{ k: 1 }];
  assert.equal(json(value, []), value);
});
