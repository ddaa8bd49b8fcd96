-- Migration 1: the first tables. The same logical schema as the embedded SQLite store; times are unix milliseconds.
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    int         PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS runs (
    tenant_id  text   NOT NULL,
    run_id     text   NOT NULL,
    workflow   text   NOT NULL,
    status     text   NOT NULL,
    last_seq   bigint NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, run_id)
);

CREATE TABLE IF NOT EXISTS ledger_records (
    tenant_id        text             NOT NULL,
    run_id           text             NOT NULL,
    seq              bigint           NOT NULL,
    format_version   int              NOT NULL,
    prev_hash        text             NOT NULL,
    ts               bigint           NOT NULL,
    kind             text             NOT NULL,
    node_id          text,
    agent_id         text,
    step_id          text,
    verdict          text,
    block_reason     text,
    tokens_input     bigint           NOT NULL,
    tokens_output    bigint           NOT NULL,
    tokens_estimated boolean          NOT NULL,
    cost_usd         numeric          NOT NULL,
    duration_ms      double precision NOT NULL,
    uncertainty      double precision,
    signing_key_id   text             NOT NULL,
    payload_hash     text             NOT NULL,
    entry_hash       text             NOT NULL,
    payload          bytea            NOT NULL,
    PRIMARY KEY (tenant_id, run_id, seq)
);

CREATE TABLE IF NOT EXISTS checkpoints (
    tenant_id  text   NOT NULL,
    run_id     text   NOT NULL,
    seq        bigint NOT NULL,
    state      text   NOT NULL,
    updated_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, run_id)
);

CREATE TABLE IF NOT EXISTS run_heads (
    tenant_id  text   NOT NULL,
    run_id     text   NOT NULL,
    seq        bigint NOT NULL,
    entry_hash text   NOT NULL,
    signed_at  bigint NOT NULL,
    key_id     text   NOT NULL,
    signature  text   NOT NULL,
    PRIMARY KEY (tenant_id, run_id)
);

CREATE TABLE IF NOT EXISTS signing_keys (
    tenant_id  text   NOT NULL,
    key_id     text   NOT NULL,
    public_key bytea  NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, key_id)
);
