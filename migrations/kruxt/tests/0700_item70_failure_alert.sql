-- Item 70: a failed scheduler run creates a high-priority phase-7 alert issue with the run URL (07 §6, 08 §6): the AFTER
-- INSERT trigger on ops_scheduler_runs opens one ops_alert_issues row per failed rank_recompute_weekly run, titled
-- "[OPS] Rank recompute failed (<YYYY-MM-DD of finished_at, UTC>)", labels {high-priority, phase-7}, body with the run URL.
-- Seed: the failed run rank-seed-0001 and its alert.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ================================================================ the seeded alert
SELECT pg_temp.eq((SELECT a.title || ' | ' || array_to_string(a.labels, ',') || ' | ' || a.status || ' | ' || a.run_url || ' | ' || r.run_key
                   FROM public.ops_alert_issues a JOIN public.ops_scheduler_runs r ON r.id = a.source_run_id),
                  '[OPS] Rank recompute failed (' || to_char((SELECT finished_at FROM public.ops_scheduler_runs WHERE run_key = 'rank-seed-0001') AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                  || ' UTC) | high-priority,phase-7 | open | https://kruxt.invalid/ops/scheduler-runs/rank-seed-0001 | rank-seed-0001',
                  'seed: the failed rank run has its open alert');

-- ================================================================ a failed run opens an alert
INSERT INTO public.ops_scheduler_runs (id, job_name, run_key, trigger, started_at, finished_at, status, exit_code, http_status, report, artifact_name, run_url)
VALUES ('9f000000-0000-4000-8000-000000000401', 'rank_recompute_weekly', 'run-0101', 'schedule', '2026-03-09T23:50:00+01:00', '2026-03-10T00:30:00+01:00',
        'failed', 1, 200, '{"failedCount":2,"determinismMismatchCount":0}', 'rank-recompute-report-run-0101',
        'https://github.com/kruxt/kruxt/actions/runs/42');
SELECT pg_temp.eq((SELECT title FROM public.ops_alert_issues WHERE source_run_id = '9f000000-0000-4000-8000-000000000401'),
                  '[OPS] Rank recompute failed (2026-03-09 UTC)', 'the title uses finished_at''s UTC date (00:30 in Rome is 23:30 UTC the day before)');
SELECT pg_temp.eq((SELECT labels FROM public.ops_alert_issues WHERE source_run_id = '9f000000-0000-4000-8000-000000000401'),
                  '{high-priority,phase-7}'::text[], 'labels high-priority and phase-7');
SELECT pg_temp.eq((SELECT run_url || ' ' || status || ' ' || (external_issue_url IS NULL) FROM public.ops_alert_issues
                   WHERE source_run_id = '9f000000-0000-4000-8000-000000000401'),
                  'https://github.com/kruxt/kruxt/actions/runs/42 open true', 'the alert keeps the run URL, open, no external issue yet');
SELECT pg_temp.ok((SELECT body LIKE '%- Run: https://github.com/kruxt/kruxt/actions/runs/42%' AND body LIKE '%- Trigger: schedule%'
                          AND body LIKE '%- Report artifact: rank-recompute-report-run-0101%' AND body LIKE '%- Rebuild failures: 2, determinism mismatches: 0%'
                   FROM public.ops_alert_issues WHERE source_run_id = '9f000000-0000-4000-8000-000000000401'),
                  'the body names the run URL, the trigger, the failures and the report artifact');
-- through the CLI's record function too
CREATE TEMP TABLE rec ON COMMIT DROP AS
SELECT * FROM public.record_rank_recompute_run('run-0102', 'manual', public.app_now(), public.app_now(), '{}', 500, '{"error":"boom"}', NULL,
                                               'https://kruxt.invalid/ops/scheduler-runs/run-0102');
SELECT pg_temp.eq((SELECT a.run_url || ' ' || a.source_run_id FROM rec JOIN public.ops_alert_issues a ON a.id = rec.alert_issue_id),
                  'https://kruxt.invalid/ops/scheduler-runs/run-0102 ' || (SELECT run_id FROM rec),
                  'record_rank_recompute_run returns the alert opened for its failed run');

-- ================================================================ no alert for succeeded runs or other jobs
INSERT INTO public.ops_scheduler_runs (job_name, run_key, started_at, finished_at, status, exit_code) VALUES
    ('rank_recompute_weekly', 'run-0103', public.app_now(), public.app_now(), 'succeeded', 0),
    ('sync_dispatcher', 'sync-0103', public.app_now(), public.app_now(), 'failed', 1),
    ('privacy_request_processor', 'privacy-0103', public.app_now(), public.app_now(), 'failed', 1);
SELECT pg_temp.eq((SELECT count(*) FROM public.ops_alert_issues), 3::bigint, 'only failed rank recompute runs raise alerts (seed + 2)');
-- a run without URL still gets an alert that says so
INSERT INTO public.ops_scheduler_runs (id, job_name, run_key, started_at, status) VALUES
    ('9f000000-0000-4000-8000-000000000404', 'rank_recompute_weekly', 'run-0104', '2026-03-11T10:00:00Z', 'failed');
SELECT pg_temp.eq((SELECT title || ' ' || (body LIKE '%- Run: (no run URL recorded)%') FROM public.ops_alert_issues WHERE source_run_id = '9f000000-0000-4000-8000-000000000404'),
                  '[OPS] Rank recompute failed (2026-03-11 UTC) true', 'no finished_at: the start date; no URL: stated in the body');

-- ================================================================ the console lists open alerts; users see none
SELECT pg_temp.eq((SELECT jsonb_array_length(public.rollout_console_snapshot() -> 'openAlerts')), 4, 'the console lists the 4 open alerts');
UPDATE public.ops_alert_issues SET status = 'acknowledged', external_issue_url = 'https://github.com/kruxt/kruxt/issues/7'
WHERE source_run_id = '9f000000-0000-4000-8000-000000000401';
SELECT pg_temp.eq((SELECT jsonb_array_length(public.rollout_console_snapshot() -> 'openAlerts')), 3, 'acknowledged alerts leave the open list');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.ops_alert_issues$q$), 0::bigint, 'non-operators read no alert');
SELECT pg_temp.fails($q$SELECT public.rollout_console_snapshot()$q$, 'KX403', 'Access denied', 'nor the console');

ROLLBACK;
