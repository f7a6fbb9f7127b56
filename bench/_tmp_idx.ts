import { openDatabase } from "../src/db/open.ts";
import { migrate } from "../src/db/migrate.ts";
import { bulkLoad } from "./storage.ts";
for (const drop of [false, true, false, true]) {
  const dir = await Deno.makeTempDir();
  const db = await openDatabase("sqlite", `${dir}/a.db`);
  await migrate(db);
  if (drop) await db.driver.execute("DROP INDEX spans_tenant_start", []);
  const l = await bulkLoad(db, 400_000, 0, 3600_000, async () => {}, () => {});
  console.log(drop ? "without" : "with", Math.round(400_000 / l.loadSeconds), "spans/s");
  await db.driver.close();
  await Deno.remove(dir, { recursive: true });
}
