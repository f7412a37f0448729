import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react';

export type ResourceState<T> = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; data: T };

export interface Resource<T> {
  state: ResourceState<T>;
  /** loads again, keeping the current data on screen until the new data arrives */
  reload(): void;
}

/** Loads data when `deps` change, and abandons the request when the component goes away. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [state, setState] = useState<ResourceState<T>>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const loadedFor = useRef<DependencyList>(deps);

  // Dependencies: `load` is a new closure every render; `deps` says when it changes meaningfully
  useEffect(() => {
    // Other deps mean other data (another user, say): show loading rather than the previous one's data.
    if (!sameDeps(loadedFor.current, deps)) {
      loadedFor.current = deps;
      setState({ status: 'loading' });
    }
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => controller.abort();
  }, [...deps, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  return { state, reload };
}

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}
