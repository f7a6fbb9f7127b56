/**
 * Assembles Argus in the start order of SPEC §2 — config → database (migrate)
 * → DLQ replay → ingest pipeline → gRPC, OTLP/HTTP, HTTP — and stops in reverse:
 * background loops, the OTLP listeners (in-flight exports finish), the pipeline
 * flushes to the database or the DLQ, WebSockets close with 1001, the HTTP
 * listener stops, then the database closes.
 *
 * @module
 */

import type { Config } from "./config.ts";
import { openDatabase } from "./db/open.ts";
import { instrumentDatabase } from "./db/instrumented.ts";
import { migrate } from "./db/migrate.ts";
import { Store } from "./store/store.ts";
import { Retention, skipInterruptedAnalyses } from "./store/retention.ts";
import { DeadLetterQueue } from "./ingest/dlq.ts";
import { Pipeline } from "./ingest/pipeline.ts";
import { Exporter } from "./ingest/export.ts";
import { AiInsights } from "./ai/insights.ts";
import { createInsightModel } from "./ai/model.ts";
import { otlpHttpHandler } from "./otlp/http.ts";
import { type GrpcListener, startGrpc } from "./otlp/grpc.ts";
import { wireTags } from "./otlp/wire_tags.ts";
import { Router } from "./http/router.ts";
import { registerQueryRoutes } from "./http/api.ts";
import { staticFiles } from "./http/static.ts";
import { adminRoutes } from "./http/admin.ts";
import { liveSnapshot } from "./http/live_snapshot.ts";
import { Live } from "./live/live.ts";
import { Authenticator } from "./http/auth.ts";
import { Gate } from "./http/gate.ts";
import { TenantRateLimiter } from "./ingest/rate_limit.ts";
import { logger, setLogLevel } from "./telemetry/log.ts";
import { Metrics } from "./telemetry/metrics.ts";
import { createHealth, type Health, LatencyWindow, RateWindow } from "./telemetry/health.ts";
import { VERSION } from "./version.ts";

/** A running Argus. */
export interface Argus {
  readonly config: Config;
  readonly store: Store;
  readonly pipeline: Pipeline;
  readonly dlq: DeadLetterQueue;
  readonly exporter: Exporter;
  /** The WebSocket hubs (`live.counts()` gives the open clients per stream). */
  readonly live: Live;
  /** The Prometheus registry behind `/metrics`. */
  readonly metrics: Metrics;
  /** HealthStats for `/api/health` and `/ws/health`. */
  readonly health: Health;
  /** The hourly retention loop (also runs admin purges). */
  readonly retention: Retention;
  /** The AI insight queue and workers; undefined while AI is off. */
  readonly ai: AiInsights | undefined;
  /** The ports the listeners got (they differ from the config when it asked for 0). */
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly otlpHttpPort: number;
  /** Stops listeners, flushes, closes the database. */
  close(): Promise<void>;
}

