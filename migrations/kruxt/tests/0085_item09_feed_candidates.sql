-- Item 9 (database side): the home feed's candidate events are a deterministic, totally ordered
-- snapshot (02 §6 step 1: visible feed_events by created_at desc, id desc -- ties broken by id), and
-- list_home_feed_candidates() returns exactly what RLS would, from index range scans (00 §9, 99 §13).
-- Ranking itself (scores, final eventId tie-break, injected clock) is the Rust FeedService.
-- Data: the seed plus ~8,000 generated workouts/cards by 60 generated users (random visibility,
-- gyms, follows and blocks around sara), with many cards sharing one created_at.

BEGIN;

-- ---- generated data (as the session superuser: RLS and the client guards do not apply)
INSERT INTO auth.users (id, email)
SELECT ('2f000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'gen_u' || n || '@gen.kruxt.test'
FROM generate_series(1, 60) AS n;
INSERT INTO public.profiles (id, username, display_name)
SELECT ('2f000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'gen_u' || n, 'Gen ' || n
FROM generate_series(1, 60) AS n;
INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
SELECT CASE WHEN n % 3 = 0 THEN '10000000-0000-4000-8000-000000000001'::uuid ELSE '10000000-0000-4000-8000-000000000002'::uuid END,
       ('2f000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'member',
       CASE WHEN n % 10 = 9 THEN 'pending' ELSE 'active' END::public.membership_status
FROM generate_series(1, 60) AS n WHERE n % 3 <> 2;
-- sara follows 20 of them (16 accepted, 4 pending); 6 follow sara; blocks both ways
INSERT INTO public.social_connections (follower_user_id, followed_user_id, status)
SELECT '20000000-0000-4000-8000-000000000004', ('2f000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid,
       CASE WHEN n % 5 = 0 THEN 'pending' ELSE 'accepted' END::public.social_connection_status
FROM generate_series(1, 20) AS n;
INSERT INTO public.social_connections (follower_user_id, followed_user_id, status)
SELECT ('2f000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, '20000000-0000-4000-8000-000000000004', 'accepted'
FROM generate_series(41, 46) AS n;
INSERT INTO public.social_connections (follower_user_id, followed_user_id, status)
SELECT ('2f000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, ('2f000000-0000-4000-8000-' || lpad(to_hex(n + 1), 12, '0'))::uuid, 'accepted'
FROM generate_series(1, 59) AS n;
INSERT INTO public.user_blocks (blocker_user_id, blocked_user_id)
SELECT '20000000-0000-4000-8000-000000000004', ('2f000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid FROM generate_series(3, 4) AS n;
INSERT INTO public.user_blocks (blocker_user_id, blocked_user_id)
SELECT ('2f000000-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, '20000000-0000-4000-8000-000000000004' FROM generate_series(6, 7) AS n;
-- 8,000 workouts: 55 % public, 15 % followers, 20 % gym, 10 % private; every one posts its card
INSERT INTO public.workouts (user_id, gym_id, title, started_at, visibility)
SELECT ('2f000000-0000-4000-8000-' || lpad(to_hex(1 + (i * 7) % 60), 12, '0'))::uuid,
       CASE WHEN i % 4 = 0 THEN NULL
            WHEN (1 + (i * 7) % 60) % 3 = 0 THEN '10000000-0000-4000-8000-000000000001'::uuid
            ELSE '10000000-0000-4000-8000-000000000002'::uuid END,
       'Gen ' || i,
       timestamptz '2026-03-09 08:00+00' - (i % 672) * interval '1 hour',
       CASE WHEN i % 20 < 11 THEN 'public' WHEN i % 20 < 14 THEN 'followers' WHEN i % 20 < 18 THEN 'gym' ELSE 'private' END::public.workout_visibility
FROM generate_series(1, 8000) AS i;
-- cards carry the hour their workout started: about 12 cards per created_at (ties)
UPDATE public.feed_events f SET created_at = w.started_at
FROM public.workouts w WHERE w.id = f.workout_id AND w.title LIKE 'Gen %';
ANALYZE public.feed_events;
ANALYZE public.workouts;
ANALYZE public.social_connections;
ANALYZE public.user_blocks;
ANALYZE public.gym_memberships;

SELECT pg_temp.ok((SELECT count(*) FROM public.feed_events) > 8000, 'more than 8,000 cards');
SELECT pg_temp.ok((SELECT max(n) FROM (SELECT count(*) AS n FROM public.feed_events GROUP BY created_at) t) >= 10, 'many cards share a created_at');

-- feed(viewer-independent): the function's ids in output order; rls(n): what RLS gives, same order
CREATE FUNCTION pg_temp.feed(p_limit integer, p_at timestamptz DEFAULT NULL, p_id uuid DEFAULT NULL) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(t.id::text, ',' ORDER BY t.ordinality), '') FROM public.list_home_feed_candidates(p_limit, p_at, p_id) WITH ORDINALITY AS t
$$;
CREATE FUNCTION pg_temp.rls(p_limit integer) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(q.id::text, ',' ORDER BY q.created_at DESC, q.id DESC), '')
    FROM (SELECT f.id, f.created_at FROM public.feed_events f ORDER BY f.created_at DESC, f.id DESC LIMIT p_limit) q
$$;

-- ---- the function returns exactly the RLS-visible list, for every kind of viewer
SET LOCAL ROLE authenticated;
CREATE FUNCTION pg_temp.same_as_rls(p_user uuid, p_limit integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('request.jwt.claims', json_build_object('sub', p_user, 'role', 'authenticated')::text, true);
    PERFORM pg_temp.eq(md5(pg_temp.feed(p_limit)), md5(pg_temp.rls(p_limit)), format('viewer %s, limit %s: function = RLS', p_user, p_limit));
    PERFORM pg_temp.ok(length(pg_temp.feed(p_limit)) > 0, format('viewer %s sees some cards', p_user));
END $$;
SELECT pg_temp.same_as_rls(u::uuid, l)
FROM unnest(ARRAY[
        '20000000-0000-4000-8000-000000000004',   -- sara: follows, blocks both ways, BZone member
        '20000000-0000-4000-8000-000000000014',   -- jake: follows sara, no gym
        '20000000-0000-4000-8000-000000000005',   -- davide: pending follow, BZone
        '20000000-0000-4000-8000-000000000010',   -- troll: blocked by sara
        '20000000-0000-4000-8000-000000000013',   -- fede: Wellness Zone
        '20000000-0000-4000-8000-000000000011',   -- anna: Wellness Zone owner
        '2f000000-0000-4000-8000-000000000003',   -- blocked by sara, BZone
        '2f000000-0000-4000-8000-000000000007',   -- blocks sara, Wellness Zone
        '2f000000-0000-4000-8000-000000000029'    -- pending membership
     ]) AS u
CROSS JOIN unnest(ARRAY[1, 25, 120, 250]) AS l;

-- ---- determinism and total order
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.feed(250), pg_temp.feed(250), 'two calls on the same snapshot give the same list');
SELECT pg_temp.ok((SELECT bool_and(ok) FROM (
                       SELECT (t.created_at, t.id) < (lag(t.created_at) OVER w, lag(t.id) OVER w) OR lag(t.id) OVER w IS NULL AS ok
                       FROM public.list_home_feed_candidates(250) WITH ORDINALITY AS t
                       WINDOW w AS (ORDER BY t.ordinality)) x), 'strictly descending by (created_at, id): ties broken by id desc');
SELECT pg_temp.ok((SELECT count(*) - count(DISTINCT created_at) FROM public.list_home_feed_candidates(250)) > 0, 'the list does contain ties');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_home_feed_candidates(0)), 1::bigint, 'limit 0 is clamped to 1');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_home_feed_candidates(NULL)), 120::bigint, 'default limit 120');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_home_feed_candidates()), 120::bigint, 'default limit 120 without arguments');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_home_feed_candidates(5000)), 250::bigint, 'limit clamped to 250');

