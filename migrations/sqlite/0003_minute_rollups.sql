-- Per-minute aggregates written at ingest in the batch's transaction, so the dashboard, the
-- service map, RED per operation and the service list read a few rows per minute instead of every
-- span of the window. minute_us is the start of the UTC minute; bucket is a latency bucket (8 per
-- doubling of the duration in µs, see src/store/rollups.ts).
-- span_minutes: spans per service and operation; bucket -1 holds spans that are not requests
-- (not SERVER or CONSUMER, not a root), bucket >= 0 the requests by duration.
CREATE TABLE span_minutes (
  tenant_id TEXT NOT NULL,
  minute_us INTEGER NOT NULL,
  service_name TEXT NOT NULL,
  name TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  duration_sum_us INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, minute_us, service_name, name, bucket)
);
-- trace_minutes: traces by the minute of their start, per service they involve ('' = all traces);
-- kept current as summaries change (the old summary's row is decremented).
CREATE TABLE trace_minutes (
  tenant_id TEXT NOT NULL,
  minute_us INTEGER NOT NULL,
  service_name TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  trace_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  span_count INTEGER NOT NULL,
  duration_sum_us INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, minute_us, service_name, bucket)
);
-- edge_minutes: a parent span in one service with a child in another, by the child's minute.
CREATE TABLE edge_minutes (
  tenant_id TEXT NOT NULL,
  minute_us INTEGER NOT NULL,
  parent_service TEXT NOT NULL,
  child_service TEXT NOT NULL,
  call_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  duration_sum_us INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, minute_us, parent_service, child_service)
);
-- log_minutes: log records per service and severity number.
CREATE TABLE log_minutes (
  tenant_id TEXT NOT NULL,
  minute_us INTEGER NOT NULL,
  service_name TEXT NOT NULL,
  severity_number INTEGER NOT NULL,
  record_count INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, minute_us, service_name, severity_number)
);
