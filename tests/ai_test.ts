/**
 * AI insights end to end (SPEC §8) against local HTTP servers that speak the
 * chat-completions API, in the OpenAI-compatible URL form (`/v1/chat/completions`)
 * and in Azure's (`/openai/deployments/{deployment}/chat/completions?api-version=`):
 * the model sees a redacted prompt with the trace summary; the insight lands in
 * the database, on `/ws` and behind `GET /api/logs/{id}/insight`; a slow model
 * times out to `failed`; a 429 is retried; a burst of 1,000 error logs of 5
 * shapes makes at most 5 calls and every export is acknowledged before the
 * model has answered anything; on-demand analysis of any log, with the state
 * writes on every live dialect; AI off.
 */

import assert from "node:assert/strict";
import { startTestArgus, type TestArgus } from "./support/argus.ts";
import { type LiveDialect, liveDialects } from "./support/databases.ts";
import type { LogEntry } from "../src/http/wire.ts";
import { completion, ModelServer } from "./support/model_server.ts";
import { Store } from "../src/store/store.ts";
import { IdGenerator } from "../src/store/ids.ts";
import { log } from "./support/fixtures.ts";

/**
 * Never answers in time: a 504 after `ms`, so the server can shut down. (Deno.serve does not
 * report a client that hangs up after sending a body of this size, so the test cannot wait for that.)
 */
const tooLate = (ms: number) =>
  new Promise<Response>((resolve) => setTimeout(() => resolve(new Response(null, { status: 504 })), ms));

// ---------------------------------------------------------------- OTLP and API helpers

const TRACE = "5b8efff798038103d269b633813fc60c";
const ROOT = "eee19b7ec3c1b174";
const FAILING = "eee19b7ec3c1b173";
const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });

async function postJson(url: string, body: unknown): Promise<Response> {
  return await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function sendTrace(t: TestArgus): Promise<void> {
  const start = nowNs();
  const res = await postJson(`${t.otlpHttp}/v1/traces`, {
    resourceSpans: [{
      resource: { attributes: [str("service.name", "checkout")] },
      scopeSpans: [{
        scope: { name: "test" },
        spans: [
          {
            traceId: TRACE,
            spanId: ROOT,
            name: "POST /pay",
            kind: 2,
            startTimeUnixNano: start,
            endTimeUnixNano: start,
          },
          {
            traceId: TRACE,
            spanId: FAILING,
            parentSpanId: ROOT,
            name: "charge card",
            kind: 3,
            startTimeUnixNano: start,
            endTimeUnixNano: start,
            status: { code: 2, message: "issuer declined: insufficient funds" },
            events: [{
              timeUnixNano: start,
              name: "exception",
              attributes: [str("exception.type", "CardDeclined"), str("exception.message", "do not honour")],
            }],
          },
        ],
      }],
    }],
  });
  assert.equal(res.status, 200, await res.text());
}

interface LogSpec {
  body: string;
  severity?: number;
  traceId?: string;
  spanId?: string;
  attributes?: { key: string; value: { stringValue: string } }[];
  service?: string;
}

function logsBody(logs: LogSpec[]) {
  return {
    resourceLogs: [{
      resource: { attributes: [str("service.name", logs[0]?.service ?? "checkout")] },
      scopeLogs: [{
        scope: { name: "test" },
        logRecords: logs.map((l) => ({
          timeUnixNano: nowNs(),
          severityNumber: l.severity ?? 17,
          body: { stringValue: l.body },
          traceId: l.traceId ?? "",
          spanId: l.spanId ?? "",
          attributes: l.attributes ?? [],
        })),
      }],
    }],
  };
}

async function sendLogs(t: TestArgus, logs: LogSpec[]): Promise<void> {
  const res = await postJson(`${t.otlpHttp}/v1/logs`, logsBody(logs));
  assert.equal(res.status, 200, await res.text());
}

async function listLogs(t: TestArgus, query = ""): Promise<LogEntry[]> {
  const res = await fetch(`${t.http}/api/logs?limit=1000${query}`);
  assert.equal(res.status, 200);
  return (await res.json()).data;
}

async function insightOf(t: TestArgus, id: number): Promise<{ insight: string; status: string }> {
  const res = await fetch(`${t.http}/api/logs/${id}/insight`);
  assert.equal(res.status, 200);
  return await res.json();
}

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the only log with `body` has left 'pending'; returns it with its insight. */
async function settled(t: TestArgus, body: string): Promise<LogEntry> {
  return await eventually(`"${body}" to be analysed`, async () => {
    const log = (await listLogs(t)).find((l) => l.body === body);
    return log && log.ai_status !== "pending" ? log : undefined;
  });
}

function openAi(model: ModelServer, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AI_ENABLED: "true",
    AI_BASE_URL: `${model.url}/v1`,
    AI_MODEL: "test-model",
    AI_API_KEY: "sk-test-key-not-a-real-one",
    AI_TIMEOUT: "5s",
    ...extra,
  };
}

