-- Item 59: join_challenge allows visible, non-ended challenges only (07 §2.1). Also the area 07 seed (99 §9).
-- Seed: challenge 01 'Pavia March Volume Trial' (public, BZone, T-7 d .. T+21 d; sara, davide, elena, jake), 02 'Chain
-- Keepers' (gym visibility, Wellness Zone = private gym), 03 'Invite Only Test' (invite_only, by luca), 04 'Winter Sprint'
-- (ended yesterday).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ the seed
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(title || ':' || challenge_type || ':' || visibility, ',' ORDER BY id) FROM public.challenges),
                  'Pavia March Volume Trial:volume:public,Chain Keepers:consistency:gym,Invite Only Test:max_effort:invite_only,Winter Sprint:volume:public',
                  'seeded challenges');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || c.score || ':' || c.completed, ',' ORDER BY c.id)
                   FROM public.challenge_participants c JOIN public.profiles p ON p.id = c.user_id),
                  'sara_conti:15230.00:false,davide_romano:15230.00:false,elena_greco:8800.00:false,jake_miller:4000.00:true',
                  'seeded participants of challenge 01 (sara and davide tied)');
SELECT pg_temp.eq((SELECT (ends_at < public.app_now()) AND (ends_at > public.app_now() - interval '2 days') FROM public.challenges
                   WHERE id = '60000000-0000-4000-8000-000000000104'), true, 'challenge 04 ended yesterday');
SELECT pg_temp.eq((SELECT string_agg(name || ':' || scope || ':' || metric || ':' || timeframe, ',' ORDER BY id) FROM public.leaderboards),
                  'Global Weekly XP:global:xp:weekly,BZone Weekly Volume:gym:volume_kg:weekly,March Trial:challenge:challenge_score:monthly,Global Bench e1RM:exercise:estimated_1rm:weekly',
                  'seeded leaderboards');
SELECT pg_temp.eq((SELECT string_agg(l.name || ':' || (SELECT count(*) FROM public.leaderboard_entries e WHERE e.leaderboard_id = l.id), ',' ORDER BY l.id)
                   FROM public.leaderboards l), 'Global Weekly XP:23,BZone Weekly Volume:1,March Trial:4,Global Bench e1RM:1',
                  'the boards were rebuilt after seeding');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'rank.updated'), 4::bigint, 'one rank.updated per seeded rebuild');

-- ================================================================ errors in order
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.join_challenge('60000000-0000-4000-8000-000000000101')$q$, 'KX401', 'Authentication required', 'anonymous');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);   -- chiara
SELECT pg_temp.fails($q$SELECT public.join_challenge('60000000-0000-4000-8000-000000009999')$q$, 'KX404', 'Challenge not found', 'unknown challenge');
SELECT pg_temp.fails($q$SELECT public.join_challenge('60000000-0000-4000-8000-000000000102')$q$, 'KX403', 'Challenge is not visible to this user',
                     'a gym challenge of a private gym chiara is not a member of');
SELECT pg_temp.fails($q$SELECT public.join_challenge('60000000-0000-4000-8000-000000000103')$q$, 'KX403', 'Challenge is not visible to this user',
                     'an invite_only challenge is joinable only by its creator in the beta');
SELECT pg_temp.fails($q$SELECT public.join_challenge('60000000-0000-4000-8000-000000000104')$q$, 'KX409', 'Challenge has already ended', 'an ended challenge');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
UPDATE public.challenges SET ends_at = public.app_now() WHERE id = '60000000-0000-4000-8000-000000000104';
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.join_challenge('60000000-0000-4000-8000-000000000104')$q$, 'KX409', 'Challenge has already ended',
                     'now = ends_at counts as ended');
SELECT pg_temp.eq((SELECT count(*) FROM public.challenge_participants WHERE user_id = auth.uid()), 0::bigint, 'the refusals created nothing');

-- ================================================================ positive
INSERT INTO ctx SELECT 'chiara', public.join_challenge('60000000-0000-4000-8000-000000000101');
SELECT pg_temp.eq((SELECT user_id || ' ' || score || ' ' || completed || ' ' || (joined_at = public.app_now()) FROM public.challenge_participants
                   WHERE id = (SELECT v FROM ctx WHERE k = 'chiara')),
                  '20000000-0000-4000-8000-000000000008 0.00 false true', 'chiara joins the public challenge: score 0, not completed');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT aggregate_type || ' ' || aggregate_id || ' ' || payload::text FROM public.event_outbox WHERE event_type = 'challenge.joined'),
                  'challenge 60000000-0000-4000-8000-000000000101 ' || jsonb_build_object('challenge_id', '60000000-0000-4000-8000-000000000101',
                      'participant_id', (SELECT v FROM ctx WHERE k = 'chiara'), 'user_id', '20000000-0000-4000-8000-000000000008')::text,
                  'outbox challenge.joined {challenge_id, participant_id, user_id}');
