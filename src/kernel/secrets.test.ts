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

test('mac, seal and open agree with the same derivation done on a raw key (values stored by earlier versions still open)', async () => {
  const { createCipheriv, createDecipheriv, createHmac, randomBytes, scryptSync } = await import('node:crypto');
  const secret = 'secret-0123456789abcdef';
  const box = new SecretBox(secret);
  const raw = scryptSync(secret, 'tessera/secret-box/v1', 32);
  assert.equal(box.mac('client-secret'), createHmac('sha256', raw).update('client-secret').digest('base64url'));
  // sealed the way the raw-key version did it
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', raw, iv);
  const data = Buffer.concat([cipher.update('older value', 'utf8'), cipher.final()]);
  assert.equal(box.open(['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.')), 'older value');
  // and what it seals now opens with the raw key
  const [, iv2, tag2, data2] = box.seal('newer value').split('.');
  const decipher = createDecipheriv('aes-256-gcm', raw, Buffer.from(iv2!, 'base64url'), { authTagLength: 16 });
  decipher.setAuthTag(Buffer.from(tag2!, 'base64url'));
  assert.equal(Buffer.concat([decipher.update(Buffer.from(data2!, 'base64url')), decipher.final()]).toString('utf8'), 'newer value');
});
