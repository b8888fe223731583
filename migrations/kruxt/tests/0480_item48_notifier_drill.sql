-- Item 48: the incident_notifier job in drill mode processes jobs without external sends while preserving the
-- completion metadata (06 §3.3): run_incident_notifier (the whole job), and its steps claim / stub reply /
-- complete with their errors; live jobs without a provider answer like the stub; forceDrill.

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('kruxt.now', (SELECT a.anchor::text FROM kruxt_internal.seed_anchor a), true);   -- T

-- ---- the seed's two queued drill jobs (due since T-1 h) are processed by one run
SELECT set_config('test.jobs', (SELECT string_agg(id::text, ',' ORDER BY created_at, id) FROM public.incident_notification_jobs WHERE status = 'queued'), true);
SELECT pg_temp.eq((SELECT count(*) FROM public.incident_notification_jobs WHERE status = 'queued' AND delivery_mode = 'drill'), 2::bigint, 'two queued drill jobs');
SELECT set_config('test.reply', public.run_incident_notifier('{}')::text, true);
SELECT pg_temp.eq(current_setting('test.reply')::jsonb ->> 'status', '200', 'the job answers 200');
SELECT pg_temp.eq((current_setting('test.reply')::jsonb -> 'body') - 'succeededJobIds',
                  '{"errors": [], "claimedCount": 2, "forceDrill": false, "failedCount": 0, "failedJobIds": [], "succeededCount": 2, '
                  '"finalFailedCount": 0, "finalFailedJobIds": [], "retryScheduledCount": 0, "retryScheduledJobIds": []}'::jsonb,
                  'two claimed, two succeeded');
SELECT pg_temp.eq((SELECT string_agg(x, ',' ORDER BY x) FROM jsonb_array_elements_text(current_setting('test.reply')::jsonb #> '{body,succeededJobIds}') x),
                  (SELECT string_agg(x, ',' ORDER BY x) FROM unnest(string_to_array(current_setting('test.jobs'), ',')) x), 'their ids');
SELECT pg_temp.eq((SELECT string_agg(concat_ws('|', channel, status, attempt_count, started_at = public.app_now(), finished_at = public.app_now(),
                                               response_payload ->> 'notifier', response_payload ->> 'mode', response_payload ->> 'delivered',
                                               response_payload ->> 'destination'), ' ; ' ORDER BY channel)
                   FROM public.incident_notification_jobs WHERE id::text = ANY (string_to_array(current_setting('test.jobs'), ','))),
                  'email|succeeded|1|t|t|stub|drill|false|compliance-drill@kruxt.local ; webhook|succeeded|1|t|t|stub|drill|false|https://example.invalid/kruxt/incident',
                  'succeeded, one attempt, stub reply: mode drill, delivered false (no external send)');
SELECT pg_temp.eq((SELECT response_payload -> 'metadata' FROM public.incident_notification_jobs
                   WHERE id::text = ANY (string_to_array(current_setting('test.jobs'), ',')) AND channel = 'webhook'),
                  '{"templateKey": "security_incident_notice_v1", "liveProviderConfigured": false, "payloadPreviewKeys": ["incident_id", "incident_severity", "incident_status", "incident_title", "queued_at", "reason"]}'::jsonb,
                  'metadata: template key, sorted payload keys, no live provider');
SELECT pg_temp.eq((SELECT (response_payload ->> 'summary') || '|' || ((response_payload ->> 'processed_at')::timestamptz = public.app_now())
                   FROM public.incident_notification_jobs WHERE id::text = ANY (string_to_array(current_setting('test.jobs'), ',')) AND channel = 'email'),
                  'Drill mode: no external send happened; the email notice to compliance-drill@kruxt.local was simulated.|true',
                  'the summary says no external send happened; processed_at = the clock');
SELECT pg_temp.eq((SELECT count(*) || '|' || count(*) FILTER (WHERE actor_user_id IS NULL AND actor_role = 'service_role'
                          AND metadata ->> 'job_id' IS NOT NULL AND metadata -> 'response_payload' ->> 'notifier' = 'stub'
                          AND metadata ?& ARRAY['channel', 'delivery_mode', 'provider', 'destination'])
                   FROM public.incident_actions WHERE action_type = 'notification_sent' AND created_at = public.app_now()),
                  '2|2', 'one notification_sent action per job: actor null, role service_role, the completion metadata');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'incident.notification_delivered' AND created_at = public.app_now())
                  + (SELECT count(*) FROM public.audit_logs WHERE action = 'incident.notification_delivered' AND created_at = public.app_now()), 4::bigint,
                  'outbox and audit incident.notification_delivered for each');
