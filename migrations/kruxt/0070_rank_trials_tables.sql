-- KRUXT 0070: area 07 tables (07-rank-trials.md §1; items 59-62): challenges, challenge_participants,
-- leaderboards, leaderboard_entries, their enums, access rules, the score guard (gap closure) and the indexes the
-- leaderboard rebuild reads. The RPCs, rebuild_leaderboard_scope and the weekly recompute follow in 0071.
SET ROLE kruxt_owner;

CREATE TYPE public.challenge_type AS ENUM ('volume', 'consistency', 'max_effort', 'time_based');
CREATE TYPE public.challenge_visibility AS ENUM ('public', 'gym', 'invite_only');
CREATE TYPE public.leaderboard_scope AS ENUM ('global', 'gym', 'exercise', 'challenge');
CREATE TYPE public.leaderboard_metric AS ENUM ('xp', 'volume_kg', 'estimated_1rm', 'consistency_days', 'challenge_score');
CREATE TYPE public.leaderboard_timeframe AS ENUM ('daily', 'weekly', 'monthly', 'all_time');

-- ---------------------------------------------------------------------------------------------
-- challenges, challenge_participants (07 §1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.challenges (
    id              uuid                        PRIMARY KEY DEFAULT gen_random_uuid(),
    creator_user_id uuid                        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    gym_id          uuid                        REFERENCES public.gyms (id) ON DELETE CASCADE,
    title           text                        NOT NULL,
    description     text,
    challenge_type  public.challenge_type       NOT NULL,
    visibility      public.challenge_visibility NOT NULL DEFAULT 'public',
    starts_at       timestamptz                 NOT NULL,
    ends_at         timestamptz                 NOT NULL,
    points_per_unit integer                     NOT NULL DEFAULT 1,
    created_at      timestamptz                 NOT NULL DEFAULT public.app_now(),
    updated_at      timestamptz                 NOT NULL DEFAULT public.app_now(),
    CONSTRAINT challenges_ends_after_starts CHECK (ends_at > starts_at),
    CONSTRAINT challenges_points_per_unit_positive CHECK (points_per_unit > 0)
);
CREATE INDEX challenges_gym_idx ON public.challenges (gym_id);
CREATE INDEX challenges_creator_idx ON public.challenges (creator_user_id);
CREATE INDEX challenges_window_idx ON public.challenges (starts_at, ends_at);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.challenges
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.challenge_participants (
    id           uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    challenge_id uuid          NOT NULL REFERENCES public.challenges (id) ON DELETE CASCADE,
    user_id      uuid          NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    score        numeric(12,2) NOT NULL DEFAULT 0,
    completed    boolean       NOT NULL DEFAULT false,
    joined_at    timestamptz   NOT NULL DEFAULT public.app_now(),
    updated_at   timestamptz   NOT NULL DEFAULT public.app_now(),
    UNIQUE (challenge_id, user_id)
);
CREATE INDEX challenge_participants_user_idx ON public.challenge_participants (user_id);
CREATE INDEX challenge_participants_challenge_score_idx ON public.challenge_participants (challenge_id, score DESC, user_id);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.challenge_participants
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Visible = public, or the viewer created it, or gym visibility with a gym the viewer can see (07 §2.1).
-- invite_only challenges are therefore visible (and joinable) only to their creator in the beta.
CREATE FUNCTION public.can_view_challenge(_challenge_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.challenges c
        WHERE c.id = _challenge_id
          AND (c.visibility = 'public'
               OR (_viewer IS NOT NULL AND c.creator_user_id = _viewer)
               OR (c.visibility = 'gym' AND c.gym_id IS NOT NULL AND public.can_view_gym(c.gym_id, _viewer))))
$$;

-- Added helper: "creator of the participant row's challenge" (UPDATE policy of challenge_participants).
CREATE FUNCTION public.is_challenge_creator(_challenge_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.challenges c WHERE c.id = _challenge_id AND c.creator_user_id = _viewer)
$$;

-- Gap closure guard_challenge_participant_score (07 §1): running directly as a request role, an INSERT starts at
-- score 0 and not completed, and an UPDATE changing score or completed raises. Also closed here (not in the
-- spec): moving a row to another challenge or user (which would carry a score across challenges), and a direct
-- insert into an ended challenge (join_challenge refuses it; the direct path must not be wider).
CREATE FUNCTION public.guard_challenge_participant_score() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF current_user::text NOT IN ('authenticated', 'anon') OR public.is_service_role() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        -- read under the caller's RLS: an invisible challenge is left to the INSERT policy (42501)
        IF EXISTS (SELECT 1 FROM public.challenges c WHERE c.id = NEW.challenge_id AND c.ends_at <= public.app_now()) THEN
            RAISE EXCEPTION 'Challenge has already ended' USING ERRCODE = 'KX409';
        END IF;
        NEW.score := 0;
        NEW.completed := false;
        NEW.joined_at := public.app_now();
    ELSIF (NEW.score, NEW.completed) IS DISTINCT FROM (OLD.score, OLD.completed) THEN
        RAISE EXCEPTION 'Challenge scores are system-managed' USING ERRCODE = 'KX403';
    ELSIF (NEW.challenge_id, NEW.user_id) IS DISTINCT FROM (OLD.challenge_id, OLD.user_id) THEN
        RAISE EXCEPTION 'Challenge participant challenge and user cannot be changed' USING ERRCODE = 'KX403';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_challenge_participant_score BEFORE INSERT OR UPDATE ON public.challenge_participants
    FOR EACH ROW WHEN (current_user::text IN ('authenticated', 'anon'))
    EXECUTE FUNCTION public.guard_challenge_participant_score();

ALTER TABLE public.challenges ENABLE ROW LEVEL SECURITY;
CREATE POLICY challenges_select ON public.challenges FOR SELECT TO authenticated
    USING (visibility = 'public' OR creator_user_id = auth.uid()
           OR (visibility = 'gym' AND gym_id IS NOT NULL AND public.can_view_gym(gym_id))
           OR public.is_service_role());
CREATE POLICY challenges_insert ON public.challenges FOR INSERT TO authenticated
    WITH CHECK ((creator_user_id = auth.uid() AND (gym_id IS NULL OR public.is_gym_staff(gym_id))) OR public.is_service_role());
-- UPDATE: creator or staff of the gym (07 §1); the new row must pass the INSERT rule or still be in a gym the
-- writer is staff of (a creator cannot move a challenge into a gym they are not staff of).
CREATE POLICY challenges_update ON public.challenges FOR UPDATE TO authenticated
    USING (creator_user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_service_role())
    WITH CHECK ((creator_user_id = auth.uid() AND (gym_id IS NULL OR public.is_gym_staff(gym_id)))
                OR public.is_gym_staff(gym_id) OR public.is_service_role());
CREATE POLICY challenges_delete ON public.challenges FOR DELETE TO authenticated
    USING (creator_user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_service_role());

-- Insert "self" (07 §1), and -- interpretation -- only into a challenge the user can see, so a direct insert
-- cannot reach what join_challenge refuses as invisible.
ALTER TABLE public.challenge_participants ENABLE ROW LEVEL SECURITY;
CREATE POLICY challenge_participants_select ON public.challenge_participants FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.can_view_challenge(challenge_id) OR public.is_service_role());
CREATE POLICY challenge_participants_insert ON public.challenge_participants FOR INSERT TO authenticated
    WITH CHECK ((user_id = auth.uid() AND public.can_view_challenge(challenge_id)) OR public.is_service_role());
