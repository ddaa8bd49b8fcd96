-- Migration 3: the database itself keeps ledger_records append-only. Nothing may update, delete or truncate a
-- record unless the transaction declared an erasure (SET LOCAL meshflow.erasure = 'on'), and even an erasure may
-- change only a record's payload columns: every other column, present or added later, must stay as it was.
CREATE OR REPLACE FUNCTION meshflow_ledger_records_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('meshflow.erasure', true), '') <> 'on' THEN
        RAISE EXCEPTION 'ledger_records is append-only: % is refused', TG_OP
            USING HINT = 'Only an erasure (meshflow.erasure = on in its transaction) may change a record''s payload.';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        -- Compared as JSON objects so that a column added by a later migration is protected without touching this.
        IF (to_jsonb(NEW) - 'payload' - 'payload_compressed' - 'redacted')
            IS DISTINCT FROM (to_jsonb(OLD) - 'payload' - 'payload_compressed' - 'redacted') THEN
            RAISE EXCEPTION 'ledger_records is append-only: an erasure may change only payload, payload_compressed and redacted'
                USING HINT = 'Hashes, links and headers of a record never change.';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NULL;
END;
$$;

CREATE OR REPLACE TRIGGER ledger_records_append_only
    BEFORE UPDATE OR DELETE ON ledger_records
    FOR EACH ROW EXECUTE FUNCTION meshflow_ledger_records_append_only();

CREATE OR REPLACE TRIGGER ledger_records_no_truncate
    BEFORE TRUNCATE ON ledger_records
    FOR EACH STATEMENT EXECUTE FUNCTION meshflow_ledger_records_append_only();
