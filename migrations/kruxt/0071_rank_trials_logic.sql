-- KRUXT 0071: area 07 behaviour (07-rank-trials.md §2-§4; items 59-64): join_challenge, leave_challenge,
-- submit_challenge_progress (per-type anti-cheat deltas), rebuild_leaderboard_scope (set-based: one
-- INSERT ... SELECT with a window function per board, top 500 in the board's total order), the determinism
-- snapshot leaderboard_snapshot_hash, and the SQL of the edge job rank_recompute_weekly:
--   rank_recompute_boards(p_timeframe, p_leaderboard_ids, p_limit) -> setof leaderboards   (07 §4 step 1)
--   rank_recompute_weekly(p_timeframe, p_leaderboard_ids, p_limit, p_determinism_probe_count) -> jsonb
--       (07 §4 steps 1-4 in one call; each board rebuilt in its own subtransaction)
-- The scheduler run record and the failed-run alert (07 §6, 08 §6) are in 0081.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- 07 §2.3: the largest delta one submission may carry, per challenge type.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.challenge_max_score_delta(p_type public.challenge_type) RETURNS numeric
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE p_type
        WHEN 'consistency' THEN 1
        WHEN 'time_based' THEN 21600
        WHEN 'max_effort' THEN 1000
        WHEN 'volume' THEN 50000
    END::numeric
$$;

-- ---------------------------------------------------------------------------------------------
-- join_challenge (07 §2.1; item 59). Errors in order: KX401 'Authentication required'; KX404 'Challenge not
-- found'; KX403 'Challenge is not visible to this user'; KX409 'Challenge has already ended'. A challenge that has
-- not started may be joined. An existing participant row is kept (only updated_at is touched) and its id returned;
-- challenge.joined (outbox + audit) is written for a new row only.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.join_challenge(p_challenge_id uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_now timestamptz := public.app_now();
    v_challenge public.challenges;
    v_id uuid;
    v_inserted boolean;
BEGIN
    IF v_uid IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    SELECT c.* INTO v_challenge FROM public.challenges c WHERE c.id = p_challenge_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Challenge not found' USING ERRCODE = 'KX404';
    END IF;
    IF NOT (v_challenge.visibility = 'public' OR v_challenge.creator_user_id = v_uid
            OR (v_challenge.visibility = 'gym' AND v_challenge.gym_id IS NOT NULL AND public.can_view_gym(v_challenge.gym_id, v_uid))) THEN
        RAISE EXCEPTION 'Challenge is not visible to this user' USING ERRCODE = 'KX403';
    END IF;
    IF v_now >= v_challenge.ends_at THEN
        RAISE EXCEPTION 'Challenge has already ended' USING ERRCODE = 'KX409';
    END IF;

    INSERT INTO public.challenge_participants AS p (challenge_id, user_id, score, completed, joined_at, updated_at)
    VALUES (p_challenge_id, v_uid, 0, false, v_now, v_now)
    ON CONFLICT (challenge_id, user_id) DO UPDATE SET updated_at = v_now
    RETURNING p.id, (p.xmax = 0) INTO v_id, v_inserted;

    IF v_inserted THEN
        INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
        VALUES ('challenge.joined', 'challenge', p_challenge_id,
                jsonb_build_object('challenge_id', p_challenge_id, 'participant_id', v_id, 'user_id', v_uid));
        PERFORM public.append_audit_log('challenge.joined', 'challenge_participants', v_id, NULL,
                                        jsonb_build_object('challenge_id', p_challenge_id, 'user_id', v_uid));
    END IF;
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- leave_challenge (07 §2.2; item 60): deletes the caller's own row only, and only while not completed. false when
-- nothing was deleted (not a participant, unknown challenge, or a completed participant, whose row stays).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.leave_challenge(p_challenge_id uuid) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_id uuid;
BEGIN
    IF v_uid IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    DELETE FROM public.challenge_participants p
    WHERE p.challenge_id = p_challenge_id AND p.user_id = v_uid AND NOT p.completed
    RETURNING p.id INTO v_id;
    IF v_id IS NULL THEN
        RETURN false;
    END IF;
    INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
    VALUES ('challenge.left', 'challenge', p_challenge_id,
            jsonb_build_object('challenge_id', p_challenge_id, 'participant_id', v_id, 'user_id', v_uid));
    PERFORM public.append_audit_log('challenge.left', 'challenge_participants', v_id, NULL,
                                    jsonb_build_object('challenge_id', p_challenge_id, 'user_id', v_uid));
    RETURN true;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- submit_challenge_progress (07 §2.3; item 61). Errors in order: KX401 'Authentication required'; KX422 'Score
-- delta must be greater than zero'; KX404 'Challenge not found'; KX409 'Challenge has not started yet'; KX409
-- 'Challenge has already ended'; KX422 'Score delta exceeds allowed threshold for this challenge type'; KX409 'Join
-- the challenge before submitting progress'. A delta equal to the maximum is accepted. The participant row is
-- locked; points = round(delta * points_per_unit, 2); score = min(score + points, 1 000 000).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.submit_challenge_progress(p_challenge_id uuid, p_score_delta numeric, p_mark_completed boolean DEFAULT false)
RETURNS numeric
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_now timestamptz := public.app_now();
    v_challenge public.challenges;
    v_participant public.challenge_participants;
    v_points numeric(12,2);
    v_score numeric(12,2);
BEGIN
    IF v_uid IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF p_score_delta IS NULL OR p_score_delta <= 0 OR p_score_delta = 'NaN'::numeric THEN
        RAISE EXCEPTION 'Score delta must be greater than zero' USING ERRCODE = 'KX422';
    END IF;
    SELECT c.* INTO v_challenge FROM public.challenges c WHERE c.id = p_challenge_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Challenge not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_now < v_challenge.starts_at THEN
        RAISE EXCEPTION 'Challenge has not started yet' USING ERRCODE = 'KX409';
    END IF;
    IF v_now >= v_challenge.ends_at THEN
        RAISE EXCEPTION 'Challenge has already ended' USING ERRCODE = 'KX409';
    END IF;
    IF p_score_delta > public.challenge_max_score_delta(v_challenge.challenge_type) THEN
        RAISE EXCEPTION 'Score delta exceeds allowed threshold for this challenge type' USING ERRCODE = 'KX422';
    END IF;
    SELECT p.* INTO v_participant FROM public.challenge_participants p
    WHERE p.challenge_id = p_challenge_id AND p.user_id = v_uid
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Join the challenge before submitting progress' USING ERRCODE = 'KX409';
    END IF;

    v_points := round(p_score_delta * v_challenge.points_per_unit, 2);
    v_score := least(v_participant.score + v_points, 1000000);
    UPDATE public.challenge_participants
    SET score = v_score, completed = completed OR coalesce(p_mark_completed, false)
    WHERE id = v_participant.id;

    INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
    VALUES ('challenge.progress_updated', 'challenge', p_challenge_id,
            jsonb_build_object('challenge_id', p_challenge_id, 'participant_id', v_participant.id, 'user_id', v_uid,
                               'score_delta', v_points, 'score_total', v_score));
    PERFORM public.append_audit_log('challenge.progress_updated', 'challenge_participants', v_participant.id, NULL,
                                    jsonb_build_object('challenge_id', p_challenge_id, 'user_id', v_uid,
                                                       'score_delta', v_points, 'score_total', v_score));
    RETURN v_score;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- rebuild_leaderboard_scope (07 §3; item 62). Errors: KX404 'Leaderboard not found'; KX401 'Authentication
-- required' (no service claims and no user); KX403 'Not authorized to rebuild this leaderboard' (non-service callers
-- only for gym boards of a gym where they are staff). Test hook (07 §4): with kruxt.test_mode = 'on' and the id in
-- kruxt.fail_leaderboard_ids (comma-separated) it raises 'Leaderboard rebuild fault injected'.
--
-- The board row is locked FOR UPDATE (gap closure: concurrent rebuilds of one board run one after the other),
-- its entries deleted and the new ranking inserted by ONE INSERT ... SELECT per board: the candidates of the
-- metric, the top 500 in the board's total order (ORDER BY ... LIMIT 500: a top-N sort or an index scan, never a
-- sort of every candidate), ranked by row_number() over the same order. Departure from reference: exactly the
-- entries with rank <= 500 are stored. Orders: score desc, user_id asc (uuid byte order); challenge_score: score
-- desc, completed desc, updated_at asc, user_id asc. Window: [starts_at, ends_at) on workouts.started_at.
-- Scope readings (interpretations where 07 §3 is silent): volume_kg / estimated_1rm of a challenge board are
-- ranked like a global board; challenge_score of an exercise board, like consistency_days of exercise/challenge
-- boards, has no rows.
-- Emits rank.updated (aggregate leaderboard, {leaderboard_id, rows, metric, timeframe}); returns the rows inserted.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.rebuild_leaderboard_scope(p_leaderboard_id uuid) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    b public.leaderboards;
    v_now timestamptz := public.app_now();
    v_rows integer := 0;
    v_window jsonb;
