-- A Bloom filter of each trace's span attributes (src/store/attr_bloom.ts): eight integers of 48 bits in
-- its summary. A trace search on an attribute tests them first and reads the spans of only the traces
-- that may hold the pair. NULL (every summary written before this) means unknown: always read.
ALTER TABLE traces
  ADD COLUMN attr_bloom_0 BIGINT NULL,
  ADD COLUMN attr_bloom_1 BIGINT NULL,
  ADD COLUMN attr_bloom_2 BIGINT NULL,
  ADD COLUMN attr_bloom_3 BIGINT NULL,
  ADD COLUMN attr_bloom_4 BIGINT NULL,
  ADD COLUMN attr_bloom_5 BIGINT NULL,
  ADD COLUMN attr_bloom_6 BIGINT NULL,
  ADD COLUMN attr_bloom_7 BIGINT NULL;
