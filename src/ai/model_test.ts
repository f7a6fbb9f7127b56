import assert from "node:assert/strict";
import { APIError } from "openai";
import { type AiSettings, createInsightModel, EmptyAnswerError } from "./model.ts";

const base: AiSettings = {
  enabled: true,
  azureEndpoint: "",
  azureKey: "",
  azureModel: "",
  azureDeployment: "",
  azureApiVersion: "2024-10-21",
  baseUrl: "http://llm.internal:8000/v1",
  apiKey: "",
  model: "qwen",
  workers: 1,
  queueSize: 1,
  timeoutMs: 1000,
};

/** A fetch that records the request and answers `content` (or `status`). */
function fakeFetch(content: string | null, status = 200) {
  const seen: { url: string; headers: Headers; body: Record<string, unknown> }[] = [];
  const f = ((url: string | URL | Request, init?: RequestInit) => {
    seen.push({
      url: String(url),
      headers: new Headers(init?.headers),
      body: JSON.parse(String(init?.body)),
    });
    if (status !== 200) return Promise.resolve(Response.json({ error: { message: "nope" } }, { status }));
    return Promise.resolve(Response.json({
      id: "x",
      object: "chat.completion",
      created: 1,
      model: "qwen",
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    }));
  }) as typeof fetch;
  return { f, seen };
}

const messages = [{ role: "user" as const, content: "why?" }];

Deno.test("the plain client sends only model and messages, without the SDK's environment", async () => {
  Deno.env.set("OPENAI_ORG_ID", "org-from-env");
  try {
    const { f, seen } = fakeFetch("  <think>hmm, let me see</think>\nProbable cause: x.  ");
    const model = createInsightModel(base, { fetch: f });
    assert.equal(await model.complete(messages), "Probable cause: x.");
    assert.equal(seen[0].url, "http://llm.internal:8000/v1/chat/completions");
    assert.deepEqual(seen[0].body, { model: "qwen", messages });
    assert.equal(seen[0].headers.get("openai-organization"), null);
    assert.equal(seen[0].headers.get("authorization"), "Bearer unused", "a keyless server gets a dummy key");
    assert.equal(model.description, "OpenAI-compatible http://llm.internal:8000/v1 model qwen");
  } finally {
    Deno.env.delete("OPENAI_ORG_ID");
  }
});

Deno.test("Azure: deployment in the path, api-version in the query, api-key header; model falls back", async () => {
  const { f, seen } = fakeFetch("ok");
  const model = createInsightModel({
    ...base,
    azureEndpoint: "https://r.openai.azure.com/",
    azureKey: "k-azure",
    azureModel: "gpt-4o",
  }, { fetch: f });
  assert.equal(await model.complete(messages), "ok");
  assert.equal(
    seen[0].url,
    "https://r.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
  );
  assert.equal(seen[0].headers.get("api-key"), "k-azure");
});

Deno.test("an empty answer and an error status reject; nothing is retried inside the client", async () => {
  await assert.rejects(
    () => createInsightModel(base, { fetch: fakeFetch(null).f }).complete(messages),
    EmptyAnswerError,
  );
  const { f, seen } = fakeFetch("", 503);
  await assert.rejects(
    () => createInsightModel(base, { fetch: f }).complete(messages),
    (e) => e instanceof APIError && e.status === 503,
  );
  assert.equal(seen.length, 1);
});
