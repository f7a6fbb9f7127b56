/**
 * The REST API on SQLite, PostgreSQL and MariaDB with the same seeded data and
 * the same expected JSON (computed by hand below): filters, sorting, paging
 * totals, service-map edges, RED percentiles, 404s, 400s naming the parameter,
 * and injection strings answered with correct empty results.
 */

import assert from "node:assert/strict";
import { startTestArgus, type TestArgus } from "./support/argus.ts";
import { liveDialects } from "./support/databases.ts";
import { log, span } from "./support/fixtures.ts";
import type { SpanRow } from "../src/store/rows.ts";

const T0 = Date.UTC(2024, 0, 1) * 1000; // µs
const MS = 1000;
const MIN = 60_000_000;
const RANGE = `start=${T0 / 1000}&end=${(T0 + 10 * MIN) / 1000}`;
const id = (c: string) => c.repeat(32);
const sid = (n: number) => n.toString(16).padStart(16, "0");

/** Each service's resource: stored once per service, read back with every span and log. */
const resourceOf = (service: string) => ({ "service.name": service, "host.name": `${service}-1` });
const withResource = <T extends { service_name: string }>(row: T): T => ({
  ...row,
  resource_attributes: JSON.stringify(resourceOf(row.service_name)),
});

function seedSpans(): SpanRow[] {
  const A = id("a"), B = id("b"), C = id("c"), D = id("d");
  return [
    // A: frontend → order → payment, the payment span fails. 100 ms, 5 spans.
    span({
      trace_id: A,
      span_id: sid(1),
      name: "GET /checkout",
      service_name: "frontend",
      kind: "SERVER",
      start_us: T0,
      end_us: T0 + 100 * MS,
      attributes: '{"http.method":"GET","http.status_code":500}',
    }),
    span({
      trace_id: A,
      span_id: sid(2),
      parent_span_id: sid(1),
      name: "call order",
      service_name: "frontend",
      kind: "CLIENT",
      start_us: T0 + 10 * MS,
      end_us: T0 + 90 * MS,
    }),
    span({
      trace_id: A,
      span_id: sid(3),
      parent_span_id: sid(2),
      name: "POST /order",
      service_name: "order",
      kind: "SERVER",
      start_us: T0 + 15 * MS,
      end_us: T0 + 85 * MS,
    }),
    span({
      trace_id: A,
      span_id: sid(4),
      parent_span_id: sid(3),
      name: "charge",
      service_name: "order",
      kind: "CLIENT",
      start_us: T0 + 20 * MS,
      end_us: T0 + 60 * MS,
    }),
    span({
      trace_id: A,
      span_id: sid(5),
      parent_span_id: sid(4),
      name: "charge",
      service_name: "payment",
      kind: "SERVER",
      start_us: T0 + 25 * MS,
      end_us: T0 + 55 * MS,
      status_code: "ERROR",
      status_message: "card declined",
    }),
    // B: a quick home page. 20 ms.
    span({
      trace_id: B,
      span_id: sid(6),
      name: "GET /home",
      service_name: "frontend",
      kind: "SERVER",
      start_us: T0 + MIN,
      end_us: T0 + MIN + 20 * MS,
    }),
    // C: a batch job with typed attributes. 500 ms.
    span({
      trace_id: C,
      span_id: sid(7),
      name: "cron sync",
      service_name: "inventory",
      kind: "INTERNAL",
      start_us: T0 + 2 * MIN,
      end_us: T0 + 2 * MIN + 500 * MS,
      attributes: '{"job":"sync","batch":42,"dry_run":true,"ratio":0.5}',
    }),
    // D: checkout again, 300 ms, order answers in 200 ms.
    span({
      trace_id: D,
      span_id: sid(8),
      name: "GET /checkout",
      service_name: "frontend",
      kind: "SERVER",
      start_us: T0 + 3 * MIN,
      end_us: T0 + 3 * MIN + 300 * MS,
    }),
    span({
      trace_id: D,
      span_id: sid(9),
      parent_span_id: sid(8),
      name: "POST /order",
      service_name: "order",
      kind: "SERVER",
      start_us: T0 + 3 * MIN + 50 * MS,
      end_us: T0 + 3 * MIN + 250 * MS,
    }),
  ].map(withResource);
}

