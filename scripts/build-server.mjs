// Compiles the server and CLI (src/**/*.ts) into plain JavaScript under dist/, so that `npm start`
// and the `tessera` command start without a TypeScript loader. One esbuild bundle of src/main.ts,
// split at each dynamic import (one chunk per CLI command, the server in its own), with every npm
// package left as an import (`packages: 'external'`) and a source map for stack traces.
//
//   node scripts/build-server.mjs          build when dist/ is missing or older than src/ (prints one line)
//   node scripts/build-server.mjs --force  build unconditionally
//
// `ensureServerBuild()` is what bin/tessera.js calls on every start: a stat walk of src/ (a few ms)
// compared with the stamp written by the last build.
import { readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, URL } from 'node:url';

export const projectDir = fileURLToPath(new URL('..', import.meta.url));
export const distDir = join(projectDir, 'dist');
export const entryFile = join(distDir, 'main.js');
const stampFile = join(distDir, 'build-stamp.json');
const sourcesDir = join(projectDir, 'src');
// a change to what the build does, or to the packages it resolves against, also makes a new build
const buildInputs = [fileURLToPath(import.meta.url), join(projectDir, 'package.json'), join(projectDir, 'tsconfig.json')];

/** The newest mtime of a folder, the folders below it (a deleted file changes its folder) and their files; tests are not built. */
function newestMtime(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function sourcesChangedAt() {
  return Math.max(newestMtime(sourcesDir), ...buildInputs.map((file) => statSync(file).mtimeMs));
}

function readStamp() {
  try {
    return JSON.parse(readFileSync(stampFile, 'utf8'));
  } catch {
    return null;
  }
}

/** Why a build is needed ('missing', 'stale'), or null when dist/ is current. */
export function buildNeeded() {
  const stamp = readStamp();
  if (!stamp) return 'missing';
  try {
    statSync(entryFile);
  } catch {
    return 'missing';
  }
  return sourcesChangedAt() > stamp.sourcesChangedAt ? 'stale' : null;
}

/** Builds dist/ from src/. Files are written so that a process starting meanwhile sees the old build or the new one. */
export async function buildServer() {
  const changedAt = sourcesChangedAt(); // before reading: an edit during the build leaves the build stale
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: projectDir,
    entryPoints: { main: join(sourcesDir, 'main.ts') },
    outdir: distDir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    packages: 'external',
    sourcemap: true,
    jsx: 'automatic',
    chunkNames: 'chunks/[name]-[hash]',
    entryNames: '[name]',
    legalComments: 'none',
    logLevel: 'silent',
    metafile: true,
    write: false,
  });
  mkdirSync(join(distDir, 'chunks'), { recursive: true });
  // chunks carry their content hash in their name, so writing them never disturbs the current build;
  // the entry (which names them) is replaced last, atomically
  const entryOutputs = [];
  const written = new Set();
  for (const file of result.outputFiles) {
    written.add(file.path);
    if (file.path === entryFile || file.path === `${entryFile}.map`) {
      entryOutputs.push(file);
      continue;
    }
    writeAtomically(file.path, file.contents);
  }
  for (const file of entryOutputs.sort((a) => (a.path.endsWith('.map') ? -1 : 1))) writeAtomically(file.path, file.contents);
  // chunks of earlier builds
  for (const entry of readdirSync(join(distDir, 'chunks'))) {
    const path = join(distDir, 'chunks', entry);
    if (!written.has(path)) rmSync(path, { force: true });
  }
  writeAtomically(stampFile, `${JSON.stringify({ sourcesChangedAt: changedAt, builtAt: new Date().toISOString() })}\n`);
  return { files: result.outputFiles.length, inputs: Object.keys(result.metafile.inputs).length };
}

function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

/** Builds when needed; returns the line to print, or null when the build was already current. */
export async function ensureServerBuild({ force = false } = {}) {
  const reason = force ? 'forced' : buildNeeded();
  if (!reason) return null;
  const started = performance.now();
  const { inputs } = await buildServer();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  return `server: ${reason === 'missing' ? 'built' : 'rebuilt'} ${inputs} modules in ${seconds}s (${relative(projectDir, distDir)}/)`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const line = await ensureServerBuild({ force: process.argv.includes('--force') });
    console.log(line ?? `server: build is up to date (${relative(projectDir, distDir)}/)`);
  } catch (error) {
    console.error(`server: build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
