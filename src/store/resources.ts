/**
 * Resources stored once. Every span and log of one SDK instance carries the
 * same resource (service, version, host, …: about 190 bytes of JSON); instead
 * of repeating it in every row, each distinct resource of a tenant is one row
 * of `resources` (primary key tenant, `resource_id`) and rows name it by id.
 *
 * The id is the first 128 bits of the SHA-256 of the resource's JSON text, in
 * hex: the writer needs no lookup to assign it, and a client cannot cheaply
 * craft two resources with one id (and only ever within its own tenant).
 * Rows written before migration 0004 have `resource_id = ''` and their own
 * `resource_attributes`, which reads keep using; rows written since store ''
 * there (the smallest value) and are read through `resources`.
 *
 * `last_seen_us` is the latest span start or log time of any row naming the
 * resource. It never goes down, so when retention deletes a resource last seen
 * before the cutoff, every row naming it is older than the cutoff too and
 * deleted as well.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { Row } from "../db/contract.ts";
import { scoped, sql } from "../db/sql.ts";
import type { LogRow, SpanRow } from "./rows.ts";
import type { ScopedExecutor } from "./scope.ts";
import { inList } from "./query_support.ts";

/** The columns of `resources` the writer sets (`tenant_id` is added by the scoping helpers). */
export const RESOURCE_COLUMNS = ["resource_id", "attributes", "last_seen_us"] as const;

/** One `resources` row. */
export interface ResourceRow {
  resource_id: string;
  attributes: string;
  last_seen_us: number;
}

/** The id of a resource: the first 32 hex digits of the SHA-256 of its JSON text. */
export function resourceId(json: string): string {
  return createHash("sha256").update(json).digest("hex").slice(0, 32);
}

/** Resource ids by JSON text, each text hashed once (a batch holds few distinct resources). */
export class ResourceIds {
  readonly #byText = new Map<string, string>();

  /** The id of `json`. */
  of(json: string): string {
    let id = this.#byText.get(json);
    if (id === undefined) {
      id = resourceId(json);
      this.#byText.set(json, id);
    }
    return id;
  }

  /** Every id handed out so far. */
  ids(): string[] {
    return [...new Set(this.#byText.values())];
  }
}

/**
 * The `resources` rows a batch writes: one per distinct resource of its new
 * spans and logs, last seen at the latest span start or log time among them,
 * left out when the stored row (`storedLastSeen`, read before the write)
 * already says as late. The rows are written with an insert-or-raise, so a
 * replay, a late export or a batch prepared beside another (whose read missed
 * that one's newer time) never lowers `last_seen_us`.
 */
export function resourcesToWrite(
  spans: readonly SpanRow[],
  logs: readonly LogRow[],
  ids: ResourceIds,
  storedLastSeen: ReadonlyMap<string, number>,
): ResourceRow[] {
  const latest = new Map<string, ResourceRow>();
  const see = (json: string, us: number) => {
    const id = ids.of(json);
    const row = latest.get(id);
    if (row === undefined) latest.set(id, { resource_id: id, attributes: json, last_seen_us: us });
    else if (us > row.last_seen_us) row.last_seen_us = us;
  };
  for (const s of spans) see(s.resource_attributes, s.start_us);
  for (const l of logs) see(l.resource_attributes, l.timestamp_us);
  return [...latest.values()].filter((r) =>
    (storedLastSeen.get(r.resource_id) ?? -Infinity) < r.last_seen_us
  );
}

/**
 * Fills in `resource_attributes` of rows read from `spans` or `logs` (`SELECT *`):
 * a row with a `resource_id` takes its resource's attributes, read once per
 * distinct id in statements of at most `maxIds` ids; a row without one (written
 * before migration 0004) keeps its own. A resource that is gone (a row older
 * than the retention cutoff that a purge has not reached yet) reads as `{}`.
 */
export async function attachResources(ex: ScopedExecutor, rows: Row[], maxIds: number): Promise<Row[]> {
  const wanted = new Set<string>();
  for (const r of rows) if (r.resource_id) wanted.add(String(r.resource_id));
  if (wanted.size === 0) return rows;
  const ids = [...wanted];
  const groups: string[][] = [];
  for (let i = 0; i < ids.length; i += maxIds) groups.push(ids.slice(i, i + maxIds));
  const found = await Promise.all(groups.map((group) =>
    ex.query(
      sql`SELECT r.resource_id, r.attributes FROM ${scoped("resources")} r WHERE r.resource_id IN (${
        inList(group)
      })`,
    )
  ));
  const attributes = new Map<string, string>();
  for (const r of found.flat()) attributes.set(String(r.resource_id), String(r.attributes));
  for (const r of rows) {
    if (r.resource_id) r.resource_attributes = attributes.get(String(r.resource_id)) ?? "{}";
  }
  return rows;
}
