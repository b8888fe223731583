-- Item 49: fail_incident_notification_job retries with backoff (next_attempt_at = now + delay) and marks the
-- terminal failure deterministically at the max attempt (06 §3.2); a finished job stays finished (gap
-- closure); the same path driven through the incident_notifier job (sandbox failure injection).

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('kruxt.now', '2026-03-09T10:00:00Z', true);
SELECT set_config('test.inc', public.create_security_incident('10000000-0000-4000-8000-000000000001', 'Retry drill')::text, true);
SELECT public.queue_incident_escalation_notifications(current_setting('test.inc')::uuid, 'direct', ARRAY['email']);
SELECT set_config('test.job', (SELECT id::text FROM public.incident_notification_jobs WHERE incident_id = current_setting('test.inc')::uuid), true);
SELECT count(*) FROM public.claim_incident_notification_jobs(100);

-- ---- direct calls: max 3, delay 120 s
SELECT pg_temp.eq(public.fail_incident_notification_job(current_setting('test.job')::uuid, '  SMTP 451 greylisted  ', 120, 3),
                  jsonb_build_object('status', 'retry_scheduled', 'attemptCount', 1, 'nextRetryAt', '2026-03-09T10:02:00Z'::timestamptz, 'finalFailure', false),
                  'attempt 1 of 3: retry in 120 s');
SELECT pg_temp.eq((SELECT concat_ws('|', status, attempt_count, last_error, next_attempt_at = '2026-03-09T10:02:00Z', finished_at IS NULL)
                   FROM public.incident_notification_jobs WHERE id = current_setting('test.job')::uuid),
                  'retry_scheduled|1|SMTP 451 greylisted|t|t', 'job retry_scheduled, error trimmed');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_incident_notification_jobs(100)), 0::bigint, 'not claimed before its retry time');
SELECT set_config('kruxt.now', '2026-03-09T10:02:00Z', true);
SELECT pg_temp.eq((SELECT id::text FROM public.claim_incident_notification_jobs(100)), current_setting('test.job'), 'claimed at its retry time');
SELECT pg_temp.eq(public.fail_incident_notification_job(current_setting('test.job')::uuid, '', 120, 3) - 'nextRetryAt',
                  '{"status": "retry_scheduled", "attemptCount": 2, "finalFailure": false}'::jsonb, 'attempt 2 of 3');
SELECT pg_temp.eq((SELECT last_error FROM public.incident_notification_jobs WHERE id = current_setting('test.job')::uuid),
                  'Unknown incident notification error', 'a blank error becomes the default text');
SELECT set_config('kruxt.now', '2026-03-09T10:04:00Z', true);
SELECT count(*) FROM public.claim_incident_notification_jobs(100);
SELECT pg_temp.eq(public.fail_incident_notification_job(current_setting('test.job')::uuid, 'SMTP 550', 120, 3),
                  '{"status": "failed", "attemptCount": 3, "finalFailure": true}'::jsonb, 'attempt 3 of 3: terminal failure');
SELECT pg_temp.eq((SELECT concat_ws('|', status, attempt_count, last_error, coalesce(next_attempt_at::text, '-'), finished_at = '2026-03-09T10:04:00Z')
                   FROM public.incident_notification_jobs WHERE id = current_setting('test.job')::uuid),
                  'failed|3|SMTP 550|-|t', 'failed, finished, nothing scheduled');
SELECT pg_temp.eq((SELECT string_agg((metadata ->> 'attempt_count') || ':' || (metadata ->> 'final_failure'), ',' ORDER BY created_at)
                   FROM public.incident_actions WHERE incident_id = current_setting('test.inc')::uuid AND action_type = 'notification_failed'),
                  '1:false,2:false,3:true', 'one notification_failed action per attempt, final_failure only on the last');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'incident.notification_failed' AND aggregate_id = current_setting('test.inc')::uuid)
                  || '|' || (SELECT count(*) FROM public.audit_logs WHERE action = 'incident.notification_failed' AND target_id = current_setting('test.inc')::uuid),
                  '1|1', 'outbox and audit incident.notification_failed once, at the terminal failure');
-- deterministic terminal state (gap closure): a finished job is never reopened
SELECT pg_temp.fails($q$SELECT public.fail_incident_notification_job(current_setting('test.job')::uuid, 'again', 120, 10)$q$, 'KX409',
                     'Incident notification job is already finished', 'failing a failed job again is refused (even with a higher max)');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_incident_notification_jobs(100)), 0::bigint, 'a failed job is never claimed again');
