-- Item 15: check-in logs preserve result and source channel (03 §1.4, §1.5), the view `checkins`.
-- Seed: sara door_checkin/allowed (app, …0401), troll_tom door_denied/denied (kiosk, …0402), elena
-- manual_override/override_allowed (admin_panel, by giulia, …0403), each with an access log (…0501-0503).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

-- ---- the seeded decisions are stored as supplied
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || c.event_type || '/' || c.result || '/' || c.source_channel, ',' ORDER BY c.id)
                   FROM public.gym_checkins c JOIN public.profiles p ON p.id = c.user_id),
                  'sara_conti:door_checkin/allowed/app,troll_tom:door_denied/denied/kiosk,elena_greco:manual_override/override_allowed/admin_panel',
                  'seeded check-ins keep event, result and channel');
SELECT pg_temp.eq((SELECT string_agg(l.event_type || '/' || l.result || '/' || (l.metadata ->> 'source_channel'), ',' ORDER BY l.id)
                   FROM public.access_logs l JOIN public.gym_checkins c ON c.id = l.checkin_id AND c.gym_id = l.gym_id AND c.user_id = l.user_id),
                  'door_checkin/allowed/app,door_denied/denied/kiosk,manual_override/override_allowed/admin_panel',
                  'each check-in has a matching access log');

-- ---- a member records her own check-in
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_checkins (gym_id, user_id, membership_id, event_type, result, source_channel, created_by)
    VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'a0000000-0000-4000-8000-000000000104', 'frontdesk_checkin', 'denied', 'kiosk',
            '20000000-0000-4000-8000-000000000001')$q$), 1::bigint, 'sara records a check-in');
SELECT pg_temp.eq((SELECT event_type || '/' || result || '/' || source_channel || '/' || created_by || '/' || (checked_in_at = public.app_now())
                   FROM public.gym_checkins WHERE user_id = auth.uid() AND event_type = 'frontdesk_checkin'),
                  'frontdesk_checkin/denied/kiosk/20000000-0000-4000-8000-000000000004/true',
                  'result and source channel are kept exactly; created_by is the acting user; checked_in_at defaults to the clock');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_checkins (gym_id, user_id, event_type, result)
    VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'door_checkin', 'allowed')$q$), 1::bigint, 'a check-in with defaults');
SELECT pg_temp.eq((SELECT source_channel FROM public.gym_checkins WHERE user_id = auth.uid() AND event_type = 'door_checkin' AND created_at = public.app_now()), 'app',
                  'source_channel defaults to app');
-- negative cases
SELECT pg_temp.fails($q$INSERT INTO public.gym_checkins (gym_id, user_id, event_type, result)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000005', 'door_checkin', 'allowed')$q$,
                     '42501', 'new row violates row-level security policy for table "gym_checkins"', 'a member cannot check in someone else');
SELECT pg_temp.fails($q$INSERT INTO public.gym_checkins (gym_id, user_id, membership_id, event_type, result)
    VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'a0000000-0000-4000-8000-000000000108', 'door_checkin', 'allowed')$q$,
                     'KX422', 'membership_id does not match gym_id and user_id', 'another member''s membership cannot be attached');
SELECT pg_temp.fails($q$INSERT INTO public.gym_checkins (gym_id, user_id, class_id, event_type, result)
    VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), '30000000-0000-4000-8000-000000000105', 'door_checkin', 'allowed')$q$,
                     'KX422', 'class_id gym does not match gym_id', 'a class of another gym cannot be attached');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_checkins SET result = 'allowed' WHERE user_id = auth.uid()$q$), 0::bigint,
                  'a member cannot rewrite her check-in result (no UPDATE policy)');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_checkins WHERE user_id = auth.uid()$q$), 0::bigint,
                  'a member cannot delete her check-ins');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_checkins$q$), 3::bigint, 'a member sees only her own check-ins');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.checkins$q$), 3::bigint,
                  'the view checkins runs with the caller''s rights: still only her own rows');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.access_logs$q$), 1::bigint, 'a member sees only her own access logs');
SELECT pg_temp.fails($q$INSERT INTO public.access_logs (gym_id, user_id, event_type, result) VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'door_checkin', 'allowed')$q$,
                     '42501', 'new row violates row-level security policy for table "access_logs"', 'a member cannot write access logs');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT result || '/' || reason FROM public.access_logs), 'denied/badge_not_recognised', 'troll_tom sees his own denial');

