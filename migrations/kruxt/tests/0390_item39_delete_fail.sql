-- Item 39: fail_privacy_delete_job retries with backoff and rejects the request at final failure
-- (05 §6.2): retry_scheduled with next_retry_at = now + delay (clamped 60..86400 s), honoured by the claim;
-- final at retry >= max (clamped 1..20) or when forced: job failed, open request walked to rejected,
-- privacy.delete_failed with final_failure true; blank error -> 'Unknown delete processing error'.
-- Gap closure checked: a finished job cannot be failed again.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
INSERT INTO ctx SELECT 'sara_request', public.submit_privacy_request('delete');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
INSERT INTO ctx SELECT 'tom_request', public.submit_privacy_request('delete');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.queue_privacy_delete_jobs();
INSERT INTO ctx SELECT 'sara', id FROM public.privacy_delete_jobs WHERE privacy_request_id = (SELECT v FROM ctx WHERE k = 'sara_request');
INSERT INTO ctx SELECT 'tom', id FROM public.privacy_delete_jobs WHERE privacy_request_id = (SELECT v FROM ctx WHERE k = 'tom_request');
SELECT count(*) FROM public.claim_privacy_delete_jobs(10);

-- ================================================================ retries with the delay, then final at max 2
SELECT pg_temp.eq(public.fail_privacy_delete_job((SELECT v FROM ctx WHERE k = 'sara'), '', 120, 2),
                  jsonb_build_object('status', 'retry_scheduled', 'retryCount', 1, 'nextRetryAt', public.app_now() + interval '120 seconds', 'finalFailure', false),
                  'first failure: retry in 120 s');
SELECT pg_temp.eq((SELECT error_message || ' ' || status FROM public.privacy_delete_jobs WHERE id = (SELECT v FROM ctx WHERE k = 'sara')),
                  'Unknown delete processing error retry_scheduled', 'blank error: the default text');
SELECT pg_temp.eq((SELECT status::text FROM public.privacy_requests WHERE id = (SELECT v FROM ctx WHERE k = 'sara_request')), 'submitted', 'request still open');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_delete_jobs(10)), 0::bigint, 'backoff: not claimable for 120 s');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '119 seconds')::text, true);
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_delete_jobs(10)), 0::bigint, 'not at 119 s');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '120 seconds')::text, true);
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_delete_jobs(10)), 1::bigint, 'claimable at 120 s');
SELECT pg_temp.eq(public.fail_privacy_delete_job((SELECT v FROM ctx WHERE k = 'sara'), 'FK violation in imports', 120, 2),
                  '{"status":"failed","retryCount":2,"finalFailure":true}'::jsonb, 'second failure with max 2: final');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || (next_retry_at IS NULL) || ' ' || error_message
                   FROM public.privacy_delete_jobs WHERE id = (SELECT v FROM ctx WHERE k = 'sara')),
                  'failed 2 true FK violation in imports', 'job failed');
SELECT pg_temp.eq((SELECT status || ' ' || (resolved_at = public.app_now()) FROM public.privacy_requests WHERE id = (SELECT v FROM ctx WHERE k = 'sara_request')),
                  'rejected true', 'the request is rejected at the final failure');
SELECT pg_temp.eq((SELECT payload FROM public.event_outbox WHERE event_type = 'privacy.delete_failed'),
                  jsonb_build_object('request_id', (SELECT v FROM ctx WHERE k = 'sara_request'), 'job_id', (SELECT v FROM ctx WHERE k = 'sara'),
                                     'user_id', '20000000-0000-4000-8000-000000000004', 'error', 'FK violation in imports', 'retry_count', 2,
                                     'final_failure', true), 'privacy.delete_failed with final_failure true');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'privacy.delete_failed'), 1::bigint, 'audit privacy.delete_failed (once: retries emit nothing)');
SELECT pg_temp.eq((SELECT display_name FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000004'), 'Sara Conti', 'a failed delete anonymized nothing');
SELECT pg_temp.fails(format($q$SELECT public.fail_privacy_delete_job(%L, 'again')$q$, (SELECT v FROM ctx WHERE k = 'sara')),
                     'KX409', 'Privacy delete job is already finished', 'gap closure: a failed job stays failed');

-- ================================================================ forced final; clamps
SELECT pg_temp.eq(public.fail_privacy_delete_job((SELECT v FROM ctx WHERE k = 'tom'), 'Active legal hold blocks delete fulfillment.', 1, 20, true),
                  '{"status":"failed","retryCount":1,"finalFailure":true}'::jsonb, 'p_force_final: final on the first failure, whatever the max');
SELECT pg_temp.eq((SELECT status::text FROM public.privacy_requests WHERE id = (SELECT v FROM ctx WHERE k = 'tom_request')), 'rejected', 'tom''s request rejected');
INSERT INTO public.privacy_requests (id, user_id, request_type, status) VALUES ('70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000013', 'delete', 'in_review');
INSERT INTO public.privacy_delete_jobs (id, privacy_request_id, user_id, status) VALUES
    ('70000000-0000-4000-8000-0000000f1001', '70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000013', 'running');
SELECT pg_temp.eq((public.fail_privacy_delete_job('70000000-0000-4000-8000-0000000f1001', 'x', 59, 0)),
                  '{"status":"failed","retryCount":1,"finalFailure":true}'::jsonb, 'max 0 is clamped to 1: final');
SELECT pg_temp.eq((SELECT string_agg((payload ->> 'previous_status') || '>' || (payload ->> 'next_status'), ',') FROM public.event_outbox
                   WHERE event_type = 'privacy.request_status_changed' AND aggregate_id = '70000000-0000-4000-8000-0000000f0001'),
                  'in_review>rejected', 'a legacy in_review request is rejected in one step');
UPDATE public.privacy_delete_jobs SET status = 'running', retry_count = 0 WHERE id = '70000000-0000-4000-8000-0000000f1001';
SELECT pg_temp.eq((public.fail_privacy_delete_job('70000000-0000-4000-8000-0000000f1001', 'x', 59, 5) ->> 'nextRetryAt')::timestamptz,
                  public.app_now() + interval '60 seconds', 'delay 59 s is clamped to 60 s');
SELECT pg_temp.eq((public.fail_privacy_delete_job('70000000-0000-4000-8000-0000000f1001', 'x', 90000, 5) ->> 'nextRetryAt')::timestamptz,
                  public.app_now() + interval '86400 seconds', 'delay 90000 s is clamped to 86400 s (a retry_scheduled job may be failed again)');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'privacy.delete_failed' AND aggregate_id = '70000000-0000-4000-8000-0000000f0001'),
                  1::bigint, 'no new event for the retries of a job whose request is already closed');

-- ================================================================ errors
SELECT pg_temp.fails($q$SELECT public.fail_privacy_delete_job('70000000-0000-4000-8000-0000000f9999', 'x')$q$,
                     'KX404', 'Privacy delete job not found', 'unknown job');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.fail_privacy_delete_job('70000000-0000-4000-8000-0000000f9999', 'x')$q$,
                     'KX403', 'Service role required', 'staff cannot fail jobs');

ROLLBACK;
