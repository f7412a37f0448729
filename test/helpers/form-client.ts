/**
 * A minimal browser for the server-rendered sign-in pages: fetch with a cookie jar, manual
 * redirects, and helpers to read a page's form (action and fields) and submit it.
 */
export class FormClient {
  readonly #cookies = new Map<string, Map<string, string>>();

  constructor(readonly headers: Record<string, string> = {}) {}

  #cookieHeader(url: URL): string {
    const out: string[] = [];
    for (const [path, jar] of this.#cookies) {
      if (!url.pathname.startsWith(path)) continue;
      for (const [name, value] of jar) out.push(`${name}=${value}`);
    }
    return out.join('; ');
  }

  #store(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const pathAttr = attributes.find((a) => a.toLowerCase().startsWith('path='));
      const path = pathAttr ? pathAttr.slice(5) : '/';
      const expired = attributes.some((a) => /^expires=thu, 01 jan 1970/i.test(a)) || attributes.some((a) => /^max-age=0$/i.test(a));
      const jar = this.#cookies.get(path) ?? new Map<string, string>();
      if (expired) jar.delete(name);
      else jar.set(name, value);
      this.#cookies.set(path, jar);
    }
    void url;
  }

  /** One request, no redirect following. */
  async request(input: string, init: { method?: string; body?: URLSearchParams | string; headers?: Record<string, string> } = {}): Promise<Response> {
    const url = new URL(input);
    const headers: Record<string, string> = { ...this.headers, ...init.headers };
    const cookie = this.#cookieHeader(url);
    if (cookie) headers.cookie = cookie;
    if (init.body !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
    const response = await fetch(url, { method: init.method ?? (init.body ? 'POST' : 'GET'), headers, body: init.body?.toString(), redirect: 'manual' });
    this.#store(url, response);
    return response;
  }

  /**
   * Follows redirects from `input` until a page (200/4xx) or a redirect to a URL that `stop`
   * accepts (the client's redirect URI). Returns the last response and its URL.
   */
  async follow(input: string, init: { method?: string; body?: URLSearchParams } = {}, stop: (url: string) => boolean = () => false): Promise<{ response: Response; url: string; location?: string }> {
    let url = input;
    let response = await this.request(url, init);
    for (let i = 0; i < 10 && response.status >= 300 && response.status < 400; i++) {
      const location = new URL(response.headers.get('location')!, url).toString();
      if (stop(location)) return { response, url, location };
      url = location;
      response = await this.request(url);
    }
    return { response, url };
  }
}

export interface ParsedForm {
  action: string;
  fields: Record<string, string>;
}

const decode = (value: string) => value.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'");

/** The first POST form of a page: its absolute action URL and its hidden/prefilled fields. */
export function parseForm(html: string, pageUrl: string): ParsedForm {
  const form = /<form\b[^>]*method="post"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) throw new Error(`no form in page:\n${html.slice(0, 2000)}`);
  const action = /action="([^"]*)"/.exec(form[0])?.[1];
  const fields: Record<string, string> = {};
  for (const input of form[1]!.matchAll(/<input\b[^>]*>/gi)) {
    const name = /name="([^"]+)"/.exec(input[0])?.[1];
    const value = /value="([^"]*)"/.exec(input[0])?.[1];
    if (name) fields[name] = decode(value ?? '');
  }
  return { action: new URL(action ? decode(action) : pageUrl, pageUrl).toString(), fields };
}
