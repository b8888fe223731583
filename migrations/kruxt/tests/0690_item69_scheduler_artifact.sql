-- Item 69: the weekly rank-recompute scheduler run produces an artifact report and exits non-zero on a recompute
-- failure (07 §6, 08 §6): record_rank_recompute_run builds the CLI's report {status, requestedAt, endpoint,
-- requestBody, httpStatus, scannedCount, rebuiltCount, failedCount, determinismProbeCount, determinismMismatchCount,
-- response}, decides status and exit code, and records the run in ops_scheduler_runs with its artifact name.
-- Seed: runs privacy-seed-0001, sync-seed-0001 (succeeded) and rank-seed-0001 (failed).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ access
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.record_rank_recompute_run('x', 'manual', NULL, NULL, '{}', 200, '{}')$q$, 'KX403', 'Service role required',
                     'only the service records runs');
SELECT pg_temp.fails($q$INSERT INTO public.ops_scheduler_runs (job_name, run_key, status) VALUES ('sync_dispatcher', 'forged', 'succeeded')$q$,
                     '42501', 'new row violates row-level security policy for table "ops_scheduler_runs"', 'a user cannot insert a run');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.ops_scheduler_runs$q$), 0::bigint, 'non-operators read no runs');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(job_name || ':' || run_key || ':' || status || ':' || coalesce(artifact_name, '-'), ',' ORDER BY id) FROM public.ops_scheduler_runs),
                  'privacy_request_processor:privacy-seed-0001:succeeded:-,sync_dispatcher:sync-seed-0001:succeeded:-,'
                  'rank_recompute_weekly:rank-seed-0001:failed:rank-recompute-report-rank-seed-0001', 'seeded runs');

-- ================================================================ a successful run: report, exit 0
INSERT INTO ctx SELECT 'ok_response', public.rank_recompute_weekly('weekly', NULL, 200, 3);
INSERT INTO ctx SELECT 'ok', to_jsonb(r) FROM public.record_rank_recompute_run(
    'run-0001', 'schedule', public.app_now(), public.app_now() + interval '3 seconds',
    '{"timeframe":"weekly","limit":200,"determinismProbeCount":3}', 200, (SELECT v FROM ctx WHERE k = 'ok_response'),
    'crysknife kruxt rank-recompute-weekly', 'https://kruxt.invalid/ops/scheduler-runs/run-0001') AS r;
SELECT pg_temp.eq((SELECT jsonb_build_object('status', v -> 'status', 'exit', v -> 'exit_code', 'message', v -> 'failure_message', 'alert', v -> 'alert_issue_id')
                   FROM ctx WHERE k = 'ok'), '{"status":"succeeded","exit":0,"message":null,"alert":null}'::jsonb, 'no failure: succeeded, exit 0, no alert');
SELECT pg_temp.eq((SELECT (v -> 'report') - 'response' - 'requestedAt' FROM ctx WHERE k = 'ok'),
                  '{"status":"succeeded","endpoint":"crysknife kruxt rank-recompute-weekly","requestBody":{"timeframe":"weekly","limit":200,"determinismProbeCount":3},
                    "httpStatus":200,"scannedCount":3,"rebuiltCount":3,"failedCount":0,"determinismProbeCount":3,"determinismMismatchCount":0}'::jsonb,
                  'the report carries the spec''s keys');
SELECT pg_temp.eq((SELECT (v -> 'report' ->> 'requestedAt') = kruxt_internal.iso_utc(public.app_now()) AND v -> 'report' -> 'response' = (SELECT v FROM ctx WHERE k = 'ok_response')
                   FROM ctx WHERE k = 'ok'), true, 'requestedAt in ISO UTC and the full job response');
SELECT pg_temp.eq((SELECT job_name || ' ' || trigger || ' ' || status || ' ' || exit_code || ' ' || http_status || ' ' || artifact_name || ' ' || run_url
                          || ' ' || (finished_at - started_at)
                   FROM public.ops_scheduler_runs WHERE id = (SELECT (v ->> 'run_id')::uuid FROM ctx WHERE k = 'ok')),
                  'rank_recompute_weekly schedule succeeded 0 200 rank-recompute-report-run-0001 https://kruxt.invalid/ops/scheduler-runs/run-0001 00:00:03',
                  'the run is recorded with its artifact name rank-recompute-report-<run_key>');
