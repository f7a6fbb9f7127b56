/**
 * SQLite through `node:sqlite`, which is part of the runtime: no native library
 * download and no `--allow-ffi`. WAL mode with two connections: one reader on
 * the main thread that sees committed data while a write is under way, and one
 * writer in a worker (`writer_worker.ts`), so that a long transaction never
 * stops the event loop. A writer lock keeps an async transaction from
 * interleaving with another statement; ingest batches read for the next
 * transaction while the writer commits the one before, ordered by a second
 * lock, the gate (see `writeTransaction`). An in-memory database
 * exists once per connection, so `:memory:` keeps one connection on the main
 * thread for both.
 *
 * @module
 */

import { dirname } from "node:path";
import { mkdirSync } from "node:fs";
import type { Driver, Executor, PreparedWrite, Row, WriteOptions, WriteStatement } from "../contract.ts";
import { DbError, toDbError } from "../errors.ts";
import { Mutex } from "../mutex.ts";
import { DatabaseSync } from "node:sqlite";
import { logger } from "../../telemetry/log.ts";
import { Connection } from "./connection.ts";
import { startWriterWorker, type WriterReply, type WriterRequest } from "./writer_worker.ts";

/** Distributes requests over `Omit<WriterRequest, "id">` and adds the id. */
type Request = WriterRequest extends infer R ? R extends { id: number } ? Omit<R, "id"> : never : never;

/** The writer connection as seen from the main thread: a worker and its pending replies. */
class RemoteWriter implements Executor {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  #next = 1;
  #broken: DbError | undefined;

  constructor(path: string, name?: string) {
    const started = startWriterWorker(name);
    this.#worker = started.worker;
    this.#worker.onmessage = (e: MessageEvent<WriterReply>) => {
      const r = e.data;
      const p = this.#pending.get(r.id);
      if (!p) return;
      this.#pending.delete(r.id);
      if (r.ok) p.resolve(r.value);
      else p.reject(toDbError(r.error, "SQLite statement failed"));
    };
    this.#worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#fail(new DbError("unavailable", `The SQLite writer stopped: ${e.message}`));
    };
    this.#worker.onmessageerror = () => {
      this.#fail(new DbError("unavailable", "The SQLite writer sent an unreadable reply"));
    };
    // The blob URL stays valid until the worker has answered, so its code has surely been read.
    this.call({ op: "open", path }).catch(() => {/* reported by the first statement */}).finally(
      started.release,
    );
  }

  #fail(err: DbError): void {
    this.#broken = err;
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }

  call(req: Request): Promise<unknown> {
    if (this.#broken) return Promise.reject(this.#broken);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#worker.postMessage({ ...req, id } as WriterRequest);
      } catch (err) {
        this.#pending.delete(id);
        reject(toDbError(err, "Cannot pass the statement to the SQLite writer"));
      }
    });
  }

  query(text: string, params: readonly unknown[]): Promise<Row[]> {
    return this.call({ op: "query", text, params: [...params] }) as Promise<Row[]>;
  }

  execute(text: string, params: readonly unknown[]): Promise<number> {
    return this.call({ op: "execute", text, params: [...params] }) as Promise<number>;
  }

  executeEach(text: string, rows: readonly (readonly unknown[])[]): Promise<number> {
    return this.call({ op: "each", text, rows: rows as unknown[][] }) as Promise<number>;
  }

  exec(text: string): Promise<void> {
    return this.call({ op: "exec", text }) as Promise<void>;
  }

  transact(writes: readonly WriteStatement[]): Promise<number> {
    return this.call({ op: "tx", writes: writes as WriteStatement[] }) as Promise<number>;
  }

  async close(): Promise<void> {
    try {
      await this.call({ op: "close" });
    } catch { /* closing anyway */ }
    this.#worker.terminate();
    this.#fail(new DbError("unavailable", "The SQLite database is closed"));
  }
}

