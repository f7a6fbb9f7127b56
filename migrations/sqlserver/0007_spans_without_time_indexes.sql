-- Spans keep one index, the trace key's (migration 0006); every other index a span has costs its
-- insert an index entry. The time index served only retention's sweep for spans whose summary is
-- gone, which now goes by trace key (it increases in time); the service-and-time index served only
-- the operations of a service, which the per-minute span rollup lists.
-- Migration 0006 dropped them already (before re-keying the table); kept for the record.
DROP INDEX IF EXISTS spans_tenant_start ON spans;
DROP INDEX IF EXISTS spans_tenant_service_start ON spans;
