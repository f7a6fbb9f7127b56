-- Spans, trace summaries and logs (SPEC §4). Times are integer microseconds.
-- Every text column is NVARCHAR: parameters arrive as NVARCHAR, and comparing
-- them with VARCHAR columns would convert the column and lose index seeks.
CREATE TABLE spans (
  tenant_id NVARCHAR(150) NOT NULL,
  trace_id NVARCHAR(32) NOT NULL,
  span_id NVARCHAR(16) NOT NULL,
  parent_span_id NVARCHAR(16) NOT NULL DEFAULT '',
  name NVARCHAR(1024) NOT NULL,
  service_name NVARCHAR(255) NOT NULL,
  kind NVARCHAR(16) NOT NULL,
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  duration_us BIGINT NOT NULL,
  status_code NVARCHAR(8) NOT NULL,
  status_message NVARCHAR(MAX) NOT NULL DEFAULT '',
  attributes NVARCHAR(MAX) NOT NULL DEFAULT '{}',
  resource_attributes NVARCHAR(MAX) NOT NULL DEFAULT '{}',
  events NVARCHAR(MAX) NOT NULL DEFAULT '[]',
  links NVARCHAR(MAX) NOT NULL DEFAULT '[]',
  scope_name NVARCHAR(MAX) NOT NULL DEFAULT '',
  scope_version NVARCHAR(MAX) NOT NULL DEFAULT '',
  CONSTRAINT pk_spans PRIMARY KEY (tenant_id, trace_id, span_id)
);
CREATE INDEX spans_tenant_start ON spans (tenant_id, start_us);
CREATE INDEX spans_tenant_service_start ON spans (tenant_id, service_name, start_us);

CREATE TABLE traces (
  tenant_id NVARCHAR(150) NOT NULL,
  trace_id NVARCHAR(32) NOT NULL,
  service_name NVARCHAR(255) NOT NULL,
  name NVARCHAR(1024) NOT NULL,
  root_span_id NVARCHAR(16) NOT NULL DEFAULT '',
  start_us BIGINT NOT NULL,
  end_us BIGINT NOT NULL,
  duration_us BIGINT NOT NULL,
  status NVARCHAR(8) NOT NULL,
  span_count INT NOT NULL,
  error_count INT NOT NULL,
  services NVARCHAR(MAX) NOT NULL DEFAULT '[]',
  CONSTRAINT pk_traces PRIMARY KEY (tenant_id, trace_id)
);
CREATE INDEX traces_tenant_start ON traces (tenant_id, start_us);
CREATE INDEX traces_tenant_service_start ON traces (tenant_id, service_name, start_us);

CREATE TABLE logs (
  id BIGINT NOT NULL CONSTRAINT pk_logs PRIMARY KEY,
  tenant_id NVARCHAR(150) NOT NULL,
  timestamp_us BIGINT NOT NULL,
  trace_id NVARCHAR(32) NOT NULL DEFAULT '',
  span_id NVARCHAR(16) NOT NULL DEFAULT '',
  severity_number INT NOT NULL,
  severity NVARCHAR(32) NOT NULL,
  body NVARCHAR(MAX) NOT NULL,
  service_name NVARCHAR(255) NOT NULL,
  attributes NVARCHAR(MAX) NOT NULL DEFAULT '{}',
  resource_attributes NVARCHAR(MAX) NOT NULL DEFAULT '{}',
  scope_name NVARCHAR(MAX) NOT NULL DEFAULT '',
  ai_insight NVARCHAR(MAX) NOT NULL DEFAULT '',
  ai_status NVARCHAR(8) NOT NULL DEFAULT 'none'
);
CREATE INDEX logs_tenant_time ON logs (tenant_id, timestamp_us);
CREATE INDEX logs_tenant_service_time ON logs (tenant_id, service_name, timestamp_us);
CREATE INDEX logs_tenant_trace ON logs (tenant_id, trace_id);
