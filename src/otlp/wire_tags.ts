/**
 * The tags (field number << 3 | wire type) the OTLP decoder of `wire.ts` compares with, read
 * from the `.proto` files in `proto/` through protobufjs's reflection: the schema stays the one
 * source of field numbers.
 *
 * @module
 */

import protobuf from "protobufjs";
import { otlpProto } from "./proto.ts";
/** The wire type protobuf gives a field of this type (OTLP has no packed repeated scalars). */
function wireType(field: protobuf.Field): number {
  if (field.resolvedType instanceof protobuf.Type) return 2;
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  switch (field.type) {
    case "string":
    case "bytes":
      return 2;
    case "fixed64":
    case "sfixed64":
    case "double":
      return 1;
    case "fixed32":
    case "sfixed32":
    case "float":
      return 5;
    default:
      return 0;
  }
}

/** The tags of `names` in message `type`; throws if the schema lacks one (a packaging fault). */
function tagsOf<const N extends string>(type: string, names: readonly N[]): Record<N, number> {
  const message = otlpProto().root.lookupType(type);
  const out = {} as Record<N, number>;
  for (const name of names) {
    const field = message.fields[name];
    if (!field) throw new Error(`The OTLP schema has no field ${type}.${name}`);
    out[name] = (field.id << 3) | wireType(field);
  }
  return out;
}

const C = "opentelemetry.proto.common.v1.";
const T = "opentelemetry.proto.trace.v1.";
const L = "opentelemetry.proto.logs.v1.";

function schemaTags() {
  return {
    anyValue: tagsOf(`${C}AnyValue`, [
      "stringValue",
      "boolValue",
      "intValue",
      "doubleValue",
      "arrayValue",
      "kvlistValue",
      "bytesValue",
    ]),
    list: tagsOf(`${C}ArrayValue`, ["values"]).values,
    kvList: tagsOf(`${C}KeyValueList`, ["values"]).values,
    keyValue: tagsOf(`${C}KeyValue`, ["key", "value"]),
    scope: tagsOf(`${C}InstrumentationScope`, ["name", "version", "attributes", "droppedAttributesCount"]),
    resource: tagsOf("opentelemetry.proto.resource.v1.Resource", ["attributes", "droppedAttributesCount"]),
    resourceSpans: tagsOf(`${T}ResourceSpans`, ["resource", "scopeSpans", "schemaUrl"]),
    scopeSpans: tagsOf(`${T}ScopeSpans`, ["scope", "spans", "schemaUrl"]),
    span: tagsOf(`${T}Span`, [
      "traceId",
      "spanId",
      "traceState",
      "parentSpanId",
      "flags",
      "name",
      "kind",
      "startTimeUnixNano",
      "endTimeUnixNano",
      "attributes",
      "droppedAttributesCount",
      "events",
      "droppedEventsCount",
      "links",
      "droppedLinksCount",
      "status",
    ]),
    event: tagsOf(`${T}Span.Event`, ["timeUnixNano", "name", "attributes", "droppedAttributesCount"]),
    link: tagsOf(`${T}Span.Link`, [
      "traceId",
      "spanId",
      "traceState",
      "attributes",
      "droppedAttributesCount",
      "flags",
    ]),
    status: tagsOf(`${T}Status`, ["message", "code"]),
    resourceLogs: tagsOf(`${L}ResourceLogs`, ["resource", "scopeLogs", "schemaUrl"]),
    scopeLogs: tagsOf(`${L}ScopeLogs`, ["scope", "logRecords", "schemaUrl"]),
    logRecord: tagsOf(`${L}LogRecord`, [
      "timeUnixNano",
      "observedTimeUnixNano",
      "severityNumber",
      "severityText",
      "body",
      "attributes",
      "droppedAttributesCount",
      "flags",
      "traceId",
      "spanId",
      "eventName",
    ]),
    traceRequest:
      tagsOf("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest", ["resourceSpans"])
        .resourceSpans,
    logsRequest: tagsOf("opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest", ["resourceLogs"])
      .resourceLogs,
  };
}

/** The tags the decoders of `wire.ts` compare with. */
export type WireTags = ReturnType<typeof schemaTags>;

let cached: WireTags | undefined;

/** The tags, read from the schema on first use. */
export function wireTags(): WireTags {
  return cached ??= schemaTags();
}
