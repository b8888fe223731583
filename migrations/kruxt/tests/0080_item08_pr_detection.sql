-- Item 8: PR detection marks workout_sets.is_pr and inserts one pr_verified feed event per workout
-- (02 §5). e1RM = weight x (1 + reps/30); a set is a PR when it strictly beats every other set of the
-- same user on the same exercise. However many PR sets a workout has: one pr_verified card, one
-- pr.verified outbox row (the reference posted one per PR set). The trigger and the whole submit
-- touch feed_events, event_outbox and the set tables through indexes only.
-- Actors: sara_conti (04, seed W01-W03), fede_lombardi (13, no workouts).

BEGIN;

CREATE FUNCTION pg_temp.sys(p_sql text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE v text; BEGIN EXECUTE p_sql INTO v; RETURN v; END $$;
-- seq scans of the submit path's tables in this transaction so far
CREATE FUNCTION pg_temp.seq_scans() RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(relname || '=' || seq_scan, ',' ORDER BY relname) FROM pg_stat_xact_user_tables
    WHERE schemaname = 'public'
      AND relname IN ('feed_events', 'event_outbox', 'workout_sets', 'workout_exercises', 'workouts', 'profiles')
$$;
CREATE FUNCTION pg_temp.prs(p_workout uuid) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.sys(format($q$
        SELECT w.is_pr || ' sets:' || coalesce((SELECT string_agg(s.reps || 'x' || s.weight_kg || '=' || s.is_pr, ',' ORDER BY (SELECT we.order_index FROM public.workout_exercises we WHERE we.id = s.workout_exercise_id), s.set_index)
                                                FROM public.workout_sets s WHERE s.workout_id = w.id), '')
            || ' cards:' || (SELECT count(*) FROM public.feed_events f WHERE f.workout_id = w.id AND f.event_type = 'pr_verified')
            || ' outbox:' || (SELECT count(*) FROM public.event_outbox o WHERE o.aggregate_id = w.id AND o.event_type = 'pr.verified')
        FROM public.workouts w WHERE w.id = %L$q$, p_workout))
$$;

-- ---- no unindexed scans: with sequential scans disabled, a full submit with PRs must not need one
-- (the first submit of this session, so every plan inside the triggers is made here)
SET LOCAL enable_seqscan = off;
CREATE TEMP TABLE scans_before AS SELECT pg_temp.seq_scans() AS s;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT set_config('kruxt.now', '2026-03-09T18:00:00+01:00', true);
CREATE TEMP TABLE f1 AS SELECT public.log_workout_atomic('{"title":"Pulls"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000103","sets":[{"reps":5,"weight_kg":100},{"reps":3,"weight_kg":120},{"reps":2,"weight_kg":130}]},
      {"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":50}]}]') AS id;
RESET ROLE;
SELECT pg_temp.eq(pg_temp.seq_scans(), (SELECT s FROM scans_before),
                  'submit + PR detection + progress: no sequential scan of feed_events, event_outbox, sets, exercises, workouts, profiles');
RESET enable_seqscan;

-- ---- several PR sets in one workout: every set flagged, one card, one outbox row
SELECT pg_temp.eq(pg_temp.prs((SELECT id FROM f1)), 'true sets:5x100.00=true,3x120.00=true,2x130.00=true,5x50.00=true cards:1 outbox:1',
                  'fede''s first deadlifts 100x5, 120x3, 130x2 (all PRs) and squat 50x5 (first squat): one pr_verified, one pr.verified');
SELECT pg_temp.eq(pg_temp.sys(format($q$SELECT payload ->> 'workout_set_id' IS NOT NULL AND (payload ->> 'estimated_1rm')::numeric > 0
                                          AND payload ->> 'user_id' = '20000000-0000-4000-8000-000000000013' AND aggregate_type = 'workout'
                                        FROM public.event_outbox WHERE aggregate_id = %L AND event_type = 'pr.verified'$q$, (SELECT id FROM f1))),
                  'true', 'pr.verified: aggregate workout, payload {user_id, workout_id, workout_set_id, estimated_1rm}');