async function withArgus(
  env: Record<string, string>,
  fn: (t: TestArgus) => Promise<void>,
  dialect?: LiveDialect,
): Promise<void> {
  const t = await startTestArgus(env, dialect);
  try {
    await fn(t);
  } finally {
    await t.stop();
  }
}

// ---------------------------------------------------------------- tests

Deno.test("an error log is explained from a redacted prompt with its trace; the insight reaches the database, /ws and GET", async () => {
  const model = new ModelServer();
  model.answer = () =>
    completion("Probable cause: the card issuer declined. Impact: checkout fails. Next steps: retry.");
  try {
    await withArgus(openAi(model), async (t) => {
      const ws = new WebSocket(`ws://127.0.0.1:${t.argus.httpPort}/ws`);
      const messages: unknown[] = [];
      ws.onmessage = (e) => messages.push(JSON.parse(e.data));
      await new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      });
      try {
        await sendTrace(t);
        const body =
          "payment failed for jane.doe@example.com from 203.0.113.77 with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.c2lnbmF0dXJlLXNpZ25hdHVyZQ card 4111111111111111";
        await sendLogs(t, [{
          body,
          traceId: TRACE,
          spanId: FAILING,
          attributes: [str("user.ip", "2001:db8::42"), str("db.password", "hunter2-secret")],
        }]);
        const log = await settled(t, body);
        assert.equal(log.ai_status, "done");
        assert.match(log.ai_insight, /^Probable cause: the card issuer declined/);
        assert.deepEqual(await insightOf(t, log.id), { insight: log.ai_insight, status: "done" });

        // What left the process.
        assert.equal(model.seen.length, 1);
        const req = model.seen[0];
        assert.equal(req.path, "/v1/chat/completions");
        assert.equal(req.headers.get("authorization"), "Bearer sk-test-key-not-a-real-one");
        assert.equal(req.body.model, "test-model");
        const sent = req.body.messages.map((m) => m.content).join("\n");
        for (
          const secret of [
            "jane.doe@example.com",
            "203.0.113.77",
            "2001:db8::42",
            "eyJhbGciOiJIUzI1NiJ9",
            "4111111111111111",
            "hunter2-secret",
          ]
        ) {
          assert.ok(!sent.includes(secret), `the model saw ${secret}`);
        }
        for (
          const wanted of [
            "Service: checkout",
            "Severity: ERROR (17)",
            "<email>",
            "issuer declined: insufficient funds",
            "exception CardDeclined: do not honour",
            "Services in the trace: checkout.",
            'The log was written in span "charge card"',
          ]
        ) {
          assert.ok(sent.includes(wanted), `the prompt lacks ${JSON.stringify(wanted)}:\n${sent}`);
        }

        // /ws: the log first, then its insight.
        const pushed = await eventually("the insight on /ws", () =>
          Promise.resolve(
            messages.find((m) => (m as { type?: string }).type === "insight") as
              | { type: string; log_id: number; insight: string; status: string }
              | undefined,
          ));
        assert.deepEqual(pushed, {
          type: "insight",
          log_id: log.id,
          insight: log.ai_insight,
          status: "done",
        });
        const logIndex = messages.findIndex((m) =>
          Array.isArray(m) && m.some((e: LogEntry) => e.id === log.id)
        );
        assert.ok(logIndex >= 0 && logIndex < messages.indexOf(pushed), "the log precedes its insight");

        const health = await (await fetch(`${t.http}/api/health`)).json();
        assert.deepEqual(health.ai, { enabled: true, queue_depth: 0, dropped: 0 });
      } finally {
        ws.close();
      }
    });
  } finally {
    await model.close();
  }
});

