import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSkipToken, encodeSkipToken, queryFingerprint } from './skiptoken.ts';

describe('skip tokens', () => {
  const fingerprint = queryFingerprint(["displayName eq 'x'", 'displayName desc', '', 'id,displayName', '/users']);

  test('round-trip a cursor, including nulls and odd characters', () => {
    const cursor = { sort: ['Zoë "Z" O\'Neil', null, '2021-01-01T00:00:00.000Z'], id: '6fd2c87f-b296-42f0-b197-1e91e994b900' };
    const token = encodeSkipToken({ ...cursor, fingerprint });
    assert.match(token, /^[A-Za-z0-9_-]+$/, 'URL-safe without escaping');
    assert.deepEqual(decodeSkipToken(token, fingerprint), cursor);
    assert.deepEqual(decodeSkipToken(encodeSkipToken({ sort: [], id: 'a', fingerprint }), fingerprint), { sort: [], id: 'a' });
  });

  test('fingerprints: stable, short, different for different queries', () => {
    assert.equal(queryFingerprint(['a', 'b']), queryFingerprint(['a', 'b']));
    assert.notEqual(queryFingerprint(['a', 'b']), queryFingerprint(['a', 'c']));
    assert.notEqual(queryFingerprint(['a,b']), queryFingerprint(['a', 'b']), 'parts do not run together');
    assert.equal(queryFingerprint(['x']).length, 16);
  });

  const invalid = (token: string, expected = fingerprint) =>
    assert.throws(() => decodeSkipToken(token, expected), { kind: 'badRequest', code: 'odata.invalidSkipToken', message: 'Invalid $skiptoken.' });

  test('a token from another query is rejected', () => {
    const token = encodeSkipToken({ sort: ['a'], id: 'x', fingerprint });
    invalid(token, queryFingerprint(["displayName eq 'y'", 'displayName desc', '', 'id,displayName', '/users']));
  });

  test('malformed tokens are rejected', () => {
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    invalid('');
    invalid('not a token!');
    invalid('a'.repeat(5000));
    invalid(Buffer.from('not json').toString('base64url'));
    invalid(encode({ fingerprint, id: 'x', sort: [] }));
    invalid(encode([fingerprint, 'x']));
    invalid(encode([fingerprint, 42, []]));
    invalid(encode([fingerprint, '', []]));
    invalid(encode([fingerprint, 'x', 'a']));
    invalid(encode([fingerprint, 'x', [1]]));
    invalid(encode([fingerprint, 'x', [{}]]));
  });
});
