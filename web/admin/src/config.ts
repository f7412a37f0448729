/** What `GET /admin/config.json` tells the SPA: its client id and where to sign in and call the API. */
export interface AdminConfig {
  clientId: string;
  authorizeUrl: string;
  scopes: string;
  redirectUri: string;
  graphBaseUrl: string;
  postLogoutRedirectUri: string;
}

const KEYS = ['clientId', 'authorizeUrl', 'scopes', 'redirectUri', 'graphBaseUrl', 'postLogoutRedirectUri'] as const;

export async function loadConfig(): Promise<AdminConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`The admin center configuration could not be loaded (HTTP ${response.status}).`);
  const body: unknown = await response.json();
  if (body === null || typeof body !== 'object') throw new Error('The admin center configuration is not a JSON object.');
  const record = body as Record<string, unknown>;
  for (const key of KEYS) {
    if (typeof record[key] !== 'string' || record[key] === '') throw new Error(`The admin center configuration has no "${key}".`);
  }
  return record as unknown as AdminConfig;
}
