/**
 * OTLP/JSON (`application/json`) to the decoded request shape of `types.ts`, following
 * the JSON rules of the OTLP specification: trace and span ids are hex (not base64),
 * 64-bit integers may be numbers or decimal strings, enums integers (names accepted
 * too), field names lowerCamelCase (the proto names are accepted as ProtoJSON parsers
 * do), unknown fields ignored, `null` means "not set".
 *
 * Every value is type-checked; a wrong one is an `OtlpDecodeError` whose message gives
 * its path, e.g. `resourceSpans[0].scopeSpans[0].spans[2].kind: expected an enum ...`.
 *
 * @module
 */

import {
  anyValue,
  decodeJsonBody,
  EMPTY_ID,
  enumValue,
  fixed64,
  id,
  keyValues,
  list,
  object,
  resource,
  scope,
  str,
  u32,
  within,
} from "./json_common.ts";
import type * as T from "./types.ts";

/** Decodes an OTLP/JSON `ExportTraceServiceRequest` from UTF-8 bytes or text. */
export function decodeTraceRequestJson(body: Uint8Array | string): T.ExportTraceServiceRequest {
  return decodeJsonBody(body, "ExportTraceServiceRequest", (m) => {
    const out: T.ExportTraceServiceRequest = { resourceSpans: [] };
    for (const k in m) {
      if (k === "resourceSpans" || k === "resource_spans") out.resourceSpans = list(m[k], k, resourceSpans);
    }
    return out;
  });
}

/** Decodes an OTLP/JSON `ExportLogsServiceRequest` from UTF-8 bytes or text. */
export function decodeLogsRequestJson(body: Uint8Array | string): T.ExportLogsServiceRequest {
  return decodeJsonBody(body, "ExportLogsServiceRequest", (m) => {
    const out: T.ExportLogsServiceRequest = { resourceLogs: [] };
    for (const k in m) {
      if (k === "resourceLogs" || k === "resource_logs") out.resourceLogs = list(m[k], k, resourceLogs);
    }
    return out;
  });
}

function resourceSpans(v: unknown): T.ResourceSpans {
  const m = object(v, "");
  const out: T.ResourceSpans = { resource: null, scopeSpans: [], schemaUrl: "" };
  for (const k in m) {
    const x = m[k];
    if (k === "resource") out.resource = resource(x);
    else if (k === "scopeSpans" || k === "scope_spans") out.scopeSpans = list(x, k, scopeSpans);
    else if (k === "schemaUrl" || k === "schema_url") out.schemaUrl = str(x, k);
  }
  return out;
}

function scopeSpans(v: unknown): T.ScopeSpans {
  const m = object(v, "");
  const out: T.ScopeSpans = { scope: null, spans: [], schemaUrl: "" };
  for (const k in m) {
    const x = m[k];
    if (k === "scope") out.scope = scope(x);
    else if (k === "spans") out.spans = list(x, k, span);
    else if (k === "schemaUrl" || k === "schema_url") out.schemaUrl = str(x, k);
  }
  return out;
}

const SPAN_KINDS: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

const STATUS_CODES: Readonly<Record<string, number>> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

function span(v: unknown): T.Span {
  const m = object(v, "");
  const out: T.Span = {
    traceId: EMPTY_ID,
    spanId: EMPTY_ID,
    traceState: "",
    parentSpanId: EMPTY_ID,
    flags: 0,
    name: "",
    kind: 0,
    startTimeUnixNano: 0,
    endTimeUnixNano: 0,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: null,
  };
  for (const k in m) {
    const x = m[k];
    switch (k) {
      case "traceId":
      case "trace_id":
        out.traceId = id(x, k);
        break;
      case "spanId":
      case "span_id":
        out.spanId = id(x, k);
        break;
      case "traceState":
      case "trace_state":
        out.traceState = str(x, k);
        break;
      case "parentSpanId":
      case "parent_span_id":
        out.parentSpanId = id(x, k);
        break;
      case "flags":
        out.flags = u32(x, k);
        break;
      case "name":
        out.name = str(x, k);
        break;
      case "kind":
        out.kind = enumValue(x, k, SPAN_KINDS);
        break;
      case "startTimeUnixNano":
      case "start_time_unix_nano":
        out.startTimeUnixNano = fixed64(x, k);
        break;
      case "endTimeUnixNano":
      case "end_time_unix_nano":
        out.endTimeUnixNano = fixed64(x, k);
        break;
      case "attributes":
        out.attributes = keyValues(x, k);
        break;
      case "droppedAttributesCount":
      case "dropped_attributes_count":
        out.droppedAttributesCount = u32(x, k);
        break;
      case "events":
        out.events = list(x, k, event);
        break;
      case "droppedEventsCount":
      case "dropped_events_count":
        out.droppedEventsCount = u32(x, k);
        break;
      case "links":
        out.links = list(x, k, link);
        break;
      case "droppedLinksCount":
      case "dropped_links_count":
        out.droppedLinksCount = u32(x, k);
        break;
      case "status":
        out.status = status(x);
        break;
    }
  }
  return out;
}

