-- Item 66: the weekly KPI board is updated on cadence with an explicit gate outcome (Pass, Conditional, Fail) (08 §3):
-- compute_kpi_gate_status, compute_weekly_kpis (the eight KPIs on a constructed week), record_kpi_weekly_review
-- (explicit outcome only; incomplete metrics, non-Friday weeks refused), kpi_review_cadence_gaps and the console's
-- overdue flag. Seed: pavia board rows 2026-03-06, 2026-03-13, 2026-03-20, all Pending.
-- The constructed week W is the Friday week 5 weeks after T (no seeded data), its launch week L = W - 21 days.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;
CREATE TEMP TABLE wk (w date, l date, ws timestamptz) ON COMMIT DROP;
GRANT ALL ON wk TO PUBLIC;
INSERT INTO wk SELECT w, w - 21, ((w - 6)::timestamp) AT TIME ZONE 'Europe/Rome'
FROM (SELECT kruxt_internal.friday_on_or_before(((SELECT anchor FROM kruxt_internal.seed_anchor) AT TIME ZONE 'Europe/Rome')::date + 35) AS w) AS x;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ================================================================ gate outcomes
CREATE TEMP TABLE m (metrics jsonb) ON COMMIT DROP;
INSERT INTO m VALUES ('{"repeat_rate":45,"feed_interactions_per_active":3.0,"booking_completion":70,"w4_retention":25,"chain_survival":40,
                       "staff_wau":60,"sync_success":95,"sev1_incidents":0}');
SELECT pg_temp.eq(public.compute_kpi_gate_status((SELECT metrics FROM m), false), 'Pass'::public.kpi_gate_status, 'every KPI exactly at its threshold: Pass');
SELECT pg_temp.eq(public.compute_kpi_gate_status((SELECT metrics - 'staff_wau' FROM m), true), 'Pending'::public.kpi_gate_status, 'a missing KPI: Pending');
SELECT pg_temp.eq(public.compute_kpi_gate_status((SELECT metrics || '{"staff_wau":null}' FROM m), true), 'Pending'::public.kpi_gate_status, 'a null KPI: Pending');
SELECT pg_temp.eq(public.compute_kpi_gate_status((SELECT metrics || '{"staff_wau":"60"}' FROM m), true), 'Pending'::public.kpi_gate_status,
                  'a KPI that is not a number counts as missing');
SELECT pg_temp.eq(public.compute_kpi_gate_status((SELECT metrics || '{"repeat_rate":44.9}' FROM m), true), 'Conditional'::public.kpi_gate_status,
                  'one non-critical miss with accepted mitigation: Conditional');
SELECT pg_temp.eq(public.compute_kpi_gate_status((SELECT metrics || '{"repeat_rate":44.9}' FROM m), false), 'Fail'::public.kpi_gate_status,
                  'one non-critical miss without mitigation: Fail');
SELECT pg_temp.eq(public.compute_kpi_gate_status((SELECT metrics || '{"sync_success":94.9}' FROM m), true), 'Fail'::public.kpi_gate_status,
                  'a critical miss fails even with mitigation');
SELECT pg_temp.eq(public.compute_kpi_gate_status((SELECT metrics || '{"sev1_incidents":1}' FROM m), true), 'Fail'::public.kpi_gate_status,
                  'sev1_incidents must equal 0 (critical)');
SELECT pg_temp.eq(public.compute_kpi_gate_status((SELECT metrics || '{"repeat_rate":10,"chain_survival":10}' FROM m), true), 'Fail'::public.kpi_gate_status,
                  'two misses fail even with mitigation');
SELECT pg_temp.eq(public.compute_kpi_gate_status('[]', true), 'Pending'::public.kpi_gate_status, 'not an object: Pending');

-- ================================================================ recording a review: explicit outcomes only
SELECT pg_temp.fails($q$SELECT public.record_kpi_weekly_review('pavia', '2026-03-12', (SELECT metrics FROM m))$q$, 'KX422',
                     'KPI reviews are recorded per Friday week', 'a Thursday is refused');
SELECT pg_temp.fails($q$SELECT public.record_kpi_weekly_review('pavia', '2026-03-13', (SELECT metrics - 'w4_retention' FROM m))$q$, 'KX422',
                     'KPI review requires all gate metrics', 'incomplete metrics cannot be saved');
