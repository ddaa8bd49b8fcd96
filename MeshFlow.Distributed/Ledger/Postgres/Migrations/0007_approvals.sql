-- Migration 7: the approval tables (pauses and their decisions), the webhook outbox with its attempts and disabled
-- endpoints, and the leases of the background services. The same logical schema as the SQLite store's; times are
-- unix milliseconds.
CREATE TABLE IF NOT EXISTS hitl_pauses (
    tenant_id       text    NOT NULL,
    run_id          text    NOT NULL,
    pause_seq       bigint  NOT NULL,
    workflow        text    NOT NULL,
    node_id         text    NOT NULL,
    step_id         text    NOT NULL,
    stage           text    NOT NULL,
    reason          text    NOT NULL,
    block_reason    text,
    tier            text,
    context         text    NOT NULL,
    created_at      bigint  NOT NULL,
    expires_at      bigint  NOT NULL,
    on_timeout      text    NOT NULL,
    timeout_seconds int     NOT NULL,
    webhook_url     text,
    escalate_to     text,
    escalated       boolean NOT NULL,
    state           text    NOT NULL,
    reviewer_id     text,
    notes           text,
    decided_at      bigint,
    decision_seq    bigint,
    event_seq       bigint,
    PRIMARY KEY (tenant_id, run_id, pause_seq)
);

-- A tenant's pending list, oldest first; the timeout watcher's scan of every tenant's deadlines.
CREATE INDEX IF NOT EXISTS ix_hitl_pauses_pending ON hitl_pauses (tenant_id, state, created_at);
CREATE INDEX IF NOT EXISTS ix_hitl_pauses_expiry ON hitl_pauses (state, expires_at);

CREATE TABLE IF NOT EXISTS webhook_outbox (
    id              text   PRIMARY KEY,
    tenant_id       text   NOT NULL,
    run_id          text   NOT NULL,
    type            text   NOT NULL,
    url             text   NOT NULL,
    body            text   NOT NULL,
    created_at      bigint NOT NULL,
    next_attempt_at bigint NOT NULL,
    deadline        bigint NOT NULL,
    attempts        int    NOT NULL,
    state           text   NOT NULL,
    claimed_until   bigint
);

CREATE INDEX IF NOT EXISTS ix_webhook_outbox_due ON webhook_outbox (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS ix_webhook_outbox_run ON webhook_outbox (tenant_id, run_id, created_at);

CREATE TABLE IF NOT EXISTS webhook_attempts (
    message_id  text             NOT NULL,
    attempt     int              NOT NULL,
    tenant_id   text             NOT NULL,
    run_id      text             NOT NULL,
    at          bigint           NOT NULL,
    status_code int,
    outcome     text             NOT NULL,
    error       text,
    duration_ms double precision NOT NULL,
    PRIMARY KEY (message_id, attempt)
);

CREATE INDEX IF NOT EXISTS ix_webhook_attempts_run ON webhook_attempts (tenant_id, run_id, at);

CREATE TABLE IF NOT EXISTS webhook_disabled_endpoints (
    tenant_id   text   NOT NULL,
    url         text   NOT NULL,
    disabled_at bigint NOT NULL,
    PRIMARY KEY (tenant_id, url)
);

CREATE TABLE IF NOT EXISTS leases (
    name       text   PRIMARY KEY,
    holder     text   NOT NULL,
    expires_at bigint NOT NULL
);
