-- Item 79, database side (02 §9): createPhase4ProofFeedUiFlow.load filters blocked actors from the
-- feed cards. The database already leaves out every card of a blocked actor (either direction), and
-- gives the flow its other inputs: listMyBlocks, incoming follow requests (pending, I am followed),
-- listMyReports (newest first) and user_blocks_reports. The "reported by viewer" moderation (hide or
-- placeholder) is the flow's, from myReports.
-- Viewer: sara_conti (04; blocked troll_tom 10, reported W06, davide 05 asked to follow her).

BEGIN;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);

-- ---- the ranked feed's input: no card of the blocked actor, through the function and through RLS
SELECT pg_temp.eq((SELECT string_agg(right(f.workout_id::text, 2) || ':' || f.event_type, ',' ORDER BY t.ordinality)
                   FROM public.list_home_feed_candidates(160) WITH ORDINALITY AS t JOIN public.feed_events f ON f.id = t.id),
                  (SELECT string_agg(right(workout_id::text, 2) || ':' || event_type, ',' ORDER BY created_at DESC, id DESC) FROM public.feed_events),
                  'function and RLS agree');
SELECT pg_temp.eq((SELECT string_agg(DISTINCT right(workout_id::text, 2), ',') FROM public.list_home_feed_candidates(160)),
                  '01,02,03,04,07', 'sara''s candidates: her W01-W03, davide''s gym W04, jake''s W07; not giulia''s followers W05, not troll''s W06');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_home_feed_candidates(160) WHERE user_id = '20000000-0000-4000-8000-000000000010'), 0::bigint,
                  'no card of the blocked actor');

-- ---- listMyBlocks
SELECT pg_temp.eq((SELECT string_agg(blocked_user_id::text, ',') FROM public.user_blocks WHERE blocker_user_id = auth.uid()),
                  '20000000-0000-4000-8000-000000000010', 'my blocks: troll_tom');
-- ---- incoming follow requests (50, pending, where I am followed)
SELECT pg_temp.eq((SELECT string_agg(follower_user_id::text, ',' ORDER BY created_at DESC, id DESC) FROM
                     (SELECT * FROM public.social_connections WHERE followed_user_id = auth.uid() AND status = 'pending'
                      ORDER BY created_at DESC, id DESC LIMIT 50) q),
                  '20000000-0000-4000-8000-000000000005', 'incoming requests: davide');
-- ---- listMyReports (30, newest first)
SELECT pg_temp.eq((SELECT string_agg(target_type || ':' || target_id || ':' || status, ',' ORDER BY created_at DESC, id DESC)
                   FROM (SELECT * FROM public.user_reports WHERE reporter_user_id = auth.uid() ORDER BY created_at DESC, id DESC LIMIT 30) q),
                  'workout:40000000-0000-4000-8000-000000000106:open', 'my reports: W06, open');
-- ---- user_blocks_reports: both kinds of rows, each naming the user behind it
SELECT pg_temp.eq((SELECT string_agg(record_type || ':' || target_user_id || ':' || reason || ':' || status, ',' ORDER BY created_at, record_type)
                   FROM public.user_blocks_reports),
                  'report:20000000-0000-4000-8000-000000000010:spam:open,block:20000000-0000-4000-8000-000000000010:Harassing comments:active',
                  'user_blocks_reports: the report of troll''s workout and the block of troll');

-- ---- the blocked actor sees the block (a party) but not the report about him
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(record_type || ':' || actor_user_id, ',') FROM public.user_blocks_reports),
                  'block:20000000-0000-4000-8000-000000000004', 'troll sees only the block row');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_home_feed_candidates(160) WHERE user_id = '20000000-0000-4000-8000-000000000004'), 0::bigint,
                  'troll''s feed holds no card of sara');

-- ---- a third user sees neither
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.user_blocks_reports), 0::bigint, 'jake sees no blocks or reports of others');
SELECT pg_temp.ok((SELECT count(*) FROM public.list_home_feed_candidates(160) WHERE user_id IN ('20000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000010')) >= 4,
                  'jake sees the cards of both sara and troll');

-- ---- after unblocking, troll's card comes back (the flow still hides it as reported_by_viewer)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
DELETE FROM public.user_blocks WHERE blocker_user_id = auth.uid();
SELECT pg_temp.eq((SELECT count(*) FROM public.list_home_feed_candidates(160) WHERE workout_id = '40000000-0000-4000-8000-000000000106'), 1::bigint,
                  'unblocked: W06''s card is a candidate again');
SELECT pg_temp.eq((SELECT count(*) FROM public.user_reports WHERE reporter_user_id = auth.uid() AND target_type = 'workout'
                   AND target_id = '40000000-0000-4000-8000-000000000106'), 1::bigint, 'and myReports still names it, for the flow''s moderation');

ROLLBACK;
