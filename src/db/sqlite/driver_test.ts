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
    // About 8 MB in the log: far below the writer's own automatic checkpoint (512 MB of frames), so
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

/** Two write transactions sent together; returns what the second one's reads saw and the order of events. */
async function sideBySide(
  claims: readonly [ReadonlySet<unknown> | undefined, ReadonlySet<unknown> | undefined],
) {
  const fresh = await sqliteLive.fresh();
  try {
    const { driver } = fresh.db;
    await driver.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)", []);
    const events: string[] = [];
    // Large enough that the writer thread is still busy when the second transaction reads.
    const rows = Array.from({ length: 20_000 }, (_, i) => [i, "x".repeat(100)]);
    const first = writeTransaction(
      driver,
      () =>
        Promise.resolve({
          result: null,
          writes: [{ text: "INSERT INTO t (id, body) VALUES (?, ?)", each: rows }],
        }),
      { claims: claims[0], onPrepared: () => events.push("first prepared") },
    ).then(() => events.push("first committed"));
    const second = writeTransaction(driver, async (reads) => {
      events.push("second reads");
      return {
        result: Number((await reads.query("SELECT COUNT(*) AS n FROM t", []))[0].n),
        writes: [{ text: "INSERT INTO t (id, body) VALUES (?, ?)", params: [-1, "second"] }],
      };
    }, { claims: claims[1] });
    const [, seen] = await Promise.all([first, second]);
    assert.equal((await driver.query("SELECT COUNT(*) AS n FROM t", []))[0].n, 20_001);
    return { seen, events };
  } finally {
    await fresh.close();
  }
}

Deno.test("SQLite: a write transaction reads while an earlier one with other claims commits", async () => {
  const { events } = await sideBySide([new Set(["trace-a", 1]), new Set(["trace-b", 2])]);
  assert.deepEqual(events, ["first prepared", "second reads", "first committed"]);
});

Deno.test("SQLite: a write transaction that shares a claim, or names none, reads only after the earlier commit", async () => {
  for (
    const claims of [[new Set(["trace-a", 1]), new Set(["trace-b", 1])], [
      new Set(["trace-a"]),
      undefined,
    ]] as const
  ) {
    const { seen, events } = await sideBySide(claims);
    assert.equal(seen, 20_000, `claims ${JSON.stringify(claims.map((c) => c && [...c]))}`);
    assert.deepEqual(events.slice(0, 1), ["first prepared"]);
    assert.ok(events.indexOf("second reads") > events.indexOf("first prepared"));
  }
});

Deno.test("SQLite: a plain write waits for every write transaction prepared before it", async () => {
  const fresh = await sqliteLive.fresh();
  try {
    const { driver } = fresh.db;
    await driver.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)", []);
    const rows = Array.from({ length: 20_000 }, (_, i) => [i]);
    const batch = writeTransaction(
      driver,
      () =>
        Promise.resolve({ result: null, writes: [{ text: "INSERT INTO t (id) VALUES (?)", each: rows }] }),
      { claims: new Set(["a"]) },
    );
    // A retention purge, say: it sees the batch committed, never half of it.
    const deleted = await driver.execute("DELETE FROM t", []);
    await batch;
    assert.equal(deleted, 20_000);
    assert.equal((await driver.query("SELECT COUNT(*) AS n FROM t", []))[0].n, 0);
  } finally {
    await fresh.close();
  }
});
