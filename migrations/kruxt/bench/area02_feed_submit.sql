-- Area 02 performance check (00 §9, 99 §13): home feed candidates at 10^6 feed events and workout
-- submit with 200 prior workouts. NOT part of the build: run it with psql, as a superuser, on a
-- throwaway database built by tests/run.sh (KEEP_DB=1), e.g.
--
--   KEEP_DB=1 migrations/kruxt/tests/run.sh "$URL" 0000        # builds and keeps kruxt_test_...
--   psql -X "$URL_OF_KEPT_DB" -f migrations/kruxt/bench/area02_feed_submit.sql
--
-- It bulk-loads a deterministic data set shaped like 99 §13 (50,000 users, 200 gyms of which 10 have
-- 1,200 members, 60,000 memberships, ~510,000 follow edges, 5,000 blocks, 1,000,000 workouts each
-- with its feed card; visibility 70 % public, 10 % followers, 15 % gym, 5 % private), with triggers
-- and FK checks off for speed (session_replication_role = replica; the copies on feed_events are
-- written directly). Then it times, as one viewer with 200 accepted follows and a 1,200-member home
-- gym: list_home_feed_candidates(250) and the RLS path (SELECT ... FROM feed_events ORDER BY
-- created_at DESC, id DESC LIMIT 250), and 400 log_workout_atomic calls of 5 exercises x 5 sets by
-- one user (the last 200 measured, i.e. with 200+ prior workouts). Prints p50/p95/max in ms.

\set ON_ERROR_STOP 1
\timing off
SET client_min_messages = notice;

-- ---------------------------------------------------------------------------------------------
-- Data
-- ---------------------------------------------------------------------------------------------
SET session_replication_role = replica;

CREATE FUNCTION pg_temp.u(n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT ('3e000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
CREATE FUNCTION pg_temp.g(n bigint) RETURNS uuid LANGUAGE sql IMMUTABLE AS
$$ SELECT ('3d000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid $$;
-- a user's gym: users 1..12,000 in the 10 big gyms, the rest spread over gyms 11..200
CREATE FUNCTION pg_temp.gym_of(n bigint) RETURNS bigint LANGUAGE sql IMMUTABLE AS
$$ SELECT CASE WHEN n <= 12000 THEN 1 + (n - 1) % 10 ELSE 11 + (n * 7) % 190 END $$;

INSERT INTO auth.users (id, email) SELECT pg_temp.u(n), 'perf_u' || lpad(n::text, 5, '0') || '@perf.kruxt.test' FROM generate_series(1, 50000) n;
INSERT INTO public.profiles (id, username, display_name, xp_total)
SELECT pg_temp.u(n), 'perf_u' || lpad(n::text, 5, '0'), 'Perf ' || n, (n * 7919) % 20001 FROM generate_series(1, 50000) n;
INSERT INTO public.gyms (id, slug, name, owner_user_id, is_public)
SELECT pg_temp.g(n), 'perf-gym-' || n, 'Perf Gym ' || n, pg_temp.u(n), n % 4 <> 0 FROM generate_series(1, 200) n;
INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status, started_at)
SELECT pg_temp.g(pg_temp.gym_of(n)), pg_temp.u(n), 'member',
       (CASE WHEN n % 10 < 8 THEN 'active' WHEN n % 10 = 8 THEN 'trial' ELSE 'cancelled' END)::public.membership_status, now()
FROM generate_series(1, 50000) n;
INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status, started_at)
SELECT pg_temp.g(1 + (pg_temp.gym_of(n) + 37) % 200), pg_temp.u(n), 'member', 'active', now()
FROM generate_series(1, 10000) n;
-- follows: every user follows 10 others; the viewer (user 1) follows users 2..201
INSERT INTO public.social_connections (follower_user_id, followed_user_id, status)
SELECT DISTINCT ON (a, b) pg_temp.u(a), pg_temp.u(b), (CASE WHEN (a + k) % 10 = 0 THEN 'pending' ELSE 'accepted' END)::public.social_connection_status
FROM (SELECT n AS a, k, 1 + (n * 31 + k * 977) % 50000 AS b FROM generate_series(2, 50000) n, generate_series(1, 10) k) t
WHERE a <> b;
INSERT INTO public.social_connections (follower_user_id, followed_user_id, status)
SELECT pg_temp.u(1), pg_temp.u(n), 'accepted' FROM generate_series(2, 201) n;
INSERT INTO public.user_blocks (blocker_user_id, blocked_user_id)
SELECT pg_temp.u(n), pg_temp.u(1 + (n * 13) % 50000) FROM generate_series(2, 5001) n WHERE 1 + (n * 13) % 50000 <> n
ON CONFLICT DO NOTHING;
INSERT INTO public.user_blocks (blocker_user_id, blocked_user_id) VALUES (pg_temp.u(1), pg_temp.u(150)), (pg_temp.u(160), pg_temp.u(1));

-- 1,000,000 workouts over the last 28 days, each with its card (created 30 min after the start)
INSERT INTO public.workouts (id, user_id, gym_id, title, workout_type, started_at, visibility, total_sets, total_volume_kg,
                             progress_applied_at, xp_awarded, created_at, updated_at)
SELECT ('3c000000-0000-4000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
       pg_temp.u(1 + (i * 7919) % 50000),
       CASE WHEN i % 5 = 0 AND i % 20 NOT BETWEEN 16 AND 18 THEN NULL ELSE pg_temp.g(pg_temp.gym_of(1 + (i * 7919) % 50000)) END,
       'Perf ' || i, 'strength',
       timestamptz '2026-03-09 08:00+00' - (i % 40320) * interval '1 minute' - (i % 7) * interval '1 second',
       (CASE WHEN i % 20 < 14 THEN 'public' WHEN i % 20 < 16 THEN 'followers' WHEN i % 20 < 19 THEN 'gym' ELSE 'private' END)::public.workout_visibility,
       12, 1000, now(), 22, now(), now()
FROM generate_series(1::bigint, 1000000) i;
INSERT INTO public.feed_events (user_id, workout_id, event_type, caption, metadata, created_at, workout_visibility, workout_gym_id)
SELECT w.user_id, w.id, 'workout_logged', 'Post the proof.', jsonb_build_object('visibility', w.visibility, 'workout_type', w.workout_type),
       w.started_at + interval '30 minutes', w.visibility, w.gym_id
FROM public.workouts w WHERE w.title LIKE 'Perf %';

SET session_replication_role = origin;
VACUUM ANALYZE public.feed_events;
VACUUM ANALYZE public.workouts;
VACUUM ANALYZE public.social_connections;
VACUUM ANALYZE public.user_blocks;
VACUUM ANALYZE public.gym_memberships;
VACUUM ANALYZE public.profiles;

SELECT (SELECT count(*) FROM public.feed_events) AS feed_events, (SELECT count(*) FROM public.workouts) AS workouts,
       (SELECT count(*) FROM public.social_connections) AS follow_edges, (SELECT count(*) FROM public.user_blocks) AS blocks,
       (SELECT count(*) FROM public.gym_memberships) AS memberships;

-- ---------------------------------------------------------------------------------------------
-- Timing helpers
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION pg_temp.report(p_what text, p_ms double precision[]) RETURNS text LANGUAGE sql AS $$
    SELECT format('%s: n=%s p50=%s ms p95=%s ms max=%s ms', p_what, count(*),
                  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY x)::numeric, 2),
                  round(percentile_cont(0.95) WITHIN GROUP (ORDER BY x)::numeric, 2),
                  round(max(x)::numeric, 2))
    FROM unnest(p_ms) AS x
