-- A trace's logs are read in time order: one index serves both the filter and the order, so no
-- planner (SQLite without statistics in particular) walks the tenant's whole time index instead.
DROP INDEX logs_tenant_trace;
CREATE INDEX logs_tenant_trace_time ON logs (tenant_id, trace_id, timestamp_us);
