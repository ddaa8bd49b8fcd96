-- Migration 4: the indexes behind listing a tenant's runs newest first, by (created_at, run_id), with or without a
-- status filter; keyset pages then read only the rows they return. Run ids are ordered in the "C" collation (by
-- their UTF-8 bytes, as on SQLite) whatever the database's default, and the listing statements say so too.
CREATE INDEX IF NOT EXISTS ix_runs_created ON runs (tenant_id, created_at, run_id COLLATE "C");
CREATE INDEX IF NOT EXISTS ix_runs_status_created ON runs (tenant_id, status, created_at, run_id COLLATE "C");
