-- Item 62: rebuild_leaderboard_scope tie ordering is deterministic (score desc, stable user tie-break) (07 §3).
-- Also: exactly the top 500 are stored (departure from reference), challenge scores aggregated per user for
-- global/gym boards (departure from reference), the metric filters (anti-cheat caps), who may rebuild, rank.updated.
-- Seed boards: 01 Global Weekly XP, 02 BZone Weekly Volume, 03 March Trial (challenge 01), 04 Global Bench e1RM.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE snap (k text, rank integer, user_id uuid, score numeric, details jsonb) ON COMMIT DROP;
GRANT ALL ON snap TO PUBLIC;
CREATE TEMP TABLE seen_outbox ON COMMIT DROP AS SELECT id FROM public.event_outbox;
GRANT ALL ON seen_outbox TO PUBLIC;

-- ================================================================ seeded ties
SELECT pg_temp.eq((SELECT string_agg(e.rank || ':' || p.username || ':' || e.score, ',' ORDER BY e.rank)
                   FROM public.leaderboard_entries e JOIN public.profiles p ON p.id = e.user_id
                   WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000301' AND e.rank <= 6),
                  '1:sara_conti:35.000,2:davide_romano:12.000,3:jake_miller:12.000,4:giulia_rossi:11.000,5:troll_tom:11.000,6:marco_bianchi:0.000',
                  'Global XP: ties broken by ascending user id (davide 05 < jake 14, giulia 02 < troll_tom 10, then the zeros by id)');
SELECT pg_temp.eq((SELECT string_agg(e.rank || ':' || p.username, ',' ORDER BY e.rank) FROM public.leaderboard_entries e JOIN public.profiles p ON p.id = e.user_id
                   WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000303'),
                  '1:sara_conti,2:davide_romano,3:elena_greco,4:jake_miller', 'March Trial: the 15230 tie goes to sara (04) before davide (05)');
SELECT pg_temp.eq((SELECT e.details FROM public.leaderboard_entries e WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000303' AND e.rank = 4),
                  '{"metric":"challenge_score","challenge_id":"60000000-0000-4000-8000-000000000101","completed":true}'::jsonb, 'challenge board details');
SELECT pg_temp.eq((SELECT e.score || ' ' || (e.details - 'starts_at' - 'ends_at')::text FROM public.leaderboard_entries e WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000302'),
                  '2260.000 {"metric": "volume_kg", "workout_count": 3}', 'BZone weekly volume: sara 1310 + 500 + 450 over 3 workouts');
SELECT pg_temp.eq((SELECT e.score FROM public.leaderboard_entries e WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000304'), 79.167,
                  'bench e1RM: 62.5 x (1 + 8/30)');

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ================================================================ three users tied at xp 50, inserted in a shuffled order
INSERT INTO auth.users (id, email) VALUES
    ('2f000000-0000-4000-8000-000000000003', 'tie3@demo.kruxt.app'), ('2f000000-0000-4000-8000-000000000001', 'tie1@demo.kruxt.app'),
    ('2f000000-0000-4000-8000-000000000002', 'tie2@demo.kruxt.app');
INSERT INTO public.profiles (id, username, display_name, xp_total) VALUES
    ('2f000000-0000-4000-8000-000000000003', 'tie_three', 'Tie Three', 50), ('2f000000-0000-4000-8000-000000000001', 'tie_one', 'Tie One', 50),
    ('2f000000-0000-4000-8000-000000000002', 'tie_two', 'Tie Two', 50);
SELECT pg_temp.eq(public.rebuild_leaderboard_scope('60000000-0000-4000-8000-000000000301'), 26, 'rebuild returns the rows inserted (23 + 3)');
SELECT pg_temp.eq((SELECT string_agg(e.rank || ':' || right(e.user_id::text, 2), ',' ORDER BY e.rank) FROM public.leaderboard_entries e
                   WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000301' AND e.rank <= 4),
                  '1:01,2:02,3:03,4:04', 'three users tied at xp 50 are ranked by ascending user id, then sara (35)');
INSERT INTO snap SELECT 'first', rank, user_id, score, details FROM public.leaderboard_entries WHERE leaderboard_id = '60000000-0000-4000-8000-000000000301';
SELECT public.rebuild_leaderboard_scope('60000000-0000-4000-8000-000000000301');
SELECT pg_temp.eq((SELECT count(*) FROM (SELECT rank, user_id, score, details FROM public.leaderboard_entries WHERE leaderboard_id = '60000000-0000-4000-8000-000000000301'
                                         EXCEPT SELECT rank, user_id, score, details FROM snap WHERE k = 'first') AS d)
                  + (SELECT count(*) FROM snap WHERE k = 'first') - 26, 0::bigint,
                  'rebuilding with unchanged data yields identical entries (rank, user, score, details)');
SELECT pg_temp.eq((SELECT string_agg(DISTINCT (aggregate_type || ' ' || aggregate_id || ' ' || payload::text), ',') FROM public.event_outbox
                   WHERE event_type = 'rank.updated' AND id NOT IN (SELECT id FROM seen_outbox)),
                  'leaderboard 60000000-0000-4000-8000-000000000301 ' || '{"rows":26,"metric":"xp","timeframe":"weekly","leaderboard_id":"60000000-0000-4000-8000-000000000301"}'::jsonb::text,
                  'each rebuild emits rank.updated (aggregate leaderboard, {leaderboard_id, rows, metric, timeframe})');

-- ================================================================ departure: exactly the top 500 are stored
INSERT INTO auth.users (id, email)
SELECT format('2f100000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, format('bulk%s@demo.kruxt.app', i) FROM generate_series(1, 520) AS i;
INSERT INTO public.profiles (id, username, display_name, xp_total)
SELECT format('2f100000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, format('bulk_%s', i), format('Bulk %s', i), (i * 37) % 101 + 20
FROM generate_series(1, 520) AS i;
SELECT pg_temp.eq(public.rebuild_leaderboard_scope('60000000-0000-4000-8000-000000000301'), 500, '546 candidates: 500 rows stored');
SELECT pg_temp.eq((SELECT array_agg(e.user_id ORDER BY e.rank) FROM public.leaderboard_entries e WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000301'),
                  (SELECT array_agg(t.id ORDER BY t.xp_total DESC, t.id) FROM (SELECT p.id, p.xp_total FROM public.profiles p ORDER BY p.xp_total DESC, p.id LIMIT 500) AS t),
                  'the stored 500 are exactly the first 500 of (xp desc, user id), in that order');
SELECT pg_temp.eq((SELECT min(rank) || '..' || max(rank) || ' ' || count(DISTINCT rank) FROM public.leaderboard_entries WHERE leaderboard_id = '60000000-0000-4000-8000-000000000301'),
                  '1..500 500', 'ranks 1..500 without gaps');
SELECT pg_temp.ok(NOT EXISTS (SELECT 1
                              FROM public.profiles p,
                                   (SELECT e.score, e.user_id FROM public.leaderboard_entries e
                                    WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000301' AND e.rank = 500) AS last
                              WHERE NOT EXISTS (SELECT 1 FROM public.leaderboard_entries e
                                                WHERE e.leaderboard_id = '60000000-0000-4000-8000-000000000301' AND e.user_id = p.id)
                                AND (p.xp_total > last.score OR (p.xp_total = last.score AND p.id < last.user_id))),
                  'negative (reference defect): no left-out user outranks the 500th entry');

-- ================================================================ departure: challenge scores aggregated per user (global and gym boards)
INSERT INTO public.challenge_participants (challenge_id, user_id, score, completed, updated_at) VALUES
    ('60000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000004', 770, false, public.app_now() - interval '3 days'),
    ('60000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000005', 770, true, public.app_now() - interval '3 days'),
    ('60000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000006', 999990, false, public.app_now() - interval '1 day'),
    ('60000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000008', 16000, false, public.app_now() - interval '2 days'),
    ('60000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000009', 16000, false, public.app_now() - interval '4 days'),
    ('60000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000010', 2000000, false, public.app_now());
INSERT INTO public.leaderboards (id, name, scope, scope_gym_id, metric, timeframe, starts_at, ends_at) VALUES
    ('6f000000-0000-4000-8000-000000000301', 'All trials', 'global', NULL, 'challenge_score', 'monthly', public.app_now() - interval '30 days', public.app_now() + interval '30 days'),
    ('6f000000-0000-4000-8000-000000000302', 'BZone trials', 'gym', '10000000-0000-4000-8000-000000000001', 'challenge_score', 'monthly',
     public.app_now() - interval '30 days', public.app_now() + interval '30 days');
SELECT pg_temp.eq(public.rebuild_leaderboard_scope('6f000000-0000-4000-8000-000000000301'), 6,
                  'global challenge board: one row per user although sara and davide are in two challenges (no unique violation)');
SELECT pg_temp.eq((SELECT string_agg(e.rank || ':' || p.username || ':' || e.score || ':' || (e.details ->> 'challenge_count') || ':' || (e.details ->> 'completed'), ','
                                     ORDER BY e.rank)
                   FROM public.leaderboard_entries e JOIN public.profiles p ON p.id = e.user_id WHERE e.leaderboard_id = '6f000000-0000-4000-8000-000000000301'),
                  '1:elena_greco:1000000.000:2:false,2:davide_romano:16000.000:2:true,3:nico_costa:16000.000:1:false,4:chiara_gallo:16000.000:1:false,'
                  '5:sara_conti:16000.000:2:false,6:jake_miller:4000.000:1:true',
                  'sums capped at 1 000 000 (elena 8800 + 999990); ties at 16000: completed first (davide), then earlier (max) updated_at: '
                  'nico T-4 d, chiara T-2 d, sara T-1 d 20:00; '
                  'troll_tom''s out-of-range 2 000 000 row is not a candidate');
SELECT pg_temp.eq((SELECT count(*) FROM public.challenge_participants WHERE user_id = '20000000-0000-4000-8000-000000000004'), 2::bigint,
                  'sara has two participant rows but one board entry');
SELECT pg_temp.eq(public.rebuild_leaderboard_scope('6f000000-0000-4000-8000-000000000302'), 4,
                  'BZone challenge board: participants of the BZone challenges 01 and 03 (challenge 04 has no gym)');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || e.score, ',' ORDER BY e.rank) FROM public.leaderboard_entries e JOIN public.profiles p ON p.id = e.user_id
                   WHERE e.leaderboard_id = '6f000000-0000-4000-8000-000000000302' AND e.rank <= 3),
                  'elena_greco:1000000.000,sara_conti:15230.000,davide_romano:15230.000', 'gym scope aggregates the gym''s challenges only');

-- ================================================================ metric filters: volume caps, e1RM caps, the window
INSERT INTO public.leaderboards (id, name, scope, scope_gym_id, scope_exercise_id, metric, timeframe, starts_at, ends_at) VALUES
    ('6f000000-0000-4000-8000-000000000303', 'WZ volume', 'gym', '10000000-0000-4000-8000-000000000002', NULL, 'volume_kg', 'weekly',
     public.app_now() - interval '7 days', public.app_now()),
    ('6f000000-0000-4000-8000-000000000304', 'Deadlift e1RM', 'exercise', NULL, '50000000-0000-4000-8000-000000000103', 'estimated_1rm', 'weekly',
     public.app_now() - interval '7 days', public.app_now());
INSERT INTO public.workouts (id, user_id, gym_id, title, started_at, total_sets, total_volume_kg, source)
SELECT format('4f000000-0000-4000-8000-0000000001%s', w.nn)::uuid, w.user_id::uuid, '10000000-0000-4000-8000-000000000002', 'Cap ' || w.nn,
       public.app_now() + w.offs::interval, w.sets, w.volume, w.source::public.integration_provider
FROM (VALUES
    ('01', '20000000-0000-4000-8000-000000000013', '-7 days', 10, 12000, 'manual'),        -- window start included, manual at its cap
    ('02', '20000000-0000-4000-8000-000000000013', '-2 days', 10, 12000.01, 'manual'),     -- manual above 12000: excluded
    ('03', '20000000-0000-4000-8000-000000000013', '-2 days', 10, 30000, 'garmin'),        -- imported: cap 50000
    ('04', '20000000-0000-4000-8000-000000000013', '-2 days', 401, 100, 'garmin'),         -- more than 400 sets: excluded
    ('05', '20000000-0000-4000-8000-000000000013', '-2 days', 10, 50000.01, 'garmin'),     -- above 50000: excluded
    ('06', '20000000-0000-4000-8000-000000000013', '-2 days', 0, 500, 'garmin'),           -- no sets: excluded
    ('07', '20000000-0000-4000-8000-000000000013', '0 days', 10, 700, 'garmin'),           -- at ends_at: outside the window
    ('08', '20000000-0000-4000-8000-000000000012', '-1 days', 1, 100, 'manual'),
    ('09', '20000000-0000-4000-8000-000000000011', '-1 days', 3, 0, 'manual')              -- a zero sum is not ranked
) AS w(nn, user_id, offs, sets, volume, source);
SELECT pg_temp.eq(public.rebuild_leaderboard_scope('6f000000-0000-4000-8000-000000000303'), 2, 'WZ volume: fede and marta');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || e.score || ':' || (e.details ->> 'workout_count'), ',' ORDER BY e.rank)
                   FROM public.leaderboard_entries e JOIN public.profiles p ON p.id = e.user_id WHERE e.leaderboard_id = '6f000000-0000-4000-8000-000000000303'),
                  'fede_lombardi:42000.000:2,marta_villa:100.000:1', 'only workouts within the caps and the window count');
SELECT pg_temp.eq((SELECT details ->> 'starts_at' FROM public.leaderboard_entries WHERE leaderboard_id = '6f000000-0000-4000-8000-000000000303' AND rank = 1),
                  kruxt_internal.iso_utc(public.app_now() - interval '7 days'), 'volume details carry the window in ISO UTC');

INSERT INTO public.workout_exercises (id, workout_id, exercise_id, order_index)
SELECT format('4f000000-0000-4000-8000-0000000002%s', w.nn)::uuid, format('4f000000-0000-4000-8000-0000000001%s', w.nn)::uuid,
       '50000000-0000-4000-8000-000000000103', 1
FROM (VALUES ('01'), ('03'), ('08')) AS w(nn);
INSERT INTO public.workout_sets (workout_exercise_id, set_index, reps, weight_kg) VALUES
    ('4f000000-0000-4000-8000-000000000201', 1, 5, 200),     -- manual: 233.333
    ('4f000000-0000-4000-8000-000000000201', 2, 1, 351),     -- manual above 350: excluded
    ('4f000000-0000-4000-8000-000000000201', 3, 21, 100),    -- more than 20 reps: excluded
    ('4f000000-0000-4000-8000-000000000203', 1, 1, 400),     -- imported: 413.333
    ('4f000000-0000-4000-8000-000000000203', 2, 1, 501),     -- above 500: excluded
    ('4f000000-0000-4000-8000-000000000208', 1, 3, 120);     -- marta manual: 132.000
SELECT pg_temp.eq(public.rebuild_leaderboard_scope('6f000000-0000-4000-8000-000000000304'), 2, 'deadlift e1RM: fede and marta');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || e.score, ',' ORDER BY e.rank) FROM public.leaderboard_entries e JOIN public.profiles p ON p.id = e.user_id
                   WHERE e.leaderboard_id = '6f000000-0000-4000-8000-000000000304'),
                  'fede_lombardi:413.333,marta_villa:132.000', 'max Epley e1RM within weight 1..500, reps 1..20, manual weight <= 350');

-- ================================================================ who may rebuild
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);   -- coach luca, BZone
SELECT pg_temp.eq(public.rebuild_leaderboard_scope('60000000-0000-4000-8000-000000000302'), 1, 'BZone staff may rebuild BZone''s gym board');
SELECT pg_temp.fails($q$SELECT public.rebuild_leaderboard_scope('60000000-0000-4000-8000-000000000301')$q$, 'KX403',
                     'Not authorized to rebuild this leaderboard', 'staff cannot rebuild a global board');
SELECT pg_temp.fails($q$SELECT public.rebuild_leaderboard_scope('6f000000-0000-4000-8000-000000000303')$q$, 'KX403',
                     'Not authorized to rebuild this leaderboard', 'nor another gym''s board');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.rebuild_leaderboard_scope('60000000-0000-4000-8000-000000000302')$q$, 'KX403',
                     'Not authorized to rebuild this leaderboard', 'a member cannot rebuild');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.rebuild_leaderboard_scope('60000000-0000-4000-8000-000000000302')$q$, 'KX401', 'Authentication required', 'no user');
SELECT pg_temp.fails($q$SELECT public.rebuild_leaderboard_scope('60000000-0000-4000-8000-000000009999')$q$, 'KX404', 'Leaderboard not found',
                     'an unknown board is reported first');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.leaderboard_entries$q$), 0::bigint, 'users write no entries directly');

ROLLBACK;
