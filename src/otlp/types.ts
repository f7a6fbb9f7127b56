/**
 * The decoded form of OTLP export requests that both decoders produce and the mappers
 * read. Names are the lowerCamel names of the proto fields (the names protobufjs gives
 * them too, so its message objects fit, as the tests that compare the two decoders use).
 * Every field may be missing or null: the mappers apply the proto3 defaults.
 *
 * @module
 */

import type { Int64 } from "./int64.ts";

/**
 * opentelemetry.proto.common.v1.AnyValue. The member that is set is an *own* property
 * (an explicit "" or 0 included) and the only one the protobuf decoder sets; protobufjs
 * keeps the defaults of the other members on the prototype. Readers test own properties
 * (`Object.hasOwn`), never truthiness.
 */
export interface AnyValue {
  stringValue?: string | null;
  boolValue?: boolean | null;
  intValue?: Int64 | null;
  doubleValue?: number | null;
  arrayValue?: ArrayValue | null;
  kvlistValue?: KeyValueList | null;
  bytesValue?: Uint8Array | null;
}

/** opentelemetry.proto.common.v1.ArrayValue */
export interface ArrayValue {
  values?: AnyValue[] | null;
}

/** opentelemetry.proto.common.v1.KeyValueList */
export interface KeyValueList {
  values?: KeyValue[] | null;
}

/** opentelemetry.proto.common.v1.KeyValue */
export interface KeyValue {
  key?: string | null;
  value?: AnyValue | null;
}

/** opentelemetry.proto.common.v1.InstrumentationScope */
export interface InstrumentationScope {
  name?: string | null;
  version?: string | null;
  attributes?: KeyValue[] | null;
  droppedAttributesCount?: number | null;
}

/** opentelemetry.proto.resource.v1.Resource (entity_refs are not used by Argus). */
export interface Resource {
  attributes?: KeyValue[] | null;
  droppedAttributesCount?: number | null;
}

/** opentelemetry.proto.trace.v1.Span.Event */
export interface SpanEvent {
  timeUnixNano?: Int64 | null;
  name?: string | null;
  attributes?: KeyValue[] | null;
  droppedAttributesCount?: number | null;
}

/** opentelemetry.proto.trace.v1.Span.Link */
export interface SpanLink {
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  traceState?: string | null;
  attributes?: KeyValue[] | null;
  droppedAttributesCount?: number | null;
  flags?: number | null;
}

/** opentelemetry.proto.trace.v1.Status */
export interface SpanStatus {
  message?: string | null;
  code?: number | null;
}

/** opentelemetry.proto.trace.v1.Span */
export interface Span {
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  traceState?: string | null;
  parentSpanId?: Uint8Array | null;
  flags?: number | null;
  name?: string | null;
  kind?: number | null;
  startTimeUnixNano?: Int64 | null;
  endTimeUnixNano?: Int64 | null;
  attributes?: KeyValue[] | null;
  droppedAttributesCount?: number | null;
  events?: SpanEvent[] | null;
  droppedEventsCount?: number | null;
  links?: SpanLink[] | null;
  droppedLinksCount?: number | null;
  status?: SpanStatus | null;
}

/** opentelemetry.proto.trace.v1.ScopeSpans */
export interface ScopeSpans {
  scope?: InstrumentationScope | null;
  spans?: Span[] | null;
  schemaUrl?: string | null;
}

/** opentelemetry.proto.trace.v1.ResourceSpans */
export interface ResourceSpans {
  resource?: Resource | null;
  scopeSpans?: ScopeSpans[] | null;
  schemaUrl?: string | null;
}

/** opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest */
export interface ExportTraceServiceRequest {
  resourceSpans?: ResourceSpans[] | null;
}

/** opentelemetry.proto.logs.v1.LogRecord */
export interface LogRecord {
  timeUnixNano?: Int64 | null;
  observedTimeUnixNano?: Int64 | null;
  severityNumber?: number | null;
  severityText?: string | null;
  body?: AnyValue | null;
  attributes?: KeyValue[] | null;
  droppedAttributesCount?: number | null;
  flags?: number | null;
  traceId?: Uint8Array | null;
  spanId?: Uint8Array | null;
  eventName?: string | null;
}

/** opentelemetry.proto.logs.v1.ScopeLogs */
export interface ScopeLogs {
  scope?: InstrumentationScope | null;
  logRecords?: LogRecord[] | null;
  schemaUrl?: string | null;
}

/** opentelemetry.proto.logs.v1.ResourceLogs */
export interface ResourceLogs {
  resource?: Resource | null;
  scopeLogs?: ScopeLogs[] | null;
  schemaUrl?: string | null;
}

/** opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest */
export interface ExportLogsServiceRequest {
  resourceLogs?: ResourceLogs[] | null;
}
