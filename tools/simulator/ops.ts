/**
 * The building blocks of the simulated shop: its services, the operation tree
 * a request becomes (one node per span), a seeded random source, and helpers
 * for the calls services make (HTTP between services, database queries).
 * Pure: no I/O, no OpenTelemetry; `emit.ts` turns trees into spans and logs.
 *
 * @module
 */

/** The services of the shop. */
export const SERVICES = [
  "auth",
  "user",
  "order",
  "payment",
  "inventory",
  "shipping",
  "notification",
] as const;
/** One of {@link SERVICES}. */
export type Service = typeof SERVICES[number];

/** Span kinds the scenarios use (the OTel API's names). */
export type Kind = "SERVER" | "CLIENT" | "INTERNAL" | "PRODUCER" | "CONSUMER";

/** A log line written while an operation runs. */
export interface LogLine {
  severity: "INFO" | "WARN" | "ERROR";
  body: string;
  attributes?: Record<string, string | number | boolean>;
}

/** One operation of one service: becomes one span. */
export interface Op {
  service: Service;
  name: string;
  kind: Kind;
  attributes: Record<string, string | number | boolean>;
  /** Start relative to the request's start, and duration, in milliseconds (set by {@link layout}). */
  startMs: number;
  durationMs: number;
  /** Time spent in the operation itself, before and between its children. */
  selfMs: number;
  error?: { type: string; message: string };
  logs: LogLine[];
  /** Calls made by this operation, one after the other. */
  children: Op[];
}

/** A random source in [0, 1). */
export type Random = () => number;

/** A seeded random source (mulberry32), so a run can be repeated. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Per-request random helpers. */
export class Dice {
  constructor(readonly random: Random) {}
  /** Log-normal around `median` ms, with an occasional slow outlier. */
  latency(median: number): number {
    const u = Math.max(1e-9, this.random()), v = this.random();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    const slow = this.random() < 0.01 ? 8 : 1;
    return Math.max(0.05, median * Math.exp(0.45 * normal) * slow);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }
  id(prefix: string): string {
    return `${prefix}_${Math.floor(this.random() * 2 ** 40).toString(36)}`;
  }
}

export const op = (
  service: Service,
  name: string,
  kind: Kind,
  attributes: Op["attributes"],
  selfMs: number,
  children: Op[] = [],
  logs: LogLine[] = [],
): Op => ({ service, name, kind, attributes, selfMs, startMs: 0, durationMs: 0, logs, children });

const PORT: Record<Service, number> = {
  auth: 8081,
  user: 8082,
  order: 8083,
  payment: 8084,
  inventory: 8085,
  shipping: 8086,
  notification: 8087,
};

/**
 * An HTTP call from `from` to `to`: a CLIENT span in the caller whose child is
 * the callee's SERVER span (linked by `traceparent` when emitted).
 */
export function http(
  d: Dice,
  from: Service,
  to: Service,
  method: string,
  route: string,
  path: string,
  status: number,
  handler: Op[],
  logs: LogLine[] = [],
): Op {
  const server = op(
    to,
    `${method} ${route}`,
    "SERVER",
    {
      "http.method": method,
      "http.route": route,
      "http.target": path,
      "http.scheme": "http",
      "http.status_code": status,
      "net.host.name": `${to}.shop.svc`,
      "net.host.port": PORT[to],
      "http.user_agent": `${from}-service/1.8 (undici)`,
    },
    d.latency(1.5),
    handler,
    logs,
  );
  const client = op(
    from,
    `${method} ${route}`,
    "CLIENT",
    {
      "http.method": method,
      "http.url": `http://${to}.shop.svc:${PORT[to]}${path}`,
      "http.status_code": status,
      "net.peer.name": `${to}.shop.svc`,
      "net.peer.port": PORT[to],
      "peer.service": to,
    },
    d.latency(0.6),
    [server],
  );
  if (status >= 500 || (status >= 400 && status !== 404)) {
    const err = { type: "HttpError", message: `${method} ${path} answered ${status}` };
    server.error ??= { type: "HttpError", message: `${status} ${reason(status)}` };
    client.error = err;
  }
  return client;
}

function reason(status: number): string {
  return ({
    401: "Unauthorized",
    402: "Payment Required",
    409: "Conflict",
    503: "Service Unavailable",
  } as Record<
    number,
    string
  >)[status] ?? "Error";
}

/** A database query: a CLIENT span with the `db.*` attributes. */
export function db(
  d: Dice,
  service: Service,
  system: "postgresql" | "redis",
  operation: string,
  table: string,
  statement: string,
  medianMs: number,
): Op {
  const q = op(service, system === "redis" ? `${operation}` : `${operation} ${table}`, "CLIENT", {
    "db.system": system,
    "db.name": system === "redis" ? "0" : `${service}_db`,
    "db.operation": operation,
    "db.statement": statement,
    "net.peer.name": system === "redis" ? "redis.shop.svc" : "postgres.shop.svc",
    "net.peer.port": system === "redis" ? 6379 : 5432,
    ...(system === "postgresql" ? { "db.sql.table": table, "db.user": `${service}_app` } : {}),
  }, d.latency(medianMs));
  if (q.selfMs > medianMs * 6) {
    q.logs.push({
      severity: "WARN",
      body: `slow query on ${table}: ${q.selfMs.toFixed(0)} ms`,
      attributes: { "db.statement": statement },
    });
  }
  return q;
}

/** The auth check every request starts with (Redis session lookup). */
export function verify(d: Dice, from: Service, user: string, fail: boolean): Op {
  return http(d, from, "auth", "POST", "/auth/verify", "/auth/verify", fail ? 401 : 200, [
    db(d, "auth", "redis", "GET", "sessions", `GET session:${user}`, 0.4),
  ], [
    fail
      ? {
        severity: "WARN",
        body: `rejected token for ${user}: signature expired`,
        attributes: { "enduser.id": user },
      }
      : { severity: "INFO", body: `token verified for ${user}`, attributes: { "enduser.id": user } },
  ]);
}

/**
 * Assigns start and duration: an operation works for part of its own time,
 * then calls its children one after the other, then finishes its own work. A
 * message is consumed after its producer returns, so a PRODUCER's children
 * start later and do not lengthen it.
 */
export function layout(node: Op, startMs: number): number {
  node.startMs = startMs;
  if (node.kind === "PRODUCER") {
    node.durationMs = node.selfMs;
    let t = startMs + node.selfMs;
    for (const child of node.children) t = layout(child, t + 2);
    return startMs + node.durationMs;
  }
  let t = startMs + node.selfMs * 0.6;
  for (const child of node.children) t = layout(child, t + (node.kind === "CLIENT" ? 0.3 : 0.1));
  node.durationMs = t - startMs + node.selfMs * 0.4;
  return startMs + node.durationMs;
}

/** Every operation of a tree, parents before children. */
export function* walk(node: Op): Generator<Op> {
  yield node;
  for (const c of node.children) yield* walk(c);
}