function status(v: unknown): T.SpanStatus | null {
  if (v == null) return null;
  const m = object(v, ".status");
  const out: T.SpanStatus = { message: "", code: 0 };
  for (const k in m) {
    if (k === "message") out.message = str(m[k], "status.message");
    else if (k === "code") out.code = enumValue(m[k], "status.code", STATUS_CODES);
  }
  return out;
}

function event(v: unknown): T.SpanEvent {
  const m = object(v, "");
  const out: T.SpanEvent = { timeUnixNano: 0, name: "", attributes: [], droppedAttributesCount: 0 };
  for (const k in m) {
    const x = m[k];
    if (k === "timeUnixNano" || k === "time_unix_nano") out.timeUnixNano = fixed64(x, k);
    else if (k === "name") out.name = str(x, k);
    else if (k === "attributes") out.attributes = keyValues(x, k);
    else if (k === "droppedAttributesCount" || k === "dropped_attributes_count") {
      out.droppedAttributesCount = u32(x, k);
    }
  }
  return out;
}

function link(v: unknown): T.SpanLink {
  const m = object(v, "");
  const out: T.SpanLink = {
    traceId: EMPTY_ID,
    spanId: EMPTY_ID,
    traceState: "",
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
  };
  for (const k in m) {
    const x = m[k];
    if (k === "traceId" || k === "trace_id") out.traceId = id(x, k);
    else if (k === "spanId" || k === "span_id") out.spanId = id(x, k);
    else if (k === "traceState" || k === "trace_state") out.traceState = str(x, k);
    else if (k === "attributes") out.attributes = keyValues(x, k);
    else if (k === "droppedAttributesCount" || k === "dropped_attributes_count") {
      out.droppedAttributesCount = u32(x, k);
    } else if (k === "flags") out.flags = u32(x, k);
  }
  return out;
}

function resourceLogs(v: unknown): T.ResourceLogs {
  const m = object(v, "");
  const out: T.ResourceLogs = { resource: null, scopeLogs: [], schemaUrl: "" };
  for (const k in m) {
    const x = m[k];
    if (k === "resource") out.resource = resource(x);
    else if (k === "scopeLogs" || k === "scope_logs") out.scopeLogs = list(x, k, scopeLogs);
    else if (k === "schemaUrl" || k === "schema_url") out.schemaUrl = str(x, k);
  }
  return out;
}

function scopeLogs(v: unknown): T.ScopeLogs {
  const m = object(v, "");
  const out: T.ScopeLogs = { scope: null, logRecords: [], schemaUrl: "" };
  for (const k in m) {
    const x = m[k];
    if (k === "scope") out.scope = scope(x);
    else if (k === "logRecords" || k === "log_records") out.logRecords = list(x, k, logRecord);
    else if (k === "schemaUrl" || k === "schema_url") out.schemaUrl = str(x, k);
  }
  return out;
}

const SEVERITY_NUMBERS: Readonly<Record<string, number>> = (() => {
  const names: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
  ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"].forEach((level, i) => {
    for (let step = 1; step <= 4; step++) {
      names[`SEVERITY_NUMBER_${level}${step === 1 ? "" : step}`] = i * 4 + step;
    }
  });
  return names;
})();

function logRecord(v: unknown): T.LogRecord {
  const m = object(v, "");
  const out: T.LogRecord = {
    timeUnixNano: 0,
    observedTimeUnixNano: 0,
    severityNumber: 0,
    severityText: "",
    body: null,
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: EMPTY_ID,
    spanId: EMPTY_ID,
    eventName: "",
  };
  for (const k in m) {
    const x = m[k];
    switch (k) {
      case "timeUnixNano":
      case "time_unix_nano":
        out.timeUnixNano = fixed64(x, k);
        break;
      case "observedTimeUnixNano":
      case "observed_time_unix_nano":
        out.observedTimeUnixNano = fixed64(x, k);
        break;
      case "severityNumber":
      case "severity_number":
        out.severityNumber = enumValue(x, k, SEVERITY_NUMBERS);
        break;
      case "severityText":
      case "severity_text":
        out.severityText = str(x, k);
        break;
      case "body":
        out.body = within("body", () => anyValue(x, 1));
        break;
      case "attributes":
        out.attributes = keyValues(x, k);
        break;
      case "droppedAttributesCount":
      case "dropped_attributes_count":
        out.droppedAttributesCount = u32(x, k);
        break;
      case "flags":
        out.flags = u32(x, k);
        break;
      case "traceId":
      case "trace_id":
        out.traceId = id(x, k);
        break;
      case "spanId":
      case "span_id":
        out.spanId = id(x, k);
        break;
      case "eventName":
      case "event_name":
        out.eventName = str(x, k);
        break;
    }
  }
  return out;
}
