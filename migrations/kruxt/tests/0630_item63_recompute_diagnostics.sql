-- Item 63: rank_recompute_weekly returns deterministic failure diagnostics when one board rebuild fails (07 §4).
-- The job answers normally (the 200 body) with failedCount = 1 and a single, stably ordered diagnostic; the other
-- boards are rebuilt; identical runs give identical diagnostics. Faults: the test hook (kruxt.test_mode +
-- kruxt.fail_leaderboard_ids) and a temporary trigger that raises for one board.
-- Seed: weekly boards 01 (Global XP), 02 (BZone volume), 04 (bench e1RM), active now; 03 is monthly.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;
CREATE FUNCTION public.kx_test_board_fault() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF NEW.leaderboard_id = '60000000-0000-4000-8000-000000000304' THEN
        RAISE EXCEPTION 'e1RM source unavailable';
    END IF;
    RETURN NEW;
END $f$;

-- ================================================================ access and the 400 answer
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.rank_recompute_weekly()$q$, 'KX403', 'Service role required', 'the gym owner cannot run the job');
SELECT pg_temp.fails($q$SELECT * FROM public.rank_recompute_boards()$q$, 'KX403', 'Service role required', 'nor list its boards');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$SELECT public.rank_recompute_weekly('yearly')$q$, 'KX422', 'Invalid timeframe.', 'an invalid timeframe is the 400 answer');
SELECT pg_temp.fails($q$SELECT public.rank_recompute_weekly('Weekly')$q$, 'KX422', 'Invalid timeframe.', 'timeframes are exact');

-- ================================================================ board selection (step 1)
INSERT INTO public.leaderboards (id, name, scope, metric, timeframe, starts_at, ends_at, is_active) VALUES
    ('6f000000-0000-4000-8000-000000000401', 'Inactive weekly', 'global', 'xp', 'weekly', public.app_now() - interval '1 day', public.app_now() + interval '6 days', false),
    ('6f000000-0000-4000-8000-000000000402', 'Last week', 'global', 'xp', 'weekly', public.app_now() - interval '8 days', public.app_now() - interval '1 day', true),
    ('6f000000-0000-4000-8000-000000000403', 'Next week', 'global', 'xp', 'weekly', public.app_now() + interval '1 day', public.app_now() + interval '8 days', true),
    ('6f000000-0000-4000-8000-000000000404', 'Ends now', 'global', 'xp', 'weekly', public.app_now() - interval '7 days', public.app_now(), true),
    ('6f000000-0000-4000-8000-000000000405', 'Hall of fame', 'global', 'xp', 'all_time', public.app_now() - interval '400 days', public.app_now() - interval '300 days', true);
SELECT pg_temp.eq((SELECT string_agg(right(id::text, 3), ',') FROM public.rank_recompute_boards('weekly')), '301,302,304',
                  'weekly: active boards whose window holds now (starts <= now < ends), by id');
SELECT pg_temp.eq((SELECT string_agg(right(id::text, 3), ',') FROM public.rank_recompute_boards('all_time')), '405', 'all_time ignores the window');
SELECT pg_temp.eq((SELECT string_agg(right(id::text, 3), ',') FROM public.rank_recompute_boards('weekly', ARRAY['60000000-0000-4000-8000-000000000304',
                   '6f000000-0000-4000-8000-000000000401', '60000000-0000-4000-8000-000000000302']::uuid[])), '302,304',
                  'restricted to the given ids (still active, in window, ordered by id)');
SELECT pg_temp.eq((SELECT string_agg(right(id::text, 3), ',') FROM public.rank_recompute_boards('weekly', '{}'::uuid[], 0)), '301',
                  'an empty id list does not restrict; limit 0 is clamped to 1');
SELECT pg_temp.eq((SELECT count(*) FROM public.rank_recompute_boards('weekly',
                       (SELECT array_agg(x) FROM (SELECT gen_random_uuid() AS x FROM generate_series(1, 200)) AS r) || '{60000000-0000-4000-8000-000000000301}'::uuid[])),
                  0::bigint, 'only the first 200 given ids count');

