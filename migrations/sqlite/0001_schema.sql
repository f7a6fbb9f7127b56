-- Spans, trace summaries and logs (SPEC §4). Times are integer microseconds.
CREATE TABLE spans (
  tenant_id TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  span_id TEXT NOT NULL,
  parent_span_id TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  service_name TEXT NOT NULL,
  kind TEXT NOT NULL,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  status_code TEXT NOT NULL,
  status_message TEXT NOT NULL DEFAULT '',
  attributes TEXT NOT NULL DEFAULT '{}',
  resource_attributes TEXT NOT NULL DEFAULT '{}',
  events TEXT NOT NULL DEFAULT '[]',
  links TEXT NOT NULL DEFAULT '[]',
  scope_name TEXT NOT NULL DEFAULT '',
  scope_version TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (tenant_id, trace_id, span_id)
);
CREATE INDEX spans_tenant_start ON spans (tenant_id, start_us);
CREATE INDEX spans_tenant_service_start ON spans (tenant_id, service_name, start_us);

CREATE TABLE traces (
  tenant_id TEXT NOT NULL,
  trace_id TEXT NOT NULL,
  service_name TEXT NOT NULL,
  name TEXT NOT NULL,
  root_span_id TEXT NOT NULL DEFAULT '',
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  status TEXT NOT NULL,
  span_count INTEGER NOT NULL,
  error_count INTEGER NOT NULL,
  services TEXT NOT NULL DEFAULT '[]',
  PRIMARY KEY (tenant_id, trace_id)
);
CREATE INDEX traces_tenant_start ON traces (tenant_id, start_us);
CREATE INDEX traces_tenant_service_start ON traces (tenant_id, service_name, start_us);

CREATE TABLE logs (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  timestamp_us INTEGER NOT NULL,
  trace_id TEXT NOT NULL DEFAULT '',
  span_id TEXT NOT NULL DEFAULT '',
  severity_number INTEGER NOT NULL,
  severity TEXT NOT NULL,
  body TEXT NOT NULL,
  service_name TEXT NOT NULL,
  attributes TEXT NOT NULL DEFAULT '{}',
  resource_attributes TEXT NOT NULL DEFAULT '{}',
  scope_name TEXT NOT NULL DEFAULT '',
  ai_insight TEXT NOT NULL DEFAULT '',
  ai_status TEXT NOT NULL DEFAULT 'none'
);
CREATE INDEX logs_tenant_time ON logs (tenant_id, timestamp_us);
CREATE INDEX logs_tenant_service_time ON logs (tenant_id, service_name, timestamp_us);
CREATE INDEX logs_tenant_trace ON logs (tenant_id, trace_id);
