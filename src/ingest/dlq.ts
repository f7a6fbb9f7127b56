/**
 * The dead-letter queue of SPEC §5: a batch whose transaction failed becomes
 * one file `batch_<unix_ns>_<seq>.json`, written atomically (temporary file,
 * fsync, rename, fsync of the directory), holding the tenant and the rows.
 * Replay hands each file back to the writer, oldest first; a replayed file is
 * deleted, one that cannot be parsed or fails `maxAttempts` times while the
 * database is up moves to `failed/`. Failures while the database is down do not
 * count: the file simply waits.
 *
 * @module
 */

import { isValidTenant } from "../config.ts";
import type { SpanRow } from "../store/rows.ts";
import type { StoredLogRow } from "../store/repository.ts";

/** One dead-lettered batch. */
export interface DlqBatch {
  tenant: string;
  spans: SpanRow[];
  logs: StoredLogRow[];
}

/** A file waiting in the queue. */
export interface DlqEntry {
  name: string;
  size_bytes: number;
  age_s: number;
  attempts: number;
}

/** What one replay did. */
export interface ReplayResult {
  replayed: number;
  quarantined: number;
  remaining: number;
  /** Set when replay stopped early because the database is unavailable. */
  stoppedBy?: string;
}

const NAME_RE = /^batch_(\d+)_(\d+)\.json$/;
const encoder = new TextEncoder();

/** Tells a replay failure caused by an unreachable database from one caused by the batch. */
export type IsUnavailable = (err: unknown) => boolean;

/** The dead-letter directory. */
export class DeadLetterQueue {
  readonly dir: string;
  readonly failedDir: string;
  readonly #maxAttempts: number;
  #seq = 0;
  #replaying: Promise<ReplayResult> | undefined;
  #quarantinedTotal = 0;

  constructor(dir: string, maxAttempts = 5) {
    this.dir = dir.replace(/\/+$/, "") || ".";
    this.failedDir = `${this.dir}/failed`;
    this.#maxAttempts = maxAttempts;
  }

  /** Files moved to `failed/` by this process. */
  get quarantinedTotal(): number {
    return this.#quarantinedTotal;
  }

  /** Creates the directories. */
  async init(): Promise<void> {
    await Deno.mkdir(this.failedDir, { recursive: true });
  }

