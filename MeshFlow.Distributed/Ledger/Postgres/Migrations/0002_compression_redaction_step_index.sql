-- Migration 2: compressed and redacted payloads, and the index behind step lookups.
ALTER TABLE ledger_records
    ADD COLUMN IF NOT EXISTS payload_compressed boolean NOT NULL DEFAULT false,
    ADD COLUMN IF NOT EXISTS redacted           boolean NOT NULL DEFAULT false;

CREATE INDEX IF NOT EXISTS ix_ledger_records_step ON ledger_records (tenant_id, run_id, step_id);
