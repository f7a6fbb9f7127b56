/**
 * The chat model behind the insights, from `npm:openai`: its `AzureOpenAI`
 * client when `AZURE_OPENAI_ENDPOINT` is set, else its plain client pointed at
 * `AI_BASE_URL` (vLLM, Ollama, LocalAI, a gateway). The SDK's own retries are
 * off — {@link withRetries} decides — and every attempt has `AI_TIMEOUT`.
 * Nothing is read from the SDK's environment variables (`OPENAI_*`): what
 * Argus sends where is decided by its own configuration only.
 *
 * @module
 */

import { AzureOpenAI, OpenAI } from "openai";
import type { Config } from "../config.ts";
import type { ChatMessage } from "./prompt.ts";

/** `Config["ai"]`: the AI settings of SPEC §3. */
export type AiSettings = Config["ai"];

/** Asks a chat model. */
export interface InsightModel {
  /** Where requests go, for the start-up log line (no key). */
  readonly description: string;
  /** The model's answer to `messages`; rejects with the SDK's error classes. */
  complete(messages: ChatMessage[], signal?: AbortSignal): Promise<string>;
}

/** Test seams. */
export interface ModelOptions {
  /** The fetch the SDK uses (default: the global one). */
  fetch?: typeof fetch;
}

// Reasoning models served by vLLM or Ollama may prefix their answer with their thoughts.
const THINKING = /<think>[\s\S]*?<\/think>/gi;

/** Builds the client `ai` describes. The configuration was validated by `loadConfig`. */
export function createInsightModel(ai: AiSettings, options: ModelOptions = {}): InsightModel {
  // Explicit nulls and values keep OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_BASE_URL and the like out.
  const common = {
    timeout: ai.timeoutMs,
    maxRetries: 0,
    organization: null,
    project: null,
    logLevel: "off" as const,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  let client: OpenAI;
  let model: string;
  let description: string;
  if (ai.azureEndpoint) {
    const deployment = ai.azureDeployment || ai.azureModel;
    client = new AzureOpenAI({
      ...common,
      endpoint: ai.azureEndpoint,
      apiKey: ai.azureKey,
      deployment,
      apiVersion: ai.azureApiVersion,
    });
    model = ai.azureModel || deployment;
    description =
      `Azure OpenAI ${ai.azureEndpoint} deployment ${deployment} (api-version ${ai.azureApiVersion})`;
  } else {
    // A local server (Ollama, vLLM without --api-key) needs no key, but the SDK insists on one.
    client = new OpenAI({ ...common, baseURL: ai.baseUrl, apiKey: ai.apiKey || "unused" });
    model = ai.model;
    description = `OpenAI-compatible ${ai.baseUrl} model ${ai.model}`;
  }
  return {
    description,
    async complete(messages, signal) {
      // Timeout and retries come from the client options: with a per-request `timeout` the SDK
      // (7.57 under Deno) reports the timeout but leaves the connection open.
      const res = await client.chat.completions.create({ model, messages }, { signal });
      const text = (res.choices?.[0]?.message?.content ?? "").replace(THINKING, "").trim();
      if (text === "") throw new EmptyAnswerError(res.choices?.[0]?.finish_reason ?? "none");
      return text;
    },
  };
}

/** The model answered without text (a content filter, a length cut before any output). */
export class EmptyAnswerError extends Error {
  readonly code = "empty_answer";
  constructor(finishReason: string) {
    super(`The model answered without text (finish_reason ${finishReason})`);
    this.name = "EmptyAnswerError";
  }
}
