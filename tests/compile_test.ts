/**
 * The single executable: the permission set written on the `compile` task line
 * (the one place it lives), a server running with exactly that set doing all
 * its work (OTLP over gRPC and HTTP, `.env`, SQLite and DLQ under data/, the
 * built UI, the API), and `deno compile` itself producing the executable with
 * dist/, proto/ and migrations/ inside and the permission set baked in.
 */

import assert from "node:assert/strict";
import { compileFlags, compileIncludes, startServerProcess } from "./support/process.ts";
import {
  encodeLogs,
  encodeTraces,
  grpcExport,
  gzip,
  logsRequest,
  protoSpan,
  traceRequest,
} from "./support/otlp.ts";
import { ensureUiBuilt } from "./browser/support.ts";
import { parseDotEnv } from "../src/config.ts";
import { planCompile } from "../tools/compile.ts";

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");

/** `--name=a,b` → [a, b]; `--name` → []; absent → undefined. */
function scope(flags: string[], name: string): string[] | undefined {
  const f = flags.find((x) => x === name || x.startsWith(`${name}=`));
  if (f === undefined) return undefined;
  return f.includes("=") ? f.slice(f.indexOf("=") + 1).split(",") : [];
}

Deno.test("the compile task grants the network and otherwise only named files, variables and system calls", async () => {
  const flags = await compileFlags();
  for (
    const blanket of ["-A", "--allow-all", "--allow-run", "--allow-ffi", "--allow-import", "--allow-scripts"]
  ) {
    assert.ok(
      !flags.some((f) => f === blanket || f.startsWith(`${blanket}=`)),
      `${blanket} must not be granted`,
    );
  }
  // Listeners, database host and AI endpoint are all configured at run time.
  assert.deepEqual(scope(flags, "--allow-net"), []);
  assert.deepEqual(scope(flags, "--allow-read"), ["data", ".env"]);
  assert.deepEqual(scope(flags, "--allow-write"), ["data"]);
  assert.deepEqual(scope(flags, "--allow-sys"), ["hostname"]);
  assert.deepEqual(scope(flags, "--ignore-env"), []);
  assert.ok(flags.includes("--no-prompt"));
  assert.deepEqual((await compileIncludes()).sort(), ["dist", "migrations", "proto"]);

  // Every variable Argus reads is granted by name, and nothing else is.
  const granted = new Set(scope(flags, "--allow-env"));
  const documented = Object.keys(parseDotEnv(await Deno.readTextFile(`${ROOT}/.env.example`)));
  const config = await Deno.readTextFile(`${ROOT}/src/config.ts`);
  const read = [
    ...config.matchAll(/\b(?:get|int|port|oneOf|duration|bool|list|bytes)\(\s*"([A-Z][A-Z0-9_]*)"/g),
  ]
    .map((m) => m[1]);
  assert.ok(read.length >= 20, `found only ${read.length} variables in src/config.ts`);
  for (const name of new Set([...documented, ...read])) {
    assert.ok(granted.has(name), `--allow-env lacks ${name}`);
  }
  for (const name of granted) {
    assert.ok(documented.includes(name), `${name} is granted but not in .env.example`);
  }
});

Deno.test("tools/compile.ts puts --target and --output before the entry point and names the file per target", () => {
  const base = ["--include=dist", "--allow-net", "--output=argus", "main.ts"];
  assert.deepEqual(planCompile(base).args, ["--include=dist", "--allow-net", "--output=argus", "main.ts"]);
  const win = planCompile([...base, "--target", "x86_64-pc-windows-msvc"]);
  assert.deepEqual(win.args, [
    "--include=dist",
    "--allow-net",
    "--target=x86_64-pc-windows-msvc",
    "--output=argus-x86_64-pc-windows-msvc.exe",
    "main.ts",
  ]);
  assert.equal(planCompile([...base, "--target=aarch64-apple-darwin", "-o", "out/a"]).output, "out/a");
  assert.throws(
    () => planCompile([...base, "--target", "sparc-sun-solaris"]),
    /Unknown --target "sparc-sun-solaris"/,
  );
  assert.throws(() => planCompile([...base, "--allow-all"]), /Unknown option "--allow-all"/);
});

const TRACE = "5eed00000000000000000000000000aa";
const ROOT_SPAN = "1000000000000001";
const CHILD_SPAN = "1000000000000002";

Deno.test("with exactly the executable's permissions Argus takes OTLP over gRPC and HTTP, reads .env, serves the UI and the API", async () => {
  await ensureUiBuilt();
  const cwd = await Deno.makeTempDir({ prefix: "argus_perm_" });
  try {
    // Proves .env is read: this service is then dropped at ingest.
    await Deno.writeTextFile(`${cwd}/.env`, "INGEST_EXCLUDED_SERVICES=excluded-by-dotenv\n");
    const server = await startServerProcess(cwd, { __WAIT_FOR: "http,grpc,otlp_http" });
    try {
      const grpcAddress = `127.0.0.1:${server.grpcPort}`;
      const traces = traceRequest("checkout", [protoSpan(TRACE, ROOT_SPAN, "POST /checkout")]);
      const res = await grpcExport(grpcAddress, "traces", encodeTraces(traces), { gzip: true });
      assert.equal(res.code, 0, res.details);
      const child = traceRequest("payment", [protoSpan(TRACE, CHILD_SPAN, "charge", ROOT_SPAN)]);
      assert.equal((await grpcExport(grpcAddress, "traces", encodeTraces(child))).code, 0);
      const dropped = traceRequest("excluded-by-dotenv", [
        protoSpan(TRACE, "1000000000000003", "x", ROOT_SPAN),
      ]);
      assert.equal((await grpcExport(grpcAddress, "traces", encodeTraces(dropped))).code, 0);

      const logs = logsRequest("payment", 2, 17);
      const post = await fetch(`http://127.0.0.1:${server.otlpHttpPort}/v1/logs`, {
        method: "POST",
        headers: { "content-type": "application/x-protobuf", "content-encoding": "gzip" },
        body: await gzip(encodeLogs(logs)),
      });
      assert.equal(post.status, 200);
      await post.body?.cancel();
      const json = await fetch(`${server.baseUrl}/v1/logs`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(logsRequest("checkout", 1)),
      });
      assert.equal(json.status, 200);
      await json.body?.cancel();

      const trace = await (await fetch(`${server.baseUrl}/api/traces/${TRACE}`)).json();
      assert.deepEqual(trace.spans.map((s: { name: string }) => s.name).sort(), ["POST /checkout", "charge"]);
      assert.deepEqual([...trace.trace.services].sort(), ["checkout", "payment"]);
      const stored = await (await fetch(`${server.baseUrl}/api/logs?start=0&limit=10`)).json();
      assert.equal(stored.total, 3);
      const map = await (await fetch(`${server.baseUrl}/api/metrics/service-map?start=0`)).json();
      assert.deepEqual(
        map.edges.map((e: { source: string; target: string }) => `${e.source}->${e.target}`),
        ["checkout->payment"],
      );

      // The built UI, not the "UI not built" page.
      const index = await (await fetch(`${server.baseUrl}/`)).text();
      const script = /<script type="module" src="(\/assets\/[^"]+)"/.exec(index)?.[1];
      assert.ok(script, `index.html names its script: ${index.slice(0, 200)}`);
      const asset = await fetch(`${server.baseUrl}${script}`);
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get("cache-control") ?? "", /immutable/);
      await asset.body?.cancel();
      const metrics = await fetch(`${server.baseUrl}/metrics`);
      assert.equal(metrics.status, 200);
      const text = await metrics.text();
      assert.match(text, /argus_ingestion_rate/);
      // RSS comes from the runtime, not /proc/self (denied with these flags).
      assert.ok(Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1]) > 10_000_000, "RSS reported");
      // Vacuum works within the executable's permissions (plain VACUUM would need ATTACH).
      const vacuum = await fetch(`${server.baseUrl}/api/admin/vacuum`, { method: "POST" });
      assert.equal(vacuum.status, 200, await vacuum.clone().text());
      assert.deepEqual(await vacuum.json(), { status: "vacuumed" });
    } finally {
      assert.equal(await server.stop("SIGTERM"), 0);
    }
    assert.doesNotMatch(server.stderr(), /NotCapable|Requires \w+ access/);
    assert.ok((await Deno.stat(`${cwd}/data/argus.db`)).isFile);
    assert.ok((await Deno.stat(`${cwd}/data/dlq`)).isDirectory);
  } finally {
    await Deno.remove(cwd, { recursive: true });
  }
});

