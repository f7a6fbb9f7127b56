/**
 * Pure mapping of a decoded `ExportLogsServiceRequest` to log rows (SPEC §4, §5).
 *
 * @module
 */

import type { LogRow, Severity } from "../store/rows.ts";
import { anyValueToText, attributesJson, stringAttribute } from "./any_value.ts";
import { located } from "./errors.ts";
import { bytesToHex, isValidId, SPAN_ID_BYTES, TRACE_ID_BYTES } from "./ids.ts";
import { nanosToMicros } from "./int64.ts";
import { UNKNOWN_SERVICE } from "./map_traces.ts";
import { cleanText } from "./text.ts";
import type { ExportLogsServiceRequest, LogRecord } from "./types.ts";

/** What `mapLogs` produced. */
export interface LogsMapResult {
  /** Rows of the accepted log records, in request order. */
  logs: LogRow[];
  /** Number of records rejected (→ `partial_success.rejected_log_records`); no rule rejects one today. */
  rejected: number;
  /** English explanation of the rejections, '' when there are none. */
  message: string;
}

/** Stored severity when the number is 0 (or out of range) and the record has no text. */
export const UNSPECIFIED_SEVERITY = "UNSPECIFIED";

/**
 * Longest severity text kept when the record's own text is used: the column is short
 * and indexed on some databases, and real level names are far shorter.
 */
export const MAX_SEVERITY_TEXT = 32;

const LEVELS: readonly Severity[] = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];

/**
 * The stored severity: the level of the OTLP number ranges 1-4 TRACE … 21-24 FATAL;
 * for 0 (or a number outside 1-24) the record's own text, trimmed and cut to
 * `MAX_SEVERITY_TEXT` characters but not upper-cased (it is the source's own word), or
 * "UNSPECIFIED" when there is none.
 */
export function severityOf(severityNumber: number, severityText: string): Severity {
  if (severityNumber >= 1 && severityNumber <= 24) return LEVELS[(severityNumber - 1) >> 2];
  const text = cleanText(severityText).trim();
  if (text === "") return UNSPECIFIED_SEVERITY;
  return text.length > MAX_SEVERITY_TEXT ? text.slice(0, MAX_SEVERITY_TEXT).toWellFormed() : text;
}

/**
 * Maps every log record of the request to a row. A record whose trace id is not a valid
 * 16-byte id is stored without trace context (trace_id and span_id ''); a valid trace id
 * with an invalid span id keeps the trace id. The timestamp is `time_unix_nano`, else
 * `observed_time_unix_nano`, else `nowUs`. Severity numbers outside 0-24 are stored as 0.
 *
 * @param nowUs the receive time in microseconds, for records that carry no time at all.
 * @throws OtlpDecodeError when a body or attribute is nested deeper than `MAX_ANY_VALUE_DEPTH`.
 */
export function mapLogs(req: ExportLogsServiceRequest, nowUs: number = Date.now() * 1000): LogsMapResult {
  const logs: LogRow[] = [];
  const resourceLogs = req.resourceLogs ?? [];
  for (let r = 0; r < resourceLogs.length; r++) {
    const rl = resourceLogs[r];
    const resourceAttrs = rl.resource?.attributes;
    let resourceJson: string;
    try {
      resourceJson = attributesJson(resourceAttrs);
    } catch (e) {
      throw located(e, `resourceLogs[${r}].resource`);
    }
    const serviceName = stringAttribute(resourceAttrs, "service.name") || UNKNOWN_SERVICE;
    const scopeLogs = rl.scopeLogs ?? [];
    for (let s = 0; s < scopeLogs.length; s++) {
      const sl = scopeLogs[s];
      const scopeName = cleanText(sl.scope?.name ?? "");
      const list = sl.logRecords ?? [];
      for (let i = 0; i < list.length; i++) {
        try {
          logs.push(logRow(list[i], serviceName, resourceJson, scopeName, nowUs));
        } catch (e) {
          throw located(e, `resourceLogs[${r}].scopeLogs[${s}].logRecords[${i}]`);
        }
      }
    }
  }
  return { logs, rejected: 0, message: "" };
}

function logRow(
  rec: LogRecord,
  serviceName: string,
  resourceJson: string,
  scopeName: string,
  nowUs: number,
): LogRow {
  const hasTrace = isValidId(rec.traceId, TRACE_ID_BYTES);
  const rawNumber = rec.severityNumber ?? 0;
  const severityNumber = rawNumber >= 0 && rawNumber <= 24 ? rawNumber : 0;
  return {
    timestamp_us: nanosToMicros(rec.timeUnixNano) || nanosToMicros(rec.observedTimeUnixNano) || nowUs,
    trace_id: hasTrace ? bytesToHex(rec.traceId) : "",
    span_id: hasTrace && isValidId(rec.spanId, SPAN_ID_BYTES) ? bytesToHex(rec.spanId) : "",
    severity_number: severityNumber,
    severity: severityOf(severityNumber, rec.severityText ?? ""),
    body: anyValueToText(rec.body),
    service_name: serviceName,
    attributes: attributesJson(rec.attributes),
    resource_attributes: resourceJson,
    scope_name: scopeName,
  };
}
