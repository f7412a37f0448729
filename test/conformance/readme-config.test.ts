import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { settings } from '../../src/config/config.ts';

/** README's configuration table lists exactly the settings the code reads (src/config/config.ts). */
test('README documents every TESSERA_* setting, and no other', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## CLI'));
  const documented = new Set([...table.matchAll(/^\| `(TESSERA_[A-Z0-9_]+)`/gm)].map((m) => m[1]));
  assert.deepEqual([...documented].sort(), Object.keys(settings).sort());
});

test('nothing outside src/config reads a TESSERA_* variable', async () => {
  const { spawnSync } = await import('node:child_process');
  // grep exits 1 when nothing matches, which is the passing case
  const grep = spawnSync('grep', ['-rlE', 'process\\.env\\.TESSERA_|env\\[.TESSERA_', 'src'], { encoding: 'utf8', cwd: new URL('../../', import.meta.url).pathname });
  assert.ok(grep.status === 0 || grep.status === 1, grep.stderr);
  const hits = grep.stdout.trim().split('\n').filter(Boolean);
  assert.deepEqual(hits.filter((file) => !file.startsWith('src/config/')), []);
});
