// A tiny hash router: the app is served from a file in Electron and from `hookbench serve` in a browser,
// and a hash works the same in both without server-side routes.
import { useMemo, useSyncExternalStore } from 'react';

export type PageName = 'endpoints' | 'compose' | 'deliveries' | 'events' | 'inbox' | 'settings';

export const pages: ReadonlyArray<{ name: PageName; label: string; path: string; key: string }> = [
  { name: 'endpoints', label: 'Endpoints', path: '/endpoints', key: 'e' },
  { name: 'compose', label: 'Compose', path: '/compose', key: 'c' },
  { name: 'deliveries', label: 'Deliveries', path: '/deliveries', key: 'd' },
  // `v` as in Svix's "view messages": `e` is Endpoints
  { name: 'events', label: 'Events', path: '/events', key: 'v' },
  { name: 'inbox', label: 'Inbox', path: '/inbox', key: 'i' },
  { name: 'settings', label: 'Settings', path: '/settings', key: 's' },
];

export interface ParsedRoute {
  /** the path it was parsed from, e.g. `/endpoints/abc?x=1` */
  path: string;
  page: PageName;
  /** the id after the page, e.g. `#/endpoints/<id>`, or null */
  id: string | null;
  /** query after `?` in the hash, e.g. `#/deliveries?q=evt_1` */
  params: URLSearchParams;
}

function currentHash(): string {
  return typeof window === 'undefined' ? '' : window.location.hash;
}

/** `#/endpoints/abc?x=1` -> `/endpoints/abc?x=1`; empty or unknown -> `/endpoints`. */
export function hashToPath(hash: string): string {
  const raw = hash.replace(/^#/, '');
  if (!raw.startsWith('/') || raw.startsWith('/token=')) return '/endpoints';
  return raw;
}

export function parsePath(path: string): ParsedRoute {
  const [pathname = '', query = ''] = path.split('?', 2);
  const parts = pathname.split('/').filter(Boolean);
  const page = pages.find((p) => p.name === parts[0])?.name ?? 'endpoints';
  const id = page === parts[0] && parts[1] ? decodeURIComponent(parts[1]) : null;
  return { path, page, id, params: new URLSearchParams(query) };
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current path (`/endpoints/<id>`, `/deliveries?q=...`); re-renders on navigation. */
export function useRoutePath(): string {
  return hashToPath(useSyncExternalStore(subscribe, currentHash, () => ''));
}

/** The current route, parsed (stable while the path does not change). */
export function useParsedRoute(): ParsedRoute {
  const path = useRoutePath();
  return useMemo(() => parsePath(path), [path]);
}

/**
 * Go to a path like `/endpoints/ep_1` or `/deliveries?q=evt_1`. An effect that redirects (fills in an id,
 * rewrites a query) passes `from`, the path it rendered for: when the location has moved on since (a click
 * between the render and the effect), the redirect is stale and nothing happens.
 */
export function navigate(path: string, opts: { replace?: boolean; from?: string } = {}): void {
  const hash = `#${path.startsWith('/') ? path : `/${path}`}`;
  if (window.location.hash === hash) return;
  if (opts.from !== undefined && hashToPath(currentHash()) !== opts.from) return;
  if (opts.replace) {
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${hash}`);
    // replaceState fires no hashchange; tell subscribers ourselves
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = hash;
  }
}

/** `href` for an anchor to a path. */
export const hrefTo = (path: string): string => `#${path}`;
