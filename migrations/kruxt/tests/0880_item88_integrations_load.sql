-- Item 88: createPhase6IntegrationsUiFlow.load returns only the active beta providers (apple_health, garmin) plus
-- per-provider state summaries (04 §6): integrations_ui_snapshot(p_provider text = null), run as the user.
-- Also the area 04 seed (99 §10).
-- Seed: sara apple_health d...0101 (active, cursor c-120, imports ah-act-0001 mapped to W02 and ah-act-0002, latest job
-- d...0305), garmin d...0102 (revoked, import gm-act-0001, job d...0304); jake fitbit d...0104 (hidden).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ the area 04 seed
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(right(id::text, 3) || ':' || provider || ':' || status || ':' || retry_count, ',' ORDER BY id) FROM public.device_sync_jobs),
                  '301:apple_health:succeeded:0,302:garmin:retry_scheduled:1,303:garmin:failed:4,304:garmin:succeeded:0,305:apple_health:succeeded:0',
                  'seeded sync jobs');
SELECT pg_temp.eq((SELECT next_retry_at - public.app_now() FROM public.device_sync_jobs WHERE id = 'd0000000-0000-4000-8000-000000000302'),
                  interval '3 minutes', 'davide''s retry is due at T + 3 min');
SELECT pg_temp.eq((SELECT string_agg(right(connection_id::text, 3) || ':' || (cursor ->> 'next_cursor') || ':' || coalesce(last_error, '-'), ',' ORDER BY id)
                   FROM public.device_sync_cursors), '101:c-120:-,103:g-045:Provider timeout', 'seeded cursors');
SELECT pg_temp.eq((SELECT string_agg(external_activity_id || ':' || provider || ':' || coalesce(right(mapped_workout_id::text, 3), '-'), ',' ORDER BY id)
                   FROM public.external_activity_imports), 'ah-act-0001:apple_health:102,ah-act-0002:apple_health:-,gm-act-0001:garmin:-',
                  'seeded imports: 3 for sara, one mapped to W02');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type LIKE 'integration.%'), 0::bigint, 'the integrations seed writes no outbox row');

-- ================================================================ errors
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_ui_snapshot()$q$, 'KX401', 'Authentication required', 'no user: Authentication required');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_ui_snapshot('fitbit')$q$, 'KX422', 'Provider fitbit is not supported in this rollout window',
                     'a provider outside the beta -> INTEGRATION_PROVIDER_UNSUPPORTED');
SELECT pg_temp.fails($q$SELECT public.integrations_ui_snapshot('polar')$q$, 'KX422', 'Provider polar is not supported in this rollout window',
                     'an unknown provider -> INTEGRATION_PROVIDER_UNSUPPORTED');

-- ================================================================ sara's snapshot
INSERT INTO ctx SELECT 'sara', public.integrations_ui_snapshot();
SELECT pg_temp.eq((SELECT v -> 'providers' FROM ctx WHERE k = 'sara'), '["apple_health","garmin"]'::jsonb, 'providers: the two active beta providers, in order');
SELECT pg_temp.eq((SELECT string_agg(p.value ->> 'provider', ',' ORDER BY p.ordinality) FROM ctx, jsonb_array_elements(v -> 'providerStates') WITH ORDINALITY AS p
                   WHERE k = 'sara'), 'apple_health,garmin', 'one provider state per active provider, in list order');
SELECT pg_temp.eq((SELECT jsonb_build_object(
                       'connection', s -> 'connection' ->> 'id', 'status', s -> 'connection' ->> 'status',
                       'latestSyncJob', s -> 'latestSyncJob' ->> 'id', 'cursor', s -> 'cursor' -> 'cursor',
                       'importsTotal', s -> 'importsTotal', 'mappedImports', s -> 'mappedImports', 'unmappedImports', s -> 'unmappedImports',
                       'duplicateExternalActivityIds', s -> 'duplicateExternalActivityIds',
                       'latestImportAt', (s ->> 'latestImportAt')::timestamptz = public.app_now() - interval '2 days')
                   FROM ctx, LATERAL (SELECT v -> 'providerStates' -> 0 AS s) AS x WHERE k = 'sara'),
                  '{"connection":"d0000000-0000-4000-8000-000000000101","status":"active","latestSyncJob":"d0000000-0000-4000-8000-000000000305",
                    "cursor":{"next_cursor":"c-120"},"importsTotal":2,"mappedImports":1,"unmappedImports":1,"duplicateExternalActivityIds":[],
                    "latestImportAt":true}'::jsonb,
                  'apple_health state: active connection, newest job, its cursor, 2 imports (1 mapped), latest import time');
SELECT pg_temp.eq((SELECT jsonb_build_object(
                       'connection', s -> 'connection' ->> 'id', 'status', s -> 'connection' ->> 'status',
                       'latestSyncJob', s -> 'latestSyncJob' ->> 'id', 'cursor', s -> 'cursor',
                       'importsTotal', s -> 'importsTotal', 'mappedImports', s -> 'mappedImports')
                   FROM ctx, LATERAL (SELECT v -> 'providerStates' -> 1 AS s) AS x WHERE k = 'sara'),
                  '{"connection":"d0000000-0000-4000-8000-000000000102","status":"revoked","latestSyncJob":"d0000000-0000-4000-8000-000000000304",
                    "cursor":null,"importsTotal":1,"mappedImports":0}'::jsonb,
                  'garmin state: revoked connection, its job, no cursor, 1 import');
