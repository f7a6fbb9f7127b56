import assert from "node:assert/strict";
import { ConfigError, loadConfig, parseDotEnv, parseDuration } from "./config.ts";

Deno.test("defaults match SPEC §3", () => {
  const c = loadConfig({});
  assert.equal(c.httpPort, 8080);
  assert.equal(c.grpcPort, 4317);
  assert.equal(c.otlpHttpPort, 4318);
  assert.equal(c.bindAddress, "0.0.0.0");
  assert.equal(c.dbDriver, "sqlite");
  assert.equal(c.dbDsn, "data/argus.db");
  assert.equal(c.dlqPath, "data/dlq");
  assert.equal(c.dlqReplayIntervalMs, 300_000);
  assert.equal(c.ingestMinSeverity, 9);
  assert.equal(c.retentionDays, 7);
  assert.equal(c.ai.enabled, false);
  assert.equal(c.ai.workers, 3);
  assert.equal(c.ai.queueSize, 100);
  assert.equal(c.ai.timeoutMs, 30_000);
  assert.equal(c.otlpMaxGrpcBytes, 4 * 1024 * 1024);
  assert.equal(c.otlpMaxHttpBytes, 20 * 1024 * 1024);
  assert.ok(Object.isFrozen(c));
});

Deno.test("environment overrides .env, which overrides defaults", () => {
  const dot = parseDotEnv('HTTP_PORT=9000\nexport LOG_LEVEL="debug" # comment\nRETENTION_DAYS=3\n# X=1\n');
  assert.deepEqual(dot, { HTTP_PORT: "9000", LOG_LEVEL: "debug", RETENTION_DAYS: "3" });
  const c = loadConfig({ HTTP_PORT: "9100" }, dot);
  assert.equal(c.httpPort, 9100);
  assert.equal(c.logLevel, "DEBUG");
  assert.equal(c.retentionDays, 3);
});

Deno.test("lists, keys and origins are parsed", () => {
  const c = loadConfig({
    INGEST_ALLOWED_SERVICES: " a, b ,,c",
    AUTH_API_KEYS: "secret-key-1:acme:ingest,secret-key-2:acme:admin",
    ALLOWED_ORIGINS: "https://ops.example/, http://localhost:5173",
    INGEST_MIN_SEVERITY: "warn",
    OTLP_MAX_MESSAGE_BYTES: "8MiB",
  });
  assert.deepEqual(c.ingestAllowedServices, ["a", "b", "c"]);
  assert.deepEqual(c.authApiKeys.map((k) => k.role), ["ingest", "admin"]);
  assert.deepEqual(c.allowedOrigins, ["https://ops.example", "http://localhost:5173"]);
  assert.equal(c.ingestMinSeverity, 13);
  assert.equal(c.otlpMaxGrpcBytes, 8 * 1024 * 1024);
});

Deno.test("a bad value names the variable, the value and what is accepted", () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ HTTP_PORT: "80a" }, /^Invalid HTTP_PORT="80a": expected an integer from 0 to 65535$/],
    [{ HTTP_PORT: "70000" }, /HTTP_PORT="70000"/],
    [
      { DB_DRIVER: "oracle" },
      /^Invalid DB_DRIVER="oracle": expected one of sqlite, postgres, mysql, sqlserver$/,
    ],
    [{ DB_DRIVER: "postgres" }, /DB_DSN="": expected a connection string for postgres/],
    [{ DLQ_REPLAY_INTERVAL: "5 minutes" }, /DLQ_REPLAY_INTERVAL="5 minutes": expected a duration/],
    [{ LOG_LEVEL: "verbose" }, /LOG_LEVEL="verbose": expected one of DEBUG, INFO, WARN, ERROR/],
    [{ AI_ENABLED: "maybe" }, /AI_ENABLED="maybe": expected true or false/],
    [{ INGEST_MIN_SEVERITY: "loud" }, /INGEST_MIN_SEVERITY/],
    [{ RETENTION_DAYS: "-1" }, /RETENTION_DAYS="-1"/],
    [{ AUTH_API_KEYS: "onlykey" }, /AUTH_API_KEYS="<entry 1>"/],
    [{ AUTH_API_KEYS: "secret-key-1:acme:root" }, /role ingest, read or admin/],
    [{ AUTH_API_KEYS: "secret-key-1:../x:read" }, /tenant of/],
    [{ ALLOWED_ORIGINS: "not a url" }, /ALLOWED_ORIGINS="not a url"/],
    [{ OTLP_MAX_MESSAGE_BYTES: "lots" }, /OTLP_MAX_MESSAGE_BYTES="lots"/],
    [{ APP_ENV: "staging" }, /APP_ENV="staging": expected one of development, production/],
  ];
  for (const [env, re] of cases) {
    assert.throws(
      () => loadConfig(env),
      (err: unknown) => err instanceof ConfigError && re.test(err.message),
    );
  }
});