-- ================================================================ one board fails through the test hook
SELECT set_config('kruxt.fail_leaderboard_ids', '60000000-0000-4000-8000-000000000302', true);
SELECT pg_temp.eq((public.rank_recompute_weekly() ->> 'failedCount'), '0', 'the hook is inert unless kruxt.test_mode is on');
INSERT INTO ctx SELECT 'entries_302', jsonb_agg(to_jsonb(e) ORDER BY e.rank) FROM public.leaderboard_entries e WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000302';
INSERT INTO ctx SELECT 'updates_302', to_jsonb(count(*)) FROM public.event_outbox WHERE event_type = 'rank.updated' AND aggregate_id = '60000000-0000-4000-8000-000000000302';
SELECT set_config('kruxt.test_mode', 'on', true);
INSERT INTO ctx SELECT 'run1', public.rank_recompute_weekly('weekly', NULL, 100, 0);
SELECT pg_temp.eq((SELECT v FROM ctx WHERE k = 'run1'),
                  '{"timeframe":"weekly","scannedCount":3,"rebuiltCount":2,"failedCount":1,"determinismProbeCount":0,
                    "requestedDeterminismProbeCount":0,"determinismMismatchCount":0,
                    "leaderboardIds":["60000000-0000-4000-8000-000000000301","60000000-0000-4000-8000-000000000304"],
                    "failures":[{"leaderboardId":"60000000-0000-4000-8000-000000000302","error":"Leaderboard rebuild fault injected"}],
                    "determinismFailures":[]}'::jsonb,
                  'one failing board: the job still answers, failedCount 1, a single diagnostic with the database message');
SELECT pg_temp.eq((SELECT jsonb_agg(to_jsonb(e) ORDER BY e.rank) FROM public.leaderboard_entries e WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000302'),
                  (SELECT v FROM ctx WHERE k = 'entries_302'), 'the failed board''s entries are untouched (its rebuild rolled back alone)');
SELECT pg_temp.eq((SELECT to_jsonb(count(*)) FROM public.event_outbox WHERE event_type = 'rank.updated' AND aggregate_id = '60000000-0000-4000-8000-000000000302'),
                  (SELECT v FROM ctx WHERE k = 'updates_302'), 'no rank.updated for the failed board');
SELECT pg_temp.eq(public.rank_recompute_weekly('weekly', NULL, 100, 0), (SELECT v FROM ctx WHERE k = 'run1'), 'an identical run gives identical diagnostics');

-- two failures, named in reverse order: the diagnostics are sorted by leaderboardId
SELECT set_config('kruxt.fail_leaderboard_ids', ' 60000000-0000-4000-8000-000000000304 , 60000000-0000-4000-8000-000000000301', true);
SELECT pg_temp.eq((SELECT jsonb_build_object('failed', v -> 'failedCount', 'ids', v -> 'leaderboardIds',
                                             'order', (SELECT jsonb_agg(f.value ->> 'leaderboardId') FROM jsonb_array_elements(v -> 'failures') AS f))
                   FROM (SELECT public.rank_recompute_weekly() AS v) AS x),
                  '{"failed":2,"ids":["60000000-0000-4000-8000-000000000302"],
                    "order":["60000000-0000-4000-8000-000000000301","60000000-0000-4000-8000-000000000304"]}'::jsonb,
                  'several failures are sorted by leaderboardId');
SELECT set_config('kruxt.test_mode', 'off', true);

-- ================================================================ a failure of another kind (temporary trigger on one board)
RESET ROLE;
CREATE TRIGGER kx_test_board_fault BEFORE INSERT ON public.leaderboard_entries FOR EACH ROW EXECUTE FUNCTION public.kx_test_board_fault();
SET LOCAL ROLE service_role;
SELECT pg_temp.eq((SELECT jsonb_build_object('scanned', v -> 'scannedCount', 'rebuilt', v -> 'rebuiltCount', 'failures', v -> 'failures')
                   FROM (SELECT public.rank_recompute_weekly() AS v) AS x),
                  '{"scanned":3,"rebuilt":2,"failures":[{"leaderboardId":"60000000-0000-4000-8000-000000000304","error":"e1RM source unavailable"}]}'::jsonb,
                  'a trigger-made failure: the diagnostic carries that database message');
RESET ROLE;
DROP TRIGGER kx_test_board_fault ON public.leaderboard_entries;
SET LOCAL ROLE service_role;
SELECT pg_temp.eq((public.rank_recompute_weekly() -> 'failures'), '[]'::jsonb, 'positive control: without faults there is no diagnostic');

ROLLBACK;
