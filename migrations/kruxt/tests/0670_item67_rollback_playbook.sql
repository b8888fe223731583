-- Item 67: the incident rollback playbook has ordered flag rollback actions and a communication SLA (08 §4):
-- rollback_playbook_steps, rollback_trigger_conditions, start_rollback, complete_rollback_step (order, per-step
-- rules, drills), flags_rollback.
-- security_incidents belongs to area 06: when it does not exist yet, this test creates a stand-in with the spec's
-- columns (rolled back); otherwise it writes incidents with the spec's columns.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;
DO $stand_in$
BEGIN
    IF to_regclass('public.security_incidents') IS NULL THEN
        CREATE TABLE public.security_incidents (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(), gym_id uuid, title text NOT NULL, severity text NOT NULL DEFAULT 'high',
            status text NOT NULL DEFAULT 'detected', drill_mode boolean NOT NULL DEFAULT true, requires_ftc_notice boolean NOT NULL DEFAULT false,
            requires_gdpr_notice boolean NOT NULL DEFAULT true, detected_at timestamptz NOT NULL DEFAULT public.app_now(), resolved_at timestamptz);
        ALTER TABLE public.security_incidents OWNER TO kruxt_owner;   -- as area 06 will own it
        GRANT ALL ON public.security_incidents TO service_role;
    END IF;
END
$stand_in$;

-- ================================================================ the playbook
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(step_order || ':' || action_key, ',' ORDER BY step_order) FROM public.rollback_playbook_steps),
                  '1:freeze_invites,2:disable_risky_flags,3:keep_privacy_online,4:safe_fallback_ui,5:publish_incident_note,6:root_cause_capture,7:reopen_gate_review',
                  'seven steps in order');
SELECT pg_temp.eq((SELECT flag_keys FROM public.rollback_playbook_steps WHERE step_order = 2),
                  '{public_feed_boost_enabled,provider_fitbit_enabled,provider_oura_enabled,ml_recommendations_enabled}'::text[], 'step 2 rolls back the risky flags');
SELECT pg_temp.eq((SELECT flag_keys FROM public.rollback_playbook_steps WHERE step_order = 3),
                  '{privacy_requests_enabled,consent_capture_enabled}'::text[], 'step 3 keeps privacy and consent online');
SELECT pg_temp.eq((SELECT string_agg(step_order || ':' || sla_minutes, ',') FROM public.rollback_playbook_steps WHERE sla_minutes IS NOT NULL), '5:30',
                  'communication SLA: 30 minutes, on the incident note');

-- ================================================================ access
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.start_rollback('pavia', 'sev1_over_30m')$q$, 'KX403', 'Access denied', 'non-operators cannot start a rollback');
SELECT pg_temp.fails($q$SELECT * FROM public.rollback_trigger_conditions()$q$, 'KX403', 'Access denied', 'nor read the trigger conditions');
SELECT pg_temp.fails($q$SELECT public.flags_rollback('pavia')$q$, 'KX403', 'Access denied', 'nor run the flags shortcut');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ================================================================ trigger conditions
SELECT pg_temp.eq((SELECT string_agg(reason || ':' || active, ',') FROM public.rollback_trigger_conditions()), 'sev1_over_30m:false,critical_kpi_fail:false',
                  'at T no trigger condition holds');
SELECT public.record_kpi_weekly_review('pavia', '2026-03-13', '{"repeat_rate":50,"feed_interactions_per_active":3,"booking_completion":80,"w4_retention":30,
                                                                "chain_survival":50,"staff_wau":70,"sync_success":90,"sev1_incidents":0}');
SELECT pg_temp.eq((SELECT active || ' ' || detail FROM public.rollback_trigger_conditions() WHERE reason = 'critical_kpi_fail'),
                  'true latest review failed on a critical KPI: pavia 2026-03-13: sync_success', 'critical_kpi_fail: the latest review missed sync_success');
SELECT public.record_kpi_weekly_review('pavia', '2026-03-20', '{"repeat_rate":50,"feed_interactions_per_active":3,"booking_completion":80,"w4_retention":30,
                                                                "chain_survival":50,"staff_wau":70,"sync_success":99,"sev1_incidents":0}');
