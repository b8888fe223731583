-- Item 33: complete_privacy_export_job writes expiring response link metadata and emits privacy.export_ready
-- (05 §5.2): the request is walked to fulfilled through the transition function (one status event per
-- step; in_review straight to fulfilled), the job succeeds with its storage fields, the request carries the
-- link, its expiry, content type and size; the outbox row carries the link, the audit row does not; errors
-- in order.
-- Seed (T): davide's access request 7…0102 submitted, chiara's export 7…0104 submitted (breached).

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.privacy_requests (id, user_id, request_type, status, submitted_at) VALUES
    ('70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000010', 'export', 'in_review', public.app_now() - interval '1 day');
SELECT public.queue_privacy_export_jobs();
INSERT INTO ctx SELECT 'davide', id FROM public.privacy_export_jobs WHERE privacy_request_id = '70000000-0000-4000-8000-000000000102';
INSERT INTO ctx SELECT 'chiara', id FROM public.privacy_export_jobs WHERE privacy_request_id = '70000000-0000-4000-8000-000000000104';
INSERT INTO ctx SELECT 'tom', id FROM public.privacy_export_jobs WHERE privacy_request_id = '70000000-0000-4000-8000-0000000f0001';

-- a queued job cannot be completed
SELECT pg_temp.fails(format($q$SELECT public.complete_privacy_export_job(%L, 'privacy-exports', 'p', 'u', NULL)$q$, (SELECT v FROM ctx WHERE k = 'davide')),
                     'KX409', 'Privacy export job must be running before completion', 'queued: must be running');
SELECT count(*) FROM public.claim_privacy_export_jobs(10);

-- ================================================================ positive: davide's submitted access request
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '5 minutes')::text, true);
SELECT pg_temp.eq(public.complete_privacy_export_job((SELECT v FROM ctx WHERE k = 'davide'), ' privacy-exports ',
                      ' 20000000-0000-4000-8000-000000000005/70000000-0000-4000-8000-000000000102/job-1.json ',
                      ' /storage/v1/object/sign/privacy-exports/20000000-0000-4000-8000-000000000005/70000000-0000-4000-8000-000000000102/job-1.json?token=abc ',
                      current_setting('test.anchor')::timestamptz + interval '1 day 5 minutes', 4096, 37, '   '),
                  '70000000-0000-4000-8000-000000000102'::uuid, 'returns the request id');
SELECT pg_temp.eq((SELECT status || ' ' || storage_bucket || ' ' || storage_path || ' ' || (signed_url LIKE '/storage/v1/object/sign/%?token=abc')
                          || ' ' || (signed_url_expires_at = public.app_now() + interval '1 day') || ' ' || file_bytes || ' ' || record_count
                          || ' ' || (finished_at = public.app_now()) || ' ' || (next_retry_at IS NULL) || ' ' || coalesce(error_message, '-')
                   FROM public.privacy_export_jobs WHERE id = (SELECT v FROM ctx WHERE k = 'davide')),
                  'succeeded privacy-exports 20000000-0000-4000-8000-000000000005/70000000-0000-4000-8000-000000000102/job-1.json true true 4096 37 true true -',
                  'job succeeded with trimmed storage fields, expiry, size, record count, finished now');
SELECT pg_temp.eq((SELECT status || ' ' || (response_location LIKE '/storage/v1/object/sign/%?token=abc') || ' '
                          || (response_expires_at = public.app_now() + interval '1 day') || ' ' || response_content_type || ' ' || response_bytes
                          || ' ' || (resolved_at = public.app_now()) || ' ' || (triaged_at = public.app_now()) || ' ' || (in_progress_at = public.app_now())
                          || ' ' || notes
                   FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-000000000102'),
                  'fulfilled true true application/json 4096 true true true Export delivered by privacy_request_processor',
                  'request fulfilled with the link, its expiry, content type (blank -> application/json) and size; stamps of the walk');
SELECT pg_temp.eq((SELECT string_agg((o.payload ->> 'previous_status') || '>' || (o.payload ->> 'next_status'), ',' ORDER BY a.append_seq)
                   FROM public.event_outbox o JOIN public.audit_logs a ON a.action = 'security.event_outbox' AND a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE o.event_type = 'privacy.request_status_changed' AND o.aggregate_id = '70000000-0000-4000-8000-000000000102'),
                  'submitted>triaged,triaged>in_progress,in_progress>fulfilled', 'walked submitted -> triaged -> in_progress -> fulfilled via transitions');
SELECT pg_temp.eq((SELECT payload FROM public.event_outbox WHERE event_type = 'privacy.export_ready' AND aggregate_id = '70000000-0000-4000-8000-000000000102'),
                  jsonb_build_object('request_id', '70000000-0000-4000-8000-000000000102', 'job_id', (SELECT v FROM ctx WHERE k = 'davide'),
                                     'user_id', '20000000-0000-4000-8000-000000000005', 'bucket', 'privacy-exports',
                                     'path', '20000000-0000-4000-8000-000000000005/70000000-0000-4000-8000-000000000102/job-1.json',
                                     'signed_url_expires_at', public.app_now() + interval '1 day', 'file_bytes', 4096, 'record_count', 37,
                                     'signed_url', '/storage/v1/object/sign/privacy-exports/20000000-0000-4000-8000-000000000005/70000000-0000-4000-8000-000000000102/job-1.json?token=abc'),
                  'outbox privacy.export_ready (aggregate privacy_request) with the link for the notifier');
SELECT pg_temp.eq((SELECT (metadata ? 'signed_url') || ' ' || (metadata ->> 'bucket') || ' ' || target_table FROM public.audit_logs
                   WHERE action = 'privacy.export_ready' AND target_id = '70000000-0000-4000-8000-000000000102'),
                  'false privacy-exports privacy_requests', 'audit privacy.export_ready without the URL');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'security.event_outbox' AND metadata ->> 'event_type' = 'privacy.export_ready'),
                  1::bigint, 'and its security.event_outbox row');