SELECT pg_temp.eq(pg_temp.sys(format($q$SELECT caption || ' ' || metadata::text || ' ' || user_id FROM public.feed_events
                                        WHERE workout_id = %L AND event_type = 'pr_verified'$q$, (SELECT id FROM f1))),
                  'PR forged. Post the proof. {"source": "system_pr_detection"} 20000000-0000-4000-8000-000000000013', 'the pr_verified card');
-- each user's PRs are their own: sara's 121 kg squat e1RM does not stop fede's 50x5 from being a PR (checked above)

-- ---- the seed (99 §8): W01 100x5 then 110x3 both PR, bench 60x8 PR (first bench); W02 62.5x8 PR; W03 90x5 no PR
SELECT pg_temp.eq(pg_temp.prs('40000000-0000-4000-8000-000000000101'), 'true sets:5x100.00=true,3x110.00=true,8x60.00=true cards:1 outbox:1',
                  'W01: three PR sets, one card, one outbox row');
SELECT pg_temp.eq(pg_temp.prs('40000000-0000-4000-8000-000000000102'), 'true sets:8x62.50=true cards:1 outbox:1', 'W02: bench 62.5x8 beats 60x8');
SELECT pg_temp.eq(pg_temp.prs('40000000-0000-4000-8000-000000000103'), 'false sets:5x90.00=false cards:0 outbox:0', 'W03: 90x5 (105) < 121, no PR, no card');
SELECT pg_temp.eq(pg_temp.prs('40000000-0000-4000-8000-000000000107'), 'false sets: cards:0 outbox:0', 'W07: distance-only sets are never PRs');
SELECT pg_temp.eq(pg_temp.sys($q$SELECT count(*) FROM public.feed_events WHERE event_type = 'pr_verified'
                                 AND workout_id::text LIKE '40000000-0000-4000-8000-0000000001%'$q$), '2', 'PR cards for W01 and W02 only');

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);

-- ---- a later workout 90x5 -> no PR, no new event
CREATE TEMP TABLE s1 AS SELECT public.log_workout_atomic('{"title":"Squats again"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":90,"is_pr":true}]}]') AS id;
SELECT pg_temp.eq(pg_temp.prs((SELECT id FROM s1)), 'false sets:5x90.00=false cards:0 outbox:0',
                  '90x5 again: no PR; the client''s "is_pr": true is ignored');

-- ---- strictly greater: matching the best e1RM is no PR
CREATE TEMP TABLE s2 AS SELECT public.log_workout_atomic('{"title":"Match"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":3,"weight_kg":110}]}]') AS id;
SELECT pg_temp.eq(pg_temp.prs((SELECT id FROM s2)), 'false sets:3x110.00=false cards:0 outbox:0', '110x3 again (e1RM 121 = best): not a PR');

-- ---- beating it: PR, card and outbox row carrying this set
CREATE TEMP TABLE s3 AS SELECT public.log_workout_atomic('{"title":"Beat"}',
    '[{"exercise_id":"50000000-0000-4000-8000-000000000101","sets":[{"reps":5,"weight_kg":80},{"reps":3,"weight_kg":115},{"reps":1,"weight_kg":117}]}]') AS id;
SELECT pg_temp.eq(pg_temp.prs((SELECT id FROM s3)), 'true sets:5x80.00=false,3x115.00=true,1x117.00=false cards:1 outbox:1',
                  '115x3 (126.5) beats 121; 117x1 (120.9) does not beat 126.5');
SELECT pg_temp.eq(pg_temp.sys(format($q$SELECT (payload ->> 'estimated_1rm') || ' ' || (payload ->> 'workout_set_id' = (
                                            SELECT s.id::text FROM public.workout_sets s WHERE s.workout_id = %L AND s.weight_kg = 115))
                                        FROM public.event_outbox WHERE aggregate_id = %L AND event_type = 'pr.verified'$q$,
                                     (SELECT id FROM s3), (SELECT id FROM s3))),
                  '126.500 true', 'the outbox row names the PR set and its e1RM');

