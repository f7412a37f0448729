import assert from 'node:assert/strict';
import { test } from 'node:test';
import { localPath } from './return-path.ts';

test('localPath keeps paths on this server and refuses everything that could leave it', () => {
  assert.equal(localPath('/myaccount?tab=profile'), '/myaccount?tab=profile');
  assert.equal(localPath('/a/../b'), '/b');
  for (const hostile of ['https://evil.example/', '//evil.example/', '/\\evil.example/', '\\\\evil.example', 'evil.example', '/\tevil', '/x\r\nSet-Cookie: a=b', '', undefined, ['/a']]) {
    assert.equal(localPath(hostile), null, JSON.stringify(hostile));
  }
});
