import { type AnchorHTMLAttributes, createContext, type MouseEvent, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';

/**
 * A small History-API router for the handful of admin center pages. In-app paths start with `/` and
 * are relative to Vite's base (`/admin/`), so `/users/42` is `/admin/users/42` in the address bar.
 */
export interface AppLocation {
  path: string;
  /** a one-time message for the page navigated to ("User created"), kept in history.state */
  notice: string | null;
}

export interface NavigateOptions {
  replace?: boolean;
  notice?: string;
}

interface RouterValue {
  location: AppLocation;
  navigate(to: string, options?: NavigateOptions): void;
}

const BASE = import.meta.env.BASE_URL;
const RouterContext = createContext<RouterValue | null>(null);

export function toHref(path: string): string {
  return BASE + path.replace(/^\//, '');
}

function currentLocation(): AppLocation {
  const { pathname } = window.location;
  const path = pathname.startsWith(BASE) ? `/${pathname.slice(BASE.length)}` : '/';
  const state: unknown = window.history.state;
  const notice = state && typeof state === 'object' && 'notice' in state && typeof state.notice === 'string' ? state.notice : null;
  return { path: path.length > 1 ? path.replace(/\/+$/, '') : path, notice };
}

export function RouterProvider({ children }: { children: ReactNode }) {
  const [location, setLocation] = useState(currentLocation);

  useEffect(() => {
    const onPopState = () => setLocation(currentLocation());
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);

  const navigate = useCallback((to: string, options: NavigateOptions = {}) => {
    const state = options.notice ? { notice: options.notice } : null;
    if (options.replace) window.history.replaceState(state, '', toHref(to));
    else window.history.pushState(state, '', toHref(to));
    setLocation(currentLocation());
  }, []);

  const value = useMemo(() => ({ location, navigate }), [location, navigate]);
  return <RouterContext value={value}>{children}</RouterContext>;
}

function useRouter(): RouterValue {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter outside RouterProvider');
  return router;
}

export const useLocation = () => useRouter().location;
export const useNavigate = () => useRouter().navigate;

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** A real link (middle-click and "open in new tab" work) that navigates in-app on a plain click. */
export function Link({ to, onClick, ...rest }: LinkProps) {
  const navigate = useNavigate();
  const handleClick = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={toHref(to)} onClick={handleClick} {...rest} />;
}
