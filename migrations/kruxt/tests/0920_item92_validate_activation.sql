-- Item 92: validateActivation reports missing providers, sync backlog, duplicate import groups and a deterministic
-- mapping coverage (04 §6): integrations_validate_activation() -> {report, snapshot}, as the user.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);

-- ================================================================ sara as seeded: garmin missing, 1 of 3 imports mapped
INSERT INTO ctx SELECT 'sara', public.integrations_validate_activation();
SELECT pg_temp.eq((SELECT v -> 'report' FROM ctx WHERE k = 'sara'),
                  '{"requiredProviders":["apple_health","garmin"],"connectedProviders":["apple_health"],"missingProviders":["garmin"],
                    "queuedOrRunningSyncJobCount":0,"duplicateImportGroups":[],"mappedImportCount":1,"unmappedImportCount":2,
                    "mappingCoverage":0.3333,"ready":false}'::jsonb,
                  'report: garmin missing, no backlog, no duplicates, coverage 1/3 = 0.3333, not ready');
SELECT pg_temp.eq((SELECT v -> 'snapshot' FROM ctx WHERE k = 'sara'), public.integrations_ui_snapshot(), 'the report comes with the full snapshot');
SELECT pg_temp.eq(public.integrations_validate_activation(), (SELECT v FROM ctx WHERE k = 'sara'), 'the same state gives the same report');

-- ================================================================ duplicate import groups (ids equal once trimmed) and backlog
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.external_activity_imports (user_id, connection_id, provider, external_activity_id, mapped_workout_id) VALUES
    ('20000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000102', 'garmin', 'gm-dup-1', '40000000-0000-4000-8000-000000000101'),
    ('20000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000102', 'garmin', ' gm-dup-1 ', NULL),
    ('20000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000101', 'apple_health', 'a-dup', NULL),
    ('20000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000101', 'apple_health', 'a-dup ', NULL),
    ('20000000-0000-4000-8000-000000000004', 'd0000000-0000-4000-8000-000000000101', 'apple_health', ' a-dup', NULL);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT public.integrations_connect_provider('garmin', 'gm-sara-0002');
INSERT INTO ctx SELECT 'dups', public.integrations_validate_activation();
SELECT pg_temp.eq((SELECT v -> 'report' -> 'duplicateImportGroups' FROM ctx WHERE k = 'dups'),
                  '[{"provider":"apple_health","externalActivityId":"a-dup","count":3},{"provider":"garmin","externalActivityId":"gm-dup-1","count":2}]'::jsonb,
                  'duplicate groups by trimmed external id, sorted by id');
SELECT pg_temp.eq((SELECT jsonb_build_object('missing', v -> 'report' -> 'missingProviders', 'backlog', v -> 'report' -> 'queuedOrRunningSyncJobCount',
                                             'mapped', v -> 'report' -> 'mappedImportCount', 'unmapped', v -> 'report' -> 'unmappedImportCount',
                                             'coverage', v -> 'report' -> 'mappingCoverage', 'ready', v -> 'report' -> 'ready',
                                             'garminDupIds', v -> 'snapshot' -> 'providerStates' -> 1 -> 'duplicateExternalActivityIds')
                   FROM ctx WHERE k = 'dups'),
                  '{"missing":[],"backlog":1,"mapped":2,"unmapped":6,"coverage":0.25,"ready":false,"garminDupIds":["gm-dup-1"]}'::jsonb,
                  'both providers connected, the initial sync is backlog, coverage 2/8 = 0.25, duplicates make it not ready');
-- running and retry_scheduled jobs are backlog too; finished ones are not
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT count(*) FROM public.claim_device_sync_jobs(100, 'garmin');
SELECT public.fail_device_sync_job(j.id, 'Provider timeout') FROM public.device_sync_jobs j
WHERE j.user_id = '20000000-0000-4000-8000-000000000004' AND j.status = 'running';
INSERT INTO public.device_sync_jobs (connection_id) VALUES ('d0000000-0000-4000-8000-000000000101');
SELECT public.claim_device_sync_jobs(100, 'apple_health');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq((public.integrations_validate_activation() -> 'report' -> 'queuedOrRunningSyncJobCount'), '2'::jsonb,
                  'backlog: one retry_scheduled and one running job');

-- ================================================================ ready: both providers, no duplicates, no backlog
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq((public.integrations_validate_activation() -> 'report'),
                  '{"requiredProviders":["apple_health","garmin"],"connectedProviders":[],"missingProviders":["apple_health","garmin"],
                    "queuedOrRunningSyncJobCount":0,"duplicateImportGroups":[],"mappedImportCount":0,"unmappedImportCount":0,
                    "mappingCoverage":1,"ready":false}'::jsonb,
                  'fede without connections: both missing; no imports -> coverage 1');
SELECT public.integrations_connect_provider('apple_health', 'ah-fede', p_queue_initial_sync => false);
SELECT public.integrations_connect_provider('garmin', 'gm-fede', p_queue_initial_sync => false);
SELECT pg_temp.eq((public.integrations_validate_activation() -> 'report' ->> 'ready'), 'true', 'fede connected to both, nothing pending: ready');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT jsonb_build_object('missing', r -> 'missingProviders', 'backlog', r -> 'queuedOrRunningSyncJobCount', 'ready', r -> 'ready')
                   FROM (SELECT public.integrations_validate_activation() -> 'report' AS r) AS x),
                  '{"missing":["apple_health"],"backlog":1,"ready":false}'::jsonb, 'davide: apple missing, his retry_scheduled job is backlog');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_validate_activation()$q$, 'KX401', 'Authentication required', 'no user');

ROLLBACK;
