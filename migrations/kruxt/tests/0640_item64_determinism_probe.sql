-- Item 64: rank_recompute_weekly's determinism probe reports determinismMismatchCount = 0 for stable inputs (07 §4
-- step 3). Negative controls: a board made non-deterministic by a temporary trigger is reported as
-- non_deterministic_ordering with both hashes; a probe rebuild that fails is rebuild_failed_during_probe.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;
CREATE SEQUENCE public.kx_test_flip;
GRANT USAGE, UPDATE ON SEQUENCE public.kx_test_flip TO PUBLIC;   -- the triggers run inside rebuild_leaderboard_scope (as kruxt_owner)
CREATE FUNCTION public.kx_test_nondeterministic() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF NEW.leaderboard_id = '60000000-0000-4000-8000-000000000302' THEN
        NEW.details := NEW.details || jsonb_build_object('noise', nextval('public.kx_test_flip'));
    END IF;
    RETURN NEW;
END $f$;
CREATE FUNCTION public.kx_test_fail_second() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
    IF NEW.leaderboard_id = '60000000-0000-4000-8000-000000000301' AND nextval('public.kx_test_flip') > 1000 THEN
        RAISE EXCEPTION 'second rebuild broke';
    END IF;
    RETURN NEW;
END $f$;
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ================================================================ the snapshot hash
SELECT pg_temp.eq((SELECT snapshot_hash || ' ' || row_count FROM public.leaderboard_snapshot_hash('60000000-0000-4000-8000-000000000304')),
                  encode(sha256(convert_to('[{"userId":"20000000-0000-4000-8000-000000000004","rank":1,"score":"79.167","details":{"metric":"estimated_1rm"}}]', 'UTF8')), 'hex') || ' 1',
                  'snapshot = canonical JSON [{userId, rank, score (3 decimals), details}] ordered by rank, SHA-256 hex');
SELECT pg_temp.eq((SELECT snapshot_hash || ' ' || row_count FROM public.leaderboard_snapshot_hash('6f000000-0000-4000-8000-000000009999')),
                  encode(sha256(convert_to('[]', 'UTF8')), 'hex') || ' 0', 'an empty board hashes []');

-- ================================================================ stable inputs: no mismatch
INSERT INTO ctx SELECT 'stable', public.rank_recompute_weekly('weekly', NULL, 100, 3);
SELECT pg_temp.eq((SELECT jsonb_build_object('probes', v -> 'determinismProbeCount', 'requested', v -> 'requestedDeterminismProbeCount',
                                             'mismatches', v -> 'determinismMismatchCount', 'failures', v -> 'determinismFailures',
                                             'rebuilt', v -> 'rebuiltCount') FROM ctx WHERE k = 'stable'),
                  '{"probes":3,"requested":3,"mismatches":0,"failures":[],"rebuilt":3}'::jsonb,
                  'three probes on the three weekly boards: determinismMismatchCount = 0');
SELECT pg_temp.eq((SELECT v FROM ctx WHERE k = 'stable'), public.rank_recompute_weekly('weekly', NULL, 100, 3), 'and the same answer on a second run');
SELECT pg_temp.eq((SELECT (v ->> 'determinismProbeCount') || ' ' || (v ->> 'requestedDeterminismProbeCount')
                   FROM (SELECT public.rank_recompute_weekly('weekly', NULL, 100, 99) AS v) AS x), '3 25',
                  'requested probes are clamped to 25; probes run on rebuilt boards only');
SELECT pg_temp.eq((SELECT (v ->> 'determinismProbeCount') || ' ' || (v ->> 'requestedDeterminismProbeCount')
                   FROM (SELECT public.rank_recompute_weekly('weekly', NULL, 100, -4) AS v) AS x), '0 0', 'a negative count is clamped to 0');
SELECT pg_temp.eq((SELECT (v ->> 'determinismProbeCount') || ' ' || (v -> 'leaderboardIds' ->> 0)
                   FROM (SELECT public.rank_recompute_weekly('weekly', NULL, 100, 1) AS v) AS x), '1 60000000-0000-4000-8000-000000000301',
                  'probes take the first rebuilt boards in board order');

-- ================================================================ negative control: a non-deterministic board
RESET ROLE;
CREATE TRIGGER kx_test_nondeterministic BEFORE INSERT ON public.leaderboard_entries FOR EACH ROW EXECUTE FUNCTION public.kx_test_nondeterministic();
SET LOCAL ROLE service_role;
INSERT INTO ctx SELECT 'noisy', public.rank_recompute_weekly('weekly', NULL, 100, 3);
SELECT pg_temp.eq((SELECT (v ->> 'determinismMismatchCount') || ' ' || (v ->> 'determinismProbeCount') || ' ' || (v ->> 'failedCount') FROM ctx WHERE k = 'noisy'),
                  '1 3 0', 'one mismatch among three completed probes; no rebuild failed');
SELECT pg_temp.eq((SELECT (f - 'firstHash' - 'secondHash') || jsonb_build_object('hashesDiffer', f ->> 'firstHash' <> f ->> 'secondHash',
                                                                               'hexLength', length(f ->> 'firstHash'))
                   FROM ctx, LATERAL (SELECT v -> 'determinismFailures' -> 0 AS f) AS x WHERE k = 'noisy'),
                  '{"leaderboardId":"60000000-0000-4000-8000-000000000302","reason":"non_deterministic_ordering",
                    "firstRowCount":1,"secondRowCount":1,"hashesDiffer":true,"hexLength":64}'::jsonb,
                  'the mismatch names the board, both hashes and both row counts');
RESET ROLE;
DROP TRIGGER kx_test_nondeterministic ON public.leaderboard_entries;
SET LOCAL ROLE service_role;

-- ================================================================ negative control: the probe's rebuild fails
SELECT setval('public.kx_test_flip', 977);   -- the first rebuild of board 301 inserts 23 rows (978..1000), the probe's fails
RESET ROLE;
CREATE TRIGGER kx_test_fail_second BEFORE INSERT ON public.leaderboard_entries FOR EACH ROW EXECUTE FUNCTION public.kx_test_fail_second();
SET LOCAL ROLE service_role;
INSERT INTO ctx SELECT 'probe_fail', public.rank_recompute_weekly('weekly', NULL, 100, 1);
SELECT pg_temp.eq((SELECT jsonb_build_object('failed', v -> 'failedCount', 'probes', v -> 'determinismProbeCount', 'mismatches', v -> 'determinismMismatchCount',
                                             'failures', v -> 'determinismFailures') FROM ctx WHERE k = 'probe_fail'),
                  '{"failed":0,"probes":0,"mismatches":1,"failures":[{"leaderboardId":"60000000-0000-4000-8000-000000000301",
                    "reason":"rebuild_failed_during_probe","error":"second rebuild broke"}]}'::jsonb,
                  'a failing probe rebuild: rebuild_failed_during_probe with the error; it does not count as a completed probe');
SELECT pg_temp.eq((SELECT count(*) FROM public.leaderboard_entries WHERE leaderboard_id = '60000000-0000-4000-8000-000000000301'), 23::bigint,
                  'the board keeps the entries of its successful rebuild');

ROLLBACK;
