-- KRUXT demo seed, area 08 (99 §12): rollout cohorts, the Pavia readiness checklist (10 of 14 items complete with
-- evidence, invites closed), the three Pending weekly KPI board rows, one passing expansion review (2026-03-13 only,
-- so expansion_allowed() is false), and scheduler runs: a succeeded privacy_request_processor, a succeeded
-- sync_dispatcher (both within 24 h of T) and a failed rank_recompute_weekly, whose alert issue the
-- ops_scheduler_runs trigger opens. The KPI definitions, playbook steps and expansion criteria are catalogues shipped
-- with migration 0080.
--
-- Runs after every migration, as a superuser; rows are written as service_role with service claims. Dates of the
-- rollout plan are the spec's absolute dates (Europe/Rome); evidence and run times are relative to T.
--
-- Fixed ids (type digit 9 = rollout, 99 §1): 90000000-0000-4000-8000-0000000001NN checklist items (NN = sort order),
-- ...-0000000002NN KPI weekly reviews, ...-0000000003NN expansion reviews, ...-0000000004NN scheduler runs. Cohorts are
-- keyed by text (pavia, us_eu_canary); the alert issue has a random id.
-- Open Pavia items: privacy_flow_e2e, booking_waitlist_checkin_validated, incident_drill_validated,
-- flag_rollback_verified. On the full demo data the automatic checks of the first, second and fourth fail;
-- incident_drill_validated's passes (08 §2: a drill notification job completed within 30 days), because the area 06
-- seed (0060, 99 §10) completes a drill job at T-19 h 50. The item stays open all the same: completing it needs
-- evidence, and 99 §12 has 10 of 14 items complete.

SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

INSERT INTO public.rollout_cohorts (cohort_key, name, region, gym_ids, status, invites_enabled, readiness_freeze_at,
                                    launch_window_start, launch_window_end, release_locales, metadata, created_at, updated_at)
VALUES
    ('pavia', 'Pavia closed beta', 'IT',
     ARRAY['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002']::uuid[], 'planned', false,
     '2026-02-27T00:00:00+01:00', '2026-03-02T00:00:00+01:00', '2026-03-08T23:59:59+01:00', ARRAY['en-US', 'it-IT'],
     '{"pilot_city":"Pavia"}', kruxt_internal.seed_at(-30), kruxt_internal.seed_at(-30)),
    ('us_eu_canary', 'US + EU canary', 'US+EU', '{}', 'planned', false,
     NULL, NULL, NULL, ARRAY['en-US', 'it-IT'],
     '{"decision_window_start":"2026-03-16","decision_window_end":"2026-03-20"}', kruxt_internal.seed_at(-30), kruxt_internal.seed_at(-30));

INSERT INTO public.rollout_checklist_items (id, cohort_key, group_key, item_key, label, required, owner_label, auto_check,
                                            completed_at, completed_by, evidence_note, evidence_url, sort_order,
                                            created_at, updated_at)
SELECT format('90000000-0000-4000-8000-0000000001%s', lpad(i.n::text, 2, '0'))::uuid, 'pavia', i.group_key, i.item_key,
       i.label, true, i.owner_label, i.auto_check,
       CASE WHEN i.done_days IS NOT NULL THEN kruxt_internal.seed_at(i.done_days) END,
       CASE WHEN i.done_days IS NOT NULL THEN '20000000-0000-4000-8000-000000000021'::uuid END,
       i.note, i.url, i.n, kruxt_internal.seed_at(-30), coalesce(kruxt_internal.seed_at(i.done_days), kruxt_internal.seed_at(-30))
FROM (VALUES
    ( 1, 'product_ops', 'billing_live_off', 'Billing stays off for pilot gyms', 'Ops lead',
     'feature_flag_disabled:billing_live', -6, 'billing_live verified disabled in the flag console.', NULL),
    ( 2, 'product_ops', 'privacy_flow_e2e', 'Privacy request tested submit -> triage -> fulfil/reject', 'Compliance lead',
     'privacy_requests_fulfilled_and_rejected', NULL, NULL, NULL),
    ( 3, 'product_ops', 'compliance_sla_badges', 'Compliance queue shows SLA badges and metrics for pilot gyms', 'Compliance lead',
     NULL, -5, 'Screenshots of the queue with breached / at-risk / on-track badges.', 'https://kruxt.invalid/evidence/sla-badges'),
    ( 4, 'product_ops', 'runbook_owner_assigned', 'Runbook owner for every staffed day', 'Ops lead',
     NULL, -5, 'Rota shared with BZone and Wellness Zone staff.', NULL),
    ( 5, 'product_ops', 'booking_waitlist_checkin_validated', 'Booking, waitlist and check-in validated with staff', 'Ops lead',
     'pilot_gyms_waitlist_promotion_and_checkin', NULL, NULL, NULL),
    ( 6, 'reliability_security', 'schedulers_configured', 'Privacy processor and sync dispatcher scheduled', 'Platform lead',
     'scheduler_runs_24h:privacy_request_processor,sync_dispatcher', -0.5, 'Both jobs ran on schedule in the last day.', NULL),
    ( 7, 'reliability_security', 'incident_drill_validated', 'Incident notifier drill validated', 'Security lead',
     'incident_drill_notification_30d', NULL, NULL, NULL),
    ( 8, 'reliability_security', 'audit_integrity_pass', 'Audit chain healthy', 'Security lead',
     'audit_log_integrity_summary:5000', -1, 'Integrity summary healthy over the latest 5000 rows.', NULL),
    ( 9, 'reliability_security', 'flag_rollback_verified', 'Flag rollback path verified', 'Platform lead',
     'rollback_step_2_completed', NULL, NULL, NULL),
    (10, 'reliability_security', 'error_alerts_configured', 'Error budget alerts for API and edge failures', 'Platform lead',
     NULL, -4, 'Alert rules for 5xx rate and job failures created.', 'https://kruxt.invalid/evidence/alerts'),
    (11, 'support_launch', 'support_rotation_documented', 'Support owner and escalation contacts documented', 'Support lead',
     NULL, -4, 'Support rotation and escalation contacts published.', NULL),
    (12, 'support_launch', 'onboarding_guide_sent', 'Operator onboarding guide sent', 'Support lead',
     NULL, -3, 'Guide sent to both gym owners.', NULL),
    (13, 'support_launch', 'known_issues_prepared', 'First-week known-issues list prepared', 'Support lead',
     NULL, -3, 'Known issues: Garmin backfill delay, waitlist notification wording.', NULL),
    (14, 'support_launch', 'launch_standup_confirmed', 'Daily launch standup schedule confirmed', 'Ops lead',
     NULL, -2, 'Standup at 09:30 Europe/Rome during the launch window.', NULL)
) AS i(n, group_key, item_key, label, owner_label, auto_check, done_days, note, url);

