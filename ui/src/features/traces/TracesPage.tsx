/**
 * Traces: filter bar, sortable table, pages. In live mode the table shows the
 * snapshot's newest traces, filtered and sorted in the browser.
 *
 * @module
 */
import { Alert, Group, Pagination, Select, Stack, Text, Title } from "@mantine/core";
import { useMemo } from "react";
import { useServicesQuery, useTracesQuery } from "../../api/hooks.ts";
import { QueryError } from "../../components/QueryError.tsx";
import { SendDataHint } from "../../components/SendDataHint.tsx";
import { useSearchParams } from "../../hooks/router.tsx";
import { LIVE_RANGE, useUrlTimeRange } from "../../hooks/use_time_range.ts";
import { useLive } from "../../live/LiveProvider.tsx";
import { useLiveTraces } from "../../live/live_data.ts";
import { formatCount } from "../../model/format.ts";
import { matchesTraceFilters, sortTraces } from "../../model/trace_list.ts";
import {
  globalParams,
  hasTraceFilters,
  PAGE_SIZES,
  parseTraceFilters,
  type TraceFilters,
  writeTraceFilters,
} from "../../model/url_state.ts";
import { TraceFilterBar } from "./TraceFilters.tsx";
import { TracesTable } from "./TracesTable.tsx";

/** The traces page. */
export default function TracesPage() {
  const [params, setParams] = useSearchParams();
  const [urlRange] = useUrlTimeRange();
  const live = useLive();
  const filters = useMemo(() => parseTraceFilters(params), [params]);
  const range = live.enabled ? LIVE_RANGE : urlRange;

  const rest = useTracesQuery(filters, range, { enabled: !live.enabled });
  const pushed = useLiveTraces();
  const services = useServicesQuery(range);

  const liveRows = useMemo(
    () =>
      pushed.data
        ? sortTraces(
          pushed.data.filter((t) => matchesTraceFilters(t, filters)),
          filters.sortBy,
          filters.order,
        )
        : undefined,
    [pushed.data, filters],
  );
  const rows = live.enabled ? liveRows : rest.data?.items;
  const total = live.enabled ? liveRows?.length ?? 0 : rest.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / filters.pageSize));

  // Every applied filter, sort or page is a history entry: the back button undoes it.
  const update = (next: TraceFilters) => setParams((p) => writeTraceFilters(p, next), { replace: false });

  const noData = !live.enabled && rest.isSuccess && total === 0 && !hasTraceFilters(filters);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="baseline">
        <Title order={2}>Traces</Title>
        <Text size="sm" c="dimmed" data-testid="traces-total">
          {rows === undefined ? "Loading…" : `${formatCount(total)} ${total === 1 ? "trace" : "traces"}`}
        </Text>
      </Group>
      <TraceFilterBar value={filters} onChange={(f) => update(f)} services={services.data ?? []} />
      {live.enabled && (
        <Alert variant="light" color="teal" p="xs">
          Live: the newest traces of the last 15 minutes{live.service ? ` for ${live.service}` : ""}.
          {filters.attrs.length > 0 && " Attribute filters apply when live mode is off."}
        </Alert>
      )}
      <QueryError error={rest.error} onRetry={() => rest.refetch()} title="Could not load traces" />
      {noData ? <SendDataHint title="No traces in this time range" /> : (
        <>
          <TracesTable
            traces={rows}
            sortBy={filters.sortBy}
            order={filters.order}
            onSortChange={(sortBy, order) => update({ ...filters, sortBy, order, page: 1 })}
            keep={globalParams(params)}
          />
          {rows !== undefined && total === 0 && (
            <Text c="dimmed" ta="center" data-testid="traces-empty">No traces match these filters.</Text>
          )}
          {!live.enabled && (
            <Group justify="space-between">
              <Select
                size="xs"
                w={130}
                aria-label="Traces per page"
                data={PAGE_SIZES.map((n) => ({ value: String(n), label: `${n} per page` }))}
                value={String(filters.pageSize)}
                onChange={(v) => v && update({ ...filters, pageSize: Number(v), page: 1 })}
                allowDeselect={false}
              />
              <Pagination
                size="sm"
                total={pages}
                value={Math.min(filters.page, pages)}
                onChange={(page) => update({ ...filters, page })}
                data-testid="traces-pagination"
              />
            </Group>
          )}
        </>
      )}
    </Stack>
  );
}
