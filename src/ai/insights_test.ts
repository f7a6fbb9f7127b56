import assert from "node:assert/strict";
import { APIError } from "openai";
import { AiInsights, type InsightRepository, type InsightStore } from "./insights.ts";
import type { InsightModel } from "./model.ts";
import type { ChatMessage } from "./prompt.ts";
import type { StoredCallback } from "../ingest/pipeline.ts";
import type { LogRecord, StoredLogRow, WriteResult } from "../store/repository.ts";
import type { AiStatus, SpanRow } from "../store/rows.ts";
import { IdGenerator } from "../store/ids.ts";
import { span } from "../../tests/support/fixtures.ts";
import { OverloadedError } from "../ingest/errors.ts";

// ------------------------------------------------------------------ fakes

class MemoryStore implements InsightStore {
  readonly logs = new Map<string, LogRecord>();
  updates = 0;

  add(tenant: string, log: StoredLogRow): void {
    this.logs.set(`${tenant}/${log.id}`, { ai_insight: "", ai_status: "none", ...log } as LogRecord);
  }

  get(tenant: string, id: number): LogRecord {
    return this.logs.get(`${tenant}/${id}`)!;
  }

  forTenant(tenant: string): InsightRepository {
    return {
      getLog: (id) => Promise.resolve(this.logs.get(`${tenant}/${id}`)),
      getTrace: () => Promise.resolve(undefined),
      getSpans: () => Promise.resolve([]),
      setAiState: (ids, status, insight) => {
        this.updates++;
        for (const id of ids) {
          const l = this.logs.get(`${tenant}/${id}`);
          if (!l) continue;
          l.ai_status = status;
          if (insight !== undefined) l.ai_insight = insight;
        }
        return Promise.resolve(ids.length);
      },
    };
  }
}

/** A model that answers "insight for <body>" once the gate opens, or fails as told. */
class FakeModel implements InsightModel {
  readonly description = "fake";
  calls: ChatMessage[][] = [];
  fail: unknown;
  #open = true;
  #waiters: (() => void)[] = [];

