/**
 * Runs Argus as a separate process with exactly the permission flags of the
 * `compile` task in deno.json, so a permission the executable lacks fails a test
 * (see {@link runFlags} for the one difference a checkout needs).
 *
 * @module
 */

const ROOT = new URL("../../", import.meta.url);

/** The arguments `deno task compile` hands to `deno compile` (tools/compile.ts forwards them). */
async function compileArgs(): Promise<string[]> {
  const deno = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
  const task: string = deno.tasks.compile;
  const marker = ["tools/compile.ts", "deno compile"].find((m) => task.includes(m));
  if (!marker) throw new Error("the compile task runs neither tools/compile.ts nor deno compile");
  return task.slice(task.indexOf(marker) + marker.length).trim().split(/\s+/);
}

/**
 * The runtime flags of `deno task compile`: permissions (`--allow-*`, `--deny-*`, `--ignore-*`,
 * `--no-prompt`) and `--v8-flags`, all of which the executable keeps.
 */
export async function compileFlags(): Promise<string[]> {
  return (await compileArgs()).filter((f) => /^--(allow|deny|ignore)-|^--no-prompt$|^--v8-flags=/.test(f));
}

/** The directories `deno task compile` embeds (`--include=dir`). */
export async function compileIncludes(): Promise<string[]> {
  return (await compileArgs()).filter((f) => f.startsWith("--include")).map((f) =>
    f.replace(/^--include=?/, "")
  );
}

/**
 * The flags for running `main.ts` from this checkout as the executable would
 * run: the compile task's flags, with read access to the checkout's copies of
 * the embedded directories added. The executable reads its embedded files
 * (dist/, proto/, migrations/) from its virtual file system, which denort
 * always lets it read; under `deno run` they are ordinary files.
 */
export async function runFlags(): Promise<string[]> {
  const embedded = (await compileIncludes()).map((d) => new URL(d, ROOT).pathname.replace(/\/$/, ""));
  return (await compileFlags()).map((f) => f.startsWith("--allow-read=") ? `${f},${embedded.join(",")}` : f);
}

/** A running server process. */
export interface ServerProcess {
  /** The server's process id (the benchmark reads its CPU and memory from /proc). */
  readonly pid: number;
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly otlpHttpPort: number;
  readonly baseUrl: string;
  /** All stderr so far. */
  stderr(): string;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: Deno.Signal): Promise<number>;
}

/**
 * Starts `main.ts` in `cwd` with only `env` (plus PATH and HOME) and waits for
 * its listeners. Ports default to 0 (any free port) and are read from its log.
 */
export async function startServerProcess(
  cwd: string,
  env: Record<string, string> = {},
  timeoutMs = 30_000,
): Promise<ServerProcess> {
  const flags = await runFlags();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--quiet",
      `--config=${new URL("deno.json", ROOT).pathname}`,
      ...flags,
      new URL("main.ts", ROOT).pathname,
    ],
    cwd,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR")! } : {}),
      HTTP_PORT: "0",
      GRPC_PORT: "0",
      OTLP_HTTP_PORT: "0",
      BIND_ADDRESS: "127.0.0.1",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  const decoder = new TextDecoder();
  const ports: Record<string, number> = {};
  const ready = new Promise<void>((resolve, reject) => {
    (async () => {
      for await (const chunk of child.stderr) {
        text += decoder.decode(chunk, { stream: true });
        for (const m of text.matchAll(/msg="?(\w+) listening"? address=\S*:(\d+)/g)) {
          ports[m[1]] = Number(m[2]);
        }
        if (
          ports.http !== undefined &&
          (env.__WAIT_FOR ?? "http").split(",").every((k) => ports[k] !== undefined)
        ) {
          resolve();
        }
      }
      reject(new Error(`server exited before listening:\n${text}`));
    })().catch(reject);
  });
  child.stdout.pipeTo(new WritableStream()).catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      ready,
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`server did not listen within ${timeoutMs} ms:\n${text}`)),
          timeoutMs,
        );
      }),
    ]);
  } catch (err) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await child.status;
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return {
    pid: child.pid,
    httpPort: ports.http,
    grpcPort: ports.grpc ?? 0,
    otlpHttpPort: ports.otlp_http ?? 0,
    baseUrl: `http://127.0.0.1:${ports.http}`,
    stderr: () => text,
    async stop(signal: Deno.Signal = "SIGTERM") {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
      return (await child.status).code;
    },
  };
}
