-- Item 81, database side (02 §9): commentOnWorkout persists the comment; the thread (the workout's
-- interactions, <= 200, ascending) comes back without blocked actors -- the database already hides
-- interactions by anyone on the other side of a block from the viewer. Replies stay on their workout.
-- Actors: davide_romano (05, commented on W01), jake_miller (14), sara_conti (04), troll_tom (10, blocked by sara).

BEGIN;

-- thread(workout) as the current viewer: "actor:type:text" ascending
CREATE FUNCTION pg_temp.thread(p_workout uuid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(right(actor_user_id::text, 2) || ':' || coalesce(comment_text, reaction_type::text), ' | ' ORDER BY created_at, id), '')
    FROM (SELECT * FROM public.social_interactions WHERE workout_id = p_workout ORDER BY created_at, id LIMIT 200) q
$$;

-- the sandbox clock: one hour after the seed anchor T
SELECT set_config('kruxt.now', (SELECT (anchor + interval '1 hour')::text FROM kruxt_internal.seed_anchor), true);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);

-- ---- comment, persisted, in the thread
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.social_interactions (id, workout_id, actor_user_id, interaction_type, comment_text)
                                      VALUES ('4f000000-0000-4000-8000-000000000811', '40000000-0000-4000-8000-000000000101', auth.uid(), 'comment', 'Strong!')$q$),
                  1::bigint, 'jake comments on W01');
SELECT pg_temp.eq(pg_temp.thread('40000000-0000-4000-8000-000000000101'), '02:fist | 14:fire | 05:Huge squat triple, Sara! | 14:Strong!',
                  'thread ascending: reactions, davide''s comment, jake''s new comment');
SELECT pg_temp.eq((SELECT created_at FROM public.social_interactions WHERE id = '4f000000-0000-4000-8000-000000000811'), public.app_now(),
                  'created_at comes from app_now()');
-- reply
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.social_interactions (id, workout_id, actor_user_id, interaction_type, comment_text, parent_interaction_id)
                                      VALUES ('4f000000-0000-4000-8000-000000000812', '40000000-0000-4000-8000-000000000101', auth.uid(), 'comment', 'Agreed',
                                              '40000000-0000-4000-8000-000000000703')$q$),
                  1::bigint, 'jake replies to davide''s comment');
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, comment_text, parent_interaction_id)
                        VALUES ('40000000-0000-4000-8000-000000000107', auth.uid(), 'comment', 'wrong thread', '40000000-0000-4000-8000-000000000703')$q$,
                     'KX422', 'parent_interaction_id must belong to the same workout', 'a reply must stay on the parent''s workout');

-- ---- shape: text required and not blank (the flow trims first: SOCIAL_COMMENT_EMPTY)
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type) VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'comment')$q$,
                     '23514', '%social_interactions_shape%', 'a comment needs text');
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, comment_text) VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'comment', '   ')$q$,
                     '23514', '%social_interactions_shape%', 'a blank comment is refused');
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, comment_text, reaction_type)
                        VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'comment', 'text', 'fire')$q$,
                     '23514', '%social_interactions_shape%', 'a comment carries no reaction_type');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.social_interactions (id, workout_id, actor_user_id, interaction_type, comment_text)
                                      VALUES ('4f000000-0000-4000-8000-000000000813', '40000000-0000-4000-8000-000000000101', auth.uid(), 'comment', 'again')$q$), 1::bigint,
                  'several comments per actor are fine (only reactions are unique)');

-- ---- edit and delete: own only
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.social_interactions SET comment_text = 'Strong squat!' WHERE id = '4f000000-0000-4000-8000-000000000811'$q$), 1::bigint,
                  'jake edits his comment');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.social_interactions SET comment_text = 'edited by jake' WHERE id = '40000000-0000-4000-8000-000000000703'$q$), 0::bigint,
                  'jake cannot edit davide''s comment');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.social_interactions WHERE id = '40000000-0000-4000-8000-000000000703'$q$), 0::bigint,
                  'jake cannot delete davide''s comment (SOCIAL_INTERACTION_DELETE affects 0 rows)');

-- ---- troll: blocked by sara, cannot comment on her workout; his comment elsewhere is hidden from her
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, comment_text)
                        VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'comment', 'weak')$q$,
                     '42501', 'new row violates row-level security policy for table "social_interactions"', 'troll cannot comment on W01');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, comment_text)
                                      VALUES ('40000000-0000-4000-8000-000000000107', auth.uid(), 'comment', 'slow run')$q$), 1::bigint,
                  'troll comments on jake''s W07');
SELECT pg_temp.eq(pg_temp.thread('40000000-0000-4000-8000-000000000107'), '10:slow run', 'troll''s W07 thread: his comment, not sara''s crown');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.thread('40000000-0000-4000-8000-000000000107'), '04:crown', 'sara''s W07 thread: filtered, without troll''s comment');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.thread('40000000-0000-4000-8000-000000000107'), '04:crown | 10:slow run', 'jake (no blocks) sees both on his W07');

-- ---- deleting a comment removes its replies; the owner of the workout sees the result
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.social_interactions WHERE id = '40000000-0000-4000-8000-000000000703'$q$), 1::bigint,
                  'davide deletes his comment');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.thread('40000000-0000-4000-8000-000000000101'), '02:fist | 14:fire | 14:Strong squat! | 14:again',
                  'the reply to it is gone with it (cascade)');

ROLLBACK;
