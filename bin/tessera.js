#!/usr/bin/env node
// The `tessera` command (also what `npm start` and `npm run tessera` run): the compiled JavaScript in
// dist/, built first when it is missing or older than src/ (scripts/build-server.mjs; the check is a
// stat walk of src/, a few ms). NODE_ENV defaults to production, before anything loads React.
import { ensureServerBuild, entryFile } from '../scripts/build-server.mjs';
import { pathToFileURL } from 'node:url';

process.env.NODE_ENV ??= 'production';
try {
  const built = await ensureServerBuild();
  if (built) process.stderr.write(`${built}\n`);
} catch (error) {
  process.stderr.write(`tessera: building the server failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
await import(pathToFileURL(entryFile).href);
