import type { FastifyInstance } from 'fastify';

export interface GraphResponse {
  status: number;
  body: any;
  headers: Record<string, unknown>;
  text: string;
}

/** A small Graph caller over app.inject for API tests (the real SDK is used in the e2e tests). */
export function graphCaller(app: FastifyInstance, token: string) {
  return async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<GraphResponse> => {
    const response = await app.inject({
      method: method as 'GET',
      url: url.startsWith('/v1.0') || url.startsWith('/beta') ? url : `/v1.0${url}`,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = response.body;
    let parsed: unknown = text;
    if (String(response.headers['content-type'] ?? '').includes('json') && text) parsed = JSON.parse(text);
    return { status: response.statusCode, body: parsed, headers: response.headers, text };
  };
}

export type Graph = ReturnType<typeof graphCaller>;
