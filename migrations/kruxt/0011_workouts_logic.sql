-- KRUXT 0011: area 02 behaviour (02-workouts-social.md §1.2-§1.5, §3, §4, §5): the guards on
-- system-managed fields, the parent copies on sets and feed events, refresh_workout_totals, the proof
-- feed event, calculate_level_from_xp, apply_workout_progress with its DEFERRED constraint trigger,
-- PR detection, log_workout_atomic, and the social guards.
--
-- "Running directly as authenticated" (the gap closures of 02 §1.2, §1.3) is told apart from system
-- writes the way 0003 does it for profiles: the guard functions are SECURITY INVOKER and look at
-- current_user. A statement a client sends runs as authenticated (or anon); everything the system
-- does runs inside a SECURITY DEFINER function (current_user = kruxt_owner) or as service_role.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- updated_at
-- ---------------------------------------------------------------------------------------------
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.exercises
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.workouts
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.workout_exercises
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.social_connections
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.social_interactions
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.user_reports
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.feature_flags
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Gap closure guard_workout_system_fields (02 §1.2)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.guard_workout_system_fields() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF current_user::text NOT IN ('authenticated', 'anon') OR public.is_service_role() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.total_sets := 0;
        NEW.total_volume_kg := 0;
        NEW.is_pr := false;
        NEW.progress_applied_at := NULL;
        NEW.xp_awarded := NULL;
    ELSIF (NEW.total_sets, NEW.total_volume_kg, NEW.is_pr, NEW.progress_applied_at, NEW.xp_awarded)
          IS DISTINCT FROM (OLD.total_sets, OLD.total_volume_kg, OLD.is_pr, OLD.progress_applied_at, OLD.xp_awarded) THEN
        RAISE EXCEPTION 'Workout totals are system-managed' USING ERRCODE = 'KX403';
    END IF;
    RETURN NEW;
END
$$;
-- WHEN: system writes (kruxt_owner inside SECURITY DEFINER code, service_role) skip the call entirely.
CREATE TRIGGER guard_workout_system_fields BEFORE INSERT OR UPDATE ON public.workouts
    FOR EACH ROW WHEN (current_user::text IN ('authenticated', 'anon'))
    EXECUTE FUNCTION public.guard_workout_system_fields();

-- Gap closure guard_workout_set_pr (02 §1.3): PR status is only ever set by PR detection (§5).
CREATE FUNCTION public.guard_workout_set_pr() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF current_user::text NOT IN ('authenticated', 'anon') OR public.is_service_role() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.is_pr := false;
    ELSIF NEW.is_pr IS DISTINCT FROM OLD.is_pr THEN
        RAISE EXCEPTION 'Workout totals are system-managed' USING ERRCODE = 'KX403';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_workout_set_pr BEFORE INSERT OR UPDATE ON public.workout_sets
    FOR EACH ROW WHEN (current_user::text IN ('authenticated', 'anon'))
    EXECUTE FUNCTION public.guard_workout_set_pr();

-- ---------------------------------------------------------------------------------------------
-- System-filled columns (every role): workout_sets.estimated_1rm from reps and weight, and
-- workout_sets.(workout_id, user_id, exercise_id) from workout_exercises/workouts;
-- feed_events.(workout_visibility, workout_gym_id) from workouts, and feed_events.user_id must be
-- the workout owner.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.fill_workout_set_system_fields() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    NEW.estimated_1rm := CASE WHEN NEW.reps > 0 AND NEW.weight_kg > 0
                              THEN (NEW.weight_kg * (1 + NEW.reps::numeric / 30))::numeric(14,3) END;
    IF TG_OP = 'UPDATE'
       AND NEW.workout_exercise_id = OLD.workout_exercise_id
       AND (NEW.workout_id, NEW.user_id, NEW.exercise_id) IS NOT DISTINCT FROM (OLD.workout_id, OLD.user_id, OLD.exercise_id) THEN
        RETURN NEW;
    END IF;
    SELECT we.workout_id, w.user_id, we.exercise_id
    INTO NEW.workout_id, NEW.user_id, NEW.exercise_id
    FROM public.workout_exercises we
    JOIN public.workouts w ON w.id = we.workout_id
    WHERE we.id = NEW.workout_exercise_id;
    -- no parent: the copies stay null and the foreign key (or, for clients, RLS) rejects the row
    RETURN NEW;
