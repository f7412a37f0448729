import { AppError } from '../../kernel/errors.ts';
import { BATCH_ITEM_HEADERS, BATCH_LIMITS } from './batch-limits.ts';
import { hasControlCharacter, resolveItemUrl, type GraphVersion, type ItemUrlProblem } from './batch-item-url.ts';

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
/** RFC 9110 token: what a header name may be */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export interface BatchItem {
  id: string;
  method: string;
  /** where the item runs (under the batch's version root), or why it may not run */
  target: { path: string } | { problem: ItemUrlProblem };
  /** the item's own headers that reach it, lower-cased (BATCH_ITEM_HEADERS) */
  headers: Record<string, string>;
  /** the body as sent to the item, already serialised */
  payload: string | undefined;
  dependsOn: string[];
}

const invalid = (message: string) => new AppError('badRequest', 'graph.invalidBatch', message);

function own(object: object, name: string): unknown {
  return Object.hasOwn(object, name) ? (object as Record<string, unknown>)[name] : undefined;
}

/**
 * Reads and checks a whole `$batch` body up front: a malformed batch, or one over its budget
 * (BATCH_LIMITS), runs nothing. An item whose URL leaves the version root is not a malformed
 * batch: it gets its own 400 and the other items run (see resolveItemUrl).
 */
export function readBatch(body: unknown, version: GraphVersion): BatchItem[] {
  const requests = body !== null && typeof body === 'object' && !Array.isArray(body) ? own(body, 'requests') : undefined;
  if (!Array.isArray(requests) || requests.length === 0) throw invalid("The batch body must have a non-empty 'requests' array.");
  if (requests.length > BATCH_LIMITS.maxRequests) throw invalid(`The number of batch requests ${requests.length} exceeds the limit of ${BATCH_LIMITS.maxRequests}.`);
  const ids = new Set<string>();
  const items = requests.map((raw: unknown, index): BatchItem => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`Request ${index} is not an object.`);
    const id = own(raw, 'id');
    if (typeof id !== 'string' || id === '') throw invalid(`Request ${index} has no 'id'.`);
    if (id.length > BATCH_LIMITS.maxIdLength) throw invalid(`Request ${index} has an 'id' longer than the limit of ${BATCH_LIMITS.maxIdLength} characters.`);
    if (ids.has(id)) throw invalid(`Batch request ids must be unique; '${id}' appears twice.`);
    ids.add(id);
    const rawMethod = own(raw, 'method');
    const method = typeof rawMethod === 'string' ? rawMethod.toUpperCase() : '';
    if (!METHODS.has(method)) throw invalid(`Request '${id}' has an invalid method '${String(rawMethod)}'.`);
    const url = own(raw, 'url');
    if (typeof url !== 'string') throw invalid(`Request '${id}' must have a 'url' relative to the version root.`);
    if (url.length > BATCH_LIMITS.maxUrlLength) throw invalid(`Request '${id}' has a 'url' longer than the limit of ${BATCH_LIMITS.maxUrlLength} characters.`);
    const { headers, contentType } = readHeaders(id, own(raw, 'headers'));
    const body = own(raw, 'body');
    if (body !== undefined && !contentType) throw invalid(`Request '${id}' has a body but no Content-Type header.`);
    return {
      id,
      method,
      target: resolveItemUrl(url, version),
      headers,
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      dependsOn: readDependsOn(id, own(raw, 'dependsOn')),
    };
  });
  for (const item of items) {
    for (const dep of item.dependsOn) if (!ids.has(dep)) throw invalid(`Request '${item.id}' depends on unknown request '${dep}'.`);
  }
  if (hasCycle(items)) throw invalid('The dependsOn references form a cycle.');
  return items;
}

function readHeaders(id: string, raw: unknown): { headers: Record<string, string>; contentType: boolean } {
  const headers: Record<string, string> = Object.create(null);
  if (raw === undefined || raw === null) return { headers, contentType: false };
  if (typeof raw !== 'object' || Array.isArray(raw)) throw invalid(`Request '${id}' has invalid 'headers'.`);
  const names = Object.keys(raw);
  if (names.length > BATCH_LIMITS.maxHeaders) throw invalid(`Request '${id}' has ${names.length} headers, over the limit of ${BATCH_LIMITS.maxHeaders}.`);
  const seen = new Set<string>();
  let contentType = false;
  for (const name of names) {
    const value = own(raw, name);
    if (name.length > BATCH_LIMITS.maxHeaderNameLength || !HEADER_NAME.test(name)) throw invalid(`Request '${id}' has an invalid header name '${name.slice(0, BATCH_LIMITS.maxHeaderNameLength)}'.`);
    const lower = name.toLowerCase();
    if (seen.has(lower)) throw invalid(`Request '${id}' has the header '${name}' more than once.`);
    seen.add(lower);
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') throw invalid(`Request '${id}' has a header '${name}' whose value is not a string.`);
    const text = String(value);
    if (text.length > BATCH_LIMITS.maxHeaderValueLength) throw invalid(`Request '${id}' has a header '${name}' longer than the limit of ${BATCH_LIMITS.maxHeaderValueLength} characters.`);
    // field values: visible characters, spaces and tabs; never CR, LF or NUL
    if (hasControlCharacter(text, { allowTab: true })) throw invalid(`Request '${id}' has a header '${name}' with control characters.`);
    if (lower === 'content-type') contentType = true;
    if (BATCH_ITEM_HEADERS.has(lower)) headers[lower] = text;
  }
  return { headers, contentType };
}

function readDependsOn(id: string, raw: unknown): string[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw) || raw.some((d: unknown) => typeof d !== 'string')) throw invalid(`Request '${id}' has an invalid 'dependsOn'.`);
  if (raw.length > BATCH_LIMITS.maxDependsOn) throw invalid(`Request '${id}' has ${raw.length} dependsOn entries, over the limit of ${BATCH_LIMITS.maxDependsOn}.`);
  if (new Set(raw).size !== raw.length) throw invalid(`Request '${id}' names a request more than once in 'dependsOn'.`);
  return raw as string[];
}

function hasCycle(items: BatchItem[]): boolean {
  const state = new Map<string, 'visiting' | 'done'>();
  const byId = new Map(items.map((i) => [i.id, i]));
  const visit = (id: string): boolean => {
    if (state.get(id) === 'done') return false;
    if (state.get(id) === 'visiting') return true;
    state.set(id, 'visiting');
    for (const dep of byId.get(id)?.dependsOn ?? []) if (visit(dep)) return true;
    state.set(id, 'done');
    return false;
  };
  return items.some((i) => visit(i.id));
}
