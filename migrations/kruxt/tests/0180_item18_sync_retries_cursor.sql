-- Item 18: sync job retries update status and preserve cursor integrity (04 §4: claim_device_sync_jobs,
-- process_device_sync_job, fail_device_sync_job, sync_dispatcher_run).
-- Retryable failures: attempt = retry_count + 1, retry_scheduled after 5, 10, 20 minutes, failed at the 4th attempt;
-- non-retryable ones fail at once. Departure from reference: a failure never changes the stored cursor (only
-- last_error and last_job_id; a missing cursor row is created from the job's cursor).
-- Seed: sara's apple_health connection d...0101 with cursor {"next_cursor":"c-120"}; davide's garmin d...0103 with a
-- retry_scheduled job d...0302 (retry 1, due T+3 min) and cursor {"next_cursor":"g-045"}.
-- A provider failure is simulated by a trigger on external_activity_imports that raises 'Provider timeout' while the
-- setting kx_test.fail_imports is on (created in this transaction, rolled back).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;
-- the audit rows already there (other areas' seeds write some) are not this test's: remember where the log ends
INSERT INTO ctx SELECT 'audit_seq0', to_jsonb(coalesce(max(append_seq), 0)) FROM public.audit_logs;
CREATE FUNCTION public.kx_test_provider_timeout() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF current_setting('kx_test.fail_imports', true) = 'on' THEN
        RAISE EXCEPTION 'Provider timeout';
    END IF;
    RETURN NEW;
END $f$;
CREATE TRIGGER kx_test_provider_timeout BEFORE INSERT OR UPDATE ON public.external_activity_imports
    FOR EACH ROW EXECUTE FUNCTION public.kx_test_provider_timeout();

-- ================================================================ only the service claims and processes
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.claim_device_sync_jobs()$q$, 'KX403', 'Service role required', 'a member cannot claim sync jobs');
SELECT pg_temp.fails($q$SELECT public.sync_dispatcher_run()$q$, 'KX403', 'Service role required', 'a member cannot run the dispatcher');
SELECT pg_temp.fails($q$SELECT public.fail_device_sync_job('d0000000-0000-4000-8000-000000000302', 'x')$q$, 'KX403', 'Service role required',
                     'a member cannot fail a job');
SELECT pg_temp.fails($q$UPDATE public.device_sync_jobs SET status = 'running' WHERE id = 'd0000000-0000-4000-8000-000000000302'$q$,
                     'KX403', 'Sync job state is system-managed', 'davide cannot move his own job to running');

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$SELECT public.sync_dispatcher_run(20, 'polar')$q$, 'KX422', 'Unsupported provider.', 'dispatcher: unknown provider');

-- ================================================================ claims respect the retry schedule and never hand a job out twice
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_device_sync_jobs(20)), 0::bigint,
                  'at T nothing is claimable (davide''s retry is due at T+3 min)');
SELECT set_config('kruxt.now', (public.app_now() + interval '3 minutes')::text, true);
INSERT INTO ctx SELECT 'claimed', jsonb_agg(to_jsonb(j)) FROM public.claim_device_sync_jobs(20) AS j;
SELECT pg_temp.eq((SELECT jsonb_array_length(v) || ' ' || (v -> 0 ->> 'id') || ' ' || (v -> 0 ->> 'status') FROM ctx WHERE k = 'claimed'),
                  '1 d0000000-0000-4000-8000-000000000302 running', 'once due, the retry_scheduled job is claimed as running');
SELECT pg_temp.eq((SELECT (started_at = public.app_now()) || ' ' || (finished_at IS NULL) || ' ' || (error_message IS NULL)
                   FROM public.device_sync_jobs WHERE id = 'd0000000-0000-4000-8000-000000000302'),
                  'true true true', 'claiming stamps started_at and clears finished_at and the error');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_device_sync_jobs(20)), 0::bigint, 'a running job is not claimed again');

-- a retried job that now succeeds: no events for davide, the cursor is kept, errors are cleared
INSERT INTO ctx SELECT 'davide_ok', public.process_device_sync_job('d0000000-0000-4000-8000-000000000302');
SELECT pg_temp.eq((SELECT v ->> 'status' FROM ctx WHERE k = 'davide_ok'), 'succeeded', 'davide''s retried job succeeds');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || (next_retry_at IS NULL) || ' ' || (cursor ->> 'next_cursor')
                   FROM public.device_sync_jobs WHERE id = 'd0000000-0000-4000-8000-000000000302'),
                  'succeeded 1 true g-045', 'job succeeded, its retry count kept, cursor g-045');