Deno.test("an API key never appears in a configuration error", () => {
  try {
    loadConfig({ AUTH_API_KEYS: "super-secret-value:acme:superuser" });
    assert.fail("expected an error");
  } catch (err) {
    assert.ok(!(err as Error).message.includes("super-secret-value"));
  }
});

Deno.test("Go-style durations", () => {
  assert.equal(parseDuration("30s"), 30_000);
  assert.equal(parseDuration("1h30m"), 5_400_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("5"), undefined);
  assert.equal(parseDuration(""), undefined);
});

Deno.test(".env.example loads and gives the defaults", async () => {
  const text = await Deno.readTextFile(new URL("../.env.example", import.meta.url));
  const fromExample = loadConfig({}, parseDotEnv(text));
  assert.deepEqual(fromExample, loadConfig({}));
  // Every variable the example names is one loadConfig reads (and the reverse is spot-checked).
  const names = Object.keys(parseDotEnv(text));
  for (const n of ["DB_DSN", "AUTH_API_KEYS", "INGEST_RATE_LIMIT", "AI_TIMEOUT", "OTLP_MAX_MESSAGE_BYTES"]) {
    assert.ok(names.includes(n), n);
  }
});

Deno.test("rate-limit burst defaults to two seconds' worth", () => {
  assert.equal(loadConfig({ INGEST_RATE_LIMIT: "500" }).ingestRateBurst, 1000);
  assert.equal(loadConfig({ INGEST_RATE_LIMIT: "500", INGEST_RATE_BURST: "50" }).ingestRateBurst, 50);
});

Deno.test("AI on needs a usable model: one line naming the variables", () => {
  const fails: [Record<string, string>, RegExp][] = [
    [
      { AI_ENABLED: "true" },
      /^Invalid AI_ENABLED="true": expected AZURE_OPENAI_ENDPOINT \(with AZURE_OPENAI_KEY and AZURE_OPENAI_DEPLOYMENT\) or AI_BASE_URL \(with AI_MODEL\) to be set too$/,
    ],
    [{ AI_ENABLED: "1", AZURE_OPENAI_ENDPOINT: "my-resource" }, /AZURE_OPENAI_ENDPOINT="my-resource"/],
    [
      { AI_ENABLED: "true", AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com" },
      /^Invalid AZURE_OPENAI_KEY="": expected/,
    ],
    [
      { AI_ENABLED: "true", AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com", AZURE_OPENAI_KEY: "k" },
      /^Invalid AZURE_OPENAI_DEPLOYMENT="": expected the deployment name/,
    ],
    [{ AI_ENABLED: "true", AI_BASE_URL: "ftp://x" }, /^Invalid AI_BASE_URL="ftp:\/\/x"/],
    [{ AI_ENABLED: "true", AI_BASE_URL: "http://ollama:11434/v1" }, /^Invalid AI_MODEL="": expected/],
  ];
  for (const [env, re] of fails) {
    assert.throws(
      () => loadConfig(env),
      (err: unknown) => err instanceof ConfigError && re.test(err.message),
    );
  }
  // Usable: Azure (deployment or model), an OpenAI-compatible endpoint without a key, or AI off with nothing.
  loadConfig({
    AI_ENABLED: "true",
    AZURE_OPENAI_ENDPOINT: "https://r.openai.azure.com",
    AZURE_OPENAI_KEY: "k",
    AZURE_OPENAI_DEPLOYMENT: "gpt-4o",
  });
  loadConfig({ AI_ENABLED: "true", AI_BASE_URL: "http://ollama:11434/v1", AI_MODEL: "llama3.1" });
  loadConfig({ AI_ENABLED: "false", AI_BASE_URL: "not checked while off" });
});