// The state writes (`pending`, then the result) on every live dialect.
for (const dialect of liveDialects().run) {
  Deno.test(`Azure OpenAI on ${dialect.name}: deployment URL, api-version and api-key; POST analyses an INFO log on demand`, async () => {
    const model = new ModelServer();
    model.answer = () => completion("Probable cause: none really. Impact: none. Next steps: none.");
    try {
      await withArgus({
        AI_ENABLED: "true",
        AZURE_OPENAI_ENDPOINT: model.url,
        AZURE_OPENAI_KEY: "azure-key-for-tests",
        AZURE_OPENAI_DEPLOYMENT: "ops-gpt",
        AZURE_OPENAI_API_VERSION: "2024-10-21",
      }, async (t) => {
        await sendLogs(t, [{ body: "cache warmed in 12 ms", severity: 9 }]);
        const [info] = await listLogs(t);
        assert.equal(info.ai_status, "none", "INFO logs are not analysed by themselves");
        const res = await fetch(`${t.http}/api/logs/${info.id}/insight`, { method: "POST" });
        assert.equal(res.status, 202);
        assert.deepEqual(await res.json(), { insight: "", status: "pending" });
        const done = await settled(t, "cache warmed in 12 ms");
        assert.equal(done.ai_status, "done");
        assert.equal(done.ai_insight, "Probable cause: none really. Impact: none. Next steps: none.");

        assert.equal(model.seen.length, 1);
        const req = model.seen[0];
        assert.equal(req.path, "/openai/deployments/ops-gpt/chat/completions");
        assert.equal(req.search.get("api-version"), "2024-10-21");
        assert.equal(req.headers.get("api-key"), "azure-key-for-tests");
        assert.equal(req.headers.get("authorization"), null);
        assert.match(req.body.messages[1].content, /Severity: INFO \(9\)/);

        const missing = await fetch(`${t.http}/api/logs/123456/insight`, { method: "POST" });
        assert.equal(missing.status, 404);
        await missing.body?.cancel();
      }, dialect);
    } finally {
      await model.close();
    }
  });
}

Deno.test("a model slower than AI_TIMEOUT leaves 'failed', without a retry", async () => {
  const model = new ModelServer();
  model.answer = () => tooLate(1000);
  try {
    await withArgus(openAi(model, { AI_TIMEOUT: "300ms" }), async (t) => {
      const started = Date.now();
      await sendLogs(t, [{ body: "slow one" }]);
      const log = await settled(t, "slow one");
      assert.equal(log.ai_status, "failed");
      assert.equal(log.ai_insight, "");
      assert.ok(Date.now() - started >= 300, "not before the timeout");
      assert.deepEqual(await insightOf(t, log.id), { insight: "", status: "failed" });
      assert.ok(Date.now() - started < 1000, "failed at the timeout, not when the model finally answered");
      assert.equal(model.seen.length, 1);
    });
  } finally {
    await model.close();
  }
});

Deno.test("a model answering 429 (Retry-After) and then 200 is retried and succeeds", async () => {
  const model = new ModelServer();
  model.answer = (_req, n) =>
    n === 1
      ? Response.json({ error: { message: "Rate limit reached", type: "rate_limit" } }, {
        status: 429,
        headers: { "retry-after": "0" },
      })
      : completion("Probable cause: a retry worked.");
  try {
    await withArgus(openAi(model), async (t) => {
      await sendLogs(t, [{ body: "throttled one" }]);
      const log = await settled(t, "throttled one");
      assert.equal(log.ai_status, "done");
      assert.equal(log.ai_insight, "Probable cause: a retry worked.");
      assert.equal(model.seen.length, 2);
    });
  } finally {
    await model.close();
  }
});

