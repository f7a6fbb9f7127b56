/**
 * W3C Trace Context (`traceparent`) propagation for the simulator: what a
 * service's HTTP client or message producer puts in the headers, and what the
 * receiving service reads back, so a child span in another service has the
 * caller's span as its parent exactly as across real processes.
 *
 * @module
 */

import {
  type Context,
  isSpanContextValid,
  type TextMapPropagator,
  trace,
  TraceFlags,
} from "@opentelemetry/api";

const HEADER = "traceparent";
const PATTERN = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The `traceparent` propagator (version 00; `tracestate` is not used by the simulator). */
export const traceparentPropagator: TextMapPropagator = {
  inject(context, carrier, setter) {
    const sc = trace.getSpanContext(context);
    if (!sc || !isSpanContextValid(sc)) return;
    const flags = (sc.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, "0");
    setter.set(carrier, HEADER, `00-${sc.traceId}-${sc.spanId}-${flags}`);
  },
  extract(context: Context, carrier, getter) {
    const raw = getter.get(carrier, HEADER);
    const value = Array.isArray(raw) ? raw[0] : raw;
    const m = value ? PATTERN.exec(value.trim()) : null;
    if (!m) return context;
    const sc = { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16), isRemote: true };
    return isSpanContextValid(sc) ? trace.setSpanContext(context, sc) : context;
  },
  fields: () => [HEADER],
};
