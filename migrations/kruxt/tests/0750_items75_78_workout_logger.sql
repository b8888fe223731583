-- Items 75-78, database side (02 §8). The logger's field validation (75) and "no RPC on invalid
-- drafts" (76) live in the Rust flow; here: the RPC itself rejects the same bad payloads atomically
-- (so a draft that slipped past validation still saves nothing), and the reads the flow makes after a
-- submit give it its verification signals (77): totals > 0, a workout_logged card (ascending), and
-- progress with last_workout_at and chain_days > 0. Item 78: a workout saved without sets gives
-- totalsUpdated = false while the workout, card and progress exist (recoverable, nothing rolled back).
-- Actor: fede_lombardi (13) and sara_conti (04).

BEGIN;

CREATE FUNCTION pg_temp.sys(p_sql text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE v text; BEGIN EXECUTE p_sql INTO v; RETURN v; END $$;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT set_config('kruxt.now', '2026-03-09T19:30:00+01:00', true);
CREATE TEMP TABLE counts AS SELECT pg_temp.sys($q$SELECT (SELECT count(*) FROM public.workouts) || '/' || (SELECT count(*) FROM public.workout_sets)$q$) AS c;

-- ---- 75/76: what validation catches is also refused by the database (WORKOUT_LOG_RPC_FAILED if it ever got there)
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Draft"}', '[{"exercise_id":"","sets":[{"reps":8,"weight_kg":0,"rpe":7}]}]')$q$,
                     '23502', NULL, 'exercises.0.exerciseId blank: refused');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Draft"}', '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":-1}]}]')$q$,
                     '23514', NULL, 'exercises.0.sets.0.reps < 0: refused');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Draft"}', '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":-2.5}]}]')$q$,
                     '23514', NULL, 'exercises.0.sets.0.weightKg < 0: refused');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Draft"}', '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"rpe":12}]}]')$q$,
                     '23514', NULL, 'exercises.0.sets.0.rpe outside the range: refused');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Draft","rpe":11}', '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5}]}]')$q$,
                     '23514', NULL, 'metadata.rpe outside the range: refused');
SELECT pg_temp.eq(pg_temp.sys($q$SELECT (SELECT count(*) FROM public.workouts) || '/' || (SELECT count(*) FROM public.workout_sets)$q$),
                  (SELECT c FROM counts), 'nothing was saved by any refused submit');

-- ---- 77: a successful submit and the flow's follow-up reads (as the user)
CREATE TEMP TABLE prev AS SELECT xp_total, level, chain_days, rank_tier, last_workout_at FROM public.profiles WHERE id = auth.uid();
CREATE TEMP TABLE ok AS SELECT public.log_workout_atomic(
    '{"title":"Workout Session","workout_type":"strength","visibility":"public","started_at":"2026-03-09T18:30:00+01:00"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","block_type":"straight_set","sets":[{"reps":8,"weight_kg":60,"rpe":7},{"reps":8,"weight_kg":60,"rpe":8}]},
      {"exercise_id":"50000000-0000-4000-8000-000000000102","block_type":"superset","sets":[{"reps":10,"weight_kg":30,"rpe":7}]}]') AS id;
SELECT pg_temp.ok((SELECT id IS NOT NULL FROM ok), 'WORKOUT_LOG_RPC_NO_ID cannot happen: an id is returned');
-- WORKOUT_READ: the workout
SELECT pg_temp.eq((SELECT (total_sets > 0) || ' ' || total_sets || ' ' || total_volume_kg FROM public.workouts WHERE id = (SELECT id FROM ok)),
                  'true 3 1260.00', 'totalsUpdated: total_sets > 0');
-- WORKOUT_FEED_READ: its cards ascending
-- (both cards carry the same created_at -- app_now() is the transaction's time -- so only id orders them)
SELECT pg_temp.eq((SELECT string_agg(event_type, ',' ORDER BY event_type) FROM public.feed_events WHERE workout_id = (SELECT id FROM ok)),
                  'pr_verified,workout_logged', 'proofEventCreated: a workout_logged card (first squat and bench are also PRs)');
SELECT pg_temp.eq((SELECT count(DISTINCT created_at) FROM public.feed_events WHERE workout_id = (SELECT id FROM ok)), 1::bigint,
                  'one submit, one created_at');
SELECT pg_temp.ok((SELECT bool_or(event_type = 'workout_logged') FROM public.feed_events WHERE workout_id = (SELECT id FROM ok)), 'some card is workout_logged');
-- WORKOUT_PROGRESS_READ: the profile
SELECT pg_temp.eq((SELECT (last_workout_at IS NOT NULL AND chain_days > 0) || ' ' || xp_total || ' ' || level || ' ' || chain_days || ' ' || rank_tier
                   FROM public.profiles WHERE id = auth.uid()), 'true 13 1 1 initiate', 'progressUpdated: last_workout_at present and chain_days > 0');
SELECT pg_temp.eq((SELECT (p.xp_total - q.xp_total) || ' ' || (p.level - q.level) || ' ' || (p.chain_days - q.chain_days) || ' ' || (p.rank_tier <> q.rank_tier)
                   FROM public.profiles p, prev q WHERE p.id = auth.uid()), '13 0 1 false',
                  'progressDelta: xpDelta 13, levelDelta 0, chainDaysDelta 1, rankChanged false (rank_tier is never recomputed)');

-- ---- 78: signals incomplete -- an exercise without sets: saved, card and progress present, totals 0
CREATE TEMP TABLE empty AS SELECT public.log_workout_atomic('{"title":"Forgot the sets","started_at":"2026-03-09T19:00:00+01:00"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000105","sets":[]}]') AS id;
SELECT pg_temp.eq((SELECT total_sets FROM public.workouts WHERE id = (SELECT id FROM empty)), 0, 'totalsUpdated = false (total_sets 0)');
SELECT pg_temp.eq((SELECT count(*) FROM public.feed_events WHERE workout_id = (SELECT id FROM empty) AND event_type = 'workout_logged'), 1::bigint,
                  'the card exists');
SELECT pg_temp.eq((SELECT xp_total || '/' || chain_days FROM public.profiles WHERE id = auth.uid()), '23/1', 'progress moved (+10, same day)');
SELECT pg_temp.eq((SELECT count(*) FROM public.workouts WHERE user_id = auth.uid()), 2::bigint,
                  'the workout stays saved (WORKOUT_LOGGER_SIGNALS_INCOMPLETE is recoverable; nothing is rolled back)');

-- ---- a private workout is still fully readable by its owner for verification
CREATE TEMP TABLE priv AS SELECT public.log_workout_atomic('{"title":"Private","visibility":"private"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000104","sets":[{"distance_m":2000}]}]') AS id;
SELECT pg_temp.eq((SELECT count(*) FROM public.workouts w JOIN public.feed_events f ON f.workout_id = w.id WHERE w.id = (SELECT id FROM priv)), 1::bigint,
                  'owner reads a private workout and its card');

-- ---- WORKOUT_NOT_FOUND_AFTER_LOG / PROFILE_NOT_FOUND_AFTER_LOG cannot be provoked by another user's reads
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.workouts WHERE id = (SELECT id FROM priv)), 0::bigint, 'another user does not see the private workout');

ROLLBACK;