SELECT pg_temp.eq((SELECT active FROM public.rollback_trigger_conditions() WHERE reason = 'critical_kpi_fail'), false, 'a later passing review clears it');
INSERT INTO public.security_incidents (id, gym_id, title, severity, status, drill_mode, requires_ftc_notice, requires_gdpr_notice, detected_at) VALUES
    ('7f000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000001', 'Door controller outage', 'critical', 'investigating', false, false, false,
     public.app_now() - interval '31 minutes'),
    ('7f000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001', 'Drill', 'critical', 'investigating', true, false, false,
     public.app_now() - interval '2 hours'),
    ('7f000000-0000-4000-8000-000000000003', NULL, 'Fresh', 'critical', 'detected', false, false, false, public.app_now() - interval '29 minutes');
SELECT pg_temp.eq((SELECT active || ' ' || detail FROM public.rollback_trigger_conditions() WHERE reason = 'sev1_over_30m'),
                  'true 1 open non-drill critical incident(s) older than 30 minutes', 'sev1_over_30m: drills and incidents under 30 minutes do not count');

-- ================================================================ a rollback in order
UPDATE public.rollout_checklist_items SET completed_at = public.app_now(), evidence_note = coalesce(evidence_note, 'test') WHERE cohort_key = 'pavia';
SELECT public.open_cohort_invites('pavia');
UPDATE public.feature_flags SET enabled = true, rollout_percentage = 50 WHERE key = 'public_feed_boost_enabled';
SELECT pg_temp.fails($q$SELECT public.start_rollback('pavia', '  ')$q$, 'KX422', 'Rollback trigger reason is required', 'a reason is required');
SELECT pg_temp.fails($q$SELECT public.start_rollback('nowhere', 'x')$q$, 'KX404', 'Rollout cohort not found', 'unknown cohort');
INSERT INTO ctx SELECT 'exec', to_jsonb(e) FROM public.start_rollback('pavia', 'sev1_over_30m', '7f000000-0000-4000-8000-000000000001') AS e;
SELECT pg_temp.eq((SELECT (v ->> 'trigger_reason') || ' ' || (v ->> 'security_incident_id') || ' ' || (v -> 'steps')::text || ' ' || (v ->> 'is_drill')
                   FROM ctx WHERE k = 'exec'), 'sev1_over_30m 7f000000-0000-4000-8000-000000000001 [] false', 'start_rollback: an execution without steps');
SELECT pg_temp.fails($q$SELECT public.start_rollback('pavia', 'critical_kpi_fail')$q$, 'KX409', 'A rollback is already in progress for this cohort',
                     'one execution in progress per cohort');
SELECT pg_temp.fails(format($q$SELECT public.complete_rollback_step(%L, 2)$q$, (SELECT v ->> 'id' FROM ctx WHERE k = 'exec')), 'KX409',
                     'Rollback steps must be completed in order', 'step 2 before step 1 is refused');
SELECT pg_temp.fails(format($q$SELECT public.complete_rollback_step(%L, 8)$q$, (SELECT v ->> 'id' FROM ctx WHERE k = 'exec')), 'KX404',
                     'Rollback step not found', 'no step 8');
SELECT pg_temp.fails($q$SELECT public.complete_rollback_step('7f000000-0000-4000-8000-000000009999', 1)$q$, 'KX404', 'Rollback execution not found', 'unknown execution');

-- step 1: invites frozen
SELECT public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'exec'), 1, 'Invites frozen');
SELECT pg_temp.eq((SELECT string_agg(cohort_key || ':' || invites_enabled || ':' || status, ',' ORDER BY cohort_key) FROM public.rollout_cohorts),
                  'pavia:false:paused,us_eu_canary:false:paused', 'step 1: every cohort''s invites off and paused');
SELECT pg_temp.fails(format($q$SELECT public.complete_rollback_step(%L, 1)$q$, (SELECT v ->> 'id' FROM ctx WHERE k = 'exec')), 'KX409',
                     'Rollback step already completed', 'a step is completed once');
