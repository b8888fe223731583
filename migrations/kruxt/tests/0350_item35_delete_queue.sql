-- Item 35: queue_privacy_delete_jobs queues only open delete requests and remains idempotent under retries;
-- claim_privacy_delete_jobs hands each due job out once (05 §6.2, identical to the export versions but for
-- request_type = 'delete'). privacy_delete_jobs access rules: own or service read, service-only writes.
-- Seed (T): hanna's delete request 7…0105 (in_progress) already has the queued job 7…1201.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.queue_privacy_delete_jobs(), 0, 'the seeded delete request already has its job: nothing to queue');

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT public.submit_privacy_request('delete', 'Close my account');
SELECT public.submit_privacy_request('export');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
SELECT public.submit_privacy_request('delete');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT public.submit_privacy_request('restrict_processing');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.privacy_requests (id, user_id, request_type, status) VALUES
    ('70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000009', 'delete', 'rejected'),
    ('70000000-0000-4000-8000-0000000f0002', '20000000-0000-4000-8000-000000000014', 'delete', 'fulfilled');
UPDATE public.privacy_requests SET submitted_at = public.app_now() - interval '1 hour' WHERE user_id = '20000000-0000-4000-8000-000000000010' AND request_type = 'delete';

SELECT pg_temp.eq(public.queue_privacy_delete_jobs(-5), 1, 'limit -5 is clamped to 1');
SELECT pg_temp.eq((SELECT string_agg(u.username, ',') FROM public.privacy_delete_jobs j JOIN public.profiles u ON u.id = j.user_id
                   WHERE j.id <> '70000000-0000-4000-8000-000000001201'), 'troll_tom', 'oldest first: tom''s (submitted an hour earlier)');
SELECT pg_temp.eq(public.queue_privacy_delete_jobs(), 1, 'then sara''s');
SELECT pg_temp.eq(public.queue_privacy_delete_jobs(), 0, 'a retry queues nothing');
SELECT pg_temp.eq(public.queue_privacy_delete_jobs(500), 0, 'nor a retry with a large limit (clamped to 200)');
SELECT pg_temp.eq((SELECT string_agg(r.request_type::text, ',' ORDER BY r.request_type) FROM public.privacy_delete_jobs j
                   JOIN public.privacy_requests r ON r.id = j.privacy_request_id), 'delete,delete,delete',
                  'only delete requests (not sara''s export, fede''s restrict_processing; not nico''s rejected or jake''s fulfilled delete)');
SELECT pg_temp.eq((SELECT count(*) FROM public.privacy_export_jobs WHERE privacy_request_id IN (SELECT privacy_request_id FROM public.privacy_delete_jobs)),
                  0::bigint, 'and the export queue never takes a delete request');
SELECT pg_temp.eq(public.queue_privacy_export_jobs(), 3, 'the export queue takes its own: sara''s export, davide''s access, chiara''s export');

-- ---- claims: each job once
CREATE TEMP TABLE c1 ON COMMIT DROP AS SELECT * FROM public.claim_privacy_delete_jobs(2);
CREATE TEMP TABLE c2 ON COMMIT DROP AS SELECT * FROM public.claim_privacy_delete_jobs(0);
CREATE TEMP TABLE c3 ON COMMIT DROP AS SELECT * FROM public.claim_privacy_delete_jobs(100);
SELECT pg_temp.eq((SELECT count(*) FROM c1) || '/' || (SELECT count(*) FROM c2) || '/' || (SELECT count(*) FROM c3), '2/1/0',
                  'limit 2, then limit 0 (clamped to 1), then nothing left');
SELECT pg_temp.eq((SELECT string_agg(id::text, ',' ORDER BY id) FROM (SELECT id FROM c1 UNION ALL SELECT id FROM c2) q),
                  (SELECT string_agg(id::text, ',' ORDER BY id) FROM public.privacy_delete_jobs), 'the three jobs, each exactly once');
SELECT pg_temp.eq((SELECT string_agg(DISTINCT status::text || ':' || (started_at = public.app_now()), ',') FROM public.privacy_delete_jobs), 'running:true',
                  'all running since now');
SELECT pg_temp.eq((SELECT privacy_request_id FROM c1 LIMIT 1), '70000000-0000-4000-8000-000000000105'::uuid,
                  'hanna''s job (due T-8 d) first');
-- retry schedule
SELECT public.fail_privacy_delete_job((SELECT id FROM c2), 'transient', 120);
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_delete_jobs()), 0::bigint, 'a retry is not due yet');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '2 minutes')::text, true);
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_delete_jobs()), 1::bigint, 'due after 120 s');

-- ---- callers and RLS
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.queue_privacy_delete_jobs()$q$, 'KX403', 'Service role required', 'a user cannot queue');
SELECT pg_temp.fails($q$SELECT * FROM public.claim_privacy_delete_jobs()$q$, 'KX403', 'Service role required', 'a user cannot claim');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.privacy_delete_jobs$q$), 1::bigint, 'sara reads her own delete job');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.privacy_delete_jobs SET status = 'succeeded'$q$), 0::bigint, 'but cannot update it');
SELECT pg_temp.fails($q$INSERT INTO public.privacy_delete_jobs (privacy_request_id, user_id) VALUES ('70000000-0000-4000-8000-0000000f0001', auth.uid())$q$,
                     '42501', 'new row violates row-level security policy for table "privacy_delete_jobs"', 'nor insert one');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.privacy_delete_jobs$q$), 0::bigint, 'staff read no delete jobs');

ROLLBACK;
