-- Item 41: audit_log_integrity_drift detects sequence and hash mismatches after a forced tamper by the table
-- owner (06 §1.4: disable the immutability triggers, or session_replication_role = replica). Each tamper runs
-- in a savepoint that is rolled back. Also: the summary (checked_rows = rows examined, not the limit: gap
-- closure), the caller check (gap closure: the reference had none), clamping, and the chain-head check
-- (gap closure: a truncated tail is reported as chain_head_mismatch).

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.append_audit_log('test.drift.' || i, 'profiles', NULL, 'row ' || i, jsonb_build_object('i', i)) FROM generate_series(1, 6) AS i;
-- seal now (the commit-time seal, fired early); ALTER TABLE below refuses to run with pending trigger events
SET CONSTRAINTS public.audit_log_seal_on_commit IMMEDIATE;
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE integrity_seq IS NULL), 0::bigint, 'every row is sealed');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_log_integrity_drift()), 0::bigint, 'untampered: no drift');
SELECT pg_temp.eq(public.audit_log_integrity_summary(),
                  jsonb_build_object('checked_rows', (SELECT count(*) FROM public.audit_logs), 'drift_count', 0, 'healthy', true,
                                     'first_drift', NULL, 'unsealed_rows', 0),
                  'untampered summary');
-- N = the third test row, L = the last row
SELECT set_config('test.n', (SELECT integrity_seq::text FROM public.audit_logs WHERE action = 'test.drift.3'), true);
SELECT set_config('test.l', (SELECT max(integrity_seq)::text FROM public.audit_logs), true);
CREATE FUNCTION pg_temp.n(p_offset int DEFAULT 0) RETURNS bigint LANGUAGE sql AS $$ SELECT current_setting('test.n')::bigint + p_offset $$;
CREATE FUNCTION pg_temp.drift(p_limit int DEFAULT 200) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg((integrity_seq - current_setting('test.n')::bigint)::text || ':' || issue, ',' ORDER BY integrity_seq, issue), '')
    FROM public.audit_log_integrity_drift(p_limit) $$;
GRANT EXECUTE ON FUNCTION pg_temp.n(int), pg_temp.drift(int) TO service_role, kruxt_owner, authenticated;

-- ---- (a) reason of N changed (replica mode): exactly (N, entry_hash_mismatch)
SAVEPOINT a;
RESET ROLE;
SET LOCAL session_replication_role = replica;
UPDATE public.audit_logs SET reason = 'tampered' WHERE integrity_seq = pg_temp.n();
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE service_role;
SELECT pg_temp.eq(pg_temp.drift(), '0:entry_hash_mismatch', 'reason tamper: exactly (N, entry_hash_mismatch) (offsets from N)');
SELECT pg_temp.eq((SELECT expected <> actual AND actual = (SELECT entry_hash FROM public.audit_logs WHERE integrity_seq = pg_temp.n())
                   FROM public.audit_log_integrity_drift()), true, 'expected = recomputed hash, actual = the stored one');
SELECT pg_temp.eq((SELECT s - 'first_drift' FROM public.audit_log_integrity_summary() s),
                  jsonb_build_object('checked_rows', (SELECT count(*) FROM public.audit_logs), 'drift_count', 1, 'healthy', false, 'unsealed_rows', 0),
                  'summary: unhealthy, one drift');
SELECT pg_temp.eq((SELECT (s -> 'first_drift') - 'expected' - 'actual' FROM public.audit_log_integrity_summary() s),
                  jsonb_build_object('integrity_seq', pg_temp.n(), 'audit_log_id', (SELECT id FROM public.audit_logs WHERE integrity_seq = pg_temp.n()),
                                     'issue', 'entry_hash_mismatch'), 'summary: first_drift is the issue as an object');
SELECT pg_temp.eq((SELECT (s ->> 'checked_rows')::bigint FROM public.audit_log_integrity_summary(1) s), (SELECT count(*) FROM public.audit_logs),
                  'gap closure: checked_rows counts the rows examined, not the limit (reference echoed p_limit)');
ROLLBACK TO SAVEPOINT a;

-- ---- (b) row N deleted: (N+1, sequence_gap), expected N, actual N+1
SAVEPOINT b;
RESET ROLE;
SET LOCAL session_replication_role = replica;
DELETE FROM public.audit_logs WHERE integrity_seq = pg_temp.n();
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE service_role;
SELECT pg_temp.eq(pg_temp.drift(), '1:sequence_gap', 'delete of N: exactly (N+1, sequence_gap)');
SELECT pg_temp.eq((SELECT expected || '/' || actual FROM public.audit_log_integrity_drift()), pg_temp.n() || '/' || pg_temp.n(1),
                  'expected previous + 1 = N, actual N+1');