SELECT pg_temp.fails($q$SELECT public.fail_incident_notification_job('7f000000-0000-4000-8000-00000000ffff', 'x')$q$, 'KX404',
                     'Incident notification job not found', 'unknown job');

-- ---- clamping: delay 60..86400, max 1..20
SELECT public.queue_incident_escalation_notifications(current_setting('test.inc')::uuid, 'clamp', ARRAY['email', 'webhook']);
SELECT pg_temp.eq((SELECT string_agg((public.fail_incident_notification_job(id, 'x', 5, 20) ->> 'nextRetryAt')::timestamptz::text, ',')
                   FROM public.incident_notification_jobs WHERE payload ->> 'reason' = 'clamp' AND channel = 'email'),
                  ('2026-03-09T10:05:00Z'::timestamptz)::text, 'delay 5 s -> 60 s');
SELECT pg_temp.eq((SELECT (public.fail_incident_notification_job(id, 'x', 10000000, 20) ->> 'nextRetryAt')::timestamptz
                   FROM public.incident_notification_jobs WHERE payload ->> 'reason' = 'clamp' AND channel = 'email'),
                  '2026-03-10T10:04:00Z'::timestamptz, 'delay 10^7 s -> 86400 s');
SELECT pg_temp.eq((SELECT public.fail_incident_notification_job(id, 'x', NULL, 0) ->> 'status'
                   FROM public.incident_notification_jobs WHERE payload ->> 'reason' = 'clamp' AND channel = 'webhook'),
                  'failed', 'max 0 -> 1: the first failure is final');
SELECT pg_temp.eq((SELECT public.fail_incident_notification_job(id, 'x') ->> 'attemptCount'
                   FROM public.incident_notification_jobs WHERE payload ->> 'reason' = 'clamp' AND channel = 'email'),
                  '3', 'defaults 900 s / 5: attempt 3 still retries');

-- ---- through the job: a stub failure (payload simulate_failure), maxRetries 2, retryDelaySeconds 300
SELECT public.queue_incident_escalation_notifications(current_setting('test.inc')::uuid, 'via job', ARRAY['webhook'],
                                                      p_payload => '{"simulate_failure":"webhook endpoint returned 503"}');
SELECT public.queue_incident_escalation_notifications(current_setting('test.inc')::uuid, 'healthy', ARRAY['email']);
SELECT set_config('test.reply', public.run_incident_notifier('{"maxRetries":2,"retryDelaySeconds":300,"claimLimit":50}')::text, true);
SELECT pg_temp.eq((current_setting('test.reply')::jsonb -> 'body') - 'succeededJobIds' - 'failedJobIds' - 'retryScheduledJobIds' - 'errors',
                  '{"claimedCount": 2, "forceDrill": false, "failedCount": 1, "succeededCount": 1, "finalFailedCount": 0, "finalFailedJobIds": [], '
                  '"retryScheduledCount": 1}'::jsonb, 'run 1: the healthy job succeeds, the failing one is rescheduled');
SELECT pg_temp.eq((current_setting('test.reply')::jsonb #>> '{body,errors,0,error}'), 'webhook endpoint returned 503', 'errors[] carries the message');
SELECT pg_temp.eq((current_setting('test.reply')::jsonb #>> '{body,errors,0,jobId}'), (current_setting('test.reply')::jsonb #>> '{body,retryScheduledJobIds,0}'),
                  'and the job id');
SELECT pg_temp.eq(public.run_incident_notifier('{"maxRetries":2,"retryDelaySeconds":300}') #>> '{body,claimedCount}', '0', 'not due again yet');
SELECT set_config('kruxt.now', '2026-03-09T10:09:00Z', true);
SELECT set_config('test.reply', public.run_incident_notifier('{"maxRetries":2,"retryDelaySeconds":300}')::text, true);
SELECT pg_temp.eq((current_setting('test.reply')::jsonb -> 'body') ->> 'finalFailedCount', '1', 'run 2 after 300 s: attempt 2 of 2, terminal');
SELECT pg_temp.eq((SELECT status::text || '|' || attempt_count FROM public.incident_notification_jobs WHERE payload ->> 'reason' = 'via job'), 'failed|2',
                  'the job is failed after exactly maxRetries attempts');
SELECT pg_temp.eq(public.run_incident_notifier('{"maxRetries":2}') #>> '{body,claimedCount}', '0', 'and never picked up again');

ROLLBACK;
