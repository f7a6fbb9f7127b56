import assert from "node:assert/strict";
import { layoutServiceMap, NODE_SIZE } from "./graph_layout.ts";
import type { MapNode, ServiceMap } from "./types.ts";

const node = (id: string): MapNode => ({
  id,
  name: id,
  requestCount: 1,
  errorCount: 0,
  avgLatencyMs: 1,
  p95LatencyMs: 1,
});

const edge = (source: string, target: string) => ({
  source,
  target,
  callCount: 1,
  errorCount: 0,
  avgLatencyMs: 1,
});

Deno.test("layoutServiceMap places callers left of callees without overlaps", () => {
  const map: ServiceMap = {
    nodes: ["gateway", "order", "payment", "inventory"].map(node),
    edges: [edge("gateway", "order"), edge("order", "payment"), edge("order", "inventory")],
  };
  const pos = layoutServiceMap(map);
  assert.equal(pos.size, 4);
  assert.ok(pos.get("gateway")!.x < pos.get("order")!.x);
  assert.ok(pos.get("order")!.x < pos.get("payment")!.x);
  const p = pos.get("payment")!;
  const i = pos.get("inventory")!;
  assert.ok(Math.abs(p.y - i.y) >= NODE_SIZE.height, "siblings must not overlap");
});

Deno.test("layoutServiceMap adds nodes only named by edges and tolerates self edges", () => {
  const pos = layoutServiceMap({ nodes: [node("a")], edges: [edge("a", "ghost"), edge("a", "a")] });
  assert.deepEqual([...pos.keys()].sort(), ["a", "ghost"]);
  assert.ok(Number.isFinite(pos.get("ghost")!.x));
});
