-- Item 30: queue_privacy_export_jobs queues only open access/export requests and is idempotent under retries
-- (05 §5.2): open access/export requests without a job, oldest first, limit clamped 1..200; repeated calls
-- return 0 and create nothing; delete/rectify/restrict_processing and closed (or resolved) requests never.
-- privacy_export_jobs access rules (05 §6.3): own or service read, service-only writes.
-- Seed (T): open: chiara's export 7…0104 (T-35 d), davide's access 7…0102 (T-29 d), elena's rectify, hanna's
-- delete; closed: leo's export (fulfilled, job 7…1101), sara's access (fulfilled), nico's export (rejected).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
-- more requests: a restrict_processing and a rectify (never queued), a triaged export whose resolved_at is set
INSERT INTO public.privacy_requests (id, user_id, request_type, status, submitted_at) VALUES
    ('70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000010', 'restrict_processing', 'submitted', public.app_now() - interval '40 days'),
    ('70000000-0000-4000-8000-0000000f0002', '20000000-0000-4000-8000-000000000010', 'rectify', 'in_progress', public.app_now() - interval '40 days');
INSERT INTO public.privacy_requests (id, user_id, request_type, status, submitted_at, resolved_at) VALUES
    ('70000000-0000-4000-8000-0000000f0003', '20000000-0000-4000-8000-000000000013', 'export', 'triaged', public.app_now() - interval '50 days', public.app_now());

SELECT pg_temp.eq(public.queue_privacy_export_jobs(0), 1, 'limit 0 is clamped to 1: one job');
SELECT pg_temp.eq((SELECT string_agg(privacy_request_id::text, ',') FROM public.privacy_export_jobs WHERE status = 'queued'),
                  '70000000-0000-4000-8000-000000000104', 'the oldest open export/access request first (chiara''s)');
SELECT pg_temp.eq(public.queue_privacy_export_jobs(), 1, 'default limit: the remaining one (davide''s access request)');
SELECT pg_temp.eq(public.queue_privacy_export_jobs(), 0, 'a retry queues nothing');
SELECT pg_temp.eq(public.queue_privacy_export_jobs(1000), 0, 'limit 1000 is clamped, still nothing');
SELECT pg_temp.eq((SELECT string_agg(j.privacy_request_id || ':' || j.user_id || ':' || j.status || ':' || (j.next_retry_at = public.app_now())
                                     || ':' || j.retry_count || ':' || (j.started_at IS NULL), ',' ORDER BY j.privacy_request_id)
                   FROM public.privacy_export_jobs j WHERE j.id <> '70000000-0000-4000-8000-000000001101'),
                  '70000000-0000-4000-8000-000000000102:20000000-0000-4000-8000-000000000005:queued:true:0:true,'
                  '70000000-0000-4000-8000-000000000104:20000000-0000-4000-8000-000000000008:queued:true:0:true',
                  'two queued jobs (davide, chiara): user copied, next_retry_at = now, retry 0, not started');
SELECT pg_temp.eq((SELECT count(*) FROM public.privacy_export_jobs WHERE privacy_request_id IN
                      ('70000000-0000-4000-8000-000000000101', '70000000-0000-4000-8000-000000000106', '70000000-0000-4000-8000-000000000107',
                       '70000000-0000-4000-8000-000000000103', '70000000-0000-4000-8000-000000000105', '70000000-0000-4000-8000-0000000f0001',
                       '70000000-0000-4000-8000-0000000f0002', '70000000-0000-4000-8000-0000000f0003')
                     AND id <> '70000000-0000-4000-8000-000000001101'), 0::bigint,
                  'never queued: closed exports/accesses (leo, sara, nico), rectify, delete, restrict_processing, a resolved export');

-- a new export request is picked up by the next run; a request that already has a job never gets a second one
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT public.submit_privacy_request('export');
SELECT public.submit_privacy_request('delete');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.queue_privacy_export_jobs(), 1, 'sara''s new export request is queued, her delete request is not');
UPDATE public.privacy_export_jobs SET status = 'failed' WHERE privacy_request_id = '70000000-0000-4000-8000-000000000102';
SELECT pg_temp.eq(public.queue_privacy_export_jobs(), 0, 'a request with a (failed) job is not queued again');
SELECT pg_temp.eq((SELECT count(*) FROM public.privacy_export_jobs), 4::bigint, 'one job per request (UNIQUE), 4 in all');

-- ---- callers and RLS
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.queue_privacy_export_jobs()$q$, 'KX403', 'Service role required', 'a user cannot queue');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.privacy_export_jobs$q$), 1::bigint, 'davide reads his own job only');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.privacy_export_jobs SET status = 'succeeded'$q$), 0::bigint, 'and cannot update it');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.privacy_export_jobs$q$), 0::bigint, 'nor delete it');
SELECT pg_temp.fails($q$INSERT INTO public.privacy_export_jobs (privacy_request_id, user_id) VALUES ('70000000-0000-4000-8000-000000000102', auth.uid())$q$,
                     '42501', 'new row violates row-level security policy for table "privacy_export_jobs"', 'nor insert one');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.privacy_export_jobs$q$), 0::bigint, 'staff read no member''s export jobs');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.queue_privacy_export_jobs()$q$, 'KX403', 'Service role required', 'anonymous cannot queue');

ROLLBACK;
