/**
 * `deno task simulate` against a test Argus: the seven services arrive with
 * real parent/child links across services (service-map edges), logs carry the
 * trace and span of the operation that wrote them, some requests fail, and
 * every transport of the official exporters delivers.
 */

import assert from "node:assert/strict";
import { startTestArgus, type TestArgus } from "./support/argus.ts";
import { parseSimulateArgs } from "../tools/simulate.ts";
import { generateRequest } from "../tools/simulator/scenarios.ts";
import { seededRandom, walk } from "../tools/simulator/ops.ts";
import { hrTime } from "../tools/simulator/emit.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname);

/** Runs `deno task simulate` with `args`; returns its JSON summary. */
async function runSimulate(args: string[]): Promise<Record<string, number>> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["task", "--quiet", "simulate", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `simulate failed:\n${stderr}\n${stdout}`);
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

async function get<T>(t: TestArgus, path: string): Promise<T> {
  const res = await fetch(`${t.http}${path}`);
  assert.equal(res.status, 200, path);
  return await res.json() as T;
}

interface Span {
  span_id: string;
  parent_span_id: string;
  service_name: string;
  kind: string;
  status_code: string;
}

Deno.test("the simulator's shop arrives over gRPC as linked traces of seven services with correlated logs and errors", async () => {
  const t = await startTestArgus();
  try {
    const summary = await runSimulate([
      "--endpoint",
      t.grpc,
      "--rate",
      "25",
      "--duration",
      "2s",
      "--error-rate",
      "0.3",
      "--seed",
      "7",
      "--quiet",
    ]);
    assert.ok(summary.traces >= 40, `made ${summary.traces} traces`);
    assert.equal(summary.spansFailed + summary.logsFailed, 0);
    assert.equal(summary.spansExported, summary.spans);

    const services = await get<string[]>(t, "/api/metadata/services");
    assert.deepEqual(services, ["auth", "inventory", "notification", "order", "payment", "shipping", "user"]);

    const map = await get<{ edges: { source: string; target: string; call_count: number }[] }>(
      t,
      "/api/metrics/service-map",
    );
    const edges = new Set(map.edges.map((e) => `${e.source}->${e.target}`));
    for (
      const e of ["order->auth", "order->payment", "order->inventory", "order->notification", "user->auth"]
    ) {
      assert.ok(edges.has(e), `service map lacks ${e}: ${[...edges].join(", ")}`);
    }

    const dash = await get<{ total_traces: number; total_spans: number; error_traces: number }>(
      t,
      "/api/metrics/dashboard",
    );
    assert.equal(dash.total_traces, summary.traces);
    assert.equal(dash.total_spans, summary.spans);
    assert.ok(
      dash.error_traces > 0 && dash.error_traces < summary.traces,
      `${dash.error_traces} error traces`,
    );

    // A checkout: every parent is in the trace, and calls cross services.
    const checkouts = await get<{ data: { trace_id: string }[] }>(
      t,
      "/api/traces?search=POST%20%2Fapi%2Forders",
    );
    assert.ok(checkouts.data.length > 0);
    const detail = await get<{ spans: Span[]; logs: { span_id: string; trace_id: string }[] }>(
      t,
      `/api/traces/${checkouts.data[0].trace_id}`,
    );
    const byId = new Map(detail.spans.map((s) => [s.span_id, s]));
    const roots = detail.spans.filter((s) => s.parent_span_id === "");
    assert.equal(roots.length, 1);
    for (const s of detail.spans) {
      if (s.parent_span_id !== "") assert.ok(byId.has(s.parent_span_id), `parent of ${s.span_id} missing`);
    }
    const crossing = detail.spans.filter((s) =>
      s.parent_span_id !== "" && byId.get(s.parent_span_id)!.service_name !== s.service_name
    );
    assert.ok(crossing.length >= 2);
    for (const s of crossing) assert.ok(["SERVER", "CONSUMER"].includes(s.kind), `${s.kind} crossing`);
    // Logs belong to spans of their trace.
    assert.ok(detail.logs.length > 0);
    for (const l of detail.logs) assert.ok(byId.has(l.span_id), `log of unknown span ${l.span_id}`);

    const errors = await get<{ data: { trace_id: string; severity: string }[]; total: number }>(
      t,
      "/api/logs?severity=ERROR&limit=5",
    );
    assert.ok(errors.total > 0);
    assert.ok(errors.data.every((l) => /^[0-9a-f]{32}$/.test(l.trace_id)));
  } finally {
    await t.stop();
  }
});

