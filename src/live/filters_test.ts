import assert from "node:assert/strict";
import {
  effectiveSeverity,
  logFilterFromQuery,
  matchesLogFilter,
  parseEventsFilter,
  parseLogFilter,
} from "./filters.ts";

Deno.test("a /ws filter message replaces the filter; unknown fields are ignored", () => {
  assert.deepEqual(parseLogFilter('{"service":" checkout ","min_severity":"warn","x":[1]}'), {
    ok: true,
    value: { service: "checkout", minSeverity: 13, minSeverityName: "WARN" },
  });
  assert.deepEqual(parseLogFilter("{}"), {
    ok: true,
    value: { service: "", minSeverity: 0, minSeverityName: "" },
  });
  assert.deepEqual(parseLogFilter('{"service":"","min_severity":""}'), {
    ok: true,
    value: { service: "", minSeverity: 0, minSeverityName: "" },
  });
  assert.deepEqual(parseLogFilter('{"min_severity":17}'), {
    ok: true,
    value: { service: "", minSeverity: 17, minSeverityName: "17" },
  });
});

Deno.test("bad /ws filter messages are refused with a message naming the field", () => {
  const cases: [string, RegExp][] = [
    ["{nope", /JSON object/],
    ["[1]", /JSON object/],
    ["null", /JSON object/],
    ['"WARN"', /JSON object/],
    ['{"service":5}', /"service": expected a string/],
    [
      '{"min_severity":"LOUD"}',
      /"min_severity" "LOUD": expected one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL/,
    ],
    ['{"min_severity":25}', /min_severity/],
    ['{"min_severity":true}', /min_severity/],
  ];
  for (const [text, message] of cases) {
    const r = parseLogFilter(text);
    assert.equal(r.ok, false, text);
    if (!r.ok) assert.match(r.error, message, text);
  }
});

Deno.test("the initial /ws filter comes from the query string", () => {
  assert.deepEqual(logFilterFromQuery(new URLSearchParams("service=api&min_severity=ERROR")), {
    ok: true,
    value: { service: "api", minSeverity: 17, minSeverityName: "ERROR" },
  });
  assert.equal(logFilterFromQuery(new URLSearchParams("min_severity=bogus")).ok, false);
});

Deno.test("a /ws/events filter is one service or all", () => {
  assert.deepEqual(parseEventsFilter('{"service":"payment"}'), { ok: true, value: "payment" });
  assert.deepEqual(parseEventsFilter('{"service":""}'), { ok: true, value: "" });
  assert.deepEqual(parseEventsFilter("{}"), { ok: true, value: "" });
  assert.equal(parseEventsFilter('{"service":["a"]}').ok, false);
  assert.equal(parseEventsFilter("payment").ok, false);
});

Deno.test("filters compare severity numbers; a text-only severity counts by its name", () => {
  const row = (service_name: string, severity_number: number, severity: string) => ({
    service_name,
    severity_number,
    severity,
  });
  assert.equal(effectiveSeverity(row("a", 0, "error")), 17);
  assert.equal(effectiveSeverity(row("a", 0, "notice")), 0);
  assert.equal(effectiveSeverity(row("a", 14, "WARN")), 14);
  const warnUp = { service: "", minSeverity: 13, minSeverityName: "WARN" };
  assert.equal(matchesLogFilter(warnUp, row("a", 12, "INFO")), false);
  assert.equal(matchesLogFilter(warnUp, row("a", 13, "WARN")), true);
  assert.equal(matchesLogFilter(warnUp, row("a", 0, "Error")), true);
  assert.equal(matchesLogFilter(warnUp, row("a", 0, "custom")), false);
  const onlyA = { service: "a", minSeverity: 0, minSeverityName: "" };
  assert.equal(matchesLogFilter(onlyA, row("a", 1, "TRACE")), true);
  assert.equal(matchesLogFilter(onlyA, row("ab", 1, "TRACE")), false);
});
