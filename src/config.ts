/**
 * Configuration: environment variables override a `.env` file in the working
 * directory, which overrides the defaults (SPEC §3). One function resolves it
 * all and returns a frozen, typed object; a bad value throws a `ConfigError`
 * whose message is the single line start-up prints.
 *
 * @module
 */

/** Database drivers Argus speaks. */
export type DbDriver = "sqlite" | "postgres" | "mysql" | "sqlserver";
/** Log levels accepted by `LOG_LEVEL`. */
export type LogLevel = "DEBUG" | "INFO" | "WARN" | "ERROR";
/** Roles an API key can carry. */
export type Role = "ingest" | "read" | "admin";

/** One entry of `AUTH_API_KEYS`. */
export interface ApiKey {
  readonly key: string;
  readonly tenant: string;
  readonly role: Role;
}

/** The resolved configuration. */
export interface Config {
  readonly appEnv: "development" | "production";
  readonly logLevel: LogLevel;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly otlpHttpPort: number;
  readonly bindAddress: string;
  readonly dbDriver: DbDriver;
  readonly dbDsn: string;
  readonly dlqPath: string;
  readonly dlqReplayIntervalMs: number;
  readonly ingestMinSeverity: number;
  readonly ingestAllowedServices: readonly string[];
  readonly ingestExcludedServices: readonly string[];
  readonly retentionDays: number;
  readonly ai: {
    readonly enabled: boolean;
    readonly azureEndpoint: string;
    readonly azureKey: string;
    readonly azureModel: string;
    readonly azureDeployment: string;
    readonly azureApiVersion: string;
    readonly baseUrl: string;
    readonly apiKey: string;
    readonly model: string;
    readonly workers: number;
    readonly queueSize: number;
    readonly timeoutMs: number;
  };
  readonly authApiKeys: readonly ApiKey[];
  readonly allowedOrigins: readonly string[];
  readonly otlpMaxGrpcBytes: number;
  readonly otlpMaxHttpBytes: number;
  /** Items (spans + logs) per second each tenant may ingest; 0 = unlimited. */
  readonly ingestRateLimit: number;
  /** Items a tenant may send at once above its rate. */
  readonly ingestRateBurst: number;
  /** Most WebSocket clients at once, over all streams. */
  readonly wsMaxClients: number;
  /** Lifetime of a UI session cookie. */
  readonly sessionTtlMs: number;
  /** Time allowed to receive a request body. */
  readonly requestTimeoutMs: number;
}

/** A configuration value that cannot be used; the message names variable, value and what is accepted. */
export class ConfigError extends Error {
  /** Machine-readable code. */
  readonly code = "invalid_config";
  /** The offending variable. */
  readonly variable: string;
  constructor(variable: string, value: string, accepted: string) {
    super(`Invalid ${variable}=${JSON.stringify(value)}: expected ${accepted}`);
    this.name = "ConfigError";
    this.variable = variable;
  }
}

/** Severity names and the lowest OTLP severity number of each range. */
export const SEVERITY_FLOOR: Readonly<Record<string, number>> = Object.freeze({
  TRACE: 1,
  DEBUG: 5,
  INFO: 9,
  WARN: 13,
  ERROR: 17,
  FATAL: 21,
});

const MIB = 1024 * 1024;
const TENANT_RE = /^[A-Za-z0-9._-]{1,150}$/;

/**
 * Parses the text of a `.env` file: `KEY=value` lines, `#` comments, optional
 * `export ` prefix, single or double quotes around the value.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2];
    const quoted = /^(["'])(.*?)\1(\s+#.*)?$/.exec(value);
    if (quoted) value = quoted[2];
    else value = value.replace(/\s+#.*$/, "");
    out[m[1]] = value;
  }
  return out;
}

/**
 * Parses a Go-style duration (`500ms`, `30s`, `5m`, `1h30m`) into milliseconds.
 * Returns `undefined` when the text is not one.
 */
export function parseDuration(text: string): number | undefined {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(m[1]) * units[m[2]];
  return Math.round(total);
}

/** Reads `.env` from `dir` if it exists; a missing file is an empty one. */
export function readDotEnv(dir = "."): Record<string, string> {
  try {
    return parseDotEnv(Deno.readTextFileSync(`${dir}/.env`));
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return {};
    // Without read permission on .env the file is treated as absent: the compiled
    // binary is granted it, other embedders may not be.
    if (err instanceof Deno.errors.NotCapable || err instanceof Deno.errors.PermissionDenied) return {};
    throw err;
  }
}

