-- Item 19: imported activities dedupe by (user_id, provider, external_activity_id) (04 §2, §4 steps 3-4).
-- A re-delivered activity refreshes its row and never duplicates it; the key is per user and provider; users read
-- their own imports and never write them.
-- Seed: sara's imports ah-act-0001 (mapped to W02), ah-act-0002 (apple_health), gm-act-0001 (garmin).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ================================================================ first delivery: mapping of the activity fields
SELECT public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0601","eventType":"workout.completed",
      "payload":{"providerUserId":"ah-sara-0001","activity_type":"cardio","activities":[
          {"external_activity_id":" ah-act-0601 ","start_time":"2026-03-08T07:00:00+01:00","end_time":"2026-03-08T07:45:00Z",
           "duration":1800.6,"distance":"5000.4","calories":412.5,"avg_hr":141.4,"max_hr":170},
          {"activity_id":7002,"type":"walk","started_at":"2026-03-08T12:00:00"},
          {"note":"no id here"},
          "not an object"]}}');
SELECT pg_temp.eq((public.sync_dispatcher_run(20, NULL) ->> 'processedCount'), '1', 'the delivery is processed');
SELECT pg_temp.eq((SELECT activity_type || '|' || started_at || '|' || ended_at || '|' || duration_seconds || '|' || distance_m || '|'
                          || calories || '|' || average_hr || '|' || max_hr
                   FROM public.external_activity_imports WHERE external_activity_id = 'ah-act-0601'),
                  'cardio|' || '2026-03-08T06:00:00Z'::timestamptz || '|' || '2026-03-08T07:45:00Z'::timestamptz || '|1801|5000.00|413|141|170',
                  'mapped: trimmed id, payload activity_type fallback, timestamps in UTC, numbers rounded, avg_hr alias');
SELECT pg_temp.eq((SELECT activity_type || '|' || started_at FROM public.external_activity_imports WHERE external_activity_id = '7002'),
                  'walk|' || '2026-03-08T12:00:00Z'::timestamptz, 'numeric activity_id; an offset-less time is UTC; type alias');
SELECT pg_temp.eq((SELECT count(*) FROM public.external_activity_imports i JOIN public.integration_webhook_events e ON i.external_activity_id = e.id::text || ':3'
                   WHERE e.provider_event_id = 'ah-evt-0601'), 1::bigint,
                  'an activity without an id gets <event id>:<position> (the third element)');
SELECT pg_temp.eq((SELECT count(*) FROM public.external_activity_imports i JOIN public.integration_webhook_events e ON i.raw_data ->> 'event_id' = e.id::text
                   WHERE e.provider_event_id = 'ah-evt-0601'), 3::bigint, 'three object activities imported (the string element is skipped)');
SELECT pg_temp.eq((SELECT raw_data -> 'activity' ->> 'max_hr' FROM public.external_activity_imports WHERE external_activity_id = 'ah-act-0601'), '170',
                  'raw_data keeps the activity ({event_id, event_type, payload, activity})');

-- ================================================================ re-delivery in another event: refreshed, not duplicated
SELECT public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0602","eventType":"workout.updated",
      "payload":{"providerUserId":"ah-sara-0001","activities":[
          {"id":"ah-act-0601","type":"run","duration":1900},
          {"id":"ah-act-0001","type":"strength_training","calories":450}]}}');
SELECT pg_temp.eq((public.sync_dispatcher_run(20, NULL) ->> 'processedCount'), '1', 'the re-delivery is processed');
SELECT pg_temp.eq((SELECT count(*) FROM public.external_activity_imports WHERE user_id = '20000000-0000-4000-8000-000000000004'
                     AND provider = 'apple_health' AND external_activity_id = 'ah-act-0601'), 1::bigint, 'still one row for ah-act-0601');
SELECT pg_temp.eq((SELECT activity_type || ' ' || duration_seconds || ' ' || (raw_data ->> 'event_type')
                   FROM public.external_activity_imports WHERE external_activity_id = 'ah-act-0601'),
                  'run 1900 workout.updated', 'the row is refreshed from the re-delivery');
SELECT pg_temp.eq((SELECT calories || ' ' || mapped_workout_id FROM public.external_activity_imports WHERE external_activity_id = 'ah-act-0001'),
                  '450 40000000-0000-4000-8000-000000000102', 'a refreshed seeded import keeps its mapped workout');
