/**
 * Live health over `/ws/health` (a HealthStats every 2 s), written into the
 * query cache under `['live', 'health']`; GET /api/health fills the gap until
 * the first message arrives.
 *
 * @module
 */
import { skipToken, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { toHealth } from "../../api/convert.ts";
import { useHealthQuery } from "../../api/hooks.ts";
import { keys } from "../../api/keys.ts";
import { useRecheckSession } from "../../api/session.ts";
import { ReconnectingSocket, type SocketStatus, wsUrl } from "../../api/socket.ts";
import type { WireHealth } from "../../api/wire.ts";
import type { Health } from "../../model/types.ts";

/** Health pushed by the server, or fetched while the socket is not delivering. */
export function useHealthStream(): { health: Health | undefined; status: SocketStatus; error: Error | null } {
  const client = useQueryClient();
  const [status, setStatus] = useState<SocketStatus>("connecting");
  const recheckSession = useRecheckSession();
  useEffect(() => {
    const socket = new ReconnectingSocket({
      url: wsUrl("/ws/health"),
      onStatus: (s) => {
        setStatus(s);
        // Refused or dropped: perhaps the session ran out.
        if (s === "closed") recheckSession();
      },
      onMessage: (m) => {
        if (m && typeof m === "object" && !Array.isArray(m)) {
          client.setQueryData(keys.live.health(), toHealth(m as WireHealth));
        }
      },
    });
    return () => socket.close();
  }, [client, recheckSession]);
  const pushed = useQuery<Health>({ queryKey: keys.live.health(), queryFn: skipToken, staleTime: Infinity });
  const rest = useHealthQuery({
    enabled: status !== "open" || !pushed.data,
    refetchIntervalMs: status === "open" ? false : 5000,
  });
  return { health: pushed.data ?? rest.data, status, error: pushed.data ? null : rest.error };
}
