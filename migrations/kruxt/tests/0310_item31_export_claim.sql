-- Item 31: claim_privacy_export_jobs respects the retry schedule and does not double-claim rows
-- (05 §5.2). In one session: claimed jobs are running and never handed out again; a retry_scheduled job is
-- invisible until its next_retry_at; only open access/export requests; oldest due first; limit clamped 1..50.
-- Under concurrency: tests/concurrency/claim_concurrently.sh (several psql sessions claiming at once, FOR
-- UPDATE SKIP LOCKED); here only its plan is checked (the lock clause is in the function).
-- Seed (T): open export/access requests of chiara (7…0104) and davide (7…0102); leo's job 7…1101 succeeded.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
-- four requests with jobs due at different times
INSERT INTO public.privacy_requests (id, user_id, request_type, status, submitted_at) VALUES
    ('70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000010', 'export', 'triaged', public.app_now() - interval '3 days'),
    ('70000000-0000-4000-8000-0000000f0002', '20000000-0000-4000-8000-000000000013', 'access', 'in_review', public.app_now() - interval '2 days');
SELECT pg_temp.eq(public.queue_privacy_export_jobs(), 4, 'four jobs queued (chiara, davide, tom, fede)');
-- tom's job: failed once, retry due in 10 minutes
UPDATE public.privacy_export_jobs SET status = 'retry_scheduled', retry_count = 1, next_retry_at = public.app_now() + interval '10 minutes'
WHERE privacy_request_id = '70000000-0000-4000-8000-0000000f0001';
-- fede's job: queued with no next_retry_at and an old created_at: due by created_at
UPDATE public.privacy_export_jobs SET next_retry_at = NULL, created_at = public.app_now() - interval '1 hour'
WHERE privacy_request_id = '70000000-0000-4000-8000-0000000f0002';
-- davide's job: due 30 minutes ago
UPDATE public.privacy_export_jobs SET next_retry_at = public.app_now() - interval '30 minutes'
WHERE privacy_request_id = '70000000-0000-4000-8000-000000000102';

-- first claim, limit 2: fede's (due T-1 h by created_at), then davide's (due T-30 min); chiara's (due T) is left
CREATE TEMP TABLE claim1 ON COMMIT DROP AS SELECT * FROM public.claim_privacy_export_jobs(2);
SELECT pg_temp.eq((SELECT string_agg(privacy_request_id::text || ':' || status || ':' || (started_at = public.app_now()), ',') FROM claim1),
                  '70000000-0000-4000-8000-0000000f0002:running:true,70000000-0000-4000-8000-000000000102:running:true',
                  'limit 2: the two oldest due jobs (fede by created_at, davide by next_retry_at), now running');
CREATE TEMP TABLE claim2 ON COMMIT DROP AS SELECT * FROM public.claim_privacy_export_jobs();
SELECT pg_temp.eq((SELECT string_agg(privacy_request_id::text, ',') FROM claim2), '70000000-0000-4000-8000-000000000104',
                  'the next claim returns only the remaining due job (chiara''s): nothing claimed twice');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_export_jobs(50)), 0::bigint,
                  'tom''s retry is not due yet: invisible; running jobs are never claimed again');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '9 minutes 59 seconds')::text, true);
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_export_jobs(50)), 0::bigint, 'one second before next_retry_at: still invisible');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '10 minutes')::text, true);
CREATE TEMP TABLE claim3 ON COMMIT DROP AS SELECT * FROM public.claim_privacy_export_jobs(0);
SELECT pg_temp.eq((SELECT string_agg(privacy_request_id || ':' || status || ':' || retry_count || ':' || (finished_at IS NULL) || ':' || coalesce(error_message, '-'), ',') FROM claim3),
                  '70000000-0000-4000-8000-0000000f0001:running:1:true:-', 'at next_retry_at the retry is claimed (limit 0 clamped to 1), retry count kept, error cleared');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_export_jobs(50)), 0::bigint, 'everything is running now');

-- a job whose request got closed meanwhile is not claimed; nor a job of a delete request (wrong pipeline)
UPDATE public.privacy_export_jobs SET status = 'queued', next_retry_at = public.app_now() WHERE privacy_request_id = '70000000-0000-4000-8000-000000000104';
SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-000000000104', 'rejected', 'Duplicate');
INSERT INTO public.privacy_export_jobs (privacy_request_id, user_id) VALUES ('70000000-0000-4000-8000-000000000105', '20000000-0000-4000-8000-000000000015');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_export_jobs(50)), 0::bigint,
                  'a queued job of a rejected request and an export job on a delete request are never claimed');

-- callers
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.claim_privacy_export_jobs()$q$, 'KX403', 'Service role required', 'staff cannot claim');
RESET ROLE;
-- the claim locks the job rows it takes with FOR UPDATE ... SKIP LOCKED (concurrency: see the script)
SELECT pg_temp.ok((SELECT prosrc ~ 'FOR UPDATE OF j SKIP LOCKED' FROM pg_proc WHERE oid = 'public.claim_privacy_export_jobs(integer)'::regprocedure),
                  'claim_privacy_export_jobs takes its candidates FOR UPDATE OF j SKIP LOCKED');

ROLLBACK;