SELECT pg_temp.fails($q$SELECT public.record_kpi_weekly_review('pavia', '2026-03-13', '[1]')$q$, 'KX422', 'KPI metrics must be a JSON object', 'metrics must be an object');
SELECT pg_temp.fails($q$SELECT public.record_kpi_weekly_review('nowhere', '2026-03-13', (SELECT metrics FROM m))$q$, 'KX404', 'Rollout cohort not found', 'unknown cohort');
SELECT pg_temp.eq((SELECT gate_status || ' ' || computed_gate_status || ' ' || (reviewed_at IS NULL) FROM public.kpi_weekly_reviews WHERE id = '90000000-0000-4000-8000-000000000202'),
                  'Pending Pending true', 'the refusals left the seeded row Pending');
SELECT pg_temp.eq((SELECT id || ' ' || gate_status || ' ' || computed_gate_status || ' ' || missed_kpis::text || ' ' || (reviewed_at = public.app_now())
                   FROM public.record_kpi_weekly_review('pavia', '2026-03-13', (SELECT metrics FROM m))),
                  '90000000-0000-4000-8000-000000000202 Pass Pass {} true', 'a complete passing week: upserted onto the seeded row as Pass');
SELECT pg_temp.eq((SELECT gate_status || ' ' || missed_kpis::text || ' ' || (mitigation_accepted_by IS NULL)
                   FROM public.record_kpi_weekly_review('pavia', '2026-03-13', (SELECT metrics || '{"booking_completion":69.9}' FROM m), 'too short')),
                  'Fail {booking_completion} true', 'a mitigation note under 10 characters is not accepted: Fail');
SELECT pg_temp.eq((SELECT gate_status || ' ' || mitigation_note FROM public.record_kpi_weekly_review('pavia', '2026-03-13',
                       (SELECT metrics || '{"booking_completion":69.9}' FROM m), ' Waitlist UX fix ships Monday ')),
                  'Conditional Waitlist UX fix ships Monday', 'an accepted mitigation (>= 10 characters): Conditional');
SELECT pg_temp.eq((SELECT count(*) FROM public.kpi_weekly_reviews WHERE cohort_key = 'pavia' AND week_of = '2026-03-13'), 1::bigint, 'one row per cohort week');
SELECT pg_temp.eq((SELECT string_agg(metadata ->> 'gate_status', ',' ORDER BY append_seq) FROM public.audit_logs WHERE action = 'rollout.kpi_review_recorded'),
                  'Pass,Fail,Conditional', 'each review is audited with its outcome');
SELECT pg_temp.ok(NOT EXISTS (SELECT 1 FROM public.kpi_weekly_reviews WHERE reviewed_at IS NOT NULL AND gate_status = 'Pending'),
                  'no recorded review is Pending');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.record_kpi_weekly_review('pavia', '2026-03-20', '{}')$q$, 'KX403', 'Access denied', 'non-operators cannot record');
SELECT pg_temp.fails($q$SELECT public.compute_weekly_kpis('pavia', '2026-03-20')$q$, 'KX403', 'Access denied', 'nor compute');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ================================================================ cadence
SELECT pg_temp.eq((SELECT string_agg(week_of::text, ',') FROM public.kpi_review_cadence_gaps('pavia', NULL, '2026-03-27')),
                  '2026-03-06,2026-03-20,2026-03-27', 'gaps: Fridays from the launch week without a recorded review (03-13 is recorded)');
SELECT pg_temp.eq((SELECT string_agg(week_of::text, ',') FROM public.kpi_review_cadence_gaps('pavia', '2026-03-10', '2026-03-20')), '2026-03-20',
                  'from a later date: the first Friday on or after it');
SELECT pg_temp.eq((SELECT string_agg(week_of::text, ',') FROM public.kpi_review_cadence_gaps('pavia', '2026-01-01', '2026-03-06')), '2026-03-06',
                  'never before the launch week');
SELECT pg_temp.eq((SELECT count(*) FROM public.kpi_review_cadence_gaps('us_eu_canary')), 0::bigint, 'a cohort without launch window has no cadence');
SELECT pg_temp.eq((SELECT jsonb_build_object('first', s -> 'cadence' -> 'missingWeeks' -> 0, 'overdue', s -> 'cadence' -> 'overdue')
                   FROM (SELECT public.rollout_console_snapshot() AS s) AS x),
                  '{"first":{"cohortKey":"pavia","weekOf":"2026-03-06"},"overdue":true}'::jsonb,
                  'the console flags the board overdue: the launch week''s Friday has passed without a review');

