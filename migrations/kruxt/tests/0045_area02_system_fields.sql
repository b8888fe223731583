-- Area 02 gap closures on system-managed fields (02 §1.2, §1.3, 01 §1.1): workout totals, is_pr,
-- progress_applied_at, xp_awarded, set is_pr, and the profile's XP/level/chain are never writable
-- by clients -- not even by the owner (the reference let an owner write them directly). Totals follow
-- every set insert, update and delete (refresh_workout_totals). The service may still correct rows.
-- Actors: sara_conti (04, owner of W01-W03), davide_romano (05).

BEGIN;

CREATE FUNCTION pg_temp.sys(p_sql text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE v text; BEGIN EXECUTE p_sql INTO v; RETURN v; END $$;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);

-- ---- workouts: the owner's direct update of any system field raises
SELECT pg_temp.fails($q$UPDATE public.workouts SET total_sets = 99 WHERE id = '40000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Workout totals are system-managed', 'owner cannot set total_sets');
SELECT pg_temp.fails($q$UPDATE public.workouts SET total_volume_kg = 50000 WHERE id = '40000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Workout totals are system-managed', 'owner cannot set total_volume_kg (volume leaderboards)');
SELECT pg_temp.fails($q$UPDATE public.workouts SET is_pr = false WHERE id = '40000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Workout totals are system-managed', 'owner cannot clear is_pr');
SELECT pg_temp.fails($q$UPDATE public.workouts SET is_pr = true WHERE id = '40000000-0000-4000-8000-000000000103'$q$,
                     'KX403', 'Workout totals are system-managed', 'owner cannot set is_pr');
SELECT pg_temp.fails($q$UPDATE public.workouts SET progress_applied_at = NULL WHERE id = '40000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Workout totals are system-managed', 'owner cannot reset progress_applied_at (to earn XP twice)');
SELECT pg_temp.fails($q$UPDATE public.workouts SET xp_awarded = 500 WHERE id = '40000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Workout totals are system-managed', 'owner cannot set xp_awarded');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.workouts SET title = 'Leg Day (heavy)', notes = 'New notes', rpe = 9
                                      WHERE id = '40000000-0000-4000-8000-000000000101'$q$), 1::bigint, 'owner edits title, notes, rpe');
SELECT pg_temp.eq((SELECT total_sets || ' ' || total_volume_kg || ' ' || is_pr || ' ' || xp_awarded FROM public.workouts
                   WHERE id = '40000000-0000-4000-8000-000000000101'), '3 1310.00 true 13', 'system fields untouched by the edit');

-- ---- workouts: an insert by the owner gets the system fields reset
INSERT INTO public.workouts (id, user_id, title, started_at, total_sets, total_volume_kg, is_pr, progress_applied_at, xp_awarded)
VALUES ('4f000000-0000-4000-8000-000000000001', auth.uid(), 'Forged', public.app_now(), 50, 99999, true, public.app_now(), 1000);
SELECT pg_temp.eq((SELECT total_sets || ' ' || total_volume_kg || ' ' || is_pr || ' ' || coalesce(progress_applied_at::text, '-') || ' ' || coalesce(xp_awarded::text, '-')
                   FROM public.workouts WHERE id = '4f000000-0000-4000-8000-000000000001'), '0 0.00 false - -',
                  'insert forces total_sets 0, volume 0, is_pr false, progress_applied_at and xp_awarded null');

-- ---- sets: is_pr is never written by a client; totals follow every change
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index)
VALUES ('4f000000-0000-4000-8000-000000000011', '4f000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000101', 1);
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, reps, weight_kg, is_pr)
VALUES ('4f000000-0000-4000-8000-000000000111', '4f000000-0000-4000-8000-000000000011', 1, 5, 50, true);
SELECT pg_temp.eq((SELECT is_pr FROM public.workout_sets WHERE id = '4f000000-0000-4000-8000-000000000111'), false,
                  'a client insert with is_pr = true is stored false (50x5 is no PR for sara)');
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, reps, weight_kg)
VALUES ('4f000000-0000-4000-8000-000000000112', '4f000000-0000-4000-8000-000000000011', 2, 3, 62.5);
SELECT pg_temp.eq((SELECT total_sets || ' ' || total_volume_kg FROM public.workouts WHERE id = '4f000000-0000-4000-8000-000000000001'),
                  '2 437.50', 'totals after two inserts: 2 sets, 250 + 187.5');
SELECT pg_temp.fails($q$UPDATE public.workout_sets SET is_pr = true WHERE id = '4f000000-0000-4000-8000-000000000111'$q$,
                     'KX403', 'Workout totals are system-managed', 'owner cannot mark a set as PR');
SELECT pg_temp.fails($q$UPDATE public.workout_sets SET is_pr = false WHERE id = '40000000-0000-4000-8000-000003010102'$q$,
                     'KX403', 'Workout totals are system-managed', 'owner cannot clear a verified PR');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.workout_sets SET reps = 4 WHERE id = '4f000000-0000-4000-8000-000000000112'$q$), 1::bigint,
                  'owner edits reps');
SELECT pg_temp.eq((SELECT total_sets || ' ' || total_volume_kg FROM public.workouts WHERE id = '4f000000-0000-4000-8000-000000000001'),
                  '2 500.00', 'totals follow the update: 250 + 250');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.workout_sets WHERE id = '4f000000-0000-4000-8000-000000000111'$q$), 1::bigint,
                  'owner deletes a set');
SELECT pg_temp.eq((SELECT total_sets || ' ' || total_volume_kg FROM public.workouts WHERE id = '4f000000-0000-4000-8000-000000000001'),
                  '1 250.00', 'totals follow the delete');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.workout_exercises WHERE id = '4f000000-0000-4000-8000-000000000011'$q$), 1::bigint,
                  'owner deletes the exercise (its sets cascade)');
