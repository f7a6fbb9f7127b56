-- Spans, trace summaries and logs (SPEC §4). Times are integer microseconds.
-- MySQL DDL is not transactional, so every statement can run again safely;
-- indexes sit inside CREATE TABLE because MySQL lacks CREATE INDEX IF NOT EXISTS.
-- utf8mb4 stores 4-byte characters; the binary collation keeps id and name
-- comparisons exact, as on the other databases.
CREATE TABLE IF NOT EXISTS spans (
  tenant_id VARCHAR(150) NOT NULL,
  trace_id VARCHAR(32) NOT NULL,
  span_id VARCHAR(16) NOT NULL,
  parent_span_id VARCHAR(16) NOT NULL DEFAULT '',
  name VARCHAR(1024) NOT NULL,
  service_name VARCHAR(255) NOT NULL,
  kind VARCHAR(16) NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  duration_us BIGINT NOT NULL,
  status_code VARCHAR(8) NOT NULL,
  status_message TEXT NOT NULL,
  attributes LONGTEXT NOT NULL,
  resource_attributes LONGTEXT NOT NULL,
  events LONGTEXT NOT NULL,
  links LONGTEXT NOT NULL,
  scope_name TEXT NOT NULL,
  scope_version TEXT NOT NULL,
  PRIMARY KEY (tenant_id, trace_id, span_id),
  KEY spans_tenant_start (tenant_id, start_us),
  KEY spans_tenant_service_start (tenant_id, service_name, start_us)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS traces (
  tenant_id VARCHAR(150) NOT NULL,
  trace_id VARCHAR(32) NOT NULL,
  service_name VARCHAR(255) NOT NULL,
  name VARCHAR(1024) NOT NULL,
  root_span_id VARCHAR(16) NOT NULL DEFAULT '',
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  duration_us BIGINT NOT NULL,
  status VARCHAR(8) NOT NULL,
  span_count INT NOT NULL,
  error_count INT NOT NULL,
  services TEXT NOT NULL,
  PRIMARY KEY (tenant_id, trace_id),
  KEY traces_tenant_start (tenant_id, start_us),
  KEY traces_tenant_service_start (tenant_id, service_name, start_us)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS logs (
  id BIGINT NOT NULL PRIMARY KEY,
  tenant_id VARCHAR(150) NOT NULL,
  timestamp_us BIGINT NOT NULL,
  trace_id VARCHAR(32) NOT NULL DEFAULT '',
  span_id VARCHAR(16) NOT NULL DEFAULT '',
  severity_number INT NOT NULL,
  severity VARCHAR(32) NOT NULL,
  body LONGTEXT NOT NULL,
  service_name VARCHAR(255) NOT NULL,
  attributes LONGTEXT NOT NULL,
  resource_attributes LONGTEXT NOT NULL,
  scope_name TEXT NOT NULL,
  ai_insight TEXT NOT NULL,
  ai_status VARCHAR(8) NOT NULL DEFAULT 'none',
  KEY logs_tenant_time (tenant_id, timestamp_us),
  KEY logs_tenant_service_time (tenant_id, service_name, timestamp_us),
  KEY logs_tenant_trace (tenant_id, trace_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
