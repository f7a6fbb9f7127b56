/**
 * The fetch client of the REST API. A non-2xx answer throws an {@link ApiError}
 * carrying the server's `{"error": "..."}` message.
 *
 * @module
 */

/** An error answer of the API, or a failure to reach it (`status` 0). */
export class ApiError extends Error {
  /** HTTP status, 0 when the request never got an answer. */
  readonly status: number;
  /** The request, e.g. `GET /api/traces`. */
  readonly request: string;

  constructor(message: string, status: number, request: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ApiError";
    this.status = status;
    this.request = request;
  }
}

/** Reads the message of an error response: the `error` field of a JSON body, else its text. */
async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text);
    if (body && typeof body.error === "string" && body.error) return body.error;
    if (body && typeof body.message === "string" && body.message) return body.message;
  } catch {
    // not JSON: fall through to the text
  }
  const trimmed = text.trim().slice(0, 300);
  return trimmed || `${res.status} ${res.statusText}`.trim();
}

/** Options of one request. */
export interface RequestOptions {
  method?: "GET" | "POST" | "DELETE";
  params?: URLSearchParams;
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Sends a request to the API and parses the JSON answer (`undefined` for an
 * empty body, as a 202 may have).
 *
 * @throws {ApiError} on a non-2xx status or a network failure
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const query = options.params?.toString();
  const url = query ? `${path}?${query}` : path;
  const label = `${method} ${path}`;
  const headers: Record<string, string> = { Accept: "application/json" };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: "same-origin",
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(`Cannot reach the Argus server (${label})`, 0, label, { cause: err });
  }
  if (!res.ok) throw new ApiError(await errorMessage(res), res.status, label);
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new ApiError(`The server's answer to ${label} is not JSON`, res.status, label, { cause: err });
  }
}