/**
 * Resolves the configuration from `env` (usually `Deno.env.toObject()`) over
 * `dotenv` (the parsed `.env`) over the defaults.
 *
 * @throws {ConfigError} naming the first invalid variable.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  dotenv: Record<string, string> = {},
): Config {
  const get = (name: string, fallback: string): string => {
    const v = env[name] ?? dotenv[name];
    return v === undefined ? fallback : v.trim();
  };
  const oneOf = <T extends string>(name: string, fallback: T, accepted: readonly T[], upper = false): T => {
    const raw = get(name, fallback);
    const v = (upper ? raw.toUpperCase() : raw.toLowerCase()) as T;
    if (!accepted.includes(v)) throw new ConfigError(name, raw, `one of ${accepted.join(", ")}`);
    return v;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = get(name, "") || String(fallback);
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new ConfigError(name, raw, `an integer from ${min} to ${max}`);
    }
    return n;
  };
  const port = (name: string, fallback: number) => int(name, fallback, 0, 65535);
  const duration = (name: string, fallback: string, minMs: number): number => {
    const raw = get(name, "") || fallback;
    const ms = parseDuration(raw);
    if (ms === undefined || ms < minMs) {
      throw new ConfigError(name, raw, `a duration such as 30s, 5m or 1h of at least ${minMs} ms`);
    }
    return ms;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = get(name, String(fallback)).toLowerCase();
    if (["true", "1", "yes", "on"].includes(raw)) return true;
    if (["false", "0", "no", "off", ""].includes(raw)) return false;
    throw new ConfigError(name, raw, "true or false");
  };
  const list = (name: string): string[] =>
    get(name, "").split(",").map((s) => s.trim()).filter((s) => s !== "");
  const bytes = (name: string, fallback: number): number => {
    const raw = get(name, "");
    if (raw === "") return fallback;
    const m = /^(\d+)\s*(b|kib|kb|mib|mb|gib|gb)?$/i.exec(raw);
    const unit: Record<string, number> = {
      b: 1,
      kb: 1000,
      kib: 1024,
      mb: 1e6,
      mib: MIB,
      gb: 1e9,
      gib: 1024 * MIB,
    };
    const n = m ? Number(m[1]) * unit[(m[2] ?? "b").toLowerCase()] : NaN;
    if (!Number.isSafeInteger(n) || n < 1024 || n > 1024 * MIB) {
      throw new ConfigError(name, raw, "a size from 1 KiB to 1 GiB such as 4194304, 4MiB or 512KiB");
    }
    return n;
  };

  const minSeverityName = oneOf(
    "INGEST_MIN_SEVERITY",
    "INFO",
    ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"],
    true,
  );

  const authApiKeys = list("AUTH_API_KEYS").map((entry): ApiKey => {
    const parts = entry.split(":");
    const accepted = "a comma list of key:tenant:role with role ingest, read or admin";
    // Never echo a key back: the message shows only the entry's position.
    const masked = `<entry ${list("AUTH_API_KEYS").indexOf(entry) + 1}>`;
    if (parts.length !== 3) throw new ConfigError("AUTH_API_KEYS", masked, accepted);
    const [key, tenant, role] = parts.map((p) => p.trim());
    if (key.length < 8) throw new ConfigError("AUTH_API_KEYS", masked, `${accepted}; keys of 8+ characters`);
    if (!TENANT_RE.test(tenant) || tenant === "." || tenant === "..") {
      throw new ConfigError("AUTH_API_KEYS", masked, `${accepted}; tenant of [A-Za-z0-9._-], 1-150 bytes`);
    }
    if (role !== "ingest" && role !== "read" && role !== "admin") {
      throw new ConfigError("AUTH_API_KEYS", masked, accepted);
    }
    return Object.freeze({ key, tenant, role });
  });

  const origins = list("ALLOWED_ORIGINS");
  for (const o of origins) {
    let ok = false;
    try {
      const u = new URL(o);
      ok = (u.protocol === "http:" || u.protocol === "https:") && u.origin === o.replace(/\/$/, "");
    } catch { /* not a URL */ }
    if (!ok) {
      throw new ConfigError("ALLOWED_ORIGINS", o, "a comma list of origins such as https://ops.example");
    }
  }

  const dbDriver = oneOf("DB_DRIVER", "sqlite", ["sqlite", "postgres", "mysql", "sqlserver"]);
  const dbDsn = get("DB_DSN", dbDriver === "sqlite" ? "data/argus.db" : "");
  if (dbDsn === "") {
    throw new ConfigError("DB_DSN", dbDsn, `a connection string for ${dbDriver} (see README)`);
  }

  const config: { -readonly [K in keyof Config]: Config[K] } = {
    appEnv: oneOf("APP_ENV", "development", ["development", "production"]),
    logLevel: oneOf("LOG_LEVEL", "INFO", ["DEBUG", "INFO", "WARN", "ERROR"], true),
    httpPort: port("HTTP_PORT", 8080),
    grpcPort: port("GRPC_PORT", 4317),
    otlpHttpPort: port("OTLP_HTTP_PORT", 4318),
    bindAddress: get("BIND_ADDRESS", "0.0.0.0"),
    dbDriver,
    dbDsn,
    dlqPath: get("DLQ_PATH", "data/dlq"),
    dlqReplayIntervalMs: duration("DLQ_REPLAY_INTERVAL", "5m", 1000),
    ingestMinSeverity: SEVERITY_FLOOR[minSeverityName],
    ingestAllowedServices: Object.freeze(list("INGEST_ALLOWED_SERVICES")),
    ingestExcludedServices: Object.freeze(list("INGEST_EXCLUDED_SERVICES")),
    retentionDays: int("RETENTION_DAYS", 7, 0, 36500),
    ai: Object.freeze({
      enabled: bool("AI_ENABLED", false),
      azureEndpoint: get("AZURE_OPENAI_ENDPOINT", ""),
      azureKey: get("AZURE_OPENAI_KEY", ""),
      azureModel: get("AZURE_OPENAI_MODEL", ""),
      azureDeployment: get("AZURE_OPENAI_DEPLOYMENT", ""),
      azureApiVersion: get("AZURE_OPENAI_API_VERSION", "2024-10-21"),
      baseUrl: get("AI_BASE_URL", ""),
      apiKey: get("AI_API_KEY", ""),
      model: get("AI_MODEL", ""),
      workers: int("AI_WORKERS", 3, 1, 64),
      queueSize: int("AI_QUEUE_SIZE", 100, 1, 100_000),
      timeoutMs: duration("AI_TIMEOUT", "30s", 100),
    }),
    authApiKeys: Object.freeze(authApiKeys),
    allowedOrigins: Object.freeze(origins.map((o) => o.replace(/\/$/, ""))),
    otlpMaxGrpcBytes: bytes("OTLP_MAX_MESSAGE_BYTES", 4 * MIB),
    otlpMaxHttpBytes: bytes("OTLP_MAX_MESSAGE_BYTES", 20 * MIB),
    ingestRateLimit: int("INGEST_RATE_LIMIT", 0, 0, 100_000_000),
    ingestRateBurst: 0,
    wsMaxClients: int("WS_MAX_CLIENTS", 500, 1, 100_000),
    sessionTtlMs: duration("SESSION_TTL", "12h", 60_000),
    requestTimeoutMs: duration("REQUEST_TIMEOUT", "30s", 1000),
  };
  // Burst defaults to two seconds' worth, so a batching exporter is not refused on its first flush.
  config.ingestRateBurst = int("INGEST_RATE_BURST", config.ingestRateLimit * 2, 0, 1_000_000_000);
  if (!/^[0-9A-Za-z.:-]+$/.test(config.bindAddress)) {
    throw new ConfigError("BIND_ADDRESS", config.bindAddress, "an IPv4 or IPv6 address or a host name");
  }
  checkAiModel(config.ai, get("AI_ENABLED", ""));
  return Object.freeze(config);
}

