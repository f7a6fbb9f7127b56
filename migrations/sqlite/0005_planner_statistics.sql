-- Planner statistics for a database that has none yet. Without them SQLite guesses that
-- `tenant_id = ?` is selective and may walk a tenant's whole index instead of a key: the batch
-- writer's log-id lookup read every log entry of the tenant (214 ms per batch at 250k logs, growing
-- with the table). These rows say what ANALYZE finds in a one-tenant database: equality on tenant_id
-- matches every row; each further column narrows (the last one to a single row). The driver's hourly
-- PRAGMA optimize may replace them with measured figures when it judges them stale.
ANALYZE sqlite_schema;
INSERT INTO sqlite_stat1 (tbl, idx, stat)
SELECT i.tbl_name, i.name, '1000000 1000000' || (
  SELECT group_concat(CASE WHEN c.seqno = (SELECT MAX(seqno) FROM pragma_index_info(i.name)) THEN ' 1' ELSE ' 100' END, '')
  FROM pragma_index_info(i.name) c WHERE c.seqno > 0
)
FROM sqlite_schema i
WHERE i.type = 'index'
  AND (SELECT name FROM pragma_index_info(i.name) WHERE seqno = 0) = 'tenant_id'
  AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.idx = i.name);
ANALYZE sqlite_schema;
