-- Area 07 performance check (00 §9 "weekly leaderboard rebuild < 60 s for the first 50k users", 99 §13; the issue's
-- goal: every weekly board for 50,000 users in about two seconds). NOT part of the build: a throwaway generator and
-- timer. Run it with psql, as a superuser, on a database built by tests/run.sh (KEEP_DB=1), e.g.
--
--   KEEP_DB=1 migrations/kruxt/tests/run.sh "$URL" none          # builds and keeps kruxt_test_...
--   psql -X "$URL_OF_KEPT_DB" -f migrations/kruxt/bench/area07_rank_rebuild.sql
--
-- Data (deterministic, shaped like 99 §13; triggers and FK checks off while loading, session_replication_role =
-- replica, so system-filled columns are written directly): 50,000 users (XP long-tailed 0..20,000 with 2 % exact ties
-- at round values, chain 0..60), 200 gyms of which 10 have 1,200 members, 60,000 memberships, 600,000 workouts over
-- the 28 days before the clock (70 % manual, 30 % imported; 5 % above the anti-cheat caps; totals 1..24 sets), one
-- bench-press exercise block with 4 sets on every 5th workout (120,000 blocks, 480,000 sets) for an e1RM board, 50
-- challenges with 20,000 participants (ties included). Boards, all weekly and active (window = the 7 days ending
-- with the clock's day): global xp, global volume, 10 gym volume boards (the big gyms), 5 challenge boards, and a
-- global bench-press e1RM board (18 boards).
-- Timing: rank_recompute_weekly('weekly', limit 500) three times without and once with 3 determinism probes (each a
-- single statement, wall time from psql's \timing; the seed's three weekly boards are rebuilt too: 21 boards), then
-- every board's rebuild_leaderboard_scope on its own. The database is left with the generated data: drop it afterwards.
-- Figures measured with it: README, "Area 07".

\set ON_ERROR_STOP 1
\timing off
SET client_min_messages = notice;
SELECT set_config('kruxt.now', '2026-03-09T09:00:00+01:00', false);

-- ---------------------------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------------------------
SET session_replication_role = replica;

CREATE FUNCTION pg_temp.u(n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT ('2e000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
CREATE FUNCTION pg_temp.g(n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT ('1e000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
-- users 1..12,000 in the 10 big gyms (1,200 each), the rest spread over gyms 11..200
CREATE FUNCTION pg_temp.gym_of(n bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN n <= 12000 THEN 1 + (n - 1) % 10 ELSE 11 + (n * 7) % 190 END $$;
-- xorshift-ish deterministic hash in [0, 1)
CREATE FUNCTION pg_temp.h(n bigint, salt bigint) RETURNS double precision LANGUAGE sql IMMUTABLE AS
$$ SELECT ((n * 2654435761 + salt * 40503) % 1000003)::double precision / 1000003 $$;

INSERT INTO auth.users (id, email) SELECT pg_temp.u(n), 'rank_u' || lpad(n::text, 5, '0') || '@perf.kruxt.test' FROM generate_series(1, 50000) n;
INSERT INTO public.gyms (id, slug, name, owner_user_id, is_public)
SELECT pg_temp.g(n), 'rank-gym-' || n, 'Rank Gym ' || n, pg_temp.u(n), true FROM generate_series(1, 200) n;
INSERT INTO public.profiles (id, username, display_name, xp_total, level, chain_days, home_gym_id)
SELECT pg_temp.u(n), 'rank_u' || lpad(n::text, 5, '0'), 'Rank ' || n,
       CASE WHEN n % 50 = 0 THEN (1 + n % 20) * 1000                                  -- 2 % exact ties at round values
            ELSE least(20000, floor(-ln(1 - pg_temp.h(n, 1) * 0.9999) * 1500))::integer END,   -- long tail
       1, (pg_temp.h(n, 2) * 61)::integer, pg_temp.g(pg_temp.gym_of(n))
FROM generate_series(1, 50000) n;
INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status, started_at)
SELECT pg_temp.g(pg_temp.gym_of(n)), pg_temp.u(n), 'member',
       (CASE WHEN n % 10 < 8 THEN 'active' WHEN n % 10 = 8 THEN 'trial' ELSE 'cancelled' END)::public.membership_status, now()
FROM generate_series(1, 50000) n;
INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status, started_at)
SELECT pg_temp.g(1 + (pg_temp.gym_of(n) + 37) % 200), pg_temp.u(n), 'member', 'active', now() FROM generate_series(1, 10000) n;

-- 600,000 workouts over the 28 days before the clock; 5 % break a cap (sets > 400, volume > 50000, manual > 12000)
INSERT INTO public.workouts (id, user_id, gym_id, title, workout_type, started_at, visibility, total_sets, total_volume_kg, source,
                             progress_applied_at, xp_awarded, created_at, updated_at)
SELECT ('2d000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
       pg_temp.u(1 + (i * 7919) % 50000),
       CASE WHEN i % 9 = 0 THEN NULL ELSE pg_temp.g(pg_temp.gym_of(1 + (i * 7919) % 50000)) END,
       'Rank ' || i, 'strength',
       timestamptz '2026-03-09 08:00+00' - (i % 40320) * interval '1 minute' - (i % 7) * interval '1 second',
       'public',
       CASE WHEN i % 100 = 1 THEN 450 ELSE 1 + (pg_temp.h(i, 3) * 24)::integer END,
       round((CASE WHEN i % 100 = 2 THEN 60000 WHEN i % 100 IN (3, 4) THEN 14000 + pg_temp.h(i, 4) * 5000
                   WHEN i % 100 = 5 THEN 51000 ELSE 200 + pg_temp.h(i, 5) * 7800 END)::numeric, 2),
       (CASE WHEN i % 10 < 7 THEN 'manual' WHEN i % 10 < 9 THEN 'garmin' ELSE 'apple_health' END)::public.integration_provider,
       now(), 22, now(), now()
FROM generate_series(1::bigint, 600000) i;
-- i % 100 = 3 or 4 are manual only when i % 10 < 7 (3, 4): manual above 12,000 -> excluded; 1, 2, 5: sets/volume caps

INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index)
SELECT ('2c000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, ('2d000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
       '50000000-0000-4000-8000-000000000102', 1
FROM generate_series(5::bigint, 600000, 5) i;
INSERT INTO public.workout_sets (workout_exercise_id, set_index, reps, weight_kg, workout_id, user_id, exercise_id, estimated_1rm, completed_at)
SELECT ('2c000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, s,
       r, wt, ('2d000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, pg_temp.u(1 + (i * 7919) % 50000),
       '50000000-0000-4000-8000-000000000102', (wt * (1 + r::numeric / 30))::numeric(14,3), now()
FROM generate_series(5::bigint, 600000, 5) i, generate_series(1, 4) s,
     LATERAL (SELECT 1 + (pg_temp.h(i * 4 + s, 6) * 12)::integer AS r,
                     round((20 + pg_temp.h(i * 4 + s, 7) * 160)::numeric / 2.5) * 2.5 AS wt) AS x;

-- 50 challenges (10 per big gym's first five, the rest global), 20,000 participants with tied scores
INSERT INTO public.challenges (id, creator_user_id, gym_id, title, challenge_type, visibility, starts_at, ends_at)
SELECT ('2b000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid, pg_temp.u(c), CASE WHEN c <= 25 THEN pg_temp.g(1 + c % 10) END,
       'Rank trial ' || c, 'volume', 'public', timestamptz '2026-03-01 00:00+01', timestamptz '2026-04-01 00:00+02'
FROM generate_series(1, 50) c;
INSERT INTO public.challenge_participants (challenge_id, user_id, score, completed, joined_at, updated_at)
SELECT ('2b000000-0000-4000-8000-' || lpad(to_hex(1 + p % 50), 12, '0'))::uuid, pg_temp.u(1 + (p * 37) % 50000),
       (round(pg_temp.h(p, 8) * 200) * 100)::numeric(12,2), p % 7 = 0,
       timestamptz '2026-03-02 10:00+01', timestamptz '2026-03-08 10:00+01' - (p % 5) * interval '1 hour'
FROM generate_series(1, 20000) p
ON CONFLICT (challenge_id, user_id) DO NOTHING;

-- the boards (weekly, active; window = the 7 calendar days ending with the clock's day, Europe/Rome)
INSERT INTO public.leaderboards (id, name, scope, scope_gym_id, scope_exercise_id, scope_challenge_id, metric, timeframe, starts_at, ends_at)
SELECT ('2a000000-0000-4000-8000-' || lpad(to_hex(b.n), 12, '0'))::uuid, b.name, b.scope::public.leaderboard_scope, b.gym, b.ex, b.ch,
       b.metric::public.leaderboard_metric, 'weekly', timestamptz '2026-03-03 00:00+01', timestamptz '2026-03-10 00:00+01'
FROM (SELECT 1 AS n, 'Perf global XP' AS name, 'global' AS scope, NULL::uuid AS gym, NULL::uuid AS ex, NULL::uuid AS ch, 'xp' AS metric
      UNION ALL SELECT 2, 'Perf global volume', 'global', NULL, NULL, NULL, 'volume_kg'
      UNION ALL SELECT 2 + g, 'Perf gym ' || g || ' volume', 'gym', pg_temp.g(g), NULL, NULL, 'volume_kg' FROM generate_series(1, 10) g
      UNION ALL SELECT 12 + c, 'Perf trial ' || c, 'challenge', NULL, NULL, ('2b000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid, 'challenge_score'
                FROM generate_series(1, 5) c
      UNION ALL SELECT 18, 'Perf bench e1RM', 'exercise', NULL, '50000000-0000-4000-8000-000000000102'::uuid, NULL, 'estimated_1rm') AS b;

SET session_replication_role = origin;
VACUUM ANALYZE public.profiles;
VACUUM ANALYZE public.workouts;
VACUUM ANALYZE public.workout_exercises;
VACUUM ANALYZE public.workout_sets;
VACUUM ANALYZE public.challenge_participants;
VACUUM ANALYZE public.challenges;
VACUUM ANALYZE public.leaderboards;

SELECT (SELECT count(*) FROM public.profiles) AS profiles, (SELECT count(*) FROM public.workouts) AS workouts,
       (SELECT count(*) FROM public.workouts WHERE started_at >= timestamptz '2026-03-03 00:00+01') AS workouts_in_window,
       (SELECT count(*) FROM public.workout_sets) AS sets, (SELECT count(*) FROM public.challenge_participants) AS participants,
       (SELECT count(*) FROM public.leaderboards WHERE name LIKE 'Perf %') AS boards;

-- ---------------------------------------------------------------------------------------------
-- Timing: the whole weekly run, as the service (single statements; psql's \timing is the wall time)
-- ---------------------------------------------------------------------------------------------
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);
\timing on
SELECT r ->> 'scannedCount' AS scanned, r ->> 'rebuiltCount' AS rebuilt, r ->> 'failedCount' AS failed
FROM public.rank_recompute_weekly('weekly', NULL, 500, 0) AS r;
SELECT r ->> 'scannedCount' AS scanned, r ->> 'rebuiltCount' AS rebuilt, r ->> 'failedCount' AS failed
FROM public.rank_recompute_weekly('weekly', NULL, 500, 0) AS r;
SELECT r ->> 'scannedCount' AS scanned, r ->> 'rebuiltCount' AS rebuilt, r ->> 'failedCount' AS failed
FROM public.rank_recompute_weekly('weekly', NULL, 500, 0) AS r;
SELECT r ->> 'rebuiltCount' AS rebuilt, r ->> 'determinismProbeCount' AS probes, r ->> 'determinismMismatchCount' AS mismatches
FROM public.rank_recompute_weekly('weekly', NULL, 500, 3) AS r;
\timing off

-- per board (ms), each rebuilt on its own
RESET ROLE;
CREATE FUNCTION pg_temp.time_board(p_id uuid) RETURNS TABLE (board text, rows integer, ms numeric)
LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; n integer;
BEGIN
    t0 := clock_timestamp();
    n := public.rebuild_leaderboard_scope(p_id);
    RETURN QUERY SELECT (SELECT l.name FROM public.leaderboards l WHERE l.id = p_id), n,
                        round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1);
END $$;
SET ROLE service_role;
SELECT t.* FROM public.leaderboards l, LATERAL pg_temp.time_board(l.id) AS t WHERE l.name LIKE 'Perf %' ORDER BY l.id;
RESET ROLE;
