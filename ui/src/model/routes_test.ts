import assert from "node:assert/strict";
import { isPlainLeftClick, matchRoute, tracePath } from "./routes.ts";

Deno.test("matchRoute maps every page and ignores trailing slashes", () => {
  assert.deepEqual(matchRoute("/"), { page: "dashboard" });
  assert.deepEqual(matchRoute("/traces/"), { page: "traces" });
  assert.deepEqual(matchRoute("/logs"), { page: "logs" });
  assert.deepEqual(matchRoute("/service-map"), { page: "servicemap" });
  assert.deepEqual(matchRoute("/settings"), { page: "settings" });
  assert.deepEqual(matchRoute("/traces/ABCdef"), { page: "trace", traceId: "abcdef" });
  assert.deepEqual(matchRoute("/nope"), { page: "notFound", path: "/nope" });
  assert.deepEqual(matchRoute("/traces/%E0%A4%A"), { page: "notFound", path: "/traces/%E0%A4%A" });
});

Deno.test("tracePath encodes the id", () => {
  assert.equal(tracePath("abc"), "/traces/abc");
  assert.equal(tracePath("a/b"), "/traces/a%2Fb");
});

Deno.test("isPlainLeftClick lets modified and non-primary clicks through to the browser", () => {
  const plain = {
    button: 0,
    metaKey: false,
    ctrlKey: false,
    shiftKey: false,
    altKey: false,
    defaultPrevented: false,
  };
  assert.equal(isPlainLeftClick(plain), true);
  assert.equal(isPlainLeftClick({ ...plain, button: 1 }), false);
  assert.equal(isPlainLeftClick({ ...plain, ctrlKey: true }), false);
  assert.equal(isPlainLeftClick({ ...plain, metaKey: true }), false);
  assert.equal(isPlainLeftClick({ ...plain, shiftKey: true }), false);
  assert.equal(isPlainLeftClick({ ...plain, defaultPrevented: true }), false);
  assert.equal(isPlainLeftClick(plain, "_blank"), false);
});
