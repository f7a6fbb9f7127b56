-- Each distinct resource of a tenant is stored once; spans and logs name it by resource_id (a hash
-- of its JSON text). Rows written before this migration keep resource_attributes and get
-- resource_id '' (read as before); rows written since store '' in resource_attributes.
CREATE TABLE resources (
  tenant_id TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  attributes TEXT NOT NULL DEFAULT '{}',
  last_seen_us BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, resource_id)
);
-- Retention deletes a tenant's resources not seen since the cutoff.
CREATE INDEX resources_tenant_seen ON resources (tenant_id, last_seen_us);
-- A constant default: PostgreSQL 11+ adds the column without rewriting the table.
ALTER TABLE spans ADD COLUMN resource_id TEXT NOT NULL DEFAULT '';
ALTER TABLE logs ADD COLUMN resource_id TEXT NOT NULL DEFAULT '';
