/**
 * Dashboard: stat cards, traffic, latency, RED table and latest error logs.
 * With no data at all, it shows how to send some instead of empty charts.
 *
 * @module
 */
import { Group, Select, SimpleGrid, Stack, Title } from "@mantine/core";
import { useMemo } from "react";
import {
  useLatencyQuery,
  useLatestErrorLogsQuery,
  useServicesQuery,
  useServiceStatsQuery,
} from "../../api/hooks.ts";
import { QueryError } from "../../components/QueryError.tsx";
import { SendDataHint } from "../../components/SendDataHint.tsx";
import { useSearchParams } from "../../hooks/router.tsx";
import { LIVE_RANGE, useUrlTimeRange } from "../../hooks/use_time_range.ts";
import { useLive } from "../../live/LiveProvider.tsx";
import { useDashboardStats, useTrafficSeries } from "../../live/live_data.ts";
import { globalParams } from "../../model/url_state.ts";
import { ErrorLogs } from "./ErrorLogs.tsx";
import { LatencyChart, TrafficChart } from "./Charts.tsx";
import { ServicesTable } from "./ServicesTable.tsx";
import { StatCards } from "./StatCards.tsx";

/** The dashboard page. */
export default function DashboardPage() {
  const [params, setParams] = useSearchParams();
  const [urlRange] = useUrlTimeRange();
  const live = useLive();
  const range = live.enabled ? LIVE_RANGE : urlRange;
  const service = params.get("service_name") ?? "";
  const services = useMemo(() => (service ? [service] : []), [service]);
  const pollMs = live.enabled ? 10_000 : false;

  const stats = useDashboardStats(range, services);
  const traffic = useTrafficSeries(range, services);
  const latency = useLatencyQuery(range, services, { refetchIntervalMs: pollMs });
  const red = useServiceStatsQuery(range, services, { refetchIntervalMs: pollMs });
  const errors = useLatestErrorLogsQuery(range, services, { refetchIntervalMs: pollMs });
  const names = useServicesQuery(range);

  const s = stats.data;
  const noData = s !== undefined && !service && s.totalTraces === 0 && s.totalLogs === 0 &&
    s.totalSpans === 0;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Dashboard</Title>
        <Select
          size="xs"
          w={220}
          placeholder="All services"
          aria-label="Service"
          clearable
          searchable
          data={names.data ?? []}
          value={service || null}
          onChange={(v) =>
            setParams((p) => {
              p.delete("service_name");
              if (v) p.set("service_name", v);
            }, { replace: false })}
          data-testid="dashboard-service"
        />
      </Group>
      <QueryError error={stats.error} onRetry={() => stats.refetch()} title="Could not load the dashboard" />
      {noData ? <SendDataHint /> : (
        <>
          <StatCards stats={s} />
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
            <TrafficChart points={traffic.data} />
            <LatencyChart points={latency.data} />
          </SimpleGrid>
          <ServicesTable rows={red.data} keep={globalParams(params)} />
          <ErrorLogs logs={errors.data?.items} keep={globalParams(params)} />
        </>
      )}
    </Stack>
  );
}
