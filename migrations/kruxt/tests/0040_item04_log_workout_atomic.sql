-- Item 4: log_workout_atomic rolls back if any nested exercise/set insert fails (02 §3).
-- Positive: one call writes the workout, its exercises and sets (defaults and running counters), the
-- workout_logged card, totals, progress and the workout.logged outbox row. Negative: every kind of
-- nested failure raises its underlying error and leaves nothing behind (no workout, exercise, set,
-- feed event, outbox row or profile change), not even a deferred progression at commit.
-- Actor: fede_lombardi (user 13, Wellness Zone member, no workouts in the seed).

BEGIN;

-- sys(sql): a value read by the session user (no RLS), to check what the system holds.
CREATE FUNCTION pg_temp.sys(p_sql text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE v text; BEGIN EXECUTE p_sql INTO v; RETURN v; END $$;
CREATE FUNCTION pg_temp.state() RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.sys($q$
        SELECT format('workouts=%s exercises=%s sets=%s feed=%s outbox=%s fede=%s/%s/%s/%s',
            (SELECT count(*) FROM public.workouts), (SELECT count(*) FROM public.workout_exercises),
            (SELECT count(*) FROM public.workout_sets), (SELECT count(*) FROM public.feed_events),
            (SELECT count(*) FROM public.event_outbox),
            p.xp_total, p.level, p.chain_days, coalesce(p.last_workout_at::text, '-'))
        FROM public.profiles p WHERE p.id = '20000000-0000-4000-8000-000000000013'$q$)
$$;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT set_config('kruxt.now', '2026-03-09T18:00:00+01:00', true);

CREATE TEMP TABLE before_state AS SELECT pg_temp.state() AS s;

-- ---- positive: a full workout in one call
CREATE TEMP TABLE logged AS
SELECT public.log_workout_atomic(
    '{"gym_id":"10000000-0000-4000-8000-000000000002","title":"Strength A","notes":"","rpe":8,
      "started_at":"2026-03-09T17:00:00+01:00","ended_at":"2026-03-09T17:55:00+01:00"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","target_reps":"5","sets":[
          {"reps":5,"weight_kg":60},{"reps":5,"weight_kg":70},{"reps":5,"weight_kg":80,"rpe":9}]},
      {"exercise_id":"50000000-0000-4000-8000-000000000102","block_type":"superset","sets":[
          {"set_index":3,"reps":10,"weight_kg":40},{"reps":"","weight_kg":"","duration_seconds":45}]}]') AS id;

SELECT pg_temp.ok((SELECT id IS NOT NULL FROM logged), 'log_workout_atomic returns the workout id');
SELECT pg_temp.eq((SELECT user_id || ' ' || title || ' ' || workout_type || ' ' || visibility || ' ' || source || ' ' || coalesce(notes, '<null>')
                   FROM public.workouts WHERE id = (SELECT id FROM logged)),
                  '20000000-0000-4000-8000-000000000013 Strength A strength public manual <null>',
                  'the workout belongs to the caller; defaults strength/public/manual; empty string notes -> null');
SELECT pg_temp.eq((SELECT total_sets || ' ' || total_volume_kg FROM public.workouts WHERE id = (SELECT id FROM logged)),
                  '5 1450.00', 'totals: 5 sets, volume 5x60 + 5x70 + 5x80 + 10x40 = 1450 (+ 0 for the timed set)');
SELECT pg_temp.eq((SELECT string_agg(order_index || ':' || block_type, ',' ORDER BY order_index) FROM public.workout_exercises
                   WHERE workout_id = (SELECT id FROM logged)), '1:straight_set,2:superset', 'order_index is a running counter; block_type default');
SELECT pg_temp.eq((SELECT string_agg(we.order_index || '.' || s.set_index || '=' || coalesce(s.reps::text, '-') || 'x' || coalesce(s.weight_kg::text, '-'), ','
                                     ORDER BY we.order_index, s.set_index)
                   FROM public.workout_sets s JOIN public.workout_exercises we ON we.id = s.workout_exercise_id
                   WHERE we.workout_id = (SELECT id FROM logged)),
                  '1.1=5x60.00,1.2=5x70.00,1.3=5x80.00,2.2=-x-,2.3=10x40.00',
                  'set_index: given value or the running counter per exercise; empty strings are null');
SELECT pg_temp.eq((SELECT count(*) FROM public.feed_events WHERE workout_id = (SELECT id FROM logged) AND event_type = 'workout_logged'), 1::bigint,
                  'the workout_logged card exists');
SELECT pg_temp.eq((SELECT xp_total || '/' || level || '/' || chain_days FROM public.profiles WHERE id = auth.uid()), '15/1/1',
                  'progress applied inside the call: 10 + 5 sets');
SELECT pg_temp.eq(pg_temp.sys($q$SELECT count(*) FROM public.event_outbox WHERE event_type = 'workout.logged'
                                 AND payload ->> 'user_id' = '20000000-0000-4000-8000-000000000013'$q$), '1', 'one workout.logged outbox row');

-- defaults when keys are missing or empty
CREATE TEMP TABLE logged2 AS
SELECT public.log_workout_atomic('{"title":"","workout_type":"","visibility":"","source":""}',
                                 '[{"exercise_id":"50000000-0000-4000-8000-000000000105","sets":[{"distance_m":1000}]}]') AS id;