SELECT pg_temp.eq((SELECT (cursor ->> 'next_cursor') || ' ' || (last_error IS NULL) || ' ' || (last_synced_at = public.app_now()) || ' ' || last_job_id
                   FROM public.device_sync_cursors WHERE connection_id = 'd0000000-0000-4000-8000-000000000103'),
                  'g-045 true true d0000000-0000-4000-8000-000000000302', 'davide''s cursor: position kept, error cleared, synced now');
SELECT pg_temp.eq((SELECT (last_error IS NULL) || ' ' || (last_synced_at = public.app_now()) FROM public.device_connections
                   WHERE id = 'd0000000-0000-4000-8000-000000000103'), 'true true', 'the connection''s error is cleared');
SELECT pg_temp.fails($q$SELECT public.process_device_sync_job('d0000000-0000-4000-8000-000000000302')$q$, 'KX409', 'Sync job is not running',
                     'a finished job cannot be processed again');
SELECT pg_temp.fails($q$SELECT public.fail_device_sync_job('d0000000-0000-4000-8000-000000000302', 'x')$q$, 'KX409', 'Sync job is not running',
                     'a finished job cannot be failed');
SELECT pg_temp.fails($q$SELECT public.process_device_sync_job('d0000000-0000-4000-8000-000000009999')$q$, 'KX404', 'Sync job not found',
                     'unknown job');

-- ================================================================ success with events: the cursor merge
SELECT public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0300","eventType":"activities.created",
      "payload":{"providerUserId":"ah-sara-0001","next_cursor":"c-121","cursor":{"page":3},"activities":[{"id":"ah-act-0300","type":"run"}]}}');
INSERT INTO ctx SELECT 'sara_ok', public.sync_dispatcher_run(20, NULL);
SELECT pg_temp.eq((SELECT (v ->> 'scannedCount') || ' ' || (v ->> 'processedCount') || ' ' || (v ->> 'retriedCount') || ' ' || (v ->> 'failedCount')
                   FROM ctx WHERE k = 'sara_ok'), '1 1 0 0', 'dispatcher: 1 scanned, 1 processed');
SELECT pg_temp.eq((SELECT cursor - 'updated_at' - 'last_webhook_received_at' FROM public.device_sync_cursors WHERE connection_id = 'd0000000-0000-4000-8000-000000000101'),
                  jsonb_build_object('next_cursor', 'c-121', 'page', 3, 'last_webhook_event_id',
                                     (SELECT id FROM public.integration_webhook_events WHERE provider_event_id = 'ah-evt-0300')),
                  'success: stored cursor overlaid by the job''s cursor and the event''s cursor and next_cursor, plus the last event id');
SELECT pg_temp.eq((SELECT (cursor ->> 'updated_at') || ' ' || (cursor ->> 'last_webhook_received_at') FROM public.device_sync_cursors
                   WHERE connection_id = 'd0000000-0000-4000-8000-000000000101'),
                  kruxt_internal.iso_utc(public.app_now()) || ' ' || kruxt_internal.iso_utc(public.app_now()),
                  'updated_at and last_webhook_received_at in ISO UTC');
SELECT pg_temp.eq((SELECT j.cursor = c.cursor AND j.status = 'succeeded' AND c.last_job_id = j.id
                   FROM public.device_sync_jobs j JOIN public.device_sync_cursors c ON c.connection_id = j.connection_id
                   WHERE j.id = (SELECT (v -> 'processedJobIds' ->> 0)::uuid FROM ctx WHERE k = 'sara_ok')), true,
                  'the job stores the merged cursor; the cursor row points at the job');
SELECT pg_temp.eq((SELECT payload - 'processed_event_ids' FROM public.event_outbox WHERE event_type = 'integration.sync_succeeded' AND payload ->> 'provider' = 'apple_health'),
                  '{"provider":"apple_health","user_id":"20000000-0000-4000-8000-000000000004","connection_id":"d0000000-0000-4000-8000-000000000101","imported_count":1}'::jsonb,
                  'outbox integration.sync_succeeded {provider, user_id, connection_id, imported_count, processed_event_ids}');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE append_seq > (SELECT (v #>> '{}')::bigint FROM ctx WHERE k = 'audit_seq0')),
                  0::bigint, 'a successful sync writes no audit row (none appended by this test so far)');

-- ================================================================ retryable failures: 5, 10, 20 minutes, then failed; the cursor never moves
SELECT set_config('kx_test.fail_imports', 'on', true);
INSERT INTO ctx SELECT 'cursor_before', cursor FROM public.device_sync_cursors WHERE connection_id = 'd0000000-0000-4000-8000-000000000101';
INSERT INTO ctx SELECT 'synced_before', to_jsonb(last_synced_at) FROM public.device_sync_cursors WHERE connection_id = 'd0000000-0000-4000-8000-000000000101';
INSERT INTO ctx SELECT 'evt', public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0400","eventType":"activities.created",
      "payload":{"providerUserId":"ah-sara-0001","next_cursor":"c-999","activities":[{"id":"ah-act-0400"}]}}');