-- ================================================================ the eight KPIs on a constructed week
UPDATE public.rollout_cohorts
SET launch_window_start = ((SELECT l - 4 FROM wk)::timestamp) AT TIME ZONE 'Europe/Rome',
    launch_window_end = ((SELECT l + 3 FROM wk)::timestamp) AT TIME ZONE 'Europe/Rome'
WHERE cohort_key = 'pavia';
-- workouts: launch week sara, davide, elena; week W sara x2, davide, chiara (jake is not a cohort user)
INSERT INTO public.workouts (id, user_id, gym_id, title, started_at)
SELECT format('4f000000-0000-4000-8000-0000000006%s', w.nn)::uuid, w.u::uuid, '10000000-0000-4000-8000-000000000001', 'KPI ' || w.nn,
       CASE WHEN w.launch THEN ((SELECT l - 1 FROM wk)::timestamp + interval '10 hours') AT TIME ZONE 'Europe/Rome'
            ELSE (SELECT ws FROM wk) + w.at::interval END
FROM (VALUES ('01', '20000000-0000-4000-8000-000000000004', true, '0'), ('02', '20000000-0000-4000-8000-000000000005', true, '0'),
             ('03', '20000000-0000-4000-8000-000000000006', true, '0'),
             ('04', '20000000-0000-4000-8000-000000000004', false, '0 seconds'), ('05', '20000000-0000-4000-8000-000000000004', false, '6 days 23 hours'),
             ('06', '20000000-0000-4000-8000-000000000005', false, '2 days'), ('07', '20000000-0000-4000-8000-000000000008', false, '3 days'),
             ('08', '20000000-0000-4000-8000-000000000014', false, '3 days'), ('09', '20000000-0000-4000-8000-000000000010', false, '7 days')
) AS w(nn, u, launch, at);
UPDATE public.profiles SET chain_days = CASE username WHEN 'sara_conti' THEN 10 WHEN 'davide_romano' THEN 3 WHEN 'chiara_gallo' THEN 7 ELSE chain_days END;
-- interactions in the week: 4 comments by sara, 3 reactions by cohort users, 1 by jake (not counted)
INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type, comment_text, created_at)
SELECT '4f000000-0000-4000-8000-000000000604', i.u::uuid, i.t::public.social_interaction_type, i.r::public.reaction_type, i.c, (SELECT ws FROM wk) + interval '1 day'
FROM (VALUES ('20000000-0000-4000-8000-000000000004', 'comment', NULL, 'one'), ('20000000-0000-4000-8000-000000000004', 'comment', NULL, 'two'),
             ('20000000-0000-4000-8000-000000000004', 'comment', NULL, 'three'), ('20000000-0000-4000-8000-000000000004', 'comment', NULL, 'four'),
             ('20000000-0000-4000-8000-000000000005', 'reaction', 'fire', NULL), ('20000000-0000-4000-8000-000000000008', 'reaction', 'fist', NULL),
             ('20000000-0000-4000-8000-000000000010', 'reaction', 'clap', NULL), ('20000000-0000-4000-8000-000000000014', 'reaction', 'crown', NULL)
) AS i(u, t, r, c);
-- bookings created in the week: 3 booked/attended of 4, plus 1 expired waitlist entry -> 3 / 5
INSERT INTO public.gym_classes (id, gym_id, title, capacity, starts_at, ends_at)
VALUES ('3f000000-0000-4000-8000-000000000601', '10000000-0000-4000-8000-000000000001', 'KPI class', 4,
        (SELECT ws FROM wk) + interval '5 days', (SELECT ws FROM wk) + interval '5 days 1 hour');
INSERT INTO public.class_bookings (class_id, user_id, status, booked_at)
SELECT '3f000000-0000-4000-8000-000000000601', b.u::uuid, b.s::public.booking_status, (SELECT ws FROM wk) + interval '1 day'
FROM (VALUES ('20000000-0000-4000-8000-000000000004', 'booked'), ('20000000-0000-4000-8000-000000000005', 'attended'),
             ('20000000-0000-4000-8000-000000000008', 'booked'), ('20000000-0000-4000-8000-000000000010', 'cancelled')) AS b(u, s);
INSERT INTO public.class_waitlist (class_id, user_id, position, status, created_at) VALUES
    ('3f000000-0000-4000-8000-000000000601', '20000000-0000-4000-8000-000000000015', 1, 'expired', (SELECT ws FROM wk) + interval '1 day'),
    ('3f000000-0000-4000-8000-000000000601', '20000000-0000-4000-8000-000000000016', 2, 'pending', (SELECT ws FROM wk) + interval '1 day');
