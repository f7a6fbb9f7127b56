import assert from "node:assert/strict";
import { edgeLabel, toFlow } from "./map_elements.ts";

Deno.test("toFlow colours nodes by error share and labels edges with calls and latency", () => {
  const { nodes, edges } = toFlow(
    {
      nodes: [
        { id: "order", name: "order", requestCount: 100, errorCount: 10, avgLatencyMs: 5, p95LatencyMs: 9 },
        {
          id: "payment",
          name: "payment",
          requestCount: 100,
          errorCount: 0,
          avgLatencyMs: 5,
          p95LatencyMs: 9,
        },
      ],
      edges: [{ source: "order", target: "payment", callCount: 1500, errorCount: 0, avgLatencyMs: 12.5 }],
    },
    (s) => `/traces?service_name=${s}`,
  );
  const order = nodes.find((n) => n.id === "order")!;
  assert.equal(order.data.level, "bad");
  assert.equal(order.data.href, "/traces?service_name=order");
  assert.equal(nodes.find((n) => n.id === "payment")!.data.level, "ok");
  assert.equal(edges[0].label, "1.5k calls · 12.5ms");
});

Deno.test("edgeLabel", () => {
  assert.equal(edgeLabel(3, 0.25), "3 calls · 250µs");
});
