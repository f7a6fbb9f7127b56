/**
 * The chat prompt for one log (SPEC §8): service, severity, body, attributes
 * and, when the log belongs to a stored trace, a compact summary of that trace
 * — services, failing spans with their status messages and exception events.
 * Every part is redacted before it is clipped to its budget, so the whole
 * prompt stays under {@link MAX_PROMPT_CHARS} however large the log or trace.
 * Pure: the caller loads the rows.
 *
 * @module
 */

import type { SpanRow } from "../store/rows.ts";
import type { TraceSummaryRow } from "../store/trace_summary.ts";
import { redact } from "./redact.ts";

/** One chat message as the chat-completions API takes it. */
export interface ChatMessage {
  role: "system" | "user";
  content: string;
}

/** The fields of a log the prompt uses. */
export interface PromptLog {
  service_name: string;
  severity: string;
  severity_number: number;
  body: string;
  attributes: string;
  span_id: string;
}

/** A stored trace: its summary row and spans. */
export interface PromptTrace {
  summary?: TraceSummaryRow;
  spans: readonly SpanRow[];
}

/** Upper bound of the user message, in UTF-16 units. */
export const MAX_PROMPT_CHARS = 6000;

const BUDGET = {
  body: 2000,
  attributes: 1200,
  attributeValue: 200,
  attributeCount: 30,
  services: 12,
  failingSpans: 5,
  statusMessage: 300,
  exceptionsPerSpan: 2,
  exceptionMessage: 300,
  stackLines: 3,
  stackLine: 160,
  name: 120,
} as const;

/** The instructions; they name the placeholders so the model does not puzzle over them. */
export const SYSTEM_PROMPT =
  "You are a senior site reliability engineer. Explain one error log of a service " +
  "to the engineer on call. Personal data and secrets were replaced by placeholders such as <email>, <ip>, " +
  "<secret>, <token>, <number> and <redacted>. Answer in plain text (no Markdown), at most 120 words, in " +
  "three short parts headed 'Probable cause:', 'Impact:' and 'Next steps:'. Say so when the data is not " +
  "enough to tell.";

function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  // Do not split a surrogate pair.
  let end = max - 1;
  if (/[\uD800-\uDBFF]/.test(text[end - 1] ?? "")) end--;
  return text.slice(0, end) + "…";
}

