/**
 * How MySQL and MariaDB spell the dialect-dependent pieces.
 *
 * @module
 */

import type { Capabilities, Spelling } from "../contract.ts";

/** MySQL/MariaDB spelling: `?` placeholders, `ON DUPLICATE KEY UPDATE`, `JSON_EXTRACT`, `DIV`. */
export const mysqlSpelling: Spelling = {
  placeholder: () => "?",
  quote: (name) => `\`${name}\``,
  // VALUES(col) works on MariaDB and MySQL (deprecated there in favour of a row
  // alias that MariaDB does not accept), so it is the one spelling for both.
  upsert: (table, columns, keys, rows) =>
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${rows} ON DUPLICATE KEY UPDATE ${
      columns.filter((c) => !keys.includes(c)).map((c) => `${c} = VALUES(${c})`).join(", ")
    }`,
  accumulate: (table, columns, keys, rows) =>
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${rows} ON DUPLICATE KEY UPDATE ${
      columns.filter((c) => !keys.includes(c)).map((c) => `${c} = ${c} + VALUES(${c})`).join(", ")
    }`,
  raise: (table, columns, _keys, raised, rows) =>
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES ${rows} ON DUPLICATE KEY UPDATE ${
      raised.map((c) => `${c} = GREATEST(${c}, VALUES(${c}))`).join(", ")
    }`,
  probe: (subquery) => subquery,
  paging: (limit, offset) => `LIMIT ${limit} OFFSET ${offset}`,
  jsonText: (column, path) => `JSON_UNQUOTE(JSON_EXTRACT(${column}, ${path()}))`,
  intDiv: (a, b) => `((${a}) DIV (${b}))`,
  // Tables use a binary collation for exact ids; searching folds case explicitly.
  likeInsensitive: (column, pattern) => `${column} COLLATE utf8mb4_unicode_ci LIKE ${pattern} ESCAPE '!'`,
  foldsText: false,
  migrationsTable:
    "CREATE TABLE IF NOT EXISTS argus_migrations (version INT PRIMARY KEY, name VARCHAR(255) NOT NULL, applied_us BIGINT NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
  // MySQL and MariaDB refuse LIMIT inside an IN subquery but take it on DELETE itself.
  boundedDelete: (table, where, limit) => `DELETE FROM ${table()} WHERE ${where} LIMIT ${limit}`,
  // InnoDB runs OPTIMIZE as an online table rebuild plus ANALYZE.
  vacuum: (tables) => [`OPTIMIZE TABLE ${tables.join(", ")}`],
};

/** What MySQL/MariaDB can do. */
export const mysqlCapabilities: Capabilities = {
  maxParams: 65535,
  preferRowAtATime: false,
  percentileAggregate: false,
  vacuum: true,
};
