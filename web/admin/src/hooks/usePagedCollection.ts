import { useCallback, useEffect, useRef, useState } from 'react';
import type { RequestOptions } from '../graph/client.ts';
import { useGraph } from '../graph/GraphContext.tsx';
import type { Collection } from '../graph/types.ts';

export interface PagedCollection<T> {
  items: T[];
  /** `@odata.count` of the first page, when the query asked for it */
  count: number | null;
  /** 1-based */
  pageNumber: number;
  hasNext: boolean;
  hasPrevious: boolean;
  loading: boolean;
  error: unknown;
  next(): void;
  previous(): void;
  /** starts over from the first page, e.g. after adding or removing an item */
  reload(): void;
}

/**
 * One page of a Graph collection at a time, moving forward by following `@odata.nextLink` as-is.
 * Graph has no "previous" link, so pages already seen are kept and shown again on the way back.
 */
export function usePagedCollection<T>(firstPageUrl: string, headers?: RequestOptions['headers']): PagedCollection<T> {
  const graph = useGraph();
  const [pages, setPages] = useState<Collection<T>[]>([]);
  const [index, setIndex] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [generation, setGeneration] = useState(0);
  const inFlight = useRef<AbortController | null>(null);

  const fetchPage = useCallback(
    async (url: string, onPage: (page: Collection<T>) => void) => {
      inFlight.current?.abort();
      const controller = new AbortController();
      inFlight.current = controller;
      setLoading(true);
      setError(null);
      try {
        const page = await graph.get<Collection<T>>(url, { headers, signal: controller.signal });
        if (!controller.signal.aborted) onPage(page);
      } catch (failure) {
        if (!controller.signal.aborted) setError(failure);
      } finally {
        if (!controller.signal.aborted) setLoading(false);
      }
    },
    [graph, headers],
  );

  // Dependencies: `generation` is the reload trigger
  useEffect(() => {
    setPages([]);
    setIndex(0);
    void fetchPage(firstPageUrl, (page) => setPages([page]));
    return () => inFlight.current?.abort();
  }, [firstPageUrl, fetchPage, generation]);

  const current = pages[index];
  const nextLink = current?.['@odata.nextLink'];

  const next = useCallback(() => {
    if (pages[index + 1]) {
      setIndex(index + 1);
      return;
    }
    if (!nextLink) return;
    void fetchPage(nextLink, (page) => {
      setPages((seen) => [...seen.slice(0, index + 1), page]);
      setIndex(index + 1);
    });
  }, [pages, index, nextLink, fetchPage]);

  const previous = useCallback(() => setIndex((i) => Math.max(0, i - 1)), []);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  return {
    items: current?.value ?? [],
    count: pages[0]?.['@odata.count'] ?? null,
    pageNumber: index + 1,
    hasNext: Boolean(pages[index + 1] || nextLink),
    hasPrevious: index > 0,
    loading,
    error,
    next,
    previous,
    reload,
  };
}
