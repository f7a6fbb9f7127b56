-- Spans are found by an integer trace key given to each trace when it is first stored, increasing in
-- time, instead of by the random trace id: the clustered primary key on (tenant, trace id, span id)
-- put each span on a random page, which made each transaction write a page for almost every span
-- once the table outgrew memory. The clustered primary key on (tenant, trace key, span id) puts
-- new spans at the end of the table and the spans of a trace together. The trace id stays in every
-- row; only the summary in `traces` is found by it. Traces stored before this migration get a row
-- number as key, far below the keys the writer makes. Spans without a summary could not be reached
-- (search, the trace view and retention start from it) and are dropped.
-- Spans keep this one index: the time indexes (retention and the operations list no longer need them)
-- go first, so re-keying does not rebuild them. The named defaults only fill the existing rows and are
-- dropped: a writer that does not set the key (an older Argus beside this one) fails instead of
-- storing spans no trace can reach.
DROP INDEX spans_tenant_start ON spans;
DROP INDEX spans_tenant_service_start ON spans;
ALTER TABLE traces ADD trace_key BIGINT NOT NULL CONSTRAINT df_traces_trace_key DEFAULT 0;
WITH numbered AS (SELECT trace_key, ROW_NUMBER() OVER (ORDER BY tenant_id, trace_id) AS n FROM traces) UPDATE numbered SET trace_key = n;
ALTER TABLE traces DROP CONSTRAINT df_traces_trace_key;
ALTER TABLE spans ADD trace_key BIGINT NOT NULL CONSTRAINT df_spans_trace_key DEFAULT 0;
UPDATE s SET trace_key = t.trace_key FROM spans s JOIN traces t ON t.tenant_id = s.tenant_id AND t.trace_id = s.trace_id;
DELETE s FROM spans s WHERE NOT EXISTS (SELECT 1 FROM traces t WHERE t.tenant_id = s.tenant_id AND t.trace_id = s.trace_id);
ALTER TABLE spans DROP CONSTRAINT df_spans_trace_key;
ALTER TABLE spans DROP CONSTRAINT pk_spans;
ALTER TABLE spans ADD CONSTRAINT pk_spans PRIMARY KEY CLUSTERED (tenant_id, trace_key, span_id);