-- ---- keyset pages continue the list exactly
CREATE TEMP TABLE pages (page int, ids text);
DO $$
DECLARE v_at timestamptz; v_id uuid; v_ids text; i int;
BEGIN
    FOR i IN 1..5 LOOP
        SELECT string_agg(t.id::text, ',' ORDER BY t.ordinality) INTO v_ids FROM public.list_home_feed_candidates(40, v_at, v_id) WITH ORDINALITY AS t;
        INSERT INTO pages VALUES (i, v_ids);
        SELECT t.created_at, t.id INTO v_at, v_id FROM public.list_home_feed_candidates(40, v_at, v_id) WITH ORDINALITY AS t ORDER BY t.ordinality DESC LIMIT 1;
    END LOOP;
END $$;
SELECT pg_temp.eq((SELECT string_agg(ids, ',' ORDER BY page) FROM pages), pg_temp.feed(200), '5 pages of 40 = the first 200');
SELECT pg_temp.eq(pg_temp.feed(250, '2026-03-05 08:00+00'), pg_temp.feed(250, '2026-03-05 08:00+00', '00000000-0000-0000-0000-000000000000'),
                  'a timestamp alone means strictly older than that instant');
SELECT pg_temp.ok((SELECT bool_and(created_at < '2026-03-05 08:00+00') FROM public.list_home_feed_candidates(250, '2026-03-05 08:00+00')),
                  'every card of a timestamp-only page is older');

