-- Item 38: complete_privacy_delete_job marks the request fulfilled and stores the anonymization summary
-- (05 §6.2): the processor's happy path (submit, queue, claim, anonymize, complete) for sara; the request is
-- walked to fulfilled through the transition function, response fields null with content type
-- application/json, the job succeeds with the summary, privacy.delete_completed carries it; errors in order.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid, j jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
INSERT INTO ctx (k, v) SELECT 'request', public.submit_privacy_request('delete', 'Please erase me');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
INSERT INTO ctx (k, v) SELECT 'tom_request', public.submit_privacy_request('delete');

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.queue_privacy_delete_jobs();
INSERT INTO ctx (k, v) SELECT 'job', id FROM public.privacy_delete_jobs WHERE privacy_request_id = (SELECT v FROM ctx WHERE k = 'request');
INSERT INTO ctx (k, v) SELECT 'tom_job', id FROM public.privacy_delete_jobs WHERE privacy_request_id = (SELECT v FROM ctx WHERE k = 'tom_request');
SELECT pg_temp.fails(format($q$SELECT public.complete_privacy_delete_job(%L)$q$, (SELECT v FROM ctx WHERE k = 'job')),
                     'KX409', 'Privacy delete job must be running before completion', 'a queued job cannot be completed');
SELECT count(*) FROM public.claim_privacy_delete_jobs(10);
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '10 minutes')::text, true);

-- ================================================================ the happy path
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000004'), false, 'sara is not held');
INSERT INTO ctx (k, j) SELECT 'summary', public.apply_user_anonymization('20000000-0000-4000-8000-000000000004', (SELECT v FROM ctx WHERE k = 'request'));
SELECT pg_temp.eq(public.complete_privacy_delete_job((SELECT v FROM ctx WHERE k = 'job'), (SELECT j FROM ctx WHERE k = 'summary')),
                  (SELECT v FROM ctx WHERE k = 'request'), 'returns the request id');
SELECT pg_temp.eq((SELECT status || ' ' || (anonymization_summary = (SELECT j FROM ctx WHERE k = 'summary')) || ' ' || (finished_at = public.app_now())
                          || ' ' || (next_retry_at IS NULL) || ' ' || coalesce(error_message, '-')
                   FROM public.privacy_delete_jobs WHERE id = (SELECT v FROM ctx WHERE k = 'job')),
                  'succeeded true true true -', 'job succeeded with the summary stored');
SELECT pg_temp.eq((SELECT status || ' ' || (resolved_at = public.app_now()) || ' ' || coalesce(response_location, '-') || ' ' || coalesce(response_expires_at::text, '-')
                          || ' ' || coalesce(response_bytes::text, '-') || ' ' || response_content_type || ' ' || coalesce(reason, '-') || ' ' || notes
                   FROM public.privacy_requests WHERE id = (SELECT v FROM ctx WHERE k = 'request')),
                  'fulfilled true - - - application/json - Account anonymized by privacy_request_processor',
                  'request fulfilled: response fields null, content type application/json (reason redacted by the anonymization)');
SELECT pg_temp.eq((SELECT string_agg((o.payload ->> 'previous_status') || '>' || (o.payload ->> 'next_status'), ',' ORDER BY a.append_seq)
                   FROM public.event_outbox o JOIN public.audit_logs a ON a.action = 'security.event_outbox' AND a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE o.event_type = 'privacy.request_status_changed' AND o.aggregate_id = (SELECT v FROM ctx WHERE k = 'request')),
                  'submitted>triaged,triaged>in_progress,in_progress>fulfilled', 'walked through the transition function');
SELECT pg_temp.eq((SELECT payload FROM public.event_outbox WHERE event_type = 'privacy.delete_completed'),
                  jsonb_build_object('request_id', (SELECT v FROM ctx WHERE k = 'request'), 'job_id', (SELECT v FROM ctx WHERE k = 'job'),
                                     'user_id', '20000000-0000-4000-8000-000000000004', 'anonymization_summary', (SELECT j FROM ctx WHERE k = 'summary')),
                  'outbox privacy.delete_completed {request_id, job_id, user_id, anonymization_summary}');
SELECT pg_temp.eq((SELECT metadata -> 'anonymization_summary' FROM public.audit_logs WHERE action = 'privacy.delete_completed'),
                  (SELECT j FROM ctx WHERE k = 'summary'), 'audit privacy.delete_completed with the summary');
SELECT pg_temp.fails(format($q$SELECT public.complete_privacy_delete_job(%L)$q$, (SELECT v FROM ctx WHERE k = 'job')),
                     'KX409', 'Privacy delete job must be running before completion', 'completing twice');
-- the default summary is {}
SELECT public.complete_privacy_delete_job((SELECT v FROM ctx WHERE k = 'tom_job'));
SELECT pg_temp.eq((SELECT anonymization_summary FROM public.privacy_delete_jobs WHERE id = (SELECT v FROM ctx WHERE k = 'tom_job')), '{}'::jsonb,
                  'no summary given: {}');

-- ================================================================ errors in order
INSERT INTO public.privacy_requests (id, user_id, request_type, status) VALUES
    ('70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000013', 'delete', 'in_progress'),
    ('70000000-0000-4000-8000-0000000f0002', '20000000-0000-4000-8000-000000000015', 'delete', 'rejected');
INSERT INTO public.privacy_delete_jobs (id, privacy_request_id, user_id, status) VALUES
    ('70000000-0000-4000-8000-0000000f1001', '70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000013', 'running');
SELECT pg_temp.fails($q$SELECT public.complete_privacy_delete_job('70000000-0000-4000-8000-0000000f9999', '[]')$q$,
                     'KX422', 'Anonymization summary must be a JSON object', 'a non-object summary (checked before the job)');
SELECT pg_temp.fails($q$SELECT public.complete_privacy_delete_job('70000000-0000-4000-8000-0000000f1001', '"text"')$q$,
                     'KX422', 'Anonymization summary must be a JSON object', 'a string summary');
SELECT pg_temp.fails($q$SELECT public.complete_privacy_delete_job('70000000-0000-4000-8000-0000000f9999')$q$,
                     'KX404', 'Privacy delete job not found', 'unknown job');
-- fede's request is rejected by his coach while the job runs
UPDATE public.privacy_requests SET status = 'rejected' WHERE id = '70000000-0000-4000-8000-0000000f0001';
SELECT pg_temp.fails($q$SELECT public.complete_privacy_delete_job('70000000-0000-4000-8000-0000000f1001')$q$,
                     'KX409', 'Cannot complete delete for rejected privacy request', 'a rejected request');
-- a hold placed while the job runs wins over the completion
UPDATE public.privacy_requests SET status = 'in_progress' WHERE id = '70000000-0000-4000-8000-0000000f0001';
INSERT INTO public.legal_holds (user_id, hold_type, reason) VALUES ('20000000-0000-4000-8000-000000000013', 'regulatory_inquiry', 'Regulator asked to keep records');
SELECT pg_temp.fails($q$SELECT public.complete_privacy_delete_job('70000000-0000-4000-8000-0000000f1001')$q$,
                     'KX409', 'Cannot complete delete job while legal hold is active', 'an active hold (checked before the request)');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.complete_privacy_delete_job('70000000-0000-4000-8000-0000000f1001', '[]')$q$,
                     'KX403', 'Service role required', 'staff cannot complete (checked first)');

ROLLBACK;
