/**
 * Live mode: one `/ws/events` socket for the whole app. Each LiveSnapshot is
 * converted and written into the query cache under `['live', …]` keys, which
 * the views read instead of REST while live is on. The service filter sent to
 * the server is the URL's `service_name` when exactly one is selected. The
 * socket opens only once the session allows the API (never behind the login
 * card), and a closed socket has the session checked again.
 *
 * @module
 */
import { useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from "react";
import { toLiveSnapshot } from "../api/convert.ts";
import { keys } from "../api/keys.ts";
import { useRecheckSession, useSessionGate } from "../api/session.ts";
import { ReconnectingSocket, type SocketStatus, wsUrl } from "../api/socket.ts";
import type { WireLiveSnapshot } from "../api/wire.ts";
import { useSearchParams } from "../hooks/router.tsx";

/** What the live context offers. */
export interface LiveState {
  enabled: boolean;
  setEnabled: (on: boolean) => void;
  /** The service the snapshots are filtered by, `""` for all. */
  service: string;
  status: SocketStatus;
  /** When the last snapshot arrived (epoch ms), or `null`. */
  lastSnapshotMs: number | null;
}

const LiveContext = createContext<LiveState | null>(null);
const STORAGE_KEY = "argus.live";

function storedEnabled(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === "1";
  } catch {
    return false;
  }
}

/** Owns the live socket; place inside the QueryClient and router providers. */
export function LiveProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient();
  const [params] = useSearchParams();
  const [enabled, setEnabledState] = useState(storedEnabled);
  const [status, setStatus] = useState<SocketStatus>("closed");
  const [lastSnapshotMs, setLastSnapshotMs] = useState<number | null>(null);
  const selected = params.getAll("service_name");
  const service = selected.length === 1 ? selected[0] : "";
  const serviceRef = useRef(service);
  serviceRef.current = service;
  const socketRef = useRef<ReconnectingSocket | null>(null);
  const signedIn = useSessionGate() === "app";
  const recheckSession = useRecheckSession();

  useEffect(() => {
    if (!enabled || !signedIn) return;
    const socket = new ReconnectingSocket({
      url: wsUrl("/ws/events"),
      hello: () => ({ service: serviceRef.current }),
      onStatus: (s) => {
        setStatus(s);
        if (s === "closed") recheckSession();
      },
      onMessage: (message) => {
        const m = message as WireLiveSnapshot;
        if (!m || m.type !== "snapshot") return;
        const snap = toLiveSnapshot(m);
        client.setQueryData(keys.live.dashboard(snap.service), snap.dashboard);
        client.setQueryData(keys.live.traffic(snap.service), snap.traffic);
        client.setQueryData(keys.live.traces(snap.service), snap.traces);
        client.setQueryData(keys.live.serviceMap(snap.service), snap.serviceMap);
        setLastSnapshotMs(Date.now());
      },
    });
    socketRef.current = socket;
    return () => {
      socket.close();
      socketRef.current = null;
      setStatus("closed");
    };
  }, [enabled, signedIn, client, recheckSession]);

  // A changed filter goes to the open socket; a reconnect sends it through `hello`.
  useEffect(() => {
    socketRef.current?.send({ service });
  }, [service]);

  const value = useMemo<LiveState>(() => ({
    enabled,
    setEnabled: (on) => {
      // REST data cached before live mode is older than what the snapshots showed:
      // mark it stale so the views refetch instead of stepping back in time.
      if (!on && enabled) client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== "live" });
      setEnabledState(on);
      try {
        globalThis.localStorage?.setItem(STORAGE_KEY, on ? "1" : "0");
      } catch {
        // private mode: keep it for this tab only
      }
    },
    service,
    status,
    lastSnapshotMs,
  }), [enabled, service, status, lastSnapshotMs, client]);

  return <LiveContext value={value}>{children}</LiveContext>;
}

/** The live state; throws outside {@link LiveProvider}. */
export function useLive(): LiveState {
  const ctx = useContext(LiveContext);
  if (!ctx) throw new Error("useLive must be used inside <LiveProvider>");
  return ctx;
}