/** Starts Argus with `config`. */
export async function startArgus(config: Config): Promise<Argus> {
  setLogLevel(config.logLevel);
  const startedAtMs = Date.now();
  const metrics = new Metrics({ version: VERSION });
  const dbLatency = new LatencyWindow();
  // Every database call is timed for argus_db_latency and the health p99.
  const db = instrumentDatabase(
    await openDatabase(config.dbDriver, config.dbDsn),
    (operation, seconds, ok) => {
      metrics.observeDb(operation, seconds, ok);
      dbLatency.add(seconds);
    },
  );
  const applied = await migrate(db);
  logger.info("database ready", { driver: config.dbDriver, migrations_applied: applied.length });
  const store = new Store(db);

  const dlq = new DeadLetterQueue(config.dlqPath);
  await dlq.init();
  const ai = config.ai.enabled
    ? new AiInsights({
      store,
      model: createInsightModel(config.ai),
      workers: config.ai.workers,
      queueSize: config.ai.queueSize,
    })
    : undefined;
  const pipeline = new Pipeline(store, dlq, {
    aiState: ai ? (tenant, l) => ai.initialState(tenant, l) : () => ({ status: "skipped" }),
  });
  const ingestion = new RateWindow();
  pipeline.onStored((_tenant, r) => ingestion.add(r.spans.length + r.logs.length));
  // Attached before the start-up replay, so replayed ERROR logs are analysed too.
  if (ai) {
    ai.attach(pipeline);
    logger.info("AI insights on", { model: ai.description, workers: config.ai.workers });
  }
  // Before the replay: replayed pending logs are this process's to analyse.
  const interrupted = await skipInterruptedAnalyses(db);
  if (interrupted > 0) {
    logger.info("analyses interrupted by the last stop marked skipped", { logs: interrupted });
  }
  const startupReplay = await pipeline.replayDlq();
  if (startupReplay.remaining > 0) {
    logger.warn("dead-letter files remain after start-up replay", { ...startupReplay });
  }
  const replayTimer = setInterval(() => {
    pipeline.replayDlq().catch((err) => logger.error("dead-letter replay failed", { error: err }));
  }, config.dlqReplayIntervalMs);

  const exporter = new Exporter(pipeline, {
    minSeverity: config.ingestMinSeverity,
    allowedServices: config.ingestAllowedServices,
    excludedServices: config.ingestExcludedServices,
  }, new TenantRateLimiter(config.ingestRateLimit, config.ingestRateBurst));
  const auth = new Authenticator(config.authApiKeys, config.sessionTtlMs);
  // Live is created below; the gate reads its client count lazily.
  let wsClients = () => 0;
  const gate = new Gate(auth, { wsMaxClients: config.wsMaxClients, wsClients: () => wsClients() });
  metrics.provide({
    pipeline: () => pipeline.stats,
    exporter: () => exporter.counters,
    dlq: () => dlq.size(),
    dlqQuarantined: () => dlq.quarantinedTotal,
  });

  // The OTLP schema (proto/), read now: a missing or damaged file stops the start instead of
  // failing every export later.
  wireTags();

  let grpc: GrpcListener;
  try {
    grpc = await startGrpc(exporter, {
      host: config.bindAddress,
      port: config.grpcPort,
      maxBytes: config.otlpMaxGrpcBytes,
      tenantOf: (md) => gate.ingestTenantOfMetadata((name) => md.get(name)),
    });
  } catch (err) {
    clearInterval(replayTimer);
    await ai?.close();
    await store.close();
    throw err;
  }
  logger.info("grpc listening", { address: `${config.bindAddress}:${grpc.port}` });

  const otlp = otlpHttpHandler(
    exporter,
    config.otlpMaxHttpBytes,
    gate.ingestTenantOf,
    config.requestTimeoutMs,
  );
  const otlpServer = Deno.serve({
    port: config.otlpHttpPort,
    hostname: config.bindAddress,
    onListen: ({ hostname, port }) => logger.info("otlp_http listening", { address: `${hostname}:${port}` }),
  }, async (req) => {
    const url = new URL(req.url);
    const res = await otlp(req, url) ??
      Response.json({ error: `No route ${url.pathname}; OTLP/HTTP serves /v1/traces and /v1/logs` }, {
        status: 404,
      });
    res.headers.set("X-Content-Type-Options", "nosniff");
    return res;
  });

  const api = new Router();
  gate.routeSessions(api);
  registerQueryRoutes(api, {
    store,
    tenantOf: gate.tenantOf,
    requestInsight: ai ? (tenant, id) => ai.request(tenant, id) : undefined,
    aiOffMessage:
      "AI analysis is off: set AI_ENABLED=true and AZURE_OPENAI_ENDPOINT or AI_BASE_URL (see .env.example)",
  });
  // HealthStats, shared by GET /api/health and /ws/health.
  const health = createHealth({
    version: VERSION,
    driver: config.dbDriver,
    startedAtMs,
    ping: () => db.driver.query("SELECT 1 AS one", []),
    dlqFiles: async () => (await dlq.size()).files,
    ingestion,
    dbLatency,
    activeConnections: () => metrics.activeConnections(),
    aiEnabled: config.ai.enabled,
    ai: ai ? () => ai.stats : undefined,
  });
  const healthBody = () => health.stats();
  api.on("GET", "/api/health", async () => Response.json(await healthBody()));
  const live = new Live({
    allowedOrigins: config.allowedOrigins,
    tenantOf: gate.tenantOf,
    snapshot: (tenant, service, nowMs) => liveSnapshot(store.forTenant(tenant), service, nowMs),
    health: healthBody,
  });
  live.attach(pipeline);
  wsClients = () => live.counts().total;
  ai?.onResult((tenant, logId, insight, status) => live.logs.publishInsight(tenant, logId, insight, status));
  live.route(api);
  metrics.provide({ wsClients: () => live.counts() });
  if (ai) metrics.provide({ ai: () => ai.stats });
  api.on("GET", "/metrics", () => metrics.response());
  const retention = new Retention(db, { days: config.retentionDays });
  metrics.provide({ retention: () => retention.stats });
  adminRoutes(api, { db, retention, pipeline, dlq, tenantOf: gate.tenantOf });
  const ui = staticFiles();

  const server = Deno.serve({
    port: config.httpPort,
    hostname: config.bindAddress,
    onListen: ({ hostname, port }) => logger.info("http listening", { address: `${hostname}:${port}` }),
  }, async (req) => {
    const url = new URL(req.url);
    let res = await otlp(req, url) ?? gate.check(req, url) ?? await api.handle(req, url);
    if (!res && url.pathname.startsWith("/api/")) {
      res = Response.json({ error: `No API route ${url.pathname}` }, { status: 404 });
    }
    res ??= await ui(req, url);
    res.headers.set("X-Content-Type-Options", "nosniff");
    return res;
  });

  retention.start();

  if (!auth.enabled) {
    logger.warn("no AUTH_API_KEYS set: OTLP, API and UI are open to anyone who can reach these ports");
  } else {
    // Counts only: keys never reach a log line.
    logger.info("API keys required", { keys: config.authApiKeys.length });
  }

  return {
    config,
    store,
    pipeline,
    dlq,
    exporter,
    live,
    metrics,
    health,
    retention,
    ai,
    httpPort: server.addr.port,
    grpcPort: grpc.port,
    otlpHttpPort: otlpServer.addr.port,
    async close() {
      clearInterval(replayTimer);
      await retention.stop();
      // Stop accepting on the OTLP ports; in-flight exports finish (grpc waits up to 5 s).
      await Promise.all([grpc.close(), otlpServer.shutdown()]);
      // Flush: everything queued goes to the database or the DLQ. Exports still
      // arriving on HTTP_PORT are refused with 503 (nothing is acknowledged unstored).
      await pipeline.close();
      // Running analyses are aborted; logs still waiting become 'skipped' (analysable on request).
      await ai?.close();
      // WebSockets get 1001 before the HTTP listener stops: its shutdown would cut
      // the sockets without a close frame. Then in-flight API requests finish.
      await live.close();
      await server.shutdown();
      await store.close();
      logger.info("stopped");
    },
  };
}
