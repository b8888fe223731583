-- Item 82, database side (02 §9, §1.5): reportContent creates a moderation record (status open) that
-- the refreshed myReports contains. Departure from reference (fixed here): reports are never readable
-- across users or gyms -- only by the reporter, the service and compliance operators (area 12); the
-- reference let a leader/officer of any gym read and update every report.
-- Actors: sara_conti (04), davide_romano (05), giulia_rossi (02, BZone officer), marco_bianchi (01,
-- BZone owner), anna_ricci (11, Wellness Zone owner).

BEGIN;

-- the sandbox clock: one hour after the seed anchor T
SELECT set_config('kruxt.now', (SELECT (anchor + interval '1 hour')::text FROM kruxt_internal.seed_anchor), true);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);

-- ---- report a comment; the client cannot pre-resolve it
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.user_reports (id, reporter_user_id, target_type, target_id, reason, details, status, reviewed_by, reviewed_at)
                                      VALUES ('4f000000-0000-4000-8000-000000000821', auth.uid(), 'comment', '40000000-0000-4000-8000-000000000703',
                                              'harassment', 'Not nice', 'resolved', auth.uid(), now())$q$), 1::bigint, 'sara reports davide''s comment');
SELECT pg_temp.eq((SELECT status || ' ' || coalesce(reviewed_by::text, '-') || ' ' || coalesce(reviewed_at::text, '-') || ' ' || (created_at = public.app_now())
                   FROM public.user_reports WHERE id = '4f000000-0000-4000-8000-000000000821'),
                  'open - - true', 'a new report is open and unreviewed, whatever the client sent; created_at = app_now()');
-- ---- refreshed myReports (30, newest first) contains it
SELECT pg_temp.eq((SELECT string_agg(target_type || ':' || reason, ',' ORDER BY created_at DESC, id DESC)
                   FROM (SELECT * FROM public.user_reports WHERE reporter_user_id = auth.uid() ORDER BY created_at DESC, id DESC LIMIT 30) q),
                  'comment:harassment,workout:spam', 'myReports: the new report first, then the seeded one');
SELECT pg_temp.eq((SELECT target_user_id FROM public.user_blocks_reports WHERE id = '4f000000-0000-4000-8000-000000000821'),
                  '20000000-0000-4000-8000-000000000005'::uuid, 'user_blocks_reports names the comment''s author');

-- ---- validation
SELECT pg_temp.fails($q$INSERT INTO public.user_reports (reporter_user_id, target_type, target_id, reason) VALUES (auth.uid(), 'profile', '20000000-0000-4000-8000-000000000010', '  ')$q$,
                     '23514', NULL, 'a blank reason is refused (the flow: SOCIAL_REPORT_REASON_REQUIRED)');
SELECT pg_temp.fails($q$INSERT INTO public.user_reports (reporter_user_id, target_type, target_id) VALUES (auth.uid(), 'profile', '20000000-0000-4000-8000-000000000010')$q$,
                     '23502', NULL, 'reason is required');
SELECT pg_temp.fails($q$INSERT INTO public.user_reports (reporter_user_id, target_type, target_id, reason) VALUES (auth.uid(), 'message', '20000000-0000-4000-8000-000000000010', 'x')$q$,
                     '22P02', '%report_target_type%', 'target types are workout, comment, profile, gym');
SELECT pg_temp.fails($q$INSERT INTO public.user_reports (reporter_user_id, target_type, target_id, reason) VALUES ('20000000-0000-4000-8000-000000000005', 'profile', '20000000-0000-4000-8000-000000000010', 'x')$q$,
                     '42501', 'new row violates row-level security policy for table "user_reports"', 'a report is filed only in one''s own name');
-- ---- the reporter cannot review, change or withdraw it
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.user_reports SET status = 'dismissed' WHERE reporter_user_id = auth.uid()$q$), 0::bigint,
                  'the reporter cannot change a report''s status');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.user_reports WHERE reporter_user_id = auth.uid()$q$), 0::bigint, 'nor delete it');

-- ---- nobody else reads it: other members, staff and owners of any gym (departure from reference)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.user_reports$q$), 0::bigint, 'davide (the reported author) reads no reports');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.user_blocks_reports WHERE record_type = 'report'$q$), 0::bigint, 'nor through user_blocks_reports');
SELECT pg_temp.eq(public.report_target_user_id('comment', '40000000-0000-4000-8000-000000000703'), NULL::uuid,
                  'report_target_user_id answers only reporters of that target');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.user_reports$q$), 0::bigint, 'giulia (BZone officer) reads no reports');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.user_reports SET status = 'resolved'$q$), 0::bigint, 'nor updates them');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.user_reports$q$), 0::bigint, 'marco (BZone owner) reads no reports');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.user_reports SET status = 'dismissed'$q$), 0::bigint, 'nor updates them');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000011","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.user_reports$q$), 0::bigint, 'anna (owner of the other gym) reads no reports');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000024","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.user_reports$q$), 2::bigint,
                  'carla (compliance_admin operator, platform.compliance.read since 0060) reads every report');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000025","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.user_reports$q$), 0::bigint,
                  'andy (analyst operator, no platform.compliance.read) reads none');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.user_reports$q$, '42501', 'permission denied for table user_reports', 'anon reads nothing');
SELECT pg_temp.fails($q$SELECT * FROM public.user_blocks_reports$q$, '42501', 'permission denied for view user_blocks_reports', 'nor the view');

-- ---- the service reviews
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.user_reports$q$), 2::bigint, 'service reads every report');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.user_reports SET status = 'reviewing', reviewed_by = '20000000-0000-4000-8000-000000000024', reviewed_at = now()
                                      WHERE id = '4f000000-0000-4000-8000-000000000821'$q$), 1::bigint, 'service moves it to reviewing');
SELECT pg_temp.fails($q$UPDATE public.user_reports SET status = 'closed' WHERE id = '4f000000-0000-4000-8000-000000000821'$q$,
                     '23514', NULL, 'status is one of open, reviewing, resolved, dismissed');
SELECT pg_temp.eq(public.report_target_user_id('workout', '40000000-0000-4000-8000-000000000106'), '20000000-0000-4000-8000-000000000010'::uuid,
                  'service resolves a report target to its user');
SELECT pg_temp.eq((SELECT count(*) FROM public.user_blocks_reports), 3::bigint, 'service sees the block and both reports in the view');

-- ---- the view runs with the caller's rights (00 §5 gap closure)
RESET ROLE;
SELECT pg_temp.ok((SELECT 'security_invoker=true' = ANY (reloptions) FROM pg_class WHERE oid = 'public.user_blocks_reports'::regclass),
                  'user_blocks_reports is security_invoker');

ROLLBACK;
