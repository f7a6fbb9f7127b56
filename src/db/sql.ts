/**
 * SQL text with its values kept apart. Queries are written once with the `sql`
 * tagged template; every interpolated value becomes a placeholder, never text.
 * Identifiers enter only through {@link ident} (checked against a pattern, used
 * with allow-lists) and tenant-owned tables only through {@link scoped}, which
 * the compiler expands to a derived table carrying the tenant predicate. That is
 * how "no query writes a tenant filter by hand" holds: the predicate and its
 * value are added at compile time for the tenant the repository was opened for.
 *
 * @module
 */

import type { Spelling } from "./contract.ts";

/** The tables whose rows belong to a tenant. */
export const TENANT_TABLES = [
  "spans",
  "traces",
  "logs",
  "resources",
  "trace_keys",
  "span_minutes",
  "trace_minutes",
  "edge_minutes",
  "log_minutes",
] as const;
/** A tenant-owned table. */
export type TenantTable = typeof TENANT_TABLES[number];

type Node =
  | { k: "text"; text: string }
  | { k: "value"; value: unknown }
  | { k: "ident"; name: string }
  | { k: "scoped"; table: TenantTable }
  | { k: "tenant" }
  | { k: "target"; table: TenantTable }
  | { k: "spell"; fn: (s: Spelling, emit: (f: Fragment) => string) => string };

/** A piece of SQL: text and values in order. Build with {@link sql}. */
export class Fragment {
  /** @internal */
  readonly nodes: readonly Node[];
  /** @internal */
  constructor(nodes: readonly Node[]) {
    this.nodes = nodes;
  }
}

/** Anything that may stand inside `sql`: a fragment, or a value to bind. */
export type SqlPart = Fragment | unknown;

// A loop, not push(...spread): a 5,000-row VALUES list has more nodes than a call has arguments.
function append(to: Node[], from: readonly Node[]): void {
  for (const n of from) to.push(n);
}

/** Tagged template: `sql\`SELECT … WHERE trace_id = ${id}\``. */
export function sql(strings: TemplateStringsArray, ...parts: SqlPart[]): Fragment {
  const nodes: Node[] = [];
  strings.forEach((s, i) => {
    if (s !== "") nodes.push({ k: "text", text: s });
    if (i < parts.length) {
      const p = parts[i];
      if (p instanceof Fragment) append(nodes, p.nodes);
      else nodes.push({ k: "value", value: p });
    }
  });
  return new Fragment(nodes);
}

const IDENT_RE = /^[a-z_][a-z0-9_]*$/;

/** A quoted identifier; only lowercase snake_case names pass, so allow-lists stay honest. */
export function ident(name: string): Fragment {
  if (!IDENT_RE.test(name)) throw new TypeError(`Cannot use ${JSON.stringify(name)} as an SQL identifier`);
  return new Fragment([{ k: "ident", name }]);
}

/**
 * A tenant-owned table for reading: compiles to
 * `(SELECT * FROM table WHERE tenant_id = ?)`, so write `FROM ${scoped("spans")} s`.
 */
export function scoped(table: TenantTable): Fragment {
  return new Fragment([{ k: "scoped", table }]);
}

/**
 * The tenant value as a bound parameter, for the writing helpers of the
 * repository (insert column lists, DELETE/UPDATE predicates). Reads use {@link scoped}.
 * @internal
 */
export function tenantValue(): Fragment {
  return new Fragment([{ k: "tenant" }]);
}

/**
 * A tenant-owned table as the target of a write (`INSERT INTO ${target("logs")}`).
 * Only the repository's write helpers use it, and each of them binds the tenant
 * in the same statement (as a column value or a `tenant_id =` predicate).
 * @internal
 */
export function target(table: TenantTable): Fragment {
  return new Fragment([{ k: "target", table }]);
}

/** Joins fragments with a separator (`, ` by default). */
export function join(parts: readonly Fragment[], separator = ", "): Fragment {
  const nodes: Node[] = [];
  parts.forEach((p, i) => {
    if (i > 0) nodes.push({ k: "text", text: separator });
    append(nodes, p.nodes);
  });
  return new Fragment(nodes);
}

/** Constant SQL text from the code base (never from input). */
export function raw(text: string): Fragment {
  return new Fragment([{ k: "text", text }]);
}

/** A dialect-dependent piece, spelled at compile time. */
export function spell(fn: (s: Spelling, emit: (f: Fragment) => string) => string): Fragment {
  return new Fragment([{ k: "spell", fn }]);
}

/** A statement ready for a driver. */
export interface Compiled {
  readonly text: string;
  readonly params: unknown[];
  /** How many references to tenant-owned tables went through {@link scoped} or {@link target}. */
  readonly scopedRefs: number;
  /** How many times the tenant value was bound. */
  readonly tenantBinds: number;
}

/** Compiles a fragment for one dialect and one tenant. */
export function compile(fragment: Fragment, spelling: Spelling, tenant: string | null): Compiled {
  const params: unknown[] = [];
  let scopedRefs = 0;
  let tenantBinds = 0;
  const bind = (v: unknown): string => {
    params.push(v);
    return spelling.placeholder(params.length);
  };
  const bindTenant = (): string => {
    if (tenant === null) throw new TypeError("A tenant-scoped statement needs a tenant");
    tenantBinds++;
    return bind(tenant);
  };
  const emit = (f: Fragment): string => {
    let out = "";
    for (const n of f.nodes) {
      switch (n.k) {
        case "text":
          out += n.text;
          break;
        case "value":
          out += bind(n.value);
          break;
        case "ident":
          out += spelling.quote(n.name);
          break;
        case "scoped":
          scopedRefs++;
          out += `(SELECT * FROM ${n.table} WHERE tenant_id = ${bindTenant()})`;
          break;
        case "target":
          scopedRefs++;
          out += n.table;
          break;
        case "tenant":
          out += bindTenant();
          break;
        case "spell":
          out += n.fn(spelling, emit);
          break;
      }
    }
    return out;
  };
  const text = emit(fragment);
  return { text, params, scopedRefs, tenantBinds };
}

const TABLE_REF_RE = new RegExp(
  String.raw`\b(?:FROM|JOIN|INTO|UPDATE|MERGE\s+INTO)\s+(?:\[|"|\x60)?(${TENANT_TABLES.join("|")})\b`,
  "gi",
);

/**
 * Counts references to tenant-owned tables in statement text. The repository's
 * guard compares it with {@link Compiled.scopedRefs}: a table named by hand,
 * without going through the scoping helpers, makes the counts differ.
 */
export function countTenantTableRefs(text: string): number {
  return [...text.matchAll(TABLE_REF_RE)].length;
}
