import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type BodySpec, readBody } from './body.ts';
import { assertSafeKeys, assertSafeValue, nullPrototypeCopy } from './safe-input.ts';

const spec: BodySpec = {
  id: { type: 'string', writable: false },
  name: { type: 'string', maxLength: 8 },
  enabled: { type: 'boolean' },
  phones: { type: 'stringArray', maxItems: 1, itemMaxLength: 4 },
  profile: { type: 'object', typeName: 'test.profile', fields: { secret: { type: 'string', maxLength: 4 }, flag: { type: 'boolean' } } },
  items: { type: 'objectArray', maxItems: 2, typeName: 'test.item', fields: { key: { type: 'string' } } },
  free: { type: 'object', nullable: true },
};

const badRequest = (pattern: RegExp) => (error: any) => error.kind === 'badRequest' && pattern.test(error.message);

describe('readBody: own properties into null-prototype objects', () => {
  test('the result and every nested object it holds have no prototype', () => {
    const out = readBody<any>(JSON.parse('{"name":"a","profile":{"secret":"s"},"items":[{"key":"k"}],"free":{"a":{"b":[{"c":1}]}}}'), spec, 'test');
    assert.equal(Object.getPrototypeOf(out), null);
    assert.equal(Object.getPrototypeOf(out.profile), null);
    assert.equal(Object.getPrototypeOf(out.items[0]), null);
    assert.equal(Object.getPrototypeOf(out.free), null);
    assert.equal(Object.getPrototypeOf(out.free.a.b[0]), null);
    assert.equal(out.free.a.b[0].c, 1);
  });

  test('inherited properties of the body are not read', () => {
    const body = Object.create({ enabled: false, name: 'inherited' });
    body.name = 'own';
    const out = readBody<any>(body, spec, 'test');
    assert.deepEqual(Object.keys(out), ['name']);
    assert.equal(out.enabled, undefined);
  });

  for (const key of ['__proto__', 'constructor', 'prototype']) {
    test(`'${key}' is refused at the top level, in typed objects, in array items and in free-form objects`, () => {
      for (const json of [
        `{"${key}":{"enabled":false}}`,
        `{"name":"a","${key}":"x"}`,
        `{"profile":{"${key}":{"flag":true}}}`,
        `{"items":[{"key":"k","${key}":{}}]}`,
        `{"free":{"deep":[{"${key}":{"x":1}}]}}`,
      ]) {
        assert.throws(() => readBody(JSON.parse(json), spec, 'test'), badRequest(new RegExp(`'${key}' is not allowed`)), json);
      }
    });
  }

  test('a name that only an inherited property of the field table has is unknown', () => {
    for (const name of ['toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf']) {
      assert.throws(() => readBody({ [name]: 'x' }, spec, 'test'), badRequest(new RegExp(`Property '${name}' does not exist`)), name);
    }
  });

});

describe('readBody: limits as data', () => {
  test('string length', () => {
    assert.equal(readBody<any>({ name: '12345678' }, spec, 'test').name, '12345678');
    assert.throws(() => readBody({ name: '123456789' }, spec, 'test'), badRequest(/'name': longer than the limit of 8 characters/));
  });

  test('array entries: count and length of each', () => {
    assert.deepEqual(readBody<any>({ phones: ['1234'] }, spec, 'test').phones, ['1234']);
    assert.throws(() => readBody({ phones: ['1', '2'] }, spec, 'test'), badRequest(/'phones': it has 2 entries; the limit is 1 entry/));
    assert.throws(() => readBody({ phones: ['12345'] }, spec, 'test'), badRequest(/'phones': an entry is longer than the limit of 4 characters/));
    assert.throws(() => readBody({ items: [{}, {}, {}] }, spec, 'test'), badRequest(/'items': it has 3 entries; the limit is 2 entries/));
  });

  test('nested objects are read through their own tables, with a path in the message', () => {
    assert.throws(() => readBody({ profile: { secret: '12345' } }, spec, 'test'), badRequest(/'profile\.secret': longer than the limit of 4/));
    assert.throws(() => readBody({ profile: { colour: 'x' } }, spec, 'test'), badRequest(/'profile\.colour' does not exist .* of 'test\.profile'/));
    assert.throws(() => readBody({ profile: { flag: 'yes' } }, spec, 'test'), badRequest(/'profile\.flag': expected true or false/));
    assert.throws(() => readBody({ items: [{ key: 1 }] }, spec, 'test'), badRequest(/'items\[0\]\.key': expected a string/));
    assert.throws(() => readBody({ id: 'x' }, spec, 'test'), badRequest(/'id' is read-only/));
  });
});

describe('safe-input helpers', () => {
  test('assertSafeValue refuses prototype keys at any depth and nesting past the limit, without recursion', () => {
    assert.throws(() => assertSafeValue(JSON.parse('[[[{"a":{"constructor":1}}]]]'), { where: 'the body' }), badRequest(/'constructor' is not allowed in the body/));
    const deep = JSON.parse(`${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    assert.throws(() => assertSafeValue(deep, { where: 'the request body', maxDepth: 32 }), badRequest(/The request body is nested deeper than the limit of 32 levels/));
    assertSafeValue(JSON.parse('{"a":[{"b":{"c":"__proto__"}}]}'), { where: 'the body' }); // as a value it is harmless
  });

  test('assertSafeKeys, for CSV headers and form fields', () => {
    assertSafeKeys(['email', 'displayName'], 'the CSV header');
    assert.throws(() => assertSafeKeys(['email', '__proto__'], 'the CSV header'), badRequest(/'__proto__' is not allowed in the CSV header/));
  });

  test('nullPrototypeCopy copies own properties only', () => {
    const copy = nullPrototypeCopy(JSON.parse('{"a":[{"b":1}]}'), { where: 'x' }) as any;
    assert.equal(Object.getPrototypeOf(copy), null);
    assert.equal(Object.getPrototypeOf(copy.a[0]), null);
    assert.deepEqual(JSON.parse(JSON.stringify(copy)), { a: [{ b: 1 }] });
  });
});
