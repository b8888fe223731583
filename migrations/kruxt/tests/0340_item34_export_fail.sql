-- Item 34: fail_privacy_export_job schedules retries and hard-fails with request rejection at the maximum
-- retry count (05 §5.2): retry_scheduled with next_retry_at = now + delay (clamped 60..86400 s) and the
-- claim honouring it; at retry >= max (clamped 1..20) the job fails, the open request is walked to
-- rejected and privacy.export_failed is emitted; blank error text -> 'Unknown export processing error'.
-- Gap closure checked: a finished job (succeeded/failed) cannot be failed again.
-- Seed (T): davide's access request 7…0102 and chiara's export 7…0104, both submitted.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.queue_privacy_export_jobs();
INSERT INTO ctx SELECT 'davide', id FROM public.privacy_export_jobs WHERE privacy_request_id = '70000000-0000-4000-8000-000000000102';
INSERT INTO ctx SELECT 'chiara', id FROM public.privacy_export_jobs WHERE privacy_request_id = '70000000-0000-4000-8000-000000000104';
SELECT count(*) FROM public.claim_privacy_export_jobs(10);

-- ================================================================ retries, max 3
SELECT pg_temp.eq(public.fail_privacy_export_job((SELECT v FROM ctx WHERE k = 'davide'), '   ', 900, 3),
                  jsonb_build_object('status', 'retry_scheduled', 'retryCount', 1, 'nextRetryAt', public.app_now() + interval '900 seconds', 'finalFailure', false),
                  'first failure: retry scheduled in 900 s');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || error_message || ' ' || (next_retry_at = public.app_now() + interval '15 minutes')
                   FROM public.privacy_export_jobs WHERE id = (SELECT v FROM ctx WHERE k = 'davide')),
                  'retry_scheduled 1 Unknown export processing error true', 'blank error text: the default message is stored');
SELECT pg_temp.eq((SELECT status::text FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-000000000102'), 'submitted',
                  'the request stays open while retries remain');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_export_jobs(10)), 0::bigint, 'not claimable before next_retry_at');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '15 minutes')::text, true);
SELECT pg_temp.eq((SELECT string_agg(id::text, ',') FROM public.claim_privacy_export_jobs(10)), (SELECT v FROM ctx WHERE k = 'davide')::text,
                  'claimable again at next_retry_at');
SELECT pg_temp.eq(public.fail_privacy_export_job((SELECT v FROM ctx WHERE k = 'davide'), ' Storage timeout ', 5, 3),
                  jsonb_build_object('status', 'retry_scheduled', 'retryCount', 2, 'nextRetryAt', public.app_now() + interval '60 seconds', 'finalFailure', false),
                  'second failure: delay 5 s is clamped to 60 s');
SELECT pg_temp.eq((SELECT error_message FROM public.privacy_export_jobs WHERE id = (SELECT v FROM ctx WHERE k = 'davide')), 'Storage timeout', 'error trimmed');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '16 minutes')::text, true);
SELECT count(*) FROM public.claim_privacy_export_jobs(10);
SELECT pg_temp.eq(public.fail_privacy_export_job((SELECT v FROM ctx WHERE k = 'davide'), 'Storage timeout', 900, 3),
                  '{"status":"failed","retryCount":3,"finalFailure":true}'::jsonb, 'third failure with max 3: final');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || (next_retry_at IS NULL) || ' ' || (finished_at = public.app_now())
                   FROM public.privacy_export_jobs WHERE id = (SELECT v FROM ctx WHERE k = 'davide')),
                  'failed 3 true true', 'job failed, no next retry, finished now');
