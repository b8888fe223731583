-- KRUXT demo seed, part 2 (99-seed-data.md §8): exercises, workouts with their exercises and sets,
-- and the social graph (follows, block, report, reactions, comment). The 14 feature flags (99 §5)
-- are a catalogue and ship with migration 0010.
--
-- Workouts are written by their owners (role authenticated, claims with sub), so every trigger of
-- the real path runs under the owner's RLS: the workout_logged card, totals, PR detection, and at
-- each SET CONSTRAINTS ALL IMMEDIATE the deferred progression (XP, level, chain, workout.logged).
-- They are direct inserts rather than log_workout_atomic calls (99 §1) only so that they keep the
-- fixed ids scenarios refer to; the triggers are the same. Sets go in one INSERT each, in order, as
-- the RPC does (PR detection compares a set with the sets logged before it).
-- The sandbox clock (kruxt.now, transaction-local) is set to each workout's end while it is logged,
-- so cards, completed sets and progress carry the time of logging; it is put back to T afterwards.
--
-- Fixed ids (README): 5...0000000001NN exercises; 4...0000000001WW workouts (W01..W07),
-- 4...00000002WWEE workout exercises, 4...000003WWEESS sets, 4...0000000004NN social connections,
-- 4...0000000005NN blocks, 4...0000000006NN reports, 4...0000000007NN interactions. Feed events and
-- outbox rows are created by the triggers (random ids).
--
-- Resulting profiles: sara XP 35, level 1, chain 3 (13 + 11 + 11); PR cards for W01 and W02 only.

SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- ---------------------------------------------------------------------------------------------
-- Exercises (public, system: created_by null)
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.exercises (id, name, slug, category, movement_pattern, equipment, is_public, created_by, created_at)
VALUES
    ('50000000-0000-4000-8000-000000000101', 'Back Squat',  'back-squat',  'strength',     'squat',           'barbell', true, NULL, kruxt_internal.seed_at(-90)),
    ('50000000-0000-4000-8000-000000000102', 'Bench Press', 'bench-press', 'strength',     'horizontal_push', 'barbell', true, NULL, kruxt_internal.seed_at(-90)),
    ('50000000-0000-4000-8000-000000000103', 'Deadlift',    'deadlift',    'strength',     'hinge',           'barbell', true, NULL, kruxt_internal.seed_at(-90)),
    ('50000000-0000-4000-8000-000000000104', 'Row Erg',     'row-erg',     'conditioning', 'row',             'rower',   true, NULL, kruxt_internal.seed_at(-90)),
    ('50000000-0000-4000-8000-000000000105', 'Run',         'run',         'conditioning', 'locomotion',      NULL,      true, NULL, kruxt_internal.seed_at(-90));

-- ---------------------------------------------------------------------------------------------
-- Workouts. Pattern per workout: (as service) clock := end of workout; (as the owner) insert the
-- workout, its exercises, its sets one by one; fire the deferred progression; back to service.
-- ---------------------------------------------------------------------------------------------

