-- MySQL DDL is not transactional: every statement can run again safely. Keys hold at most 255
-- characters of a name (InnoDB keys are limited to 3,072 bytes; longer names are cut for rollups).
-- Per-minute aggregates written at ingest in the batch's transaction, so the dashboard, the
-- service map, RED per operation and the service list read a few rows per minute instead of every
-- span of the window. minute_us is the start of the UTC minute; bucket is a latency bucket (8 per
-- doubling of the duration in µs, see src/store/rollups.ts).
-- span_minutes: spans per service and operation; bucket -1 holds spans that are not requests
-- (not SERVER or CONSUMER, not a root), bucket >= 0 the requests by duration.
CREATE TABLE IF NOT EXISTS span_minutes (
  tenant_id VARCHAR(150) NOT NULL,
  minute_us BIGINT NOT NULL,
  service_name VARCHAR(255) NOT NULL,
  name VARCHAR(255) NOT NULL,
  bucket INT NOT NULL,
  span_count BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  duration_sum_us BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, minute_us, service_name, name, bucket)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- trace_minutes: traces by the minute of their start, per service they involve ('' = all traces);
-- kept current as summaries change (the old summary's row is decremented).
CREATE TABLE IF NOT EXISTS trace_minutes (
  tenant_id VARCHAR(150) NOT NULL,
  minute_us BIGINT NOT NULL,
  service_name VARCHAR(255) NOT NULL,
  bucket INT NOT NULL,
  trace_count BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  span_count BIGINT NOT NULL,
  duration_sum_us BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, minute_us, service_name, bucket)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- edge_minutes: a parent span in one service with a child in another, by the child's minute.
CREATE TABLE IF NOT EXISTS edge_minutes (
  tenant_id VARCHAR(150) NOT NULL,
  minute_us BIGINT NOT NULL,
  parent_service VARCHAR(255) NOT NULL,
  child_service VARCHAR(255) NOT NULL,
  call_count BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  duration_sum_us BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, minute_us, parent_service, child_service)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
-- log_minutes: log records per service and severity number.
CREATE TABLE IF NOT EXISTS log_minutes (
  tenant_id VARCHAR(150) NOT NULL,
  minute_us BIGINT NOT NULL,
  service_name VARCHAR(255) NOT NULL,
  severity_number INT NOT NULL,
  record_count BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, minute_us, service_name, severity_number)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
