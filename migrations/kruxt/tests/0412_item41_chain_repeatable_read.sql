-- Item 41 / 0002 under REPEATABLE READ: appends never read the chain, so they cannot fail on it (the reference
-- failed the next append with 23505 on integrity_seq after a concurrent commit, README "Audit chain"); sealing
-- is skipped (the snapshot may predate a concurrent seal) and left to a READ COMMITTED sealer.

BEGIN;
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;

SELECT pg_temp.eq(current_setting('transaction_isolation'), 'repeatable read', 'this test runs under REPEATABLE READ');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.append_audit_log('test.rr.' || i, NULL, NULL) FROM generate_series(1, 3) AS i;
-- an RPC that writes audit rows (a membership approval: outbox security event + its audit row)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000107';
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE integrity_seq IS NULL), 4::bigint, 'four unsealed appends, no error');
SELECT pg_temp.eq(public.seal_audit_log_chain(100, true) - 'last_seq' - 'unsealed_rows', '{"skipped": "isolation", "sealed_rows": 0}'::jsonb,
                  'the explicit seal declines under REPEATABLE READ');
SET CONSTRAINTS public.audit_log_seal_on_commit IMMEDIATE;
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE integrity_seq IS NULL), 4::bigint,
                  'the commit-time seal skips too: the rows wait for a READ COMMITTED sealer, the commit does not fail');
SELECT pg_temp.eq((SELECT (public.audit_log_integrity_summary() ->> 'unsealed_rows')::int), 4, 'the summary counts them as unsealed, not as drift');
SELECT pg_temp.eq((SELECT (public.audit_log_integrity_summary() ->> 'healthy')::boolean), true, 'and the sealed chain is healthy');

ROLLBACK;