function seedLogs() {
  return [
    log(1, {
      timestamp_us: T0 + 30 * MS,
      trace_id: id("a"),
      span_id: sid(5),
      service_name: "payment",
      severity: "ERROR",
      severity_number: 17,
      body: "Card declined by issuer",
    }),
    log(2, {
      timestamp_us: T0 + 40 * MS,
      service_name: "order",
      severity: "WARN",
      severity_number: 13,
      body: "retrying payment",
    }),
    log(3, {
      timestamp_us: T0 + MIN,
      service_name: "frontend",
      severity: "INFO",
      severity_number: 9,
      body: "home served",
    }),
    log(4, {
      timestamp_us: T0 + 2 * MIN,
      service_name: "inventory",
      severity: "INFO",
      severity_number: 10,
      body: "sync 100% done_ok",
    }),
    log(5, {
      timestamp_us: T0 + 2 * MIN + MS,
      service_name: "inventory",
      severity: "DEBUG",
      severity_number: 5,
      body: "sync 100 items",
    }),
    log(6, {
      timestamp_us: T0 + 4 * MIN,
      service_name: "mailer",
      severity: "FATAL",
      severity_number: 21,
      body: "SMTP down",
    }),
  ].map(withResource);
}

async function get(t: TestArgus, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${t.http}${path}`, { headers });
  return { status: res.status, body: await res.json() };
}

const ids = (body: { data: { trace_id: string }[] }) => body.data.map((t) => t.trace_id[0]).join("");

const { run } = liveDialects();
for (const dialect of run) {
  Deno.test(`REST API on ${dialect.name}`, async (ctx) => {
    const t = await startTestArgus({}, dialect);
    try {
      await t.argus.store.forTenant("default").writeBatch(seedSpans(), seedLogs());
      await t.argus.store.forTenant("other").writeBatch(
        [span({ trace_id: id("e"), span_id: sid(1), start_us: T0, end_us: T0 + MS, service_name: "secret" })],
        // The same resource as a span of the default tenant: each tenant stores and reads its own.
        [log(99, {
          timestamp_us: T0,
          service_name: "secret",
          body: "other tenant",
          resource_attributes: JSON.stringify(resourceOf("payment")),
        })],
      );

      await ctx.step("trace list: filters, sorting and paging", async () => {
        const all = await get(t, `/api/traces?${RANGE}`);
        assert.equal(all.status, 200);
        assert.equal(ids(all.body), "dcba");
        assert.deepEqual([all.body.total, all.body.limit, all.body.offset], [4, 50, 0]);
        const a = all.body.data[3];
        assert.deepEqual(a, {
          trace_id: id("a"),
          service_name: "frontend",
          name: "GET /checkout",
          start_us: T0,
          timestamp: "2024-01-01T00:00:00.000000Z",
          duration_us: 100_000,
          duration_ms: 100,
          status: "ERROR",
          span_count: 5,
          error_count: 1,
          services: ["frontend", "order", "payment"],
        });
        const cases: [string, string, number?][] = [
          ["status=ERROR", "a"],
          ["service_name=payment", "a"],
          ["service_name=order", "da"],
          ["service_name=order&service_name=inventory", "dca"],
          ["min_duration_ms=100", "dca"],
          ["max_duration_ms=50", "b"],
          ["min_duration_ms=50&max_duration_ms=300", "da"],
          ["search=CHECKOUT", "da"],
          [`search=${id("c")}`, "c"],
          ["attr=job%3Dsync", "c"],
          ["attr=batch%3D42", "c"],
          ["attr=dry_run%3Dtrue", "c"],
          ["attr=ratio%3D0.5", "c"],
          ["attr=http.status_code%3D500", "a"],
          ["attr=job%3Dsync&attr=batch%3D41", ""],
          ["sort_by=duration&order_by=asc", "badc"],
          ["sort_by=span_count", "adbc"],
          ["sort_by=service_name&order_by=asc", "abdc"],
          ["limit=2&offset=1", "cb", 4],
        ];
        for (const [q, expected, total] of cases) {
          const r = await get(t, `/api/traces?${RANGE}&${q}`);
          assert.equal(r.status, 200, q);
          assert.equal(ids(r.body), expected, q);
          if (total !== undefined) assert.equal(r.body.total, total, q);
          else assert.equal(r.body.total, expected.length, q);
        }
      });

      await ctx.step("trace detail, 404 and tenant isolation", async () => {
        const r = await get(t, `/api/traces/${id("a").toUpperCase()}`);
        assert.equal(r.status, 200);
        assert.equal(r.body.trace.trace_id, id("a"));
        assert.deepEqual(r.body.spans.map((s: { span_id: string }) => s.span_id), [1, 2, 3, 4, 5].map(sid));
        assert.deepEqual(r.body.spans[0].attributes, { "http.method": "GET", "http.status_code": 500 });
        assert.deepEqual(
          r.body.spans.map((s: { resource_attributes: unknown }) => s.resource_attributes),
          ["frontend", "frontend", "order", "order", "payment"].map(resourceOf),
        );
        assert.deepEqual(r.body.logs[0].resource_attributes, resourceOf("payment"));
        assert.deepEqual(r.body.logs.map((l: { id: number }) => l.id), [1]);
        const unknown = await get(t, `/api/traces/${id("f")}`);
        assert.equal(unknown.status, 404);
        assert.match(unknown.body.error, /No trace/);
        assert.equal((await get(t, `/api/traces/${id("e")}`)).status, 404);
        const other = await get(t, `/api/traces/${id("e")}`, { "X-Scope-OrgID": "other" });
        assert.equal(other.status, 200);
        assert.deepEqual(other.body.spans[0].resource_attributes, { "service.name": "frontend" });
        const otherLogs = await get(t, `/api/logs?${RANGE}`, { "X-Scope-OrgID": "other" });
        assert.deepEqual(otherLogs.body.data[0].resource_attributes, resourceOf("payment"));
        assert.equal(
          ids(await get(t, `/api/traces?${RANGE}`, { "X-Scope-OrgID": "other" }).then((x) => x.body)),
          "e",
        );
      });

      await ctx.step("logs: filters, case-insensitive search with literal wildcards, context", async () => {
        const logIds = async (q: string) => {
          const r = await get(t, `/api/logs?${RANGE}&${q}`);
          assert.equal(r.status, 200, q);
          assert.equal(r.body.total, r.body.data.length, q);
          return r.body.data.map((l: { id: number }) => l.id);
        };
        assert.deepEqual(await logIds(""), [6, 5, 4, 3, 2, 1]);
        assert.deepEqual(await logIds("severity=ERROR&severity=FATAL"), [6, 1]);
        assert.deepEqual(await logIds("severity=info"), [4, 3]);
        assert.deepEqual(await logIds("min_severity=WARN"), [6, 2, 1]);
        assert.deepEqual(await logIds("search=card"), [1]);
        assert.deepEqual(await logIds("search=100%25"), [4]);
        assert.deepEqual(await logIds("search=done_ok"), [4]);
        assert.deepEqual(await logIds("search=_"), [4]);
        assert.deepEqual(await logIds(`trace_id=${id("a")}`), [1]);
        assert.deepEqual(await logIds("service_name=inventory"), [5, 4]);
        const page = await get(t, `/api/logs?${RANGE}&limit=2&offset=2`);
        assert.deepEqual([page.body.total, page.body.data.map((l: { id: number }) => l.id)], [6, [4, 3]]);
        const entry = page.body.data[0];
        assert.deepEqual(entry.resource_attributes, resourceOf("inventory"));
        assert.deepEqual(Object.keys(entry).sort(), [
          "ai_insight",
          "ai_status",
          "attributes",
          "body",
          "id",
          "resource_attributes",
          "service_name",
          "severity",
          "severity_number",
          "span_id",
          "timestamp",
          "timestamp_us",
          "trace_id",
        ]);
        const ctxLogs = await get(t, `/api/logs/context?timestamp=${(T0 + 2 * MIN) / 1000}`);
        assert.deepEqual(ctxLogs.body.data.map((l: { id: number }) => l.id), [3, 4, 5]);
        const svcCtx = await get(
          t,
          `/api/logs/context?timestamp=${(T0 + 2 * MIN) / 1000}&service_name=inventory`,
        );
        assert.deepEqual(svcCtx.body.data.map((l: { id: number }) => l.id), [4, 5]);
        const insight = await get(t, "/api/logs/1/insight");
        assert.deepEqual(insight.body, { insight: "", status: "none" });
        assert.equal((await get(t, "/api/logs/424242/insight")).status, 404);
      });

      await ctx.step("dashboard, traffic and latency", async () => {
        const d = await get(t, `/api/metrics/dashboard?${RANGE}`);
        assert.deepEqual(d.body, {
          total_traces: 4,
          total_spans: 9,
          total_logs: 6,
          error_traces: 1,
          error_rate: 0.25,
          error_logs: 2,
          avg_latency_ms: 230,
          p50_latency_ms: 200,
          p95_latency_ms: 470,
          p99_latency_ms: 494,
          throughput_per_min: 0.4,
          active_services: 4,
        });
        const traffic = await get(t, `/api/metrics/traffic?${RANGE}`);
        assert.equal(traffic.body.length, 61);
        assert.equal(traffic.body[0].timestamp, "2024-01-01T00:00:00.000Z");
        assert.deepEqual(traffic.body[0], {
          timestamp: "2024-01-01T00:00:00.000Z",
          count: 1,
          error_count: 1,
        });
        const sum = (k: "count" | "error_count") =>
          traffic.body.reduce((n: number, b: Record<string, number>) => n + b[k], 0);
        assert.deepEqual([sum("count"), sum("error_count")], [4, 1]);
        // A range not aligned to the data: bucket numbers must still be whole (SQLite binds numbers as REAL).
        const shifted = await get(
          t,
          `/api/metrics/traffic?start=${T0 / 1000 - 3_300}&end=${(T0 + 10 * MIN) / 1000}`,
        );
        assert.equal(
          shifted.body.reduce((n: number, b: { count: number }) => n + b.count, 0),
          4,
          JSON.stringify(shifted.body.filter((b: { count: number }) => b.count > 0)),
        );
        const heat = await get(t, `/api/metrics/latency_heatmap?${RANGE}`);
        assert.deepEqual(heat.body.map((p: { duration: number }) => p.duration), [100, 20, 500, 300]);
      });

      await ctx.step("service map and RED", async () => {
        const m = await get(t, `/api/metrics/service-map?${RANGE}`);
        assert.deepEqual(m.body.edges, [
          { source: "frontend", target: "order", call_count: 2, error_count: 0, avg_latency_ms: 135 },
          { source: "order", target: "payment", call_count: 1, error_count: 1, avg_latency_ms: 30 },
        ]);
        assert.deepEqual(m.body.nodes, [
          {
            id: "frontend",
            name: "frontend",
            request_count: 3,
            error_count: 0,
            avg_latency_ms: 140,
            p95_latency_ms: 280,
          },
          {
            id: "inventory",
            name: "inventory",
            request_count: 1,
            error_count: 0,
            avg_latency_ms: 500,
            p95_latency_ms: 500,
          },
          {
            id: "order",
            name: "order",
            request_count: 2,
            error_count: 0,
            avg_latency_ms: 135,
            p95_latency_ms: 193.5,
          },
          {
            id: "payment",
            name: "payment",
            request_count: 1,
            error_count: 1,
            avg_latency_ms: 30,
            p95_latency_ms: 30,
          },
        ]);
        const red = await get(t, `/api/metrics/services?${RANGE}`);
        const checkout = red.body.find((r: { operation: string }) => r.operation === "GET /checkout");
        assert.deepEqual(checkout, {
          service_name: "frontend",
          operation: "GET /checkout",
          request_count: 2,
          error_count: 0,
          rate_per_min: 0.2,
          error_rate: 0,
          avg_ms: 200,
          p50_ms: 200,
          p95_ms: 290,
          p99_ms: 298,
        });
        assert.deepEqual(
          red.body.map((r: { service_name: string; operation: string }) =>
            `${r.service_name}:${r.operation}`
          ),
          [
            "frontend:GET /checkout",
            "frontend:GET /home",
            "inventory:cron sync",
            "order:POST /order",
            "payment:charge",
          ],
        );
        assert.equal(
          red.body.find((r: { service_name: string }) => r.service_name === "payment").error_rate,
          1,
        );
        const filtered = await get(t, `/api/metrics/services?${RANGE}&service_name=order`);
        assert.equal(filtered.body.length, 1);
      });

      await ctx.step("metadata", async () => {
        const s = await get(t, `/api/metadata/services?${RANGE}`);
        assert.deepEqual(s.body, ["frontend", "inventory", "mailer", "order", "payment"]);
        const o = await get(t, `/api/metadata/operations?${RANGE}&service_name=order`);
        assert.deepEqual(o.body, ["POST /order", "charge"]);
      });

      await ctx.step("every kind of bad parameter gets 400 naming it", async () => {
        const bad: [string, RegExp][] = [
          ["/api/traces?start=yesterday", /"start"/],
          ["/api/traces?end=2024-13-45", /"end"/],
          [`/api/traces?start=${T0 / 1000 + 1000}&end=${T0 / 1000}`, /"start"/],
          ["/api/traces?limit=0", /"limit"/],
          ["/api/traces?limit=1001", /"limit"/],
          ["/api/traces?offset=-1", /"offset"/],
          ["/api/traces?sort_by=name;DROP", /"sort_by"/],
          ["/api/traces?order_by=up", /"order_by"/],
          ["/api/traces?status=BROKEN", /"status"/],
          ["/api/traces?min_duration_ms=fast", /"min_duration_ms"/],
          ["/api/traces?attr=novalue", /"attr"/],
          ["/api/traces/not-a-trace-id", /trace_id/],
          ["/api/logs?severity=LOUD", /"severity"/],
          ["/api/logs?min_severity=1", /"min_severity"/],
          ["/api/logs/context", /"timestamp"/],
          ["/api/logs/abc/insight", /log id/],
          ["/api/metadata/operations", /"service_name"/],
          ["/api/metrics/dashboard?start=1e9", /"start"/],
        ];
        for (const [path, re] of bad) {
          const r = await get(t, path);
          assert.equal(r.status, 400, path);
          assert.match(r.body.error, re, path);
        }
      });

      await ctx.step("injection strings in free-text parameters return correct empty results", async () => {
        const hostile = [
          "' OR '1'='1",
          '"; DROP TABLE spans; --',
          "%",
          "_",
          "\\",
          "') UNION SELECT * FROM logs --",
          "$1",
          "@p1",
          "?",
          "\u0000",
        ];
        for (const h of hostile) {
          const v = encodeURIComponent(h);
          for (const q of [`service_name=${v}`, `search=${v}`, `attr=${v}%3D${v}`, `attr=k%3D${v}`]) {
            const r = await get(t, `/api/traces?${RANGE}&${q}`);
            assert.equal(r.status, 200, `${q}: ${JSON.stringify(r.body)}`);
            assert.equal(r.body.total, 0, q);
          }
          for (const q of [`service_name=${v}`, `search=${v}`, `trace_id=${v}`]) {
            const r = await get(t, `/api/logs?${RANGE}&${q}`);
            assert.equal(r.status, 200, q);
            // `_` and `%` are literal characters: only the "100% done_ok" log contains them.
            assert.equal(r.body.total, ["_", "%"].includes(h) && q.startsWith("search") ? 1 : 0, q);
          }
          const m = await get(t, `/api/metrics/service-map?${RANGE}&service_name=${v}`);
          assert.deepEqual(m.body, { nodes: [], edges: [] });
          const o = await get(t, `/api/metadata/operations?${RANGE}&service_name=${v}`);
          assert.deepEqual(o.body, []);
        }
        // Nothing was dropped or changed.
        assert.equal((await get(t, `/api/traces?${RANGE}`)).body.total, 4);
      });
    } finally {
      await t.stop();
    }
  });
}