$$;

-- Feed: viewer = user 1 (200 accepted follows, home gym 1 with 1,200 members, 2 blocks)
CREATE TEMP TABLE results (what text, line text);
DO $$
DECLARE t0 timestamptz; ms double precision[] := '{}'; ms_rls double precision[] := '{}'; n int; i int;
BEGIN
    PERFORM set_config('request.jwt.claims', json_build_object('sub', pg_temp.u(1), 'role', 'authenticated')::text, true);
    SET LOCAL ROLE authenticated;
    FOR i IN 1..300 LOOP
        t0 := clock_timestamp();
        SELECT count(*) INTO n FROM public.list_home_feed_candidates(250);
        ms := ms || (extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    FOR i IN 1..20 LOOP
        t0 := clock_timestamp();
        SELECT count(*) INTO n FROM (SELECT f.id FROM public.feed_events f ORDER BY f.created_at DESC, f.id DESC LIMIT 250) q;
        ms_rls := ms_rls || (extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RESET ROLE;
    INSERT INTO results VALUES ('feed', pg_temp.report('list_home_feed_candidates(250), ' || n || ' rows', ms[51:300]));
    INSERT INTO results VALUES ('feed', pg_temp.report('RLS path (per-row can_interact_with_workout), LIMIT 250', ms_rls[3:20]));
END $$;

-- Submit: user 2 logs 400 workouts of 5 exercises x 5 sets (the last 200 measured)
INSERT INTO public.exercises (id, name, slug, category)
SELECT ('3b000000-0000-4000-8000-' || lpad(n::text, 12, '0'))::uuid, 'Perf Ex ' || n, 'perf-ex-' || n, 'strength' FROM generate_series(1, 5) n;
DO $$
DECLARE t0 timestamptz; ms double precision[] := '{}'; i int; v_ex jsonb;
BEGIN
    PERFORM set_config('request.jwt.claims', json_build_object('sub', pg_temp.u(2), 'role', 'authenticated')::text, true);
    SET LOCAL ROLE authenticated;
    FOR i IN 1..400 LOOP
        v_ex := (SELECT jsonb_agg(jsonb_build_object('exercise_id', ('3b000000-0000-4000-8000-' || lpad(e::text, 12, '0')),
                                                     'sets', (SELECT jsonb_agg(jsonb_build_object('reps', 5 + (i + s) % 4, 'weight_kg', 40 + (i * 3 + s * 5 + e) % 90))
                                                             FROM generate_series(1, 5) s)))
                 FROM generate_series(1, 5) e);
        t0 := clock_timestamp();
        PERFORM public.log_workout_atomic(jsonb_build_object('title', 'Perf submit ' || i), v_ex);
        ms := ms || (extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
    RESET ROLE;
    INSERT INTO results VALUES ('submit', pg_temp.report('log_workout_atomic 5x5 with 200..399 prior workouts', ms[201:400]));
END $$;

SELECT line FROM results ORDER BY what, line;
