-- Item 43: staff and user direct inserts into audit_logs are denied (42501; anon has no privilege); the service
-- pipeline inserts: a service-role insert, and the audit_event_ingest job (06 §1.5) with its 200/400/500 replies.

BEGIN;

SET LOCAL ROLE authenticated;
DO $$
DECLARE who text;
BEGIN
    -- members, coach, officer, owner of each gym, a compliance operator (read-only scope)
    FOREACH who IN ARRAY ARRAY['04', '13', '03', '02', '01', '11', '24', '21'] LOOP
        PERFORM set_config('request.jwt.claims', format('{"sub":"20000000-0000-4000-8000-0000000000%s","role":"authenticated"}', who), true);
        PERFORM pg_temp.fails($q$INSERT INTO public.audit_logs (action, actor_user_id, actor_role) VALUES ('forged.entry', auth.uid(), 'service')$q$,
                              '42501', 'new row violates row-level security policy for table "audit_logs"', 'direct insert refused for user ' || who);
    END LOOP;
END $$;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.audit_event_ingest('{"action":"forged.entry"}')$q$, '42501', 'permission denied for function audit_event_ingest',
                     'staff cannot call the ingest job''s function');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.audit_logs (action) VALUES ('forged.entry')$q$, '42501', 'permission denied for table audit_logs',
                     'anon insert refused');
SELECT pg_temp.fails($q$SELECT public.audit_event_ingest('{"action":"forged.entry"}')$q$, '42501', NULL, 'anon cannot ingest');

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'forged.entry'), 0::bigint, 'nothing was written by the refused attempts');

-- ---- the service pipeline: a direct service insert
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.audit_logs (action, actor_role, target_table, reason) VALUES ('pipeline.direct', 'service', 'profiles', 'batch')$q$),
                  1::bigint, 'a service insert is accepted');

-- ---- audit_event_ingest (06 §1.5)
SELECT set_config('test.reply', public.audit_event_ingest(jsonb_build_object(
    'action', ' member.exported ', 'targetTable', 'profiles', 'targetId', '20000000-0000-4000-8000-000000000016',
    'reason', 'Export delivered', 'metadata', jsonb_build_object('bytes', 48213), 'actorUserId', '20000000-0000-4000-8000-000000000002',
    'actorRole', 'officer'))::text, true);
SELECT pg_temp.eq((current_setting('test.reply')::jsonb ->> 'status'), '200', '200 on success');
SELECT pg_temp.eq((current_setting('test.reply')::jsonb -> 'body') - 'id', '{"inserted": true}'::jsonb, 'body {inserted:true, id}');
SELECT pg_temp.eq((SELECT action || '|' || actor_user_id || '|' || actor_role || '|' || target_table || '|' || target_id || '|' || reason || '|' || metadata::text
                   FROM public.audit_logs WHERE id = (current_setting('test.reply')::jsonb -> 'body' ->> 'id')::uuid),
                  'member.exported|20000000-0000-4000-8000-000000000002|officer|profiles|20000000-0000-4000-8000-000000000016|Export delivered|{"bytes": 48213}',
                  'every field lands in the row (action trimmed)');
SELECT pg_temp.eq(public.audit_event_ingest('{"action":"job.ran"}') #>> '{body,inserted}', 'true', 'only an action is needed');
SELECT pg_temp.eq((SELECT actor_role || '|' || metadata::text || '|' || coalesce(actor_user_id::text, '-') FROM public.audit_logs WHERE action = 'job.ran'),
                  'service|{}|-', 'actor role defaults to service, metadata to {}');
SELECT pg_temp.eq(public.audit_event_ingest('{"targetTable":"profiles"}'), '{"status": 400, "body": {"error": "action is required", "inserted": false}}'::jsonb,
                  'missing action -> 400 {inserted:false, error}');
SELECT pg_temp.eq(public.audit_event_ingest('{"action":"   "}') ->> 'status', '400', 'blank action -> 400');
SELECT pg_temp.eq(public.audit_event_ingest('{"action":null}') ->> 'status', '400', 'null action -> 400');
SELECT pg_temp.eq(public.audit_event_ingest('{"action":42}') ->> 'status', '400', 'a non-string action -> 400');
SELECT pg_temp.eq(public.audit_event_ingest('[1,2]') ->> 'status', '400', 'a body that is not an object -> 400');
SELECT pg_temp.eq(public.audit_event_ingest(NULL) ->> 'status', '400', 'no body -> 400');
SELECT pg_temp.eq(public.audit_event_ingest('{"action":"x.bad","targetId":"not-a-uuid"}'),
                  '{"status": 500, "body": {"error": "invalid input syntax for type uuid: \"not-a-uuid\"", "inserted": false}}'::jsonb,
                  'a bad uuid -> 500 with the database message');
SELECT pg_temp.eq(public.audit_event_ingest('{"action":"x.fk","actorUserId":"2f000000-0000-4000-8000-000000000999"}') #>> '{body,inserted}', 'false',
                  'an unknown actor (FK) -> 500');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action LIKE 'x.%'), 0::bigint, 'failed ingests wrote nothing');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action IN ('pipeline.direct', 'member.exported', 'job.ran') AND integrity_seq IS NULL), 3::bigint,
                  'pipeline rows are appended unsealed; the commit (or the sealer) seals them');
SELECT pg_temp.eq((public.seal_audit_log_chain(100, true) ->> 'unsealed_rows'), '0', 'and they seal');

ROLLBACK;
