/** A failed Graph call, carrying Graph's error body (`{"error":{"code","message","innerError"}}`). */
export class GraphError extends Error {
  override name = 'GraphError';
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  /** `error.details[].target`, when the service names the properties it rejected */
  readonly targets: string[];

  constructor(status: number, code: string, message: string, requestId: string | null = null, targets: string[] = []) {
    super(message);
    this.status = status;
    this.code = code;
    this.requestId = requestId;
    this.targets = targets;
  }
}

export async function graphErrorFrom(response: Response): Promise<GraphError> {
  const requestId = response.headers.get('request-id');
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // not a Graph error body (a proxy's HTML page, an empty 502, ...)
  }
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    const targets = Array.isArray(error.details)
      ? error.details.flatMap((detail: { target?: unknown }) => (typeof detail?.target === 'string' ? [detail.target] : []))
      : [];
    const message = typeof error.message === 'string' && error.message !== '' ? error.message : error.code;
    return new GraphError(response.status, error.code, message, requestId, targets);
  }
  return new GraphError(response.status, 'httpError', `The server answered ${response.status} ${response.statusText}.`.replace(' .', '.'), requestId);
}

/**
 * The property an error is about, when it is one of `properties`: from `details[].target`, then
 * from Graph's wording ("... for property userPrincipalName ...", "property 'usageLocation'"), then
 * from any mention (a nested property such as `statementUrl` inside a `privacyProfile` message).
 */
export function fieldOfError(error: GraphError, properties: readonly string[]): string | null {
  for (const target of error.targets) if (properties.includes(target)) return target;
  for (const match of error.message.matchAll(/propert(?:y|ies)\s+'?([A-Za-z][A-Za-z0-9]*)'?/g)) {
    const name = match[1];
    if (name !== undefined && properties.includes(name)) return name;
  }
  for (const word of error.message.match(/[A-Za-z][A-Za-z0-9]*/g) ?? []) {
    if (properties.includes(word)) return word;
  }
  return null;
}

/**
 * A sentence for an error, phrased for the person who tried to do `doing` ("create users").
 * 403s get a clear permission message instead of the service's generic "Insufficient privileges".
 */
export function describeError(error: unknown, doing: string): string {
  if (error instanceof GraphError) {
    if (error.status === 403) return `You don't have permission to ${doing}.`;
    if (error.status === 429) return `Too many requests; wait a moment and try to ${doing} again.`;
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return `Something went wrong while trying to ${doing}.`;
}
