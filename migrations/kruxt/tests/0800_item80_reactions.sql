-- Item 80, database side (02 §9): reactToWorkout persists reaction state. One reaction per actor and
-- workout (update it, or delete it for null); only your own; only on workouts you may interact with.
-- The refreshed card's counts and viewerReaction are plain reads of social_interactions.
-- Actors: jake_miller (14, reacted fire on sara's W01), giulia_rossi (02, fist on W01), troll_tom (10, blocked by sara).

BEGIN;

-- engagement(workout) as the current viewer: reactionCount/commentCount/viewerReaction
CREATE FUNCTION pg_temp.engagement(p_workout uuid) RETURNS text LANGUAGE sql AS $$
    SELECT count(*) FILTER (WHERE interaction_type = 'reaction') || '/' || count(*) FILTER (WHERE interaction_type = 'comment') || '/'
           || coalesce(max(reaction_type::text) FILTER (WHERE actor_user_id = auth.uid()), '-')
    FROM public.social_interactions WHERE workout_id = p_workout
$$;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.engagement('40000000-0000-4000-8000-000000000101'), '2/1/fire', 'W01 as jake: 2 reactions, 1 comment, mine fire');

-- ---- change: update my existing reaction (lookup, then update)
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT id FROM public.social_interactions WHERE workout_id = '40000000-0000-4000-8000-000000000101'
                                       AND actor_user_id = auth.uid() AND interaction_type = 'reaction'$q$), 1::bigint, 'SOCIAL_REACTION_LOOKUP finds mine');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.social_interactions SET reaction_type = 'crown'
                                      WHERE workout_id = '40000000-0000-4000-8000-000000000101' AND actor_user_id = auth.uid() AND interaction_type = 'reaction'$q$),
                  1::bigint, 'jake changes fire to crown');
SELECT pg_temp.eq(pg_temp.engagement('40000000-0000-4000-8000-000000000101'), '2/1/crown', 'refreshed: viewerReaction crown, counts unchanged');
-- a second reaction row is refused
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                        VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'reaction', 'shield')$q$,
                     '23505', '%social_interactions_one_reaction_per_actor%', 'one reaction per actor and workout');
-- an upsert on the partial unique index works for the owner of the reaction
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                                      VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'reaction', 'shield')
                                      ON CONFLICT (workout_id, actor_user_id) WHERE interaction_type = 'reaction'
                                      DO UPDATE SET reaction_type = excluded.reaction_type$q$), 1::bigint, 'upsert form');
SELECT pg_temp.eq(pg_temp.engagement('40000000-0000-4000-8000-000000000101'), '2/1/shield', 'viewerReaction shield');

-- ---- null: delete my reaction
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.social_interactions WHERE workout_id = '40000000-0000-4000-8000-000000000101'
                                      AND actor_user_id = auth.uid() AND interaction_type = 'reaction'$q$), 1::bigint, 'jake removes his reaction');
SELECT pg_temp.eq(pg_temp.engagement('40000000-0000-4000-8000-000000000101'), '1/1/-', 'refreshed: 1 reaction, none of mine');
-- ---- create
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                                      VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'reaction', 'clap')$q$), 1::bigint, 'jake reacts clap');
SELECT pg_temp.eq(pg_temp.engagement('40000000-0000-4000-8000-000000000101'), '2/1/clap', 'refreshed: clap');

-- ---- shape rules
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                        VALUES ('40000000-0000-4000-8000-000000000102', auth.uid(), 'reaction', 'thumbs_up')$q$,
                     '22P02', '%reaction_type%', 'reaction types are fist, fire, shield, clap, crown');
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type)
                        VALUES ('40000000-0000-4000-8000-000000000102', auth.uid(), 'reaction')$q$,
                     '23514', '%social_interactions_shape%', 'a reaction needs its reaction_type');
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type, comment_text)
                        VALUES ('40000000-0000-4000-8000-000000000102', auth.uid(), 'reaction', 'fire', 'and text')$q$,
                     '23514', '%social_interactions_shape%', 'a reaction has no text');

-- ---- only your own, only where you may interact
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                        VALUES ('40000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000002', 'reaction', 'fire')$q$,
                     '42501', 'new row violates row-level security policy for table "social_interactions"', 'jake cannot react as giulia');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.social_interactions SET reaction_type = 'clap' WHERE actor_user_id = '20000000-0000-4000-8000-000000000002'$q$),
                  0::bigint, 'jake cannot change giulia''s reaction');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.social_interactions WHERE actor_user_id = '20000000-0000-4000-8000-000000000002'$q$),
                  0::bigint, 'jake cannot delete giulia''s reaction');
SELECT pg_temp.fails($q$UPDATE public.social_interactions SET actor_user_id = '20000000-0000-4000-8000-000000000002'
                        WHERE actor_user_id = auth.uid() AND workout_id = '40000000-0000-4000-8000-000000000101'$q$,
                     '42501', NULL, 'jake cannot hand his reaction to giulia');
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                        VALUES ('40000000-0000-4000-8000-000000000104', auth.uid(), 'reaction', 'fire')$q$,
                     '42501', NULL, 'jake cannot react to davide''s gym-only W04 (not a member)');
SELECT pg_temp.fails($q$UPDATE public.social_interactions SET workout_id = '40000000-0000-4000-8000-000000000104'
                        WHERE actor_user_id = auth.uid() AND workout_id = '40000000-0000-4000-8000-000000000101'$q$,
                     '42501', NULL, 'nor move his reaction onto it');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                        VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'reaction', 'fire')$q$,
                     '42501', NULL, 'troll (blocked by sara) cannot react to W01');

-- ---- the owner sees the reactions on her workout
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(actor_user_id::text || ':' || reaction_type, ',' ORDER BY actor_user_id) FROM public.social_interactions
                   WHERE workout_id = '40000000-0000-4000-8000-000000000101' AND interaction_type = 'reaction'),
                  '20000000-0000-4000-8000-000000000002:fist,20000000-0000-4000-8000-000000000014:clap', 'sara sees giulia''s fist and jake''s clap');

ROLLBACK;
