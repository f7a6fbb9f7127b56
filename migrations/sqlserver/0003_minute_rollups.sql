-- Keys of two names are up to 1,332 bytes: over the 900 of a clustered key, within the 1,700 of a
-- nonclustered one; names are cut to 255 characters for rollups.
-- Per-minute aggregates written at ingest in the batch's transaction, so the dashboard, the
-- service map, RED per operation and the service list read a few rows per minute instead of every
-- span of the window. minute_us is the start of the UTC minute; bucket is a latency bucket (8 per
-- doubling of the duration in µs, see src/store/rollups.ts).
-- span_minutes: spans per service and operation; bucket -1 holds spans that are not requests
-- (not SERVER or CONSUMER, not a root), bucket >= 0 the requests by duration.
CREATE TABLE span_minutes (
  tenant_id NVARCHAR(150) NOT NULL,
  minute_us BIGINT NOT NULL,
  service_name NVARCHAR(255) NOT NULL,
  name NVARCHAR(255) NOT NULL,
  bucket INT NOT NULL,
  span_count BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  duration_sum_us BIGINT NOT NULL,
  CONSTRAINT pk_span_minutes PRIMARY KEY NONCLUSTERED (tenant_id, minute_us, service_name, name, bucket)
);
-- trace_minutes: traces by the minute of their start, per service they involve ('' = all traces);
-- kept current as summaries change (the old summary's row is decremented).
CREATE TABLE trace_minutes (
  tenant_id NVARCHAR(150) NOT NULL,
  minute_us BIGINT NOT NULL,
  service_name NVARCHAR(255) NOT NULL,
  bucket INT NOT NULL,
  trace_count BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  span_count BIGINT NOT NULL,
  duration_sum_us BIGINT NOT NULL,
  CONSTRAINT pk_trace_minutes PRIMARY KEY (tenant_id, minute_us, service_name, bucket)
);
-- edge_minutes: a parent span in one service with a child in another, by the child's minute.
CREATE TABLE edge_minutes (
  tenant_id NVARCHAR(150) NOT NULL,
  minute_us BIGINT NOT NULL,
  parent_service NVARCHAR(255) NOT NULL,
  child_service NVARCHAR(255) NOT NULL,
  call_count BIGINT NOT NULL,
  error_count BIGINT NOT NULL,
  duration_sum_us BIGINT NOT NULL,
  CONSTRAINT pk_edge_minutes PRIMARY KEY NONCLUSTERED (tenant_id, minute_us, parent_service, child_service)
);
-- log_minutes: log records per service and severity number.
CREATE TABLE log_minutes (
  tenant_id NVARCHAR(150) NOT NULL,
  minute_us BIGINT NOT NULL,
  service_name NVARCHAR(255) NOT NULL,
  severity_number INT NOT NULL,
  record_count BIGINT NOT NULL,
  CONSTRAINT pk_log_minutes PRIMARY KEY (tenant_id, minute_us, service_name, severity_number)
);
