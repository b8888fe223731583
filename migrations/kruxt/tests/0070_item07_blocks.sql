-- Item 7: blocked users cannot view or interact with blocked workouts (02 §2, can_interact_with_workout).
-- Seed: sara_conti (04) blocked troll_tom (10). Both directions: troll sees nothing of sara's, sara
-- nothing of troll's (W06), including feed cards, exercises, sets and interactions; reacting or
-- commenting raises 42501. Interactions written by the other side of a block are hidden everywhere.
-- Third parties cannot probe who blocked whom. Other actors: jake_miller (14), davide_romano (05).

BEGIN;

SET LOCAL ROLE authenticated;

-- ---- troll (blocked) looks at sara (blocker)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workouts WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'troll selects 0 of sara''s workouts (all public)');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.feed_events WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'troll selects 0 of sara''s feed events');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workout_sets WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'troll selects 0 of sara''s sets');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workout_exercises WHERE workout_id = '40000000-0000-4000-8000-000000000101'$q$), 0::bigint,
                  'troll selects 0 of W01''s exercises');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.social_interactions WHERE workout_id = '40000000-0000-4000-8000-000000000101'$q$), 0::bigint,
                  'troll selects 0 interactions on sara''s W01');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.social_interactions WHERE actor_user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'troll selects 0 of sara''s interactions elsewhere (her crown on jake''s W07)');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.social_interactions WHERE workout_id = '40000000-0000-4000-8000-000000000107'$q$), 0::bigint,
                  'so W07 shows troll no interactions');
SELECT pg_temp.eq(public.can_interact_with_workout('40000000-0000-4000-8000-000000000101'), false, 'can_interact_with_workout(W01) is false for troll');
SELECT pg_temp.eq(public.can_view_workout('20000000-0000-4000-8000-000000000004', 'public', NULL), true,
                  'can_view_workout alone still says true (the block is the separate rule)');
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                        VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'reaction', 'clap')$q$,
                     '42501', 'new row violates row-level security policy for table "social_interactions"', 'troll cannot react to sara''s workout');
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, comment_text)
                        VALUES ('40000000-0000-4000-8000-000000000101', auth.uid(), 'comment', 'lol')$q$,
                     '42501', 'new row violates row-level security policy for table "social_interactions"', 'troll cannot comment on sara''s workout');
SELECT pg_temp.fails($q$INSERT INTO public.social_connections (follower_user_id, followed_user_id)
                        VALUES (auth.uid(), '20000000-0000-4000-8000-000000000004')$q$,
                     'KX403', 'A block exists between these users', 'troll cannot send sara a follow request');
-- troll sees the block row (he is a party: the service's SOCIAL_BLOCKED_BY_TARGET pre-check reads it)
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.user_blocks WHERE blocker_user_id = '20000000-0000-4000-8000-000000000004'
                                       AND blocked_user_id = auth.uid()$q$), 1::bigint, 'troll sees that sara blocked him');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.user_blocks$q$), 0::bigint, 'troll cannot lift sara''s block');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.list_home_feed_candidates(250) f WHERE f.user_id = '20000000-0000-4000-8000-000000000004'$q$),
                  0::bigint, 'troll''s feed candidates hold nothing of sara');
-- troll comments on jake's public W07 (allowed: no block with jake)
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.social_interactions (id, workout_id, actor_user_id, interaction_type, comment_text)
                                      VALUES ('4f000000-0000-4000-8000-000000000701', '40000000-0000-4000-8000-000000000107', auth.uid(), 'comment', 'slow')$q$),
                  1::bigint, 'troll comments on jake''s W07');

-- ---- sara (blocker) looks at troll
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workouts WHERE id = '40000000-0000-4000-8000-000000000106'$q$), 0::bigint,
                  'sara selects 0 of troll''s workouts (W06 is public)');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.feed_events WHERE user_id = '20000000-0000-4000-8000-000000000010'$q$), 0::bigint,
                  'sara selects 0 of troll''s feed events');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workout_sets WHERE workout_id = '40000000-0000-4000-8000-000000000106'$q$), 0::bigint,
                  'sara selects 0 of troll''s sets');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.social_interactions WHERE actor_user_id = '20000000-0000-4000-8000-000000000010'$q$), 0::bigint,
                  'sara does not see troll''s comment on jake''s W07');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.social_interactions WHERE workout_id = '40000000-0000-4000-8000-000000000107'$q$), 1::bigint,
                  'sara sees W07''s other interaction (her own crown)');
