-- KRUXT 0012: home feed candidate selection (02 §6 step 1; 00 §9, 99 §13 performance).
--
-- FeedService.listHomeFeed reads "up to scanLimit visible feed_events ordered by created_at desc,
-- id desc". Through RLS that is a per-row can_interact_with_workout() over every event until enough
-- pass, which is what made the reference slow at 10^6 events. list_home_feed_candidates() returns
-- the same rows (same visibility and block rules, same order) from four index range scans:
--
--   own          feed_events_user_created_idx            user_id = viewer
--   followers    feed_events_followers_user_created_idx  per accepted, unblocked followed author,
--                                                        workout_visibility = 'followers'
--   same gym     feed_events_gym_created_idx             per gym where the viewer is a trial/active
--                                                        member, workout_visibility = 'gym'
--   public       feed_events_public_created_idx          workout_visibility = 'public', author not
--                                                        blocked either way
--
-- each read newest first with LIMIT, merged, cut to the limit, then re-checked against the workout
-- row itself. Every event a viewer may see under can_view_workout is in exactly the branch of its
-- workout's visibility (or the own branch), so the merge is the exact top of the visible list.
SET ROLE kruxt_owner;

-- The branches as one inlinable SQL function (LANGUAGE sql, STABLE, invoker rights, no SET clause),
-- so the planner sees one query and EXPLAIN shows every scan. Called by list_home_feed_candidates
-- (as kruxt_owner, no RLS) with the viewer's follow, gym and block sets; anyone else calling it
-- directly gets RLS on feed_events on top, so wrong sets cannot widen what they see.
CREATE FUNCTION public.home_feed_candidate_ids(
    p_viewer uuid,
    p_followed uuid[],
    p_gym_ids uuid[],
    p_blocked uuid[],
    p_limit integer,
    p_before_created_at timestamptz,
    p_before_id uuid
) RETURNS TABLE (id uuid, created_at timestamptz)
LANGUAGE sql STABLE
AS $$
    SELECT c.id, c.created_at
    FROM (
        (SELECT f.id, f.created_at
         FROM public.feed_events f
         WHERE f.user_id = p_viewer
           AND (f.created_at, f.id) < (p_before_created_at, p_before_id)
         ORDER BY f.created_at DESC, f.id DESC
         LIMIT p_limit)
        UNION
        (SELECT x.id, x.created_at
         FROM unnest(p_followed) AS a(author_id)
         CROSS JOIN LATERAL (
             SELECT f.id, f.created_at
             FROM public.feed_events f
             WHERE f.user_id = a.author_id
               AND f.workout_visibility = 'followers'
               AND (f.created_at, f.id) < (p_before_created_at, p_before_id)
             ORDER BY f.created_at DESC, f.id DESC
             LIMIT p_limit) AS x
         ORDER BY x.created_at DESC, x.id DESC
         LIMIT p_limit)
        UNION
        (SELECT x.id, x.created_at
         FROM unnest(p_gym_ids) AS g(gym_id)
         CROSS JOIN LATERAL (
             SELECT f.id, f.created_at
             FROM public.feed_events f
             WHERE f.workout_gym_id = g.gym_id
               AND f.workout_visibility = 'gym'
               AND f.user_id <> ALL (p_blocked)
               AND (f.created_at, f.id) < (p_before_created_at, p_before_id)
             ORDER BY f.created_at DESC, f.id DESC
             LIMIT p_limit) AS x
         ORDER BY x.created_at DESC, x.id DESC
         LIMIT p_limit)
        UNION
        (SELECT f.id, f.created_at
         FROM public.feed_events f
         WHERE f.workout_visibility = 'public'
           AND f.user_id <> ALL (p_blocked)
           AND (f.created_at, f.id) < (p_before_created_at, p_before_id)
         ORDER BY f.created_at DESC, f.id DESC
         LIMIT p_limit)
    ) AS c
    ORDER BY c.created_at DESC, c.id DESC
    LIMIT p_limit
$$;

-- list_home_feed_candidates(p_limit, p_before_created_at, p_before_id) -> SETOF feed_events
--   The caller's (auth.uid()) visible feed events, newest first: ORDER BY created_at DESC, id DESC,
--   at most p_limit rows (default 120, clamped to 1..250 like scanLimit). Optional keyset cursor:
--   only events strictly after (p_before_created_at, p_before_id) in that order; give both or
--   neither (a timestamp alone means "older than that instant"). No sub -> KX401 Authentication required.
--   Visible = exactly can_interact_with_workout(workout_id) for the caller (can_view_workout plus no
--   block either way), the same rows the feed_events RLS policy lets the caller read.
CREATE FUNCTION public.list_home_feed_candidates(
    p_limit integer DEFAULT 120,
    p_before_created_at timestamptz DEFAULT NULL,
    p_before_id uuid DEFAULT NULL
) RETURNS SETOF public.feed_events
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_viewer uuid := auth.uid();
    v_limit integer := least(greatest(coalesce(p_limit, 120), 1), 250);
    v_before_at timestamptz := coalesce(p_before_created_at, 'infinity'::timestamptz);
    v_before_id uuid := CASE WHEN p_before_created_at IS NULL OR p_before_id IS NULL
                             THEN 'ffffffff-ffff-ffff-ffff-ffffffffffff'::uuid
                             ELSE p_before_id END;
    v_blocked uuid[];
    v_followed uuid[];
    v_gym_ids uuid[];
BEGIN
    IF v_viewer IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF p_before_created_at IS NOT NULL AND p_before_id IS NULL THEN
        -- "older than this instant": nothing at the instant itself
        v_before_id := '00000000-0000-0000-0000-000000000000'::uuid;
    END IF;

    v_blocked := ARRAY(
        SELECT b.blocked_user_id FROM public.user_blocks b WHERE b.blocker_user_id = v_viewer
        UNION
        SELECT b.blocker_user_id FROM public.user_blocks b WHERE b.blocked_user_id = v_viewer);
    v_followed := ARRAY(
        SELECT c.followed_user_id FROM public.social_connections c
        WHERE c.follower_user_id = v_viewer AND c.status = 'accepted'
          AND c.followed_user_id <> ALL (v_blocked));
    v_gym_ids := ARRAY(
        SELECT m.gym_id FROM public.gym_memberships m
        WHERE m.user_id = v_viewer AND m.membership_status IN ('trial', 'active'));

    RETURN QUERY
    SELECT f.*
    FROM public.home_feed_candidate_ids(v_viewer, v_followed, v_gym_ids, v_blocked, v_limit,
                                        v_before_at, v_before_id) AS c
    JOIN public.feed_events f ON f.id = c.id
    JOIN public.workouts w ON w.id = f.workout_id
    -- the rule itself, on the workout row (defence in depth; the branches already guarantee it)
    WHERE (w.user_id = v_viewer
           OR w.visibility = 'public'
           OR (w.visibility = 'followers' AND w.user_id = ANY (v_followed))
           OR (w.visibility = 'gym' AND w.gym_id = ANY (v_gym_ids)))
      AND w.user_id <> ALL (v_blocked)
    ORDER BY f.created_at DESC, f.id DESC;
END
$$;

RESET ROLE;
