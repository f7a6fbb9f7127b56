/**
 * One trace: summary, waterfall with the critical path, span details and logs.
 * The selected span lives in the URL (`?span=`), so it can be linked.
 *
 * @module
 */
import { Anchor, Button, Card, Group, Skeleton, Stack, Switch, Text, Title } from "@mantine/core";
import { ArrowLeft, ScrollText } from "lucide-react";
import { type ReactNode, useCallback, useMemo, useState } from "react";
import { ApiError } from "../../api/client.ts";
import { useTraceQuery } from "../../api/hooks.ts";
import { CopyId } from "../../components/CopyId.tsx";
import { Link } from "../../components/Link.tsx";
import { QueryError } from "../../components/QueryError.tsx";
import { ServiceBadge } from "../../components/ServiceBadge.tsx";
import { StatusBadge } from "../../components/StatusBadge.tsx";
import { TimeText } from "../../components/TimeText.tsx";
import { useSearchParams } from "../../hooks/router.tsx";
import { formatDurationUs } from "../../model/format.ts";
import { globalParams, withQuery } from "../../model/url_state.ts";
import { buildWaterfall, criticalPath, segmentsBySpan, visibleRows } from "../../model/waterfall.ts";
import { SpanDrawer } from "./SpanDrawer.tsx";
import { TraceLogs } from "./TraceLogs.tsx";
import { Waterfall } from "./Waterfall.tsx";

function Stat({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={0}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase">{label}</Text>
      <Text size="sm" fw={500} data-testid={testId}>{children}</Text>
    </Stack>
  );
}

/** The trace page. */
export default function TracePage({ traceId }: { traceId: string }) {
  const [params, setParams] = useSearchParams();
  const query = useTraceQuery(traceId);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [showCritical, setShowCritical] = useState(true);
  const selectedSpanId = params.get("span");

  const spans = query.data?.spans;
  const layout = useMemo(() => buildWaterfall(spans ?? []), [spans]);
  const rows = useMemo(() => visibleRows(layout.rows, collapsed), [layout, collapsed]);
  const critical = useMemo(() => {
    const path = criticalPath(spans ?? []);
    return { spanIds: path.spanIds, segments: segmentsBySpan(path) };
  }, [spans]);
  const selected = useMemo(
    () => spans?.find((s) => s.spanId === selectedSpanId) ?? null,
    [spans, selectedSpanId],
  );

  const onToggle = useCallback((spanId: string) => {
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(spanId)) next.delete(spanId);
      else next.add(spanId);
      return next;
    });
  }, []);
  const select = useCallback((spanId: string | null) => {
    setParams((p) => {
      if (spanId) p.set("span", spanId);
      else p.delete("span");
    });
  }, [setParams]);
  const onSelect = useCallback((spanId: string) => select(spanId), [select]);

  const back = withQuery("/traces", globalParams(params));
  const notFound = query.error instanceof ApiError && query.error.status === 404;
  const trace = query.data?.trace;

  return (
    <Stack gap="md" className="argus-beside-drawer" data-drawer-open={selected ? true : undefined}>
      <Group>
        <Anchor component={Link} href={back} size="sm">
          <Group gap={4}>
            <ArrowLeft size={14} /> Traces
          </Group>
        </Anchor>
      </Group>
      {notFound
        ? (
          <Card withBorder padding="lg" data-testid="trace-not-found">
            <Title order={3}>Trace not found</Title>
            <Text c="dimmed" mt="xs">
              No span with trace id {traceId}{" "}
              is stored. It may still be arriving, or it was purged by retention.
            </Text>
            <Button mt="md" variant="light" onClick={() => query.refetch()}>Look again</Button>
          </Card>
        )
        : <QueryError error={query.error} onRetry={() => query.refetch()} title="Could not load the trace" />}
      {!notFound && !query.error && (
        <Card withBorder padding="md" data-testid="trace-summary">
          {trace
            ? (
              <Stack gap="sm">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={4} style={{ minWidth: 0 }}>
                    <Title order={3} style={{ wordBreak: "break-word" }} data-testid="trace-title">
                      {trace.name || "(unnamed trace)"}
                    </Title>
                    <Group gap="xs">
                      <ServiceBadge name={trace.serviceName} />
                      <StatusBadge status={trace.status} />
                    </Group>
                  </Stack>
                  <Button
                    component={Link}
                    href={withQuery("/logs", new URLSearchParams({ trace_id: trace.traceId, range: "7d" }))}
                    variant="light"
                    size="xs"
                    leftSection={<ScrollText size={14} />}
                  >
                    Logs
                  </Button>
                </Group>
                <Group gap="xl">
                  <Stat label="Started">
                    <TimeText us={trace.startUs} />
                  </Stat>
                  <Stat label="Duration" testId="trace-duration">{formatDurationUs(trace.durationUs)}</Stat>
                  <Stat label="Spans" testId="trace-span-count">{spans?.length ?? trace.spanCount}</Stat>
                  <Stat label="Errors">{trace.errorCount}</Stat>
                  <Stat label="Services">{trace.services.length}</Stat>
                  <Stat label="Depth">{layout.maxDepth + 1}</Stat>
                  <Stack gap={0}>
                    <Text size="xs" c="dimmed" fw={600} tt="uppercase">Trace id</Text>
                    <CopyId value={trace.traceId} label="trace id" data-testid="copy-trace-id" />
                  </Stack>
                </Group>
              </Stack>
            )
            : (
              <Stack>
                <Skeleton h={28} w="50%" />
                <Skeleton h={16} w="80%" />
              </Stack>
            )}
        </Card>
      )}
      {spans && (
        <>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              Click a span for details. Keyboard: ↑ ↓ move, ← → collapse and expand, Enter opens.
            </Text>
            <Switch
              size="xs"
              color="orange"
              label="Highlight critical path"
              checked={showCritical}
              onChange={(e) => setShowCritical(e.currentTarget.checked)}
              data-testid="critical-toggle"
            />
          </Group>
          <Waterfall
            layout={layout}
            rows={rows}
            collapsed={collapsed}
            onToggle={onToggle}
            selectedSpanId={selectedSpanId}
            onSelect={onSelect}
            critical={showCritical ? critical : null}
          />
          <TraceLogs
            traceId={traceId}
            logs={query.data?.logs ?? []}
            traceStartUs={layout.startUs}
            onSelectSpan={onSelect}
          />
        </>
      )}
      {!spans && query.isPending && <Skeleton h={320} />}
      <SpanDrawer
        span={selected}
        traceStartUs={layout.startUs}
        logs={query.data?.logs ?? []}
        onClose={() => select(null)}
        onSelectSpan={onSelect}
      />
    </Stack>
  );
}
