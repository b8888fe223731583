-- The area 05 seed (99 §10 "Privacy", seed/0050) and one run of privacy_request_processor (05 §7) over it,
-- as the Rust job issues it: step 1 process_privacy_request_queue; step 2 queue + claim export jobs, per job
-- build_privacy_export_payload + (storage, outside SQL) + complete_privacy_export_job; step 3 queue + claim
-- delete jobs, per job has_active_legal_hold -> fail_privacy_delete_job(..., p_force_final => true), else
-- apply_user_anonymization + complete_privacy_delete_job. Each call is its own transaction in the job; here
-- they run in one (rolled back).

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, j jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ the seed
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || j.status || ':' || j.storage_bucket || ':' || (j.signed_url_expires_at = a.anchor + interval '1 day')
                                     || ':' || j.file_bytes || ':' || (j.storage_path LIKE j.user_id || '/' || j.privacy_request_id || '/' || j.id || '-%.json'), ',')
                   FROM public.privacy_export_jobs j JOIN public.profiles p ON p.id = j.user_id, kruxt_internal.seed_anchor a),
                  'leo_export:succeeded:privacy-exports:true:48213:true',
                  'leo''s export job succeeded; link expires T+1 d; path <user>/<request>/<job>-<epoch_ms>.json');
SELECT pg_temp.eq((SELECT r.response_location = j.signed_url AND r.response_expires_at = j.signed_url_expires_at AND r.response_bytes = j.file_bytes
                   FROM public.privacy_requests r JOIN public.privacy_export_jobs j ON j.privacy_request_id = r.id), true,
                  'the request''s response link is the job''s signed URL');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || j.status || ':' || r.status, ',') FROM public.privacy_delete_jobs j
                   JOIN public.profiles p ON p.id = j.user_id JOIN public.privacy_requests r ON r.id = j.privacy_request_id),
                  'hanna_held:queued:in_progress', 'hanna''s delete job is queued, her request in progress');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || h.hold_type || ':' || h.is_active || ':' || (h.starts_at < a.anchor) || ':' || coalesce(h.ends_at::text, '-')
                                     || ':' || c.username || ':' || (h.privacy_request_id = '70000000-0000-4000-8000-000000000105'), ',')
                   FROM public.legal_holds h JOIN public.profiles p ON p.id = h.user_id JOIN public.profiles c ON c.id = h.created_by, kruxt_internal.seed_anchor a),
                  'hanna_held:litigation:true:true:-:giulia_rossi:true', 'one active litigation hold on hanna, placed by giulia, tied to her request');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type LIKE 'privacy.%'), 0::bigint, 'the seed wrote no privacy events');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000015'), true, 'hanna is held at T');

-- ================================================================ one processor run at T
-- step 1
INSERT INTO ctx SELECT 'step1', public.process_privacy_request_queue(25, 100);
SELECT pg_temp.eq((SELECT (j ->> 'triagedCount') || '/' || (j ->> 'overdueMarkedCount') FROM ctx WHERE k = 'step1'), '2/0',
                  'step 1: chiara''s and davide''s submitted requests triaged; chiara''s is already breached');
-- step 2: exports
SELECT pg_temp.eq(public.queue_privacy_export_jobs(40), 2, 'step 2: two export jobs queued (chiara, davide)');
CREATE TEMP TABLE claimed_exports ON COMMIT DROP AS SELECT * FROM public.claim_privacy_export_jobs(8);
SELECT pg_temp.eq((SELECT count(*) FROM claimed_exports), 2::bigint, 'both claimed');
-- per job: payload, record count (sum over top-level values: array -> length, object -> 1), storage, complete
CREATE TEMP TABLE built ON COMMIT DROP AS
SELECT c.id AS job_id, c.privacy_request_id, c.user_id, p.doc,
       (SELECT sum(CASE jsonb_typeof(e.value) WHEN 'array' THEN jsonb_array_length(e.value) WHEN 'object' THEN 1 ELSE 0 END)::int
        FROM jsonb_each(p.doc) e) AS record_count
