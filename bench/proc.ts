/**
 * CPU time and memory of another process from Linux's /proc (the benchmark
 * measures the server from outside, as `top` would). Reading /proc needs
 * `--allow-all` under Deno.
 *
 * @module
 */

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux for decades). */
const TICKS = 100;

/** CPU seconds (user + system, all threads) used by `pid` so far. */
export function cpuSeconds(pid: number): number {
  const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime, stime (fields 14 and 15)
}

/** Resident memory now and at its peak, in bytes. */
export function memory(pid: number): { rss: number; peak: number } {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), peak: kb("VmHWM") };
}

/** Samples a process while work runs: CPU share (1.0 = one core) and RSS. */
export class ProcessSampler {
  readonly #pid: number;
  readonly #cpu0: number;
  readonly #t0 = performance.now();
  readonly #timer: ReturnType<typeof setInterval>;
  #maxRss = 0;
  #rssSum = 0;
  #samples = 0;

  constructor(pid: number, everyMs = 500) {
    this.#pid = pid;
    this.#cpu0 = cpuSeconds(pid);
    this.#timer = setInterval(() => this.#sample(), everyMs);
  }

  #sample(): void {
    try {
      const { rss } = memory(this.#pid);
      this.#maxRss = Math.max(this.#maxRss, rss);
      this.#rssSum += rss;
      this.#samples++;
    } catch { /* the process ended */ }
  }

  /** Stops sampling; CPU in cores over the interval, RSS in MiB. */
  stop(): { cpuCores: number; rssMaxMiB: number; rssAvgMiB: number; rssEndMiB: number } {
    clearInterval(this.#timer);
    this.#sample();
    const seconds = (performance.now() - this.#t0) / 1000;
    let end = 0;
    let cpu = 0;
    try {
      end = memory(this.#pid).rss;
      cpu = (cpuSeconds(this.#pid) - this.#cpu0) / seconds;
    } catch { /* ended */ }
    const mib = (b: number) => Number((b / 1048576).toFixed(0));
    return {
      cpuCores: Number(cpu.toFixed(2)),
      rssMaxMiB: mib(this.#maxRss),
      rssAvgMiB: mib(this.#samples ? this.#rssSum / this.#samples : 0),
      rssEndMiB: mib(end),
    };
  }
}
