/**
 * The one transport-neutral export path that the gRPC and HTTP adapters call:
 * decode → map → filter → submit, answering with an honest partial success
 * (only spans and logs rejected for being invalid count as rejected; filtered
 * ones count as accepted, SPEC §5).
 *
 * @module
 */

import { decodeLogsRequestProtobuf, decodeTraceRequestProtobuf } from "../otlp/decode_protobuf.ts";
import { decodeLogsRequestJson, decodeTraceRequestJson } from "../otlp/decode_json.ts";
import { mapTraces } from "../otlp/map_traces.ts";
import { mapLogs } from "../otlp/map_logs.ts";
import { filterLogs, filterSpans, type IngestFilter } from "./filters.ts";
import type { Pipeline } from "./pipeline.ts";
import type { TenantRateLimiter } from "./rate_limit.ts";

/** The wire format of a request body. */
export type WireFormat = "protobuf" | "json";

/** What the client is told: how many items were rejected and why ('' when none). */
export interface ExportOutcome {
  rejected: number;
  message: string;
}

/** Counters per signal, read by /metrics. */
export interface ExportCounters {
  accepted: { spans: number; logs: number };
  rejectedInvalid: { spans: number; logs: number };
  filteredService: { spans: number; logs: number };
  filteredSeverity: { logs: number };
  requests: { traces: number; logs: number };
}

/** Decodes, maps, filters and queues OTLP exports. */
export class Exporter {
  readonly #pipeline: Pipeline;
  readonly #filter: IngestFilter;
  readonly #limiter?: TenantRateLimiter;
  readonly counters: ExportCounters = {
    accepted: { spans: 0, logs: 0 },
    rejectedInvalid: { spans: 0, logs: 0 },
    filteredService: { spans: 0, logs: 0 },
    filteredSeverity: { logs: 0 },
    requests: { traces: 0, logs: 0 },
  };

  constructor(pipeline: Pipeline, filter: IngestFilter, limiter?: TenantRateLimiter) {
    this.#pipeline = pipeline;
    this.#filter = filter;
    this.#limiter = limiter;
  }

  /** Exports a trace request body. Throws the decode, size, overload and storage errors. */
  async traces(tenant: string, format: WireFormat, body: Uint8Array): Promise<ExportOutcome> {
    this.counters.requests.traces++;
    const req = format === "protobuf" ? decodeTraceRequestProtobuf(body) : decodeTraceRequestJson(body);
    const mapped = mapTraces(req);
    // What the client sent counts against its rate, filtered or not: decoding it was the cost.
    this.#limiter?.take(tenant, mapped.spans.length);
    const filtered = filterSpans(mapped.spans, this.#filter);
    await this.#pipeline.submit(tenant, filtered.kept, []);
    this.counters.accepted.spans += mapped.spans.length;
    this.counters.rejectedInvalid.spans += mapped.rejected;
    this.counters.filteredService.spans += filtered.droppedService;
    return { rejected: mapped.rejected, message: mapped.message };
  }

  /** Exports a logs request body. */
  async logs(tenant: string, format: WireFormat, body: Uint8Array): Promise<ExportOutcome> {
    this.counters.requests.logs++;
    const req = format === "protobuf" ? decodeLogsRequestProtobuf(body) : decodeLogsRequestJson(body);
    const mapped = mapLogs(req);
    this.#limiter?.take(tenant, mapped.logs.length);
    const filtered = filterLogs(mapped.logs, this.#filter);
    await this.#pipeline.submit(tenant, [], filtered.kept);
    this.counters.accepted.logs += mapped.logs.length;
    this.counters.rejectedInvalid.logs += mapped.rejected;
    this.counters.filteredService.logs += filtered.droppedService;
    this.counters.filteredSeverity.logs += filtered.droppedSeverity;
    return { rejected: mapped.rejected, message: mapped.message };
  }
}
