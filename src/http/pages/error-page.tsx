import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type ErrorKind, isAppError } from '../../kernel/errors.ts';
import { PageHeading } from './content.tsx';
import type { PlainMessageKey } from './i18n/catalog.ts';
import { usePage } from './page-context.ts';
import { localPath } from './return-path.ts';

/**
 * The one place the pages surface turns failures into HTML. Domain errors arrive as AppError
 * kinds; the page shows a localized explanation, the request id for support, and never a stack.
 */

export interface ErrorPageInput {
  status: number;
  /** Already localized (or an AppError's exposed message). */
  message: string;
  /** Defaults to the current request's id. */
  requestId?: string;
}

function ErrorPage({ message, requestId, backUrl }: { message: string; requestId: string; backUrl: string | null }) {
  const { t } = usePage();
  return (
    <>
      <PageHeading title={t('error.title')} />
      <p>{message}</p>
      <p className="request-id">{t('error.requestId', { id: requestId })}</p>
      {backUrl && (
        <p>
          <a href={backUrl}>{t('error.goBack')}</a>
        </p>
      )}
    </>
  );
}

/** Renders the localized error page with `status`; use it to answer a failure without throwing. */
export async function renderErrorPage(reply: FastifyReply, { status, message, requestId }: ErrorPageInput): Promise<void> {
  const { request } = reply;
  return reply.page(<ErrorPage message={message} requestId={requestId ?? request.id} backUrl={backUrlFor(request)} />, {
    status,
    title: request.t('error.title'),
  });
}

/**
 * Without JavaScript there is no history.back(), so "Go back" is offered where its target is known:
 * after a failed form POST it reloads the form (whose URL is the one posted to).
 */
function backUrlFor(request: FastifyRequest): string | null {
  return request.method === 'POST' ? localPath(request.url) : null;
}

const byKind: Readonly<Record<ErrorKind, { status: number; message: PlainMessageKey | 'own' }>> = {
  badRequest: { status: 400, message: 'own' },
  unsupportedQuery: { status: 400, message: 'own' },
  unauthenticated: { status: 401, message: 'error.unauthenticated' },
  forbidden: { status: 403, message: 'error.forbidden' },
  notFound: { status: 404, message: 'error.notFound' },
  duplicateKey: { status: 409, message: 'own' },
  conflict: { status: 409, message: 'own' },
  throttled: { status: 429, message: 'error.throttled' },
  unavailable: { status: 503, message: 'error.unavailable' },
  internal: { status: 500, message: 'error.internal' },
};

/** Errors of this surface whose page message is more specific than their kind's. */
const byCode: Readonly<Record<string, PlainMessageKey>> = {
  'pages.csrfTokenInvalid': 'error.csrf',
};

const byStatus: Readonly<Record<number, PlainMessageKey>> = {
  401: 'error.unauthenticated',
  403: 'error.forbidden',
  404: 'error.notFound',
  429: 'error.throttled',
};

/** `setErrorHandler` of the pages scope: every thrown error becomes a localized error page. */
export async function pagesErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { status, message } = explainError(error, request);
  if (status === 503) {
    request.log.warn({ err: error }, 'page request could not reach the database');
    reply.header('retry-after', '5');
  } else if (status >= 500) request.log.error({ err: error }, 'page request failed');
  else request.log.info({ err: error }, 'page request rejected');
  return renderErrorPage(reply, { status, message });
}

function explainError(error: unknown, request: FastifyRequest): { status: number; message: string } {
  if (isAppError(error)) {
    const { status, message } = byKind[error.kind];
    const specific = byCode[error.code];
    if (specific) return { status, message: request.t(specific) };
    if (message !== 'own') return { status, message: request.t(message) };
    return { status, message: error.expose ? error.message : request.t('error.badRequest') };
  }
  // Fastify's own client errors (malformed body, unsupported media type, too large...) carry a
  // 4xx statusCode; their messages are technical English, so only the status is kept.
  const statusCode = (error as Partial<FastifyError>).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, message: request.t(byStatus[statusCode] ?? 'error.badRequest') };
  }
  return { status: 500, message: request.t('error.internal') };
}