SELECT pg_temp.eq((SELECT status || ' ' || (resolved_at = public.app_now()) || ' ' || notes FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-000000000102'),
                  'rejected true Rejected by privacy_request_processor after 3 failed attempt(s): Storage timeout',
                  'the request is rejected (resolved now, with the reason as note)');
SELECT pg_temp.eq((SELECT string_agg((payload ->> 'previous_status') || '>' || (payload ->> 'next_status'), ',')
                   FROM public.event_outbox WHERE event_type = 'privacy.request_status_changed' AND aggregate_id = '70000000-0000-4000-8000-000000000102'),
                  'submitted>rejected', 'walked straight to rejected');
SELECT pg_temp.eq((SELECT payload FROM public.event_outbox WHERE event_type = 'privacy.export_failed'),
                  jsonb_build_object('request_id', '70000000-0000-4000-8000-000000000102', 'job_id', (SELECT v FROM ctx WHERE k = 'davide'),
                                     'user_id', '20000000-0000-4000-8000-000000000005', 'error', 'Storage timeout', 'retry_count', 3,
                                     'final_failure', true), 'outbox privacy.export_failed');
SELECT pg_temp.eq((SELECT reason || ' ' || (metadata ->> 'final_failure') FROM public.audit_logs WHERE action = 'privacy.export_failed'),
                  'Storage timeout true', 'audit privacy.export_failed');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'privacy.export_failed'), 1::bigint,
                  'non-final failures emit nothing');
SELECT pg_temp.eq(public.queue_privacy_export_jobs() + (SELECT count(*)::int FROM public.claim_privacy_export_jobs(10)), 0,
                  'the failed job is never re-queued or re-claimed');
SELECT pg_temp.fails(format($q$SELECT public.fail_privacy_export_job(%L, 'again')$q$, (SELECT v FROM ctx WHERE k = 'davide')),
                     'KX409', 'Privacy export job is already finished', 'gap closure: a failed job cannot be failed again');

-- ================================================================ clamps: max 0 -> 1 (first failure final), delay upper bound
SELECT pg_temp.eq((public.fail_privacy_export_job((SELECT v FROM ctx WHERE k = 'chiara'), 'x', 10000000, 100) ->> 'nextRetryAt')::timestamptz,
                  public.app_now() + interval '86400 seconds', 'delay 10^7 s is clamped to 86400 s; max 100 is clamped to 20 (not final)');
UPDATE public.privacy_export_jobs SET retry_count = 19 WHERE id = (SELECT v FROM ctx WHERE k = 'chiara');
SELECT pg_temp.eq(public.fail_privacy_export_job((SELECT v FROM ctx WHERE k = 'chiara'), 'x', 900, 100) ->> 'finalFailure', 'true',
                  'the 20th failure is final with max 100 (clamped to 20)');
SELECT pg_temp.eq((SELECT status::text FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-000000000104'), 'rejected', 'chiara''s request rejected');
INSERT INTO public.privacy_requests (id, user_id, request_type) VALUES ('70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000010', 'access');
INSERT INTO public.privacy_export_jobs (id, privacy_request_id, user_id) VALUES ('70000000-0000-4000-8000-0000000f1001', '70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000010');
SELECT pg_temp.eq(public.fail_privacy_export_job('70000000-0000-4000-8000-0000000f1001', 'x', 900, 0),
                  '{"status":"failed","retryCount":1,"finalFailure":true}'::jsonb, 'max 0 is clamped to 1: the first failure is final');
-- a request closed meanwhile is not walked again (already rejected/fulfilled)
INSERT INTO public.privacy_requests (id, user_id, request_type, status) VALUES ('70000000-0000-4000-8000-0000000f0002', '20000000-0000-4000-8000-000000000013', 'export', 'fulfilled');
INSERT INTO public.privacy_export_jobs (id, privacy_request_id, user_id, status) VALUES ('70000000-0000-4000-8000-0000000f1002', '70000000-0000-4000-8000-0000000f0002', '20000000-0000-4000-8000-000000000013', 'running');
SELECT public.fail_privacy_export_job('70000000-0000-4000-8000-0000000f1002', 'x', 900, 1);
SELECT pg_temp.eq((SELECT status::text FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-0000000f0002'), 'fulfilled',
                  'a closed request is left as it is');

-- ================================================================ errors
SELECT pg_temp.fails($q$SELECT public.fail_privacy_export_job('70000000-0000-4000-8000-0000000f9999', 'x')$q$,
                     'KX404', 'Privacy export job not found', 'unknown job');
SELECT pg_temp.fails($q$SELECT public.fail_privacy_export_job('70000000-0000-4000-8000-000000001101', 'x')$q$,
                     'KX409', 'Privacy export job is already finished', 'gap closure: leo''s succeeded job cannot be failed');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.fail_privacy_export_job('70000000-0000-4000-8000-0000000f9999', 'x')$q$,
                     'KX403', 'Service role required', 'users cannot fail jobs (checked first)');

ROLLBACK;
