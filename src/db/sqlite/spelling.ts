/**
 * How SQLite spells the dialect-dependent pieces.
 *
 * @module
 */

import type { Capabilities, Spelling } from "../contract.ts";
import { onConflictWrites } from "../on_conflict.ts";

/** SQLite spelling: `?` placeholders, `ON CONFLICT … DO UPDATE`, `LIMIT/OFFSET`, `json_extract`. */
export const sqliteSpelling: Spelling = {
  placeholder: () => "?",
  quote: (name) => `"${name}"`,
  ...onConflictWrites,
  probe: (subquery) => subquery,
  paging: (limit, offset) => `LIMIT ${limit} OFFSET ${offset}`,
  // json_extract gives 1/0 for JSON booleans; json_type tells them apart from numbers.
  jsonText: (column, path) =>
    `(CASE json_type(${column}, ${path()}) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(${column}, ${path()}) AS TEXT) END)`,
  // node:sqlite binds every JS number as REAL, so `/` alone would divide in floating point.
  intDiv: (a, b) => `CAST((${a}) / (${b}) AS INTEGER)`,
  // SQLite's LIKE folds ASCII case already.
  likeInsensitive: (column, pattern) => `${column} LIKE ${pattern} ESCAPE '!'`,
  foldsText: false,
  migrationsTable:
    "CREATE TABLE IF NOT EXISTS argus_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_us INTEGER NOT NULL)",
  // rowid names one row of any table without WITHOUT ROWID (all of Argus's tables).
  boundedDelete: (table, where, limit) =>
    `DELETE FROM ${table()} WHERE rowid IN (SELECT rowid FROM ${table()} WHERE ${where} LIMIT ${limit})`,
  // VACUUM rewrites the whole file; the checkpoint then truncates the WAL it grew.
  // Plain VACUUM attaches a temporary database, which Deno's node:sqlite forbids (attach limit 0);
  // databases are created with auto_vacuum=INCREMENTAL, so freed pages are returned this way.
  vacuum: () => ["PRAGMA incremental_vacuum", "PRAGMA wal_checkpoint(TRUNCATE)"],
};

/** What SQLite can do. */
export const sqliteCapabilities: Capabilities = {
  maxParams: 32766,
  preferRowAtATime: true,
  percentileAggregate: false,
  vacuum: true,
};
