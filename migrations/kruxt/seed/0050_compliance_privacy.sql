-- KRUXT demo seed, area 05 (99 §10 "Privacy"): the pipeline rows behind the privacy requests that
-- seed/0001 wrote ahead of this area: leo's fulfilled export (a succeeded export job with its signed link,
-- expiring T+1 d), hanna's delete request in progress (a queued delete job and an active litigation hold).
-- davide's access request and chiara's overdue export have no job yet: the next privacy_request_processor
-- run queues them. Policy versions and consents are seed/0001's (the consent triggers of 0050 validated
-- them and wrote their consent.recorded events).
--
-- Rows are written directly as service (fixed ids, past timestamps, no RPCs), so they add no outbox or audit
-- rows. Fixed ids (type 7 = privacy, 99 §1): export jobs 70000000-0000-4000-8000-0000000011NN, delete jobs
-- …0000000012NN, legal holds …0000000013NN.
-- The signed URL has the shape of the storage endpoint (00 §4) but its token is a placeholder: signing needs
-- the server's key, so a sandbox that wants a working download link re-signs it (see README).

SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- leo (user 16): export request 0101 fulfilled at T-5 d
INSERT INTO public.privacy_export_jobs (id, privacy_request_id, user_id, status, storage_bucket, storage_path, signed_url,
                                        signed_url_expires_at, file_bytes, record_count, retry_count, next_retry_at,
                                        started_at, finished_at, created_at, updated_at)
SELECT j.id, j.request_id, j.user_id, 'succeeded', 'privacy-exports', j.path,
       '/storage/v1/object/sign/privacy-exports/' || j.path || '?token=seed-placeholder',
       kruxt_internal.seed_at(1), 48213, 64, 0, kruxt_internal.seed_at(-6),
       kruxt_internal.seed_at(-5.5), kruxt_internal.seed_at(-5), kruxt_internal.seed_at(-6), kruxt_internal.seed_at(-5)
FROM (SELECT '70000000-0000-4000-8000-000000001101'::uuid AS id,
             '70000000-0000-4000-8000-000000000101'::uuid AS request_id,
             '20000000-0000-4000-8000-000000000016'::uuid AS user_id,
             format('%s/%s/%s-%s.json', '20000000-0000-4000-8000-000000000016', '70000000-0000-4000-8000-000000000101',
                    '70000000-0000-4000-8000-000000001101',
                    (extract(epoch FROM kruxt_internal.seed_at(-5)) * 1000)::bigint) AS path) AS j;

-- the request's response link is the job's signed URL (as complete_privacy_export_job writes it)
UPDATE public.privacy_requests r
SET response_location = j.signed_url, response_expires_at = j.signed_url_expires_at
FROM public.privacy_export_jobs j
WHERE j.id = '70000000-0000-4000-8000-000000001101' AND r.id = j.privacy_request_id;

-- hanna (user 15): delete request 0105 in progress since T-8 d, its job queued, blocked by a litigation hold
INSERT INTO public.privacy_delete_jobs (id, privacy_request_id, user_id, status, retry_count, next_retry_at, created_at, updated_at)
VALUES ('70000000-0000-4000-8000-000000001201', '70000000-0000-4000-8000-000000000105', '20000000-0000-4000-8000-000000000015',
        'queued', 0, kruxt_internal.seed_at(-8), kruxt_internal.seed_at(-8), kruxt_internal.seed_at(-8));

INSERT INTO public.legal_holds (id, user_id, privacy_request_id, hold_type, reason, is_active, starts_at, ends_at, created_by,
                                metadata, created_at, updated_at)
VALUES ('70000000-0000-4000-8000-000000001301', '20000000-0000-4000-8000-000000000015', '70000000-0000-4000-8000-000000000105',
        'litigation', 'Injury claim filed against BZone Pavia; keep the member''s records until the case is closed',
        true, kruxt_internal.seed_at(-9), NULL, '20000000-0000-4000-8000-000000000002',
        '{"case_reference":"PV-2026-0113"}'::jsonb, kruxt_internal.seed_at(-9), kruxt_internal.seed_at(-9));

SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;