INSERT INTO ctx SELECT 'job', to_jsonb(j.id) FROM public.device_sync_jobs j
WHERE j.source_webhook_event_id = (SELECT (v ->> 'webhookEventId')::uuid FROM ctx WHERE k = 'evt');

INSERT INTO ctx SELECT 'attempt1', public.sync_dispatcher_run(20, 'apple_health');
SELECT pg_temp.eq((SELECT (v ->> 'retriedCount') || ' ' || (v -> 'retriedJobIds' ->> 0) FROM ctx WHERE k = 'attempt1'),
                  '1 ' || (SELECT v #>> '{}' FROM ctx WHERE k = 'job'), 'attempt 1 fails and is retried');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || (next_retry_at - public.app_now()) || ' ' || error_message || ' ' || (finished_at = public.app_now())
                   FROM public.device_sync_jobs WHERE id = (SELECT (v #>> '{}')::uuid FROM ctx WHERE k = 'job')),
                  'retry_scheduled 1 00:05:00 Provider timeout true', 'attempt 1: retry_scheduled, retry_count 1, next try in 5 minutes');
SELECT pg_temp.eq((SELECT processing_status || ' ' || retry_count || ' ' || (next_retry_at - public.app_now()) || ' ' || error_message || ' ' || (processed_at IS NULL)
                   FROM public.integration_webhook_events WHERE provider_event_id = 'ah-evt-0400'),
                  'pending 1 00:05:00 Provider timeout true', 'the source event is pending with the same retry count and time');
SELECT pg_temp.eq((SELECT cursor FROM public.device_sync_cursors WHERE connection_id = 'd0000000-0000-4000-8000-000000000101'),
                  (SELECT v FROM ctx WHERE k = 'cursor_before'),
                  'departure from reference: the stored cursor is unchanged by the failure');
SELECT pg_temp.ok((SELECT cursor ->> 'next_cursor' IS DISTINCT FROM 'c-999' FROM public.device_sync_cursors
                   WHERE connection_id = 'd0000000-0000-4000-8000-000000000101'),
                  'negative: the job''s cursor (c-999) was not written (the reference overwrote the cursor with it)');
SELECT pg_temp.eq((SELECT last_error || ' ' || last_job_id || ' ' || (to_jsonb(last_synced_at) = (SELECT v FROM ctx WHERE k = 'synced_before'))
                   FROM public.device_sync_cursors WHERE connection_id = 'd0000000-0000-4000-8000-000000000101'),
                  'Provider timeout ' || (SELECT v #>> '{}' FROM ctx WHERE k = 'job') || ' true',
                  'only last_error and last_job_id of the cursor change (last_synced_at kept)');
SELECT pg_temp.eq((SELECT last_error FROM public.device_connections WHERE id = 'd0000000-0000-4000-8000-000000000101'), 'Provider timeout',
                  'the connection records the error');
SELECT pg_temp.eq((SELECT count(*) FROM public.external_activity_imports WHERE external_activity_id = 'ah-act-0400'), 0::bigint,
                  'the failed attempt left no import behind');
SELECT pg_temp.eq((SELECT payload FROM public.event_outbox WHERE event_type = 'integration.sync_failed'),
                  jsonb_build_object('provider', 'apple_health', 'user_id', '20000000-0000-4000-8000-000000000004',
                                     'connection_id', 'd0000000-0000-4000-8000-000000000101', 'retry_scheduled', true, 'retry_count', 1,
                                     'next_retry_at', kruxt_internal.iso_utc(public.app_now() + interval '5 minutes'), 'error', 'Provider timeout'),
                  'outbox integration.sync_failed {provider, user_id, connection_id, retry_scheduled, retry_count, next_retry_at, error}');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs a JOIN public.event_outbox o ON a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE a.action = 'security.event_outbox' AND o.event_type = 'integration.sync_failed'), 1::bigint,
                  'integration.sync_failed is security-relevant: one security.event_outbox audit row');

SELECT pg_temp.eq((public.sync_dispatcher_run(20, 'apple_health') ->> 'scannedCount'), '0', 'before its retry time the job is not claimed');

SELECT set_config('kruxt.now', (public.app_now() + interval '5 minutes')::text, true);
SELECT pg_temp.eq((public.sync_dispatcher_run(20, 'apple_health') ->> 'retriedCount'), '1', 'attempt 2 fails');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || (next_retry_at - public.app_now())
                   FROM public.device_sync_jobs WHERE id = (SELECT (v #>> '{}')::uuid FROM ctx WHERE k = 'job')),
                  'retry_scheduled 2 00:10:00', 'attempt 2: next try in 10 minutes');
SELECT set_config('kruxt.now', (public.app_now() + interval '10 minutes')::text, true);
SELECT pg_temp.eq((public.sync_dispatcher_run(20, 'apple_health') ->> 'retriedCount'), '1', 'attempt 3 fails');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || (next_retry_at - public.app_now())
                   FROM public.device_sync_jobs WHERE id = (SELECT (v #>> '{}')::uuid FROM ctx WHERE k = 'job')),
                  'retry_scheduled 3 00:20:00', 'attempt 3: next try in 20 minutes');
SELECT set_config('kruxt.now', (public.app_now() + interval '20 minutes')::text, true);
INSERT INTO ctx SELECT 'attempt4', public.sync_dispatcher_run(20, 'apple_health');
SELECT pg_temp.eq((SELECT (v ->> 'failedCount') || ' ' || (v ->> 'retriedCount') FROM ctx WHERE k = 'attempt4'), '1 0', 'attempt 4 fails for good');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || (next_retry_at IS NULL) || ' ' || error_message
                   FROM public.device_sync_jobs WHERE id = (SELECT (v #>> '{}')::uuid FROM ctx WHERE k = 'job')),
                  'failed 4 true Provider timeout', 'final failure: failed, retry_count 4, no next retry');
SELECT pg_temp.eq((SELECT processing_status || ' ' || retry_count || ' ' || (processed_at = public.app_now()) || ' ' || (next_retry_at IS NULL)
                   FROM public.integration_webhook_events WHERE provider_event_id = 'ah-evt-0400'),
                  'failed 4 true true', 'the source event is failed with processed_at');
SELECT pg_temp.eq((SELECT cursor FROM public.device_sync_cursors WHERE connection_id = 'd0000000-0000-4000-8000-000000000101'),
                  (SELECT v FROM ctx WHERE k = 'cursor_before'), 'after four failures the cursor is still the one before them');
SELECT pg_temp.eq((SELECT string_agg((payload ->> 'retry_count') || ':' || (payload ->> 'retry_scheduled'), ',' ORDER BY (payload ->> 'retry_count')::int)
                   FROM public.event_outbox WHERE event_type = 'integration.sync_failed'), '1:true,2:true,3:true,4:false',
                  'one integration.sync_failed per attempt, the last one final');
SELECT set_config('kruxt.now', (public.app_now() + interval '2 hours')::text, true);
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_device_sync_jobs(100)), 0::bigint, 'a failed job is never claimed again');

-- a missing cursor row is created from the job's cursor
INSERT INTO public.device_connections (id, user_id, provider, status, provider_user_id)
VALUES ('d0000000-0000-4000-8000-0000000001f1', '20000000-0000-4000-8000-000000000006', 'apple_health', 'active', 'ah-elena-0001');
SELECT public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0500","eventType":"activities.created",
      "payload":{"userId":"20000000-0000-4000-8000-000000000006","cursor":{"next_cursor":"e-1"},"activities":[{"id":"ah-act-0500"}]}}');
SELECT pg_temp.eq((public.sync_dispatcher_run(20, 'apple_health') ->> 'retriedCount'), '1', 'elena''s first sync fails');
SELECT pg_temp.eq((SELECT cursor::text || ' ' || last_error || ' ' || (last_synced_at IS NULL) FROM public.device_sync_cursors
                   WHERE connection_id = 'd0000000-0000-4000-8000-0000000001f1'),
                  '{"next_cursor": "e-1"} Provider timeout true', 'no cursor yet: created from the job''s cursor, with the error, never synced');

-- ================================================================ non-retryable failures fail at the first attempt
SELECT set_config('kx_test.fail_imports', 'off', true);
UPDATE public.device_sync_jobs SET status = 'failed', next_retry_at = NULL WHERE connection_id = 'd0000000-0000-4000-8000-0000000001f1';
-- connection not active
INSERT INTO public.device_sync_jobs (id, connection_id, job_type, cursor)
VALUES ('d0000000-0000-4000-8000-0000000003f1', 'd0000000-0000-4000-8000-000000000101', 'pull_activities', '{"next_cursor":"c-777"}');
UPDATE public.device_connections SET status = 'revoked' WHERE id = 'd0000000-0000-4000-8000-000000000101';
INSERT INTO ctx SELECT 'inactive', public.sync_dispatcher_run(20, NULL);
SELECT pg_temp.eq((SELECT (v ->> 'failedCount') || ' ' || (v ->> 'retriedCount') FROM ctx WHERE k = 'inactive'), '1 0',
                  'revoked connection: failed, not retried');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || (next_retry_at IS NULL) || ' ' || error_message
                   FROM public.device_sync_jobs WHERE id = 'd0000000-0000-4000-8000-0000000003f1'),
                  'failed 1 true Device connection is not active.', 'non-retryable: failed at attempt 1 with the spec message');
