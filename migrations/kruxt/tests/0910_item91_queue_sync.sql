-- Item 91: queueSync rejects inactive connections (no job) and, after a successful queue, the refreshed snapshot's
-- latestSyncJob is the new job (04 §6): integrations_queue_sync(p_connection_id, p_job_type, p_cursor).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);

-- ================================================================ positive
SELECT set_config('kruxt.now', (public.app_now() + interval '1 second')::text, true);
INSERT INTO ctx SELECT 'queued', public.integrations_queue_sync('d0000000-0000-4000-8000-000000000101', NULL, '{"since":"2026-03-08"}');
SELECT pg_temp.eq((SELECT jsonb_build_object('status', v -> 'syncJob' ->> 'status', 'type', v -> 'syncJob' ->> 'job_type',
                                             'cursor', v -> 'syncJob' -> 'cursor', 'by', v -> 'syncJob' ->> 'requested_by',
                                             'provider', v -> 'syncJob' ->> 'provider') FROM ctx WHERE k = 'queued'),
                  '{"status":"queued","type":"pull_activities","cursor":{"since":"2026-03-08"},"by":"20000000-0000-4000-8000-000000000004","provider":"apple_health"}'::jsonb,
                  'queueSync: a queued pull_activities job requested by sara with her cursor');
SELECT pg_temp.eq((SELECT s -> 'latestSyncJob' ->> 'id' FROM (SELECT public.integrations_ui_snapshot() -> 'providerStates' -> 0 AS s) AS x),
                  (SELECT v -> 'syncJob' ->> 'id' FROM ctx WHERE k = 'queued'), 'the refreshed snapshot''s latestSyncJob is the new job');
SELECT pg_temp.eq((SELECT r -> 'report' -> 'queuedOrRunningSyncJobCount' FROM (SELECT public.integrations_validate_activation() AS r) AS x), '1'::jsonb,
                  'the backlog counts it');
SELECT pg_temp.eq((SELECT v -> 'syncJob' ->> 'job_type' || ' ' || (v -> 'syncJob' -> 'cursor')::text
                   FROM (SELECT public.integrations_queue_sync('d0000000-0000-4000-8000-000000000101', 'backfill', '"not an object"') AS v) AS x),
                  'backfill {}', 'a given job type is kept; a non-object cursor becomes {}');

-- ================================================================ refusals, no job created
SELECT pg_temp.fails($q$SELECT public.integrations_queue_sync('d0000000-0000-4000-8000-000000000102')$q$, 'KX409', 'Device connection is not active',
                     'sara''s revoked garmin -> INTEGRATION_CONNECTION_INACTIVE');
SELECT pg_temp.eq((SELECT count(*) FROM public.device_sync_jobs WHERE connection_id = 'd0000000-0000-4000-8000-000000000102'), 1::bigint,
                  'no job was created for the inactive connection (only the seeded one)');
SELECT pg_temp.fails($q$SELECT public.integrations_queue_sync('d0000000-0000-4000-8000-000000000103')$q$, 'KX404', 'Device connection not found',
                     'davide''s connection is not sara''s -> INTEGRATION_CONNECTION_NOT_FOUND');
SELECT pg_temp.fails($q$SELECT public.integrations_queue_sync('d0000000-0000-4000-8000-000000009999')$q$, 'KX404', 'Device connection not found',
                     'unknown connection');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_queue_sync('d0000000-0000-4000-8000-000000000104')$q$, 'KX422',
                     'Provider fitbit is not supported in this rollout window', 'jake''s fitbit -> INTEGRATION_PROVIDER_UNSUPPORTED');
SELECT pg_temp.eq((SELECT count(*) FROM public.device_sync_jobs WHERE connection_id = 'd0000000-0000-4000-8000-000000000104'), 0::bigint,
                  'no fitbit job');
-- an expired connection of an active provider is inactive too
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
UPDATE public.device_connections SET status = 'expired' WHERE id = 'd0000000-0000-4000-8000-000000000103';
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_queue_sync('d0000000-0000-4000-8000-000000000103')$q$, 'KX409', 'Device connection is not active',
                     'an expired connection is refused');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_queue_sync('d0000000-0000-4000-8000-000000000101')$q$, 'KX401', 'Authentication required', 'no user');

ROLLBACK;
