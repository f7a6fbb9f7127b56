/**
 * `deno task compile`: runs `deno compile` with the arguments written on the
 * task line in deno.json (the includes and the permission set live there, in
 * one place, where the tests read them too), and adds what cannot be written
 * there:
 *
 * - options given after the task name (`deno task compile --target
 *   x86_64-pc-windows-msvc`, `--output path`), which `deno task` appends after
 *   the entry point, where `deno compile` would embed them as script arguments;
 * - a check of `DENORT_BIN` (a local runtime base for offline build machines);
 * - `--exclude` of npm package files known to crash `deno compile`.
 *
 * Usage: `deno run … tools/compile.ts <deno compile options> <entry.ts> [--target T] [--output PATH]`
 *
 * @module
 */

/** The targets `deno compile --target` accepts. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;

/**
 * Files inside npm packages that make Deno 2.9's `deno compile` overflow its
 * stack (denoland/deno#36746): bintrees (prom-client → tdigest → bintrees) ships
 * test data without a file extension, lines like `723686234` / `-723686234`
 * that parse as one binary expression 100,000 terms deep. Only test data, never
 * loaded at run time. Paths are relative to a package's root.
 */
export const CRASHING_PACKAGE_FILES: readonly { pkg: string; path: string }[] = [
  { pkg: "bintrees", path: "test" },
];

/** What the command line asks for. */
export interface CompilePlan {
  /** Arguments for `deno compile`, entry point last. */
  args: string[];
  target?: string;
  output: string;
}

const valueOf = (args: string[], i: number, name: string): [string, number] => {
  const a = args[i];
  if (a.includes("=")) return [a.slice(a.indexOf("=") + 1), i];
  if (i + 1 >= args.length) throw new TypeError(`Missing value after ${name}`);
  return [args[i + 1], i + 1];
};

/**
 * Splits the task line's arguments from the user's: the entry point is the
 * first argument that is not an option (the task line writes every option as
 * `--name=value`). The user's `--target`/`--output` go before the entry point.
 *
 * @throws {TypeError} on an unknown target or option.
 */
export function planCompile(argv: readonly string[]): CompilePlan {
  const entry = argv.findIndex((a) => !a.startsWith("-"));
  if (entry < 0) throw new TypeError("No entry point: expected deno compile options and then main.ts");
  const base = argv.slice(0, entry);
  const extra = argv.slice(entry + 1);
  let target: string | undefined;
  let output: string | undefined;
  for (let i = 0; i < extra.length; i++) {
    const a = extra[i];
    if (a === "--target" || a.startsWith("--target=")) {
      [target, i] = valueOf(extra, i, "--target");
      if (!(TARGETS as readonly string[]).includes(target)) {
        throw new TypeError(`Unknown --target "${target}": expected one of ${TARGETS.join(", ")}`);
      }
    } else if (a === "-o" || a === "--output" || a.startsWith("--output=") || a.startsWith("-o=")) {
      [output, i] = valueOf(extra, i, "--output");
    } else {
      throw new TypeError(
        `Unknown option "${a}": deno task compile accepts --target TARGET and --output PATH`,
      );
    }
  }
  // The task line names the default output; a target gets its own file name.
  const taskOutput = base.find((a) => a.startsWith("--output="))?.slice("--output=".length) ?? "argus";
  output ??= target ? `${taskOutput}-${target}${target.includes("windows") ? ".exe" : ""}` : taskOutput;
  const args = [
    ...base.filter((a) => !a.startsWith("--output=")),
    ...(target ? [`--target=${target}`] : []),
    `--output=${output}`,
    argv[entry],
  ];
  return { args, target, output };
}

async function run(args: string[], quiet = false): Promise<Deno.CommandOutput> {
  return await new Deno.Command(Deno.execPath(), {
    args,
    stdout: quiet ? "piped" : "inherit",
    stderr: quiet ? "piped" : "inherit",
  }).output();
}

/** Subdirectories of `dir` whose name passes `keep`; none when `dir` does not exist. */
async function subdirs(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (e.isDirectory && keep(e.name)) out.push(`${dir}/${e.name}`);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  return out;
}

/** `--exclude` options for the crashing files, in Deno's npm cache and in node_modules/. */
async function crashWorkarounds(entry: string): Promise<string[]> {
  // The task compiles with --node-modules-dir=none: packages come from Deno's
  // npm cache, so fill it first (a no-op when it is filled) and then look there.
  await run(["cache", "--node-modules-dir=none", "--quiet", entry], true);
  const info = await run(["info", "--json"], true);
  const npmCache: string = JSON.parse(new TextDecoder().decode(info.stdout)).npmCache;
  const out: string[] = [];
  for (const { pkg, path } of CRASHING_PACKAGE_FILES) {
    const roots = [
      ...await subdirs(`${npmCache}/registry.npmjs.org/${pkg}`, () => true),
      ...(await subdirs("node_modules/.deno", (n) => n.startsWith(`${pkg}@`))).map((d) =>
        `${d}/node_modules/${pkg}`
      ),
    ];
    for (const root of roots) if (await exists(`${root}/${path}`)) out.push(`--exclude=${root}/${path}`);
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}

async function main(): Promise<number> {
  let plan: CompilePlan;
  try {
    plan = planCompile(Deno.args);
  } catch (err) {
    console.error(`compile: ${(err as Error).message}`);
    return 2;
  }
  for (const inc of plan.args.filter((a) => a.startsWith("--include="))) {
    const path = inc.slice("--include=".length);
    if (!await exists(path)) {
      console.error(`compile: ${path}/ is missing (run deno task build:ui for dist/)`);
      return 1;
    }
  }
  if (!await exists("dist/index.html")) {
    console.error("compile: dist/index.html is missing; run deno task build:ui first");
    return 1;
  }
  const denort = Deno.env.get("DENORT_BIN");
  if (denort) {
    if (!await exists(denort)) {
      console.error(`compile: DENORT_BIN=${denort} does not exist`);
      return 1;
    }
    // deno compile takes DENORT_BIN as it is, whatever --target says.
    console.error(
      `compile: using DENORT_BIN=${denort} as the runtime base; it must be the denort of ` +
        `${plan.target ?? "this platform"} and of this Deno version (${Deno.version.deno})`,
    );
  } else {
    console.error(
      `compile: the runtime base denort-${plan.target ?? "<this platform>"} comes from Deno's cache, ` +
        "or is downloaded on first use; offline, set DENORT_BIN (see README)",
    );
  }
  const entry = plan.args[plan.args.length - 1];
  const args = ["compile", ...await crashWorkarounds(entry), ...plan.args];
  console.error(`compile: deno ${args.join(" ")}`);
  const result = await run(args);
  if (result.success) console.error(`compile: wrote ${plan.output}`);
  else if (!denort) {
    console.error(
      "compile: failed; if denort could not be downloaded, set DENORT_BIN (README, One executable)",
    );
  }
  return result.code;
}

if (import.meta.main) Deno.exit(await main());