-- ---- no viewer, no feed
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.list_home_feed_candidates()$q$, 'KX401', 'Authentication required', 'no sub: Authentication required');

-- ---- index-driven: the candidate query uses the feed indexes and never scans feed_events
RESET ROLE;
SET LOCAL ROLE kruxt_owner;
CREATE TEMP TABLE plan AS SELECT NULL::jsonb AS p;
DO $$
DECLARE v jsonb;
BEGIN
    EXECUTE format($q$EXPLAIN (FORMAT JSON) SELECT * FROM public.home_feed_candidate_ids(%L, %L, %L, %L, 250, 'infinity', 'ffffffff-ffff-ffff-ffff-ffffffffffff')$q$,
        '20000000-0000-4000-8000-000000000004',
        (SELECT array_agg(followed_user_id) FROM public.social_connections WHERE follower_user_id = '20000000-0000-4000-8000-000000000004' AND status = 'accepted'),
        ARRAY['10000000-0000-4000-8000-000000000001']::uuid[],
        ARRAY['2f000000-0000-4000-8000-000000000003', '2f000000-0000-4000-8000-000000000004',
              '2f000000-0000-4000-8000-000000000006', '2f000000-0000-4000-8000-000000000007',
              '20000000-0000-4000-8000-000000000010']::uuid[]) INTO v;
    UPDATE plan SET p = v;
END $$;
SELECT pg_temp.eq((SELECT jsonb_path_query_array(p, '$.** ? (@."Relation Name" == "feed_events" && @."Node Type" == "Seq Scan")') FROM plan), '[]'::jsonb,
                  'no sequential scan of feed_events');
SELECT pg_temp.eq((SELECT jsonb_path_query_array(p, '$.** ? (@."Node Type" == "Function Scan" && @."Function Name" == "home_feed_candidate_ids")') FROM plan), '[]'::jsonb,
                  'home_feed_candidate_ids is inlined into the calling query');
SELECT pg_temp.eq((SELECT jsonb_agg(DISTINCT x ORDER BY x) FROM plan, jsonb_path_query(p, '$.**."Index Name"') AS x),
                  '["feed_events_followers_user_created_idx", "feed_events_gym_created_idx", "feed_events_public_created_idx", "feed_events_user_created_idx"]'::jsonb,
                  'each branch reads its own feed_events index (own, followers, gym, public)');
SELECT pg_temp.eq((SELECT jsonb_agg(DISTINCT x ORDER BY x) - 'Index Scan' - 'Index Only Scan' - 'Bitmap Heap Scan'
                   FROM plan, jsonb_path_query(p, '$.** ? (@."Relation Name" == "feed_events")."Node Type"') AS x),
                  '[]'::jsonb, 'every feed_events access is index-driven (Index Scan, or Bitmap Heap Scan over its index for small branches)');

-- ---- the spec's index (02 §1.4): feed_events (created_at desc, id desc)
SELECT pg_temp.eq((SELECT pg_get_indexdef('public.feed_events_created_id_idx'::regclass)),
                  'CREATE INDEX feed_events_created_id_idx ON public.feed_events USING btree (created_at DESC, id DESC)', 'feed order index');

ROLLBACK;
