/**
 * A tiny router over the History API: the location is read with
 * `useSyncExternalStore`, `navigate` pushes (or replaces) an entry, and the
 * back button works through `popstate`. Links are real `<a href>` elements
 * (see `components/Link.tsx`).
 *
 * @module
 */
import { useCallback, useMemo, useSyncExternalStore } from "react";

const NAVIGATE_EVENT = "argus:navigate";

function subscribe(onChange: () => void): () => void {
  globalThis.addEventListener("popstate", onChange);
  globalThis.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    globalThis.removeEventListener("popstate", onChange);
    globalThis.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const snapshot = () => globalThis.location.pathname + globalThis.location.search;

/** Options of a navigation. */
export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (filter edits). */
  replace?: boolean;
}

/** Goes to a same-origin URL (`/traces?status=ERROR`) without reloading the page. */
export function navigate(to: string, options: NavigateOptions = {}): void {
  const before = globalThis.location.pathname;
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  globalThis.dispatchEvent(new Event(NAVIGATE_EVENT));
  if (globalThis.location.pathname !== before) globalThis.scrollTo(0, 0);
}

/** The current path and query; re-renders on every navigation. */
export function useLocation(): { pathname: string; search: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  return useMemo(() => {
    const at = href.indexOf("?");
    return at < 0 ? { pathname: href, search: "" } : { pathname: href.slice(0, at), search: href.slice(at) };
  }, [href]);
}

/** Edits the current URL's search params; by default replacing the history entry. */
export type SetSearchParams = (edit: (params: URLSearchParams) => void, options?: NavigateOptions) => void;

/** The current search params and a function to edit them. */
export function useSearchParams(): [URLSearchParams, SetSearchParams] {
  const { search } = useLocation();
  const params = useMemo(() => new URLSearchParams(search), [search]);
  const set = useCallback<SetSearchParams>((edit, options) => {
    const next = new URLSearchParams(globalThis.location.search);
    edit(next);
    const q = next.toString();
    navigate(globalThis.location.pathname + (q ? `?${q}` : ""), { replace: options?.replace ?? true });
  }, []);
  return [params, set];
}