SELECT pg_temp.fails($q$INSERT INTO public.social_interactions (workout_id, actor_user_id, interaction_type, reaction_type)
                        VALUES ('40000000-0000-4000-8000-000000000106', auth.uid(), 'reaction', 'fire')$q$,
                     '42501', NULL, 'sara cannot react to troll''s workout either');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.list_home_feed_candidates(250) f WHERE f.user_id = '20000000-0000-4000-8000-000000000010'$q$),
                  0::bigint, 'sara''s feed candidates hold nothing of troll');

-- ---- a third party sees the content, not the block, and cannot probe it
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workouts WHERE id IN ('40000000-0000-4000-8000-000000000101', '40000000-0000-4000-8000-000000000106')$q$),
                  2::bigint, 'jake sees both W01 and W06');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.social_interactions WHERE workout_id = '40000000-0000-4000-8000-000000000107'$q$), 2::bigint,
                  'jake sees both sara''s and troll''s interactions on his W07');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.user_blocks$q$), 0::bigint, 'jake sees no block rows');
SELECT pg_temp.eq(public.has_block_between('20000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000010'), false,
                  'has_block_between answers false for pairs without the caller');
SELECT pg_temp.eq(public.can_interact_with_workout('40000000-0000-4000-8000-000000000107', '20000000-0000-4000-8000-000000000010'), false,
                  'can_interact_with_workout for another viewer answers false (no probing)');
SELECT pg_temp.eq(public.can_interact_with_workout('40000000-0000-4000-8000-000000000106'), true, 'jake may interact with W06');

-- ---- the service sees the truth
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.has_block_between('20000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000010'), true, 'service: sara and troll are blocked');
SELECT pg_temp.eq(public.can_interact_with_workout('40000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000010'), false,
                  'service: troll may not interact with W01');
SELECT pg_temp.eq(public.can_interact_with_workout('40000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000014'), true,
                  'service: jake may');

-- ---- block rules: not self, once per pair, only for yourself
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.user_blocks (blocker_user_id, blocked_user_id) VALUES (auth.uid(), auth.uid())$q$,
                     '23514', '%user_blocks_not_self%', 'a user cannot block themself');
SELECT pg_temp.fails($q$INSERT INTO public.user_blocks (blocker_user_id, blocked_user_id) VALUES ('20000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000005')$q$,
                     '42501', 'new row violates row-level security policy for table "user_blocks"', 'jake cannot block on sara''s behalf');
-- jake blocks davide: the rule applies in both directions at once
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.user_blocks (blocker_user_id, blocked_user_id, reason)
                                      VALUES (auth.uid(), '20000000-0000-4000-8000-000000000005', 'spam')$q$), 1::bigint, 'jake blocks davide');
SELECT pg_temp.fails($q$INSERT INTO public.user_blocks (blocker_user_id, blocked_user_id) VALUES (auth.uid(), '20000000-0000-4000-8000-000000000005')$q$,
                     '23505', NULL, 'a pair is blocked once');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.user_blocks SET reason = 'changed'$q$), 0::bigint, 'blocks are not updated by users');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.social_interactions WHERE workout_id = '40000000-0000-4000-8000-000000000101'$q$), 2::bigint,
                  'jake no longer sees davide''s comment on W01 (only the two reactions)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workouts WHERE id = '40000000-0000-4000-8000-000000000107'$q$), 0::bigint,
                  'davide (blocked by jake) no longer sees jake''s W07');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.social_interactions WHERE actor_user_id = '20000000-0000-4000-8000-000000000014'$q$), 0::bigint,
                  'nor jake''s reaction on W01');

-- ---- lifting the block restores visibility
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.user_blocks WHERE blocked_user_id = '20000000-0000-4000-8000-000000000010'$q$), 1::bigint,
                  'sara unblocks troll');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.feed_events WHERE workout_id = '40000000-0000-4000-8000-000000000106'$q$), 1::bigint,
                  'sara sees W06''s card again');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT 1 FROM public.workouts WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 3::bigint,
                  'troll sees sara''s three workouts again');

ROLLBACK;
