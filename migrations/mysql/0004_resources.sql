-- Each distinct resource of a tenant is stored once; spans and logs name it by resource_id (a hash
-- of its JSON text). Rows written before this migration keep resource_attributes and get
-- resource_id '' (read as before); rows written since store '' in resource_attributes.
-- Every statement can run again safely (MySQL DDL is not transactional): MySQL 8 has no
-- ADD COLUMN IF NOT EXISTS, so each column is added by a statement prepared only when missing.
CREATE TABLE IF NOT EXISTS resources (
  tenant_id VARCHAR(150) NOT NULL,
  resource_id VARCHAR(32) NOT NULL,
  attributes LONGTEXT NOT NULL,
  last_seen_us BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, resource_id),
  KEY resources_tenant_seen (tenant_id, last_seen_us)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
SET @add_column = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE spans ADD COLUMN resource_id VARCHAR(32) NOT NULL DEFAULT ''''', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'spans' AND column_name = 'resource_id');
PREPARE add_column FROM @add_column;
EXECUTE add_column;
DEALLOCATE PREPARE add_column;
SET @add_column = (SELECT IF(COUNT(*) = 0, 'ALTER TABLE logs ADD COLUMN resource_id VARCHAR(32) NOT NULL DEFAULT ''''', 'DO 0') FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'logs' AND column_name = 'resource_id');
PREPARE add_column FROM @add_column;
EXECUTE add_column;
DEALLOCATE PREPARE add_column;