Deno.test("1,000 error logs of 5 shapes: every export acknowledged while the model is busy, at most 5 calls", async () => {
  const model = new ModelServer();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => release = resolve);
  model.answer = async (req) => {
    await gate;
    return completion(`Explained: ${/Body: (\w+)/.exec(req.body.messages[1].content)?.[1]}`);
  };
  try {
    await withArgus(openAi(model), async (t) => {
      const shapes = ["alpha", "bravo", "charlie", "delta", "echo"];
      const statuses: number[] = [];
      // 1,000 exports of one log each, 50 at a time; no model answer has been given yet.
      for (let i = 0; i < 1000; i += 50) {
        const wave = Array.from({ length: 50 }, (_, j) => {
          const n = i + j;
          return postJson(
            `${t.otlpHttp}/v1/logs`,
            logsBody([{ body: `${shapes[n % 5]} failed for order ${n} "u${n}"` }]),
          )
            .then(async (r) => {
              await r.body?.cancel();
              statuses.push(r.status);
            });
        });
        await Promise.all(wave);
      }
      assert.equal(statuses.length, 1000);
      assert.ok(statuses.every((s) => s === 200), "every export acknowledged");
      assert.ok(model.seen.length <= 5, `${model.seen.length} model calls`);
      const acked = await listLogs(t);
      assert.equal(acked.length, 1000);

      release();
      const all = await eventually("all 1,000 analysed", async () => {
        const logs = await listLogs(t);
        return logs.every((l) => l.ai_status === "done") ? logs : undefined;
      }, 10_000);
      assert.ok(model.seen.length <= 5, `${model.seen.length} model calls`);
      for (const l of all) assert.equal(l.ai_insight, `Explained: ${l.body.split(" ")[0]}`);
      const stats = t.argus.ai!.stats;
      assert.equal(stats.dropped, 0);
      assert.equal(stats.cacheHits + stats.cacheMisses, 1000);
      assert.equal(stats.modelCalls, model.seen.length);

      // A later log of a known shape is stored already answered: no call, no pending state.
      const calls = model.seen.length;
      await sendLogs(t, [{ body: `${shapes[2]} failed for order 5000 "late"` }]);
      const late = (await listLogs(t)).find((l) => l.body.includes('"late"'));
      assert.equal(late?.ai_status, "done");
      assert.equal(late?.ai_insight, `Explained: ${shapes[2]}`);
      assert.equal(model.seen.length, calls);
      assert.equal(t.argus.ai!.stats.cacheHits, stats.cacheHits + 1);
    });
  } finally {
    release();
    await model.close();
  }
});

Deno.test("an analysis a crashed process left pending is 'skipped' after the next start", async () => {
  const id = new IdGenerator().next();
  const t = await startTestArgus({ AI_ENABLED: "false" }, undefined, async (db) => {
    await new Store(db).forTenant("default").writeBatch([], [
      { ...log(id, { severity_number: 17, severity: "ERROR", body: "left pending" }), ai_status: "pending" },
    ]);
  });
  try {
    assert.deepEqual(await insightOf(t, id), { insight: "", status: "skipped" });
  } finally {
    await t.stop();
  }
});

Deno.test("with AI off, error logs are 'skipped' and POST says how to turn it on", async () => {
  await withArgus({ AI_ENABLED: "false" }, async (t) => {
    assert.equal(t.argus.ai, undefined);
    await sendLogs(t, [{ body: "broken" }]);
    const [log] = await listLogs(t);
    assert.equal(log.ai_status, "skipped");
    const res = await fetch(`${t.http}/api/logs/${log.id}/insight`, { method: "POST" });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, /AI_ENABLED=true/);
  });
});
