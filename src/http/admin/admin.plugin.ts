import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

export interface AdminPluginOptions {
  /** public origin of this server, e.g. `https://id.example.com` (a trailing slash is ignored) */
  baseUrl: string;
  /** client id of the admin center's first-party public client */
  adminClientId: string;
  /** the Vite build output; defaults to `web/admin/dist` in the project folder */
  distDir?: string;
}

/** What the SPA reads at start to know where to sign in and which API to call. */
export interface AdminClientConfig {
  clientId: string;
  authorizeUrl: string;
  scopes: string;
  redirectUri: string;
  graphBaseUrl: string;
  postLogoutRedirectUri: string;
}

export function adminClientConfig(baseUrl: string, clientId: string): AdminClientConfig {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    clientId,
    // `organizations` lets one server with many tenants sign admins in without a tenant in the URL (DESIGN §1).
    authorizeUrl: `${base}/organizations/oauth2/v2.0/authorize`,
    scopes: `openid profile offline_access ${base}/.default`,
    redirectUri: `${base}/admin/`,
    graphBaseUrl: `${base}/v1.0`,
    postLogoutRedirectUri: `${base}/admin/`,
  };
}

/**
 * The SPA may only talk to this origin (Graph and the OIDC endpoints live here), may show logos from
 * any https host (tenant branding), and must never be framed (it holds tokens and admin controls).
 */
export const ADMIN_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' https: data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT_MESSAGE = 'The admin center has not been built. Run `npm run build` (or `npm run build:admin`) and reload this page.\n';

/** Vite writes content-hashed file names under `assets/`, so those can be cached forever. */
const HASHED_ASSETS = 'assets/';

/**
 * Serves the admin center: its runtime configuration, the Vite build under `/admin/`, and
 * `index.html` for every other `/admin/*` path so that deep links reach the client-side router.
 * Whether the build exists is checked per request, so building while the server runs just works.
 */
export const adminPlugin: FastifyPluginAsync<AdminPluginOptions> = async (app, options) => {
  const distDir = resolve(options.distDir ?? defaultDistDir());
  const config = adminClientConfig(options.baseUrl, options.adminClientId);

  // `serve: false`: we route ourselves, so that a missing file can fall back to index.html
  // (or 503 before the first build) instead of @fastify/static's plain 404. Only `reply.sendFile`
  // is wanted, and an enclosing scope may have decorated it already.
  if (!app.hasReplyDecorator('sendFile')) {
    await app.register(fastifyStatic, { root: distDir, serve: false, suppressWarning: true });
  }
  // Our own cache-control headers, never @fastify/static's default.
  const sendOptions = { cacheControl: false };

  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', ADMIN_CSP);
  });

  app.get('/admin/config.json', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return config;
  });

  app.get('/admin', async (_request, reply) => reply.redirect('/admin/', 301));

  app.get<{ Params: { '*': string } }>('/admin/*', async (request, reply) => {
    if (!(await isFile(join(distDir, 'index.html')))) return notBuilt(reply);
    const requested = request.params['*'];
    if (requested !== '' && (await isFile(insideDir(distDir, requested)))) {
      reply.header('cache-control', requested.startsWith(HASHED_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache');
      return reply.sendFile(requested, distDir, sendOptions);
    }
    // A missing script or stylesheet must stay a 404: answering with HTML would only surface
    // later as a confusing MIME-type error in the browser.
    if (requested.startsWith(HASHED_ASSETS)) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', distDir, sendOptions);
  });
};

function notBuilt(reply: FastifyReply): FastifyReply {
  return reply.code(503).header('cache-control', 'no-store').type('text/plain; charset=utf-8').send(NOT_BUILT_MESSAGE);
}

/** The path of `relative` inside `dir`, or null when it would escape it (`..`, absolute paths). */
function insideDir(dir: string, relative: string): string | null {
  const full = resolve(dir, relative);
  return full.startsWith(dir + sep) ? full : null;
}

async function isFile(path: string | null): Promise<boolean> {
  if (path === null) return false;
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * `web/admin/dist` under the project folder: the nearest ancestor of this file that holds a
 * package.json, which is the same whether this runs from `src/` through tsx or compiled to `dist/`.
 */
function defaultDistDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('adminPlugin: cannot find the project folder; pass distDir');
    dir = parent;
  }
  return join(dir, 'web', 'admin', 'dist');
}