SELECT pg_temp.eq((SELECT cursor FROM public.device_sync_cursors WHERE connection_id = 'd0000000-0000-4000-8000-000000000101'),
                  (SELECT v FROM ctx WHERE k = 'cursor_before'), 'the cursor is unchanged by a non-retryable failure too');
UPDATE public.device_connections SET status = 'active' WHERE id = 'd0000000-0000-4000-8000-000000000101';
-- provider flag off
UPDATE public.feature_flags SET enabled = false WHERE key = 'provider_garmin_enabled';
INSERT INTO public.device_sync_jobs (id, connection_id) VALUES ('d0000000-0000-4000-8000-0000000003f2', 'd0000000-0000-4000-8000-000000000103');
SELECT pg_temp.eq((public.sync_dispatcher_run(20, 'garmin') ->> 'failedCount'), '1', 'garmin flag off: failed');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || error_message FROM public.device_sync_jobs WHERE id = 'd0000000-0000-4000-8000-0000000003f2'),
                  'failed 1 Provider garmin is disabled by its feature flag.', 'flag off is not retried');
-- a provider outside the beta (fitbit, even with its flag on)
UPDATE public.feature_flags SET enabled = true WHERE key = 'provider_fitbit_enabled';
INSERT INTO public.device_sync_jobs (id, connection_id) VALUES ('d0000000-0000-4000-8000-0000000003f3', 'd0000000-0000-4000-8000-000000000104');
SELECT pg_temp.eq((public.sync_dispatcher_run(20, 'fitbit') ->> 'failedCount'), '1', 'fitbit job: failed');
SELECT pg_temp.eq((SELECT status || ' ' || error_message FROM public.device_sync_jobs WHERE id = 'd0000000-0000-4000-8000-0000000003f3'),
                  'failed Provider fitbit is not activated in this rollout window.', 'a non-beta provider is not retried');
