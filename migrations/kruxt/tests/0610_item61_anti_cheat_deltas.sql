-- Item 61: submit_challenge_progress enforces per-type anti-cheat delta thresholds (07 §2.3): consistency 1,
-- time_based 21600, max_effort 1000, volume 50000 per submission; a delta equal to the maximum is accepted.
-- Also the gap closure guard_challenge_participant_score: users never write their own score.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

-- one running challenge per type (created by the service), and sara and davide as participants
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.challenges (id, creator_user_id, title, challenge_type, starts_at, ends_at, points_per_unit)
SELECT format('6f000000-0000-4000-8000-0000000001%s', t.nn)::uuid, '20000000-0000-4000-8000-000000000001', t.title,
       t.kind::public.challenge_type, public.app_now() - interval '1 day', public.app_now() + interval '7 days', t.ppu
FROM (VALUES ('01', 'Consistency', 'consistency', 1), ('02', 'Time', 'time_based', 1), ('03', 'Max', 'max_effort', 1),
             ('04', 'Volume', 'volume', 1), ('05', 'Triple points', 'max_effort', 3),
             ('06', 'Not yet', 'volume', 1), ('07', 'Over', 'volume', 1)) AS t(nn, title, kind, ppu);
UPDATE public.challenges SET starts_at = public.app_now() + interval '1 day' WHERE id = '6f000000-0000-4000-8000-000000000106';
UPDATE public.challenges SET starts_at = public.app_now() - interval '9 days', ends_at = public.app_now() WHERE id = '6f000000-0000-4000-8000-000000000107';
INSERT INTO public.challenge_participants (challenge_id, user_id)
SELECT c.id, u.id FROM public.challenges c
CROSS JOIN (VALUES ('20000000-0000-4000-8000-000000000004'::uuid), ('20000000-0000-4000-8000-000000000005'::uuid)) AS u(id)
WHERE c.id::text LIKE '6f000000-%';

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);

-- ================================================================ the thresholds, each at and just above its maximum
SELECT pg_temp.eq(public.submit_challenge_progress('6f000000-0000-4000-8000-000000000101', 1), 1.00, 'consistency: 1 is accepted');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000101', 1.01)$q$, 'KX422',
                     'Score delta exceeds allowed threshold for this challenge type', 'consistency: 1.01 is refused');
SELECT pg_temp.eq(public.submit_challenge_progress('6f000000-0000-4000-8000-000000000102', 21600), 21600.00, 'time_based: 21600 s accepted');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000102', 21600.01)$q$, 'KX422',
                     'Score delta exceeds allowed threshold for this challenge type', 'time_based: above 21600 refused');
SELECT pg_temp.eq(public.submit_challenge_progress('6f000000-0000-4000-8000-000000000103', 1000), 1000.00, 'max_effort: 1000 accepted');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000103', 1000.5)$q$, 'KX422',
                     'Score delta exceeds allowed threshold for this challenge type', 'max_effort: above 1000 refused');
SELECT pg_temp.eq(public.submit_challenge_progress('6f000000-0000-4000-8000-000000000104', 50000), 50000.00, 'volume: 50000 accepted');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000104', 50001)$q$, 'KX422',
                     'Score delta exceeds allowed threshold for this challenge type', 'volume: 50001 refused');
SELECT pg_temp.eq((SELECT string_agg(score::text, ',' ORDER BY challenge_id) FROM public.challenge_participants
                   WHERE user_id = auth.uid() AND challenge_id::text LIKE '6f000000-%'),
                  '1.00,21600.00,1000.00,50000.00,0.00,0.00,0.00', 'refused deltas changed no score');

