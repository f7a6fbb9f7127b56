/**
 * `deno task start` with no configuration: creates data/argus.db, migrates and
 * serves /api/health; SIGTERM stops it with exit code 0. Runs the real process
 * with the compile task's permission flags.
 */

import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { startServerProcess } from "./support/process.ts";

Deno.test("with no configuration Argus creates data/argus.db, migrates and serves /api/health", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "argus_start_" });
  try {
    const server = await startServerProcess(cwd);
    try {
      const res = await fetch(`${server.baseUrl}/api/health`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      const health = await res.json();
      assert.equal(health.status, "ok");
      assert.deepEqual(health.db.driver, "sqlite");
      assert.equal(health.db.ok, true);
      const unknown = await fetch(`${server.baseUrl}/api/nope`);
      assert.equal(unknown.status, 404);
      assert.match((await unknown.json()).error, /\/api\/nope/);
      const page = await fetch(`${server.baseUrl}/traces/abc`);
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /text\/html/);
      assert.equal(page.headers.get("cache-control"), "no-cache");
      await page.body?.cancel();
      assert.match(server.stderr(), /level=WARN msg=.*AUTH_API_KEYS/);
    } finally {
      assert.equal(await server.stop("SIGTERM"), 0);
    }
    const db = new DatabaseSync(`${cwd}/data/argus.db`);
    const tables = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' ORDER BY name",
    ).all()
      .map((r) => r.name);
    db.close();
    assert.deepEqual(tables, [
      "argus_migrations",
      "edge_minutes",
      "log_minutes",
      "logs",
      "resources",
      "span_minutes",
      "spans",
      "trace_keys",
      "trace_minutes",
      "traces",
    ]);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

Deno.test("an invalid variable stops start-up with one line naming it", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "argus_badcfg_" });
  try {
    await Deno.writeTextFile(`${cwd}/.env`, "DB_DRIVER=oracle\n");
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        `--config=${new URL("../deno.json", import.meta.url).pathname}`,
        new URL("../main.ts", import.meta.url).pathname,
      ],
      cwd,
      clearEnv: true,
      env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
    }).output();
    assert.equal(out.code, 2);
    const stderr = new TextDecoder().decode(out.stderr).trim();
    assert.equal(
      stderr,
      'argus: Invalid DB_DRIVER="oracle": expected one of sqlite, postgres, mysql, sqlserver',
    );
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});
