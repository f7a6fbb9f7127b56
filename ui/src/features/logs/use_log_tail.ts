/**
 * Live tail of logs over `/ws`: batches of LogEntry arrive at most every 500 ms;
 * while paused they are held back and counted, and released on resume. AI
 * insight messages update the tail and the insight query cache.
 *
 * @module
 */
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { toLogEntry } from "../../api/convert.ts";
import { keys } from "../../api/keys.ts";
import { useRecheckSession } from "../../api/session.ts";
import { ReconnectingSocket, type SocketStatus, wsUrl } from "../../api/socket.ts";
import type { WireInsightMessage, WireLogEntry } from "../../api/wire.ts";
import { applyInsight, prependLogs, TAIL_CAP } from "../../model/log_list.ts";
import type { Insight, LogEntry } from "../../model/types.ts";

/** Options of {@link useLogTail}. */
export interface LogTailOptions {
  enabled: boolean;
  paused: boolean;
  /** Server-side filter: one service or `""`. */
  service: string;
  /** Server-side filter: lowest severity wanted or `""`. */
  minSeverity: string;
}

/** The tail's state. */
export interface LogTail {
  /** Received logs, newest first. */
  logs: LogEntry[];
  /** Logs held back while paused. */
  held: number;
  status: SocketStatus;
}

const NONE: LogEntry[] = [];

/** Streams logs while `enabled`. */
export function useLogTail({ enabled, paused, service, minSeverity }: LogTailOptions): LogTail {
  const client = useQueryClient();
  const [logs, setLogs] = useState<LogEntry[]>(NONE);
  const [held, setHeld] = useState(0);
  const [status, setStatus] = useState<SocketStatus>("closed");
  const heldRef = useRef<LogEntry[]>([]);
  const pausedRef = useRef(paused);
  const filterRef = useRef({ service, min_severity: minSeverity });
  const socketRef = useRef<ReconnectingSocket | null>(null);
  const recheckSession = useRecheckSession();

  useEffect(() => {
    pausedRef.current = paused;
    if (!paused && heldRef.current.length > 0) {
      const release = heldRef.current;
      heldRef.current = [];
      setHeld(0);
      setLogs((prev) => prependLogs(prev, release));
    }
  }, [paused]);

  useEffect(() => {
    filterRef.current = { service, min_severity: minSeverity };
    socketRef.current?.send(filterRef.current);
  }, [service, minSeverity]);

  useEffect(() => {
    if (!enabled) return;
    const socket = new ReconnectingSocket({
      url: wsUrl("/ws"),
      hello: () => filterRef.current,
      onStatus: (s) => {
        setStatus(s);
        // Refused or dropped: perhaps the session ran out.
        if (s === "closed") recheckSession();
      },
      onMessage: (message) => {
        if (Array.isArray(message)) {
          const arrived = (message as WireLogEntry[]).map(toLogEntry);
          if (pausedRef.current) {
            heldRef.current = prependLogs(heldRef.current, arrived, TAIL_CAP);
            setHeld(heldRef.current.length);
          } else {
            setLogs((prev) => prependLogs(prev, arrived));
          }
          return;
        }
        const m = message as WireInsightMessage;
        if (m && m.type === "insight") {
          const id = String(m.log_id);
          const status =
            (["pending", "done", "failed", "skipped"].includes(m.status) ? m.status : "none") as Insight[
              "status"
            ];
          const insight = m.insight ?? "";
          client.setQueryData<Insight>(keys.logs.insight(id), { insight, status });
          setLogs((prev) => applyInsight(prev, id, insight, status));
        }
      },
    });
    socketRef.current = socket;
    return () => {
      socket.close();
      socketRef.current = null;
      setStatus("closed");
    };
  }, [enabled, client, recheckSession]);

  // A fresh tail starts empty; the REST query supplies the history.
  useEffect(() => {
    if (!enabled) {
      setLogs(NONE);
      heldRef.current = [];
      setHeld(0);
    }
  }, [enabled]);

  return { logs, held, status };
}