/** Redacted, then clipped: a secret cut in half could no longer be recognised. */
function field(text: string, max: number): string {
  return clip(redact(text.slice(0, max * 2)).replace(/\s+/g, " ").trim(), max);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function attributeLines(json: string): string[] {
  const parsed = parseJson(json);
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return [];
  const entries = Object.entries(parsed as Record<string, unknown>);
  const lines: string[] = [];
  let used = 0;
  for (const [k, v] of entries.slice(0, BUDGET.attributeCount)) {
    const value = typeof v === "string" ? v : JSON.stringify(v);
    // Redact "key: value" together, so a secret-named key masks its value.
    const line = `- ${field(`${k}: ${value}`, BUDGET.name + BUDGET.attributeValue)}`;
    if (used + line.length > BUDGET.attributes) break;
    lines.push(line);
    used += line.length + 1;
  }
  if (entries.length > lines.length) lines.push(`- (${entries.length - lines.length} more)`);
  return lines;
}

interface ExceptionEvent {
  type: string;
  message: string;
  stack: string[];
}

function exceptionsOf(span: SpanRow): ExceptionEvent[] {
  const events = parseJson(span.events);
  if (!Array.isArray(events)) return [];
  const out: ExceptionEvent[] = [];
  for (const e of events) {
    if (!e || typeof e !== "object" || (e as { name?: unknown }).name !== "exception") continue;
    const a = ((e as { attributes?: unknown }).attributes ?? {}) as Record<string, unknown>;
    const str = (v: unknown) => typeof v === "string" ? v : v === undefined ? "" : JSON.stringify(v);
    out.push({
      type: str(a["exception.type"]),
      message: str(a["exception.message"]),
      stack: str(a["exception.stacktrace"]).split("\n").map((l) => l.trim()).filter((l) => l !== ""),
    });
  }
  return out;
}

const ms = (us: number) => `${Math.round(us / 100) / 10} ms`;

/** A few lines describing the trace; failing spans first by start time. */
export function summarizeTrace(trace: PromptTrace, logSpanId = ""): string[] {
  const spans = trace.spans;
  const services = trace.summary?.services.length
    ? trace.summary.services
    : [...new Set(spans.map((s) => s.service_name))];
  const lines: string[] = [];
  const count = trace.summary?.span_count ?? spans.length;
  const errors = trace.summary?.error_count ?? spans.filter((s) => s.status_code === "ERROR").length;
  const head = [`${count} spans`, `${errors} with status ERROR`];
  if (trace.summary) {
    head.push(
      `root "${field(trace.summary.name, BUDGET.name)}"`,
      `duration ${ms(trace.summary.duration_us)}`,
    );
  }
  lines.push(`Trace: ${head.join(", ")}.`);
  const shown = services.slice(0, BUDGET.services).map((s) => field(s, BUDGET.name));
  const more = services.length > shown.length ? ` and ${services.length - shown.length} more` : "";
  lines.push(`Services in the trace: ${shown.join(", ")}${more}.`);

  const logSpan = logSpanId ? spans.find((s) => s.span_id === logSpanId) : undefined;
  if (logSpan) {
    lines.push(
      `The log was written in span "${field(logSpan.name, BUDGET.name)}" of ${
        field(logSpan.service_name, BUDGET.name)
      } (status ${logSpan.status_code}).`,
    );
  }

  // A text test first: parsing the events of every span of a 10,000-span trace would be wasted.
  const failing = spans.filter((s) =>
    s.status_code === "ERROR" || (s.events.includes('"exception"') && exceptionsOf(s).length > 0)
  );
  if (failing.length === 0) {
    lines.push("No span in the trace failed.");
    return lines;
  }
  lines.push("Failing spans:");
  for (const s of failing.slice(0, BUDGET.failingSpans)) {
    const parts = [`- ${field(s.service_name, BUDGET.name)} "${field(s.name, BUDGET.name)}"`];
    parts.push(`(${s.kind}, ${ms(s.duration_us)}, status ${s.status_code})`);
    if (s.status_message) parts.push(`message: ${field(s.status_message, BUDGET.statusMessage)}`);
    lines.push(parts.join(" "));
    for (const ex of exceptionsOf(s).slice(0, BUDGET.exceptionsPerSpan)) {
      lines.push(
        `  exception ${field(ex.type, BUDGET.name)}: ${field(ex.message, BUDGET.exceptionMessage)}`,
      );
      // A stack trace usually repeats "Type: message" on its first line.
      const frames = ex.message && ex.stack[0]?.includes(ex.message) ? ex.stack.slice(1) : ex.stack;
      for (const l of frames.slice(0, BUDGET.stackLines)) lines.push(`    ${field(l, BUDGET.stackLine)}`);
    }
  }
  if (failing.length > BUDGET.failingSpans) {
    lines.push(`- and ${failing.length - BUDGET.failingSpans} more failing spans`);
  }
  return lines;
}

const QUESTION = "What is the probable cause, the impact, and the next steps?";

/** The messages for one log; `trace` when the log has a trace id and the trace is stored. */
export function buildPrompt(log: PromptLog, trace?: PromptTrace): ChatMessage[] {
  const lines = [
    `Service: ${field(log.service_name, BUDGET.name)}`,
    `Severity: ${field(log.severity, 20)} (${log.severity_number})`,
    `Body: ${field(log.body, BUDGET.body)}`,
  ];
  const attrs = attributeLines(log.attributes);
  if (attrs.length > 0) lines.push("Attributes:", ...attrs);
  if (trace && trace.spans.length > 0) {
    // The trace gets what the log left of the budget, whole lines only.
    let used = lines.join("\n").length + QUESTION.length + 80;
    lines.push("");
    for (const line of summarizeTrace(trace, log.span_id)) {
      if (used + line.length + 1 > MAX_PROMPT_CHARS) {
        lines.push("(trace summary cut short)");
        break;
      }
      lines.push(line);
      used += line.length + 1;
    }
  }
  lines.push("", QUESTION);
  return [
    { role: "system", content: SYSTEM_PROMPT },
    { role: "user", content: clip(lines.join("\n"), MAX_PROMPT_CHARS) },
  ];
}
