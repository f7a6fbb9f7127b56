-- Spans keep one index, the trace key's (migration 0006); every other index a span has costs its
-- insert an index entry. The time index served only retention's sweep for spans whose summary is
-- gone, which now goes by trace key (it increases in time); the service-and-time index served only
-- the operations of a service, which the per-minute span rollup lists.
-- Every statement can run again safely (MySQL DDL is not transactional). Migration 0006 dropped them
-- already (before re-keying the table); kept for the record.
SET @drop_index = (SELECT IF(COUNT(*) > 0, 'ALTER TABLE spans DROP INDEX spans_tenant_start', 'DO 0') FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'spans' AND index_name = 'spans_tenant_start');
PREPARE drop_index FROM @drop_index;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
SET @drop_index = (SELECT IF(COUNT(*) > 0, 'ALTER TABLE spans DROP INDEX spans_tenant_service_start', 'DO 0') FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'spans' AND index_name = 'spans_tenant_service_start');
PREPARE drop_index FROM @drop_index;
EXECUTE drop_index;
DEALLOCATE PREPARE drop_index;
