-- Spans are found by an integer trace key given to each trace when it is first stored, increasing in
-- time, instead of by the random trace id: the primary key on (tenant, trace id, span id), which is
-- also InnoDB's clustered index, put each span on a random page, which made each transaction write a
-- page for almost every span once the table outgrew the buffer pool. With the primary key on
-- (tenant, trace key, span id), the clustered index, new spans go to the end of the table
-- and the spans of a trace sit together. The trace id stays in every row; only the summary in
-- `traces` is found by it. Traces stored before this migration get a row number as key, far below
-- the keys the writer makes. Spans without a summary could not be reached (search, the trace view
-- and retention start from it) and are dropped.
-- Every statement can run again safely (MySQL DDL is not transactional). Spans keep this one index:
-- the time indexes (retention and the operations list no longer need them) go first, so re-keying does
-- not rebuild them. The defaults only fill the existing rows: a writer that does not set the key (an
-- older Argus beside this one) fails instead of storing spans no trace can reach.
SET @drop_index = (SELECT IF(COUNT(*) > 0, 'ALTER TABLE spans DROP INDEX spans_tenant_start', 'DO 0') FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'spans' AND index_name = 'spans_tenant_start');
PREPARE drop_index FROM @drop_index;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop_index = (SELECT IF(COUNT(*) > 0, 'ALTER TABLE spans DROP INDEX spans_tenant_service_start', 'DO 0') FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'spans' AND index_name = 'spans_tenant_service_start');
PREPARE drop_index FROM @drop_index;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @add_column = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE traces ADD COLUMN trace_key BIGINT NOT NULL DEFAULT 0', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name = 'trace_key');
PREPARE add_column FROM @add_column;
EXECUTE add_column;
DEALLOCATE PREPARE add_column;
UPDATE traces t JOIN (SELECT tenant_id, trace_id, ROW_NUMBER() OVER (ORDER BY tenant_id, trace_id) AS n FROM traces) x ON x.tenant_id = t.tenant_id AND x.trace_id = t.trace_id SET t.trace_key = x.n WHERE t.trace_key = 0;
ALTER TABLE traces ALTER COLUMN trace_key DROP DEFAULT;
SET @add_column = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE spans ADD COLUMN trace_key BIGINT NOT NULL DEFAULT 0 AFTER tenant_id', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'spans' AND column_name = 'trace_key');
PREPARE add_column FROM @add_column;
EXECUTE add_column;
DEALLOCATE PREPARE add_column;
UPDATE spans s JOIN traces t ON t.tenant_id = s.tenant_id AND t.trace_id = s.trace_id SET s.trace_key = t.trace_key WHERE s.trace_key = 0;
DELETE s FROM spans s LEFT JOIN traces t ON t.tenant_id = s.tenant_id AND t.trace_id = s.trace_id WHERE t.trace_id IS NULL;
ALTER TABLE spans ALTER COLUMN trace_key DROP DEFAULT;
SET @rekey = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE spans DROP PRIMARY KEY, ADD PRIMARY KEY (tenant_id, trace_key, span_id)', 'DO 0') FROM information_schema.key_column_usage WHERE table_schema = DATABASE() AND table_name = 'spans' AND constraint_name = 'PRIMARY' AND column_name = 'trace_key');
PREPARE rekey FROM @rekey;
EXECUTE rekey;
DEALLOCATE PREPARE rekey;
