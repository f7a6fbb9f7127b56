import assert from "node:assert/strict";
import { StateWriter } from "./state_writer.ts";
import type { AiStatus } from "../store/rows.ts";

Deno.test("states are written in order, consecutive equal outcomes in one statement, then published", async () => {
  const statements: [string, number[], AiStatus, string | undefined][] = [];
  const writer = new StateWriter((tenant, ids, status, insight) => {
    statements.push([tenant, [...ids], status, insight]);
    return new Promise((r) => setTimeout(r, 1));
  });
  const heard: string[] = [];
  writer.onWritten((tenant, id, insight, status) => heard.push(`${tenant}/${id}:${status}:${insight}`));
  const pending = writer.writeNow("a", 7, "pending", undefined);
  writer.write("a", [1, 2], "done", "x");
  writer.write("a", [3], "done", "x");
  writer.write("b", [4], "done", "x");
  writer.write("a", [7], "done", "y");
  await pending;
  await writer.idle(1000);
  assert.deepEqual(statements, [
    ["a", [7], "pending", undefined],
    ["a", [1, 2, 3], "done", "x"],
    ["b", [4], "done", "x"],
    ["a", [7], "done", "y"],
  ]);
  assert.deepEqual(heard, [
    "a/7:pending:",
    "a/1:done:x",
    "a/2:done:x",
    "a/3:done:x",
    "b/4:done:x",
    "a/7:done:y",
  ]);
});

Deno.test("a refused write is counted, rejects the caller who waits, and does not stop the next", async () => {
  let n = 0;
  const writer = new StateWriter(() => ++n === 1 ? Promise.reject(new Error("db down")) : Promise.resolve());
  await assert.rejects(() => writer.writeNow("a", 1, "pending", undefined), /db down/);
  writer.write("a", [2, 3], "done", "x");
  await writer.idle(1000);
  assert.equal(writer.failures, 1);
  assert.equal(n, 2);
});
