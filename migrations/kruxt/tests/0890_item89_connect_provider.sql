-- Item 89: connectProvider upserts an active provider connection, queues the initial sync job and the refreshed
-- snapshot shows both (04 §6): integrations_connect_provider(...) then integrations_ui_snapshot(), as the user.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);

-- ================================================================ a new connection with its initial sync
INSERT INTO ctx SELECT 'connect', public.integrations_connect_provider(
    p_provider => 'apple_health', p_provider_user_id => ' ah-davide-0001 ', p_scopes => ARRAY['workouts'],
    p_access_token_encrypted => 'enc:v1:davide-apple-access', p_refresh_token_encrypted => 'enc:v1:davide-apple-refresh',
    p_token_expires_at => public.app_now() + interval '30 days', p_metadata => '{"device":"iPhone"}',
    p_initial_sync_cursor => '{"since":"2026-03-01"}');
SELECT pg_temp.eq((SELECT jsonb_build_object('status', v -> 'connection' ->> 'status', 'provider', v -> 'connection' ->> 'provider',
                                             'providerUserId', v -> 'connection' ->> 'provider_user_id', 'tokens', v -> 'connection' ? 'access_token_encrypted',
                                             'jobType', v -> 'syncJob' ->> 'job_type', 'jobStatus', v -> 'syncJob' ->> 'status',
                                             'cursor', v -> 'syncJob' -> 'cursor', 'requestedBy', v -> 'syncJob' ->> 'requested_by',
                                             'jobConnection', (v -> 'syncJob' ->> 'connection_id') = (v -> 'connection' ->> 'id'))
                   FROM ctx WHERE k = 'connect'),
                  '{"status":"active","provider":"apple_health","providerUserId":"ah-davide-0001","tokens":false,"jobType":"pull_activities",
                    "jobStatus":"queued","cursor":{"since":"2026-03-01"},"requestedBy":"20000000-0000-4000-8000-000000000005","jobConnection":true}'::jsonb,
                  'connect: active connection (no tokens in the answer) and a queued pull_activities job with the initial cursor');
SELECT pg_temp.eq((SELECT access_token_encrypted || ' ' || scopes::text || ' ' || metadata::text FROM public.device_connections
                   WHERE user_id = auth.uid() AND provider = 'apple_health'),
                  'enc:v1:davide-apple-access {workouts} {"device": "iPhone"}', 'the stored connection keeps the tokens and fields');
INSERT INTO ctx SELECT 'snapshot', public.integrations_ui_snapshot();
SELECT pg_temp.eq((SELECT jsonb_build_object('connection', s -> 'connection' ->> 'id', 'latestSyncJob', s -> 'latestSyncJob' ->> 'id')
                   FROM ctx, LATERAL (SELECT v -> 'providerStates' -> 0 AS s) AS x WHERE k = 'snapshot'),
                  (SELECT jsonb_build_object('connection', v -> 'connection' ->> 'id', 'latestSyncJob', v -> 'syncJob' ->> 'id') FROM ctx WHERE k = 'connect'),
                  'the refreshed snapshot shows the connection and the new job as latestSyncJob');

-- ================================================================ reconnecting upserts the same row
INSERT INTO ctx SELECT 'again', public.integrations_connect_provider('apple_health', 'ah-davide-0002', p_queue_initial_sync => false);
SELECT pg_temp.eq((SELECT (v -> 'connection' ->> 'id') = (SELECT v -> 'connection' ->> 'id' FROM ctx WHERE k = 'connect')
                          AND v -> 'syncJob' = 'null'::jsonb FROM ctx WHERE k = 'again'), true,
                  'reconnect: same connection (upsert on user and provider); queueInitialSync false queues nothing');
SELECT pg_temp.eq((SELECT count(*) FROM public.device_connections WHERE user_id = auth.uid() AND provider = 'apple_health'), 1::bigint, 'still one row');
SELECT pg_temp.eq((SELECT count(*) FROM public.device_sync_jobs WHERE user_id = auth.uid() AND provider = 'apple_health'), 1::bigint, 'still one job');
SELECT pg_temp.eq((SELECT provider_user_id || ' ' || (access_token_encrypted IS NULL) FROM public.device_connections WHERE user_id = auth.uid() AND provider = 'apple_health'),
                  'ah-davide-0002 true', 'the upsert replaces the fields with the new ones');

-- sara reconnects her revoked garmin: re-activated, error cleared
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
INSERT INTO ctx SELECT 'sara', public.integrations_connect_provider('garmin', 'gm-sara-0002', ARRAY['activities'], 'enc:v1:new', NULL, NULL);
SELECT pg_temp.eq((SELECT (v -> 'connection' ->> 'id') || ' ' || (v -> 'connection' ->> 'status') || ' ' || (v -> 'syncJob' -> 'cursor')::text
                   FROM ctx WHERE k = 'sara'),
                  'd0000000-0000-4000-8000-000000000102 active {}', 'sara''s revoked garmin connection is re-activated with a new initial sync');
SELECT pg_temp.eq((SELECT s -> 'connection' ->> 'status' FROM (SELECT public.integrations_ui_snapshot() -> 'providerStates' -> 1 AS s) AS x), 'active',
                  'the refreshed snapshot shows garmin active');

-- ================================================================ refusals
SELECT pg_temp.fails($q$SELECT public.integrations_connect_provider('fitbit')$q$, 'KX422', 'Provider fitbit is not supported in this rollout window',
                     'connect fitbit -> INTEGRATION_PROVIDER_UNSUPPORTED');
SELECT pg_temp.fails($q$SELECT public.integrations_connect_provider(NULL)$q$, 'KX422', 'Provider (blank) is not supported in this rollout window',
                     'connect without a provider');
SELECT pg_temp.fails($q$SELECT public.integrations_connect_provider('apple_health', p_metadata => '[1]')$q$, 'KX422', 'metadata must be a JSON object',
                     'metadata must be an object');
SELECT pg_temp.eq((SELECT count(*) FROM public.device_connections WHERE user_id = auth.uid()), 2::bigint, 'refused connects left nothing');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_connect_provider('garmin')$q$, 'KX401', 'Authentication required', 'no user');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_connect_provider('garmin')$q$, NULL, NULL, 'anonymous cannot connect');

ROLLBACK;