END
$$;
CREATE TRIGGER fill_workout_set_system_fields BEFORE INSERT OR UPDATE ON public.workout_sets
    FOR EACH ROW EXECUTE FUNCTION public.fill_workout_set_system_fields();

CREATE FUNCTION public.fill_feed_event_workout() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_owner uuid;
BEGIN
    SELECT w.user_id, w.visibility, w.gym_id
    INTO v_owner, NEW.workout_visibility, NEW.workout_gym_id
    FROM public.workouts w
    WHERE w.id = NEW.workout_id;
    IF FOUND THEN
        NEW.user_id := coalesce(NEW.user_id, v_owner);
        IF NEW.user_id <> v_owner THEN
            RAISE EXCEPTION 'Feed event user_id must be the workout owner' USING ERRCODE = 'KX422';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER fill_feed_event_workout BEFORE INSERT OR UPDATE ON public.feed_events
    FOR EACH ROW EXECUTE FUNCTION public.fill_feed_event_workout();

-- Keep the copies in step when a workout's owner, visibility or gym changes, or an exercise row moves.
CREATE FUNCTION public.sync_workout_copies() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF (NEW.visibility, NEW.gym_id, NEW.user_id) IS DISTINCT FROM (OLD.visibility, OLD.gym_id, OLD.user_id) THEN
        UPDATE public.feed_events f
        SET workout_visibility = NEW.visibility, workout_gym_id = NEW.gym_id, user_id = NEW.user_id
        WHERE f.workout_id = NEW.id;
    END IF;
    IF NEW.user_id IS DISTINCT FROM OLD.user_id THEN
        UPDATE public.workout_sets s SET user_id = NEW.user_id WHERE s.workout_id = NEW.id;   -- re-read by the BEFORE trigger
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER sync_workout_copies AFTER UPDATE OF visibility, gym_id, user_id ON public.workouts
    FOR EACH ROW EXECUTE FUNCTION public.sync_workout_copies();

