-- Each distinct resource of a tenant is stored once; spans and logs name it by resource_id (a hash
-- of its JSON text). Rows written before this migration keep resource_attributes and get
-- resource_id '' (read as before); rows written since store '' in resource_attributes.
CREATE TABLE resources (
  tenant_id NVARCHAR(150) NOT NULL,
  resource_id NVARCHAR(32) NOT NULL,
  attributes NVARCHAR(MAX) NOT NULL DEFAULT '{}',
  last_seen_us BIGINT NOT NULL,
  CONSTRAINT pk_resources PRIMARY KEY (tenant_id, resource_id)
);
-- Retention deletes a tenant's resources not seen since the cutoff.
CREATE INDEX resources_tenant_seen ON resources (tenant_id, last_seen_us);
-- A NOT NULL column with a default: existing rows get '' (a metadata-only change on SQL Server 2012+ Enterprise).
ALTER TABLE spans ADD resource_id NVARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE logs ADD resource_id NVARCHAR(32) NOT NULL DEFAULT '';
