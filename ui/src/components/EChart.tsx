/**
 * A minimal ECharts host: one instance per element, options applied on change,
 * resized with its container, re-created when the colour scheme flips.
 * Only the chart types the dashboard uses are registered, to keep the bundle small.
 *
 * @module
 */
import { useComputedColorScheme } from "@mantine/core";
import { BarChart, LineChart, ScatterChart } from "echarts/charts";
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useEffect, useRef } from "react";

echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  DataZoomComponent,
  CanvasRenderer,
]);

/** Props of {@link EChart}. */
export interface EChartProps {
  option: echarts.EChartsCoreOption;
  height: number;
  /** Accessible description of the chart. */
  label: string;
  "data-testid"?: string;
}

/** Renders an ECharts option into a div. */
export function EChart({ option, height, label, "data-testid": testId }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chartRef = useRef<echarts.ECharts | null>(null);
  const scheme = useComputedColorScheme("light");

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const chart = echarts.init(el, scheme === "dark" ? "dark" : undefined, { renderer: "canvas" });
    chartRef.current = chart;
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, [scheme]);

  useEffect(() => {
    chartRef.current?.setOption({ backgroundColor: "transparent", ...option }, {
      notMerge: true,
      lazyUpdate: true,
    });
  }, [option, scheme]);

  return (
    <div ref={ref} role="img" aria-label={label} style={{ width: "100%", height }} data-testid={testId} />
  );
}