SELECT pg_temp.eq((SELECT total_sets || ' ' || total_volume_kg FROM public.workouts WHERE id = '4f000000-0000-4000-8000-000000000001'),
                  '0 0.00', '0/0 when the workout has no exercises');
-- the copies on sets cannot be forged: they are re-read from the parents
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index)
VALUES ('4f000000-0000-4000-8000-000000000012', '4f000000-0000-4000-8000-000000000001', '50000000-0000-4000-8000-000000000104', 1);
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, distance_m, workout_id, user_id, exercise_id)
VALUES ('4f000000-0000-4000-8000-000000000121', '4f000000-0000-4000-8000-000000000012', 1, 500,
        '40000000-0000-4000-8000-000000000107', '20000000-0000-4000-8000-000000000014', '50000000-0000-4000-8000-000000000101');
SELECT pg_temp.eq((SELECT workout_id || ' ' || user_id || ' ' || exercise_id FROM public.workout_sets WHERE id = '4f000000-0000-4000-8000-000000000121'),
                  '4f000000-0000-4000-8000-000000000001 20000000-0000-4000-8000-000000000004 50000000-0000-4000-8000-000000000104',
                  'workout_id, user_id and exercise_id on a set always come from its parents');
UPDATE public.workout_sets SET estimated_1rm = 500 WHERE id = '4f000000-0000-4000-8000-000000000121';
SELECT pg_temp.eq((SELECT estimated_1rm FROM public.workout_sets WHERE id = '4f000000-0000-4000-8000-000000000121'), NULL::numeric,
                  'estimated_1rm is recomputed from reps and weight (none here), whatever the client writes');
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, reps, weight_kg, estimated_1rm)
VALUES ('4f000000-0000-4000-8000-000000000122', '4f000000-0000-4000-8000-000000000012', 2, 10, 30, 999);
SELECT pg_temp.eq((SELECT estimated_1rm FROM public.workout_sets WHERE id = '4f000000-0000-4000-8000-000000000122'), 40.000::numeric,
                  'estimated_1rm = weight x (1 + reps/30) = 30 x 4/3');

-- ---- profile progression: the owner cannot write XP, level, rank, chain or last workout
SELECT pg_temp.fails($q$UPDATE public.profiles SET xp_total = 99999 WHERE id = auth.uid()$q$,
                     'KX403', 'Progression fields are system-managed', 'owner cannot set xp_total');
SELECT pg_temp.fails($q$UPDATE public.profiles SET chain_days = 365 WHERE id = auth.uid()$q$,
                     'KX403', 'Progression fields are system-managed', 'owner cannot set chain_days');
SELECT pg_temp.fails($q$UPDATE public.profiles SET level = 50 WHERE id = auth.uid()$q$,
                     'KX403', 'Progression fields are system-managed', 'owner cannot set level');
SELECT pg_temp.fails($q$UPDATE public.profiles SET last_workout_at = NULL WHERE id = auth.uid()$q$,
                     'KX403', 'Progression fields are system-managed', 'owner cannot reset last_workout_at (chain)');
SELECT pg_temp.fails($q$UPDATE public.profiles SET rank_tier = 'legend' WHERE id = auth.uid()$q$,
                     'KX403', 'Progression fields are system-managed', 'owner cannot set rank_tier');
SELECT pg_temp.eq((SELECT xp_total || '/' || level || '/' || chain_days FROM public.profiles WHERE id = auth.uid()), '35/1/3',
                  'sara''s progression is unchanged');

-- ---- progression itself cannot be triggered by a client
SELECT pg_temp.fails($q$SELECT public.apply_workout_progress('40000000-0000-4000-8000-000000000101')$q$,
                     '42501', 'permission denied for function apply_workout_progress', 'clients cannot call apply_workout_progress');

-- ---- another user cannot touch sara's rows at all
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.workouts SET title = 'hacked' WHERE id = '40000000-0000-4000-8000-000000000101'$q$), 0::bigint,
                  'davide updates none of sara''s workouts');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.workout_sets WHERE workout_id = '40000000-0000-4000-8000-000000000101'$q$), 0::bigint,
                  'davide deletes none of sara''s sets');
SELECT pg_temp.fails($q$INSERT INTO public.workout_sets (workout_exercise_id, set_index, reps, weight_kg)
                        VALUES ('40000000-0000-4000-8000-000000020101', 9, 1, 300)$q$,
                     '42501', 'new row violates row-level security policy for table "workout_sets"', 'davide cannot add a set to sara''s workout');
SELECT pg_temp.fails($q$INSERT INTO public.workout_exercises (workout_id, exercise_id, order_index)
                        VALUES ('40000000-0000-4000-8000-000000000101', '50000000-0000-4000-8000-000000000103', 9)$q$,
                     '42501', 'new row violates row-level security policy for table "workout_exercises"', 'davide cannot add an exercise to sara''s workout');
SELECT pg_temp.fails($q$INSERT INTO public.workouts (user_id, title, started_at) VALUES ('20000000-0000-4000-8000-000000000004', 'For sara', now())$q$,
                     '42501', 'new row violates row-level security policy for table "workouts"', 'davide cannot insert a workout for sara');
SELECT pg_temp.fails($q$UPDATE public.workouts SET user_id = '20000000-0000-4000-8000-000000000004' WHERE id = '40000000-0000-4000-8000-000000000104'$q$,
                     '42501', NULL, 'davide cannot hand his workout to sara');

-- ---- the service may correct system fields (workers, repair jobs)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.workouts SET xp_awarded = 13 WHERE id = '40000000-0000-4000-8000-000000000101'$q$), 1::bigint,
                  'service writes system fields');

ROLLBACK;