BEGIN
    SELECT l.* INTO b FROM public.leaderboards l WHERE l.id = p_leaderboard_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Leaderboard not found' USING ERRCODE = 'KX404';
    END IF;
    IF NOT public.is_service_role() THEN
        IF auth.uid() IS NULL THEN
            RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
        END IF;
        IF b.scope <> 'gym' OR NOT public.is_gym_staff(b.scope_gym_id) THEN
            RAISE EXCEPTION 'Not authorized to rebuild this leaderboard' USING ERRCODE = 'KX403';
        END IF;
    END IF;

    SELECT l.* INTO b FROM public.leaderboards l WHERE l.id = p_leaderboard_id FOR UPDATE;

    IF current_setting('kruxt.test_mode', true) = 'on'
       AND p_leaderboard_id::text = ANY (string_to_array(
               replace(lower(coalesce(current_setting('kruxt.fail_leaderboard_ids', true), '')), ' ', ''), ',')) THEN
        RAISE EXCEPTION 'Leaderboard rebuild fault injected';
    END IF;

    DELETE FROM public.leaderboard_entries e WHERE e.leaderboard_id = b.id;

    IF b.metric = 'xp' AND b.scope = 'gym' THEN
        INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
        SELECT b.id, t.id, row_number() OVER (ORDER BY t.xp_total DESC, t.id), t.xp_total, '{"metric":"xp"}'::jsonb, v_now
        FROM (SELECT p.id, p.xp_total FROM public.profiles p
              WHERE p.home_gym_id = b.scope_gym_id
              ORDER BY p.xp_total DESC, p.id LIMIT 500) AS t;
    ELSIF b.metric = 'xp' THEN
        INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
        SELECT b.id, t.id, row_number() OVER (ORDER BY t.xp_total DESC, t.id), t.xp_total, '{"metric":"xp"}'::jsonb, v_now
        FROM (SELECT p.id, p.xp_total FROM public.profiles p
              ORDER BY p.xp_total DESC, p.id LIMIT 500) AS t;

    ELSIF b.metric = 'consistency_days' AND b.scope = 'gym' THEN
        INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
        SELECT b.id, t.id, row_number() OVER (ORDER BY t.chain_days DESC, t.id), t.chain_days,
               '{"metric":"consistency_days"}'::jsonb, v_now
        FROM (SELECT p.id, p.chain_days FROM public.profiles p
              WHERE p.home_gym_id = b.scope_gym_id
              ORDER BY p.chain_days DESC, p.id LIMIT 500) AS t;
    ELSIF b.metric = 'consistency_days' AND b.scope = 'global' THEN
        INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
        SELECT b.id, t.id, row_number() OVER (ORDER BY t.chain_days DESC, t.id), t.chain_days,
               '{"metric":"consistency_days"}'::jsonb, v_now
        FROM (SELECT p.id, p.chain_days FROM public.profiles p
              ORDER BY p.chain_days DESC, p.id LIMIT 500) AS t;

    ELSIF b.metric = 'volume_kg' THEN
        v_window := jsonb_build_object('metric', 'volume_kg', 'starts_at', kruxt_internal.iso_utc(b.starts_at),
                                       'ends_at', kruxt_internal.iso_utc(b.ends_at));
        IF b.scope = 'gym' THEN
            INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
            SELECT b.id, t.user_id, row_number() OVER (ORDER BY t.score DESC, t.user_id), t.score,
                   v_window || jsonb_build_object('workout_count', t.n), v_now
            FROM (SELECT w.user_id, sum(w.total_volume_kg) AS score, count(*) AS n
                  FROM public.workouts w
                  WHERE w.gym_id = b.scope_gym_id AND w.started_at >= b.starts_at AND w.started_at < b.ends_at
                    AND w.total_sets BETWEEN 1 AND 400 AND w.total_volume_kg BETWEEN 0 AND 50000
                    AND (w.source <> 'manual' OR w.total_volume_kg <= 12000)
                  GROUP BY w.user_id
                  HAVING sum(w.total_volume_kg) > 0
                  ORDER BY score DESC, w.user_id LIMIT 500) AS t;
        ELSIF b.scope = 'exercise' THEN
            INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
            SELECT b.id, t.user_id, row_number() OVER (ORDER BY t.score DESC, t.user_id), t.score,
                   v_window || jsonb_build_object('workout_count', t.n), v_now
            FROM (SELECT w.user_id, sum(w.total_volume_kg) AS score, count(*) AS n
                  FROM public.workouts w
                  WHERE w.started_at >= b.starts_at AND w.started_at < b.ends_at
                    AND w.total_sets BETWEEN 1 AND 400 AND w.total_volume_kg BETWEEN 0 AND 50000
                    AND (w.source <> 'manual' OR w.total_volume_kg <= 12000)
                    AND (b.scope_gym_id IS NULL OR w.gym_id = b.scope_gym_id)
                    AND EXISTS (SELECT 1 FROM public.workout_exercises we
                                WHERE we.workout_id = w.id AND we.exercise_id = b.scope_exercise_id)
                  GROUP BY w.user_id
                  HAVING sum(w.total_volume_kg) > 0
                  ORDER BY score DESC, w.user_id LIMIT 500) AS t;
        ELSE
            INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
            SELECT b.id, t.user_id, row_number() OVER (ORDER BY t.score DESC, t.user_id), t.score,
                   v_window || jsonb_build_object('workout_count', t.n), v_now
            FROM (SELECT w.user_id, sum(w.total_volume_kg) AS score, count(*) AS n
                  FROM public.workouts w
                  WHERE w.started_at >= b.starts_at AND w.started_at < b.ends_at
                    AND w.total_sets BETWEEN 1 AND 400 AND w.total_volume_kg BETWEEN 0 AND 50000
                    AND (w.source <> 'manual' OR w.total_volume_kg <= 12000)
                  GROUP BY w.user_id
                  HAVING sum(w.total_volume_kg) > 0
                  ORDER BY score DESC, w.user_id LIMIT 500) AS t;
        END IF;

    ELSIF b.metric = 'estimated_1rm' AND b.scope = 'exercise' THEN
        -- the exercise's sets, found through workout_exercises(exercise_id)
        INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
        SELECT b.id, t.user_id, row_number() OVER (ORDER BY t.score DESC, t.user_id), t.score,
               '{"metric":"estimated_1rm"}'::jsonb, v_now
        FROM (SELECT w.user_id, max(s.estimated_1rm) AS score
              FROM public.workout_exercises we
              JOIN public.workouts w ON w.id = we.workout_id
              JOIN public.workout_sets s ON s.workout_exercise_id = we.id
              WHERE we.exercise_id = b.scope_exercise_id
                AND w.started_at >= b.starts_at AND w.started_at < b.ends_at
                AND (b.scope_gym_id IS NULL OR w.gym_id = b.scope_gym_id)
                AND s.weight_kg BETWEEN 1 AND 500 AND s.reps BETWEEN 1 AND 20
                AND (w.source <> 'manual' OR s.weight_kg <= 350)
              GROUP BY w.user_id
              ORDER BY score DESC, w.user_id LIMIT 500) AS t;
    ELSIF b.metric = 'estimated_1rm' THEN
        INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
        SELECT b.id, t.user_id, row_number() OVER (ORDER BY t.score DESC, t.user_id), t.score,
               '{"metric":"estimated_1rm"}'::jsonb, v_now
        FROM (SELECT w.user_id, max(s.estimated_1rm) AS score
              FROM public.workouts w
              JOIN public.workout_sets s ON s.workout_id = w.id
              WHERE w.started_at >= b.starts_at AND w.started_at < b.ends_at
                AND (b.scope <> 'gym' OR w.gym_id = b.scope_gym_id)
                AND s.weight_kg BETWEEN 1 AND 500 AND s.reps BETWEEN 1 AND 20
                AND (w.source <> 'manual' OR s.weight_kg <= 350)
              GROUP BY w.user_id
              ORDER BY score DESC, w.user_id LIMIT 500) AS t;

    ELSIF b.metric = 'challenge_score' AND b.scope = 'challenge' THEN
        INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
        SELECT b.id, t.user_id,
               row_number() OVER (ORDER BY t.score DESC, t.completed DESC, t.updated_at, t.user_id), t.score,
               jsonb_build_object('metric', 'challenge_score', 'challenge_id', b.scope_challenge_id, 'completed', t.completed),
               v_now
        FROM (SELECT p.user_id, p.score, p.completed, p.updated_at
              FROM public.challenge_participants p
              WHERE p.challenge_id = b.scope_challenge_id AND p.score BETWEEN 0 AND 1000000
              ORDER BY p.score DESC, p.completed DESC, p.updated_at, p.user_id LIMIT 500) AS t;
    ELSIF b.metric = 'challenge_score' AND b.scope IN ('gym', 'global') THEN
        -- departure from reference: one row per user (score = min(sum, 1 000 000), completed = any, updated_at = max)
        INSERT INTO public.leaderboard_entries (leaderboard_id, user_id, rank, score, details, calculated_at)
        SELECT b.id, t.user_id,
               row_number() OVER (ORDER BY t.score DESC, t.completed DESC, t.updated_at, t.user_id), t.score,
               jsonb_build_object('metric', 'challenge_score', 'challenge_count', t.n, 'completed', t.completed),
               v_now
        FROM (SELECT p.user_id, least(sum(p.score), 1000000) AS score, bool_or(p.completed) AS completed,
                     max(p.updated_at) AS updated_at, count(*) AS n
              FROM public.challenge_participants p
              JOIN public.challenges c ON c.id = p.challenge_id
              WHERE p.score BETWEEN 0 AND 1000000
                AND (b.scope = 'global' OR c.gym_id = b.scope_gym_id)
              GROUP BY p.user_id
              ORDER BY score DESC, completed DESC, updated_at, p.user_id LIMIT 500) AS t;
    END IF;
    GET DIAGNOSTICS v_rows = ROW_COUNT;

    INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
    VALUES ('rank.updated', 'leaderboard', b.id,
            jsonb_build_object('leaderboard_id', b.id, 'rows', v_rows, 'metric', b.metric, 'timeframe', b.timeframe));
    RETURN v_rows;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Determinism snapshot (07 §4 step 3): the board's entries ordered by rank then user id as canonical JSON
