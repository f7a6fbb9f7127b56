/**
 * ECharts options of the dashboard, built from domain data (React-free).
 *
 * @module
 */
import { formatDurationMs, formatLocalTime } from "../../model/format.ts";
import type { LatencyPoint, TrafficPoint } from "../../model/types.ts";

const OK_COLOR = "#4c6ef5";
const ERROR_COLOR = "#fa5252";

/** Stacked bars: successful and failed requests per bucket. */
export function trafficOption(points: readonly TrafficPoint[]) {
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 32, bottom: 28 },
    legend: { top: 0, right: 0, data: ["OK", "Errors"] },
    tooltip: {
      trigger: "axis",
      axisPointer: { type: "shadow" },
      valueFormatter: (v: unknown) => String(v),
    },
    xAxis: { type: "time" },
    yAxis: { type: "value", minInterval: 1 },
    series: [
      {
        name: "OK",
        type: "bar",
        stack: "traffic",
        color: OK_COLOR,
        barMaxWidth: 24,
        data: points.map((p) => [p.timeMs, Math.max(0, p.count - p.errorCount)]),
      },
      {
        name: "Errors",
        type: "bar",
        stack: "traffic",
        color: ERROR_COLOR,
        barMaxWidth: 24,
        data: points.map((p) => [p.timeMs, p.errorCount]),
      },
    ],
  };
}

/**
 * Trace durations over time as a scatter with a logarithmic duration axis, so
 * that fast and slow requests both stay visible; colour deepens with duration.
 */
export function latencyOption(points: readonly LatencyPoint[]) {
  const durations = points.map((p) => p.durationMs).filter((d) => d > 0);
  const max = durations.length ? Math.max(...durations) : 1;
  return {
    animation: false,
    grid: { left: 56, right: 16, top: 16, bottom: 28 },
    tooltip: {
      trigger: "item",
      formatter: (p: { value: [number, number] }) =>
        `${formatLocalTime(p.value[0])}<br/>${formatDurationMs(p.value[1])}`,
    },
    xAxis: { type: "time" },
    yAxis: {
      type: "log",
      logBase: 10,
      axisLabel: { formatter: (v: number) => formatDurationMs(v) },
    },
    visualMap: {
      show: false,
      dimension: 1,
      min: Math.min(...durations, max),
      max,
      inRange: { color: ["#74c0fc", "#4c6ef5", "#be4bdb", "#fa5252"] },
    },
    series: [{
      type: "scatter",
      symbolSize: 6,
      // Opaque enough to stay visible on the dark scheme's background.
      itemStyle: { opacity: 0.85 },
      large: points.length > 1000,
      // a log axis cannot show 0: clamp instant traces to 1 µs
      data: points.map((p) => [p.timeMs, Math.max(p.durationMs, 0.001)]),
    }],
  };
}
