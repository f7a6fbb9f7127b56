/**
 * The dashboard's traffic and latency charts.
 *
 * @module
 */
import { Card, Center, Skeleton, Text } from "@mantine/core";
import { useMemo } from "react";
import { EChart } from "../../components/EChart.tsx";
import type { LatencyPoint, TrafficPoint } from "../../model/types.ts";
import { latencyOption, trafficOption } from "./chart_options.ts";

const HEIGHT = 240;

function Empty({ text }: { text: string }) {
  return (
    <Center h={HEIGHT}>
      <Text c="dimmed" size="sm">{text}</Text>
    </Center>
  );
}

/** Requests and errors per time bucket. */
export function TrafficChart({ points }: { points: TrafficPoint[] | undefined }) {
  const option = useMemo(() => trafficOption(points ?? []), [points]);
  return (
    <Card withBorder padding="sm">
      <Text fw={600} size="sm">Traffic and errors</Text>
      {!points
        ? <Skeleton h={HEIGHT} mt="xs" />
        : points.length === 0
        ? <Empty text="No traffic in this time range" />
        : (
          <EChart
            option={option}
            height={HEIGHT}
            label="Requests and errors over time"
            data-testid="traffic-chart"
          />
        )}
    </Card>
  );
}

/** Sampled trace durations over time. */
export function LatencyChart({ points }: { points: LatencyPoint[] | undefined }) {
  const option = useMemo(() => latencyOption(points ?? []), [points]);
  return (
    <Card withBorder padding="sm">
      <Text fw={600} size="sm">Latency distribution</Text>
      {!points
        ? <Skeleton h={HEIGHT} mt="xs" />
        : points.length === 0
        ? <Empty text="No traces in this time range" />
        : (
          <EChart
            option={option}
            height={HEIGHT}
            label="Trace durations over time"
            data-testid="latency-chart"
          />
        )}
    </Card>
  );
}