-- step 2: risky flags off
SELECT pg_temp.eq((SELECT s -> 'changed_flags' FROM public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'exec'), 2) AS e,
                   LATERAL (SELECT e.steps -> 1 AS s) AS x),
                  '[{"key":"public_feed_boost_enabled","enabled_before":true,"rollout_percentage_before":50,"enabled_after":false,"rollout_percentage_after":0}]'::jsonb,
                  'step 2 records the flags it changed');
SELECT pg_temp.eq((SELECT string_agg(key || ':' || enabled || ':' || rollout_percentage, ',' ORDER BY key) FROM public.feature_flags
                   WHERE key IN ('public_feed_boost_enabled', 'provider_fitbit_enabled', 'provider_oura_enabled', 'ml_recommendations_enabled')),
                  'ml_recommendations_enabled:false:0,provider_fitbit_enabled:false:0,provider_oura_enabled:false:0,public_feed_boost_enabled:false:0',
                  'the risky flags are disabled with rollout 0');
-- step 3: privacy and consent must stay online
UPDATE public.feature_flags SET enabled = false WHERE key = 'consent_capture_enabled';
SELECT pg_temp.fails(format($q$SELECT public.complete_rollback_step(%L, 3)$q$, (SELECT v ->> 'id' FROM ctx WHERE k = 'exec')), 'KX409',
                     'Privacy and consent flows must stay online during rollback', 'step 3 refuses while consent capture is off');
UPDATE public.feature_flags SET enabled = true WHERE key = 'consent_capture_enabled';
SELECT public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'exec'), 3);
-- step 4: safe fallback UI (gym feature settings, area 10)
INSERT INTO ctx SELECT 'step4', (e.steps -> 3) FROM public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'exec'), 4) AS e;
SELECT pg_temp.ok((SELECT CASE WHEN to_regclass('public.gym_feature_settings') IS NULL
                               THEN v ->> 'skipped' = 'gym_feature_settings does not exist yet (area 10)'
                               ELSE jsonb_array_length(v -> 'changed_gym_features') = 4 END FROM ctx WHERE k = 'step4'),
                  'step 4 switches the pilot gyms'' high-risk modules off (or records that area 10 is missing)');
-- step 5: the incident note and the communication SLA
SELECT pg_temp.fails(format($q$SELECT public.complete_rollback_step(%L, 5, '  ', NULL)$q$, (SELECT v ->> 'id' FROM ctx WHERE k = 'exec')), 'KX422',
                     'Incident note is required', 'step 5 needs a note or a url');
SELECT set_config('kruxt.now', (public.app_now() + interval '20 minutes')::text, true);
SELECT pg_temp.eq((SELECT (incident_note_published_at = public.app_now()) || ' ' || incident_note_url || ' ' || communication_sla_met
                   FROM public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'exec'), 5, NULL, 'https://status.kruxt.invalid/i/1')),
                  'true https://status.kruxt.invalid/i/1 true', 'published 20 minutes after the start: SLA met');
-- step 6: root cause with owners
SELECT pg_temp.fails(format($q$SELECT public.complete_rollback_step(%L, 6)$q$, (SELECT v ->> 'id' FROM ctx WHERE k = 'exec')), 'KX422',
                     'Root cause note with owners is required', 'step 6 needs a note');
SELECT public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'exec'), 6, 'Controller firmware; owners: luca (ops), olga (platform)');
-- step 7: only after two stable days
SELECT set_config('kruxt.now', (public.app_now() + interval '1 day')::text, true);
SELECT pg_temp.fails(format($q$SELECT public.complete_rollback_step(%L, 7)$q$, (SELECT v ->> 'id' FROM ctx WHERE k = 'exec')), 'KX409',
                     'Gate review can reopen only after two stable days', 'the incident is still open: not stable');
UPDATE public.security_incidents SET status = 'resolved', resolved_at = public.app_now() - interval '2 hours' WHERE id IN ('7f000000-0000-4000-8000-000000000001', '7f000000-0000-4000-8000-000000000003');
SELECT set_config('kruxt.now', (public.app_now() + interval '45 hours')::text, true);
SELECT pg_temp.fails(format($q$SELECT public.complete_rollback_step(%L, 7)$q$, (SELECT v ->> 'id' FROM ctx WHERE k = 'exec')), 'KX409',
                     'Gate review can reopen only after two stable days', '47 hours after the resolution: still too early');
