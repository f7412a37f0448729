import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, isAppError, type ErrorKind } from '../../kernel/errors.ts';

/**
 * The one place that turns errors into Graph's error body:
 * `{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`.
 */
const graphCodes: Record<ErrorKind, { status: number; code: string }> = {
  badRequest: { status: 400, code: 'Request_BadRequest' },
  unsupportedQuery: { status: 400, code: 'Request_UnsupportedQuery' },
  notFound: { status: 404, code: 'Request_ResourceNotFound' },
  duplicateKey: { status: 400, code: 'Request_MultipleObjectsWithSameKeyValue' },
  conflict: { status: 409, code: 'Request_BadRequest' },
  forbidden: { status: 403, code: 'Authorization_RequestDenied' },
  unauthenticated: { status: 401, code: 'InvalidAuthenticationToken' },
  throttled: { status: 429, code: 'TooManyRequests' },
  unavailable: { status: 503, code: 'serviceNotAvailable' },
  internal: { status: 500, code: 'Service_InternalServerError' },
};

/** Seconds a client should wait before retrying a request that found the database unreachable. */
const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

export function graphErrorBody(request: FastifyRequest, code: string, message: string) {
  const clientRequestId = request.headers['client-request-id'];
  return {
    error: {
      code,
      message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
        'request-id': request.id,
        'client-request-id': typeof clientRequestId === 'string' ? clientRequestId : request.id,
      },
    },
  };
}

export function toGraphError(error: unknown): { status: number; code: string; message: string; expose: boolean } {
  if (isAppError(error)) {
    const mapped = graphCodes[error.kind];
    return { ...mapped, message: error.expose ? error.message : 'An internal server error occurred.', expose: error.expose };
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string; validation?: unknown };
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, code: 'Request_BadRequest', message: 'Unsupported media type: send application/json.', expose: true };
  }
  if (fastifyError.statusCode === 400 || fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: fastifyError.statusCode ?? 400, code: 'Request_BadRequest', message: `Invalid request: ${fastifyError.message ?? 'bad request'}`, expose: true };
  }
  return { status: 500, code: 'Service_InternalServerError', message: 'An internal server error occurred.', expose: false };
}

export function sendGraphError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const mapped = toGraphError(error);
  if (!mapped.expose) request.log.error({ err: error }, 'unhandled error on the Graph API');
  if (mapped.status === 401) reply.header('www-authenticate', 'Bearer realm="", error="invalid_token"');
  // a throttle says when to try again (POST /invitations: the end of the tenant's 5-second window)
  const retryAfter = isAppError(error) ? error.details?.retryAfterSeconds : undefined;
  if (mapped.status === 429 && typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  if (mapped.status === 503) {
    // Graph's 503 tells the client when to try again (the SDKs' retry handlers honour it).
    reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
    request.log.warn({ err: error }, 'the Graph API cannot reach its database');
  }
  return reply.code(mapped.status).type('application/json').send(graphErrorBody(request, mapped.code, mapped.message));
}

export function malformedJson(message: string): AppError {
  return new AppError('badRequest', 'graph.malformedJson', `Invalid JSON in the request body: ${message}`);
}
