/**
 * The SQLite writer connection, in a worker of its own: `node:sqlite` runs
 * synchronously, so a large transaction on the main thread would stop the OTLP
 * receivers, the API and the live streams until it committed. In the worker it
 * blocks only that thread; the main thread keeps decoding the next requests,
 * which is what lets group commit gather large transactions.
 *
 * The worker is started from a blob holding {@link writerMain} and
 * {@link openConnection} as text, not from a file: loading a worker file would
 * need read access to the program's own sources, which the executable's
 * permission set does not grant. Messages are {@link WriterRequest} in and
 * {@link WriterReply} out, one reply per request, in order.
 *
 * @module
 */

import type { WriteStatement } from "../contract.ts";
import { openConnection, type SyncConnection } from "./connection.ts";

/** What the driver asks of the writer. */
export type WriterRequest =
  | { id: number; op: "open"; path: string }
  | { id: number; op: "query" | "execute"; text: string; params: unknown[] }
  | { id: number; op: "each"; text: string; rows: unknown[][] }
  | { id: number; op: "exec"; text: string }
  | { id: number; op: "tx"; writes: WriteStatement[] }
  | { id: number; op: "close" };

/** A failure as plain data: the fields `toDbError` classifies by. */
export interface WriterFailure {
  code?: string;
  errstr?: string;
  message: string;
}

/** The answer to one request. */
export type WriterReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: WriterFailure };

/** The worker's body. Self-contained: it runs from its own text, with `open` beside it. */
function writerMain(open: typeof openConnection): void {
  const scope = globalThis as unknown as {
    onmessage: ((e: MessageEvent<WriterRequest>) => void) | null;
    postMessage(message: WriterReply): void;
  };
  let conn: SyncConnection | undefined;
  let openFailure: unknown;
  const sqlite = import("node:sqlite");
  let chain: Promise<unknown> = sqlite;
  const run = async (req: WriterRequest): Promise<unknown> => {
    if (req.op === "open") {
      try {
        conn = open((await sqlite).DatabaseSync, req.path);
      } catch (err) {
        openFailure = err;
        throw err;
      }
      return null;
    }
    if (!conn) throw openFailure ?? new Error("the SQLite writer is not open");
    switch (req.op) {
      case "query":
        return conn.query(req.text, req.params);
      case "execute":
        return conn.execute(req.text, req.params);
      case "each":
        return conn.executeEach(req.text, req.rows);
      case "exec":
        conn.db.exec(req.text);
        return null;
      case "tx":
        return conn.transact(req.writes);
      case "close":
        conn.finish();
        conn = undefined;
        return null;
    }
  };
  scope.onmessage = (e) => {
    const req = e.data;
    chain = chain.then(() => run(req)).then(
      (value) => scope.postMessage({ id: req.id, ok: true, value }),
      (err) => {
        const e = err as { code?: unknown; errstr?: unknown; message?: unknown };
        scope.postMessage({
          id: req.id,
          ok: false,
          error: {
            code: e?.code === undefined ? undefined : String(e.code),
            errstr: typeof e?.errstr === "string" ? e.errstr : undefined,
            message: String(e?.message ?? err),
          },
        });
      },
    );
  };
}

/**
 * Starts a writer worker. `release` revokes the blob URL: call it once the
 * worker has answered (its code is loaded by then), not before.
 */
export function startWriterWorker(name = "sqlite-writer"): { worker: Worker; release: () => void } {
  const source = `${openConnection.toString()}\n(${writerMain.toString()})(openConnection);\n`;
  const url = URL.createObjectURL(new Blob([source], { type: "application/javascript" }));
  try {
    return {
      worker: new Worker(url, { type: "module", name }),
      release: () => URL.revokeObjectURL(url),
    };
  } catch (err) {
    URL.revokeObjectURL(url);
    throw err;
  }
}