SELECT pg_temp.ok((SELECT strpos(string_agg(a.metadata::text || coalesce(a.reason, ''), ''), 'token=abc') = 0 FROM public.audit_logs a), 'no audit row holds the link');
SELECT pg_temp.fails(format($q$SELECT public.complete_privacy_export_job(%L, 'b', 'p', 'u', NULL)$q$, (SELECT v FROM ctx WHERE k = 'davide')),
                     'KX409', 'Privacy export job must be running before completion', 'completing twice: the job is no longer running');

-- in_review (legacy) goes straight to fulfilled
SELECT public.complete_privacy_export_job((SELECT v FROM ctx WHERE k = 'tom'), 'privacy-exports', 'x/y/z.json', '/sign/x?token=t', NULL, NULL, NULL, 'application/json; charset=utf-8');
SELECT pg_temp.eq((SELECT string_agg((payload ->> 'previous_status') || '>' || (payload ->> 'next_status'), ',')
                   FROM public.event_outbox WHERE event_type = 'privacy.request_status_changed' AND aggregate_id = '70000000-0000-4000-8000-0000000f0001'),
                  'in_review>fulfilled', 'in_review -> fulfilled in one step');
SELECT pg_temp.eq((SELECT response_content_type || ' ' || coalesce(response_bytes::text, '-') || ' ' || coalesce(response_expires_at::text, '-')
                   FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-0000000f0001'),
                  'application/json; charset=utf-8 - -', 'the content type given is kept; size and expiry may be null');

-- ================================================================ errors in order
SELECT pg_temp.fails($q$SELECT public.complete_privacy_export_job('70000000-0000-4000-8000-0000000f9999', '', '', '', NULL)$q$,
                     'KX404', 'Privacy export job not found', 'unknown job first');
SELECT pg_temp.fails(format($q$SELECT public.complete_privacy_export_job(%L, 'privacy-exports', '  ', 'u', NULL)$q$, (SELECT v FROM ctx WHERE k = 'chiara')),
                     'KX422', 'Storage bucket, path, and signed URL are required', 'blank path');
SELECT pg_temp.fails(format($q$SELECT public.complete_privacy_export_job(%L, NULL, 'p', 'u', NULL)$q$, (SELECT v FROM ctx WHERE k = 'chiara')),
                     'KX422', 'Storage bucket, path, and signed URL are required', 'no bucket');
SELECT pg_temp.fails(format($q$SELECT public.complete_privacy_export_job(%L, 'b', 'p', ' ', NULL)$q$, (SELECT v FROM ctx WHERE k = 'chiara')),
                     'KX422', 'Storage bucket, path, and signed URL are required', 'blank URL');
-- chiara's request is rejected by staff while her job runs
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-000000000104', 'rejected', 'Identity could not be verified');
SELECT pg_temp.fails(format($q$SELECT public.complete_privacy_export_job(%L, 'b', 'p', 'u', NULL)$q$, (SELECT v FROM ctx WHERE k = 'chiara')),
                     'KX403', 'Service role required', 'staff cannot complete jobs');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails(format($q$SELECT public.complete_privacy_export_job(%L, 'b', 'p', 'u', NULL)$q$, (SELECT v FROM ctx WHERE k = 'chiara')),
                     'KX409', 'Cannot complete export for rejected privacy request', 'a rejected request cannot be completed');
SELECT pg_temp.eq((SELECT status::text FROM public.privacy_export_jobs WHERE id = (SELECT v FROM ctx WHERE k = 'chiara')), 'running',
                  'the refused completion changed nothing (the processor then calls fail_privacy_export_job)');

ROLLBACK;
