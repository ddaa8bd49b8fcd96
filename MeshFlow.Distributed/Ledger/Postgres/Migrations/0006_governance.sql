-- Migration 6: the governance tables (agent identities, tenant policies) and the index behind a tenant's spend.
-- Capabilities are a JSON array of tool names as text, the same logical schema as the SQLite store's.
CREATE TABLE IF NOT EXISTS agents (
    tenant_id      text   NOT NULL,
    workflow       text   NOT NULL,
    node_id        text   NOT NULL,
    agent_id       text   NOT NULL,
    did            text   NOT NULL,
    public_key     bytea  NOT NULL,
    capabilities   text   NOT NULL,
    created_at     bigint NOT NULL,
    revoked_at     bigint,
    revoked_reason text,
    PRIMARY KEY (tenant_id, workflow, node_id)
);

CREATE UNIQUE INDEX IF NOT EXISTS ux_agents_did ON agents (tenant_id, did);

CREATE TABLE IF NOT EXISTS tenant_policies (
    tenant_id  text   PRIMARY KEY,
    policy     text   NOT NULL,
    updated_at bigint NOT NULL
);

-- Partial: only step records that cost something are in it, so appending a zero-cost record (every record of an
-- offline run) writes nothing to it. cost_usd is included, so a tenant's spend is summed from the index alone.
CREATE INDEX IF NOT EXISTS ix_ledger_records_spend ON ledger_records (tenant_id, ts) INCLUDE (cost_usd)
    WHERE kind = 'step' AND cost_usd <> 0;
