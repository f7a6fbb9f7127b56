import assert from "node:assert/strict";
import { sqliteLive } from "../../tests/support/databases.ts";
import { type DbOperation, instrumentDatabase } from "./instrumented.ts";

Deno.test("every top-level call is timed once; statements inside a transaction count as the transaction", async () => {
  const fresh = await sqliteLive.fresh();
  try {
    const seen: { op: DbOperation; seconds: number; ok: boolean }[] = [];
    const db = instrumentDatabase(fresh.db, (op, seconds, ok) => seen.push({ op, seconds, ok }));
    assert.equal(Number((await db.driver.query("SELECT 1 AS one", []))[0].one), 1);
    await db.driver.execute("CREATE TABLE t (x INTEGER)", []);
    await db.driver.transaction(async (tx) => {
      await tx.execute("INSERT INTO t (x) VALUES (?)", [1]);
      await tx.execute("INSERT INTO t (x) VALUES (?)", [2]);
    });
    assert.deepEqual(seen.map((s) => [s.op, s.ok]), [["query", true], ["execute", true], [
      "transaction",
      true,
    ]]);
    assert.ok(seen.every((s) => s.seconds >= 0 && s.seconds < 5));

    await assert.rejects(db.driver.query("SELECT * FROM missing", []));
    await assert.rejects(
      db.driver.transaction(() => Promise.reject(new Error("rolled back"))),
      /rolled back/,
    );
    assert.deepEqual(seen.slice(3).map((s) => [s.op, s.ok]), [["query", false], ["transaction", false]]);
    assert.equal(Number((await db.driver.query("SELECT COUNT(*) AS n FROM t", []))[0].n), 2);
    assert.equal(db.spelling, fresh.db.spelling);
  } finally {
    await fresh.close();
  }
});

Deno.test("a throwing observer never fails the database call", async () => {
  const fresh = await sqliteLive.fresh();
  try {
    const db = instrumentDatabase(fresh.db, () => {
      throw new Error("metrics bug");
    });
    assert.equal(Number((await db.driver.query("SELECT 2 AS two", []))[0].two), 2);
  } finally {
    await fresh.close();
  }
});

Deno.test("the timed driver keeps every member of the driver it wraps", async () => {
  const fresh = await sqliteLive.fresh();
  try {
    const inner = fresh.db.driver;
    const outer = instrumentDatabase(fresh.db, () => {}).driver as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(inner)) {
      assert.equal(typeof outer[key], typeof value, `the timed driver lacks ${key}`);
      if (typeof value !== "function") assert.equal(outer[key], value, key);
    }
    assert.equal(typeof outer.writeTransaction, "function");
  } finally {
    await fresh.close();
  }
});