SELECT pg_temp.eq((SELECT report FROM public.ops_scheduler_runs WHERE run_key = 'run-0001'), (SELECT v -> 'report' FROM ctx WHERE k = 'ok'), 'the stored report is the artifact');

-- ================================================================ failures: exit 1 and the message names the cause
SELECT set_config('kruxt.test_mode', 'on', true);
SELECT set_config('kruxt.fail_leaderboard_ids', '60000000-0000-4000-8000-000000000302', true);
INSERT INTO ctx SELECT 'failed', to_jsonb(r) FROM public.record_rank_recompute_run(
    'run-0002', 'schedule', public.app_now(), public.app_now(), '{"timeframe":"weekly","limit":200,"determinismProbeCount":3}', 200,
    public.rank_recompute_weekly('weekly', NULL, 200, 3), NULL, 'https://kruxt.invalid/ops/scheduler-runs/run-0002') AS r;
SELECT pg_temp.eq((SELECT jsonb_build_object('status', v -> 'status', 'exit', v -> 'exit_code', 'message', v -> 'failure_message',
                                             'failedCount', v -> 'report' -> 'failedCount', 'reportStatus', v -> 'report' -> 'status')
                   FROM ctx WHERE k = 'failed'),
                  '{"status":"failed","exit":1,"message":"Rank recompute failed for 1 leaderboard(s)","failedCount":1,"reportStatus":"failed"}'::jsonb,
                  'a board failed: status failed, exit 1, the message names the rebuild failure count');
SELECT pg_temp.eq((SELECT status || ' ' || exit_code FROM public.ops_scheduler_runs WHERE run_key = 'run-0002'), 'failed 1', 'the failed run is recorded');
SELECT pg_temp.eq((SELECT jsonb_build_object('status', r.status, 'exit', r.exit_code, 'message', r.failure_message)
                   FROM public.record_rank_recompute_run('run-0003', 'manual', public.app_now(), public.app_now(), '{}', 200,
                                                         '{"failedCount":0,"determinismMismatchCount":2}') AS r),
                  '{"status":"failed","exit":1,"message":"Rank recompute determinism probe reported 2 mismatch(es)"}'::jsonb, 'a determinism mismatch fails the run');
SELECT pg_temp.eq((SELECT jsonb_build_object('status', r.status, 'exit', r.exit_code, 'message', r.failure_message)
                   FROM public.record_rank_recompute_run('run-0004', 'manual', public.app_now(), public.app_now(), '{"timeframe":"yearly"}', 400,
                                                         '{"error":"Invalid timeframe."}') AS r),
                  '{"status":"failed","exit":1,"message":"Rank recompute request failed with HTTP status 400"}'::jsonb, 'a non-2xx HTTP status fails the run');
SELECT pg_temp.eq((SELECT r.failure_message FROM public.record_rank_recompute_run('run-0005', 'manual', NULL, NULL, '{}', NULL, NULL) AS r),
                  'Rank recompute request failed with HTTP status unknown', 'no HTTP status at all fails the run');
SELECT pg_temp.fails($q$SELECT * FROM public.record_rank_recompute_run('run-0001', 'manual', NULL, NULL, '{}', 200, '{}')$q$, '23505', NULL,
                     'a run key is recorded once per job');
SELECT pg_temp.fails($q$SELECT public.record_ops_scheduler_run('rank_recompute_weekly', 'run-0006', 'cron', NULL, NULL, 'succeeded')$q$, '23514', NULL,
                     'trigger must be schedule or manual');
SELECT pg_temp.eq((SELECT coalesce(artifact_name, '-') || ' ' || status FROM public.record_ops_scheduler_run('sync_dispatcher', 'sync-0002', 'schedule',
                       public.app_now(), public.app_now(), 'succeeded', 0, 200, '{"scannedCount":0}')),
                  '- succeeded', 'other jobs are recorded without a default artifact');

ROLLBACK;
