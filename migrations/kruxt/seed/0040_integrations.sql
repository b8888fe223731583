-- KRUXT demo seed, area 04 (99 §10): sync jobs, sync cursors and imported activities for the device
-- connections and webhook events of seed/0001_demo_core.sql (d...0000000001NN connections, d...0000000002NN
-- webhook events).
--
-- Runs after every migration, as a superuser; rows are written as service_role with service claims (RLS
-- bypassed, every trigger runs), with fixed ids and times relative to T (kruxt_internal.seed_at). Written
-- directly, not through the dispatcher, so no outbox or audit rows come from this file.
--
-- Fixed ids: d0000000-0000-4000-8000-0000000003NN sync jobs, ...-0000000004NN sync cursors,
-- ...-0000000005NN external activity imports.
--   jobs    01 sara apple_health webhook_pull of event ...0201, succeeded T-2 d (imported ah-act-0001/0002)
--           02 davide garmin pull_activities, retry_scheduled (retry 1, 'Provider timeout', due T+3 min)
--           03 davide garmin pull_activities, failed after 4 attempts ('Provider timeout'), T-1 d
--           04 sara garmin pull_activities, succeeded T-25 d (before she disconnected Garmin at T-20 d)
--           05 sara apple_health pull_activities requested by sara, succeeded T-1 h (no new events)
--   cursors 01 sara apple_health {"next_cursor":"c-120"}; 02 davide garmin {"next_cursor":"g-045"} with last_error
--   imports 01 ah-act-0001 strength_training (mapped to W02), 02 ah-act-0002 walking, 03 gm-act-0001 running (garmin)

SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

INSERT INTO public.device_sync_jobs (id, connection_id, user_id, provider, job_type, status, cursor, requested_by,
                                     retry_count, next_retry_at, started_at, finished_at, error_message,
                                     source_webhook_event_id, created_at, updated_at)
VALUES
    ('d0000000-0000-4000-8000-000000000301', 'd0000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000004',
     'apple_health', 'webhook_pull', 'succeeded', '{"next_cursor":"c-120"}', NULL, 0, NULL,
     kruxt_internal.seed_at(-2), kruxt_internal.seed_at(-2), NULL, 'd0000000-0000-4000-8000-000000000201',
     kruxt_internal.seed_at(-2), kruxt_internal.seed_at(-2)),
    ('d0000000-0000-4000-8000-000000000302', 'd0000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000005',
     'garmin', 'pull_activities', 'retry_scheduled', '{"next_cursor":"g-045"}', '20000000-0000-4000-8000-000000000005', 1,
     kruxt_internal.seed_at(3.0 / 1440), kruxt_internal.seed_at(-2.5 / 1440), kruxt_internal.seed_at(-2.0 / 1440),
     'Provider timeout', NULL, kruxt_internal.seed_at(-3.0 / 1440), kruxt_internal.seed_at(-2.0 / 1440)),
    ('d0000000-0000-4000-8000-000000000303', 'd0000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000005',
     'garmin', 'pull_activities', 'failed', '{"next_cursor":"g-045"}', '20000000-0000-4000-8000-000000000005', 4, NULL,
     kruxt_internal.seed_at(-1), kruxt_internal.seed_at(-1), 'Provider timeout', NULL,
     kruxt_internal.seed_at(-1.1), kruxt_internal.seed_at(-1)),
    ('d0000000-0000-4000-8000-000000000304', 'd0000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000004',
     'garmin', 'pull_activities', 'succeeded', '{}', '20000000-0000-4000-8000-000000000004', 0, NULL,
     kruxt_internal.seed_at(-25), kruxt_internal.seed_at(-25), NULL, NULL,
     kruxt_internal.seed_at(-25), kruxt_internal.seed_at(-25)),
    ('d0000000-0000-4000-8000-000000000305', 'd0000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000004',
     'apple_health', 'pull_activities', 'succeeded', '{}', '20000000-0000-4000-8000-000000000004', 0, NULL,
     kruxt_internal.seed_at(-1.0 / 24), kruxt_internal.seed_at(-1.0 / 24), NULL, NULL,
     kruxt_internal.seed_at(-1.1 / 24), kruxt_internal.seed_at(-1.0 / 24));

INSERT INTO public.device_sync_cursors (id, connection_id, user_id, provider, cursor, last_synced_at, last_job_id,
                                        last_webhook_event_id, last_error, created_at, updated_at)
VALUES
    ('d0000000-0000-4000-8000-000000000401', 'd0000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000004',
     'apple_health', '{"next_cursor":"c-120"}', kruxt_internal.seed_at(-1.0 / 24), 'd0000000-0000-4000-8000-000000000305',
     'd0000000-0000-4000-8000-000000000201', NULL, kruxt_internal.seed_at(-2), kruxt_internal.seed_at(-1.0 / 24)),
    ('d0000000-0000-4000-8000-000000000402', 'd0000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000005',
     'garmin', '{"next_cursor":"g-045"}', kruxt_internal.seed_at(-2), 'd0000000-0000-4000-8000-000000000302',
     NULL, 'Provider timeout', kruxt_internal.seed_at(-9), kruxt_internal.seed_at(-2.0 / 1440));

INSERT INTO public.external_activity_imports (id, user_id, connection_id, provider, external_activity_id, activity_type,
                                              started_at, ended_at, duration_seconds, distance_m, calories, average_hr,
                                              max_hr, raw_data, mapped_workout_id, imported_at, created_at)
SELECT i.id::uuid, '20000000-0000-4000-8000-000000000004', i.connection_id::uuid, i.provider::public.integration_provider,
       i.external_id, i.activity_type, i.started_at, i.started_at + make_interval(secs => i.duration), i.duration,
       i.distance, i.calories, i.avg_hr, i.max_hr,
       jsonb_build_object('event_id', i.event_id, 'event_type', 'activities.created',
                          'activity', jsonb_build_object('id', i.external_id, 'type', i.activity_type)),
       i.mapped::uuid, i.imported_at, i.imported_at
FROM (VALUES
    ('d0000000-0000-4000-8000-000000000501', 'd0000000-0000-4000-8000-000000000101', 'apple_health', 'ah-act-0001',
     'strength_training', kruxt_internal.seed_at(-2, '18:30'), 3000, NULL::numeric, 410, 128, 161,
     'd0000000-0000-4000-8000-000000000201', '40000000-0000-4000-8000-000000000102', kruxt_internal.seed_at(-2)),
    ('d0000000-0000-4000-8000-000000000502', 'd0000000-0000-4000-8000-000000000101', 'apple_health', 'ah-act-0002',
     'walking', kruxt_internal.seed_at(-2, '12:10'), 1500, 2100::numeric, 95, 96, 112,
     'd0000000-0000-4000-8000-000000000201', NULL, kruxt_internal.seed_at(-2)),
    ('d0000000-0000-4000-8000-000000000503', 'd0000000-0000-4000-8000-000000000102', 'garmin', 'gm-act-0001',
     'running', kruxt_internal.seed_at(-26, '07:15'), 2400, 6200::numeric, 480, 152, 178,
     NULL, NULL, kruxt_internal.seed_at(-25))
) AS i(id, connection_id, provider, external_id, activity_type, started_at, duration, distance, calories, avg_hr, max_hr,
       event_id, mapped, imported_at);

SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;
