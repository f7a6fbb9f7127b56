/**
 * The dashboard's headline figures.
 *
 * @module
 */
import { Card, Group, SimpleGrid, Skeleton, Text } from "@mantine/core";
import { Activity, AlertTriangle, Boxes, Clock, Gauge, Layers, ScrollText, Waypoints } from "lucide-react";
import type { ComponentType, ReactNode } from "react";
import { formatCount, formatDurationMs, formatPercent } from "../../model/format.ts";
import type { DashboardStats } from "../../model/types.ts";

interface Stat {
  key: string;
  label: string;
  icon: ComponentType<{ size?: number }>;
  value: (s: DashboardStats) => string;
  detail?: (s: DashboardStats) => ReactNode;
  danger?: (s: DashboardStats) => boolean;
}

const STATS: Stat[] = [
  {
    key: "total_traces",
    label: "Traces",
    icon: Waypoints,
    value: (s) => formatCount(s.totalTraces),
    detail: (s) => `${formatCount(s.totalSpans)} spans`,
  },
  {
    key: "error_rate",
    label: "Error rate",
    icon: AlertTriangle,
    value: (s) => formatPercent(s.errorRate),
    detail: (s) => `${formatCount(s.errorTraces)} failed traces`,
    danger: (s) => s.errorRate >= 0.05,
  },
  {
    key: "throughput_per_min",
    label: "Throughput",
    icon: Activity,
    value: (s) => `${formatCount(s.throughputPerMin)}/min`,
    detail: () => "traces per minute",
  },
  {
    key: "p95_latency_ms",
    label: "P95 latency",
    icon: Gauge,
    value: (s) => formatDurationMs(s.p95LatencyMs),
    detail: (s) => `p50 ${formatDurationMs(s.p50LatencyMs)} · p99 ${formatDurationMs(s.p99LatencyMs)}`,
  },
  {
    key: "avg_latency_ms",
    label: "Average latency",
    icon: Clock,
    value: (s) => formatDurationMs(s.avgLatencyMs),
  },
  {
    key: "total_logs",
    label: "Logs",
    icon: ScrollText,
    value: (s) => formatCount(s.totalLogs),
    detail: (s) => `${formatCount(s.errorLogs)} errors`,
    danger: (s) => s.errorLogs > 0,
  },
  {
    key: "active_services",
    label: "Active services",
    icon: Boxes,
    value: (s) => formatCount(s.activeServices),
  },
  {
    key: "total_spans",
    label: "Spans",
    icon: Layers,
    value: (s) => formatCount(s.totalSpans),
  },
];

/** A grid of stat cards; skeletons while `stats` is undefined. */
export function StatCards({ stats }: { stats: DashboardStats | undefined }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
      {STATS.map((stat) => (
        <Card key={stat.key} withBorder padding="sm" data-testid="stat-card" data-stat={stat.key}>
          <Group justify="space-between" wrap="nowrap" gap={4}>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase">{stat.label}</Text>
            <stat.icon size={16} />
          </Group>
          {stats
            ? (
              <>
                <Text
                  fz={26}
                  fw={700}
                  lh={1.3}
                  c={stat.danger?.(stats) ? "red" : undefined}
                  data-testid="stat-value"
                >
                  {stat.value(stats)}
                </Text>
                <Text size="xs" c="dimmed" h={18}>{stat.detail?.(stats)}</Text>
              </>
            )
            : (
              <>
                <Skeleton h={28} mt={4} w="60%" />
                <Skeleton h={12} mt={6} w="80%" />
              </>
            )}
        </Card>
      ))}
    </SimpleGrid>
  );
}
