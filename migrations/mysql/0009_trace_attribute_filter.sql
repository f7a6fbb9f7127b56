-- A Bloom filter of each trace's span attributes (src/store/attr_bloom.ts): eight integers of 48 bits in
-- its summary. A trace search on an attribute tests them first and reads the spans of only the traces
-- that may hold the pair. NULL (every summary written before this) means unknown: always read.
-- Each column is added only if missing: MySQL commits DDL at once, so an interrupted run starts
-- again from the top (as 0007).
SET @add_bloom_0 = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE traces ADD COLUMN attr_bloom_0 BIGINT NULL', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name = 'attr_bloom_0');
PREPARE add_bloom_0 FROM @add_bloom_0;
EXECUTE add_bloom_0;
DEALLOCATE PREPARE add_bloom_0;
SET @add_bloom_1 = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE traces ADD COLUMN attr_bloom_1 BIGINT NULL', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name = 'attr_bloom_1');
PREPARE add_bloom_1 FROM @add_bloom_1;
EXECUTE add_bloom_1;
DEALLOCATE PREPARE add_bloom_1;
SET @add_bloom_2 = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE traces ADD COLUMN attr_bloom_2 BIGINT NULL', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name = 'attr_bloom_2');
PREPARE add_bloom_2 FROM @add_bloom_2;
EXECUTE add_bloom_2;
DEALLOCATE PREPARE add_bloom_2;
SET @add_bloom_3 = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE traces ADD COLUMN attr_bloom_3 BIGINT NULL', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name = 'attr_bloom_3');
PREPARE add_bloom_3 FROM @add_bloom_3;
EXECUTE add_bloom_3;
DEALLOCATE PREPARE add_bloom_3;
SET @add_bloom_4 = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE traces ADD COLUMN attr_bloom_4 BIGINT NULL', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name = 'attr_bloom_4');
PREPARE add_bloom_4 FROM @add_bloom_4;
EXECUTE add_bloom_4;
DEALLOCATE PREPARE add_bloom_4;
SET @add_bloom_5 = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE traces ADD COLUMN attr_bloom_5 BIGINT NULL', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name = 'attr_bloom_5');
PREPARE add_bloom_5 FROM @add_bloom_5;
EXECUTE add_bloom_5;
DEALLOCATE PREPARE add_bloom_5;
SET @add_bloom_6 = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE traces ADD COLUMN attr_bloom_6 BIGINT NULL', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name = 'attr_bloom_6');
PREPARE add_bloom_6 FROM @add_bloom_6;
EXECUTE add_bloom_6;
DEALLOCATE PREPARE add_bloom_6;
SET @add_bloom_7 = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE traces ADD COLUMN attr_bloom_7 BIGINT NULL', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'traces' AND column_name = 'attr_bloom_7');
PREPARE add_bloom_7 FROM @add_bloom_7;
EXECUTE add_bloom_7;
DEALLOCATE PREPARE add_bloom_7;