-- ================================================================ errors in order
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('60000000-0000-4000-8000-000000009999', 0)$q$, 'KX422',
                     'Score delta must be greater than zero', 'delta 0 is checked before the challenge exists');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000104', -5)$q$, 'KX422',
                     'Score delta must be greater than zero', 'a negative delta');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000104', NULL)$q$, 'KX422',
                     'Score delta must be greater than zero', 'a null delta');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000104', 'NaN')$q$, 'KX422',
                     'Score delta must be greater than zero', 'NaN');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('60000000-0000-4000-8000-000000009999', 5)$q$, 'KX404', 'Challenge not found', 'unknown challenge');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000106', 999999)$q$, 'KX409',
                     'Challenge has not started yet', 'not started (checked before the threshold)');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000107', 5)$q$, 'KX409',
                     'Challenge has already ended', 'ended (now = ends_at)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000101', 2)$q$, 'KX422',
                     'Score delta exceeds allowed threshold for this challenge type', 'the threshold is checked before participation');
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000101', 1)$q$, 'KX409',
                     'Join the challenge before submitting progress', 'chiara is not a participant');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.submit_challenge_progress('6f000000-0000-4000-8000-000000000101', 1)$q$, 'KX401', 'Authentication required', 'no user');

-- ================================================================ points, cap, completion, events
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(public.submit_challenge_progress('6f000000-0000-4000-8000-000000000105', 333.337), 1000.01,
                  'points = round(delta x points_per_unit, 2): 333.337 x 3 = 1000.01');
SELECT pg_temp.eq(public.submit_challenge_progress('6f000000-0000-4000-8000-000000000105', 1000, true), 4000.01, 'scores add up');
SELECT pg_temp.eq(public.submit_challenge_progress('6f000000-0000-4000-8000-000000000105', 0.5), 4001.51, 'completed is sticky ...');
SELECT pg_temp.eq((SELECT completed FROM public.challenge_participants WHERE challenge_id = '6f000000-0000-4000-8000-000000000105' AND user_id = auth.uid()),
                  true, '... once marked, a later submission without the mark keeps it');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
UPDATE public.challenge_participants SET score = 999990 WHERE challenge_id = '6f000000-0000-4000-8000-000000000104' AND user_id = '20000000-0000-4000-8000-000000000005';
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(public.submit_challenge_progress('6f000000-0000-4000-8000-000000000104', 50000), 1000000.00, 'the score is capped at 1 000 000');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT payload - 'participant_id' FROM public.event_outbox WHERE event_type = 'challenge.progress_updated'
                   AND aggregate_id = '6f000000-0000-4000-8000-000000000105' AND (payload ->> 'score_total')::numeric = 1000.01),
                  '{"challenge_id":"6f000000-0000-4000-8000-000000000105","user_id":"20000000-0000-4000-8000-000000000005","score_delta":1000.01,"score_total":1000.01}'::jsonb,
                  'outbox challenge.progress_updated {challenge_id, participant_id, user_id, score_delta (points), score_total}');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'challenge.progress_updated'), 8::bigint,
                  'one audit challenge.progress_updated per accepted submission (4 by sara, 4 by davide)');

-- ================================================================ gap closure: users never write their own score
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.challenge_participants SET score = 1000000 WHERE id = '60000000-0000-4000-8000-000000000201'$q$,
                     'KX403', 'Challenge scores are system-managed', 'negative (reference defect): sara cannot write her own score');
SELECT pg_temp.fails($q$UPDATE public.challenge_participants SET completed = true WHERE id = '60000000-0000-4000-8000-000000000201'$q$,
                     'KX403', 'Challenge scores are system-managed', 'nor mark herself completed');
SELECT pg_temp.fails($q$UPDATE public.challenge_participants SET challenge_id = '6f000000-0000-4000-8000-000000000106' WHERE id = '60000000-0000-4000-8000-000000000201'$q$,
                     'KX403', 'Challenge participant challenge and user cannot be changed', 'nor move her 15230 points to another challenge');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.challenge_participants SET joined_at = joined_at WHERE id = '60000000-0000-4000-8000-000000000201'$q$),
                  1::bigint, 'an update that leaves score and completed alone passes (positive control)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);   -- giulia, creator of challenge 01
SELECT pg_temp.fails($q$UPDATE public.challenge_participants SET score = 0 WHERE id = '60000000-0000-4000-8000-000000000202'$q$,
                     'KX403', 'Challenge scores are system-managed', 'the challenge creator cannot rewrite a participant''s score either');
SELECT pg_temp.eq((SELECT score FROM public.challenge_participants WHERE id = '60000000-0000-4000-8000-000000000201'), 15230.00, 'sara''s score is unchanged');

ROLLBACK;
