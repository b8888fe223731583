-- Item 86 (database side): recordCheckinAndAccessLog writes the check-in and its access log in ONE
-- transaction (03 §4 gap closure). The access log takes checkin_id = the new check-in, event_type/result from
-- the override or the check-in, reason from the override, metadata = {source_channel} || override metadata.
-- The README gives the single-statement form used here (a data-modifying CTE); two statements in one
-- transaction behave the same (shown by the failure case).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, checkin_id uuid, log_id uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);

-- ---- no override: the log mirrors the check-in
WITH c AS (
    INSERT INTO public.gym_checkins (gym_id, user_id, membership_id, class_id, event_type, result, source_channel, note, checked_in_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000005', 'a0000000-0000-4000-8000-000000000105',
            '30000000-0000-4000-8000-000000000101', 'frontdesk_checkin', 'allowed', 'admin_panel', 'HIIT Lunch', public.app_now())
    RETURNING *),
l AS (
    INSERT INTO public.access_logs (gym_id, user_id, checkin_id, event_type, result, reason, metadata)
    SELECT c.gym_id, c.user_id, c.id, c.event_type, c.result, NULL,
           jsonb_build_object('source_channel', c.source_channel) || '{}'::jsonb
    FROM c
    RETURNING id, checkin_id)
INSERT INTO ctx SELECT 'plain', checkin_id, id FROM l;
SELECT pg_temp.eq((SELECT c.event_type || '/' || c.result || '/' || c.source_channel || ' -> ' || l.event_type || '/' || l.result || '/' || l.metadata::text
                          || ' by ' || l.created_by
                   FROM ctx x JOIN public.gym_checkins c ON c.id = x.checkin_id JOIN public.access_logs l ON l.id = x.log_id AND l.checkin_id = c.id
                   WHERE x.k = 'plain'),
                  'frontdesk_checkin/allowed/admin_panel -> frontdesk_checkin/allowed/{"source_channel": "admin_panel"} by 20000000-0000-4000-8000-000000000003',
                  'check-in and linked access log, written together');

-- ---- with an override (event/result/reason/metadata)
WITH c AS (
    INSERT INTO public.gym_checkins (gym_id, user_id, event_type, result, source_channel)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000010', 'door_checkin', 'denied', 'kiosk')
    RETURNING *),
l AS (
    INSERT INTO public.access_logs (gym_id, user_id, checkin_id, event_type, result, reason, metadata)
    SELECT c.gym_id, c.user_id, c.id, 'manual_override', 'override_allowed', 'Coach let him in after ID check',
           jsonb_build_object('source_channel', c.source_channel) || '{"door":"side","source_channel":"admin_panel"}'::jsonb
    FROM c
    RETURNING id, checkin_id)
INSERT INTO ctx SELECT 'override', checkin_id, id FROM l;
SELECT pg_temp.eq((SELECT c.result || ' -> ' || l.event_type || '/' || l.result || '/' || l.reason || '/' || l.metadata::text
                   FROM ctx x JOIN public.gym_checkins c ON c.id = x.checkin_id JOIN public.access_logs l ON l.id = x.log_id WHERE x.k = 'override'),
                  'denied -> manual_override/override_allowed/Coach let him in after ID check/{"door": "side", "source_channel": "admin_panel"}',
                  'the override sets the log''s event, result, reason and merges its metadata; the check-in keeps its own result');

-- ---- the refreshed operational snapshot lists both, newest first
SELECT pg_temp.eq((SELECT count(*) FROM (SELECT * FROM public.gym_checkins WHERE gym_id = '10000000-0000-4000-8000-000000000001'
                   ORDER BY checked_in_at DESC, id DESC LIMIT 150) q), 5::bigint, 'recentCheckins: 3 seeded + 2 new');
SELECT pg_temp.eq((SELECT count(*) FROM (SELECT * FROM public.access_logs WHERE gym_id = '10000000-0000-4000-8000-000000000001'
                   ORDER BY created_at DESC, id DESC LIMIT 150) q), 5::bigint, 'recentAccessLogs: 3 seeded + 2 new');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_checkins c WHERE c.gym_id = '10000000-0000-4000-8000-000000000001'
                   AND NOT EXISTS (SELECT 1 FROM public.access_logs l WHERE l.checkin_id = c.id)), 0::bigint, 'every check-in has its access log');

-- ---- atomicity: when the access log fails, the check-in is not kept either
SELECT pg_temp.fails($q$DO $do$
DECLARE v_id uuid;
BEGIN
    INSERT INTO public.gym_checkins (gym_id, user_id, event_type, result, source_channel)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000016', 'door_checkin', 'allowed', 'admin_panel')
    RETURNING id INTO v_id;
    INSERT INTO public.access_logs (gym_id, user_id, checkin_id, event_type, result)   -- wrong gym: refused
    VALUES ('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000016', NULL, 'door_checkin', 'allowed');
END $do$$q$, '42501', 'new row violates row-level security policy for table "access_logs"', 'the access log write fails');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_checkins WHERE user_id = '20000000-0000-4000-8000-000000000016'), 0::bigint,
                  'and leo''s check-in was rolled back with it (ADMIN_ACCESS_LOG_CREATE_FAILED, nothing half-written)');
-- ADMIN_CHECKIN_CREATE_FAILED: the check-in itself is refused, no log is attempted
SELECT pg_temp.fails($q$WITH c AS (
    INSERT INTO public.gym_checkins (gym_id, user_id, membership_id, event_type, result)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000016', 'a0000000-0000-4000-8000-000000000104', 'door_checkin', 'allowed')
    RETURNING *)
    INSERT INTO public.access_logs (gym_id, user_id, checkin_id, event_type, result) SELECT gym_id, user_id, id, event_type, result FROM c$q$,
                     'KX422', 'membership_id does not match gym_id and user_id', 'a membership of another user is refused');

-- ---- a member cannot run the staff flow (gate) and RLS refuses the access log anyway
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$WITH c AS (
    INSERT INTO public.gym_checkins (gym_id, user_id, event_type, result) VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'door_checkin', 'allowed')
    RETURNING *)
    INSERT INTO public.access_logs (gym_id, user_id, checkin_id, event_type, result) SELECT gym_id, user_id, id, event_type, result FROM c$q$,
                     '42501', 'new row violates row-level security policy for table "access_logs"', 'a member''s combined write fails as a whole');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_checkins$q$), 1::bigint, 'sara still has only her seeded check-in');

ROLLBACK;
