/**
 * Service map → React Flow nodes and edges (React-free apart from types).
 *
 * @module
 */
import type { Edge, Node } from "@xyflow/react";
import { errorLevel, type HealthLevel, LEVEL_COLORS } from "../../model/color.ts";
import { formatCount, formatDurationMs } from "../../model/format.ts";
import { layoutServiceMap } from "../../model/graph_layout.ts";
import type { MapNode, ServiceMap } from "../../model/types.ts";

/** Healthy edges: a grey that reads on the light and the dark background. */
export const EDGE_COLOR = LEVEL_COLORS.idle;

/** Data of a service node. */
export interface ServiceNodeData extends Record<string, unknown> {
  node: MapNode;
  level: HealthLevel;
  href: string;
}

/** A React Flow node of the map. */
export type ServiceFlowNode = Node<ServiceNodeData, "service">;

/** Label of an edge: calls and average latency. */
export function edgeLabel(callCount: number, avgLatencyMs: number): string {
  return `${formatCount(callCount)} calls · ${formatDurationMs(avgLatencyMs)}`;
}

/** Builds positioned nodes and labelled edges; `href` gives each node's link. */
export function toFlow(map: ServiceMap, href: (service: string) => string): {
  nodes: ServiceFlowNode[];
  edges: Edge[];
} {
  const positions = layoutServiceMap(map);
  const known = new Map(map.nodes.map((n) => [n.id, n]));
  const nodes: ServiceFlowNode[] = [...positions].map(([id, position]) => {
    const node = known.get(id) ??
      { id, name: id, requestCount: 0, errorCount: 0, avgLatencyMs: 0, p95LatencyMs: 0 };
    return {
      id,
      type: "service",
      position,
      data: { node, level: errorLevel(node.errorCount, node.requestCount), href: href(node.name) },
    };
  });
  const edges: Edge[] = map.edges.map((e) => {
    const level = errorLevel(e.errorCount, e.callCount);
    // Healthy edges get an explicit grey too: without a colour the arrow head is not drawn.
    const color = level === "bad" ? LEVEL_COLORS.bad : level === "warn" ? LEVEL_COLORS.warn : EDGE_COLOR;
    return {
      id: `${e.source}->${e.target}`,
      source: e.source,
      target: e.target,
      label: edgeLabel(e.callCount, e.avgLatencyMs),
      markerEnd: { type: "arrowclosed" as const, color },
      style: { stroke: color, strokeWidth: color === EDGE_COLOR ? 1.5 : 2 },
      labelStyle: { fontSize: 11 },
      labelBgPadding: [4, 2] as [number, number],
      labelBgBorderRadius: 4,
      data: { errorCount: e.errorCount },
    };
  });
  return { nodes, edges };
}
