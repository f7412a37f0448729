// `npm test`: node's own test runner over every test file, TypeScript through tsx.
// Runs under the Node that npm put on PATH (Node 24 from the `node` dependency).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(`npm test needs Node 22 or later (running ${process.version}); run 'npm install' first so the bundled Node 24 is used.`);
  process.exit(1);
}

// A throwaway certificate for loopback HTTPS, trusted by every test process through
// NODE_EXTRA_CA_CERTS, so the end-to-end tests run real clients over real TLS.
const tlsDir = mkdtempSync(join(tmpdir(), 'tessera-tls-'));
const certFile = join(tlsDir, 'cert.pem');
const keyFile = join(tlsDir, 'key.pem');
const openssl = spawnSync('openssl', [
  'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
  '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
  '-keyout', keyFile, '-out', certFile,
], { stdio: 'ignore' });
const tlsEnv = openssl.status === 0 ? { TESSERA_TEST_TLS_CERT: certFile, TESSERA_TEST_TLS_KEY: keyFile, NODE_EXTRA_CA_CERTS: certFile } : {};
if (openssl.status !== 0) console.log('# openssl is not available: HTTPS end-to-end tests will be skipped');

// The browser tests drive the built admin center, so build it first when it is missing or stale.
const build = spawnSync(process.execPath, ['scripts/ensure-admin-build.mjs'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const patterns = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'];
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...patterns],
  { stdio: 'inherit', env: { ...process.env, ...tlsEnv, TESSERA_LOG_LEVEL: process.env.TESSERA_LOG_LEVEL ?? 'silent' } },
);
rmSync(tlsDir, { recursive: true, force: true });
process.exit(result.status ?? 1);
