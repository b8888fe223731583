-- KRUXT demo seed, area 07 (99 §9): challenges, participants and leaderboards, rebuilt after seeding.
--
-- Runs after every migration, as a superuser; rows are written as service_role with service claims (RLS bypassed,
-- every trigger runs; the score guard lets the service set scores), with fixed ids and times relative to T. The
-- boards are then rebuilt through rebuild_leaderboard_scope, which writes their entries (random ids) and one
-- rank.updated outbox row each.
--
-- Fixed ids (type digit 6, 99 §1): 60000000-0000-4000-8000-0000000001NN challenges, ...-0000000002NN participants,
-- ...-0000000003NN leaderboards.
--   challenges 01 'Pavia March Volume Trial' (volume, public, BZone, T-7 d .. T+21 d, points 1, by giulia):
--                 sara 15230, davide 15230 (tie, same updated_at), elena 8800, jake 4000 (completed)
--              02 'Chain Keepers' (consistency, gym visibility, Wellness Zone, T-3 d .. T+25 d, by anna)
--              03 'Invite Only Test' (max_effort, invite_only, BZone, T-1 d .. T+13 d, by luca)
--              04 'Winter Sprint' (volume, public, no gym, T-30 d .. T-1 d: ended yesterday, by marco)
--   boards     01 'Global Weekly XP' (global / xp / weekly), 02 'BZone Weekly Volume' (gym BZone / volume_kg / weekly),
--              03 'March Trial' (challenge 01 / challenge_score / monthly), 04 'Global Bench e1RM' (exercise
--              bench-press / estimated_1rm / weekly)
-- Windows (interpretation of "current week"): weekly boards cover the 7 calendar days (Europe/Rome) ending with T's
-- day, [day(T) - 6 d 00:00, day(T) + 1 d 00:00), so the seeded workouts (T-3 d .. T-1 d) are inside for any anchor;
-- the monthly board covers T's calendar month.

SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

INSERT INTO public.challenges (id, creator_user_id, gym_id, title, description, challenge_type, visibility,
                               starts_at, ends_at, points_per_unit, created_at, updated_at)
VALUES
    ('60000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000001',
     'Pavia March Volume Trial', 'Move the most kilograms in four weeks.', 'volume', 'public',
     kruxt_internal.seed_at(-7), kruxt_internal.seed_at(21), 1, kruxt_internal.seed_at(-8), kruxt_internal.seed_at(-8)),
    ('60000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000011', '10000000-0000-4000-8000-000000000002',
     'Chain Keepers', 'Keep the chain alive: one point per trained day.', 'consistency', 'gym',
     kruxt_internal.seed_at(-3), kruxt_internal.seed_at(25), 1, kruxt_internal.seed_at(-4), kruxt_internal.seed_at(-4)),
    ('60000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000003', '10000000-0000-4000-8000-000000000001',
     'Invite Only Test', 'Coach-picked max effort test.', 'max_effort', 'invite_only',
     kruxt_internal.seed_at(-1), kruxt_internal.seed_at(13), 1, kruxt_internal.seed_at(-2), kruxt_internal.seed_at(-2)),
    ('60000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000001', NULL,
     'Winter Sprint', 'February volume sprint.', 'volume', 'public',
     kruxt_internal.seed_at(-30), kruxt_internal.seed_at(-1), 1, kruxt_internal.seed_at(-31), kruxt_internal.seed_at(-31));

INSERT INTO public.challenge_participants (id, challenge_id, user_id, score, completed, joined_at, updated_at)
VALUES
    ('60000000-0000-4000-8000-000000000201', '60000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000004',
     15230, false, kruxt_internal.seed_at(-7, '08:00'), kruxt_internal.seed_at(-1, '20:00')),
    ('60000000-0000-4000-8000-000000000202', '60000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000005',
     15230, false, kruxt_internal.seed_at(-7, '09:30'), kruxt_internal.seed_at(-1, '20:00')),
    ('60000000-0000-4000-8000-000000000203', '60000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000006',
     8800, false, kruxt_internal.seed_at(-6, '18:00'), kruxt_internal.seed_at(-2, '19:00')),
    ('60000000-0000-4000-8000-000000000204', '60000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000014',
     4000, true, kruxt_internal.seed_at(-6, '07:00', 'America/Los_Angeles'), kruxt_internal.seed_at(-3, '08:00', 'America/Los_Angeles'));

INSERT INTO public.leaderboards (id, name, scope, scope_gym_id, scope_exercise_id, scope_challenge_id, metric, timeframe,
                                 starts_at, ends_at, is_active, created_at, updated_at)
VALUES
    ('60000000-0000-4000-8000-000000000301', 'Global Weekly XP', 'global', NULL, NULL, NULL, 'xp', 'weekly',
     kruxt_internal.seed_at(-6, '00:00'), kruxt_internal.seed_at(1, '00:00'), true, kruxt_internal.seed_at(-6, '00:00'), kruxt_internal.seed_at(-6, '00:00')),
    ('60000000-0000-4000-8000-000000000302', 'BZone Weekly Volume', 'gym', '10000000-0000-4000-8000-000000000001', NULL, NULL,
     'volume_kg', 'weekly',
     kruxt_internal.seed_at(-6, '00:00'), kruxt_internal.seed_at(1, '00:00'), true, kruxt_internal.seed_at(-6, '00:00'), kruxt_internal.seed_at(-6, '00:00')),
    ('60000000-0000-4000-8000-000000000303', 'March Trial', 'challenge', NULL, NULL, '60000000-0000-4000-8000-000000000101',
     'challenge_score', 'monthly',
     (date_trunc('month', (SELECT a.anchor FROM kruxt_internal.seed_anchor a) AT TIME ZONE 'Europe/Rome')) AT TIME ZONE 'Europe/Rome',
     (date_trunc('month', (SELECT a.anchor FROM kruxt_internal.seed_anchor a) AT TIME ZONE 'Europe/Rome') + interval '1 month') AT TIME ZONE 'Europe/Rome',
     true, kruxt_internal.seed_at(-8), kruxt_internal.seed_at(-8)),
    ('60000000-0000-4000-8000-000000000304', 'Global Bench e1RM', 'exercise', NULL, '50000000-0000-4000-8000-000000000102', NULL,
     'estimated_1rm', 'weekly',
     kruxt_internal.seed_at(-6, '00:00'), kruxt_internal.seed_at(1, '00:00'), true, kruxt_internal.seed_at(-6, '00:00'), kruxt_internal.seed_at(-6, '00:00'));

-- rebuilt after seeding (entries + rank.updated), in id order
SELECT public.rebuild_leaderboard_scope(l.id) FROM public.leaderboards l ORDER BY l.id;

SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;
