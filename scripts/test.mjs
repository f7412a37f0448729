// `npm test`: node's own test runner over every test file, TypeScript through tsx.
// Runs under the Node that npm put on PATH (Node 24 from the `node` dependency).
import { spawnSync } from 'node:child_process';
import { globSync, mkdtempSync, rmSync } from 'node:fs';
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

const env = { ...process.env, ...tlsEnv, TESSERA_LOG_LEVEL: process.env.TESSERA_LOG_LEVEL ?? 'silent' };
const run = (files, concurrency) =>
  spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files], { stdio: 'inherit', env }).status ?? 1;

// Tests under test/exclusive/ measure responsiveness (/healthz under an adversarial client) and
// run after the others, alone on the machine, so another test file's load is not measured with them.
const given = process.argv.slice(2);
let status;
if (given.length > 0) {
  status = run(given, process.env.TEST_CONCURRENCY ?? 2);
} else {
  const main = ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'].flatMap((pattern) => globSync(pattern)).filter((file) => !file.startsWith('test/exclusive/'));
  status = run(main.sort(), process.env.TEST_CONCURRENCY ?? 2);
  console.log('# tests that must run alone (test/exclusive/):');
  const alone = run(['test/exclusive/**/*.test.ts'], 1);
  status = status || alone;
}
rmSync(tlsDir, { recursive: true, force: true });
process.exit(status);