CREATE POLICY challenge_participants_update ON public.challenge_participants FOR UPDATE TO authenticated
    USING (user_id = auth.uid() OR public.is_challenge_creator(challenge_id) OR public.is_service_role())
    WITH CHECK (user_id = auth.uid() OR public.is_challenge_creator(challenge_id) OR public.is_service_role());
CREATE POLICY challenge_participants_delete_service ON public.challenge_participants FOR DELETE TO authenticated
    USING (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- leaderboards, leaderboard_entries (07 §1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.leaderboards (
    id                 uuid                         PRIMARY KEY DEFAULT gen_random_uuid(),
    name               text                         NOT NULL,
    scope              public.leaderboard_scope     NOT NULL,
    scope_gym_id       uuid                         REFERENCES public.gyms (id) ON DELETE CASCADE,
    scope_exercise_id  uuid                         REFERENCES public.exercises (id) ON DELETE CASCADE,
    scope_challenge_id uuid                         REFERENCES public.challenges (id) ON DELETE CASCADE,
    metric             public.leaderboard_metric    NOT NULL,
    timeframe          public.leaderboard_timeframe NOT NULL DEFAULT 'weekly',
    starts_at          timestamptz                  NOT NULL,
    ends_at            timestamptz                  NOT NULL,
    is_active          boolean                      NOT NULL DEFAULT true,
    created_at         timestamptz                  NOT NULL DEFAULT public.app_now(),
    updated_at         timestamptz                  NOT NULL DEFAULT public.app_now(),
    CONSTRAINT leaderboards_ends_after_starts CHECK (ends_at > starts_at),
    CONSTRAINT leaderboards_scope_refs CHECK (CASE scope
        WHEN 'global' THEN scope_gym_id IS NULL AND scope_exercise_id IS NULL AND scope_challenge_id IS NULL
        WHEN 'gym' THEN scope_gym_id IS NOT NULL AND scope_exercise_id IS NULL AND scope_challenge_id IS NULL
        WHEN 'exercise' THEN scope_exercise_id IS NOT NULL AND scope_challenge_id IS NULL
        WHEN 'challenge' THEN scope_challenge_id IS NOT NULL
    END)
);
-- the weekly recompute's board selection (07 §4 step 1)
CREATE INDEX leaderboards_timeframe_active_idx ON public.leaderboards (timeframe, starts_at, ends_at) WHERE is_active;
CREATE INDEX leaderboards_scope_gym_idx ON public.leaderboards (scope_gym_id) WHERE scope_gym_id IS NOT NULL;
CREATE INDEX leaderboards_scope_exercise_idx ON public.leaderboards (scope_exercise_id) WHERE scope_exercise_id IS NOT NULL;
CREATE INDEX leaderboards_scope_challenge_idx ON public.leaderboards (scope_challenge_id) WHERE scope_challenge_id IS NOT NULL;
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.leaderboards
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

CREATE TABLE public.leaderboard_entries (
    id             uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    leaderboard_id uuid          NOT NULL REFERENCES public.leaderboards (id) ON DELETE CASCADE,
    user_id        uuid          NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    rank           integer       NOT NULL CHECK (rank > 0),
    score          numeric(14,3) NOT NULL,
    details        jsonb         NOT NULL DEFAULT '{}'::jsonb,
    calculated_at  timestamptz   NOT NULL DEFAULT public.app_now(),
    UNIQUE (leaderboard_id, user_id),
    UNIQUE (leaderboard_id, rank)
);
CREATE INDEX leaderboard_entries_user_idx ON public.leaderboard_entries (user_id);

ALTER TABLE public.leaderboards ENABLE ROW LEVEL SECURITY;
CREATE POLICY leaderboards_select ON public.leaderboards FOR SELECT TO authenticated
    USING (true);
CREATE POLICY leaderboards_insert ON public.leaderboards FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role() OR public.is_gym_staff(scope_gym_id));
CREATE POLICY leaderboards_update ON public.leaderboards FOR UPDATE TO authenticated
    USING (public.is_service_role() OR public.is_gym_staff(scope_gym_id))
    WITH CHECK (public.is_service_role() OR public.is_gym_staff(scope_gym_id));
CREATE POLICY leaderboards_delete ON public.leaderboards FOR DELETE TO authenticated
    USING (public.is_service_role() OR public.is_gym_staff(scope_gym_id));

ALTER TABLE public.leaderboard_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY leaderboard_entries_select ON public.leaderboard_entries FOR SELECT TO authenticated
    USING (true);
CREATE POLICY leaderboard_entries_service_insert ON public.leaderboard_entries FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role());
CREATE POLICY leaderboard_entries_service_update ON public.leaderboard_entries FOR UPDATE TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());
CREATE POLICY leaderboard_entries_service_delete ON public.leaderboard_entries FOR DELETE TO authenticated
    USING (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- Indexes of the rebuild (07 §3, 00 §9): every candidate query is a range scan or a top-N index scan.
--   xp / consistency_days: top 500 profiles straight from an index (global), or per home gym.
--   volume_kg: the window's workouts from a covering index (index-only scan after VACUUM), globally or per gym.
--   estimated_1rm: the window's sets of one exercise through workout_exercises(exercise_id) (0010) -> sets.
--     Covering indexes for this path (workout_sets (workout_exercise_id) INCLUDE reps, weight, e1RM; workout_exercises
--     (exercise_id, workout_id)) were measured and not adopted: ~10-15 % on a 480,000-set board, paid by every set
--     insert of area 02's submit path (README, "Area 07").
-- ---------------------------------------------------------------------------------------------
CREATE INDEX profiles_xp_rank_idx ON public.profiles (xp_total DESC, id);
CREATE INDEX profiles_chain_rank_idx ON public.profiles (chain_days DESC, id);
CREATE INDEX profiles_home_gym_xp_idx ON public.profiles (home_gym_id, xp_total DESC, id) WHERE home_gym_id IS NOT NULL;
CREATE INDEX workouts_started_rank_idx ON public.workouts (started_at)
    INCLUDE (user_id, gym_id, total_volume_kg, total_sets, source);
CREATE INDEX workouts_gym_started_rank_idx ON public.workouts (gym_id, started_at)
    INCLUDE (user_id, total_volume_kg, total_sets, source) WHERE gym_id IS NOT NULL;

RESET ROLE;
