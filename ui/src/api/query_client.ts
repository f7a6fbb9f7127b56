/**
 * The app's QueryClient: failed requests become one Mantine notification per
 * query (repeated failures of a polled query do not stack up). A 401 is not a
 * failure to report: the session ran out, so the session query is asked again
 * and the app returns to the login card.
 *
 * @module
 */
import { notifications } from "@mantine/notifications";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "./client.ts";
import { recheckSession } from "./session.ts";

const shown = new Set<string>();

/** Shows an error notification unless one with the same id is already visible. */
export function notifyError(id: string, title: string, err: unknown): void {
  if (shown.has(id)) return;
  shown.add(id);
  const message = err instanceof Error ? err.message : String(err);
  notifications.show({
    id,
    color: "red",
    title,
    message,
    autoClose: 8000,
    onClose: () => shown.delete(id),
    "data-testid": "error-notification",
  });
}

function titleOf(err: unknown): string {
  if (err instanceof ApiError) {
    return err.status === 0 ? "Server unreachable" : `Request failed (${err.status}): ${err.request}`;
  }
  return "Something went wrong";
}

/** Whether an error says the request lacked a (valid) session: 401. */
export function isUnauthenticated(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

/** Creates the QueryClient with the app's defaults and error notifications. */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError: (err, query) => {
        if (isUnauthenticated(err)) return recheckSession(client);
        // A missing trace is shown on its page, not as a toast.
        if (err instanceof ApiError && err.status === 404) return;
        notifyError(`query:${query.queryHash}`, titleOf(err), err);
      },
    }),
    mutationCache: new MutationCache({
      onError: (err, _vars, _ctx, mutation) => {
        if (isUnauthenticated(err)) return recheckSession(client);
        notifyError(`mutation:${mutation.mutationId}`, titleOf(err), err);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (count, err) =>
          count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}
