-- Spans are found by an integer trace key given to each trace when it is first stored, increasing in
-- time, instead of by the random trace id: the primary key on (tenant, trace id, span id) took one
-- random page per span, which made each transaction write a page of that index for almost every
-- span once the index outgrew the cache. The trace id stays in every row; only the summary in
-- `traces` is found by it. Traces stored before this migration get a row number as key, far below
-- the keys the writer makes. Spans without a summary could not be reached (search, the trace view
-- and retention start from it) and are dropped.
-- Spans keep this one index: the time indexes (retention and the operations list no longer need them)
-- go first, so the rewrite does not maintain them. The defaults only fill the existing rows: a writer
-- that does not set the key (an older Argus beside this one) fails instead of storing spans no trace
-- can reach.
DROP INDEX IF EXISTS spans_tenant_start;
DROP INDEX IF EXISTS spans_tenant_service_start;
ALTER TABLE traces ADD COLUMN trace_key BIGINT NOT NULL DEFAULT 0;
CREATE SEQUENCE argus_trace_key_backfill;
UPDATE traces SET trace_key = nextval('argus_trace_key_backfill');
DROP SEQUENCE argus_trace_key_backfill;
ALTER TABLE traces ALTER COLUMN trace_key DROP DEFAULT;
ALTER TABLE spans ADD COLUMN trace_key BIGINT NOT NULL DEFAULT 0;
UPDATE spans s SET trace_key = t.trace_key FROM traces t WHERE t.tenant_id = s.tenant_id AND t.trace_id = s.trace_id;
DELETE FROM spans s WHERE NOT EXISTS (SELECT 1 FROM traces t WHERE t.tenant_id = s.tenant_id AND t.trace_id = s.trace_id);
ALTER TABLE spans ALTER COLUMN trace_key DROP DEFAULT;
ALTER TABLE spans DROP CONSTRAINT spans_pkey;
ALTER TABLE spans ADD PRIMARY KEY (tenant_id, trace_key, span_id);
