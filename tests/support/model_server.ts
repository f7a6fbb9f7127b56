/**
 * A stand-in for an AI model: an HTTP server on 127.0.0.1 that speaks the
 * chat-completions API in both URL forms Argus uses — OpenAI-compatible
 * (`{AI_BASE_URL}/chat/completions`) and Azure
 * (`/openai/deployments/{deployment}/chat/completions?api-version=…`) — and
 * records every request. `tests/ai_test.ts` uses it; so can a benchmark that
 * measures ingestion with AI on (`AI_ENABLED=true`, `AI_BASE_URL=${server.url}/v1`,
 * `AI_MODEL=any`), with `latencyMs` standing for the model's thinking time.
 *
 * @module
 */

/** One request as the server saw it. */
export interface SeenRequest {
  path: string;
  search: URLSearchParams;
  headers: Headers;
  body: { model: string; messages: { role: string; content: string }[] };
}

/** Decides the answer to the `n`-th request (1-based). */
export type Answer = (req: SeenRequest, n: number) => Promise<Response> | Response;

/** A `chat.completion` response whose message is `content`. */
export function completion(content: string): Response {
  return Response.json({
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "test-model",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  });
}

/** A chat-completions server on 127.0.0.1:0 that records every request. */
export class ModelServer {
  readonly seen: SeenRequest[] = [];
  readonly #server: Deno.HttpServer<Deno.NetAddr>;
  /** The answer; by default a short insight after `latencyMs`. */
  answer: Answer;

  constructor(options: { latencyMs?: number } = {}) {
    const latency = options.latencyMs ?? 0;
    this.answer = async (req) => {
      if (latency > 0) await new Promise((r) => setTimeout(r, latency));
      return completion(
        `Probable cause: ${req.body.messages[1]?.content.length ?? 0} chars read. Impact: x. Next steps: y.`,
      );
    };
    this.#server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
      const url = new URL(req.url);
      const seen: SeenRequest = {
        path: url.pathname,
        search: url.searchParams,
        headers: req.headers,
        body: await req.json(),
      };
      this.seen.push(seen);
      return await this.answer(seen, this.seen.length);
    });
  }

  /** `http://127.0.0.1:port`: append `/v1` for `AI_BASE_URL`, or use as `AZURE_OPENAI_ENDPOINT`. */
  get url(): string {
    return `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** Stops after the requests in flight are answered. */
  async close(): Promise<void> {
    await this.#server.shutdown();
  }
}
