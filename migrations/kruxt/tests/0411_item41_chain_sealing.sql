-- Item 41 (the chain itself, 0002's sealing design): appends are unsealed until a seal; a seal numbers rows
-- 1, 2, 3, ... after the head in append order with the 06 §1.2 hash; the commit-time trigger seals a
-- transaction's rows; a busy head makes a seal give up instead of waiting; only unsealed rows are read (index)
-- and the head is one row. Concurrency across sessions: tests/concurrency/audit_chain_concurrently.sh.

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('test.head', (SELECT last_seq::text FROM kruxt_internal.audit_chain_head), true);
SELECT pg_temp.eq((SELECT max(integrity_seq) FROM public.audit_logs), current_setting('test.head')::bigint, 'the head is the last sealed seq');
SELECT pg_temp.eq((SELECT last_hash FROM kruxt_internal.audit_chain_head),
                  (SELECT entry_hash FROM public.audit_logs ORDER BY integrity_seq DESC LIMIT 1), 'and its hash');

-- ---- appends: unsealed, in insert order, caller integrity values discarded
SELECT public.append_audit_log('test.seal.a', NULL, NULL, NULL, '{"b":2,"a":1}');
INSERT INTO public.audit_logs (action, actor_role, append_seq, integrity_seq, prev_entry_hash, entry_hash, integrity_version)
VALUES ('test.seal.b', 'service', 1, 1, 'forged', 'forged', 9);
SELECT public.append_audit_log('test.seal.c', 'profiles', '20000000-0000-4000-8000-000000000004', 'why');
SELECT pg_temp.eq((SELECT string_agg(action || ':' || coalesce(integrity_seq::text, 'null') || ':' || coalesce(entry_hash, 'null') || ':' || integrity_version,
                                     ',' ORDER BY append_seq)
                   FROM public.audit_logs WHERE action LIKE 'test.seal.%'),
                  'test.seal.a:null:null:1,test.seal.b:null:null:1,test.seal.c:null:null:1', 'three unsealed rows in append order');
SELECT pg_temp.ok((SELECT bool_and(append_seq > 1) FROM public.audit_logs WHERE action = 'test.seal.b'), 'a caller-supplied append_seq is replaced');

-- ---- the plan: the seal reads only unsealed rows through an index, never the whole log
-- Served either by the partial index audit_logs_unsealed_idx or by an "integrity_seq IS NULL" index condition on the
-- unique index audit_logs_integrity_seq_key (a b-tree keeps its NULLs together, so that is a descent to the unsealed
-- entries too). Which one the planner takes depends on the table's size and statistics: with the ~170 sealed rows
-- the merged seeds leave (consent and incident events), and statistics that autovacuum may or may not have gathered
-- yet in a database built seconds ago, both occur. What must never occur: a sequential scan, or a full index scan
-- that filters integrity_seq IS NULL row by row.
CREATE TEMP TABLE plan_lines (line text);
SET LOCAL enable_seqscan = off;   -- a handful of rows here; the point is that the index serves the query
DO $$
DECLARE l text;
BEGIN
    FOR l IN EXECUTE 'EXPLAIN SELECT a.* FROM public.audit_logs a WHERE a.integrity_seq IS NULL ORDER BY a.append_seq LIMIT 500' LOOP
        INSERT INTO plan_lines VALUES (l);
    END LOOP;
END $$;
RESET enable_seqscan;
SELECT pg_temp.ok((SELECT bool_or(line LIKE '%audit_logs_unsealed_idx%' OR line LIKE '%Index Cond: (integrity_seq IS NULL)%')
                           AND NOT bool_or(line LIKE '%Seq Scan%' OR line LIKE '%Filter:%integrity_seq IS NULL%') FROM plan_lines),
                  'the unsealed rows come from audit_logs_unsealed_idx or an integrity_seq IS NULL index condition (plan: '
                  || (SELECT string_agg(line, ' / ') FROM plan_lines) || ')');

-- ---- the explicit seal
SELECT pg_temp.eq((public.seal_audit_log_chain(2, true) - 'last_seq'), '{"skipped": null, "sealed_rows": 2, "unsealed_rows": 1}'::jsonb,
                  'p_limit 2: two rows sealed, one left');
SELECT pg_temp.eq((SELECT string_agg(action || ':' || coalesce((integrity_seq - current_setting('test.head')::bigint)::text, 'null'), ',' ORDER BY append_seq)
                   FROM public.audit_logs WHERE action LIKE 'test.seal.%'),
                  'test.seal.a:1,test.seal.b:2,test.seal.c:null', 'the lowest append_seq first, numbered after the head');
SELECT pg_temp.eq((public.seal_audit_log_chain() ->> 'sealed_rows'), '1', 'the rest');
SELECT pg_temp.eq((SELECT count(*) FROM (
        SELECT a.integrity_seq, a.prev_entry_hash, lag(a.entry_hash) OVER w AS prev_hash, lag(a.integrity_seq) OVER w AS prev_seq, a.entry_hash,
               public.audit_log_compute_hash(a.integrity_seq, a.prev_entry_hash, a.actor_user_id, a.actor_role, a.action, a.target_table,
                                             a.target_id, a.reason, a.ip_address, a.user_agent, a.metadata, a.created_at) AS recomputed
        FROM public.audit_logs a WINDOW w AS (ORDER BY a.integrity_seq)) q
        WHERE q.entry_hash <> q.recomputed OR q.prev_entry_hash IS DISTINCT FROM q.prev_hash
           OR q.integrity_seq <> coalesce(q.prev_seq, 0) + 1), 0::bigint, '06 §1.2 hashes, linked, dense from 1');
SELECT pg_temp.eq((SELECT a.entry_hash FROM public.audit_logs a WHERE a.action = 'test.seal.a'),
                  (SELECT encode(sha256(convert_to(a.integrity_seq::text || '|' || coalesce(p.entry_hash, '') || '||service_role|test.seal.a||||||{"a": 1, "b": 2}|'
                                                   || to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), 'UTF8')), 'hex')
                   FROM public.audit_logs a LEFT JOIN public.audit_logs p ON p.integrity_seq = a.integrity_seq - 1 WHERE a.action = 'test.seal.a'),
                  'the hash of a sealed row is the 06 §1.2 string (canonical jsonb metadata, UTC microseconds)');