ROLLBACK TO SAVEPOINT b;

-- ---- (c) only entry_hash of N changed: (N, entry_hash_mismatch) and (N+1, previous_hash_mismatch)
SAVEPOINT c;
RESET ROLE;
SET LOCAL session_replication_role = replica;
UPDATE public.audit_logs SET entry_hash = repeat('0', 64) WHERE integrity_seq = pg_temp.n();
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE service_role;
SELECT pg_temp.eq(pg_temp.drift(), '0:entry_hash_mismatch,1:previous_hash_mismatch', 'entry_hash tamper: N and N+1');
SELECT pg_temp.eq((SELECT expected FROM public.audit_log_integrity_drift() WHERE issue = 'previous_hash_mismatch'), repeat('0', 64),
                  'previous_hash_mismatch: expected = the previous row''s (tampered) entry hash');
SELECT pg_temp.eq(pg_temp.drift(1), '0:entry_hash_mismatch', 'p_limit 1: the first issue only');
SELECT pg_temp.eq(pg_temp.drift(0), '0:entry_hash_mismatch', 'p_limit 0 is clamped to 1');
SELECT pg_temp.eq(pg_temp.drift(NULL), '0:entry_hash_mismatch,1:previous_hash_mismatch', 'p_limit null = 200');
SELECT pg_temp.eq((SELECT (s ->> 'drift_count')::int FROM public.audit_log_integrity_summary(1) s), 1, 'summary(1): drift_count as the drift returns it');
ROLLBACK TO SAVEPOINT c;

-- ---- (d) the 06 §1.4 procedure as the owner: disable the two UPDATE immutability triggers, tamper, re-enable
SAVEPOINT d;
SET LOCAL ROLE kruxt_owner;
ALTER TABLE public.audit_logs DISABLE TRIGGER reject_mutation_immutable_table_update,
    DISABLE TRIGGER reject_mutation_immutable_table_update_statement;
UPDATE public.audit_logs SET metadata = metadata || '{"i": 99}' WHERE integrity_seq = pg_temp.n(2);
ALTER TABLE public.audit_logs ENABLE TRIGGER reject_mutation_immutable_table_update,
    ENABLE TRIGGER reject_mutation_immutable_table_update_statement;
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'again'$q$, 'KX423', NULL, 'the triggers are back');
SET LOCAL ROLE service_role;
SELECT pg_temp.eq(pg_temp.drift(), '2:entry_hash_mismatch', 'owner metadata tamper of N+2 (triggers disabled): (N+2, entry_hash_mismatch)');
ROLLBACK TO SAVEPOINT d;

-- ---- (e) created_at of N and reason of N+2 changed: two entry_hash_mismatch, nothing else
SAVEPOINT e;
RESET ROLE;
SET LOCAL session_replication_role = replica;
UPDATE public.audit_logs SET created_at = created_at + interval '1 microsecond' WHERE integrity_seq = pg_temp.n();
UPDATE public.audit_logs SET actor_role = 'forged' WHERE integrity_seq = pg_temp.n(2);
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE service_role;
SELECT pg_temp.eq(pg_temp.drift(), '0:entry_hash_mismatch,2:entry_hash_mismatch', 'a microsecond of created_at and an actor role are detected');
ROLLBACK TO SAVEPOINT e;

-- ---- (f) sequence renumbered: integrity_seq of N+1 moved out of place
SAVEPOINT f;
RESET ROLE;
SET LOCAL session_replication_role = replica;
UPDATE public.audit_logs SET integrity_seq = integrity_seq + 1000000 WHERE integrity_seq = pg_temp.n(1);
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE service_role;
SELECT pg_temp.eq(pg_temp.drift(), '2:sequence_gap,1000001:sequence_gap', 'a moved seq: gap at N+2 and at the moved row');
ROLLBACK TO SAVEPOINT f;

-- ---- (g) gap closure: the last row deleted (reference: undetectable) -> chain_head_mismatch at L
SAVEPOINT g;
RESET ROLE;
SET LOCAL session_replication_role = replica;
DELETE FROM public.audit_logs WHERE integrity_seq = current_setting('test.l')::bigint;
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE service_role;
SELECT pg_temp.eq((SELECT string_agg(integrity_seq || ':' || issue || ':' || coalesce(audit_log_id::text, '-'), ',') FROM public.audit_log_integrity_drift()),
                  current_setting('test.l') || ':chain_head_mismatch:-', 'truncated tail: chain_head_mismatch at the head''s seq, no row id');