-- ---- a direct set insert by the owner: is_pr from the client ignored, detection still runs
INSERT INTO public.workouts (id, user_id, title, started_at) VALUES ('4f000000-0000-4000-8000-000000000801', auth.uid(), 'Direct', public.app_now());
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index)
VALUES ('4f000000-0000-4000-8000-000000000811', '4f000000-0000-4000-8000-000000000801', '50000000-0000-4000-8000-000000000102', 1);
INSERT INTO public.workout_sets (workout_exercise_id, set_index, reps, weight_kg, is_pr) VALUES ('4f000000-0000-4000-8000-000000000811', 1, 5, 40, true);
SELECT pg_temp.eq(pg_temp.prs('4f000000-0000-4000-8000-000000000801'), 'false sets:5x40.00=false cards:0 outbox:0', 'client is_pr = true on 40x5 bench: stored false');
INSERT INTO public.workout_sets (workout_exercise_id, set_index, reps, weight_kg) VALUES ('4f000000-0000-4000-8000-000000000811', 2, 8, 65);
INSERT INTO public.workout_sets (workout_exercise_id, set_index, reps, weight_kg) VALUES ('4f000000-0000-4000-8000-000000000811', 3, 6, 70);
SELECT pg_temp.eq(pg_temp.prs('4f000000-0000-4000-8000-000000000801'), 'true sets:5x40.00=false,8x65.00=true,6x70.00=true cards:1 outbox:1',
                  '65x8 (82.3 > 79.2) and 70x6 (84), two PR sets by direct insert: still one card and one outbox row');

-- ---- an edit that makes a set a PR (AFTER UPDATE OF reps, weight_kg)
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.workout_sets SET weight_kg = 130 WHERE id = '40000000-0000-4000-8000-000003030101'$q$), 1::bigint,
                  'sara corrects W03''s set to 130x5');
SELECT pg_temp.eq(pg_temp.prs('40000000-0000-4000-8000-000000000103'), 'true sets:5x130.00=true cards:1 outbox:1', 'W03 becomes a PR workout with its card');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.workout_sets SET rpe = 9 WHERE id = '40000000-0000-4000-8000-000003030101'$q$), 1::bigint,
                  'an unrelated edit');
SELECT pg_temp.eq(pg_temp.prs('40000000-0000-4000-8000-000000000103'), 'true sets:5x130.00=true cards:1 outbox:1', 'still one card');

-- ---- one card per workout is also a constraint
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.feed_events (workout_id, event_type) VALUES ('40000000-0000-4000-8000-000000000101', 'pr_verified')$q$,
                     '23505', '%feed_events_one_pr_verified_per_workout%', 'a second pr_verified card for W01 is refused, even for the service');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.feed_events (user_id, workout_id, event_type) VALUES (auth.uid(), '40000000-0000-4000-8000-000000000103', 'pr_verified')$q$,
                     '42501', 'new row violates row-level security policy for table "feed_events"', 'a client cannot post a pr_verified card');
SELECT pg_temp.fails($q$INSERT INTO public.feed_events (user_id, workout_id, event_type) VALUES (auth.uid(), '40000000-0000-4000-8000-000000000103', 'workout_logged')$q$,
                     '42501', NULL, 'nor a second workout_logged card');
SELECT pg_temp.fails($q$INSERT INTO public.feed_events (user_id, workout_id, event_type) VALUES (auth.uid(), '40000000-0000-4000-8000-000000000107', 'shared')$q$,
                     'KX422', 'Feed event user_id must be the workout owner', 'nor a card on someone else''s workout');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.feed_events (user_id, workout_id, event_type, caption) VALUES (auth.uid(), '40000000-0000-4000-8000-000000000103', 'shared', 'Look')$q$),
                  1::bigint, 'own card of another type on an own workout: allowed');

ROLLBACK;
