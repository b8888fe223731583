-- Area 04 access rules around items 1, 17-20: device_sync_jobs RLS (own; staff of a gym where the job's user is a
-- trial/active member), the gap closure validate_device_sync_job (a job must point at a connection of the same user
-- and provider), the system-managed job state, and admin_list_gym_integration_health (token-free, staff only), which
-- replaces staff reads of device_connections (departure from reference, 00 §7).
-- Seed jobs: sara d...0301, 0304, 0305; davide d...0302 (retry_scheduled), 0303 (failed). Connections: sara apple_health
-- d...0101 and garmin d...0102 (revoked), davide garmin d...0103, jake fitbit d...0104 (no gym).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

-- ================================================================ reads
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(right(id::text, 3), ',' ORDER BY id) FROM public.device_sync_jobs), '301,304,305', 'sara reads her own jobs');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_sync_jobs$q$), 0::bigint, 'jake (no jobs, no gym) reads none');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(right(id::text, 3), ',' ORDER BY id) FROM public.device_sync_jobs), '301,302,303,304,305',
                  'coach luca (BZone staff) reads the jobs of BZone''s active members sara and davide');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_sync_jobs$q$), 0::bigint, 'coach marta (Wellness Zone) reads none of them');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_sync_jobs$q$), 0::bigint, 'member troll_tom reads no other member''s jobs');
-- a member who is not trial/active any more is out of staff sight
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
UPDATE public.gym_memberships SET membership_status = 'paused' WHERE id = 'a0000000-0000-4000-8000-000000000105';
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(right(id::text, 3), ',' ORDER BY id) FROM public.device_sync_jobs), '301,304,305',
                  'davide paused: staff no longer read his jobs');

-- ================================================================ a user's own job: starts queued, state system-managed
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.device_sync_jobs (id, connection_id, user_id, provider, status, retry_count, requested_by, error_message)
    VALUES ('d0000000-0000-4000-8000-0000000003e1', 'd0000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000004', 'apple_health',
            'succeeded', 7, '20000000-0000-4000-8000-000000000005', 'forged')$q$), 1::bigint, 'sara queues a job on her connection');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || requested_by || ' ' || (error_message IS NULL) FROM public.device_sync_jobs
                   WHERE id = 'd0000000-0000-4000-8000-0000000003e1'),
                  'queued 0 20000000-0000-4000-8000-000000000004 true', 'its state is forced: queued, no retries, requested by sara');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.device_sync_jobs SET cursor = '{"since":"2026-03-01"}' WHERE id = 'd0000000-0000-4000-8000-0000000003e1'$q$),
                  1::bigint, 'the requester may still edit the cursor of her queued job');
SELECT pg_temp.fails($q$UPDATE public.device_sync_jobs SET status = 'succeeded' WHERE id = 'd0000000-0000-4000-8000-0000000003e1'$q$,
                     'KX403', 'Sync job state is system-managed', 'she cannot set its status');
SELECT pg_temp.fails($q$UPDATE public.device_sync_jobs SET cursor = '{}' WHERE id = 'd0000000-0000-4000-8000-000000000305'$q$,
                     'KX403', 'Sync job state is system-managed', 'she cannot edit a finished job');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.device_sync_jobs$q$), 0::bigint, 'users delete no job');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.device_sync_jobs SET cursor = '{}' WHERE id = 'd0000000-0000-4000-8000-000000000301'$q$), 0::bigint,
                  'a webhook job (no requester) is not hers to update');

-- ================================================================ gap closure: connection linkage
SELECT pg_temp.fails($q$INSERT INTO public.device_sync_jobs (connection_id, user_id, provider)
    VALUES ('d0000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000004', 'garmin')$q$,
                     'KX422', 'Sync job connection linkage is invalid', 'negative (reference defect): sara cannot queue a job on davide''s connection');
SELECT pg_temp.fails($q$INSERT INTO public.device_sync_jobs (connection_id, user_id, provider)
    VALUES ('d0000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000004', 'garmin')$q$,
                     'KX422', 'Sync job connection linkage is invalid', 'provider must match the connection');
