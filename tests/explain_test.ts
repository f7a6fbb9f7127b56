/**
 * SPEC §4: the indexes serve the main queries. The statements the repository
 * really issues are captured, then EXPLAINed on each live dialect over a few
 * thousand rows: no tenant table may be read by a full scan.
 */

import assert from "node:assert/strict";
import type { Database, DialectName, Row } from "../src/db/contract.ts";
import type { Compiled } from "../src/db/sql.ts";
import { Repository } from "../src/store/repository.ts";
import { listLogs, listTraces, logContext } from "../src/store/trace_queries.ts";
import {
  dashboard,
  operationNames,
  serviceMap,
  serviceNames,
  serviceStats,
} from "../src/store/metric_queries.ts";
import { liveDialects } from "./support/databases.ts";
import { log, span } from "./support/fixtures.ts";

const T0 = 1_700_000_000_000_000;
const MIN = 60_000_000;

/**
 * How each dialect explains a statement, and which plan lines read a tenant
 * table without an index narrowing it beyond the tenant (every statement has
 * `tenant_id = ?`, a prefix of every index, so "uses an index" alone is too weak).
 */
const EXPLAIN: Partial<
  Record<
    DialectName,
    { analyze: string[]; run(db: Database, c: Compiled): Promise<Row[]>; fullScan(plan: Row[]): string[] }
  >
> = {
  sqlite: {
    analyze: [],
    run: (db, c) => db.driver.query(`EXPLAIN QUERY PLAN ${c.text}`, c.params),
    fullScan: (plan) =>
      plan.map((r) => String(r.detail)).filter((d) =>
        (/^SCAN (spans|traces|logs|resources|trace_keys|(span|trace|edge|log)_minutes|[tslcpmrk])\b/.test(
          d,
        ) &&
          !/USING/.test(d)) ||
        // An index searched on the tenant alone is the tenant's whole index.
        /^SEARCH .*\(tenant_id=\?\)$/.test(d)
      ),
  },
  postgres: {
    analyze: ["ANALYZE"],
    // Tiny tables make sequential scans and hash joins cheapest; switching them off asks whether an
    // index *can* serve each access, which is what the schema promises.
    run: (db, c) =>
      db.driver.transaction(async (tx) => {
        for (const knob of ["enable_seqscan", "enable_hashjoin", "enable_mergejoin"]) {
          await tx.execute(`SET LOCAL ${knob} = off`, []);
        }
        return tx.query(`EXPLAIN ${c.text}`, c.params);
      }),
    fullScan: (plan) =>
      plan.map((r) => String(r["QUERY PLAN"])).filter((l) =>
        /Seq Scan on (spans|traces|logs|resources|trace_keys|(span|trace|edge|log)_minutes)\b/.test(l) ||
        /Index Cond: \(tenant_id = [^)]*\)$/.test(l.trim())
      ),
  },
  mysql: {
    analyze: [
      "ANALYZE TABLE spans, traces, logs, resources, trace_keys, span_minutes, trace_minutes, edge_minutes, log_minutes",
    ],
    run: (db, c) => db.driver.query(`EXPLAIN ${c.text}`, c.params),
    // tenant_id is VARCHAR(150) in utf8mb4: 602 key bytes, so a key_len of exactly 602 is the tenant alone
    // (a longer one uses a further column; logs' BIGINT key is 8).
    fullScan: (plan) =>
      plan.filter((r) =>
        /^(spans|traces|logs|resources|trace_keys|(span|trace|edge|log)_minutes|[tslcpmrk])$/.test(
          String(r.table),
        ) &&
        (r.type === "ALL" || Number(r.key_len) === 602)
      ).map((r) => JSON.stringify(r)),
  },
};