  close(): void {
    this.#open = false;
  }
  open(): void {
    this.#open = true;
    for (const w of this.#waiters.splice(0)) w();
  }

  async complete(messages: ChatMessage[], signal?: AbortSignal): Promise<string> {
    this.calls.push(messages);
    if (!this.#open) {
      await new Promise<void>((resolve, reject) => {
        this.#waiters.push(resolve);
        signal?.addEventListener("abort", () => reject(signal.reason), { once: true });
      });
    }
    if (this.fail) throw this.fail;
    const body = /Body: (.*)/.exec(messages[1].content)?.[1] ?? "";
    return `insight for ${body}`;
  }
}

class FakePipeline {
  cb: StoredCallback | undefined;
  onStored(cb: StoredCallback): void {
    this.cb = cb;
  }
  commit(tenant: string, logs: StoredLogRow[]): void {
    const r: WriteResult = { spans: [], logs, traces: [], duplicateSpans: 0, duplicateLogs: 0 };
    this.cb!(tenant, r);
  }
}

function errorLog(id: number, body: string, over: Partial<StoredLogRow> = {}): StoredLogRow {
  return {
    id,
    timestamp_us: 1_700_000_000_000_000 + id,
    trace_id: "",
    span_id: "",
    severity_number: 17,
    severity: "ERROR",
    body,
    service_name: "payment",
    attributes: "{}",
    resource_attributes: "{}",
    scope_name: "test",
    ai_status: "pending",
    ...over,
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function setup(
  options: { workers?: number; queueSize?: number; maxWaitingLogs?: number; traceGraceMs?: number } = {},
) {
  const store = new MemoryStore();
  const model = new FakeModel();
  const pipeline = new FakePipeline();
  const ai = new AiInsights({
    store,
    model,
    workers: options.workers ?? 3,
    queueSize: options.queueSize ?? 100,
    maxWaitingLogs: options.maxWaitingLogs,
    traceGraceMs: options.traceGraceMs,
    retry: { baseDelayMs: 1, maxDelayMs: 5 },
  });
  ai.attach(pipeline);
  const published: { tenant: string; id: number; insight: string; status: AiStatus }[] = [];
  ai.onResult((tenant, id, insight, status) => published.push({ tenant, id, insight, status }));
  const commit = (tenant: string, logs: StoredLogRow[]) => {
    for (const l of logs) store.add(tenant, l);
    pipeline.commit(tenant, logs);
  };
  return { store, model, ai, commit, published };
}

// ------------------------------------------------------------------ tests

Deno.test("1,000 logs of 5 shapes arriving at once make at most 5 calls, and every log gets its answer", async () => {
  const { store, model, ai, commit, published } = setup({ workers: 3, queueSize: 100 });
  try {
    model.close();
    // Five shapes: "aaa: charge 1000 failed for "user0"", "bbb: …", … with varying numbers and quoted values.
    const logs = Array.from(
      { length: 1000 },
      (_, i) => errorLog(i + 1, `${"abcde"[i % 5].repeat(3)}: charge ${1000 + i} failed for "user${i}"`),
    );
    for (let i = 0; i < logs.length; i += 100) commit("acme", logs.slice(i, i + 100));
    await until(
      () => ai.stats.coalesced + ai.stats.queueDepth + ai.stats.inFlight >= 995,
      "the burst to be taken in",
    );
    assert.ok(model.calls.length <= 5, `${model.calls.length} calls while the model is busy`);
    model.open();
    await until(() => [...store.logs.values()].every((l) => l.ai_status === "done"), "all logs done");
    assert.equal(model.calls.length, 5);
    const s = ai.stats;
    assert.equal(s.cacheMisses, 1000);
    assert.equal(s.coalesced, 995);
    assert.equal(s.succeeded, 5);
    assert.equal(s.dropped, 0);
    // Each log carries the answer of its own shape.
    assert.match(store.get("acme", 1).ai_insight, /^insight for aaa: charge/);
    assert.match(store.get("acme", 2).ai_insight, /^insight for bbb/);
    // Grouped writes: far fewer statements than logs.
    assert.ok(store.updates <= 10, `${store.updates} updates`);
    assert.equal(published.filter((p) => p.status === "done").length, 1000);

    // Later logs of a known shape reuse the insight: no call.
    commit("acme", [errorLog(2001, `ccc: charge 99 failed for "zed"`)]);
    await until(() => store.get("acme", 2001).ai_status === "done", "the cached answer");
    assert.equal(model.calls.length, 5);
    assert.equal(ai.stats.cacheHits, 1);
    assert.equal(store.get("acme", 2001).ai_insight, store.get("acme", 3).ai_insight);
    // Another tenant never sees acme's insight.
    commit("globex", [errorLog(3001, `ccc: charge 99 failed for "zed"`)]);
    await until(() => store.get("globex", 3001).ai_status === "done", "globex's own answer");
    assert.equal(model.calls.length, 6);
  } finally {
    await ai.close();
  }
});

Deno.test("a log of a shape answered recently is stored done with the insight: no UPDATE, no call", async () => {
  const { store, model, ai, commit } = setup();
  try {
    const info = errorLog(1, "charge 1 failed", { severity_number: 9, severity: "INFO" });
    assert.deepEqual(ai.initialState("acme", info), { status: "none" });
    const first = errorLog(2, `charge 12 failed for "bob"`);
    assert.deepEqual(ai.initialState("acme", first), { status: "pending" });
    commit("acme", [first]);
    await until(() => store.get("acme", 2).ai_status === "done", "the first answer");
    const updates = store.updates;

    const again = errorLog(3, `charge 99 failed for "zed"`);
    assert.deepEqual(ai.initialState("acme", again), {
      status: "done",
      insight: store.get("acme", 2).ai_insight,
    });
    assert.equal(ai.stats.cacheHits, 1);
    // Another tenant's cache is its own; another shape is pending.
    assert.deepEqual(ai.initialState("globex", again), { status: "pending" });
    assert.deepEqual(ai.initialState("acme", errorLog(4, "disk full on /var")), { status: "pending" });
    // The pipeline stores it as done, so the commit callback leaves it alone.
    commit("acme", [{ ...again, ai_status: "done", ai_insight: store.get("acme", 2).ai_insight }]);
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(store.updates, updates);
    assert.equal(model.calls.length, 1);
  } finally {
    await ai.close();
  }
});

Deno.test("the stored-data callback does no analysis work: only pending logs, and it returns at once", async () => {
  const { store, model, ai, commit } = setup();
  try {
    model.close();
    const started = performance.now();
    commit("acme", [
      errorLog(1, "boom 1"),
      errorLog(2, "info", { ai_status: "none", severity_number: 9 }),
      errorLog(3, "off", { ai_status: "skipped" }),
    ]);
    // Nothing happened synchronously, not even the shape of the log.
    assert.equal(model.calls.length, 0);
    assert.equal(ai.stats.cacheMisses, 0);
    assert.ok(performance.now() - started < 50);
    await until(() => model.calls.length === 1, "the call");
    model.open();
    await until(() => store.get("acme", 1).ai_status === "done", "done");
    assert.equal(store.get("acme", 2).ai_status, "none");
    assert.equal(store.get("acme", 3).ai_status, "skipped");
    assert.equal(model.calls.length, 1);
  } finally {
    await ai.close();
  }
});

Deno.test("a full queue drops the analysis (counted) and marks the log skipped, not pending", async () => {
  const { store, model, ai, commit, published } = setup({ workers: 1, queueSize: 2 });
  try {
    model.close();
    commit("acme", [errorLog(1, "alpha"), errorLog(2, "beta"), errorLog(3, "gamma"), errorLog(4, "delta")]);
    await until(() => ai.stats.dropped > 0, "a drop");
    await until(() => published.some((p) => p.status === "skipped"), "skipped written");
    const dropped = ai.stats.dropped;
    assert.ok(dropped >= 1 && dropped <= 2, `dropped ${dropped}`);
    assert.equal([...store.logs.values()].filter((l) => l.ai_status === "skipped").length, dropped);
    model.open();
    await until(() => [...store.logs.values()].every((l) => l.ai_status !== "pending"), "no pending left");
    assert.equal([...store.logs.values()].filter((l) => l.ai_status === "done").length, 4 - dropped);
  } finally {
    await ai.close();
  }
});

Deno.test("the waiting-log bound drops beyond it, even for coalescable logs", async () => {
  const { store, model, ai, commit } = setup({ workers: 1, queueSize: 10, maxWaitingLogs: 50 });
  try {
    model.close();
    commit("acme", Array.from({ length: 80 }, (_, i) => errorLog(i + 1, `same ${i}`)));
    await until(() => ai.stats.dropped === 30, "30 drops");
    model.open();
    await until(() => [...store.logs.values()].every((l) => l.ai_status !== "pending"), "settled");
    assert.equal([...store.logs.values()].filter((l) => l.ai_status === "done").length, 50);
    assert.equal(model.calls.length, 1);
  } finally {
    await ai.close();
  }
});

Deno.test("a failed analysis leaves 'failed' with no insight and is not cached", async () => {
  const { store, model, ai, commit } = setup();
  try {
    model.fail = new APIError(400, { message: "bad request" }, "bad request", new Headers());
    commit("acme", [errorLog(1, "kaput 1")]);
    await until(() => store.get("acme", 1).ai_status === "failed", "failed");
    assert.equal(store.get("acme", 1).ai_insight, "");
    assert.equal(model.calls.length, 1, "a 400 is not retried");
    model.fail = undefined;
    commit("acme", [errorLog(2, "kaput 2")]);
    await until(() => store.get("acme", 2).ai_status === "done", "done");
    assert.equal(model.calls.length, 2);
    assert.equal(ai.stats.failed, 1);
  } finally {
    await ai.close();
  }
});

Deno.test("429 and 5xx are retried, then succeed", async () => {
  const { store, model, ai, commit } = setup();
  try {
    let n = 0;
    const original = model.complete.bind(model);
    model.complete = (m, s) => {
      n++;
      if (n === 1) {
        return Promise.reject(new APIError(429, {}, "slow down", new Headers({ "retry-after-ms": "5" })));
      }
      if (n === 2) return Promise.reject(new APIError(503, {}, "busy", new Headers()));
      return original(m, s);
    };
    commit("acme", [errorLog(1, "flaky")]);
    await until(() => store.get("acme", 1).ai_status === "done", "done");
    assert.equal(n, 3);
    assert.equal(ai.stats.modelRetries, 2);
    assert.equal(ai.stats.modelCalls, 1);
  } finally {
    await ai.close();
  }
});

Deno.test("on request: any log, past the cache, 'pending' first; a full queue answers Overloaded", async () => {
  const { store, model, ai, commit } = setup({ workers: 1, queueSize: 1 });
  try {
    commit("acme", [errorLog(1, "cached shape 1")]);
    await until(() => store.get("acme", 1).ai_status === "done", "first done");
    store.add(
      "acme",
      errorLog(2, "cached shape 2", { severity_number: 9, severity: "INFO", ai_status: "none" }),
    );
    model.close();
    assert.equal(await ai.request("acme", 2), "pending");
    assert.equal(store.get("acme", 2).ai_status, "pending");
    assert.equal(await ai.request("acme", 2), "pending", "asking twice joins the same analysis");
    await until(() => model.calls.length === 2, "a second call despite the cached shape");
    // The worker is busy; one more distinct analysis fills the queue, the next is refused.
    store.add("acme", errorLog(3, "other"));
    store.add("acme", errorLog(4, "another"));
    assert.equal(await ai.request("acme", 3), "pending");
    await assert.rejects(() => ai.request("acme", 4), OverloadedError);
    assert.equal(store.get("acme", 4).ai_status, "pending", "untouched: it was stored pending");
    assert.equal(await ai.request("acme", 999), "none");
    model.open();
    await until(() => store.get("acme", 3).ai_status === "done", "3 done");
    assert.equal(store.get("acme", 2).ai_status, "done");
  } finally {
    await ai.close();
  }
});

Deno.test("close aborts running calls and marks every waiting log skipped", async () => {
  const { store, model, ai, commit } = setup({ workers: 1, queueSize: 10 });
  model.close();
  commit("acme", [errorLog(1, "one"), errorLog(2, "two"), errorLog(3, "one again 3")]);
  await until(() => model.calls.length === 1, "running");
  await ai.close();
  for (const id of [1, 2, 3]) assert.equal(store.get("acme", id).ai_status, "skipped", `log ${id}`);
  // Nothing is taken after close.
  commit("acme", [errorLog(4, "late")]);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(store.get("acme", 4).ai_status, "pending");
  await assert.rejects(() => ai.request("acme", 4), OverloadedError);
});

Deno.test("an analysis waits for its log's trace to arrive, without holding a worker, then proceeds either way", async () => {
  const { store, model, ai, commit } = setup({ workers: 1, traceGraceMs: 300 });
  const spans = new Map<string, SpanRow[]>();
  const forTenant = store.forTenant.bind(store);
  store.forTenant = (tenant) => ({
    ...forTenant(tenant),
    getSpans: (id) => Promise.resolve(spans.get(id) ?? []),
  });
  try {
    const ids = new IdGenerator();
    const traced = errorLog(ids.next(), "payment declined", { trace_id: "a".repeat(32) });
    const lost = errorLog(ids.next(), "card vault unreachable", { trace_id: "b".repeat(32) });
    const plain = errorLog(ids.next(), "no trace here");
    commit("acme", [traced, lost, plain]);
    // The log without a trace is answered at once, by the one worker: the others are set aside.
    await until(() => store.get("acme", plain.id).ai_status === "done", "the log without a trace");
    assert.equal(model.calls.length, 1);
    assert.equal(ai.stats.queueDepth, 2);
    // The first trace arrives within the grace; the second never does.
    spans.set(traced.trace_id, [
      span({ trace_id: traced.trace_id, service_name: "checkout", status_code: "ERROR", name: "POST /pay" }),
    ]);
    await until(() => model.calls.length === 3, "both analyses after the grace");
    const prompts = model.calls.slice(1).map((m) => m[1].content);
    assert.match(prompts.find((p) => p.includes("payment declined"))!, /checkout/);
    assert.doesNotMatch(prompts.find((p) => p.includes("card vault"))!, /checkout/);
    await until(() => store.get("acme", lost.id).ai_status === "done", "the log whose trace never came");
  } finally {
    await ai.close();
  }
});

Deno.test("close marks a log still waiting for its trace skipped", async () => {
  const { store, ai, commit } = setup({ traceGraceMs: 60_000 });
  const log = errorLog(new IdGenerator().next(), "payment declined", { trace_id: "c".repeat(32) });
  commit("acme", [log]);
  await until(() => ai.stats.queueDepth === 1, "the analysis set aside");
  await ai.close();
  assert.equal(store.get("acme", log.id).ai_status, "skipped");
});