INSERT INTO public.kpi_weekly_reviews (id, cohort_key, week_of, metrics, computed_gate_status, gate_status, created_at, updated_at)
VALUES
    ('90000000-0000-4000-8000-000000000201', 'pavia', '2026-03-06', '{}', 'Pending', 'Pending', kruxt_internal.seed_at(-30), kruxt_internal.seed_at(-30)),
    ('90000000-0000-4000-8000-000000000202', 'pavia', '2026-03-13', '{}', 'Pending', 'Pending', kruxt_internal.seed_at(-30), kruxt_internal.seed_at(-30)),
    ('90000000-0000-4000-8000-000000000203', 'pavia', '2026-03-20', '{}', 'Pending', 'Pending', kruxt_internal.seed_at(-30), kruxt_internal.seed_at(-30));

INSERT INTO public.expansion_reviews (id, week_of, results, all_passed, reviewed_by, reviewed_at, notes, created_at, updated_at)
VALUES ('90000000-0000-4000-8000-000000000301', '2026-03-13',
        '{"pavia_gate_pass":true,"sync_success_95":true,"no_stale_sla_breach":true,"support_sla_met":true,"no_open_sev1":true,"legal_copy_coverage":true}',
        true, '20000000-0000-4000-8000-000000000021', kruxt_internal.seed_at(0), 'First passing week (seeded).',
        kruxt_internal.seed_at(0), kruxt_internal.seed_at(0));

INSERT INTO public.ops_scheduler_runs (id, job_name, run_key, trigger, started_at, finished_at, status, exit_code, http_status,
                                       report, artifact_name, run_url, created_at)
VALUES
    ('90000000-0000-4000-8000-000000000401', 'privacy_request_processor', 'privacy-seed-0001', 'schedule',
     kruxt_internal.seed_at(-1.0 / 24), kruxt_internal.seed_at(-0.95 / 24), 'succeeded', 0, 200,
     '{"triagedCount":0,"overdueMarkedCount":0,"triagedRequestIds":[],"overdueRequestIds":[]}', NULL,
     'https://kruxt.invalid/ops/scheduler-runs/privacy-seed-0001', kruxt_internal.seed_at(-0.95 / 24)),
    ('90000000-0000-4000-8000-000000000402', 'sync_dispatcher', 'sync-seed-0001', 'schedule',
     kruxt_internal.seed_at(-1.0 / 24), kruxt_internal.seed_at(-0.97 / 24), 'succeeded', 0, 200,
     '{"scannedCount":1,"processedCount":1,"retriedCount":0,"failedCount":0}', NULL,
     'https://kruxt.invalid/ops/scheduler-runs/sync-seed-0001', kruxt_internal.seed_at(-0.97 / 24)),
    ('90000000-0000-4000-8000-000000000403', 'rank_recompute_weekly', 'rank-seed-0001', 'schedule',
     kruxt_internal.seed_at(-5.0 / 24), kruxt_internal.seed_at(-4.95 / 24), 'failed', 1, 200,
     jsonb_build_object(
         'status', 'failed', 'requestedAt', kruxt_internal.iso_utc(kruxt_internal.seed_at(-5.0 / 24)),
         'endpoint', 'crysknife kruxt rank-recompute-weekly',
         'requestBody', '{"timeframe":"weekly","limit":200,"determinismProbeCount":3}'::jsonb,
         'httpStatus', 200, 'scannedCount', 3, 'rebuiltCount', 2, 'failedCount', 1,
         'determinismProbeCount', 2, 'determinismMismatchCount', 0,
         'response', jsonb_build_object(
             'timeframe', 'weekly', 'scannedCount', 3, 'rebuiltCount', 2, 'failedCount', 1,
             'determinismProbeCount', 2, 'requestedDeterminismProbeCount', 3, 'determinismMismatchCount', 0,
             'leaderboardIds', '["60000000-0000-4000-8000-000000000301","60000000-0000-4000-8000-000000000304"]'::jsonb,
             'failures', '[{"leaderboardId":"60000000-0000-4000-8000-000000000302","error":"Leaderboard rebuild fault injected"}]'::jsonb,
             'determinismFailures', '[]'::jsonb)),
     'rank-recompute-report-rank-seed-0001', 'https://kruxt.invalid/ops/scheduler-runs/rank-seed-0001',
     kruxt_internal.seed_at(-4.95 / 24));

SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;