SELECT pg_temp.eq((SELECT split_part(expected, ':', 1) || '>' || split_part(actual, ':', 1) FROM public.audit_log_integrity_drift()),
                  current_setting('test.l') || '>' || (current_setting('test.l')::bigint - 1), 'expected the head seq, actual the last row''s');
-- a new append seals after the head: the gap stays visible as a sequence gap
SELECT public.append_audit_log('test.drift.after', NULL, NULL);
SELECT pg_temp.eq((SELECT public.seal_audit_log_chain(10, true) ->> 'last_seq')::bigint, current_setting('test.l')::bigint + 1,
                  'the next seal continues from the head, not from the truncated tail');
SELECT pg_temp.eq((SELECT string_agg(integrity_seq || ':' || issue, ',') FROM public.audit_log_integrity_drift()),
                  (current_setting('test.l')::bigint + 1) || ':sequence_gap', 'and the deleted tail shows as a gap');
ROLLBACK TO SAVEPOINT g;

-- ---- (h) the seal of N+1 removed (fields nulled): the row counts as unsealed, N+2 shows the gap; a new seal
--          puts it at the end and the gap stays
SAVEPOINT h;
RESET ROLE;
SET LOCAL session_replication_role = replica;
UPDATE public.audit_logs SET integrity_seq = NULL, prev_entry_hash = NULL, entry_hash = NULL WHERE integrity_seq = pg_temp.n(1);
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE service_role;
SELECT pg_temp.eq(pg_temp.drift(), '2:sequence_gap', 'unsealing N+1: (N+2, sequence_gap)');
SELECT pg_temp.eq((SELECT (s ->> 'unsealed_rows')::int FROM public.audit_log_integrity_summary() s), 1, 'and one unsealed row');
SELECT public.seal_audit_log_chain(10, true);
SELECT pg_temp.eq(pg_temp.drift(), '2:sequence_gap', 're-sealed at the tail: the gap at N+2 is still reported');
ROLLBACK TO SAVEPOINT h;

-- ---- (i) the first row: a non-null previous hash is a previous_hash_mismatch
SAVEPOINT i;
RESET ROLE;
SET LOCAL session_replication_role = replica;
UPDATE public.audit_logs SET prev_entry_hash = 'x' WHERE integrity_seq = 1;
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE service_role;
SELECT pg_temp.eq((SELECT string_agg(integrity_seq || ':' || issue || ':' || expected || ':' || actual, ',') FROM public.audit_log_integrity_drift()),
                  '1:previous_hash_mismatch:<null>:x', 'row 1 must have no previous hash (nulls rendered <null>)');
ROLLBACK TO SAVEPOINT i;

SELECT pg_temp.eq(pg_temp.drift(), '', 'every tamper was rolled back: no drift');

-- ---- who may run the checks (gap closure: service or platform.compliance.read, else Access denied)
SET LOCAL ROLE authenticated;
DO $$
DECLARE who text;
BEGIN
    FOREACH who IN ARRAY ARRAY['04', '02', '01', '25', '26', '27'] LOOP
        PERFORM set_config('request.jwt.claims', format('{"sub":"20000000-0000-4000-8000-0000000000%s","role":"authenticated"}', who), true);
        PERFORM pg_temp.fails($q$SELECT * FROM public.audit_log_integrity_drift()$q$, 'KX403', 'Access denied', 'drift refused for user ' || who);
        PERFORM pg_temp.fails($q$SELECT public.audit_log_integrity_summary()$q$, 'KX403', 'Access denied', 'summary refused for user ' || who);
    END LOOP;
    FOREACH who IN ARRAY ARRAY['21', '22', '24'] LOOP
        PERFORM set_config('request.jwt.claims', format('{"sub":"20000000-0000-4000-8000-0000000000%s","role":"authenticated"}', who), true);
        PERFORM pg_temp.eq((public.audit_log_integrity_summary() ->> 'healthy')::boolean, true, 'operator ' || who || ' (compliance.read) runs the summary');
    END LOOP;
END $$;
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.audit_log_integrity_summary()$q$, 'KX403', 'Access denied', 'anonymous refused');

ROLLBACK;