const { run } = liveDialects();
for (const dialect of run) {
  const explain = EXPLAIN[dialect.name];
  if (!explain) continue;
  Deno.test(`main queries use an index on ${dialect.name}`, async () => {
    const { db, close } = await dialect.fresh();
    try {
      const seed = new Repository(db, "acme");
      const spans = [];
      const logs = [];
      for (let i = 0; i < 400; i++) {
        const trace = i.toString(16).padStart(32, "0");
        for (let j = 0; j < 8; j++) {
          spans.push(span({
            trace_id: trace,
            span_id: (j + 1).toString(16).padStart(16, "0"),
            parent_span_id: j === 0 ? "" : "0000000000000001",
            service_name: `svc${j % 4}`,
            name: `op${j}`,
            kind: j === 0 ? "SERVER" : "CLIENT",
            start_us: T0 + i * MIN + j * 1000,
            // A resource per service instance: 4 services × 8 instances.
            resource_attributes: JSON.stringify({
              "service.name": `svc${j % 4}`,
              "service.instance.id": `${i % 8}`,
            }),
          }));
        }
        logs.push(
          log(1_000_000 + i, { timestamp_us: T0 + i * MIN, trace_id: trace, service_name: `svc${i % 4}` }),
        );
        // Traces known from their logs only (their keys are kept in trace_keys).
        logs.push(
          log(3_000_000 + i, {
            timestamp_us: T0 + i * MIN,
            trace_id: (10_000 + i).toString(16).padStart(32, "0"),
          }),
        );
      }
      await seed.writeBatch(spans, logs);
      await seed.writeBatch([], [log(9, { timestamp_us: T0 })]);
      // Fresh statistics on the server databases, as their auto-analyze would give. SQLite gets
      // none: a new database has none until the driver's hourly PRAGMA optimize, and the plans
      // must be right without them.
      for (const stmt of explain.analyze) await db.driver.execute(stmt, []);

      const seen: Compiled[] = [];
      const repo = new Repository(db, "acme", (c) => seen.push(c));
      const range = { startUs: T0 + 100 * MIN, endUs: T0 + 110 * MIN };
      const trace = (150).toString(16).padStart(32, "0");
      const checks: [string, () => Promise<unknown>][] = [
        ["trace by id", () => repo.getTrace(trace)],
        ["spans of a trace", () => repo.getSpans(trace)],
        ["logs of a trace", async () => {
          assert.deepEqual((await repo.getTraceLogs(trace)).map((l) => l.id), [1_000_150]);
        }],
        ["logs of a trace known from logs only", async () => {
          const logs = await repo.getTraceLogs((10_150).toString(16).padStart(32, "0"));
          assert.deepEqual(logs.map((l) => l.id), [3_000_150]);
        }],
        ["trace search", () =>
          listTraces(repo, {
            ...range,
            services: [],
            status: "OK",
            attributes: [],
            sortBy: "timestamp",
            order: "desc",
            limit: 50,
            offset: 0,
          })],
        ["trace search on an attribute", () =>
          listTraces(repo, {
            ...range,
            services: [],
            attributes: [{ key: "http.method", value: "GET" }],
            sortBy: "timestamp",
            order: "desc",
            limit: 50,
            offset: 0,
          })],
        [
          "logs page",
          () => listLogs(repo, { ...range, services: ["svc1"], severities: [], limit: 50, offset: 0 }),
        ],
        [
          "logs search by level and text",
          () =>
            listLogs(repo, {
              ...range,
              services: [],
              severities: [17],
              search: "boom",
              limit: 50,
              offset: 0,
            }),
        ],
        [
          "logs page of a trace",
          () =>
            listLogs(repo, { ...range, services: [], severities: [], traceId: trace, limit: 50, offset: 0 }),
        ],
        ["log context", () => logContext(repo, T0 + 105 * MIN, [], 20)],
        ["service map", () => serviceMap(repo, { ...range, services: [] })],
        ["dashboard", () => dashboard(repo, { ...range, services: ["svc1"] })],
        ["RED per operation", () => serviceStats(repo, { ...range, services: [] })],
        ["services", () => serviceNames(repo, { ...range, services: [] })],
        ["operations of a service", () => operationNames(repo, { ...range, services: [] }, "svc2")],
        ["the batch writer's lookups", () =>
          repo.writeBatch(
            [span({ trace_id: trace, span_id: "00000000000000aa", parent_span_id: "0000000000000001" })],
            // Forty ids: SQLite without statistics weighs an IN list against the tenant index (one id
            // alone goes by the key either way), yet few enough of this small table for the others.
            Array.from({ length: 40 }, (_, i) =>
              log(2_000_000 + i, {
                timestamp_us: T0,
                // Eight traces, half known from logs already: few next to this small table's 800.
                trace_id: (i % 2 ? 10_000 + i % 8 : 20_000 + i % 8).toString(16).padStart(32, "0"),
              })),
          )],
      ];
      for (const [name, query] of checks) {
        seen.length = 0;
        await query();
        assert.ok(seen.length > 0, name);
        // Reads only: the batch writer's inserts have no plan to speak of.
        const plans: string[] = [];
        for (const c of seen.filter((c) => /^SELECT/.test(c.text))) {
          const plan = await explain.run(db, c);
          assert.deepEqual(
            explain.fullScan(plan),
            [],
            `${name}: ${c.text}\n${JSON.stringify(plan, null, 1)}`,
          );
          plans.push(JSON.stringify(plan));
        }
        // A level filter is checked on the entries of the time index (which hold the level), not on table rows.
        if (name === "logs search by level and text") {
          assert.ok(plans.some((p) => p.includes("logs_tenant_time_level")), `${name}: ${plans.join("\n")}`);
        }
      }
    } finally {
      await close();
    }
  });
}
