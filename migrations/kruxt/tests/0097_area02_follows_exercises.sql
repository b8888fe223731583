-- Area 02 access rules not tied to one plan item: exercises (02 §1.1) and the follow graph (02 §1.5)
-- with its gap closures: a follow request starts pending, only the followed user accepts it, the
-- pair never changes, and no request crosses a block.
-- Actors: sara_conti (04), davide_romano (05, pending request to sara), jake_miller (14, accepted), fede_lombardi (13).

BEGIN;

SET LOCAL ROLE authenticated;

-- ---- exercises: public ones for everyone, private ones for their creator
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.exercises (id, name, slug, category, is_public, created_by)
                                      VALUES ('5f000000-0000-4000-8000-000000000001', 'Sara Sled Push', 'sara-sled-push', 'conditioning', false, auth.uid())$q$),
                  1::bigint, 'sara creates a private exercise');
SELECT pg_temp.fails($q$INSERT INTO public.exercises (name, slug, category, created_by) VALUES ('Fake', 'fake', 'strength', '20000000-0000-4000-8000-000000000005')$q$,
                     '42501', 'new row violates row-level security policy for table "exercises"', 'created_by must be the caller');
SELECT pg_temp.fails($q$INSERT INTO public.exercises (name, slug, category) VALUES ('System', 'system-ex', 'strength')$q$,
                     '42501', NULL, 'clients cannot create system exercises (created_by null)');
SELECT pg_temp.fails($q$INSERT INTO public.exercises (name, slug, category, created_by) VALUES ('Back Squat 2', 'back-squat', 'strength', auth.uid())$q$,
                     '23505', NULL, 'slugs are unique');
SELECT pg_temp.fails($q$INSERT INTO public.exercises (name, slug, category, created_by) VALUES ('Sara Sled Push', 'sara-sled-push-2', 'conditioning', auth.uid())$q$,
                     '23505', NULL, 'a creator''s exercise names are unique');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.exercises$q$), 6::bigint, 'sara sees the 5 public exercises and her own');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.exercises SET equipment = 'sled' WHERE id = '5f000000-0000-4000-8000-000000000001'$q$), 1::bigint, 'sara edits hers');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.exercises SET name = 'Squat' WHERE slug = 'back-squat'$q$), 0::bigint, 'not the system ones');
SELECT public.log_workout_atomic('{"title":"Sled"}', '[{"exercise_id":"5f000000-0000-4000-8000-000000000001","sets":[{"distance_m":50}]}]');
SELECT pg_temp.fails($q$DELETE FROM public.exercises WHERE id = '5f000000-0000-4000-8000-000000000001'$q$,
                     '23503', NULL, 'an exercise used by a workout cannot be deleted (restrict)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.exercises$q$), 5::bigint, 'davide sees only the public ones');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.exercises SET is_public = true WHERE id = '5f000000-0000-4000-8000-000000000001'$q$), 0::bigint,
                  'davide cannot publish sara''s exercise');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.exercises WHERE id = '5f000000-0000-4000-8000-000000000001'$q$), 0::bigint, 'nor delete it');

-- ---- follow graph
-- accepted edges are public, pending ones only for their parties
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(status::text, ',') FROM public.social_connections), 'accepted', 'fede sees jake->sara (accepted) but not davide''s pending request');
SELECT pg_temp.fails($q$INSERT INTO public.social_connections (follower_user_id, followed_user_id, status) VALUES (auth.uid(), '20000000-0000-4000-8000-000000000004', 'accepted')$q$,
                     'KX403', 'Follow requests start as pending', 'a follower cannot create an accepted follow');
SELECT pg_temp.fails($q$INSERT INTO public.social_connections (follower_user_id, followed_user_id) VALUES ('20000000-0000-4000-8000-000000000014', '20000000-0000-4000-8000-000000000013')$q$,
                     '42501', 'new row violates row-level security policy for table "social_connections"', 'nobody follows on someone else''s behalf');
SELECT pg_temp.fails($q$INSERT INTO public.social_connections (follower_user_id, followed_user_id) VALUES (auth.uid(), auth.uid())$q$,
                     '23514', '%social_connections_not_self%', 'SOCIAL_SELF_FOLLOW_FORBIDDEN also in the database');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.social_connections (id, follower_user_id, followed_user_id)
                                      VALUES ('4f000000-0000-4000-8000-000000000971', auth.uid(), '20000000-0000-4000-8000-000000000004')$q$), 1::bigint,
                  'fede asks to follow sara (pending)');
SELECT pg_temp.fails($q$INSERT INTO public.social_connections (follower_user_id, followed_user_id) VALUES (auth.uid(), '20000000-0000-4000-8000-000000000004')$q$,
                     '23505', NULL, 'one request per pair');
SELECT pg_temp.fails($q$UPDATE public.social_connections SET status = 'accepted' WHERE id = '4f000000-0000-4000-8000-000000000971'$q$,
                     'KX403', 'Only the followed user can accept a follow request', 'fede cannot accept his own request');
SELECT pg_temp.fails($q$UPDATE public.social_connections SET followed_user_id = '20000000-0000-4000-8000-000000000014' WHERE id = '4f000000-0000-4000-8000-000000000971'$q$,
                     'KX403', 'Follow pair cannot be changed', 'the pair of a request cannot be rewritten');
-- sara accepts; either party can end it
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.social_connections WHERE followed_user_id = auth.uid() AND status = 'pending'$q$), 2::bigint,
                  'sara''s incoming requests: davide and fede');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.social_connections SET status = 'accepted' WHERE id = '4f000000-0000-4000-8000-000000000971'$q$), 1::bigint,
                  'sara accepts fede (SOCIAL_REQUEST_RESPOND)');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.social_connections WHERE follower_user_id = '20000000-0000-4000-8000-000000000005'
                                      AND followed_user_id = auth.uid()$q$), 1::bigint, 'sara declines davide by deleting the request');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.social_connections WHERE follower_user_id = '20000000-0000-4000-8000-000000000014'
                                      AND followed_user_id = auth.uid()$q$), 1::bigint, 'sara removes a follower (SOCIAL_REMOVE_FOLLOWER)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.social_connections WHERE follower_user_id = auth.uid()$q$), 1::bigint, 'fede unfollows (SOCIAL_UNFOLLOW)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.social_connections SET status = 'accepted'$q$), 0::bigint, 'third parties touch nothing');

-- ---- blocking: the flow also deletes the follow rows both ways, which either party may do
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
INSERT INTO public.social_connections (follower_user_id, followed_user_id) VALUES (auth.uid(), '20000000-0000-4000-8000-000000000013');
INSERT INTO public.user_blocks (blocker_user_id, blocked_user_id) VALUES (auth.uid(), '20000000-0000-4000-8000-000000000013')
ON CONFLICT (blocker_user_id, blocked_user_id) DO NOTHING;
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.social_connections
                                      WHERE (follower_user_id = auth.uid() AND followed_user_id = '20000000-0000-4000-8000-000000000013')
                                         OR (follower_user_id = '20000000-0000-4000-8000-000000000013' AND followed_user_id = auth.uid())$q$), 1::bigint,
                  'block cleanup removes the follow rows');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.social_connections (follower_user_id, followed_user_id) VALUES (auth.uid(), '20000000-0000-4000-8000-000000000004')$q$,
                     'KX403', 'A block exists between these users', 'SOCIAL_REQUEST_BLOCKED also in the database');

ROLLBACK;
