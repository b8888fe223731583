-- Item 40: audit rows are immutable: UPDATE, DELETE and TRUNCATE raise 'Table audit_logs is immutable;
-- append-only writes only' (KX423) for every role, at statement level even when RLS hides every row
-- (departure from reference: it raised only for visible rows). The one exception, the seal (0002), cannot be
-- used by anyone but the sealer and never changes content.

BEGIN;

-- one unsealed row of this transaction and the seeded sealed ones
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.append_audit_log('test.immutable', 'profiles', NULL, 'original');

-- ---- members, staff, owner, operators: the row is invisible to most, the statement raises anyway
SET LOCAL ROLE authenticated;
DO $$
DECLARE who text;
BEGIN
    FOREACH who IN ARRAY ARRAY['04', '02', '03', '01', '11', '21', '24', '25'] LOOP
        PERFORM set_config('request.jwt.claims', format('{"sub":"20000000-0000-4000-8000-0000000000%s","role":"authenticated"}', who), true);
        PERFORM pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'tampered'$q$, 'KX423',
                              'Table audit_logs is immutable; append-only writes only', 'UPDATE raises for user ' || who);
        PERFORM pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'tampered' WHERE false$q$, 'KX423',
                              'Table audit_logs is immutable; append-only writes only', 'UPDATE matching no row raises for user ' || who);
        PERFORM pg_temp.fails($q$DELETE FROM public.audit_logs$q$, 'KX423',
                              'Table audit_logs is immutable; append-only writes only', 'DELETE raises for user ' || who);
        PERFORM pg_temp.fails($q$TRUNCATE public.audit_logs$q$, NULL, NULL, 'TRUNCATE fails for user ' || who);
    END LOOP;
END $$;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.audit_logs$q$), 0::bigint, 'sara sees no audit row, yet her UPDATE/DELETE raised');
-- the sealing exception is not reachable from a request role, even with the flag set
SELECT set_config('kruxt.audit_sealing', 'on', true);
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET integrity_seq = 999999, entry_hash = 'x' WHERE integrity_seq IS NULL$q$, 'KX423',
                     'Table audit_logs is immutable; append-only writes only', 'a member with kruxt.audit_sealing=on still cannot seal');
SELECT set_config('kruxt.audit_sealing', '', true);
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'x'$q$, '42501', 'permission denied for table audit_logs', 'anon has no privilege at all');

-- ---- service (BYPASSRLS): sees every row, every statement raises, the flag does not help
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'tampered' WHERE action = 'test.immutable'$q$, 'KX423',
                     'Table audit_logs is immutable; append-only writes only', 'service UPDATE raises');
SELECT pg_temp.fails($q$DELETE FROM public.audit_logs WHERE action = 'test.immutable'$q$, 'KX423',
                     'Table audit_logs is immutable; append-only writes only', 'service DELETE raises');
SELECT pg_temp.fails($q$TRUNCATE public.audit_logs$q$, '42501', 'permission denied for table audit_logs', 'service has no TRUNCATE privilege');
SELECT set_config('kruxt.audit_sealing', 'on', true);
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET integrity_seq = 999999, prev_entry_hash = NULL, entry_hash = 'forged'
                        WHERE action = 'test.immutable'$q$, 'KX423', 'Table audit_logs is immutable; append-only writes only',
                     'service cannot forge a seal, flag or not');
SELECT set_config('kruxt.audit_sealing', '', true);
SELECT pg_temp.fails($q$SELECT kruxt_internal.seal_audit_log_batch(10, true)$q$, '42501', NULL, 'the seal core is not executable by service directly');

-- ---- the owner (schema owner, not subject to RLS) and a superuser
-- (fire the pending commit-time seal now: TRUNCATE refuses to run while trigger events are pending, 55006)
SET CONSTRAINTS public.audit_log_seal_on_commit IMMEDIATE;
SELECT pg_temp.ok((SELECT integrity_seq IS NOT NULL FROM public.audit_logs WHERE action = 'test.immutable'),
                  'SET CONSTRAINTS ... IMMEDIATE ran the commit-time seal');
SET CONSTRAINTS public.audit_log_seal_on_commit DEFERRED;
SET LOCAL ROLE kruxt_owner;
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'tampered'$q$, 'KX423', 'Table audit_logs is immutable; append-only writes only',
                     'owner UPDATE raises');
SELECT pg_temp.fails($q$DELETE FROM public.audit_logs$q$, 'KX423', 'Table audit_logs is immutable; append-only writes only', 'owner DELETE raises');
SELECT pg_temp.fails($q$TRUNCATE public.audit_logs$q$, 'KX423', 'Table audit_logs is immutable; append-only writes only', 'owner TRUNCATE raises');
-- even inside the sealing context the row trigger allows only filling the integrity fields of an unsealed row
SELECT set_config('kruxt.audit_sealing', 'on', true);
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'tampered' WHERE action = 'test.immutable'$q$, 'KX423',
                     'Table audit_logs is immutable; append-only writes only', 'sealing context: content changes still raise');
SELECT public.append_audit_log('test.unsealed', NULL, NULL);
SELECT pg_temp.ok((SELECT integrity_seq IS NULL FROM public.audit_logs WHERE action = 'test.unsealed'), 'test.unsealed is unsealed');
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'tampered', integrity_seq = 999999, entry_hash = 'x' WHERE action = 'test.unsealed'$q$, 'KX423',
                     'Table audit_logs is immutable; append-only writes only', 'sealing context: sealing an unsealed row while changing its content raises');
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET integrity_seq = integrity_seq + 1000 WHERE integrity_seq IS NOT NULL$q$, 'KX423',
                     'Table audit_logs is immutable; append-only writes only', 'sealing context: a sealed row cannot be re-sealed');
SELECT pg_temp.fails($q$DELETE FROM public.audit_logs WHERE action = 'test.immutable'$q$, 'KX423',
                     'Table audit_logs is immutable; append-only writes only', 'sealing context: DELETE still raises');
SELECT set_config('kruxt.audit_sealing', '', true);
RESET ROLE;
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'tampered'$q$, 'KX423', 'Table audit_logs is immutable; append-only writes only',
                     'a superuser UPDATE raises too (only disabling the triggers gets past them, see item 41)');

-- ---- the FK set-null from profiles would change audit rows: a profile with audit rows cannot be deleted
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT public.append_audit_log('test.actor', NULL, NULL);
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$DELETE FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000013'$q$, 'KX423',
                     'Table audit_logs is immutable; append-only writes only', 'deleting an audited actor''s profile raises (users are anonymized)');

-- ---- nothing changed
SELECT pg_temp.eq((SELECT reason FROM public.audit_logs WHERE action = 'test.immutable'), 'original', 'the row is as appended');

ROLLBACK;
