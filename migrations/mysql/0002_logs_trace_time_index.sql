-- A trace's logs are read in time order: one index serves both the filter and the order.
DROP INDEX logs_tenant_trace ON logs;
CREATE INDEX logs_tenant_trace_time ON logs (tenant_id, trace_id, timestamp_us);
