-- Item 23: audit log rows are append-only. Appends go through append_audit_log (any caller, SECURITY DEFINER),
-- the outbox security trigger and the service pipeline; every append is a new row and no append changes an
-- existing one (a later seal only fills the integrity fields of a row that had none, 0002).

BEGIN;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.ok(public.append_audit_log('test.append.one', 'profiles', auth.uid(), 'first') IS NOT NULL, 'a member appends through append_audit_log');
SELECT pg_temp.ok(public.append_audit_log('test.append.one', 'profiles', auth.uid(), 'first') IS NOT NULL, 'the same content again is a second row');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
CREATE TEMP TABLE before_rows AS
SELECT id, to_jsonb(a) - 'integrity_seq' - 'prev_entry_hash' - 'entry_hash' AS content FROM public.audit_logs a;
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'test.append.one'), 2::bigint, 'two rows, nothing merged or upserted');
SELECT pg_temp.eq((SELECT count(DISTINCT append_seq) FROM public.audit_logs WHERE action = 'test.append.one'), 2::bigint, 'each has its own append_seq');
SELECT pg_temp.fails($q$INSERT INTO public.audit_logs (id, action) SELECT id, 'test.overwrite' FROM public.audit_logs LIMIT 1$q$,
                     '23505', NULL, 'an insert cannot reuse an existing id (no overwrite by insert)');
SELECT pg_temp.fails($q$INSERT INTO public.audit_logs (action) VALUES ('test.upsert') ON CONFLICT (id) DO UPDATE SET reason = 'x'$q$,
                     'KX423', 'Table audit_logs is immutable; append-only writes only', 'an upsert''s update path raises');
-- more appends and a seal leave the earlier rows' content unchanged
SELECT public.append_audit_log('test.append.two', NULL, NULL);
INSERT INTO public.audit_logs (action, actor_role) VALUES ('test.append.three', 'service');
SELECT pg_temp.eq((SELECT public.seal_audit_log_chain(1000, true) ->> 'unsealed_rows'), '0', 'everything sealed');
SELECT pg_temp.eq((SELECT count(*) FROM before_rows b JOIN public.audit_logs a ON a.id = b.id
                   WHERE to_jsonb(a) - 'integrity_seq' - 'prev_entry_hash' - 'entry_hash' IS DISTINCT FROM b.content), 0::bigint,
                  'no earlier row changed (appends and the seal only add)');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs), (SELECT count(*) FROM before_rows) + 2, 'the log only grew');
-- the seal never re-seals: a second seal changes nothing
CREATE TEMP TABLE sealed_rows AS SELECT id, integrity_seq, entry_hash FROM public.audit_logs;
SELECT pg_temp.eq((SELECT public.seal_audit_log_chain(1000, true) ->> 'sealed_rows'), '0', 'a second seal finds nothing to do');
SELECT pg_temp.eq((SELECT count(*) FROM sealed_rows s JOIN public.audit_logs a USING (id)
                   WHERE (a.integrity_seq, a.entry_hash) IS DISTINCT FROM (s.integrity_seq, s.entry_hash)), 0::bigint, 'sealed rows keep their seal');

ROLLBACK;
