-- Item 6: visibility rules enforce public/followers/gym/private feed access (02 §2).
-- can_view_workout: owner always; public anyone; followers only an accepted follower; gym only a
-- trial/active member of the workout's gym; private only the owner. RLS on workouts, feed_events,
-- workout_exercises, workout_sets and social_interactions follows the same rule.
-- Owner: sara_conti (04, BZone member). Viewers: jake_miller (14, accepted follower, no gym),
-- davide_romano (05, pending follower, BZone active), elena_greco (06, BZone trial), paolo_marino
-- (07, BZone pending), nico_costa (09, BZone cancelled), fede_lombardi (13, Wellness Zone), marco (01).

BEGIN;

-- ---- can_view_workout, as a function of its arguments
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'private', NULL, '20000000-0000-4000-8000-000000000004'), true, 'owner sees private');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'private', NULL, '20000000-0000-4000-8000-000000000014'), false, 'follower does not see private');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'public', NULL, '20000000-0000-4000-8000-000000000013'), true, 'anyone sees public');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'public', NULL, NULL), true, 'public without a viewer');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'followers', NULL, '20000000-0000-4000-8000-000000000014'), true, 'accepted follower sees followers');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'followers', NULL, '20000000-0000-4000-8000-000000000005'), false, 'pending follower does not');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000014', 'followers', NULL, '20000000-0000-4000-8000-000000000004'), false, 'the follow is one-way (sara does not follow jake)');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'followers', NULL, NULL), false, 'followers without a viewer');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'gym', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000005'), true, 'active member sees gym');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'gym', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000006'), true, 'trial member sees gym');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'gym', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000007'), false, 'pending member does not');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'gym', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000009'), false, 'cancelled member does not');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'gym', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000013'), false, 'another gym''s member does not');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'gym', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000014'), false, 'a follower outside the gym does not');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'gym', NULL, '20000000-0000-4000-8000-000000000005'), false, 'gym visibility without a gym: owner only');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'gym', NULL, '20000000-0000-4000-8000-000000000004'), true, 'owner sees own gym workout without gym');

-- ---- sara logs one workout per visibility (W01-W03 in the seed are public)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
CREATE TEMP TABLE v (visibility text, id uuid);
GRANT SELECT ON v TO PUBLIC;
INSERT INTO v SELECT x, public.log_workout_atomic(
    jsonb_build_object('title', 'Vis ' || x, 'visibility', x, 'gym_id', '10000000-0000-4000-8000-000000000001'),
    '[{"exercise_id":"50000000-0000-4000-8000-000000000104","sets":[{"distance_m":500}]}]')
FROM unnest(ARRAY['private', 'followers', 'gym']) AS x;
-- a reaction by sara on each, so interactions can be counted too
INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
SELECT id, auth.uid(), 'reaction', 'fist' FROM v;

-- what(viewer): "workouts/feed/exercises/sets/interactions" visible among the three new workouts
CREATE FUNCTION pg_temp.what() RETURNS text LANGUAGE sql AS $$
    SELECT (SELECT coalesce(string_agg(v.visibility, ',' ORDER BY v.visibility), '-') FROM public.workouts w JOIN v ON v.id = w.id)
        || ' | ' || (SELECT count(*) FROM public.feed_events f JOIN v ON v.id = f.workout_id)
        || '/' || (SELECT count(*) FROM public.workout_exercises e JOIN v ON v.id = e.workout_id)
        || '/' || (SELECT count(*) FROM public.workout_sets s JOIN v ON v.id = s.workout_id)
        || '/' || (SELECT count(*) FROM public.social_interactions i JOIN v ON v.id = i.workout_id)
$$;

SELECT pg_temp.eq(pg_temp.what(), 'followers,gym,private | 3/3/3/3', 'owner sara sees all three with cards, exercises, sets, interactions');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), 'followers | 1/1/1/1', 'jake (accepted follower, no gym): followers only');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), 'gym | 1/1/1/1', 'davide (pending follower, BZone member): gym only');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000006","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), 'gym | 1/1/1/1', 'elena (BZone trial): gym');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000007","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), '- | 0/0/0/0', 'paolo (BZone pending): nothing');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000009","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), '- | 0/0/0/0', 'nico (BZone cancelled): nothing');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), '- | 0/0/0/0', 'fede (other gym): nothing');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), 'gym | 1/1/1/1', 'marco (BZone owner, leader): gym only -- staff get no private access');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), '- | 0/0/0/0', 'authenticated without sub: nothing of these');

-- ---- the seed: W05 (giulia, followers, nobody follows her) and W04 (davide, gym BZone)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workouts WHERE id IN ('40000000-0000-4000-8000-000000000104', '40000000-0000-4000-8000-000000000105')$q$),
                  0::bigint, 'jake sees neither giulia''s followers workout nor davide''s gym workout');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workouts WHERE visibility = 'public'$q$), 5::bigint,
                  'jake sees every public workout of the seed (W01-W03, W06, W07)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workouts WHERE id IN ('40000000-0000-4000-8000-000000000104', '40000000-0000-4000-8000-000000000105')$q$),
                  2::bigint, 'giulia sees her own followers workout and davide''s BZone gym workout');

-- ---- interacting follows visibility: no reaction or comment on what you cannot see
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.fails(format($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, comment_text)
                               VALUES (%L, auth.uid(), 'comment', 'nice')$q$, (SELECT id FROM v WHERE visibility = 'private')),
                     '42501', 'new row violates row-level security policy for table "social_interactions"', 'davide cannot comment on sara''s private workout');
SELECT pg_temp.fails(format($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                               VALUES (%L, auth.uid(), 'reaction', 'fire')$q$, (SELECT id FROM v WHERE visibility = 'followers')),
                     '42501', NULL, 'davide (pending) cannot react to a followers-only workout');
SELECT pg_temp.eq(pg_temp.affected(format($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                                             VALUES (%L, auth.uid(), 'reaction', 'fire')$q$, (SELECT id FROM v WHERE visibility = 'gym'))), 1::bigint,
                  'davide reacts to the gym workout he can see');

-- ---- accepting the follow request opens the followers workout to davide
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.social_connections SET status = 'accepted'
                                      WHERE follower_user_id = '20000000-0000-4000-8000-000000000005' AND followed_user_id = auth.uid()$q$), 1::bigint,
                  'sara accepts davide''s request');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), 'followers,gym | 2/2/2/3', 'davide now also sees the followers workout (and his own reaction)');

-- ---- changing visibility moves the card with it (feed_events copies follow the workout)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected(format($q$UPDATE public.workouts SET visibility = 'public' WHERE id = %L$q$,
                                          (SELECT id FROM v WHERE visibility = 'private'))), 1::bigint, 'sara makes the private workout public');
SELECT pg_temp.eq((SELECT string_agg(DISTINCT f.workout_visibility::text, ',') FROM public.feed_events f WHERE f.workout_id = (SELECT id FROM v WHERE visibility = 'private')),
                  'public', 'its card now carries visibility public');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.what(), 'private | 1/1/1/1', 'fede now sees the (formerly private) workout');

-- ---- anonymous reads nothing
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.workouts$q$, '42501', 'permission denied for table workouts', 'anon cannot read workouts');
SELECT pg_temp.fails($q$SELECT * FROM public.feed_events$q$, '42501', 'permission denied for table feed_events', 'anon cannot read feed_events');
SELECT pg_temp.fails($q$SELECT * FROM public.workout_sets$q$, '42501', 'permission denied for table workout_sets', 'anon cannot read workout_sets');

ROLLBACK;