-- ---- staff record and read; nobody rewrites
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.checkins WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 5::bigint,
                  'staff see every check-in of the gym (view and table alike)');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_checkins (gym_id, user_id, event_type, result, source_channel, note)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000015', 'manual_override', 'override_allowed', 'admin_panel', 'Forgot badge')$q$),
                  1::bigint, 'coach records a manual override for hanna');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.access_logs (gym_id, user_id, checkin_id, event_type, result, reason, metadata)
    SELECT gym_id, user_id, id, event_type, result, 'Forgot badge', '{"source_channel":"admin_panel"}' FROM public.gym_checkins WHERE note = 'Forgot badge'$q$),
                  1::bigint, 'and its access log');
SELECT pg_temp.eq((SELECT created_by FROM public.access_logs WHERE reason = 'Forgot badge'), '20000000-0000-4000-8000-000000000003'::uuid,
                  'the access log names the coach');
SELECT pg_temp.fails($q$INSERT INTO public.access_logs (gym_id, event_type, result)
    VALUES ('10000000-0000-4000-8000-000000000002', 'door_checkin', 'allowed')$q$,
                     '42501', 'new row violates row-level security policy for table "access_logs"', 'BZone staff cannot write Wellness Zone access logs');
SELECT pg_temp.fails($q$INSERT INTO public.access_logs (gym_id, checkin_id, event_type, result)
    VALUES ('10000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000401', 'door_checkin', 'allowed')$q$,
                     'KX422', 'checkin_id gym does not match gym_id', 'an access log cannot point at another gym''s check-in');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_checkins SET source_channel = 'app'$q$), 0::bigint, 'staff cannot update check-ins');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.access_logs SET result = 'allowed'$q$), 0::bigint, 'staff cannot update access logs');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.access_logs$q$), 0::bigint, 'staff cannot delete access logs');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_checkins$q$) + pg_temp.row_count($q$SELECT * FROM public.access_logs$q$), 0::bigint,
                  'staff of the other gym see no BZone check-ins or access logs');

-- ---- service: the decision is fixed even for service; scrubs and removal remain possible
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$UPDATE public.gym_checkins SET result = 'allowed' WHERE id = '30000000-0000-4000-8000-000000000402'$q$,
                     'KX423', 'Check-in result and source channel cannot be changed', 'not even service rewrites a result');
SELECT pg_temp.fails($q$UPDATE public.gym_checkins SET source_channel = 'app' WHERE id = '30000000-0000-4000-8000-000000000402'$q$,
                     'KX423', 'Check-in result and source channel cannot be changed', 'not even service rewrites a source channel');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_checkins SET note = NULL WHERE id = '30000000-0000-4000-8000-000000000402'$q$), 1::bigint,
                  'service may scrub a note');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.access_logs SET user_id = NULL WHERE user_id = '20000000-0000-4000-8000-000000000010'$q$), 1::bigint,
                  'service may null an access log''s user (anonymization, 05 §6)');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_checkins WHERE id = '30000000-0000-4000-8000-000000000401'$q$), 1::bigint,
                  'service may remove a check-in');
SELECT pg_temp.eq((SELECT checkin_id FROM public.access_logs WHERE id = '30000000-0000-4000-8000-000000000501'), NULL::uuid,
                  'its access log stays, unlinked (FK set null)');
SELECT pg_temp.eq((SELECT result || '/' || (metadata ->> 'source_channel') FROM public.access_logs WHERE id = '30000000-0000-4000-8000-000000000501'),
                  'allowed/app', 'the access log still carries the result and channel');

-- ---- the view is security_invoker
RESET ROLE;
SELECT pg_temp.ok((SELECT 'security_invoker=true' = ANY (reloptions) FROM pg_class WHERE oid = 'public.checkins'::regclass),
                  'checkins is created WITH (security_invoker = true)');
SELECT pg_temp.eq((SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.checkins'::regclass AND attnum > 0),
                  (SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.gym_checkins'::regclass AND attnum > 0 AND NOT attisdropped),
                  'checkins has every column of gym_checkins');

ROLLBACK;