-- W01 sara "Leg Day", T-3 d 18:00-19:10: Back Squat 100x5, 110x3 (both PR), Bench 60x8 (PR, first bench)
SELECT set_config('kruxt.now', kruxt_internal.seed_at(-3, '19:10')::text, true);
SET ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', false);
INSERT INTO public.workouts (id, user_id, gym_id, title, workout_type, notes, started_at, ended_at, rpe, visibility)
VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), '10000000-0000-4000-8000-000000000001', 'Leg Day', 'strength',
        'Heavy triple felt smooth.', public.app_now() - interval '70 minutes', public.app_now(), 8.5, 'public');
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index, target_reps, target_weight_kg) VALUES
    ('40000000-0000-4000-8000-000000020101', '40000000-0000-4000-8000-000000000101', '50000000-0000-4000-8000-000000000101', 1, '5/3', 110),
    ('40000000-0000-4000-8000-000000020102', '40000000-0000-4000-8000-000000000101', '50000000-0000-4000-8000-000000000102', 2, '8', 60);
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, reps, weight_kg, rpe)
VALUES ('40000000-0000-4000-8000-000003010101', '40000000-0000-4000-8000-000000020101', 1, 5, 100, 7.5);
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, reps, weight_kg, rpe)
VALUES ('40000000-0000-4000-8000-000003010102', '40000000-0000-4000-8000-000000020101', 2, 3, 110, 9);
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, reps, weight_kg, rpe)
VALUES ('40000000-0000-4000-8000-000003010201', '40000000-0000-4000-8000-000000020102', 1, 8, 60, 8);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- W02 sara "Push", T-2 d 18:30-19:20: Bench 62.5x8 (PR)
SELECT set_config('kruxt.now', kruxt_internal.seed_at(-2, '19:20')::text, true);
SET ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', false);
INSERT INTO public.workouts (id, user_id, gym_id, title, workout_type, started_at, ended_at, rpe, visibility)
VALUES ('40000000-0000-4000-8000-000000000102', auth.uid(), '10000000-0000-4000-8000-000000000001', 'Push', 'strength',
        public.app_now() - interval '50 minutes', public.app_now(), 8, 'public');
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index, target_reps, target_weight_kg) VALUES
    ('40000000-0000-4000-8000-000000020201', '40000000-0000-4000-8000-000000000102', '50000000-0000-4000-8000-000000000102', 1, '8', 62.5);
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, reps, weight_kg, rpe)
VALUES ('40000000-0000-4000-8000-000003020101', '40000000-0000-4000-8000-000000020201', 1, 8, 62.5, 8.5);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- W03 sara "Easy Squats", T-1 d 18:00-18:45: Back Squat 90x5 (no PR)
SELECT set_config('kruxt.now', kruxt_internal.seed_at(-1, '18:45')::text, true);
SET ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', false);
INSERT INTO public.workouts (id, user_id, gym_id, title, workout_type, started_at, ended_at, rpe, visibility)
VALUES ('40000000-0000-4000-8000-000000000103', auth.uid(), '10000000-0000-4000-8000-000000000001', 'Easy Squats', 'strength',
        public.app_now() - interval '45 minutes', public.app_now(), 6, 'public');
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index, target_reps, target_weight_kg) VALUES
    ('40000000-0000-4000-8000-000000020301', '40000000-0000-4000-8000-000000000103', '50000000-0000-4000-8000-000000000101', 1, '5', 90);
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, reps, weight_kg, rpe)
VALUES ('40000000-0000-4000-8000-000003030101', '40000000-0000-4000-8000-000000020301', 1, 5, 90, 6);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- W04 davide "Gym Circuit" (visibility gym, BZone), T-2 d 12:30-13:15: Row Erg 2 x 500 m
SELECT set_config('kruxt.now', kruxt_internal.seed_at(-2, '13:15')::text, true);
SET ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', false);
INSERT INTO public.workouts (id, user_id, gym_id, title, workout_type, started_at, ended_at, rpe, visibility)
VALUES ('40000000-0000-4000-8000-000000000104', auth.uid(), '10000000-0000-4000-8000-000000000001', 'Gym Circuit', 'functional',
        public.app_now() - interval '45 minutes', public.app_now(), 7, 'gym');
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index, block_type, target_reps) VALUES
    ('40000000-0000-4000-8000-000000020401', '40000000-0000-4000-8000-000000000104', '50000000-0000-4000-8000-000000000104', 1, 'circuit', '500 m');
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, duration_seconds, distance_m, rpe)
VALUES ('40000000-0000-4000-8000-000003040101', '40000000-0000-4000-8000-000000020401', 1, 100, 500, 7);
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, duration_seconds, distance_m, rpe)
VALUES ('40000000-0000-4000-8000-000003040102', '40000000-0000-4000-8000-000000020401', 2, 104, 500, 8);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- W05 giulia "Easy Run" (visibility followers), T-2 d 07:00-07:35: Run 5 km
SELECT set_config('kruxt.now', kruxt_internal.seed_at(-2, '07:35')::text, true);
SET ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', false);
INSERT INTO public.workouts (id, user_id, gym_id, title, workout_type, started_at, ended_at, rpe, visibility)
VALUES ('40000000-0000-4000-8000-000000000105', auth.uid(), '10000000-0000-4000-8000-000000000001', 'Easy Run', 'conditioning',
        public.app_now() - interval '35 minutes', public.app_now(), 5, 'followers');
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index, target_reps) VALUES
    ('40000000-0000-4000-8000-000000020501', '40000000-0000-4000-8000-000000000105', '50000000-0000-4000-8000-000000000105', 1, '5 km');
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, duration_seconds, distance_m, rpe)
VALUES ('40000000-0000-4000-8000-000003050101', '40000000-0000-4000-8000-000000020501', 1, 2040, 5000, 5);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- W06 troll_tom "Max Effort Row" (public, BZone), T-2 d 21:00-21:20: Row Erg 2 km. Blocked and reported by sara.
SELECT set_config('kruxt.now', kruxt_internal.seed_at(-2, '21:20')::text, true);
SET ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', false);
INSERT INTO public.workouts (id, user_id, gym_id, title, workout_type, notes, started_at, ended_at, rpe, visibility)
VALUES ('40000000-0000-4000-8000-000000000106', auth.uid(), '10000000-0000-4000-8000-000000000001', 'Max Effort Row', 'conditioning',
        'Beat that.', public.app_now() - interval '20 minutes', public.app_now(), 10, 'public');
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index, target_reps) VALUES
    ('40000000-0000-4000-8000-000000020601', '40000000-0000-4000-8000-000000000106', '50000000-0000-4000-8000-000000000104', 1, '2 km');
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, duration_seconds, distance_m, rpe)
VALUES ('40000000-0000-4000-8000-000003060101', '40000000-0000-4000-8000-000000020601', 1, 445, 2000, 10);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- W07 jake "LA Run" (public, no gym), T-1 d 07:00-07:40 America/Los_Angeles: distance-only sets 3 km + 2 km
SELECT set_config('kruxt.now', kruxt_internal.seed_at(-1, '07:40', 'America/Los_Angeles')::text, true);
SET ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', false);
INSERT INTO public.workouts (id, user_id, gym_id, title, workout_type, started_at, ended_at, rpe, visibility)
VALUES ('40000000-0000-4000-8000-000000000107', auth.uid(), NULL, 'LA Run', 'conditioning',
        public.app_now() - interval '40 minutes', public.app_now(), 6, 'public');
INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index, target_reps) VALUES
    ('40000000-0000-4000-8000-000000020701', '40000000-0000-4000-8000-000000000107', '50000000-0000-4000-8000-000000000105', 1, '5 km');
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, distance_m)
VALUES ('40000000-0000-4000-8000-000003070101', '40000000-0000-4000-8000-000000020701', 1, 3000);
INSERT INTO public.workout_sets (id, workout_exercise_id, set_index, distance_m)
VALUES ('40000000-0000-4000-8000-000003070102', '40000000-0000-4000-8000-000000020701', 2, 2000);
SET CONSTRAINTS ALL IMMEDIATE;
SET CONSTRAINTS ALL DEFERRED;
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- back to T
SELECT set_config('kruxt.now', (SELECT a.anchor::text FROM kruxt_internal.seed_anchor a), true);

-- ---------------------------------------------------------------------------------------------
-- Social graph (service, fixed ids)
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.social_connections (id, follower_user_id, followed_user_id, status, created_at, updated_at) VALUES
    -- jake follows sara (accepted)
    ('40000000-0000-4000-8000-000000000401', '20000000-0000-4000-8000-000000000014', '20000000-0000-4000-8000-000000000004',
     'accepted', kruxt_internal.seed_at(-10), kruxt_internal.seed_at(-10)),
    -- davide asked to follow sara (incoming request for sara)
    ('40000000-0000-4000-8000-000000000402', '20000000-0000-4000-8000-000000000005', '20000000-0000-4000-8000-000000000004',
     'pending', kruxt_internal.seed_at(-1, '20:00'), kruxt_internal.seed_at(-1, '20:00'));

-- sara reports troll_tom's W06, then blocks him
INSERT INTO public.user_reports (id, reporter_user_id, target_type, target_id, reason, details, status, created_at, updated_at) VALUES
    ('40000000-0000-4000-8000-000000000601', '20000000-0000-4000-8000-000000000004', 'workout', '40000000-0000-4000-8000-000000000106',
     'spam', 'Posts the same low-effort workout to bait comments.', 'open',
     kruxt_internal.seed_at(-2, '21:55'), kruxt_internal.seed_at(-2, '21:55'));
INSERT INTO public.user_blocks (id, blocker_user_id, blocked_user_id, reason, created_at) VALUES
    ('40000000-0000-4000-8000-000000000501', '20000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000010',
     'Harassing comments', kruxt_internal.seed_at(-2, '22:00'));

-- reactions on W01: giulia fist, jake fire; davide's comment on W01; sara's crown on W07
INSERT INTO public.social_interactions (id, workout_id, actor_user_id, interaction_type, reaction_type, comment_text, created_at, updated_at) VALUES
    ('40000000-0000-4000-8000-000000000701', '40000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000002',
     'reaction', 'fist', NULL, kruxt_internal.seed_at(-3, '19:30'), kruxt_internal.seed_at(-3, '19:30')),
    ('40000000-0000-4000-8000-000000000702', '40000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000014',
     'reaction', 'fire', NULL, kruxt_internal.seed_at(-3, '20:15'), kruxt_internal.seed_at(-3, '20:15')),
    ('40000000-0000-4000-8000-000000000703', '40000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000005',
     'comment', NULL, 'Huge squat triple, Sara!', kruxt_internal.seed_at(-2, '08:10'), kruxt_internal.seed_at(-2, '08:10')),
    ('40000000-0000-4000-8000-000000000704', '40000000-0000-4000-8000-000000000107', '20000000-0000-4000-8000-000000000004',
     'reaction', 'crown', NULL, kruxt_internal.seed_at(-1, '18:30'), kruxt_internal.seed_at(-1, '18:30'));

SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;
