-- Item 5: a workout insert creates its feed event and increments profile XP/chain (02 §4).
-- Departure from reference (fixed here): XP = 10 + the sets actually logged (3 sets -> 13), not a
-- flat +10 computed while total_sets was still 0. Workouts inserted directly (not through the RPC)
-- earn their XP at commit through the DEFERRED constraint trigger, with their final set count
-- (SET CONSTRAINTS ALL IMMEDIATE fires it inside the test). Chain by UTC calendar date.
-- Actor: fede_lombardi (13), no workouts in the seed.

BEGIN;

CREATE FUNCTION pg_temp.sys(p_sql text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE v text; BEGIN EXECUTE p_sql INTO v; RETURN v; END $$;
CREATE FUNCTION pg_temp.progress() RETURNS text LANGUAGE sql AS $$
    SELECT xp_total || '/' || level || '/' || chain_days || '/' || rank_tier || '/'
           || coalesce(to_char(last_workout_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI'), '-')
    FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000013'
$$;

-- ---- level formula: min(50, max(1, floor(sqrt(max(xp,0)/100)) + 1))
SELECT pg_temp.eq(public.calculate_level_from_xp(0), 1, 'level(0) = 1');
SELECT pg_temp.eq(public.calculate_level_from_xp(-40), 1, 'level(negative) = 1');
SELECT pg_temp.eq(public.calculate_level_from_xp(99), 1, 'level(99) = 1');
SELECT pg_temp.eq(public.calculate_level_from_xp(100), 2, 'level(100) = 2');
SELECT pg_temp.eq(public.calculate_level_from_xp(399), 2, 'level(399) = 2');
SELECT pg_temp.eq(public.calculate_level_from_xp(400), 3, 'level(400) = 3');
SELECT pg_temp.eq(public.calculate_level_from_xp(240099), 49, 'level(240099) = 49');
SELECT pg_temp.eq(public.calculate_level_from_xp(240100), 50, 'level(240100) = 50');
SELECT pg_temp.eq(public.calculate_level_from_xp(2000000000), 50, 'level is capped at 50');

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT set_config('kruxt.now', '2026-03-10T19:00:00+01:00', true);
SELECT pg_temp.eq(pg_temp.progress(), '0/1/0/initiate/-', 'fede starts with no progress');

-- ---- first workout, 3 sets -> XP 13 (the reference gave 10), chain 1
CREATE TEMP TABLE w1 AS SELECT public.log_workout_atomic('{"title":"First","started_at":"2026-03-10T18:00:00+01:00","visibility":"gym","workout_type":"hyrox"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000104","sets":[{"distance_m":1000},{"distance_m":1000},{"distance_m":1000}]}]') AS id;
SELECT pg_temp.eq(pg_temp.progress(), '13/1/1/initiate/2026-03-10T17:00', 'first workout with 3 sets: xp_total = 13, chain_days = 1');
SELECT pg_temp.eq((SELECT count(*) || ' ' || min(event_type) || ' ' || min(caption) || ' ' || min(metadata::text) || ' ' || min(user_id::text)
                   FROM public.feed_events WHERE workout_id = (SELECT id FROM w1)),
                  '1 workout_logged Post the proof. {"visibility": "gym", "workout_type": "hyrox"} 20000000-0000-4000-8000-000000000013',
                  'one workout_logged card with caption and metadata {visibility, workout_type}');
SELECT pg_temp.eq((SELECT xp_awarded || ' ' || (progress_applied_at = public.app_now()) FROM public.workouts WHERE id = (SELECT id FROM w1)),
                  '13 true', 'the workout records xp_awarded and progress_applied_at = app_now()');
SELECT pg_temp.eq(pg_temp.sys(format($q$SELECT aggregate_type || ' ' || aggregate_id || ' ' || payload::text FROM public.event_outbox
                                        WHERE event_type = 'workout.logged' AND aggregate_id = %L$q$, (SELECT id FROM w1))),
                  format('workout %s {"user_id": "20000000-0000-4000-8000-000000000013", "xp_gain": 13, "workout_id": "%s"}',
                         (SELECT id FROM w1), (SELECT id FROM w1)),
                  'outbox workout.logged, aggregate workout, payload {user_id, workout_id, xp_gain}');

-- ---- second workout the same (UTC) day, 2 sets -> 25, chain unchanged
SELECT public.log_workout_atomic('{"title":"Second","started_at":"2026-03-10T21:00:00+01:00"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000104","sets":[{"distance_m":500},{"distance_m":500}]}]');
SELECT pg_temp.eq(pg_temp.progress(), '25/1/1/initiate/2026-03-10T20:00', 'same day, 2 sets: 25, chain unchanged');

-- ---- UTC dates: 00:30 Rome on 03-11 is still 03-10 in UTC -> same day, chain unchanged
SELECT public.log_workout_atomic('{"title":"Late","started_at":"2026-03-11T00:30:00+01:00"}', '[]');
SELECT pg_temp.eq(pg_temp.progress(), '35/1/1/initiate/2026-03-10T23:30', 'a workout with no sets gives 10; 23:30 UTC is the same UTC date');

-- ---- next day -> chain 2; a gap -> chain back to 1
SELECT public.log_workout_atomic('{"title":"Next day","started_at":"2026-03-11T18:00:00+01:00"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000105","sets":[{"distance_m":5000}]}]');
SELECT pg_temp.eq(pg_temp.progress(), '46/1/2/initiate/2026-03-11T17:00', 'next day: chain 2');
SELECT public.log_workout_atomic('{"title":"After a gap","started_at":"2026-03-14T18:00:00+01:00"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000105","sets":[{"distance_m":5000}]}]');
SELECT pg_temp.eq(pg_temp.progress(), '57/1/1/initiate/2026-03-14T17:00', 'after a missed day the chain restarts at 1');
-- an older (backfilled) workout: "otherwise -> 1", last_workout_at keeps the newest
SELECT public.log_workout_atomic('{"title":"Backfill","started_at":"2026-03-01T18:00:00+01:00"}', '[]');
SELECT pg_temp.eq(pg_temp.progress(), '67/1/1/initiate/2026-03-14T17:00', 'backfill: chain 1 (02 §4 rule), last_workout_at = max(previous, started_at)');

-- ---- level up: enough sets to pass 100 XP
SELECT public.log_workout_atomic('{"title":"Volume","started_at":"2026-03-15T18:00:00+01:00"}',
    format('[{"exercise_id":"50000000-0000-4000-8000-000000000104","sets":%s}]',
           (SELECT jsonb_agg(jsonb_build_object('distance_m', 100)) FROM generate_series(1, 30)))::jsonb);
SELECT pg_temp.eq(pg_temp.progress(), '107/2/2/initiate/2026-03-15T17:00', '30 sets: +40, level 2 at 107 XP, chain 2; rank_tier is never recomputed');

-- ---- direct insert (not the RPC): XP comes at commit with the final set count
INSERT INTO public.workouts (id, user_id, title, started_at) VALUES ('4f000000-0000-4000-8000-000000000501', auth.uid(), 'Direct', '2026-03-16T07:00:00+01:00');
SELECT pg_temp.eq((SELECT count(*) FROM public.feed_events WHERE workout_id = '4f000000-0000-4000-8000-000000000501'), 1::bigint,
                  'the direct insert posted its card immediately');
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index)
VALUES ('4f000000-0000-4000-8000-000000000511', '4f000000-0000-4000-8000-000000000501', '50000000-0000-4000-8000-000000000104', 1);
INSERT INTO public.workout_sets (workout_exercise_id, set_index, distance_m) VALUES ('4f000000-0000-4000-8000-000000000511', 1, 250);
INSERT INTO public.workout_sets (workout_exercise_id, set_index, distance_m) VALUES ('4f000000-0000-4000-8000-000000000511', 2, 250);
SELECT pg_temp.eq(pg_temp.progress(), '107/2/2/initiate/2026-03-15T17:00', 'before commit: no progress yet (deferred)');
SET CONSTRAINTS ALL IMMEDIATE;   -- what COMMIT does
SET CONSTRAINTS ALL DEFERRED;
SELECT pg_temp.eq(pg_temp.progress(), '119/2/3/initiate/2026-03-16T06:00',
                  'at commit: 10 + 2 sets (the reference gave +10 computed at insert time), chain 3');
SELECT pg_temp.eq((SELECT xp_awarded FROM public.workouts WHERE id = '4f000000-0000-4000-8000-000000000501'), 12, 'xp_awarded 12');

-- ---- idempotent: applying progress again changes nothing
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.apply_workout_progress('4f000000-0000-4000-8000-000000000501'), 0, 'apply_workout_progress returns 0 the second time');
SELECT pg_temp.eq(public.apply_workout_progress(pg_temp.sys('SELECT id FROM pg_temp.w1')::uuid), 0, 'and for RPC workouts (applied inside the call)');
SELECT pg_temp.eq(public.apply_workout_progress('4f000000-0000-4000-8000-0000000fffff'), 0, 'and for an unknown workout');
SELECT pg_temp.eq(pg_temp.progress(), '119/2/3/initiate/2026-03-16T06:00', 'no change');
SELECT pg_temp.eq(pg_temp.sys($q$SELECT count(*) FROM public.event_outbox WHERE event_type = 'workout.logged'
                                 AND payload ->> 'user_id' = '20000000-0000-4000-8000-000000000013'$q$), '8',
                  'exactly one workout.logged per workout (8 workouts)');

-- ---- EXECUTE on apply_workout_progress: service only
SELECT pg_temp.ok(NOT has_function_privilege('authenticated', 'public.apply_workout_progress(uuid)', 'EXECUTE'), 'authenticated cannot execute it');
SELECT pg_temp.ok(NOT has_function_privilege('anon', 'public.apply_workout_progress(uuid)', 'EXECUTE'), 'anon cannot execute it');
SELECT pg_temp.ok(has_function_privilege('service_role', 'public.apply_workout_progress(uuid)', 'EXECUTE'), 'service_role can');

-- ---- the seed's expected result (99 §8): sara 35 XP, level 1, chain 3
SELECT pg_temp.eq((SELECT xp_total || '/' || level || '/' || chain_days FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000004'),
                  '35/1/3', 'sara after W01-W03: 13 + 11 + 11 = 35, level 1, chain 3');

ROLLBACK;
