-- Migration 9: vector collections and their entries (knowledge chunks, agent memories). A collection's dimensions and
-- embedding model live on its row and each vector in a column of its own (real[]), so a later migration can move the
-- vectors to a pgvector column without touching the rest. A collection's version moves on with every write and each
-- entry keeps the version of its last write: ix_vector_entries_changes serves a cache's "what changed since" read. A
-- deleted entry stays as a row with deleted = true and nothing but its key; ix_vector_entries_run serves a run's erasure.
CREATE TABLE IF NOT EXISTS vector_collections (
    tenant_id       text        NOT NULL,
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    name            text        NOT NULL,
    dimensions      int         NOT NULL CHECK (dimensions > 0),
    embedding_model text,
    version         bigint      NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);

CREATE TABLE IF NOT EXISTS vector_entries (
    tenant_id       text        NOT NULL,
    collection_id   bigint      NOT NULL,
    key             text        NOT NULL,
    version         bigint      NOT NULL,
    deleted         boolean     NOT NULL DEFAULT false,
    document_id     text,
    run_id          text,
    scope           text,
    text            text,
    source          text,
    position        int         NOT NULL DEFAULT 0,
    metadata        text,
    embedding_model text,
    created_at      timestamptz,
    last_used_at    timestamptz,
    use_count       int         NOT NULL DEFAULT 0,
    vector          real[],
    PRIMARY KEY (tenant_id, collection_id, key),
    FOREIGN KEY (tenant_id, collection_id) REFERENCES vector_collections (tenant_id, id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS ix_vector_entries_changes ON vector_entries (tenant_id, collection_id, version);
CREATE INDEX IF NOT EXISTS ix_vector_entries_run ON vector_entries (tenant_id, run_id) WHERE run_id IS NOT NULL;