SELECT pg_temp.eq((SELECT title || ' ' || workout_type || ' ' || visibility || ' ' || source || ' ' || (started_at = public.app_now()) || ' ' || (gym_id IS NULL)
                   FROM public.workouts WHERE id = (SELECT id FROM logged2)),
                  'Workout Session strength public manual true true', 'title, type, visibility, source, started_at = app_now(), no gym');
SELECT pg_temp.eq((SELECT completed_at FROM public.workout_sets WHERE workout_id = (SELECT id FROM logged2)), public.app_now(),
                  'completed_at defaults to app_now() (sandbox clock)');
SELECT pg_temp.eq((SELECT created_at FROM public.feed_events WHERE workout_id = (SELECT id FROM logged2)), public.app_now(),
                  'the card''s created_at comes from app_now()');

-- ---- negative: every nested failure rolls the whole call back
DROP TABLE before_state;
CREATE TEMP TABLE before_state AS SELECT pg_temp.state() AS s;

SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Bad exercise"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":100}]},
      {"exercise_id":"59999999-0000-4000-8000-000000000999","sets":[{"reps":5,"weight_kg":100}]}]')$q$,
    '23503', '%workout_exercises%', 'unknown exercise_id in the second exercise raises the FK error');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Bad set"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":100}]},
      {"exercise_id":"50000000-0000-4000-8000-000000000102","sets":[{"reps":8,"weight_kg":50},{"reps":-1,"weight_kg":50}]}]')$q$,
    '23514', '%workout_sets%', 'a negative rep count in the last set raises the check error');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Negative weight"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":-20}]}]')$q$,
    '23514', NULL, 'a negative weight raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Negative distance"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000105","sets":[{"distance_m":-1}]}]')$q$,
    '23514', NULL, 'a negative distance raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Dup order"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","order_index":1,"sets":[{"reps":5,"weight_kg":100}]},
      {"exercise_id":"50000000-0000-4000-8000-000000000102","order_index":1,"sets":[{"reps":5,"weight_kg":50}]}]')$q$,
    '23505', '%workout_exercises_workout_id_order_index_key%', 'a duplicate order_index raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Dup set"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":100},{"set_index":1,"reps":3,"weight_kg":100}]}]')$q$,
    '23505', '%workout_sets_workout_exercise_id_set_index_key%', 'a duplicate set_index raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Bad set rpe"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":100,"rpe":11}]}]')$q$,
    '23514', NULL, 'a set RPE above 10 raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Bad workout rpe","rpe":10.5}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":100}]}]')$q$,
    '23514', NULL, 'a workout RPE above 10 raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"title":"Bad enum","workout_type":"yoga"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":100}]}]')$q$,
    '22P02', '%workout_type%', 'invalid workout_type text raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"visibility":"friends"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101"}]')$q$,
    '22P02', '%workout_visibility%', 'invalid visibility text raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5}]},
      {"exercise_id":"50000000-0000-4000-8000-000000000102","block_type":"tabata","sets":[{"reps":5}]}]')$q$,
    '22P02', '%workout_block_type%', 'invalid block_type text in the second exercise raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{}', '[{"sets":[{"reps":5}]}]')$q$,
    '23502', '%exercise_id%', 'a missing exercise_id raises the not-null error');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{}', '[{"exercise_id":"not-a-uuid"}]')$q$,
    '22P02', NULL, 'a malformed exercise_id raises');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{}', '{"exercise_id":"50000000-0000-4000-8000-000000000101"}')$q$,
    'KX422', 'p_exercises must be a JSON array', 'p_exercises must be an array');
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{"started_at":"2026-03-09T10:00:00Z","ended_at":"2026-03-09T09:00:00Z"}', '[]')$q$,
    '23514', '%workouts_ended_after_started%', 'ended_at before started_at raises');

SELECT pg_temp.eq(pg_temp.state(), (SELECT s FROM before_state),
                  'after every failed call: no workout, exercise, set, feed event, outbox row or profile change survives');
-- the failed calls' deferred progression triggers were discarded with them
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SELECT pg_temp.eq(pg_temp.state(), (SELECT s FROM before_state), 'nothing fires later either');

-- ---- authentication
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{}', '[]')$q$, 'KX401', 'Authentication required', 'no sub: Authentication required');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{}', '[]')$q$, 'KX401', 'Authentication required', 'anonymous: Authentication required');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$SELECT public.log_workout_atomic('{}', '[]')$q$, 'KX401', 'Authentication required',
                     'service claims without sub: Authentication required (workouts belong to a user)');

-- ---- a caller cannot log a workout for someone else: user_id is always auth.uid()
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
CREATE TEMP TABLE logged3 AS
SELECT public.log_workout_atomic('{"user_id":"20000000-0000-4000-8000-000000000004","title":"Not for sara"}', '[]') AS id;
SELECT pg_temp.eq((SELECT user_id FROM public.workouts WHERE id = (SELECT id FROM logged3)), '20000000-0000-4000-8000-000000000013'::uuid,
                  'a user_id key in p_workout is ignored');

ROLLBACK;