/**
 * With AI on, a model must be reachable as configured: the Azure endpoint with
 * its key and deployment, or an OpenAI-compatible base URL with a model name.
 * Checked here so that start-up stops with one line, like any other bad value.
 */
function checkAiModel(ai: Config["ai"], enabledRaw: string): void {
  if (!ai.enabled) return;
  const isHttpUrl = (v: string) => {
    try {
      const u = new URL(v);
      return (u.protocol === "http:" || u.protocol === "https:") && u.hostname !== "";
    } catch {
      return false;
    }
  };
  if (ai.azureEndpoint !== "") {
    if (!isHttpUrl(ai.azureEndpoint)) {
      throw new ConfigError(
        "AZURE_OPENAI_ENDPOINT",
        ai.azureEndpoint,
        "the resource URL, such as https://my-resource.openai.azure.com",
      );
    }
    if (ai.azureKey === "") {
      throw new ConfigError("AZURE_OPENAI_KEY", "", "the resource's key when AZURE_OPENAI_ENDPOINT is set");
    }
    if (ai.azureDeployment === "" && ai.azureModel === "") {
      throw new ConfigError(
        "AZURE_OPENAI_DEPLOYMENT",
        "",
        "the deployment name (or AZURE_OPENAI_MODEL) when AZURE_OPENAI_ENDPOINT is set",
      );
    }
    return;
  }
  if (ai.baseUrl !== "") {
    if (!isHttpUrl(ai.baseUrl)) {
      throw new ConfigError("AI_BASE_URL", ai.baseUrl, "an http(s) URL such as http://vllm.internal:8000/v1");
    }
    if (ai.model === "") {
      throw new ConfigError("AI_MODEL", "", "the model name the endpoint serves when AI_BASE_URL is set");
    }
    return;
  }
  throw new ConfigError(
    "AI_ENABLED",
    enabledRaw,
    "AZURE_OPENAI_ENDPOINT (with AZURE_OPENAI_KEY and AZURE_OPENAI_DEPLOYMENT) or AI_BASE_URL (with AI_MODEL) to be set too",
  );
}

/** Tenant ids: at most 150 bytes of `[A-Za-z0-9._-]`, not `.` or `..` (SPEC §10). */
export function isValidTenant(tenant: string): boolean {
  return TENANT_RE.test(tenant) && tenant !== "." && tenant !== "..";
}
