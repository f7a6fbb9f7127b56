import assert from "node:assert/strict";
import { compile, countTenantTableRefs, ident, scoped, sql } from "./sql.ts";
import { sqliteSpelling } from "./sqlite/spelling.ts";
import { postgresSpelling } from "./postgres/spelling.ts";
import { ScopedExecutor } from "../store/scope.ts";
import { TenantScopeError } from "./errors.ts";

Deno.test("values become placeholders, never text", () => {
  const evil = "x'; DROP TABLE spans; --";
  const c = compile(sql`SELECT 1 FROM ${scoped("spans")} s WHERE s.name = ${evil}`, postgresSpelling, "t1");
  assert.equal(c.text, "SELECT 1 FROM (SELECT * FROM spans WHERE tenant_id = $1) s WHERE s.name = $2");
  assert.deepEqual(c.params, ["t1", evil]);
});

Deno.test("identifiers pass only the allow-list pattern", () => {
  assert.equal(compile(sql`ORDER BY ${ident("start_us")}`, sqliteSpelling, null).text, 'ORDER BY "start_us"');
  assert.throws(() => ident("start_us; DROP"), TypeError);
  assert.throws(() => ident('a"b'), TypeError);
});

Deno.test("a statement naming a tenant table by hand is refused before it runs", async () => {
  let ran = 0;
  const ex = new ScopedExecutor(
    {
      query: () => {
        ran++;
        return Promise.resolve([]);
      },
      execute: () => {
        ran++;
        return Promise.resolve(0);
      },
    },
    sqliteSpelling,
    "acme",
  );
  for (
    const f of [
      sql`SELECT * FROM spans WHERE trace_id = ${"x"}`,
      sql`SELECT * FROM ${scoped("traces")} t JOIN logs l ON l.trace_id = t.trace_id`,
      sql`DELETE FROM logs`,
      sql`UPDATE traces SET name = ${"x"}`,
      sql`INSERT INTO spans (trace_id) VALUES (${"x"})`,
      sql`SELECT * FROM ${scoped("spans")} s LEFT JOIN resources r ON r.resource_id = s.resource_id`,
      sql`SELECT r.attributes FROM resources r WHERE r.resource_id = ${"x"}`,
    ]
  ) {
    await assert.rejects(ex.query(f), TenantScopeError);
  }
  assert.equal(ran, 0);
  await ex.query(sql`SELECT * FROM ${scoped("traces")} t`);
  assert.equal(ran, 1);
});

Deno.test("table references are counted across spellings of quoting", () => {
  assert.equal(countTenantTableRefs('SELECT * FROM "spans" JOIN `logs` ON 1=1 MERGE INTO [traces]'), 3);
  assert.equal(countTenantTableRefs("SELECT spans_count FROM other"), 0);
  assert.equal(countTenantTableRefs("SELECT s.resource_id FROM resources_old JOIN [resources] r ON 1=1"), 1);
});
