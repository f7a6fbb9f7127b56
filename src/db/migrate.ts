/**
 * Applies the numbered files of `migrations/<dialect>/` that the database has
 * not seen yet, in order, under the dialect's migration lock, each in its own
 * transaction that re-reads the applied versions first (so two servers starting
 * together apply each file once).
 *
 * @module
 */

import type { Database } from "./contract.ts";

/** One migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Splits migration text into statements: `;` ends one at the end of a line; `--` lines are comments. */
export function splitStatements(text: string): string[] {
  const body = text.split(/\r?\n/).filter((l) => !l.trim().startsWith("--")).join("\n");
  return body.split(/;\s*(?:\n|$)/).map((s) => s.trim()).filter((s) => s !== "");
}

/** Reads the migrations of one dialect from `dir` (default: the repository's `migrations/`). */
export async function readMigrations(
  dialect: string,
  dir: URL = new URL("../../migrations/", import.meta.url),
): Promise<Migration[]> {
  const folder = new URL(`${dialect}/`, dir);
  const out: Migration[] = [];
  for await (const entry of Deno.readDir(folder)) {
    const m = FILE_RE.exec(entry.name);
    if (!entry.isFile || !m) continue;
    const text = await Deno.readTextFile(new URL(entry.name, folder));
    out.push({ version: Number(m[1]), name: m[2], statements: splitStatements(text) });
  }
  out.sort((a, b) => a.version - b.version);
  out.forEach((m, i) => {
    if (i > 0 && out[i - 1].version === m.version) {
      throw new Error(`Two migrations numbered ${m.version} in migrations/${dialect}`);
    }
  });
  return out;
}

/** Applies missing migrations; returns the versions applied now. */
export async function migrate(db: Database, migrations?: readonly Migration[]): Promise<number[]> {
  const list = migrations ?? await readMigrations(db.name);
  const { driver, spelling } = db;
  return await driver.withMigrationLock(async () => {
    await driver.execute(spelling.migrationsTable, []);
    const applied: number[] = [];
    for (const m of list) {
      const done = await driver.transaction(async (tx) => {
        const seen = await tx.query(
          `SELECT version FROM argus_migrations WHERE version = ${spelling.placeholder(1)}`,
          [m.version],
        );
        if (seen.length > 0) return false;
        for (const statement of m.statements) await tx.execute(statement, []);
        await tx.execute(
          `INSERT INTO argus_migrations (version, name, applied_us) VALUES (${spelling.placeholder(1)}, ${
            spelling.placeholder(2)
          }, ${spelling.placeholder(3)})`,
          [m.version, m.name, Date.now() * 1000],
        );
        return true;
      });
      if (done) applied.push(m.version);
    }
    return applied;
  });
}
