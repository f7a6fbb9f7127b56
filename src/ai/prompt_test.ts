import assert from "node:assert/strict";
import { buildPrompt, MAX_PROMPT_CHARS, type PromptLog, summarizeTrace, SYSTEM_PROMPT } from "./prompt.ts";
import type { SpanRow } from "../store/rows.ts";
import type { TraceSummaryRow } from "../store/trace_summary.ts";

const T = "4bf92f3577b34da6a3ce929d0e0e4736";

function span(over: Partial<SpanRow>): SpanRow {
  return {
    trace_id: T,
    span_id: "00f067aa0ba902b7",
    parent_span_id: "",
    name: "GET /checkout",
    service_name: "frontend",
    kind: "SERVER",
    start_us: 0,
    end_us: 120_000,
    duration_us: 120_000,
    status_code: "UNSET",
    status_message: "",
    attributes: "{}",
    resource_attributes: "{}",
    events: "[]",
    links: "[]",
    scope_name: "",
    scope_version: "",
    ...over,
  };
}

const summary: TraceSummaryRow = {
  trace_id: T,
  service_name: "frontend",
  name: "GET /checkout",
  root_span_id: "00f067aa0ba902b7",
  start_us: 0,
  end_us: 120_000,
  duration_us: 120_000,
  status: "ERROR",
  span_count: 3,
  error_count: 1,
  services: ["frontend", "payment"],
};

const log: PromptLog = {
  service_name: "payment",
  severity: "ERROR",
  severity_number: 17,
  body: "charge failed for bob@example.com from 10.1.2.3 with Bearer abcdefghijklmnop",
  attributes: JSON.stringify({
    "http.status_code": 502,
    "db.password": "hunter2",
    "user.email": "eve@x.org",
  }),
  span_id: "b7ad6b7169203331",
};

const spans = [
  span({}),
  span({
    span_id: "b7ad6b7169203331",
    parent_span_id: "00f067aa0ba902b7",
    service_name: "payment",
    name: "charge card",
    kind: "CLIENT",
    duration_us: 80_000,
    status_code: "ERROR",
    status_message: "upstream 502 from gateway at 172.16.0.9",
    events: JSON.stringify([{
      name: "exception",
      time_us: 1,
      attributes: {
        "exception.type": "GatewayError",
        "exception.message": "card processor unavailable",
        "exception.stacktrace":
          "GatewayError: card processor unavailable\n  at charge (pay.ts:10)\n  at main",
      },
    }]),
  }),
  span({ span_id: "c1", service_name: "payment", name: "load cart", status_code: "OK" }),
];

Deno.test("the prompt carries service, severity, body, attributes and the trace's failing spans", () => {
  const [system, user] = buildPrompt(log, { summary, spans });
  assert.equal(system.role, "system");
  assert.equal(system.content, SYSTEM_PROMPT);
  assert.match(system.content, /Probable cause:.*Impact:.*Next steps:/);
  assert.equal(user.role, "user");
  for (
    const expected of [
      "Service: payment",
      "Severity: ERROR (17)",
      "Body: charge failed for <email> from <ip> with Bearer <token>",
      "- http.status_code: 502",
      "- db.password: <redacted>",
      "Trace: 3 spans, 1 with status ERROR",
      "Services in the trace: frontend, payment.",
      'The log was written in span "charge card" of payment (status ERROR).',
      '- payment "charge card" (CLIENT, 80 ms, status ERROR) message: upstream 502 from gateway at <ip>',
      "  exception GatewayError: card processor unavailable",
      "    at charge (pay.ts:10)",
    ]
  ) {
    assert.ok(user.content.includes(expected), `missing ${JSON.stringify(expected)} in\n${user.content}`);
  }
  for (
    const leaked of ["bob@example.com", "10.1.2.3", "abcdefghijklmnop", "hunter2", "eve@x.org", "172.16.0.9"]
  ) {
    assert.ok(!user.content.includes(leaked), `leaked ${leaked}`);
  }
  assert.ok(!user.content.includes("load cart"), "spans that did not fail stay out");
});

Deno.test("no trace, no trace section; a trace with no failure says so", () => {
  assert.ok(!buildPrompt(log)[1].content.includes("Trace:"));
  const lines = summarizeTrace({ spans: [span({})] });
  assert.ok(lines.includes("No span in the trace failed."));
});

Deno.test("the prompt stays bounded whatever the log and trace hold", () => {
  const huge: PromptLog = {
    ...log,
    body: "x".repeat(200_000),
    attributes: JSON.stringify(
      Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, "v".repeat(1000)])),
    ),
  };
  const many = Array.from({ length: 300 }, (_, i) =>
    span({
      span_id: i.toString(16).padStart(16, "0"),
      service_name: `svc-${i}`,
      name: "n".repeat(5000),
      status_code: "ERROR",
      status_message: "m".repeat(10_000),
      events: JSON.stringify(Array.from({ length: 3 }, () => ({
        name: "exception",
        attributes: {
          "exception.type": "E".repeat(500),
          "exception.message": "q".repeat(5000),
          "exception.stacktrace": Array.from({ length: 50 }, () => "  at " + "f".repeat(500)).join("\n"),
        },
      }))),
    }));
  const user =
    buildPrompt(huge, { summary: { ...summary, services: many.map((s) => s.service_name) }, spans: many })[1]
      .content;
  assert.ok(user.length <= MAX_PROMPT_CHARS, `${user.length} chars`);
  assert.match(user, /\(\d+ more\)/, "attributes beyond the budget are counted");
  assert.match(user, /Failing spans:/);
  assert.match(user, /\(trace summary cut short\)/);
  assert.match(user, /What is the probable cause, the impact, and the next steps\?$/);
  const plain = many.slice(0, 8).map((s) => ({ ...s, name: "op", status_message: "bad", events: "[]" }));
  const modest = buildPrompt(log, { summary, spans: plain })[1].content;
  assert.match(modest, /and 3 more failing spans/);
});