SELECT pg_temp.fails($q$INSERT INTO public.device_sync_jobs (connection_id, user_id, provider)
    VALUES ('d0000000-0000-4000-8000-000000000199', '20000000-0000-4000-8000-000000000004', 'apple_health')$q$,
                     'KX422', 'Sync job connection linkage is invalid', 'an unknown connection is a linkage error');
SELECT pg_temp.fails($q$INSERT INTO public.device_sync_jobs (connection_id, user_id, provider)
    VALUES ('d0000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000005', 'garmin')$q$,
                     '42501', 'new row violates row-level security policy for table "device_sync_jobs"', 'a job for another user is refused by RLS');
SELECT pg_temp.fails($q$UPDATE public.device_sync_jobs SET connection_id = 'd0000000-0000-4000-8000-000000000103' WHERE id = 'd0000000-0000-4000-8000-0000000003e1'$q$,
                     'KX403', 'Sync job state is system-managed', 'a job cannot be moved to another connection by its requester');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$UPDATE public.device_sync_jobs SET connection_id = 'd0000000-0000-4000-8000-000000000103' WHERE id = 'd0000000-0000-4000-8000-0000000003e1'$q$,
                     'KX422', 'Sync job connection linkage is invalid', 'not even the service can point a job at another user''s connection');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.device_sync_jobs (id, connection_id) VALUES ('d0000000-0000-4000-8000-0000000003e2', 'd0000000-0000-4000-8000-000000000103')$q$),
                  1::bigint, 'the service may name only the connection: user and provider are filled from it');
SELECT pg_temp.eq((SELECT user_id || ' ' || provider FROM public.device_sync_jobs WHERE id = 'd0000000-0000-4000-8000-0000000003e2'),
                  '20000000-0000-4000-8000-000000000005 garmin', 'filled from the connection');

-- ================================================================ admin_list_gym_integration_health
UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000105';
SELECT pg_temp.eq((SELECT string_agg(right(connection_id::text, 3) || ':' || status, ',') FROM public.admin_list_gym_integration_health('10000000-0000-4000-8000-000000000001')),
                  '101:active,102:revoked,103:active', 'service: BZone members'' connections (seeded at T: the tie goes by id; jake''s fitbit is not listed)');
SELECT set_config('kruxt.now', (public.app_now() + interval '1 minute')::text, true);
UPDATE public.device_connections SET last_error = 'Provider timeout (again)' WHERE id = 'd0000000-0000-4000-8000-000000000103';
SELECT pg_temp.eq((SELECT string_agg(right(connection_id::text, 3), ',') FROM public.admin_list_gym_integration_health('10000000-0000-4000-8000-000000000001')),
                  '103,101,102', 'ordered by updated_at desc, then connection id');
SELECT pg_temp.eq((SELECT string_agg(p.name, ',' ORDER BY p.ordinality) FROM pg_proc f,
                   unnest(f.proargnames) WITH ORDINALITY AS p(name, ordinality)
                   WHERE f.oid = 'public.admin_list_gym_integration_health(uuid)'::regprocedure),
                  'p_gym_id,connection_id,user_id,provider,status,last_synced_at,last_error,updated_at', 'the RPC has no token column');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_gym_integration_health('10000000-0000-4000-8000-000000000001')), 3::bigint,
                  'coach luca lists BZone''s member connections');
SELECT pg_temp.eq((SELECT last_error FROM public.admin_list_gym_integration_health('10000000-0000-4000-8000-000000000001')
                   WHERE connection_id = 'd0000000-0000-4000-8000-000000000103'), 'Provider timeout (again)', 'with their last error');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_connections WHERE user_id <> auth.uid()$q$), 0::bigint,
                  'departure from reference: staff still read no member''s device_connections row (tokens stay private)');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_gym_integration_health('10000000-0000-4000-8000-000000000002')$q$,
                     'KX403', 'Gym staff access is required', 'luca is not staff of Wellness Zone');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_gym_integration_health('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Gym staff access is required', 'a member cannot list the gym''s integration health');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_gym_integration_health('10000000-0000-4000-8000-000000000001')$q$,
                     'KX401', 'Authentication required', 'no user: Authentication required');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_gym_integration_health('10000000-0000-4000-8000-000000000002')), 0::bigint,
                  'Wellness Zone staff: none of its members has a connection');

ROLLBACK;