-- [{"userId":"<uuid>","rank":n,"score":"<3 decimals>","details":<canonical details>},...] (keys in that order, no
-- whitespace, details with code-point-sorted keys), and its SHA-256 hex. calculated_at is not part of it.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.leaderboard_snapshot_hash(p_leaderboard_id uuid)
RETURNS TABLE (snapshot_hash text, row_count integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT encode(sha256(convert_to(s.doc, 'UTF8')), 'hex'), s.n
    FROM (SELECT '[' || coalesce(string_agg(
                     '{"userId":' || to_json(e.user_id::text)::text
                     || ',"rank":' || e.rank
                     || ',"score":' || to_json(e.score::numeric(14,3)::text)::text
                     || ',"details":' || kruxt_internal.canonical_json(e.details) || '}',
                     ',' ORDER BY e.rank, e.user_id), '') || ']' AS doc,
                 count(*)::integer AS n
          FROM public.leaderboard_entries e
          WHERE e.leaderboard_id = p_leaderboard_id) AS s
$$;

-- ---------------------------------------------------------------------------------------------
-- rank_recompute_weekly (07 §4; items 63, 64). Service only ('Service role required', KX403).
-- Timeframe text (default weekly): anything but daily|weekly|monthly|all_time -> KX422 'Invalid timeframe.' (the
-- 400 answer). p_limit 100 [1..500]; p_determinism_probe_count 0 [0..25]; p_leaderboard_ids: the first 200 given
-- ids (null or empty: no restriction).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION kruxt_internal.parse_leaderboard_timeframe(p_text text) RETURNS public.leaderboard_timeframe
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v text := coalesce(p_text, 'weekly');
BEGIN
    IF NOT v = ANY (enum_range(NULL::public.leaderboard_timeframe)::text[]) THEN
        RAISE EXCEPTION 'Invalid timeframe.' USING ERRCODE = 'KX422';
    END IF;
    RETURN v::public.leaderboard_timeframe;
END
$$;

-- Step 1: active boards of the timeframe whose window holds app_now() (any window for all_time), restricted to the
-- given ids when any, ordered by id, at most p_limit.
CREATE FUNCTION public.rank_recompute_boards(
    p_timeframe text DEFAULT 'weekly',
    p_leaderboard_ids uuid[] DEFAULT NULL,
    p_limit integer DEFAULT 100
) RETURNS SETOF public.leaderboards
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_timeframe public.leaderboard_timeframe;
    v_now timestamptz := public.app_now();
    v_ids uuid[] := CASE WHEN cardinality(p_leaderboard_ids) > 0 THEN p_leaderboard_ids[1:200] END;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    v_timeframe := kruxt_internal.parse_leaderboard_timeframe(p_timeframe);
    RETURN QUERY
    SELECT l.*
    FROM public.leaderboards l
    WHERE l.is_active AND l.timeframe = v_timeframe
      AND (v_timeframe = 'all_time' OR (l.starts_at <= v_now AND v_now < l.ends_at))
      AND (v_ids IS NULL OR l.id = ANY (v_ids))
    ORDER BY l.id
    LIMIT least(500, greatest(1, coalesce(p_limit, 100)));
END
$$;

-- Steps 1-4 in one call. Each board's rebuild runs in its own subtransaction (a failure rolls back that board
-- only; the error is the database message). Probes: the first p_determinism_probe_count successfully rebuilt boards
-- (board order) are hashed, rebuilt again and hashed again; a mismatch -> reason non_deterministic_ordering, a failing
-- probe rebuild -> rebuild_failed_during_probe, any other error -> probe_error. determinismProbeCount counts the
-- probes that compared two hashes. failures and determinismFailures are sorted by leaderboardId.
CREATE FUNCTION public.rank_recompute_weekly(
    p_timeframe text DEFAULT 'weekly',
    p_leaderboard_ids uuid[] DEFAULT NULL,
    p_limit integer DEFAULT 100,
    p_determinism_probe_count integer DEFAULT 0
) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_timeframe public.leaderboard_timeframe;
    v_requested integer := least(25, greatest(0, coalesce(p_determinism_probe_count, 0)));
    v_board public.leaderboards;
    v_scanned integer := 0;
    v_rebuilt uuid[] := '{}';
    v_failures jsonb := '[]'::jsonb;
    v_det_failures jsonb := '[]'::jsonb;
    v_probes integer := 0;
    v_id uuid;
    h1 record;
    h2 record;
    v_rebuild_error text;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    v_timeframe := kruxt_internal.parse_leaderboard_timeframe(p_timeframe);

    -- 2. rebuild every board, continuing after failures
    FOR v_board IN SELECT * FROM public.rank_recompute_boards(p_timeframe, p_leaderboard_ids, p_limit) LOOP
        v_scanned := v_scanned + 1;
        BEGIN
            PERFORM public.rebuild_leaderboard_scope(v_board.id);
            v_rebuilt := v_rebuilt || v_board.id;
        EXCEPTION WHEN OTHERS THEN
            v_failures := v_failures || jsonb_build_array(jsonb_build_object('leaderboardId', v_board.id, 'error', SQLERRM));
        END;
    END LOOP;

    -- 3. determinism probes
    FOREACH v_id IN ARRAY v_rebuilt[1:v_requested] LOOP
        BEGIN
            SELECT * INTO h1 FROM public.leaderboard_snapshot_hash(v_id);
            v_rebuild_error := NULL;
            BEGIN
                PERFORM public.rebuild_leaderboard_scope(v_id);
            EXCEPTION WHEN OTHERS THEN
                v_rebuild_error := SQLERRM;
            END;
            IF v_rebuild_error IS NOT NULL THEN
                v_det_failures := v_det_failures || jsonb_build_array(jsonb_build_object(
                    'leaderboardId', v_id, 'reason', 'rebuild_failed_during_probe', 'error', v_rebuild_error));
            ELSE
                SELECT * INTO h2 FROM public.leaderboard_snapshot_hash(v_id);
                v_probes := v_probes + 1;
                IF h1.snapshot_hash IS DISTINCT FROM h2.snapshot_hash THEN
                    v_det_failures := v_det_failures || jsonb_build_array(jsonb_build_object(
                        'leaderboardId', v_id, 'reason', 'non_deterministic_ordering',
                        'firstHash', h1.snapshot_hash, 'secondHash', h2.snapshot_hash,
                        'firstRowCount', h1.row_count, 'secondRowCount', h2.row_count));
                END IF;
            END IF;
        EXCEPTION WHEN OTHERS THEN
            v_det_failures := v_det_failures || jsonb_build_array(jsonb_build_object(
                'leaderboardId', v_id, 'reason', 'probe_error', 'error', SQLERRM));
        END;
    END LOOP;

    -- 4. response
    RETURN jsonb_build_object(
        'timeframe', v_timeframe,
        'scannedCount', v_scanned,
        'rebuiltCount', cardinality(v_rebuilt),
        'failedCount', jsonb_array_length(v_failures),
        'determinismProbeCount', v_probes,
        'requestedDeterminismProbeCount', v_requested,
        'determinismMismatchCount', jsonb_array_length(v_det_failures),
        'leaderboardIds', to_jsonb(v_rebuilt),
        'failures', (SELECT coalesce(jsonb_agg(f.value ORDER BY (f.value ->> 'leaderboardId')::uuid), '[]'::jsonb)
                     FROM jsonb_array_elements(v_failures) AS f),
        'determinismFailures', (SELECT coalesce(jsonb_agg(f.value ORDER BY (f.value ->> 'leaderboardId')::uuid), '[]'::jsonb)
                                FROM jsonb_array_elements(v_det_failures) AS f));
END
$$;

RESET ROLE;