SELECT pg_temp.eq((SELECT jsonb_build_object('connections', jsonb_array_length(v -> 'connections'), 'syncJobs', jsonb_array_length(v -> 'syncJobs'),
                                             'syncCursors', jsonb_array_length(v -> 'syncCursors'), 'imports', jsonb_array_length(v -> 'imports'),
                                             'mapped', v -> 'mappedImportCount', 'unmapped', v -> 'unmappedImportCount',
                                             'dups', v -> 'duplicateImportGroups', 'hiddenC', v -> 'hiddenUnsupportedConnectionCount',
                                             'hiddenI', v -> 'hiddenUnsupportedImportCount') FROM ctx WHERE k = 'sara'),
                  '{"connections":2,"syncJobs":3,"syncCursors":1,"imports":3,"mapped":1,"unmapped":2,"dups":[],"hiddenC":0,"hiddenI":0}'::jsonb,
                  'lists and counters');
SELECT pg_temp.eq((SELECT string_agg(j.value ->> 'id', ',' ORDER BY j.ordinality) FROM ctx, jsonb_array_elements(v -> 'syncJobs') WITH ORDINALITY AS j
                   WHERE k = 'sara'),
                  'd0000000-0000-4000-8000-000000000305,d0000000-0000-4000-8000-000000000301,d0000000-0000-4000-8000-000000000304',
                  'sync jobs newest first');
SELECT pg_temp.eq((SELECT string_agg(i.value ->> 'external_activity_id', ',' ORDER BY i.ordinality) FROM ctx, jsonb_array_elements(v -> 'imports') WITH ORDINALITY AS i
                   WHERE k = 'sara'), 'ah-act-0002,ah-act-0001,gm-act-0001', 'imports by imported_at desc, then id desc');
SELECT pg_temp.eq((SELECT count(*) FROM ctx, jsonb_array_elements(v -> 'connections') AS c
                   WHERE k = 'sara' AND (c.value ? 'access_token_encrypted' OR c.value ? 'refresh_token_encrypted')), 0::bigint,
                  'connections in the snapshot carry no token columns');
SELECT pg_temp.eq(public.integrations_ui_snapshot(), (SELECT v FROM ctx WHERE k = 'sara'), 'the same state gives the same snapshot');

-- provider filter
INSERT INTO ctx SELECT 'sara_garmin', public.integrations_ui_snapshot(' Garmin ');
SELECT pg_temp.eq((SELECT jsonb_build_object('connections', jsonb_array_length(v -> 'connections'), 'jobs', jsonb_array_length(v -> 'syncJobs'),
                                             'imports', jsonb_array_length(v -> 'imports'),
                                             'appleConnection', v -> 'providerStates' -> 0 -> 'connection',
                                             'garminImports', v -> 'providerStates' -> 1 -> 'importsTotal') FROM ctx WHERE k = 'sara_garmin'),
                  '{"connections":1,"jobs":1,"imports":1,"appleConnection":null,"garminImports":1}'::jsonb,
                  'load(garmin): the lists hold garmin rows only (states still name both providers)');

-- ================================================================ unsupported providers are dropped and counted
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.external_activity_imports (user_id, connection_id, provider, external_activity_id)
VALUES ('20000000-0000-4000-8000-000000000014', 'd0000000-0000-4000-8000-000000000104', 'fitbit', 'fb-act-0001');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
INSERT INTO ctx SELECT 'jake', public.integrations_ui_snapshot();
SELECT pg_temp.eq((SELECT jsonb_build_object('connections', v -> 'connections', 'imports', v -> 'imports',
                                             'hiddenC', v -> 'hiddenUnsupportedConnectionCount', 'hiddenI', v -> 'hiddenUnsupportedImportCount',
                                             'states', (SELECT jsonb_agg(s.value -> 'connection') FROM jsonb_array_elements(v -> 'providerStates') AS s))
                   FROM ctx WHERE k = 'jake'),
                  '{"connections":[],"imports":[],"hiddenC":1,"hiddenI":1,"states":[null,null]}'::jsonb,
                  'jake: his fitbit connection and import are hidden and counted');
-- other users see their own state only
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT jsonb_build_object('apple', s -> 0 -> 'connection', 'garmin', s -> 1 -> 'connection' ->> 'id',
                                             'garminJob', s -> 1 -> 'latestSyncJob' ->> 'status', 'cursor', s -> 1 -> 'cursor' -> 'cursor')
                   FROM (SELECT public.integrations_ui_snapshot() -> 'providerStates' AS s) AS x),
                  '{"apple":null,"garmin":"d0000000-0000-4000-8000-000000000103","garminJob":"retry_scheduled","cursor":{"next_cursor":"g-045"}}'::jsonb,
                  'davide: his garmin state with the retry_scheduled job (newest)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT jsonb_array_length(v -> 'syncJobs') FROM (SELECT public.integrations_ui_snapshot() AS v) AS x), 0,
                  'coach luca (who may read members'' jobs) gets only his own (none) in his snapshot');

ROLLBACK;