SELECT pg_temp.eq((SELECT target_table || ' ' || target_id || ' ' || actor_user_id FROM public.audit_logs WHERE action = 'challenge.joined'),
                  'challenge_participants ' || (SELECT v FROM ctx WHERE k = 'chiara') || ' 20000000-0000-4000-8000-000000000008',
                  'audit challenge.joined targets the participant row');
-- joining again keeps the row (only updated_at moves) and emits nothing new
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);
SELECT set_config('kruxt.now', (public.app_now() + interval '1 hour')::text, true);
SELECT pg_temp.eq(public.join_challenge('60000000-0000-4000-8000-000000000101'), (SELECT v FROM ctx WHERE k = 'chiara'), 'a second join returns the same id');
SELECT pg_temp.eq((SELECT count(*) || ' ' || bool_and(updated_at = public.app_now()) || ' ' || bool_and(joined_at < updated_at)
                   FROM public.challenge_participants WHERE user_id = auth.uid()), '1 true true', 'one row; updated_at touched, joined_at kept');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'challenge.joined'), 1::bigint, 'no second challenge.joined');
-- sara (already in) gets her seeded row back, score untouched
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(public.join_challenge('60000000-0000-4000-8000-000000000101'), '60000000-0000-4000-8000-000000000201'::uuid, 'sara''s existing row');
SELECT pg_temp.eq((SELECT score FROM public.challenge_participants WHERE id = '60000000-0000-4000-8000-000000000201'), 15230.00, 'her score is kept');
-- visible through the gym, the creator's invite_only challenge, a challenge that has not started yet
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);   -- fede, WZ member
SELECT pg_temp.ok(public.join_challenge('60000000-0000-4000-8000-000000000102') IS NOT NULL, 'fede (Wellness Zone member) joins the gym challenge');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);   -- luca
SELECT pg_temp.ok(public.join_challenge('60000000-0000-4000-8000-000000000103') IS NOT NULL, 'luca joins his own invite_only challenge');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.challenges (id, creator_user_id, title, challenge_type, starts_at, ends_at)
VALUES ('6f000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000001', 'Next Week', 'consistency',
        public.app_now() + interval '7 days', public.app_now() + interval '14 days');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);
SELECT pg_temp.ok(public.join_challenge('6f000000-0000-4000-8000-000000000101') IS NOT NULL, 'a challenge that has not started may be joined');

-- ================================================================ the direct path cannot do more than the RPC
SELECT pg_temp.fails($q$INSERT INTO public.challenge_participants (challenge_id, user_id) VALUES ('60000000-0000-4000-8000-000000000102', auth.uid())$q$,
                     '42501', 'new row violates row-level security policy for table "challenge_participants"',
                     'a direct insert into an invisible challenge is refused');
SELECT pg_temp.fails($q$INSERT INTO public.challenge_participants (challenge_id, user_id) VALUES ('60000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000009')$q$,
                     '42501', NULL, 'a direct insert for another user is refused');
SELECT pg_temp.fails($q$INSERT INTO public.challenge_participants (challenge_id, user_id) VALUES ('60000000-0000-4000-8000-000000000104', auth.uid())$q$,
                     'KX409', 'Challenge has already ended', 'a direct self-insert into an ended challenge is refused like the RPC');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000009","role":"authenticated"}', true);   -- nico
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.challenge_participants (challenge_id, user_id, score, completed)
                                      VALUES ('60000000-0000-4000-8000-000000000101', auth.uid(), 99999, true)$q$), 1::bigint,
                  'a direct self-insert into a visible, running challenge is possible (RLS: self) ...');
SELECT pg_temp.eq((SELECT score || ' ' || completed FROM public.challenge_participants
                   WHERE challenge_id = '60000000-0000-4000-8000-000000000101' AND user_id = auth.uid()), '0.00 false',
                  '... but starts at score 0, not completed (guard_challenge_participant_score)');

ROLLBACK;