SELECT pg_temp.eq((SELECT count(*) FROM public.external_activity_imports WHERE user_id = '20000000-0000-4000-8000-000000000004'), 6::bigint,
                  'sara: 3 seeded + 3 new imports (the two re-delivered ones were updated, not added)');

-- the same id twice in one delivery: one row, the later occurrence wins
SELECT public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0603","eventType":"x",
      "payload":{"providerUserId":"ah-sara-0001","activities":[{"id":"ah-act-0603","type":"first"},{"id":"ah-act-0603","type":"second"}]}}');
SELECT pg_temp.eq((public.sync_dispatcher_run(20, NULL) ->> 'processedCount'), '1', 'an event repeating an id inside is processed');
SELECT pg_temp.eq((SELECT string_agg(activity_type, ',') FROM public.external_activity_imports WHERE external_activity_id = 'ah-act-0603'),
                  'second', 'one row, the later occurrence');

-- single activity object, and a payload that is itself the activity
SELECT public.provider_webhook_ingest(
    '{"provider":"garmin","providerEventId":"gm-evt-0604","eventType":"activity.created",
      "payload":{"providerUserId":"gm-davide-0001","activity":{"uuid":"gm-act-0604","type":"ride"}}}');
SELECT public.provider_webhook_ingest(
    '{"provider":"garmin","providerEventId":"gm-evt-0605","eventType":"activity.created",
      "payload":{"providerUserId":"gm-davide-0001","id":"gm-act-0605","activity_type":"swim"}}');
SELECT pg_temp.eq((public.sync_dispatcher_run(20, 'garmin') ->> 'processedCount'), '2', 'both garmin deliveries processed');
SELECT pg_temp.eq((SELECT string_agg(external_activity_id || ':' || activity_type, ',' ORDER BY external_activity_id)
                   FROM public.external_activity_imports WHERE user_id = '20000000-0000-4000-8000-000000000005'),
                  'gm-act-0604:ride,gm-act-0605:swim', 'payload.activity and an activity-shaped payload are imported');

-- ================================================================ the key is (user, provider, external id)
SELECT pg_temp.fails($q$INSERT INTO public.external_activity_imports (user_id, connection_id, provider, external_activity_id)
                        VALUES ('20000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000101', 'apple_health', 'ah-act-0002')$q$,
                     '23505', '%external_activity_imports_user_provider_activity_key%', 'a second row for the same key is refused, even for the service');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.external_activity_imports (user_id, connection_id, provider, external_activity_id)
                        VALUES ('20000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000102', 'garmin', 'ah-act-0002')$q$), 1::bigint,
                  'the same external id under another provider is another activity');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.external_activity_imports (user_id, connection_id, provider, external_activity_id)
                        VALUES ('20000000-0000-4000-8000-000000000005', 'd0000000-0000-4000-8000-000000000103', 'apple_health', 'ah-act-0002')$q$), 1::bigint,
                  'the same external id of another user is another activity');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.external_activity_imports (user_id, connection_id, provider, external_activity_id)
                        VALUES ('20000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000101', 'apple_health', 'ah-act-0002')
                        ON CONFLICT ON CONSTRAINT external_activity_imports_user_provider_activity_key DO NOTHING$q$), 0::bigint,
                  'an upsert on the key adds nothing');

-- ================================================================ users read their own imports and never write them
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.external_activity_imports$q$), 3::bigint, 'davide reads his 3 imports only');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.external_activity_imports WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'davide reads none of sara''s imports');
SELECT pg_temp.fails($q$INSERT INTO public.external_activity_imports (user_id, connection_id, provider, external_activity_id)
                        VALUES ('20000000-0000-4000-8000-000000000005', 'd0000000-0000-4000-8000-000000000103', 'garmin', 'forged-1')$q$,
                     '42501', 'new row violates row-level security policy for table "external_activity_imports"', 'a user cannot insert an import');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.external_activity_imports SET external_activity_id = 'gm-act-9999'$q$), 0::bigint,
                  'a user updates no import, not even his own');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.external_activity_imports$q$), 0::bigint, 'a user deletes no import');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.external_activity_imports$q$), 0::bigint, 'staff (giulia) read no member''s imports');

ROLLBACK;
