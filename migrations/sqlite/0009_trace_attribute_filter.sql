-- A Bloom filter of each trace's span attributes (src/store/attr_bloom.ts): eight integers of 48 bits in
-- its summary. A trace search on an attribute tests them first and reads the spans of only the traces
-- that may hold the pair. NULL (every summary written before this) means unknown: always read.
ALTER TABLE traces ADD COLUMN attr_bloom_0 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_1 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_2 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_3 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_4 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_5 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_6 INTEGER;
ALTER TABLE traces ADD COLUMN attr_bloom_7 INTEGER;