SELECT pg_temp.eq((SELECT last_seq FROM kruxt_internal.audit_chain_head), current_setting('test.head')::bigint + 3, 'the head moved by three');
SELECT pg_temp.eq(public.seal_audit_log_chain() - 'last_seq', '{"skipped": null, "sealed_rows": 0, "unsealed_rows": 0}'::jsonb, 'nothing left');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs a WHERE a.integrity_seq IS NOT NULL AND a.integrity_seq > (SELECT last_seq FROM kruxt_internal.audit_chain_head)),
                  0::bigint, 'no sealed row beyond the head');

-- ---- the commit-time trigger: what COMMIT does, fired early with SET CONSTRAINTS
SELECT public.append_audit_log('test.seal.d', NULL, NULL);
SELECT public.append_audit_log('test.seal.e', NULL, NULL);
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE integrity_seq IS NULL), 2::bigint, 'two pending rows');
SET CONSTRAINTS public.audit_log_seal_on_commit IMMEDIATE;
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE integrity_seq IS NULL), 0::bigint, 'the commit-time seal sealed them');
SELECT pg_temp.eq((SELECT string_agg(action, ',' ORDER BY integrity_seq) FROM public.audit_logs WHERE action IN ('test.seal.d', 'test.seal.e')),
                  'test.seal.d,test.seal.e', 'in append order');
SET CONSTRAINTS public.audit_log_seal_on_commit DEFERRED;
SELECT pg_temp.ok((SELECT condeferrable AND condeferred FROM pg_constraint WHERE conname = 'audit_log_seal_on_commit'),
                  'audit_log_seal_on_commit is DEFERRABLE INITIALLY DEFERRED');

-- ---- a busy head (another session sealing) makes a non-waiting seal give up: needs two sessions, see
--      tests/concurrency/audit_chain_concurrently.sh; here the function's shape.
SELECT pg_temp.ok((SELECT prosrc LIKE '%FOR UPDATE SKIP LOCKED%' AND prosrc LIKE '%''busy''%'
                   FROM pg_proc WHERE oid = 'kruxt_internal.seal_audit_log_batch(integer, boolean)'::regprocedure),
                  'the non-waiting seal takes the head with SKIP LOCKED and reports busy');
SELECT pg_temp.ok(NOT (SELECT prosrc ~* 'pg_advisory' FROM pg_proc WHERE oid = 'public.assign_audit_log_integrity()'::regprocedure),
                  'the append trigger takes no advisory lock (reference: (884211, 16) until commit)');
SELECT pg_temp.ok(NOT (SELECT prosrc ~* 'from\s+public\.audit_logs' FROM pg_proc WHERE oid = 'public.assign_audit_log_integrity()'::regprocedure),
                  'and reads nothing of the log');

-- ---- who may seal
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000024","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.seal_audit_log_chain()$q$, '42501', 'permission denied for function seal_audit_log_chain',
                     'request roles cannot run the explicit seal (service only)');
SET LOCAL ROLE anon;
SELECT pg_temp.fails($q$SELECT public.seal_audit_log_chain()$q$, '42501', NULL, 'nor anon');

ROLLBACK;
