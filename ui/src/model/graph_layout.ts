/**
 * Positions of the service map's nodes, computed with dagre (left to right).
 *
 * @module
 */
import { Graph, layout } from "@dagrejs/dagre";
import type { ServiceMap } from "./types.ts";

/** Size every node is laid out with, in pixels. */
export const NODE_SIZE = { width: 200, height: 76 } as const;

/** Top-left corner of each node by id. */
export type Positions = Map<string, { x: number; y: number }>;

/**
 * Lays the graph out left to right (callers to the left of callees). Edges
 * naming an unknown node add that node, so nothing points into the void; self
 * edges are ignored for layout.
 */
export function layoutServiceMap(map: ServiceMap): Positions {
  const g = new Graph({ multigraph: false });
  g.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 110, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(map.nodes.map((n) => n.id));
  for (const e of map.edges) {
    ids.add(e.source);
    ids.add(e.target);
  }
  for (const id of [...ids].sort()) g.setNode(id, { width: NODE_SIZE.width, height: NODE_SIZE.height });
  for (const e of map.edges) if (e.source !== e.target) g.setEdge(e.source, e.target);
  layout(g);
  const out: Positions = new Map();
  for (const id of ids) {
    const n = g.node(id) as { x: number; y: number };
    out.set(id, { x: n.x - NODE_SIZE.width / 2, y: n.y - NODE_SIZE.height / 2 });
  }
  return out;
}