Deno.test("the simulator delivers over OTLP/HTTP protobuf and JSON too", async () => {
  const t = await startTestArgus();
  try {
    const runs = await Promise.all([
      runSimulate([
        "--protocol",
        "http/protobuf",
        "--endpoint",
        t.otlpHttp,
        "--rate",
        "10",
        "--duration",
        "1s",
        "--quiet",
      ]),
      runSimulate([
        "--protocol",
        "http/json",
        "--endpoint",
        t.http,
        "--rate",
        "10",
        "--duration",
        "1s",
        "--quiet",
      ]),
    ]);
    const sent = runs.reduce((n, r) => n + r.spans, 0);
    for (const r of runs) assert.equal(r.spansExported, r.spans);
    const dash = await get<{ total_spans: number; total_logs: number }>(t, "/api/metrics/dashboard");
    assert.equal(dash.total_spans, sent);
    assert.equal(dash.total_logs, runs.reduce((n, r) => n + r.logs, 0));
  } finally {
    await t.stop();
  }
});

Deno.test("simulator options: defaults, validation naming the option, and an unreachable endpoint fails the run", async () => {
  const d = parseSimulateArgs([]);
  assert.equal(d.protocol, "grpc");
  assert.equal(d.endpoint, "http://localhost:4317");
  assert.equal(parseSimulateArgs(["--protocol=http/json"]).endpoint, "http://localhost:4318");
  assert.equal(parseSimulateArgs(["--duration", "1m30s"]).durationMs, 90_000);
  assert.deepEqual(parseSimulateArgs(["--header", "X-API-Key=k=1"]).headers, { "X-API-Key": "k=1" });
  assert.throws(
    () => parseSimulateArgs(["--error-rate", "2"]),
    /--error-rate "2": expected a number from 0 to 1/,
  );
  assert.throws(() => parseSimulateArgs(["--protocol", "zipkin"]), /--protocol "zipkin"/);
  assert.throws(() => parseSimulateArgs(["--duration", "soon"]), /--duration "soon"/);
  assert.throws(() => parseSimulateArgs(["--bogus"]), /Unknown option "--bogus"/);

  const closed = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (closed.addr as Deno.NetAddr).port;
  closed.close();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "--quiet",
      "simulate",
      "--endpoint",
      `http://127.0.0.1:${port}`,
      "--duration",
      "300ms",
      "--quiet",
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 1);
  assert.ok(JSON.parse(new TextDecoder().decode(out.stdout)).spansFailed > 0);
});

Deno.test("scenario trees: times nest, a failed request fails at its root, the seed repeats a run", () => {
  const a = seededRandom(42), b = seededRandom(42);
  let failed = 0;
  for (let i = 0; i < 300; i++) {
    const root = generateRequest(a, 0.5);
    assert.deepEqual(root, generateRequest(b, 0.5));
    if (root.error) failed++;
    for (const op of walk(root)) {
      assert.ok(op.durationMs > 0);
      for (const c of op.children) {
        assert.ok(c.startMs >= op.startMs, `${c.name} starts before ${op.name}`);
        // A consumer may outlive its producer; everything else nests.
        if (op.kind !== "PRODUCER") assert.ok(c.startMs + c.durationMs <= op.startMs + op.durationMs + 1e-9);
      }
    }
  }
  assert.ok(failed > 100 && failed < 200, `${failed} of 300 failed at error rate 0.5`);
  assert.deepEqual(hrTime(1_700_000_000_123.5), [1_700_000_000, 123_500_000]);
  assert.deepEqual(hrTime(999.9999999), [1, 0]);
});
