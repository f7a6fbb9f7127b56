-- Logs are found by their trace's key (migration 0006) instead of by the random trace id: the index
-- (tenant, trace id, time) took one random page per log and was the largest single cost of storing
-- logs. Every trace that has logs gets a row in `trace_keys` (tenant, trace id → the key its logs
-- are stored under), written with its first logs: the summary's key when its spans came first, else
-- a new key that its spans take when they come. Traces known only from logs stored before this
-- migration get keys after the highest key given so far.
-- MySQL commits each DDL statement: every step can run again after a failure part-way.
CREATE TABLE IF NOT EXISTS trace_keys (
  tenant_id VARCHAR(150) NOT NULL,
  trace_id VARCHAR(32) NOT NULL,
  trace_key BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, trace_id),
  KEY trace_keys_tenant_key (tenant_id, trace_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
SET @add_column = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE logs ADD COLUMN trace_key BIGINT NULL', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'logs' AND column_name = 'trace_key');
PREPARE add_column FROM @add_column;
EXECUTE add_column;
DEALLOCATE PREPARE add_column;
INSERT INTO trace_keys (tenant_id, trace_id, trace_key)
SELECT DISTINCT l.tenant_id, l.trace_id, t.trace_key
FROM logs l JOIN traces t ON t.tenant_id = l.tenant_id AND t.trace_id = l.trace_id
WHERE NOT EXISTS (SELECT 1 FROM trace_keys k WHERE k.tenant_id = l.tenant_id AND k.trace_id = l.trace_id);
INSERT INTO trace_keys (tenant_id, trace_id, trace_key)
SELECT x.tenant_id, x.trace_id, m.k + ROW_NUMBER() OVER (ORDER BY x.tenant_id, x.trace_id)
FROM (
  SELECT DISTINCT l.tenant_id, l.trace_id FROM logs l
  WHERE l.trace_id <> ''
    AND NOT EXISTS (SELECT 1 FROM traces t WHERE t.tenant_id = l.tenant_id AND t.trace_id = l.trace_id)
    AND NOT EXISTS (SELECT 1 FROM trace_keys k WHERE k.tenant_id = l.tenant_id AND k.trace_id = l.trace_id)
) x CROSS JOIN (
  SELECT GREATEST(COALESCE((SELECT MAX(trace_key) FROM traces), 0), COALESCE((SELECT MAX(trace_key) FROM trace_keys), 0)) AS k
) m;
UPDATE logs l JOIN trace_keys k ON k.tenant_id = l.tenant_id AND k.trace_id = l.trace_id
SET l.trace_key = k.trace_key
WHERE l.trace_key IS NULL;
SET @drop_index = (SELECT IF(COUNT(*) > 0, 'ALTER TABLE logs DROP INDEX logs_tenant_trace_time', 'DO 0') FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'logs' AND index_name = 'logs_tenant_trace_time');
PREPARE drop_index FROM @drop_index;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @add_index = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE logs ADD INDEX logs_tenant_trace_key_time (tenant_id, trace_key, timestamp_us)', 'DO 0') FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'logs' AND index_name = 'logs_tenant_trace_key_time');
PREPARE add_index FROM @add_index;
EXECUTE add_index;
DEALLOCATE PREPARE add_index;
