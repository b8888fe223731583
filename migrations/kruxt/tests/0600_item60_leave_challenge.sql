-- Item 60: leave_challenge rejects completed participants and only removes the caller's own row (07 §2.2).
-- Seed (challenge 01): sara, davide, elena (not completed), jake (completed).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.leave_challenge('60000000-0000-4000-8000-000000000101')$q$, 'KX401', 'Authentication required', 'anonymous');

SET LOCAL ROLE authenticated;
-- ================================================================ a completed participant is rejected (false, the row stays)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(public.leave_challenge('60000000-0000-4000-8000-000000000101'), false, 'jake (completed) cannot leave: false');
SELECT pg_temp.eq((SELECT score || ' ' || completed FROM public.challenge_participants WHERE id = '60000000-0000-4000-8000-000000000204'),
                  '4000.00 true', 'jake''s completed row stays as it was');

-- ================================================================ the caller's own, not completed row is removed
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000006","role":"authenticated"}', true);
SELECT pg_temp.eq(public.leave_challenge('60000000-0000-4000-8000-000000000101'), true, 'elena leaves: true');
SELECT pg_temp.eq((SELECT count(*) FROM public.challenge_participants WHERE id = '60000000-0000-4000-8000-000000000203'), 0::bigint, 'her row is gone');
SELECT pg_temp.eq(public.leave_challenge('60000000-0000-4000-8000-000000000101'), false, 'leaving again: false');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(p.username, ',' ORDER BY c.id) FROM public.challenge_participants c JOIN public.profiles p ON p.id = c.user_id
                   WHERE c.challenge_id = '60000000-0000-4000-8000-000000000101'), 'sara_conti,davide_romano,jake_miller',
                  'the other participants are untouched');
SELECT pg_temp.eq((SELECT payload::text FROM public.event_outbox WHERE event_type = 'challenge.left'),
                  jsonb_build_object('challenge_id', '60000000-0000-4000-8000-000000000101', 'participant_id', '60000000-0000-4000-8000-000000000203',
                                     'user_id', '20000000-0000-4000-8000-000000000006')::text, 'outbox challenge.left');
SELECT pg_temp.eq((SELECT target_id || ' ' || actor_user_id FROM public.audit_logs WHERE action = 'challenge.left'),
                  '60000000-0000-4000-8000-000000000203 20000000-0000-4000-8000-000000000006', 'audit challenge.left on the participant row');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'challenge.left'), 1::bigint,
                  'the refused and empty calls emitted nothing');

-- ================================================================ nothing to remove: false
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);
SELECT pg_temp.eq(public.leave_challenge('60000000-0000-4000-8000-000000000101'), false, 'chiara is not a participant: false');
SELECT pg_temp.eq(public.leave_challenge('60000000-0000-4000-8000-000000009999'), false, 'unknown challenge: false');
-- other users' rows are never touched, neither by the RPC nor directly
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.challenge_participants WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'a direct delete of sara''s row affects 0 rows');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.challenge_participants WHERE user_id = auth.uid()$q$), 0::bigint,
                  'users delete no participant row directly, not even their own (only the RPC)');
SELECT pg_temp.eq(public.leave_challenge('60000000-0000-4000-8000-000000000101'), true, 'davide leaves through the RPC');
SELECT pg_temp.eq((SELECT count(*) FROM public.challenge_participants WHERE id = '60000000-0000-4000-8000-000000000201'), 1::bigint,
                  'sara''s tied row is still there');

-- a participant who completed after joining cannot leave
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT public.submit_challenge_progress('60000000-0000-4000-8000-000000000101', 100, true);
SELECT pg_temp.eq(public.leave_challenge('60000000-0000-4000-8000-000000000101'), false, 'after marking completed, sara cannot leave');
SELECT pg_temp.eq((SELECT completed FROM public.challenge_participants WHERE id = '60000000-0000-4000-8000-000000000201'), true, 'her row stays');

ROLLBACK;