-- an explicit non-retryable failure reported by the caller
INSERT INTO public.device_sync_jobs (id, connection_id) VALUES ('d0000000-0000-4000-8000-0000000003f4', 'd0000000-0000-4000-8000-000000000101');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_device_sync_jobs(20, 'apple_health')), 1::bigint, 'claimed');
SELECT pg_temp.eq((public.fail_device_sync_job('d0000000-0000-4000-8000-0000000003f4', '  ', false) - 'jobId'),
                  '{"status":"failed","retryCount":1,"nextRetryAt":null,"error":"Sync job failed."}'::jsonb,
                  'fail_device_sync_job(…, false): failed at once; a blank error becomes "Sync job failed."');

-- ================================================================ claim: limit clamp and provider filter
INSERT INTO public.device_sync_jobs (connection_id) SELECT 'd0000000-0000-4000-8000-000000000101' FROM generate_series(1, 3);
UPDATE public.feature_flags SET enabled = true WHERE key = 'provider_garmin_enabled';
INSERT INTO public.device_sync_jobs (connection_id) VALUES ('d0000000-0000-4000-8000-000000000103');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_device_sync_jobs(0, 'garmin')), 1::bigint, 'limit 0 is clamped to 1; provider filter');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_device_sync_jobs(1000, 'garmin')), 0::bigint, 'no other garmin job is claimable');
SELECT pg_temp.eq((SELECT string_agg(DISTINCT provider::text, ',') FROM public.claim_device_sync_jobs(1000)), 'apple_health',
                  'the remaining claimable jobs (apple_health) are claimed once');

ROLLBACK;
