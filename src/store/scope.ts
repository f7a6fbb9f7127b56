/**
 * The repository's executor for one tenant. It compiles every fragment for its
 * dialect and tenant and refuses a statement whose text names a tenant-owned
 * table that did not go through the scoping helpers — so a query that forgot
 * the tenant fails loudly instead of reading another tenant's rows.
 *
 * @module
 */

import type { Executor, Row, Spelling } from "../db/contract.ts";
import { TenantScopeError } from "../db/errors.ts";
import {
  compile,
  type Compiled,
  countTenantTableRefs,
  type Fragment,
  join,
  spell,
  sql,
  target,
  type TenantTable,
  tenantValue,
} from "../db/sql.ts";

/** Receives each statement before it runs (tests table and audit the SQL). */
export type StatementObserver = (statement: Compiled) => void;

/** Compiles, checks and runs fragments for one tenant. */
export class ScopedExecutor {
  readonly #ex: Executor;
  readonly #spelling: Spelling;
  readonly #tenant: string;
  readonly #observe?: StatementObserver;

  constructor(ex: Executor, spelling: Spelling, tenant: string, observe?: StatementObserver) {
    this.#ex = ex;
    this.#spelling = spelling;
    this.#tenant = tenant;
    this.#observe = observe;
  }

  /** Compiles `f` and checks its tenant scoping. */
  compile(f: Fragment): Compiled {
    const c = compile(f, this.#spelling, this.#tenant);
    const refs = countTenantTableRefs(c.text);
    if (refs !== c.scopedRefs || (refs > 0 && c.tenantBinds === 0)) {
      throw new TenantScopeError(
        `Statement names ${refs} tenant table(s) but scopes ${c.scopedRefs}: ${c.text.slice(0, 200)}`,
      );
    }
    this.#observe?.(c);
    return c;
  }

  /** Runs a query. */
  async query(f: Fragment): Promise<Row[]> {
    const c = this.compile(f);
    return await this.#ex.query(c.text, c.params);
  }

  /** Runs a statement; returns the rows changed. */
  async execute(f: Fragment): Promise<number> {
    const c = this.compile(f);
    return await this.#ex.execute(c.text, c.params);
  }
}

/** `(tenant, v1, v2, …), …`: a VALUES list with the tenant bound first in every row. */
function tenantRows(rows: readonly unknown[][]): Fragment {
  return join(rows.map((r) => sql`(${tenantValue()}, ${join(r.map((v) => sql`${v}`))})`));
}

/** `INSERT INTO table (tenant_id, …) VALUES (tenant, …), …` for `rows` (values in `columns` order). */
export function insertRows(
  table: TenantTable,
  columns: readonly string[],
  rows: readonly unknown[][],
): Fragment {
  return sql`INSERT INTO ${target(table)} (tenant_id, ${spell(() => columns.join(", "))}) VALUES ${
    tenantRows(rows)
  }`;
}

/** What a keyed write's spelling is given: table, columns and keys (tenant first), the VALUES list. */
type KeyedSpelling = (
  s: Spelling,
  table: string,
  columns: readonly string[],
  keys: readonly string[],
  rows: string,
) => string;

/** A multi-row write keyed on the tenant and `keys`, spelled by `write` (upsert, accumulate, raise). */
function keyedRows(
  write: KeyedSpelling,
  table: TenantTable,
  columns: readonly string[],
  keys: readonly string[],
  rows: readonly unknown[][],
): Fragment {
  const values = tenantRows(rows);
  return spell((s, emit) =>
    write(s, emit(target(table)), ["tenant_id", ...columns], ["tenant_id", ...keys], emit(values))
  );
}

/** Insert-or-update keyed on the tenant and `keys`, spelled by the dialect. */
export function upsertRows(
  table: TenantTable,
  columns: readonly string[],
  keys: readonly string[],
  rows: readonly unknown[][],
): Fragment {
  return keyedRows((s, ...args) => s.upsert(...args), table, columns, keys, rows);
}

/** Insert-or-add keyed on the tenant and `keys`: the other columns are counters added to stored rows. */
export function accumulateRows(
  table: TenantTable,
  columns: readonly string[],
  keys: readonly string[],
  rows: readonly unknown[][],
): Fragment {
  return keyedRows((s, ...args) => s.accumulate(...args), table, columns, keys, rows);
}

/**
 * Insert-or-raise keyed on the tenant and `keys`: the `raised` columns of stored rows never go
 * down, the others stay as stored.
 */
export function raiseRows(
  table: TenantTable,
  columns: readonly string[],
  keys: readonly string[],
  raised: readonly string[],
  rows: readonly unknown[][],
): Fragment {
  return keyedRows((s, t, c, k, v) => s.raise(t, c, k, raised, v), table, columns, keys, rows);
}

/** `DELETE FROM table WHERE tenant_id = tenant AND (condition)`. */
export function deleteWhere(table: TenantTable, condition: Fragment): Fragment {
  return sql`DELETE FROM ${target(table)} WHERE tenant_id = ${tenantValue()} AND (${condition})`;
}

/** `UPDATE table SET … WHERE tenant_id = tenant AND (condition)`. */
export function updateWhere(table: TenantTable, set: Fragment, condition: Fragment): Fragment {
  return sql`UPDATE ${target(table)} SET ${set} WHERE tenant_id = ${tenantValue()} AND (${condition})`;
}
