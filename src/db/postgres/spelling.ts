/**
 * How PostgreSQL spells the dialect-dependent pieces.
 *
 * @module
 */

import type { Capabilities, Spelling } from "../contract.ts";
import { onConflictWrites } from "../on_conflict.ts";

/** PostgreSQL spelling: `$n` placeholders, `ON CONFLICT … DO UPDATE`, `->>` on jsonb, `ILIKE`. */
export const postgresSpelling: Spelling = {
  placeholder: (i) => `$${i}`,
  quote: (name) => `"${name}"`,
  ...onConflictWrites,
  // Without the fence PostgreSQL may hash the whole inner table for a NOT EXISTS (a purge of keys).
  probe: (subquery) => `${subquery} OFFSET 0`,
  paging: (limit, offset) => `LIMIT ${limit} OFFSET ${offset}`,
  // Paths are bound as JSON path text ($."key"); jsonb_path_query_first takes jsonpath.
  jsonText: (column, path) => `(jsonb_path_query_first(${column}::jsonb, ${path()}::jsonpath) #>> '{}')`,
  intDiv: (a, b) => `((${a}) / (${b}))`,
  likeInsensitive: (column, pattern) => `${column} ILIKE ${pattern} ESCAPE '!'`,
  foldsText: false,
  migrationsTable:
    "CREATE TABLE IF NOT EXISTS argus_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_us BIGINT NOT NULL)",
  // ctid = ANY(ARRAY(…)) plans as a TID scan whatever the row estimate; ctid IN (…) may not.
  boundedDelete: (table, where, limit) =>
    `DELETE FROM ${table()} WHERE ctid = ANY (ARRAY(SELECT ctid FROM ${table()} WHERE ${where} LIMIT ${limit}))`,
  // Plain VACUUM takes no exclusive lock: ingestion goes on. It cannot run inside a transaction.
  vacuum: (tables) => [`VACUUM (ANALYZE) ${tables.join(", ")}`],
};

/** What PostgreSQL can do. */
export const postgresCapabilities: Capabilities = {
  maxParams: 65535,
  preferRowAtATime: false,
  percentileAggregate: true,
  vacuum: true,
};