/**
 * WAL frames (4 KiB pages, so 256 MB) past which the checkpointer restarts the log instead of
 * only copying it. A RESTART holds the writer while it copies what is left and syncs, so fewer
 * of them are faster: at 64 MB the ingest rate was 4-13 % lower (BENCHMARKS, seventh run).
 */
const RESTART_FRAMES = 65_536;
/** The writer's own automatic checkpoint (512 MB): only a safety net behind the checkpointer. */
const WRITER_AUTOCHECKPOINT_FRAMES = 131_072;
/**
 * The writer's page cache, KiB (SQLite's default is 2 MiB). A transaction's
 * dirty pages stay in it until COMMIT instead of spilling into the WAL early,
 * and the hot parts of the indexes stay in it between transactions.
 */
const WRITER_CACHE_KIB = 32_768;

/**
 * Checkpoints the WAL from a worker of its own, so the copying into the
 * database file and its fsyncs never run on the writer's thread (there they
 * took about a third of the ingest rate). Every 200 ms a PASSIVE checkpoint
 * copies what it can without stopping the writer; once the log holds
 * {@link RESTART_FRAMES} frames, a RESTART checkpoint waits for the writer's
 * transaction, copies the little left and lets the next transaction start the
 * log from the beginning, which bounds its size. Best effort: if it falls
 * behind or fails, the writer's own automatic checkpoint takes over.
 */
class Checkpointer {
  readonly #conn: RemoteWriter;
  readonly #timer: ReturnType<typeof setInterval>;
  #running: Promise<void> | undefined;
  #warned = false;

  constructor(path: string) {
    this.#conn = new RemoteWriter(path, "sqlite-checkpointer");
    this.#timer = setInterval(
      () => this.#running ??= this.#tick().finally(() => this.#running = undefined),
      200,
    );
    Deno.unrefTimer(this.#timer);
  }

  async #tick(): Promise<void> {
    try {
      const [r] = await this.#conn.query("PRAGMA wal_checkpoint(PASSIVE)", []);
      if (Number(r?.log) >= RESTART_FRAMES) await this.#conn.query("PRAGMA wal_checkpoint(RESTART)", []);
    } catch (err) {
      // The writer's automatic checkpoint is the safety net; say so once, not every 200 ms.
      if (!this.#warned) {
        this.#warned = true;
        logger.warn(
          `SQLite checkpointer failed; the writer will checkpoint on its own at ${
            WRITER_AUTOCHECKPOINT_FRAMES * 4096 / 1_048_576
          } MiB of log`,
          {
            error: err,
          },
        );
      }
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
    await this.#conn.close();
  }
}

/** True when `a` and `b` have a member in common. */
function overlap(a: ReadonlySet<unknown>, b: ReadonlySet<unknown>): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) return true;
  return false;
}

