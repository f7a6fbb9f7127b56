/**
 * Logs: filters, a virtualised list, live tail with pause and resume, and a
 * details drawer with the AI insight and ±1 minute context.
 *
 * @module
 */
import { Badge, Button, Group, Stack, Text, Title } from "@mantine/core";
import { useViewportSize } from "@mantine/hooks";
import { Pause, Play, Radio } from "lucide-react";
import { useCallback, useEffect, useMemo, useState } from "react";
import { useLogsQuery, useServicesQuery } from "../../api/hooks.ts";
import { QueryError } from "../../components/QueryError.tsx";
import { SendDataHint } from "../../components/SendDataHint.tsx";
import { useSearchParams } from "../../hooks/router.tsx";
import { LIVE_RANGE, useUrlTimeRange } from "../../hooks/use_time_range.ts";
import { useLive } from "../../live/LiveProvider.tsx";
import { formatCount } from "../../model/format.ts";
import { matchesLogFilters, prependLogs } from "../../model/log_list.ts";
import { SEVERITIES } from "../../model/severity.ts";
import type { LogEntry } from "../../model/types.ts";
import { type LogFilters, parseLogFilters, writeLogFilters } from "../../model/url_state.ts";
import { LogDetail } from "./LogDetail.tsx";
import { LogFilterBar } from "./LogFilters.tsx";
import { LogList } from "./LogList.tsx";
import { useLogTail } from "./use_log_tail.ts";

/** The logs page. */
export default function LogsPage() {
  const [params, setParams] = useSearchParams();
  const [urlRange] = useUrlTimeRange();
  const live = useLive();
  const filters = useMemo(() => parseLogFilters(params), [params]);
  const range = live.enabled ? LIVE_RANGE : urlRange;
  const [paused, setPaused] = useState(false);
  const { height: viewport } = useViewportSize();

  const query = useLogsQuery(filters, range);
  const services = useServicesQuery(range);
  const minSeverity = filters.severities.length
    ? SEVERITIES.find((s) => filters.severities.includes(s)) ?? ""
    : "";
  const tail = useLogTail({
    enabled: live.enabled,
    paused,
    service: filters.services.length === 1 ? filters.services[0] : "",
    minSeverity,
  });

  const fetched = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const logs = useMemo(
    () => (live.enabled
      ? prependLogs(fetched, tail.logs.filter((l) => matchesLogFilters(l, filters)))
      : fetched),
    [live.enabled, fetched, tail.logs, filters],
  );
  const total = query.data?.pages[0]?.total ?? 0;

  // The open log is kept as an object (it may come from the context panel) and its id in the URL.
  const selectedId = params.get("log");
  const [selected, setSelected] = useState<LogEntry | null>(null);
  useEffect(() => {
    if (!selectedId) setSelected(null);
    else if (selected?.id !== selectedId) setSelected(logs.find((l) => l.id === selectedId) ?? null);
  }, [selectedId, logs, selected?.id]);
  const select = useCallback((log: LogEntry | null) => {
    setSelected(log);
    setParams((p) => {
      if (log) p.set("log", log.id);
      else p.delete("log");
    });
  }, [setParams]);

  // Every applied filter is a history entry: the back button undoes it.
  const update = (next: LogFilters) => setParams((p) => writeLogFilters(p, next), { replace: false });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  const onEndReached = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const unfiltered = filters.services.length === 0 && filters.severities.length === 0 && !filters.search &&
    !filters.traceId;
  const noData = query.isSuccess && logs.length === 0 && unfiltered && !live.enabled;

  return (
    <Stack gap="md" className="argus-beside-drawer" data-drawer-open={selected ? true : undefined}>
      <Group justify="space-between" align="center">
        <Group gap="sm" align="baseline">
          <Title order={2}>Logs</Title>
          <Text size="sm" c="dimmed" data-testid="logs-total">
            {query.isPending
              ? "Loading…"
              : live.enabled
              ? `${formatCount(logs.length)} shown`
              : `${formatCount(logs.length)} of ${formatCount(total)}`}
          </Text>
        </Group>
        {live.enabled
          ? (
            <Group gap="xs">
              <Badge
                color={tail.status === "open" ? (paused ? "yellow" : "teal") : "gray"}
                variant="dot"
                data-testid="tail-status"
              >
                {tail.status !== "open" ? "connecting" : paused ? `paused · ${tail.held} new` : "tailing"}
              </Badge>
              <Button
                size="xs"
                variant="light"
                leftSection={paused ? <Play size={14} /> : <Pause size={14} />}
                onClick={() => setPaused((p) => !p)}
                data-testid="tail-pause"
              >
                {paused ? "Resume" : "Pause"}
              </Button>
            </Group>
          )
          : (
            <Button
              size="xs"
              variant="light"
              leftSection={<Radio size={14} />}
              onClick={() => live.setEnabled(true)}
              data-testid="tail-start"
            >
              Live tail
            </Button>
          )}
      </Group>
      <LogFilterBar value={filters} onChange={update} services={services.data ?? []} />
      <QueryError error={query.error} onRetry={() => query.refetch()} title="Could not load logs" />
      {noData ? <SendDataHint title="No logs in this time range" /> : (
        <LogList
          logs={logs}
          selectedId={selectedId}
          onSelect={select}
          onEndReached={live.enabled ? undefined : onEndReached}
          loadingMore={isFetchingNextPage}
          height={Math.max(320, viewport - 290)}
        />
      )}
      {query.isSuccess && logs.length === 0 && !noData && (
        <Text c="dimmed" ta="center" data-testid="logs-empty">
          {live.enabled ? "Waiting for logs…" : "No logs match these filters."}
        </Text>
      )}
      <LogDetail log={selected} onClose={() => select(null)} onSelect={select} />
    </Stack>
  );
}
