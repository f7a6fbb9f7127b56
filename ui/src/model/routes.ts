/**
 * The UI's routes and how a path maps to one. Unknown paths give `notFound`.
 *
 * @module
 */

/** A matched route. */
export type Route =
  | { page: "dashboard" }
  | { page: "traces" }
  | { page: "trace"; traceId: string }
  | { page: "logs" }
  | { page: "servicemap" }
  | { page: "settings" }
  | { page: "notFound"; path: string };

/** Maps a pathname to a route; trailing slashes are ignored. */
export function matchRoute(pathname: string): Route {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  switch (path) {
    case "":
    case "/":
      return { page: "dashboard" };
    case "/traces":
      return { page: "traces" };
    case "/logs":
      return { page: "logs" };
    case "/service-map":
      return { page: "servicemap" };
    case "/settings":
      return { page: "settings" };
  }
  const trace = /^\/traces\/([^/]+)$/.exec(path);
  if (trace) {
    let id: string;
    try {
      id = decodeURIComponent(trace[1]);
    } catch {
      return { page: "notFound", path };
    }
    return { page: "trace", traceId: id.toLowerCase() };
  }
  return { page: "notFound", path };
}

/** The path of a trace's page. */
export function tracePath(traceId: string): string {
  return `/traces/${encodeURIComponent(traceId)}`;
}

/** The fields of a mouse event that decide whether a click on a link is ours to handle. */
export interface ClickLike {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
}

/**
 * Whether the router should take over a click on a same-origin link: a plain
 * primary-button click only, so middle-click, Ctrl/Cmd-click (new tab),
 * Shift-click (new window) and Alt-click (download) keep the browser's behaviour.
 */
export function isPlainLeftClick(event: ClickLike, target?: string | null): boolean {
  return event.button === 0 && !event.defaultPrevented && !event.metaKey && !event.ctrlKey &&
    !event.shiftKey && !event.altKey && (!target || target === "_self");
}
