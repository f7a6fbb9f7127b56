import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { sqliteLive } from "../../../tests/support/databases.ts";
import { writeTransaction } from "../write.ts";

const fileSize = (path: string) => Deno.statSync(path).size;

Deno.test("SQLite: the checkpointer copies committed pages into the database file while the writer goes on", async () => {
  const fresh = await sqliteLive.fresh();
  try {
    const { driver } = fresh.db;
    await driver.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", []);
    const before = fileSize(fresh.dsn);
    // About 8 MB in the log: far below the writer's own automatic checkpoint (256 MB of frames), so
    // only the checkpointer can have moved them into the database file.
    const body = "x".repeat(4000);
    for (let batch = 0; batch < 4; batch++) {
      await writeTransaction(driver, () =>
        Promise.resolve({
          result: null,
          writes: [{
            text: "INSERT INTO filler (body) VALUES (?)",
            each: Array.from({ length: 500 }, () => [body]),
          }],
        }));
    }
    const deadline = Date.now() + 5000;
    while (fileSize(fresh.dsn) < before + 7_000_000 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(fileSize(fresh.dsn) >= before + 7_000_000, `database file ${fileSize(fresh.dsn)} B`);
    // What was copied is what was committed: another connection reads every row.
    const other = new DatabaseSync(fresh.dsn, { readOnly: true });
    try {
      assert.equal(other.prepare("SELECT COUNT(*) AS n FROM filler").get()?.n, 2000);
    } finally {
      other.close();
    }
  } finally {
    await fresh.close();
  }
});

Deno.test("SQLite: a write transaction whose statement fails leaves nothing behind and the writer usable", async () => {
  const fresh = await sqliteLive.fresh();
  try {
    const { driver } = fresh.db;
    await driver.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)", []);
    await assert.rejects(
      writeTransaction(driver, () =>
        Promise.resolve({
          result: null,
          writes: [
            { text: "INSERT INTO t (id) VALUES (?)", each: [[1], [2]] },
            { text: "INSERT INTO t (id) VALUES (?)", params: [1] },
          ],
        })),
      /UNIQUE|constraint/i,
    );
    assert.equal((await driver.query("SELECT COUNT(*) AS n FROM t", []))[0].n, 0);
    const result = await writeTransaction(driver, async (reads) => ({
      result: (await reads.query("SELECT COUNT(*) AS n FROM t", []))[0].n,
      writes: [{ text: "INSERT INTO t (id) VALUES (?)", params: [3] }],
    }));
    assert.equal(result, 0);
    assert.deepEqual((await driver.query("SELECT id FROM t", [])).map((r) => r.id), [3]);
  } finally {
    await fresh.close();
  }
});
