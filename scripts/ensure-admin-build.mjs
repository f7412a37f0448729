// Builds the admin center SPA when its build is missing or older than its sources, so that
// `npm start` always serves the current UI without paying for a Vite build on every start.
// Prints one line; exits non-zero when the build fails.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, URL } from 'node:url';

const projectDir = fileURLToPath(new URL('..', import.meta.url));
const adminDir = join(projectDir, 'web', 'admin');
const builtIndex = join(adminDir, 'dist', 'index.html');
// `public/` is copied into the build as-is, so a change there needs a rebuild too; the directory-role
// catalog is the server's own data file, bundled into the admin center (web/admin/src/access/roles.ts).
const roleCatalog = join(projectDir, 'src', 'modules', 'directory', 'access', 'roles.catalog.ts');
const sources = [join(adminDir, 'src'), join(adminDir, 'public'), join(adminDir, 'index.html'), join(adminDir, 'vite.config.ts'), roleCatalog];

function mtimeOf(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

/** The newest modification time of a file, or of any file below a folder. */
function newestMtime(path) {
  let stats;
  try {
    stats = statSync(path);
  } catch {
    return 0;
  }
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const builtAt = mtimeOf(builtIndex);
const sourcesChangedAt = Math.max(...sources.map(newestMtime));
const shown = relative(projectDir, join(adminDir, 'dist'));

if (builtAt !== null && builtAt >= sourcesChangedAt) {
  console.log(`admin center: build is up to date (${shown})`);
} else {
  const started = performance.now();
  try {
    const { build } = await import('vite');
    // Vite's own output would be many lines; failures are reported below instead.
    await build({ configFile: join(adminDir, 'vite.config.ts'), logLevel: 'silent' });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`admin center: ${builtAt === null ? 'built' : 'rebuilt'} in ${seconds}s (${shown})`);
  } catch (error) {
    console.error(`admin center: build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
