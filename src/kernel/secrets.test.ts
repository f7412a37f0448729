import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecretBox } from './secrets.ts';

test('a sealed value opens with the same secret and not with another', () => {
  const box = new SecretBox('secret-0123456789abcdef');
  assert.equal(box.open(box.seal('hello')), 'hello');
  assert.throws(() => new SecretBox('other-secret-0123456789').open(box.seal('hello')));
});

test('a truncated GCM tag is refused (it would make forgery a matter of 2^32 tries)', () => {
  const box = new SecretBox('secret-0123456789abcdef');
  const [version, iv, tag, data] = box.seal('hello').split('.');
  const short = Buffer.from(tag!, 'base64url').subarray(0, 4).toString('base64url');
  assert.throws(() => box.open([version, iv, short, data].join('.')), /unrecognised/);
});