SELECT pg_temp.eq(public.run_incident_notifier() #>> '{body,claimedCount}', '0', 'a second run finds nothing due');

-- ---- live jobs without a provider: the stub reply with mode live; forceDrill turns them into drill replies
SELECT set_config('test.live', public.create_security_incident('10000000-0000-4000-8000-000000000001', 'Live one', p_drill_mode => false)::text, true);
SELECT public.queue_incident_escalation_notifications(current_setting('test.live')::uuid, 'live run', ARRAY['email']);
SELECT set_config('kruxt.now', (public.app_now() + interval '1 second')::text, true);   -- so that the email job is the older one
SELECT public.queue_incident_escalation_notifications(current_setting('test.live')::uuid, 'forced drill run', ARRAY['webhook']);
SELECT set_config('test.reply', public.run_incident_notifier('{"claimLimit": "1"}')::text, true);
SELECT pg_temp.eq(current_setting('test.reply')::jsonb #>> '{body,claimedCount}', '1', 'claimLimit (numeric string) 1: one job');
SELECT pg_temp.eq((SELECT concat_ws('|', response_payload ->> 'mode', response_payload ->> 'delivered', response_payload ->> 'summary')
                   FROM public.incident_notification_jobs WHERE incident_id = current_setting('test.live')::uuid AND channel = 'email'),
                  'live|false|Live delivery requested but no email provider is configured: no external send happened.',
                  'a live job without a provider: stub reply, delivered false');
SELECT pg_temp.eq(public.run_incident_notifier('{"forceDrill": true, "claimLimit": 0}') #>> '{body,forceDrill}', 'true', 'forceDrill echoed; claimLimit 0 -> 1');
SELECT pg_temp.eq((SELECT delivery_mode || '|' || (response_payload ->> 'mode') FROM public.incident_notification_jobs
                   WHERE incident_id = current_setting('test.live')::uuid AND channel = 'webhook'), 'live|drill', 'forceDrill: a live job is processed as a drill');

-- ---- not due yet: not claimed
SELECT public.queue_incident_escalation_notifications('70000000-0000-4000-8000-000000006001', 'later', ARRAY['email']);
UPDATE public.incident_notification_jobs SET next_attempt_at = public.app_now() + interval '1 minute' WHERE payload ->> 'reason' = 'later';
SELECT pg_temp.eq(public.run_incident_notifier() #>> '{body,claimedCount}', '0', 'a job due in a minute is not claimed');
SELECT set_config('kruxt.now', (public.app_now() + interval '1 minute')::text, true);
SELECT pg_temp.eq(public.run_incident_notifier() #>> '{body,succeededCount}', '1', 'at its time it is');

-- ---- the steps, for a deployment with live adapters: claim, stub reply, complete, and their errors
SELECT public.queue_incident_escalation_notifications('70000000-0000-4000-8000-000000006001', 'steps', ARRAY['email', 'webhook']);
SELECT set_config('test.step', (SELECT id::text FROM public.incident_notification_jobs WHERE payload ->> 'reason' = 'steps' AND channel = 'email'), true);
SELECT pg_temp.fails($q$SELECT public.complete_incident_notification_job(current_setting('test.step')::uuid, '{}')$q$, 'KX409',
                     'Incident notification job must be running before completion', 'a queued job cannot be completed');
SELECT pg_temp.eq((SELECT string_agg(status::text || ':' || (started_at = public.app_now()), ',' ORDER BY channel) FROM public.claim_incident_notification_jobs(100)),
                  'running:true,running:true', 'claim: due jobs, oldest first, set running');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_incident_notification_jobs(100)), 0::bigint, 'a second claim gets nothing (never double-claimed)');
SELECT pg_temp.fails($q$SELECT public.complete_incident_notification_job(current_setting('test.step')::uuid, '[1]')$q$, 'KX422',
                     'Notification response payload must be a JSON object', 'non-object response first');
SELECT pg_temp.fails($q$SELECT public.complete_incident_notification_job('7f000000-0000-4000-8000-00000000ffff', '{}')$q$, 'KX404',
                     'Incident notification job not found', 'unknown job');
SELECT pg_temp.eq(public.complete_incident_notification_job(current_setting('test.step')::uuid,
                      '{"notifier":"smtp","delivered":true,"messageId":"m-1"}'), '70000000-0000-4000-8000-000000006001'::uuid,
                  'a live adapter''s reply completes the job; returns the incident id');
SELECT pg_temp.eq((SELECT response_payload ->> 'messageId' FROM public.incident_notification_jobs WHERE id = current_setting('test.step')::uuid), 'm-1',
                  'the reply is stored as is');
SELECT pg_temp.fails($q$SELECT public.complete_incident_notification_job(current_setting('test.step')::uuid, '{}')$q$, 'KX409',
                     'Incident notification job must be running before completion', 'completing twice is refused');
SELECT pg_temp.eq(public.incident_notifier_stub_response(current_setting('test.step')::uuid, 'bogus') ->> 'mode', 'drill', 'an unknown mode -> drill');

-- ---- only the service runs the job
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.run_incident_notifier()$q$, '42501', 'permission denied for function run_incident_notifier', 'the gym owner cannot run it');
SELECT pg_temp.fails($q$SELECT * FROM public.claim_incident_notification_jobs()$q$, '42501', NULL, 'nor claim');
SELECT pg_temp.fails($q$SELECT public.complete_incident_notification_job(current_setting('test.step')::uuid)$q$, '42501', NULL, 'nor complete');
SELECT pg_temp.fails($q$SELECT public.fail_incident_notification_job(current_setting('test.step')::uuid, 'x')$q$, '42501', NULL, 'nor fail');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.incident_actions WHERE action_type = 'notification_sent'$q$) > 0, true,
                  'staff see the notification_sent actions of their incidents');

ROLLBACK;
