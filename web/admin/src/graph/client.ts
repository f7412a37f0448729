import { GraphError, graphErrorFrom } from './errors.ts';

/** Where the client gets its bearer token, and what it does when the API refuses it. */
export interface TokenSource {
  accessToken(): Promise<string>;
  tokenRejected(): Promise<never>;
}

export interface RequestOptions {
  headers?: Readonly<Record<string, string>>;
  signal?: AbortSignal;
}

/**
 * A small Microsoft Graph client: bearer token on every call, Graph's error body turned into
 * GraphError, and `@odata.nextLink` URLs followed as they are (they are opaque).
 */
export class GraphClient {
  /** `{origin}/v1.0`, without a trailing slash */
  readonly baseUrl: string;
  readonly #origin: string;
  readonly #tokens: TokenSource;

  constructor(baseUrl: string, tokens: TokenSource) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
    this.#origin = new URL(this.baseUrl).origin;
    this.#tokens = tokens;
  }

  /** Tessera's extensions live beside v1.0 under `/beta`, as Graph's preview APIs do. */
  betaUrl(path: string): string {
    return `${this.baseUrl.replace(/\/[^/]+$/, '')}/beta${path}`;
  }

  /** The body of a `$ref` request that points at a directory object. */
  reference(id: string): { '@odata.id': string } {
    return { '@odata.id': `${this.baseUrl}/directoryObjects/${encodeURIComponent(id)}` };
  }

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.#json<T>('GET', path, undefined, options);
  }

  post<T>(path: string, body: unknown, options: RequestOptions = {}): Promise<T> {
    return this.#json<T>('POST', path, body, options);
  }

  patch(path: string, body: unknown, options: RequestOptions = {}): Promise<void> {
    return this.#json<void>('PATCH', path, body, options);
  }

  /** Replaces a singleton (`PUT /policies/adminConsentRequestPolicy` answers 204). */
  put(path: string, body: unknown, options: RequestOptions = {}): Promise<void> {
    return this.#json<void>('PUT', path, body, options);
  }

  delete(path: string, options: RequestOptions = {}): Promise<void> {
    return this.#json<void>('DELETE', path, undefined, options);
  }

  /** `/users/$count` and friends answer with a plain-text number. */
  async count(path: string, options: RequestOptions = {}): Promise<number> {
    const response = await this.#send('GET', path, undefined, { ...options, headers: { Accept: 'text/plain', ...options.headers } });
    const text = (await response.text()).trim();
    const count = Number(text);
    if (text === '' || !Number.isInteger(count)) throw new GraphError(response.status, 'invalidResponse', 'The service returned a count that is not a number.');
    return count;
  }

  /** A body that is not JSON (a CSV file), answered with JSON. */
  async postFile<T>(path: string, file: Blob, contentType: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.#send('POST', path, { content: file, contentType }, options);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** A file the API serves (a CSV): its bytes, and the name from `Content-Disposition` when it gives one. */
  async download(path: string, options: RequestOptions = {}): Promise<{ blob: Blob; fileName: string | null }> {
    const response = await this.#send('GET', path, undefined, { ...options, headers: { Accept: '*/*', ...options.headers } });
    const disposition = response.headers.get('content-disposition') ?? '';
    const fileName = /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? null;
    return { blob: await response.blob(), fileName };
  }

  async #json<T>(method: string, path: string, body: unknown, options: RequestOptions): Promise<T> {
    const response = await this.#send(method, path, body === undefined ? undefined : { content: JSON.stringify(body), contentType: 'application/json' }, options);
    const text = await response.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  async #send(method: string, path: string, body: { content: Blob | string; contentType: string } | undefined, options: RequestOptions): Promise<Response> {
    const url = this.#resolve(path);
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    headers.Authorization = `Bearer ${await this.#tokens.accessToken()}`;
    if (body !== undefined) headers['Content-Type'] = body.contentType;
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: body === undefined ? null : body.content, signal: options.signal ?? null });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new GraphError(0, 'networkError', "Couldn't reach the directory service. Check your connection and try again.");
    }
    if (response.status === 401) return this.#tokens.tokenRejected();
    if (!response.ok) throw await graphErrorFrom(response);
    return response;
  }

  /** Paths are relative to `baseUrl`; absolute URLs (next links, beta URLs) must stay on the API's origin, which gets our token. */
  #resolve(pathOrUrl: string): string {
    if (pathOrUrl.startsWith('/')) return `${this.baseUrl}${pathOrUrl}`;
    const url = new URL(pathOrUrl);
    if (url.origin !== this.#origin) throw new GraphError(0, 'invalidNextLink', `Refusing to send the access token to ${url.origin}.`);
    return url.href;
  }
}