FROM claimed_exports c, LATERAL (SELECT public.build_privacy_export_payload(c.user_id) AS doc) p;
SELECT public.complete_privacy_export_job(b.job_id, 'privacy-exports',
           format('%s/%s/%s-%s.json', b.user_id, b.privacy_request_id, b.job_id, (extract(epoch FROM public.app_now()) * 1000)::bigint),
           format('/storage/v1/object/sign/privacy-exports/%s/%s/%s.json?token=t', b.user_id, b.privacy_request_id, b.job_id),
           public.app_now() + interval '86400 seconds', octet_length(jsonb_pretty(b.doc)), b.record_count, 'application/json; charset=utf-8')
FROM built b;
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || r.status, ',' ORDER BY p.username) FROM public.privacy_requests r
                   JOIN public.profiles p ON p.id = r.user_id WHERE r.request_type IN ('access', 'export')),
                  'chiara_gallo:fulfilled,davide_romano:fulfilled,leo_export:fulfilled,nico_costa:rejected,sara_conti:fulfilled',
                  'both exports delivered: requests fulfilled');
SELECT pg_temp.ok((SELECT bool_and(record_count > 0) FROM public.privacy_export_jobs), 'record counts recorded');
-- step 3: deletes
SELECT pg_temp.eq(public.queue_privacy_delete_jobs(25), 0, 'step 3: hanna''s job exists already');
CREATE TEMP TABLE claimed_deletes ON COMMIT DROP AS SELECT * FROM public.claim_privacy_delete_jobs(6);
SELECT pg_temp.eq((SELECT string_agg(id::text, ',') FROM claimed_deletes), '70000000-0000-4000-8000-000000001201', 'hanna''s job claimed');
INSERT INTO ctx SELECT 'hanna', CASE WHEN public.has_active_legal_hold(d.user_id)
                                     THEN public.fail_privacy_delete_job(d.id, 'Active legal hold blocks delete fulfillment.', 900, 5, true)
                                END
FROM claimed_deletes d;
SELECT pg_temp.eq((SELECT j FROM ctx WHERE k = 'hanna'), '{"status":"failed","retryCount":1,"finalFailure":true}'::jsonb,
                  'held: terminal failure');
SELECT pg_temp.eq((SELECT status::text FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-000000000105'), 'rejected', 'hanna''s request rejected');
SELECT pg_temp.eq((SELECT string_agg(event_type || ':' || n, ',' ORDER BY event_type)
                   FROM (SELECT event_type, count(*) AS n FROM public.event_outbox WHERE event_type LIKE 'privacy.%' GROUP BY event_type) q),
                  'privacy.delete_failed:1,privacy.export_ready:2,privacy.request_status_changed:7',
                  'events of the run: 2 triages + 2x2 walks to fulfilled + 1 rejection = 7 status changes, 2 exports ready, 1 delete failed');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox o WHERE o.event_type LIKE 'privacy.%'
                   AND NOT EXISTS (SELECT 1 FROM public.audit_logs a WHERE a.action = 'security.event_outbox' AND a.metadata ->> 'event_outbox_id' = o.id::text)),
                  0::bigint, 'every privacy event has its security.event_outbox audit row');
-- a second run right after finds nothing to do
SELECT pg_temp.eq(public.process_privacy_request_queue() ->> 'triagedCount', '0', 'second run: nothing to triage');
SELECT pg_temp.eq(public.queue_privacy_export_jobs(40) + public.queue_privacy_delete_jobs(25)
                  + (SELECT count(*)::int FROM public.claim_privacy_export_jobs(8)) + (SELECT count(*)::int FROM public.claim_privacy_delete_jobs(6)), 0,
                  'nothing to queue or claim');

ROLLBACK;
