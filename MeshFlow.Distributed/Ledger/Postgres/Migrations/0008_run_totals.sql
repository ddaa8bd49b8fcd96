-- Migration 8: the run summary's running totals (step count, input and output tokens, cost, and the run_end record
-- they were taken from), kept current by each append, backfilled here from the records already stored by the same
-- rule (LedgerRunTotals): the latest run_end's tokens and cost when the run has one, else the sums over its steps
-- (a cost sum kept within .NET's decimal range).
ALTER TABLE runs ADD COLUMN IF NOT EXISTS step_count    int     NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS tokens_input  bigint  NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS tokens_output bigint  NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS cost_usd      numeric NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN IF NOT EXISTS end_seq       bigint;

UPDATE runs
SET step_count = t.steps,
    tokens_input = CASE WHEN t.end_seq IS NULL THEN t.step_input ELSE e.tokens_input END,
    tokens_output = CASE WHEN t.end_seq IS NULL THEN t.step_output ELSE e.tokens_output END,
    cost_usd = CASE WHEN t.end_seq IS NULL THEN t.step_cost ELSE e.cost_usd END,
    end_seq = t.end_seq
FROM (
    SELECT tenant_id, run_id,
        count(*) FILTER (WHERE kind = 'step')::int AS steps,
        max(seq) FILTER (WHERE kind = 'run_end') AS end_seq,
        coalesce(sum(tokens_input) FILTER (WHERE kind = 'step'), 0)::bigint AS step_input,
        coalesce(sum(tokens_output) FILTER (WHERE kind = 'step'), 0)::bigint AS step_output,
        LEAST(GREATEST(coalesce(sum(cost_usd) FILTER (WHERE kind = 'step'), 0), -79228162514264337593543950335),
            79228162514264337593543950335) AS step_cost
    FROM ledger_records
    WHERE kind IN ('step', 'run_end')
    GROUP BY tenant_id, run_id
) AS t
LEFT JOIN ledger_records AS e ON e.tenant_id = t.tenant_id AND e.run_id = t.run_id AND e.seq = t.end_seq
WHERE runs.tenant_id = t.tenant_id AND runs.run_id = t.run_id;
