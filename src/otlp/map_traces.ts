/**
 * Pure mapping of a decoded `ExportTraceServiceRequest` to span rows (SPEC §4, §5).
 *
 * @module
 */

import type { SpanKind, SpanRow, StatusCode } from "../store/rows.ts";
import { ATTR_HASHES, attributeHashes } from "../store/attr_bloom.ts";
import { attributesJson, type JsonValue, keyValuesToObject, stringAttribute } from "./any_value.ts";
import { located } from "./errors.ts";
import { bytesToHex, idProblem, isValidId, SPAN_ID_BYTES, TRACE_ID_BYTES } from "./ids.ts";
import { nanosToMicros } from "./int64.ts";
import { Rejections } from "./rejections.ts";
import { cleanText } from "./text.ts";
import type { ExportTraceServiceRequest, Span, SpanEvent, SpanLink } from "./types.ts";

/** What `mapTraces` produced. */
export interface TracesMapResult {
  /** Rows of the accepted spans, in request order. */
  spans: SpanRow[];
  /** Number of spans rejected (→ `partial_success.rejected_spans`). */
  rejected: number;
  /** English explanation of the rejections, '' when there are none. */
  message: string;
}

/** Service name when the resource has no string `service.name` (the SDKs' own default). */
export const UNKNOWN_SERVICE = "unknown_service";

const KINDS: readonly SpanKind[] = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];
const STATUS_CODES: readonly StatusCode[] = ["UNSET", "OK", "ERROR"];

/**
 * Maps every span of the request to a row. A span whose trace id is not 16 bytes or
 * all zero, or whose span id is not 8 bytes or all zero, is rejected alone and counted.
 * A parent span id that is empty, of the wrong length or all zero is stored as '' (a
 * root): the span itself is sound, and dropping it would lose more than it protects.
 *
 * @throws OtlpDecodeError when an attribute value is nested deeper than
 *   `MAX_ANY_VALUE_DEPTH`; the whole request is refused, as it would be in OTLP/JSON.
 */
export function mapTraces(req: ExportTraceServiceRequest): TracesMapResult {
  const spans: SpanRow[] = [];
  const rejections = new Rejections();
  let total = 0;
  const resourceSpans = req.resourceSpans ?? [];
  for (let r = 0; r < resourceSpans.length; r++) {
    const rs = resourceSpans[r];
    const resourceAttrs = rs.resource?.attributes;
    // Serialised once per resource and shared by its spans: the same string object.
    let resourceJson: string;
    try {
      resourceJson = attributesJson(resourceAttrs);
    } catch (e) {
      throw located(e, `resourceSpans[${r}].resource`);
    }
    const serviceName = stringAttribute(resourceAttrs, "service.name") || UNKNOWN_SERVICE;
    const scopeSpans = rs.scopeSpans ?? [];
    for (let s = 0; s < scopeSpans.length; s++) {
      const ss = scopeSpans[s];
      const scopeName = cleanText(ss.scope?.name ?? "");
      const scopeVersion = cleanText(ss.scope?.version ?? "");
      const list = ss.spans ?? [];
      total += list.length;
      for (let i = 0; i < list.length; i++) {
        const span = list[i];
        const problem = idProblem(span.traceId, TRACE_ID_BYTES, "trace id") ||
          idProblem(span.spanId, SPAN_ID_BYTES, "span id");
        if (problem !== "") {
          rejections.add(problem);
          continue;
        }
        try {
          spans.push(spanRow(span, serviceName, resourceJson, scopeName, scopeVersion));
        } catch (e) {
          throw located(e, `resourceSpans[${r}].scopeSpans[${s}].spans[${i}]`);
        }
      }
    }
  }
  return { spans, rejected: rejections.count, message: rejections.message(total, "spans") };
}

const NO_HASHES: readonly number[] = [];

function spanRow(
  span: Span,
  serviceName: string,
  resourceJson: string,
  scopeName: string,
  scopeVersion: string,
): SpanRow {
  const startUs = nanosToMicros(span.startTimeUnixNano);
  const endUs = nanosToMicros(span.endTimeUnixNano);
  const parent = span.parentSpanId;
  const status = span.status;
  const attributes = span.attributes == null || span.attributes.length === 0
    ? undefined
    : keyValuesToObject(span.attributes);
  return {
    trace_id: bytesToHex(span.traceId),
    span_id: bytesToHex(span.spanId),
    parent_span_id: isValidId(parent, SPAN_ID_BYTES) ? bytesToHex(parent) : "",
    name: cleanText(span.name ?? ""),
    service_name: serviceName,
    kind: KINDS[span.kind ?? 0] ?? "UNSPECIFIED",
    start_us: startUs,
    end_us: endUs,
    duration_us: endUs > startUs ? endUs - startUs : 0,
    status_code: STATUS_CODES[status?.code ?? 0] ?? "UNSET",
    status_message: cleanText(status?.message ?? ""),
    attributes: attributes === undefined ? "{}" : JSON.stringify(attributes),
    resource_attributes: resourceJson,
    events: eventsJson(span.events),
    links: linksJson(span.links),
    scope_name: scopeName,
    scope_version: scopeVersion,
    // The trace summary's attribute filter takes the pairs from here, parsed once.
    [ATTR_HASHES]: attributes === undefined ? NO_HASHES : attributeHashes(attributes),
  };
}

function eventsJson(events: readonly SpanEvent[] | null | undefined): string {
  if (events == null || events.length === 0) return "[]";
  const out = new Array<JsonValue>(events.length);
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const item: { [key: string]: JsonValue } = {
      name: cleanText(e.name ?? ""),
      time_us: nanosToMicros(e.timeUnixNano),
      attributes: keyValuesToObject(e.attributes),
    };
    const dropped = e.droppedAttributesCount ?? 0;
    if (dropped > 0) item.dropped_attributes_count = dropped;
    out[i] = item;
  }
  return JSON.stringify(out);
}

function linksJson(links: readonly SpanLink[] | null | undefined): string {
  if (links == null || links.length === 0) return "[]";
  const out = new Array<JsonValue>(links.length);
  for (let i = 0; i < links.length; i++) {
    const l = links[i];
    out[i] = {
      trace_id: bytesToHex(l.traceId),
      span_id: bytesToHex(l.spanId),
      trace_state: cleanText(l.traceState ?? ""),
      attributes: keyValuesToObject(l.attributes),
    };
  }
  return JSON.stringify(out);
}