SELECT set_config('kruxt.now', (public.app_now() + interval '1 hour')::text, true);
SELECT pg_temp.eq((SELECT (completed_at = public.app_now()) || ' ' || (SELECT string_agg(s.value ->> 'action_key', ',' ORDER BY s.ordinality)
                                                                        FROM jsonb_array_elements(steps) WITH ORDINALITY AS s)
                   FROM public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'exec'), 7, 'Gate review reopened')),
                  'true freeze_invites,disable_risky_flags,keep_privacy_online,safe_fallback_ui,publish_incident_note,root_cause_capture,reopen_gate_review',
                  'after 48 stable hours step 7 completes the execution; the steps are recorded in order');
SELECT pg_temp.fails(format($q$SELECT public.complete_rollback_step(%L, 7)$q$, (SELECT v ->> 'id' FROM ctx WHERE k = 'exec')), 'KX409',
                     'Rollback execution is already completed', 'a completed execution takes no more steps');
SELECT pg_temp.eq((SELECT string_agg(action, ',' ORDER BY append_seq) FROM public.audit_logs WHERE action LIKE 'rollout.rollback%'),
                  'rollout.rollback_started,' || repeat('rollout.rollback_step_completed,', 6) || 'rollout.rollback_step_completed', 'audited: start and seven steps');

-- ================================================================ the communication SLA missed
INSERT INTO ctx SELECT 'late', to_jsonb(e) FROM public.start_rollback('pavia', 'critical_kpi_fail') AS e;
SELECT public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'late'), n) FROM generate_series(1, 4) AS n;
SELECT set_config('kruxt.now', (public.app_now() + interval '45 minutes')::text, true);
SELECT pg_temp.eq((SELECT communication_sla_met FROM public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'late'), 5, 'Status page updated')),
                  false, 'published 45 minutes after the start: SLA missed');

-- ================================================================ a drill changes nothing but records what would change
UPDATE public.feature_flags SET enabled = true, rollout_percentage = 100 WHERE key = 'ml_recommendations_enabled';
INSERT INTO public.rollout_cohorts (cohort_key, name, status) VALUES ('kx_drill', 'Drill cohort', 'ready');
INSERT INTO ctx SELECT 'drill', to_jsonb(e) FROM public.start_rollback('kx_drill', 'drill', NULL, true) AS e;
SELECT pg_temp.eq((SELECT e.steps -> 0 -> 'changed_cohorts' @> '[{"cohort_key":"kx_drill","status_before":"ready","status_after":"paused"}]'
                   FROM public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'drill'), 1) AS e), true,
                  'drill step 1 records the cohorts it would pause');
SELECT pg_temp.eq((SELECT status::text FROM public.rollout_cohorts WHERE cohort_key = 'kx_drill'), 'ready', '... without pausing them');
SELECT pg_temp.eq((SELECT e.steps -> 1 -> 'changed_flags' -> 0 ->> 'key' FROM public.complete_rollback_step((SELECT (v ->> 'id')::uuid FROM ctx WHERE k = 'drill'), 2) AS e),
                  'ml_recommendations_enabled', 'drill step 2 records the flag it would disable');
SELECT pg_temp.eq((SELECT enabled || ':' || rollout_percentage FROM public.feature_flags WHERE key = 'ml_recommendations_enabled'), 'true:100',
                  '... and the flag is unchanged');

-- ================================================================ flags rollback shortcut
SELECT pg_temp.eq((SELECT (completed_at = public.app_now()) || ' ' || is_drill || ' ' || jsonb_array_length(steps) || ' ' || trigger_reason
                   FROM public.flags_rollback('us_eu_canary')), 'true false 2 manual_flags_rollback',
                  'flags_rollback: a completed, non-drill execution of steps 1-2');
SELECT pg_temp.eq((SELECT enabled || ':' || rollout_percentage FROM public.feature_flags WHERE key = 'ml_recommendations_enabled'), 'false:0',
                  'the shortcut disabled the risky flag');

ROLLBACK;
