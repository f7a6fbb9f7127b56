-- Spans are found by an integer trace key given to each trace when it is first stored, increasing in
-- time, instead of by the random trace id: the primary key on (tenant, trace id, span id) took one
-- random page per span, which made each transaction write a page of that index for almost every
-- span once the index outgrew the cache (the ingest rate fell with the table's size). The trace id
-- stays in every row; only the summary in `traces` is found by it. Traces stored before this
-- migration get their row number as key, far below the keys the writer makes. Spans without a
-- summary could not be reached (search, the trace view and retention start from it) and are dropped.
ALTER TABLE traces ADD COLUMN trace_key INTEGER NOT NULL DEFAULT 0;
UPDATE traces SET trace_key = rowid;
CREATE TABLE spans_keyed (
  tenant_id TEXT NOT NULL,
  trace_key INTEGER NOT NULL,
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  parent_span_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  service_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  status_code TEXT NOT NULL,
  status_message TEXT NOT NULL DEFAULT '',
  attributes TEXT NOT NULL DEFAULT '{}',
  resource_attributes TEXT NOT NULL DEFAULT '{}',
  events TEXT NOT NULL DEFAULT '[]',
  links TEXT NOT NULL DEFAULT '[]',
  scope_name TEXT NOT NULL DEFAULT '',
  scope_version TEXT NOT NULL DEFAULT '',
  resource_id TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, trace_key, span_id)
);
INSERT INTO spans_keyed (tenant_id, trace_key, trace_id, span_id, parent_span_id, name, service_name, kind,
  start_us, end_us, duration_us, status_code, status_message, attributes, resource_attributes, events, links,
  scope_name, scope_version, resource_id)
SELECT s.tenant_id, t.trace_key, s.trace_id, s.span_id, s.parent_span_id, s.name, s.service_name, s.kind,
  s.start_us, s.end_us, s.duration_us, s.status_code, s.status_message, s.attributes, s.resource_attributes,
  s.events, s.links, s.scope_name, s.scope_version, s.resource_id
FROM spans s JOIN traces t ON t.tenant_id = s.tenant_id AND t.trace_id = s.trace_id
ORDER BY t.trace_key, s.span_id;
DROP TABLE spans;
ALTER TABLE spans_keyed RENAME TO spans;
-- The rebuilt table gets no time indexes: spans keep one index (retention and the operations list no
-- longer need them); the other dialects drop them.
-- Planner statistics for the rebuilt table's indexes, as migration 0005 seeds them.
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
