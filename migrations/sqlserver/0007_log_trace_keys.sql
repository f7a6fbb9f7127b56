-- Logs are found by their trace's key (migration 0006) instead of by the random trace id: the index
-- (tenant, trace id, time) took one random page per log and was the largest single cost of storing
-- logs. Every trace that has logs gets a row in `trace_keys` (tenant, trace id → the key its logs
-- are stored under), written with its first logs: the summary's key when its spans came first, else
-- a new key that its spans take when they come. Traces known only from logs stored before this
-- migration get keys after the highest key given so far.
CREATE TABLE trace_keys (
  tenant_id NVARCHAR(150) NOT NULL,
  trace_id NVARCHAR(32) NOT NULL,
  trace_key BIGINT NOT NULL,
  CONSTRAINT pk_trace_keys PRIMARY KEY (tenant_id, trace_id)
);
CREATE INDEX trace_keys_tenant_key ON trace_keys (tenant_id, trace_key);
ALTER TABLE logs ADD trace_key BIGINT NULL;
INSERT INTO trace_keys (tenant_id, trace_id, trace_key)
SELECT DISTINCT l.tenant_id, l.trace_id, t.trace_key
FROM logs l JOIN traces t ON t.tenant_id = l.tenant_id AND t.trace_id = l.trace_id;
INSERT INTO trace_keys (tenant_id, trace_id, trace_key)
SELECT x.tenant_id, x.trace_id, m.k + ROW_NUMBER() OVER (ORDER BY x.tenant_id, x.trace_id)
FROM (
  SELECT DISTINCT l.tenant_id, l.trace_id FROM logs l
  WHERE l.trace_id <> ''
    AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.tenant_id = l.tenant_id AND t.trace_id = l.trace_id)
) x CROSS JOIN (SELECT COALESCE(MAX(trace_key), 0) AS k FROM traces) m;
UPDATE l SET trace_key = k.trace_key
FROM logs l JOIN trace_keys k ON k.tenant_id = l.tenant_id AND k.trace_id = l.trace_id;
DROP INDEX logs_tenant_trace_time ON logs;
CREATE INDEX logs_tenant_trace_key_time ON logs (tenant_id, trace_key, timestamp_us);