/** A denort that can run the executable: DENORT_BIN, or the one Deno cached on an earlier compile. */
async function realDenort(): Promise<string | undefined> {
  const fromEnv = Deno.env.get("DENORT_BIN");
  if (fromEnv) return fromEnv;
  const info = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdout: "piped" })
    .output();
  const denoDir: string = JSON.parse(new TextDecoder().decode(info.stdout)).denoDir;
  const zip = `${denoDir}/dl/release/v${Deno.version.deno}/denort-${Deno.build.target}.zip`;
  try {
    await Deno.stat(zip);
    return zip;
  } catch {
    return undefined;
  }
}

/** Whether `needle` occurs in `bytes`. */
function contains(bytes: Uint8Array, needle: string): boolean {
  const n = new TextEncoder().encode(needle);
  outer: for (
    let i = bytes.indexOf(n[0]);
    i >= 0 && i <= bytes.length - n.length;
    i = bytes.indexOf(n[0], i + 1)
  ) {
    for (let j = 1; j < n.length; j++) if (bytes[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}

Deno.test("deno compile builds one executable with dist, proto and migrations inside and the permission set baked in", async () => {
  await ensureUiBuilt();
  const deno = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
  const task: string = deno.tasks.compile;
  const args = task.slice(task.indexOf("tools/compile.ts") + "tools/compile.ts".length).trim().split(/\s+/);
  const out = await Deno.makeTempDir({ prefix: "argus_compile_" });
  const real = await realDenort();
  try {
    // Without a runtime base for this platform (none can be downloaded here) the
    // deno binary stands in: the build is the same, the result does not run.
    const env: Record<string, string> = real
      ? { NO_COLOR: "1" }
      : { NO_COLOR: "1", DENORT_BIN: Deno.execPath() };
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${ROOT}/tools/compile.ts`, ...args, "--output", `${out}/argus`],
      cwd: ROOT,
      env,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
    assert.ok(result.success, text);
    for (const dir of ["dist", "proto", "migrations"]) assert.match(text, new RegExp(`── ${dir}/`), text);
    // Relative permission paths are stored as written and resolved against the working directory at run time.
    const binary = await Deno.readFile(`${out}/argus`);
    assert.ok(contains(binary, '"allow_read":["data",".env"]'));
    assert.ok(contains(binary, '"allow_write":["data"]'));
    if (!real) {
      console.log(
        "  (the executable was built but not run: no denort for this platform; set DENORT_BIN to run it)",
      );
      return;
    }
    const cwd = await Deno.makeTempDir({ prefix: "argus_exe_" });
    const child = new Deno.Command(`${out}/argus`, {
      cwd,
      clearEnv: true,
      env: { HTTP_PORT: "0", GRPC_PORT: "0", OTLP_HTTP_PORT: "0", BIND_ADDRESS: "127.0.0.1" },
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      let log = "";
      const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
      while (!/msg="http listening" address=\S+:(\d+)/.test(log)) {
        const { value, done } = await reader.read();
        assert.ok(!done, `the executable exited:\n${log}`);
        log += value;
      }
      const port = /msg="http listening" address=\S+:(\d+)/.exec(log)![1];
      const health = await (await fetch(`http://127.0.0.1:${port}/api/health`)).json();
      assert.equal(health.status, "ok");
      assert.match(await (await fetch(`http://127.0.0.1:${port}/`)).text(), /\/assets\//);
      child.kill("SIGTERM");
      assert.equal((await child.status).code, 0);
      reader.releaseLock();
      await child.stderr.cancel().catch(() => {});
    } finally {
      try {
        child.kill("SIGKILL");
      } catch { /* exited */ }
      await Deno.remove(cwd, { recursive: true });
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