/** Opens an SQLite database file (created with its directory when missing). */
export function openSqlite(path: string): Driver {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let reader: Connection;
  try {
    // Opened here, synchronously, so a bad path fails at start-up with its reason; this
    // also creates the file and switches it to WAL before the writer opens it.
    reader = new Connection(DatabaseSync, path);
  } catch (err) {
    throw toDbError(err, `Cannot open SQLite database ${JSON.stringify(path)}`);
  }
  const writer = path === ":memory:" ? reader : new RemoteWriter(path);
  let checkpointer: Checkpointer | undefined;
  if (writer instanceof RemoteWriter) {
    // A log at most this large is kept after a restart (the rest of the file is given back).
    const limit = `PRAGMA journal_size_limit = ${RESTART_FRAMES * 4096}`;
    writer.exec(`PRAGMA wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_FRAMES}`).catch(() => {});
    writer.exec(limit).catch(() => {});
    writer.exec(`PRAGMA cache_size = -${WRITER_CACHE_KIB}`).catch(() => {});
    checkpointer = new Checkpointer(path);
  }
  // Two locks. `lock` orders the use of the writer connection. `gate` orders the reads a write
  // transaction depends on: a batch holds it while it reads (on the reader), sends its writes to the
  // writer thread and lets go, so the next batch reads while the writer commits this one. The reader sees
  // only committed rows, so the next batch may read beside a commit only when the two share no
  // claim (trace ids, log ids); otherwise it waits for that commit. Every other write holds both
  // locks: it comes after every batch already prepared, and no batch reads beside it.
  const lock = new Mutex();
  const gate = new Mutex();
  const exclusive = <T>(fn: () => Promise<T>) => gate.run(() => lock.run(fn));
  /** Write transactions prepared and not yet settled, with their claims (none: they claim everything). */
  const inFlight = new Set<{ claims?: ReadonlySet<unknown>; settled: Promise<void> }>();
  const settledConflicts = (claims?: ReadonlySet<unknown>) => {
    const waits: Promise<void>[] = [];
    for (const w of inFlight) if (!claims || !w.claims || overlap(w.claims, claims)) waits.push(w.settled);
    return Promise.all(waits);
  };
  // Planner statistics: SQLite gathers none by itself, and without them it may prefer an index
  // that matches an ORDER BY over the one that matches the WHERE. PRAGMA optimize is cheap when
  // nothing changed; the timer does not keep the process alive.
  const optimizer = setInterval(
    () => lock.run(() => writer.exec("PRAGMA optimize").catch(() => {})),
    3_600_000,
  );
  Deno.unrefTimer(optimizer);

  return {
    query: (text, params) => reader.query(text, params),
    execute: (text, params) => exclusive(() => writer.execute(text, params)),
    transaction: <T>(fn: (tx: Executor) => Promise<T>) =>
      exclusive(async () => {
        await writer.exec("BEGIN IMMEDIATE");
        try {
          const result = await fn(writer);
          await writer.exec("COMMIT");
          return result;
        } catch (err) {
          await writer.exec("ROLLBACK").catch(() => {/* the transaction may already be gone */});
          throw toDbError(err, "SQLite transaction failed");
        }
      }),
    // The reads run on the reader, synchronously, under the gate (one process writes a database
    // file); the writes then reach the writer thread as one message, so the transaction never waits
    // on this thread between its statements.
    writeTransaction: async <T>(
      prepare: (reads: Executor) => Promise<PreparedWrite<T>>,
      options?: WriteOptions,
    ) => {
      const { result, committed } = await gate.run(async () => {
        await settledConflicts(options?.claims);
        const { result, writes } = await prepare(reader);
        if (writes.length === 0) return { result, committed: undefined };
        // Sent now, not when the writer lock comes free: the writer thread runs its messages in order,
        // so it finds this transaction waiting when it finishes the one before instead of idling until
        // this thread, busy with other work, has seen that reply. Nothing else can be in the middle of
        // a transaction on the writer (every other write holds the gate throughout), and what takes
        // the lock later waits for this one.
        const committed = writer.transact(writes);
        const entry = { claims: options?.claims, settled: committed.then(() => {}, () => {}) };
        lock.run(() => entry.settled);
        inFlight.add(entry);
        entry.settled.then(() => inFlight.delete(entry));
        return { result, committed };
      });
      try {
        options?.onPrepared?.();
      } catch { /* the caller's signal; the transaction goes on either way */ }
      try {
        await committed;
      } catch (err) {
        throw toDbError(err, "SQLite transaction failed");
      }
      return result;
    },
    // The runner applies each migration in its own BEGIN IMMEDIATE transaction and
    // re-reads the applied versions inside it, which is the lock SQLite needs.
    withMigrationLock: (fn) => fn(),
    close: () =>
      exclusive(async () => {
        clearInterval(optimizer);
        if (writer instanceof RemoteWriter) {
          await checkpointer?.close();
          await writer.close();
          reader.close();
        } else {
          reader.sync.finish();
        }
      }),
  };
}
