-- Migration 5: the DID of the agent that produced a record (format 2 records; NULL for format 1). Migration 3's
-- append-only trigger compares whole rows, so the new column is as immutable as the rest of the header.
ALTER TABLE ledger_records ADD COLUMN IF NOT EXISTS agent_did text;
