-- Item 54: admin_get_privacy_ops_metrics returns deterministic open/overdue counters and a bounded measurement
-- window (06 §5.1): window clamped to 1..365 (default 30), boundaries of "overdue" and of the window, scope =
-- requests of users with any membership row in the gym, errors.
-- Seeded BZone requests (T = anchor): davide access submitted (due T+1 d), elena rectify triaged (T+27 d), chiara
-- export submitted + breached (due T-5 d), hanna delete in_progress (T+20 d); history: leo export fulfilled
-- (T-6 d -> T-5 d: 24 h), sara access fulfilled (T-20 d -> T-18 d: 48 h), nico export rejected (T-15 d -> T-14 d: 24 h).

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('kruxt.now', (SELECT a.anchor::text FROM kruxt_internal.seed_anchor a), true);
SELECT set_config('test.t', (SELECT a.anchor::text FROM kruxt_internal.seed_anchor a), true);
CREATE FUNCTION pg_temp.m(p_gym uuid, p_days int) RETURNS text LANGUAGE sql AS $$
    SELECT concat_ws('|', open_requests, overdue_requests, avg_completion_hours, fulfilled_requests_window, rejected_requests_window, measured_window_days)
    FROM public.admin_get_privacy_ops_metrics(p_gym, p_days) $$;
CREATE FUNCTION pg_temp.at(p_offset interval) RETURNS text LANGUAGE sql AS $$
    SELECT set_config('kruxt.now', (current_setting('test.t')::timestamptz + p_offset)::text, true) $$;
GRANT EXECUTE ON FUNCTION pg_temp.m(uuid, int), pg_temp.at(interval) TO authenticated;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);   -- giulia
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', 30), '4|1|32.00|2|1|30',
                  'BZone at T: 4 open, 1 overdue (chiara), window 30 d: 2 fulfilled, 1 rejected, avg (24+48+24)/3 = 32.00 h');
SELECT pg_temp.eq((SELECT gym_id FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001')), '10000000-0000-4000-8000-000000000001'::uuid,
                  'the row names the gym');
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', NULL), '4|1|32.00|2|1|30', 'null window = 30');
SELECT pg_temp.eq((SELECT concat_ws('|', open_requests, measured_window_days) FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001')),
                  '4|30', 'default window 30');
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', 10), '4|1|24.00|1|0|10', 'window 10 d: only leo');
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', 16), '4|1|24.00|1|1|16', 'window 16 d: leo and nico');
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', 0), '4|1|0.00|0|0|1', 'window 0 -> 1 d: no history, average 0');
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', -7), '4|1|0.00|0|0|1', 'negative -> 1');
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', 100000), '4|1|32.00|2|1|365', 'huge -> 365');
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', 30), pg_temp.m('10000000-0000-4000-8000-000000000001', 30), 'deterministic');
-- window boundary: submitted_at >= now - window (leo was submitted exactly 6 d before T)
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', 6), '4|1|24.00|1|0|6', 'submitted exactly window days ago is inside');
SELECT pg_temp.at(interval '1 second');
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', 6), '4|1|0.00|0|0|6', 'one second later it is outside');
-- overdue boundary: due_at < now (davide is due at T+1 d)
SELECT pg_temp.at(interval '1 day');
SELECT pg_temp.eq(split_part(pg_temp.m('10000000-0000-4000-8000-000000000001', 30), '|', 2), '1', 'due exactly now: not overdue yet');
SELECT pg_temp.at(interval '1 day 1 second');
SELECT pg_temp.eq(split_part(pg_temp.m('10000000-0000-4000-8000-000000000001', 30), '|', 2), '2', 'a second later: overdue');
SELECT pg_temp.at(interval '0');

-- ---- scope: requests of users with any membership row (nico's is cancelled), legacy in_review counts as open
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.privacy_requests (user_id, request_type, status, submitted_at, due_at, sla_breached_at)
VALUES ('20000000-0000-4000-8000-000000000009', 'access', 'in_review', public.app_now() - interval '2 days', public.app_now() + interval '28 days', NULL),
       ('20000000-0000-4000-8000-000000000014', 'export', 'submitted', public.app_now(), public.app_now() + interval '30 days', NULL),
       ('20000000-0000-4000-8000-000000000013', 'delete', 'submitted', public.app_now(), public.app_now() - interval '1 hour', NULL);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000001', 30), '5|1|32.00|2|1|30',
                  'nico''s in_review request counts (cancelled membership row, legacy open status); jake (no gym) and fede (other gym) do not');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);   -- marta, WZ coach
SELECT pg_temp.eq(pg_temp.m('10000000-0000-4000-8000-000000000002', 30), '1|1|0.00|0|0|30', 'Wellness Zone: fede''s overdue request only');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001')$q$, 'KX403', 'Gym staff access is required',
                     'staff of the other gym are refused');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001')$q$, 'KX403', 'Gym staff access is required',
                     'members are refused');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000024","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001')$q$, 'KX403', 'Gym staff access is required',
                     'platform operators are no gym staff');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001')$q$, 'KX401', 'Authentication required', 'anon');

ROLLBACK;