  /**
   * Writes `batch` durably and returns the file name. Throws when the disk
   * cannot take it; the caller must then not acknowledge the data.
   */
  async write(batch: DlqBatch): Promise<string> {
    const ns = BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor((performance.now() % 1) * 1e6));
    const name = `batch_${ns}_${String(this.#seq++).padStart(6, "0")}.json`;
    const tmp = `${this.dir}/.${name}.tmp`;
    const data = encoder.encode(JSON.stringify({ version: 1, ...batch }));
    const file = await Deno.open(tmp, { write: true, createNew: true });
    try {
      let written = 0;
      while (written < data.length) written += await file.write(data.subarray(written));
      await file.sync();
    } catch (err) {
      file.close();
      await Deno.remove(tmp).catch(() => {});
      throw err;
    }
    file.close();
    await Deno.rename(tmp, `${this.dir}/${name}`);
    await this.#syncDir();
    return name;
  }

  async #syncDir(): Promise<void> {
    // A rename is durable once the directory entry is; not every platform lets a directory be opened.
    try {
      const d = await Deno.open(this.dir, { read: true });
      try {
        await d.sync();
      } finally {
        d.close();
      }
    } catch { /* best effort */ }
  }

  async #names(): Promise<string[]> {
    const names: string[] = [];
    try {
      for await (const e of Deno.readDir(this.dir)) if (e.isFile && NAME_RE.test(e.name)) names.push(e.name);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) return [];
      throw err;
    }
    // Zero-padded sequence and nanosecond time: name order is write order within a process.
    return names.sort((a, b) => {
      const [, ta, sa] = NAME_RE.exec(a)!;
      const [, tb, sb] = NAME_RE.exec(b)!;
      return ta.length - tb.length || (ta < tb ? -1 : ta > tb ? 1 : 0) || Number(sa) - Number(sb);
    });
  }

  async #attempts(name: string): Promise<number> {
    try {
      return Number(await Deno.readTextFile(`${this.dir}/.${name}.attempts`)) || 0;
    } catch {
      return 0;
    }
  }

  /** The files waiting, oldest first. */
  async list(): Promise<DlqEntry[]> {
    const now = Date.now();
    const out: DlqEntry[] = [];
    for (const name of await this.#names()) {
      try {
        const st = await Deno.stat(`${this.dir}/${name}`);
        out.push({
          name,
          size_bytes: st.size,
          age_s: Math.max(0, Math.round((now - (st.mtime?.getTime() ?? now)) / 1000)),
          attempts: await this.#attempts(name),
        });
      } catch { /* replayed meanwhile */ }
    }
    return out;
  }

  /** How many files wait, and their bytes. */
  async size(): Promise<{ files: number; bytes: number }> {
    const list = await this.list();
    return { files: list.length, bytes: list.reduce((n, e) => n + e.size_bytes, 0) };
  }

  async #quarantine(name: string): Promise<void> {
    await Deno.rename(`${this.dir}/${name}`, `${this.failedDir}/${name}`);
    await Deno.remove(`${this.dir}/.${name}.attempts`).catch(() => {});
    this.#quarantinedTotal++;
  }

  /**
   * Replays every file through `store` (which must write the batch or throw).
   * Concurrent calls share one run.
   */
  replay(store: (batch: DlqBatch) => Promise<void>, isUnavailable: IsUnavailable): Promise<ReplayResult> {
    this.#replaying ??= this.#replay(store, isUnavailable).finally(() => this.#replaying = undefined);
    return this.#replaying;
  }

  async #replay(
    store: (batch: DlqBatch) => Promise<void>,
    isUnavailable: IsUnavailable,
  ): Promise<ReplayResult> {
    const names = await this.#names();
    const result: ReplayResult = { replayed: 0, quarantined: 0, remaining: 0 };
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const path = `${this.dir}/${name}`;
      let batch: DlqBatch;
      try {
        batch = parseBatch(await Deno.readTextFile(path));
      } catch (err) {
        if (err instanceof Deno.errors.NotFound) continue;
        await this.#quarantine(name);
        result.quarantined++;
        continue;
      }
      try {
        await store(batch);
      } catch (err) {
        if (isUnavailable(err)) {
          result.stoppedBy = (err as Error).message;
          result.remaining = names.length - i;
          return result;
        }
        const attempts = (await this.#attempts(name)) + 1;
        if (attempts >= this.#maxAttempts) {
          await this.#quarantine(name);
          result.quarantined++;
        } else {
          await Deno.writeTextFile(`${this.dir}/.${name}.attempts`, String(attempts));
          result.remaining++;
        }
        continue;
      }
      await Deno.remove(path);
      await Deno.remove(`${this.dir}/.${name}.attempts`).catch(() => {});
      result.replayed++;
    }
    return result;
  }
}

/** Parses and checks a DLQ file; anything unexpected throws. */
export function parseBatch(text: string): DlqBatch {
  const v = JSON.parse(text);
  if (
    typeof v !== "object" || v === null || v.version !== 1 || typeof v.tenant !== "string" ||
    !isValidTenant(v.tenant) || !Array.isArray(v.spans) || !Array.isArray(v.logs)
  ) {
    throw new TypeError("Cannot read dead-letter file: expected {version: 1, tenant, spans[], logs[]}");
  }
  for (const s of v.spans) {
    if (
      typeof s?.trace_id !== "string" || typeof s?.span_id !== "string" || typeof s?.start_us !== "number"
    ) {
      throw new TypeError("Cannot read dead-letter file: a span lacks trace_id, span_id or start_us");
    }
  }
  for (const l of v.logs) {
    if (typeof l?.id !== "number" || typeof l?.timestamp_us !== "number") {
      throw new TypeError("Cannot read dead-letter file: a log lacks id or timestamp_us");
    }
  }
  return { tenant: v.tenant, spans: v.spans, logs: v.logs };
}