-- staff writes in the week: giulia (audit), luca (time entry), marta (check-in); marco and anna none -> 3 / 5
INSERT INTO public.audit_logs (actor_user_id, actor_role, action, created_at)
VALUES ('20000000-0000-4000-8000-000000000002', 'authenticated', 'kpi.test_write', (SELECT ws FROM wk) + interval '2 days');
INSERT INTO public.staff_time_entries (gym_id, staff_user_id, clock_in_at)
VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', (SELECT ws FROM wk) + interval '3 days 8 hours');
INSERT INTO public.gym_checkins (gym_id, user_id, event_type, result, created_by, created_at)
VALUES ('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000013', 'frontdesk_checkin', 'allowed',
        '20000000-0000-4000-8000-000000000012', (SELECT ws FROM wk) + interval '4 days');
-- sync jobs of cohort users finished in the week: 19 succeeded, 1 failed -> 95.0 (a failed job of jake is not counted)
INSERT INTO public.device_sync_jobs (connection_id, status, finished_at)
SELECT 'd0000000-0000-4000-8000-000000000101', CASE WHEN i = 20 THEN 'failed' ELSE 'succeeded' END::public.sync_job_status,
       (SELECT ws FROM wk) + make_interval(hours => i)
FROM generate_series(1, 20) AS i;
INSERT INTO public.device_sync_jobs (connection_id, status, finished_at)
VALUES ('d0000000-0000-4000-8000-000000000104', 'failed', (SELECT ws FROM wk) + interval '1 day');

SELECT pg_temp.eq(public.compute_weekly_kpis('pavia', (SELECT w FROM wk)),
                  '{"repeat_rate":33.3,"feed_interactions_per_active":2.3,"booking_completion":60.0,"w4_retention":66.7,
                    "chain_survival":66.7,"staff_wau":60.0,"sync_success":95.0,"sev1_incidents":0}'::jsonb,
                  'the eight KPIs of the week (1 decimal): repeat 1/3, interactions 7/3, bookings 3/5, w4 2/3, chain 2/3, staff 3/5, sync 19/20, sev1 0');
SELECT pg_temp.eq((SELECT gate_status || ' ' || missed_kpis::text FROM public.record_kpi_weekly_review('pavia', (SELECT w FROM wk))),
                  'Fail {repeat_rate,feed_interactions_per_active,booking_completion}', 'recorded from the computed metrics: three misses -> Fail');
SELECT pg_temp.eq((SELECT metrics FROM public.kpi_weekly_reviews WHERE cohort_key = 'pavia' AND week_of = (SELECT w FROM wk)),
                  public.compute_weekly_kpis('pavia', (SELECT w FROM wk)), 'the stored metrics are the computed ones');
SELECT pg_temp.eq((public.compute_weekly_kpis('pavia', (SELECT w - 7 FROM wk)) - 'sync_success' - 'sev1_incidents' - 'booking_completion' - 'staff_wau'),
                  '{"repeat_rate":null,"feed_interactions_per_active":null,"w4_retention":0.0,"chain_survival":null}'::jsonb,
                  'an empty week: ratios without a denominator are null (its review stays unrecordable), w4 = 0 of 3');
SELECT pg_temp.eq((public.compute_weekly_kpis('pavia', (SELECT w - 7 FROM wk)) ->> 'sync_success'), '100.0', 'no finished sync job: sync_success 100');
SELECT pg_temp.fails($q$SELECT public.record_kpi_weekly_review('pavia', (SELECT w - 7 FROM wk))$q$, 'KX422', 'KPI review requires all gate metrics',
                     'that empty week cannot be recorded');
SELECT pg_temp.eq((SELECT jsonb_agg(p.value ->> 'kpiKey' ORDER BY p.ordinality) FILTER (WHERE NOT (p.value ->> 'passed')::boolean)
                   FROM jsonb_array_elements(public.rollout_console_snapshot() -> 'weeklyBoard') AS b(k),
                        jsonb_array_elements(b.k -> 'perKpi') WITH ORDINALITY AS p
                   WHERE b.k ->> 'weekOf' = (SELECT w FROM wk)::text),
                  '["repeat_rate","feed_interactions_per_active","booking_completion"]'::jsonb, 'the console''s perKpi shows the same misses');

ROLLBACK;