CREATE FUNCTION public.sync_workout_exercise_copies() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF (NEW.workout_id, NEW.exercise_id) IS DISTINCT FROM (OLD.workout_id, OLD.exercise_id) THEN
        -- writing the copies makes the BEFORE trigger on workout_sets re-read the parents
        UPDATE public.workout_sets s SET workout_id = NEW.workout_id, exercise_id = NEW.exercise_id
        WHERE s.workout_exercise_id = NEW.id;
        IF NEW.workout_id <> OLD.workout_id THEN
            PERFORM public.refresh_workout_totals(OLD.workout_id);
            PERFORM public.refresh_workout_totals(NEW.workout_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- refresh_workout_totals (02 §1.3)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.refresh_workout_totals(_workout_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    UPDATE public.workouts w
    SET total_sets = t.n, total_volume_kg = t.volume
    FROM (SELECT count(*)::integer AS n,
                 round(coalesce(sum(coalesce(s.weight_kg, 0) * coalesce(s.reps, 0)), 0), 2) AS volume
          FROM public.workout_sets s
          WHERE s.workout_id = _workout_id) AS t
    WHERE w.id = _workout_id
      AND (w.total_sets, w.total_volume_kg) IS DISTINCT FROM (t.n, t.volume);
END
$$;

CREATE TRIGGER sync_workout_exercise_copies AFTER UPDATE OF workout_id, exercise_id ON public.workout_exercises
    FOR EACH ROW EXECUTE FUNCTION public.sync_workout_exercise_copies();

-- Statement-level (transition tables): one refresh per touched workout per statement. Same effect as
-- the spec's per-row "AFTER INSERT OR UPDATE and AFTER DELETE -> refresh_workout_totals(workout_id)".
-- Inside log_workout_atomic (which refreshes once at its end) the per-statement refresh is skipped:
-- the RPC sets kruxt.log_workout_in_progress for its own statements, and only statements running as
-- kruxt_owner (i.e. inside SECURITY DEFINER code) honour it -- a client setting it changes nothing.
-- SECURITY INVOKER on purpose (current_user is the statement's user); refresh_workout_totals is DEFINER.
CREATE FUNCTION public.refresh_workout_totals_after_sets() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_workout_id uuid;
BEGIN
    IF current_user::text = 'kruxt_owner' AND current_setting('kruxt.log_workout_in_progress', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        FOR v_workout_id IN SELECT DISTINCT n.workout_id FROM new_sets n WHERE n.workout_id IS NOT NULL LOOP
            PERFORM public.refresh_workout_totals(v_workout_id);
        END LOOP;
    ELSIF TG_OP = 'UPDATE' THEN
        FOR v_workout_id IN SELECT n.workout_id FROM new_sets n WHERE n.workout_id IS NOT NULL
                            UNION SELECT o.workout_id FROM old_sets o WHERE o.workout_id IS NOT NULL LOOP
            PERFORM public.refresh_workout_totals(v_workout_id);
        END LOOP;
    ELSE
        FOR v_workout_id IN SELECT DISTINCT o.workout_id FROM old_sets o WHERE o.workout_id IS NOT NULL LOOP
            PERFORM public.refresh_workout_totals(v_workout_id);
        END LOOP;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER refresh_workout_totals_insert AFTER INSERT ON public.workout_sets
    REFERENCING NEW TABLE AS new_sets
    FOR EACH STATEMENT EXECUTE FUNCTION public.refresh_workout_totals_after_sets();
CREATE TRIGGER refresh_workout_totals_update AFTER UPDATE ON public.workout_sets
    REFERENCING OLD TABLE AS old_sets NEW TABLE AS new_sets
    FOR EACH STATEMENT EXECUTE FUNCTION public.refresh_workout_totals_after_sets();
CREATE TRIGGER refresh_workout_totals_delete AFTER DELETE ON public.workout_sets
    REFERENCING OLD TABLE AS old_sets
    FOR EACH STATEMENT EXECUTE FUNCTION public.refresh_workout_totals_after_sets();

-- ---------------------------------------------------------------------------------------------
-- Proof feed event (02 §4): every workout posts a workout_logged card.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.create_workout_feed_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO public.feed_events (user_id, workout_id, event_type, caption, metadata)
    VALUES (NEW.user_id, NEW.id, 'workout_logged', 'Post the proof.',
            jsonb_build_object('visibility', NEW.visibility, 'workout_type', NEW.workout_type));
    RETURN NULL;
END
$$;
CREATE TRIGGER create_workout_feed_event AFTER INSERT ON public.workouts
    FOR EACH ROW EXECUTE FUNCTION public.create_workout_feed_event();

-- ---------------------------------------------------------------------------------------------
-- Progression (02 §4)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.calculate_level_from_xp(p_xp integer) RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$
    SELECT least(50, greatest(1, floor(sqrt(greatest(coalesce(p_xp, 0), 0)::numeric / 100))::integer + 1))
$$;

-- Departure from reference: XP = 10 + the sets actually logged, applied once per workout.
CREATE FUNCTION public.apply_workout_progress(p_workout_id uuid) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    w public.workouts;
    p public.profiles;
    v_gain integer;
    v_xp integer;
    v_chain integer;
    v_started date;
    v_previous date;
BEGIN
    SELECT * INTO w FROM public.workouts WHERE id = p_workout_id FOR UPDATE;
    IF NOT FOUND OR w.progress_applied_at IS NOT NULL THEN
        RETURN 0;
    END IF;
    SELECT * INTO p FROM public.profiles WHERE id = w.user_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    v_gain := 10 + w.total_sets;
    v_xp := p.xp_total + v_gain;

    -- chain, calendar dates in UTC
    v_started := (w.started_at AT TIME ZONE 'UTC')::date;
    v_previous := (p.last_workout_at AT TIME ZONE 'UTC')::date;
    v_chain := CASE
        WHEN v_previous IS NULL THEN 1
        WHEN v_previous = v_started THEN p.chain_days
        WHEN v_previous = v_started - 1 THEN p.chain_days + 1
        ELSE 1
    END;

    UPDATE public.profiles
    SET xp_total = v_xp,
        level = public.calculate_level_from_xp(v_xp),
        chain_days = v_chain,
        last_workout_at = CASE WHEN p.last_workout_at IS NULL OR w.started_at > p.last_workout_at
                               THEN w.started_at ELSE p.last_workout_at END
    WHERE id = p.id;

    UPDATE public.workouts
    SET progress_applied_at = public.app_now(), xp_awarded = v_gain
    WHERE id = w.id;

    INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
    VALUES ('workout.logged', 'workout', w.id,
            jsonb_build_object('user_id', w.user_id, 'workout_id', w.id, 'xp_gain', v_gain));
    RETURN v_gain;
END
$$;
REVOKE ALL ON FUNCTION public.apply_workout_progress(uuid) FROM PUBLIC, anon, authenticated;
GRANT EXECUTE ON FUNCTION public.apply_workout_progress(uuid) TO service_role;

-- At commit, so that a workout inserted directly (not through the RPC) earns XP for its final set
-- count; a no-op for RPC workouts (progress already applied).
CREATE FUNCTION public.apply_workout_progress_at_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM public.apply_workout_progress(NEW.id);
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER apply_workout_progress_deferred AFTER INSERT ON public.workouts
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public.apply_workout_progress_at_commit();

-- ---------------------------------------------------------------------------------------------
-- PR detection (02 §5; item 8)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.apply_workout_pr_trigger() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_previous_best numeric(14,3);
    v_set_is_pr boolean := NEW.is_pr;
    v_workout_is_pr boolean;
    v_pr_set_id uuid := NEW.id;
    v_pr_e1rm numeric(14,3) := NEW.estimated_1rm;
BEGIN
    IF pg_trigger_depth() > 1 OR NEW.workout_id IS NULL THEN
        RETURN NULL;
    END IF;

    -- 1. this set against the best other set of the same user and exercise (one index probe)
    IF NEW.reps > 0 AND NEW.weight_kg > 0 THEN
        -- (ORDER BY ... LIMIT 1 in the index's own order; max() would read every set of the exercise)
        SELECT s.estimated_1rm INTO v_previous_best
        FROM public.workout_sets s
        WHERE s.user_id = NEW.user_id
          AND s.exercise_id = NEW.exercise_id
          AND s.estimated_1rm IS NOT NULL
          AND s.id <> NEW.id
        ORDER BY s.estimated_1rm DESC
        LIMIT 1;
        IF v_previous_best IS NULL OR NEW.estimated_1rm > v_previous_best THEN
            IF NOT NEW.is_pr THEN
                UPDATE public.workout_sets SET is_pr = true WHERE id = NEW.id;
            END IF;
            v_set_is_pr := true;
        END IF;
    END IF;

    -- 2. the workout is a PR when any of its sets is (a new non-PR set changes nothing)
    IF v_set_is_pr THEN
        v_workout_is_pr := true;
    ELSIF TG_OP = 'INSERT' AND (SELECT w.is_pr FROM public.workouts w WHERE w.id = NEW.workout_id) THEN
        v_workout_is_pr := true;
        v_pr_set_id := NULL;   -- looked up below only if the outbox row is still missing
    ELSIF TG_OP = 'INSERT' THEN
        v_workout_is_pr := false;
    ELSE
        SELECT s.id, s.estimated_1rm INTO v_pr_set_id, v_pr_e1rm
        FROM public.workout_sets s
        WHERE s.workout_id = NEW.workout_id AND s.is_pr
        ORDER BY s.estimated_1rm DESC NULLS LAST, s.id
        LIMIT 1;
        v_workout_is_pr := FOUND;
    END IF;
    UPDATE public.workouts SET is_pr = v_workout_is_pr
    WHERE id = NEW.workout_id AND is_pr IS DISTINCT FROM v_workout_is_pr;

    -- 3. one pr_verified card and one pr.verified event per workout
    IF v_workout_is_pr THEN
        IF NOT EXISTS (SELECT 1 FROM public.feed_events f
                       WHERE f.workout_id = NEW.workout_id AND f.event_type = 'pr_verified') THEN
            INSERT INTO public.feed_events (user_id, workout_id, event_type, caption, metadata)
            VALUES (NEW.user_id, NEW.workout_id, 'pr_verified', 'PR forged. Post the proof.',
                    '{"source":"system_pr_detection"}'::jsonb);
        END IF;
        IF NOT EXISTS (SELECT 1 FROM public.event_outbox o
                       WHERE o.aggregate_id = NEW.workout_id AND o.event_type = 'pr.verified') THEN
            IF v_pr_set_id IS NULL THEN
                SELECT s.id, s.estimated_1rm INTO v_pr_set_id, v_pr_e1rm
                FROM public.workout_sets s
                WHERE s.workout_id = NEW.workout_id AND s.is_pr
                ORDER BY s.estimated_1rm DESC NULLS LAST, s.id
                LIMIT 1;
            END IF;
            INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
            VALUES ('pr.verified', 'workout', NEW.workout_id,
                    jsonb_build_object('user_id', NEW.user_id, 'workout_id', NEW.workout_id,
                                       'workout_set_id', v_pr_set_id, 'estimated_1rm', v_pr_e1rm));
        END IF;
    END IF;
    RETURN NULL;
END
$$;
-- WHEN: the trigger's own is_pr update (made at trigger depth 1) is not even queued.
CREATE TRIGGER apply_workout_pr_trigger AFTER INSERT OR UPDATE OF reps, weight_kg, is_pr ON public.workout_sets
    FOR EACH ROW WHEN (pg_trigger_depth() < 1)
    EXECUTE FUNCTION public.apply_workout_pr_trigger();

-- ---------------------------------------------------------------------------------------------
-- log_workout_atomic (02 §3; item 4). One statement, so any error undoes everything it did.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.log_workout_atomic(p_workout jsonb, p_exercises jsonb) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_w jsonb := coalesce(p_workout, '{}'::jsonb);
    v_exercises jsonb := coalesce(p_exercises, '[]'::jsonb);
    v_workout_id uuid;
    v_exercise jsonb;
    v_exercise_no bigint;
    v_workout_exercise_id uuid;
    v_sets jsonb;
    v_set jsonb;
    v_set_no bigint;
BEGIN
    IF v_uid IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF jsonb_typeof(v_w) <> 'object' THEN
        RAISE EXCEPTION 'p_workout must be a JSON object' USING ERRCODE = 'KX422';
    END IF;
    IF jsonb_typeof(v_exercises) <> 'array' THEN
        RAISE EXCEPTION 'p_exercises must be a JSON array' USING ERRCODE = 'KX422';
    END IF;

    PERFORM set_config('kruxt.log_workout_in_progress', 'on', true);
    INSERT INTO public.workouts (user_id, gym_id, title, workout_type, notes, started_at, ended_at, rpe,
                                 visibility, source, external_activity_id)
    VALUES (v_uid,
            nullif(v_w ->> 'gym_id', '')::uuid,
            coalesce(nullif(v_w ->> 'title', ''), 'Workout Session'),
            coalesce(nullif(v_w ->> 'workout_type', ''), 'strength')::public.workout_type,
            nullif(v_w ->> 'notes', ''),
            coalesce(nullif(v_w ->> 'started_at', '')::timestamptz, public.app_now()),
            nullif(v_w ->> 'ended_at', '')::timestamptz,
            nullif(v_w ->> 'rpe', '')::numeric,
            coalesce(nullif(v_w ->> 'visibility', ''), 'public')::public.workout_visibility,
            coalesce(nullif(v_w ->> 'source', ''), 'manual')::public.integration_provider,
            nullif(v_w ->> 'external_activity_id', ''))
    RETURNING id INTO v_workout_id;

    FOR v_exercise, v_exercise_no IN SELECT e.value, e.ordinality FROM jsonb_array_elements(v_exercises) WITH ORDINALITY AS e LOOP
        IF jsonb_typeof(v_exercise) <> 'object' THEN
            RAISE EXCEPTION 'Each exercise must be a JSON object' USING ERRCODE = 'KX422';
        END IF;
        INSERT INTO public.workout_exercises (workout_id, exercise_id, order_index, block_id, block_type,
                                              target_reps, target_weight_kg, notes)
        VALUES (v_workout_id,
                nullif(v_exercise ->> 'exercise_id', '')::uuid,
                coalesce(nullif(v_exercise ->> 'order_index', '')::integer, v_exercise_no::integer),
                nullif(v_exercise ->> 'block_id', '')::uuid,
                coalesce(nullif(v_exercise ->> 'block_type', ''), 'straight_set')::public.workout_block_type,
                nullif(v_exercise ->> 'target_reps', ''),
                nullif(v_exercise ->> 'target_weight_kg', '')::numeric,
                nullif(v_exercise ->> 'notes', ''))
        RETURNING id INTO v_workout_exercise_id;

        v_sets := coalesce(v_exercise -> 'sets', '[]'::jsonb);
        IF jsonb_typeof(v_sets) = 'null' THEN
            v_sets := '[]'::jsonb;
        ELSIF jsonb_typeof(v_sets) <> 'array' THEN
            RAISE EXCEPTION 'sets must be a JSON array' USING ERRCODE = 'KX422';
        END IF;
        -- one INSERT per set, in order: PR detection compares each set with the ones before it
        FOR v_set, v_set_no IN SELECT s.value, s.ordinality FROM jsonb_array_elements(v_sets) WITH ORDINALITY AS s LOOP
            IF jsonb_typeof(v_set) <> 'object' THEN
                RAISE EXCEPTION 'Each set must be a JSON object' USING ERRCODE = 'KX422';
            END IF;
            -- Gap closure: a client-supplied is_pr is ignored (not even read)
            INSERT INTO public.workout_sets (workout_exercise_id, set_index, reps, weight_kg, duration_seconds,
                                             distance_m, rpe)
            VALUES (v_workout_exercise_id,
                    coalesce(nullif(v_set ->> 'set_index', '')::integer, v_set_no::integer),
                    nullif(v_set ->> 'reps', '')::integer,
                    nullif(v_set ->> 'weight_kg', '')::numeric,
                    nullif(v_set ->> 'duration_seconds', '')::integer,
                    nullif(v_set ->> 'distance_m', '')::numeric,
                    nullif(v_set ->> 'rpe', '')::numeric);
        END LOOP;
    END LOOP;

    PERFORM set_config('kruxt.log_workout_in_progress', 'off', true);
    PERFORM public.refresh_workout_totals(v_workout_id);
    PERFORM public.apply_workout_progress(v_workout_id);
    RETURN v_workout_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Social guards (gap closures, see README): a follow request starts pending and only the followed
-- user accepts it; no request across a block; the pair never changes. Replies stay on their workout.
-- Reports filed by users start open and unreviewed.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.guard_social_connection_write() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF current_user::text NOT IN ('authenticated', 'anon') OR public.is_service_role() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'pending' THEN
            RAISE EXCEPTION 'Follow requests start as pending' USING ERRCODE = 'KX403';
        END IF;
        IF public.has_block_between(NEW.follower_user_id, NEW.followed_user_id) THEN
            RAISE EXCEPTION 'A block exists between these users' USING ERRCODE = 'KX403';
        END IF;
    ELSE
        IF (NEW.follower_user_id, NEW.followed_user_id) IS DISTINCT FROM (OLD.follower_user_id, OLD.followed_user_id) THEN
            RAISE EXCEPTION 'Follow pair cannot be changed' USING ERRCODE = 'KX403';
        END IF;
        IF NEW.status = 'accepted' AND OLD.status <> 'accepted' AND auth.uid() IS DISTINCT FROM NEW.followed_user_id THEN
            RAISE EXCEPTION 'Only the followed user can accept a follow request' USING ERRCODE = 'KX403';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_social_connection_write BEFORE INSERT OR UPDATE ON public.social_connections
    FOR EACH ROW EXECUTE FUNCTION public.guard_social_connection_write();

CREATE FUNCTION public.guard_social_interaction_parent() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.parent_interaction_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM public.social_interactions p
        WHERE p.id = NEW.parent_interaction_id AND p.workout_id = NEW.workout_id) THEN
        RAISE EXCEPTION 'parent_interaction_id must belong to the same workout' USING ERRCODE = 'KX422';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_social_interaction_parent BEFORE INSERT OR UPDATE OF parent_interaction_id, workout_id
    ON public.social_interactions
    FOR EACH ROW EXECUTE FUNCTION public.guard_social_interaction_parent();

CREATE FUNCTION public.guard_user_report_insert() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF current_user::text IN ('authenticated', 'anon') AND NOT public.is_service_role() THEN
        NEW.status := 'open';
        NEW.reviewed_by := NULL;
        NEW.reviewed_at := NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_user_report_insert BEFORE INSERT ON public.user_reports
    FOR EACH ROW EXECUTE FUNCTION public.guard_user_report_insert();

RESET ROLE;
