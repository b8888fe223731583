-- KRUXT 0010: area 02 tables (02-workouts-social.md §1): exercises, workouts, workout_exercises,
-- workout_sets, feed_events, social_connections, social_interactions, user_blocks, user_reports, the
-- view user_blocks_reports (00 §5), and feature_flags (08 §1) with its 14 catalogue rows (99 §5);
-- the visibility helpers (§2) and every row-level security policy of the area. Triggers, the
-- workout RPC, progression and PR detection follow in 0011; the home feed candidate query in 0012.
--
-- Added columns (not in the spec's column lists; all system-filled, see README "Interpretations"):
--   workout_sets.workout_id, .user_id, .exercise_id   copied from the parent rows by trigger, so PR
--       detection, totals and RLS never walk workout_exercises -> workouts per set;
--   workout_sets.estimated_1rm                        Epley e1RM (02 §5), filled by trigger, indexed per
--       user and exercise so "previous best" is one index probe;
--   feed_events.workout_visibility, .workout_gym_id   copied from the workout by trigger, so the home
--       feed picks its candidates with index range scans (0012).
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- Enum types (02 §1)
-- ---------------------------------------------------------------------------------------------
CREATE TYPE public.workout_type AS ENUM ('strength', 'functional', 'hyrox', 'crossfit', 'conditioning', 'custom');
CREATE TYPE public.workout_visibility AS ENUM ('public', 'followers', 'gym', 'private');
CREATE TYPE public.workout_block_type AS ENUM ('straight_set', 'superset', 'circuit', 'emom', 'amrap');
CREATE TYPE public.social_connection_status AS ENUM ('pending', 'accepted', 'blocked');
CREATE TYPE public.social_interaction_type AS ENUM ('reaction', 'comment');
CREATE TYPE public.reaction_type AS ENUM ('fist', 'fire', 'shield', 'clap', 'crown');
CREATE TYPE public.report_target_type AS ENUM ('workout', 'comment', 'profile', 'gym');

-- ---------------------------------------------------------------------------------------------
-- exercises (02 §1.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.exercises (
    id               uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name             text        NOT NULL,
    slug             text        NOT NULL UNIQUE,
    category         text        NOT NULL,
    movement_pattern text,
    equipment        text,
    is_public        boolean     NOT NULL DEFAULT true,
    created_by       uuid        REFERENCES auth.users (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at       timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (name, created_by)
);
CREATE INDEX exercises_created_by_idx ON public.exercises (created_by);

-- ---------------------------------------------------------------------------------------------
-- workouts (02 §1.2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.workouts (
    id                   uuid                        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              uuid                        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    gym_id               uuid                        REFERENCES public.gyms (id) ON DELETE SET NULL,
    title                text                        NOT NULL,
    workout_type         public.workout_type         NOT NULL DEFAULT 'strength',
    notes                text,
    started_at           timestamptz                 NOT NULL,
    ended_at             timestamptz,
    rpe                  numeric(3,1)                CHECK (rpe IS NULL OR rpe BETWEEN 0 AND 10),
    visibility           public.workout_visibility   NOT NULL DEFAULT 'public',
    total_sets           integer                     NOT NULL DEFAULT 0 CHECK (total_sets >= 0),
    total_volume_kg      numeric(12,2)               NOT NULL DEFAULT 0 CHECK (total_volume_kg >= 0),
    is_pr                boolean                     NOT NULL DEFAULT false,
    source               public.integration_provider NOT NULL DEFAULT 'manual',
    external_activity_id text,
    progress_applied_at  timestamptz,
    xp_awarded           integer,
    created_at           timestamptz                 NOT NULL DEFAULT public.app_now(),
    updated_at           timestamptz                 NOT NULL DEFAULT public.app_now(),
    CONSTRAINT workouts_ended_after_started CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX workouts_user_started_idx ON public.workouts (user_id, started_at DESC);
CREATE INDEX workouts_visibility_started_idx ON public.workouts (visibility, started_at DESC);
CREATE INDEX workouts_gym_started_idx ON public.workouts (gym_id, started_at DESC);

-- ---------------------------------------------------------------------------------------------
-- workout_exercises and workout_sets (02 §1.3)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.workout_exercises (
    id               uuid                      PRIMARY KEY DEFAULT gen_random_uuid(),
    workout_id       uuid                      NOT NULL REFERENCES public.workouts (id) ON DELETE CASCADE,
    exercise_id      uuid                      NOT NULL REFERENCES public.exercises (id) ON DELETE RESTRICT,
    order_index      integer                   NOT NULL CHECK (order_index >= 1),
    block_id         uuid,
    block_type       public.workout_block_type NOT NULL DEFAULT 'straight_set',
    target_reps      text,
    target_weight_kg numeric(8,2),
    notes            text,
    created_at       timestamptz               NOT NULL DEFAULT public.app_now(),
    updated_at       timestamptz               NOT NULL DEFAULT public.app_now(),
    UNIQUE (workout_id, order_index)
);
CREATE INDEX workout_exercises_exercise_idx ON public.workout_exercises (exercise_id);

CREATE TABLE public.workout_sets (
    id                  uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    workout_exercise_id uuid          NOT NULL REFERENCES public.workout_exercises (id) ON DELETE CASCADE,
    set_index           integer       NOT NULL CHECK (set_index >= 1),
    reps                integer       CHECK (reps IS NULL OR reps >= 0),
    weight_kg           numeric(8,2)  CHECK (weight_kg IS NULL OR weight_kg >= 0),
    duration_seconds    integer       CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    distance_m          numeric(10,2) CHECK (distance_m IS NULL OR distance_m >= 0),
    rpe                 numeric(3,1)  CHECK (rpe IS NULL OR rpe BETWEEN 0 AND 10),
    is_pr               boolean       NOT NULL DEFAULT false,
    completed_at        timestamptz   NOT NULL DEFAULT public.app_now(),
    -- system-filled (trigger fill_workout_set_system_fields, 0011): copies of the parents, and the
    -- Epley e1RM (02 §5) weight x (1 + reps/30) as numeric(14,3) when reps > 0 and weight > 0, else null.
    -- A plain column rather than GENERATED, so that copying a row (RLS matrix, scenarios) still inserts.
    workout_id          uuid,
    user_id             uuid,
    exercise_id         uuid,
    estimated_1rm       numeric(14,3),
    UNIQUE (workout_exercise_id, set_index)
);
CREATE INDEX workout_sets_workout_idx ON public.workout_sets (workout_id);
CREATE INDEX workout_sets_user_exercise_e1rm_idx ON public.workout_sets (user_id, exercise_id, estimated_1rm DESC)
    WHERE estimated_1rm IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- feed_events (02 §1.4)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.feed_events (
    id                 uuid                      PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id            uuid                      NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    workout_id         uuid                      NOT NULL REFERENCES public.workouts (id) ON DELETE CASCADE,
    event_type         text                      NOT NULL DEFAULT 'workout_logged',
    caption            text,
    metadata           jsonb                     NOT NULL DEFAULT '{}'::jsonb,
    created_at         timestamptz               NOT NULL DEFAULT public.app_now(),
    -- system-filled copies of the workout (trigger fill_feed_event_workout, 0011)
    workout_visibility public.workout_visibility,
    workout_gym_id     uuid
);
-- 02 §1.4 / 00 §9: the feed order.
CREATE INDEX feed_events_created_id_idx ON public.feed_events (created_at DESC, id DESC);
-- Home feed candidates (0012): own / followed authors, public, same gym. Each is an index range scan.
CREATE INDEX feed_events_user_created_idx ON public.feed_events (user_id, created_at DESC, id DESC);
CREATE INDEX feed_events_public_created_idx ON public.feed_events (created_at DESC, id DESC)
    WHERE workout_visibility = 'public';
CREATE INDEX feed_events_followers_user_created_idx ON public.feed_events (user_id, created_at DESC, id DESC)
    WHERE workout_visibility = 'followers';
CREATE INDEX feed_events_gym_created_idx ON public.feed_events (workout_gym_id, created_at DESC, id DESC)
    WHERE workout_visibility = 'gym';
-- Events of a workout (proof cards after a submit, FK cascade, PR trigger), and item 8: one
-- pr_verified event per workout, enforced.
CREATE INDEX feed_events_workout_type_idx ON public.feed_events (workout_id, event_type);
CREATE UNIQUE INDEX feed_events_one_pr_verified_per_workout ON public.feed_events (workout_id)
    WHERE event_type = 'pr_verified';

-- The PR trigger and apply_workout_progress look up outbox rows by aggregate (no unindexed scans).
CREATE INDEX event_outbox_aggregate_event_idx ON public.event_outbox (aggregate_id, event_type);

-- ---------------------------------------------------------------------------------------------
-- Social tables (02 §1.5)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.social_connections (
    id               uuid                            PRIMARY KEY DEFAULT gen_random_uuid(),
    follower_user_id uuid                            NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    followed_user_id uuid                            NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    status           public.social_connection_status NOT NULL DEFAULT 'pending',
    created_at       timestamptz                     NOT NULL DEFAULT public.app_now(),
    updated_at       timestamptz                     NOT NULL DEFAULT public.app_now(),
    UNIQUE (follower_user_id, followed_user_id),
    CONSTRAINT social_connections_not_self CHECK (follower_user_id <> followed_user_id)
);
CREATE INDEX social_connections_followed_status_idx
    ON public.social_connections (followed_user_id, status, created_at DESC);
CREATE INDEX social_connections_follower_status_idx
    ON public.social_connections (follower_user_id, status);

CREATE TABLE public.social_interactions (
    id                    uuid                           PRIMARY KEY DEFAULT gen_random_uuid(),
    workout_id            uuid                           NOT NULL REFERENCES public.workouts (id) ON DELETE CASCADE,
    actor_user_id         uuid                           NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    interaction_type      public.social_interaction_type NOT NULL,
    reaction_type         public.reaction_type,
    comment_text          text,
    parent_interaction_id uuid                           REFERENCES public.social_interactions (id) ON DELETE CASCADE,
    created_at            timestamptz                    NOT NULL DEFAULT public.app_now(),
    updated_at            timestamptz                    NOT NULL DEFAULT public.app_now(),
    -- reaction => reaction_type set and no text; comment => non-blank text (and no reaction_type)
    CONSTRAINT social_interactions_shape CHECK (
        (interaction_type = 'reaction' AND reaction_type IS NOT NULL AND comment_text IS NULL)
        OR (interaction_type = 'comment' AND comment_text IS NOT NULL AND btrim(comment_text) <> ''
            AND reaction_type IS NULL))
);
CREATE UNIQUE INDEX social_interactions_one_reaction_per_actor
    ON public.social_interactions (workout_id, actor_user_id) WHERE interaction_type = 'reaction';
CREATE INDEX social_interactions_workout_created_idx ON public.social_interactions (workout_id, created_at, id);
CREATE INDEX social_interactions_actor_idx ON public.social_interactions (actor_user_id);
CREATE INDEX social_interactions_parent_idx ON public.social_interactions (parent_interaction_id)
    WHERE parent_interaction_id IS NOT NULL;

CREATE TABLE public.user_blocks (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    blocker_user_id uuid        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    blocked_user_id uuid        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    reason          text,
    created_at      timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (blocker_user_id, blocked_user_id),
    CONSTRAINT user_blocks_not_self CHECK (blocker_user_id <> blocked_user_id)
);
CREATE INDEX user_blocks_blocked_blocker_idx ON public.user_blocks (blocked_user_id, blocker_user_id);

CREATE TABLE public.user_reports (
    id               uuid                      PRIMARY KEY DEFAULT gen_random_uuid(),
    reporter_user_id uuid                      NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    target_type      public.report_target_type NOT NULL,
    target_id        uuid                      NOT NULL,
    reason           text                      NOT NULL CHECK (btrim(reason) <> ''),
    details          text,
    status           text                      NOT NULL DEFAULT 'open'
                                               CHECK (status IN ('open', 'reviewing', 'resolved', 'dismissed')),
    reviewed_by      uuid                      REFERENCES public.profiles (id) ON DELETE SET NULL,
    reviewed_at      timestamptz,
    created_at       timestamptz               NOT NULL DEFAULT public.app_now(),
    updated_at       timestamptz               NOT NULL DEFAULT public.app_now()
);
CREATE INDEX user_reports_reporter_created_idx ON public.user_reports (reporter_user_id, created_at DESC, id DESC);
CREATE INDEX user_reports_status_created_idx ON public.user_reports (status, created_at);
CREATE INDEX user_reports_target_idx ON public.user_reports (target_type, target_id);

-- ---------------------------------------------------------------------------------------------
-- feature_flags (08 §1) and its catalogue (99 §5). A catalogue, so it ships with the migration
-- (00 §4: "seed catalogues (permissions, legal copy, feature flags, policy v1)").
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.feature_flags (
    key                text        PRIMARY KEY,
    description        text        NOT NULL,
    enabled            boolean     NOT NULL DEFAULT false,
    rollout_percentage integer     NOT NULL DEFAULT 100 CHECK (rollout_percentage BETWEEN 0 AND 100),
    updated_by         uuid        REFERENCES auth.users (id) ON DELETE SET NULL,
    created_at         timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at         timestamptz NOT NULL DEFAULT public.app_now()
);

INSERT INTO public.feature_flags (key, description, enabled, rollout_percentage) VALUES
    ('billing_live',                    'Live member billing',                  false,   0),
    ('provider_apple_health_enabled',   'Apple Health connector',               true,  100),
    ('provider_garmin_enabled',         'Garmin connector',                     true,  100),
    ('provider_fitbit_enabled',         'Fitbit connector',                     false,   0),
    ('provider_huawei_health_enabled',  'Huawei Health connector',              false,   0),
    ('provider_suunto_enabled',         'Suunto connector',                     false,   0),
    ('provider_oura_enabled',           'Oura connector',                       false,   0),
    ('provider_whoop_enabled',          'WHOOP connector',                      false,   0),
    ('ml_recommendations_enabled',      'Machine-learning workout recommendations', false, 0),
    ('public_feed_boost_enabled',       'Boosted public feed ranking experiment', false, 0),
    ('privacy_requests_enabled',        'Privacy request centre',               true,  100),
    ('consent_capture_enabled',         'Consent capture',                      true,  100),
    ('checkin_access_control_enabled',  'Check-in access control',              true,  100),
    ('class_waitlist_enabled',          'Class waitlists',                      true,  100);

-- ---------------------------------------------------------------------------------------------
-- Visibility helpers (02 §2). STABLE SECURITY DEFINER, viewer defaults to auth.uid().
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.can_view_workout(
    _owner uuid,
    _visibility public.workout_visibility,
    _gym_id uuid,
    _viewer uuid DEFAULT auth.uid()
) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT coalesce(
        (_viewer IS NOT NULL AND _viewer = _owner)
        OR _visibility = 'public'
        OR (_visibility = 'followers' AND _viewer IS NOT NULL AND EXISTS (
                SELECT 1 FROM public.social_connections c
                WHERE c.follower_user_id = _viewer AND c.followed_user_id = _owner AND c.status = 'accepted'))
        OR (_visibility = 'gym' AND _gym_id IS NOT NULL AND public.is_gym_member(_gym_id, _viewer)),
        false)
$$;

-- A user_blocks row between the two users, in either direction. Not in the spec's list. It answers
-- only for pairs that include the caller (or for the service), so it cannot be used to probe who
-- blocked whom; the policies always pass auth.uid() as one side.
CREATE FUNCTION public.has_block_between(_user_a uuid, _user_b uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _user_a IS NOT NULL AND _user_b IS NOT NULL
       AND (public.is_service_role() OR auth.uid() IN (_user_a, _user_b))
       AND EXISTS (
            SELECT 1 FROM public.user_blocks b
            WHERE (b.blocker_user_id = _user_a AND b.blocked_user_id = _user_b)
               OR (b.blocker_user_id = _user_b AND b.blocked_user_id = _user_a))
$$;

-- 02 §2 (new): the workout exists, passes can_view_workout, and no block separates viewer and owner.
-- Gap closure: a non-service caller may only ask about itself (_viewer = auth.uid()); for any other
-- viewer the answer is false, so the function cannot reveal blocks between third parties.
CREATE FUNCTION public.can_interact_with_workout(_workout_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.workouts w
        WHERE w.id = _workout_id
          AND (public.is_service_role() OR _viewer IS NOT DISTINCT FROM auth.uid())
          AND public.can_view_workout(w.user_id, w.visibility, w.gym_id, _viewer)
          AND NOT EXISTS (
                SELECT 1 FROM public.user_blocks b
                WHERE (b.blocker_user_id = _viewer AND b.blocked_user_id = w.user_id)
                   OR (b.blocker_user_id = w.user_id AND b.blocked_user_id = _viewer)))
$$;

-- Not in the spec's list: "the parent workout belongs to the viewer", for the child-table policies.
CREATE FUNCTION public.is_workout_owner(_workout_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.workouts w WHERE w.id = _workout_id AND w.user_id = _viewer)
$$;

-- Platform operator permissions arrive with area 12 (12 §1), which replaces this body with the real
-- first-match evaluation (CREATE OR REPLACE, same signature). Until then no user is an operator.
CREATE FUNCTION public.platform_operator_has_permission(_permission_key text, _viewer uuid DEFAULT auth.uid())
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT false
$$;

-- The user behind a report's target (workout owner, comment author, the profile itself, gym owner),
-- for user_blocks_reports. Answers only to the service, a compliance operator, or a user who filed a
-- report on exactly that target.
CREATE FUNCTION public.report_target_user_id(_target_type public.report_target_type, _target_id uuid) RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT CASE _target_type
               WHEN 'profile' THEN _target_id
               WHEN 'workout' THEN (SELECT w.user_id FROM public.workouts w WHERE w.id = _target_id)
               WHEN 'comment' THEN (SELECT i.actor_user_id FROM public.social_interactions i WHERE i.id = _target_id)
               WHEN 'gym' THEN (SELECT g.owner_user_id FROM public.gyms g WHERE g.id = _target_id)
           END
    WHERE public.is_service_role()
       OR public.platform_operator_has_permission('platform.compliance.read')
       OR EXISTS (SELECT 1 FROM public.user_reports r
                  WHERE r.reporter_user_id = auth.uid() AND r.target_type = _target_type AND r.target_id = _target_id)
$$;

-- ---------------------------------------------------------------------------------------------
-- Row-level security (02 §1.2-§1.7). Every policy targets authenticated with an is_service_role()
-- clause (00 §3.1).
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.exercises ENABLE ROW LEVEL SECURITY;
CREATE POLICY exercises_select ON public.exercises FOR SELECT TO authenticated
    USING (is_public OR created_by = auth.uid() OR public.is_service_role());
CREATE POLICY exercises_insert ON public.exercises FOR INSERT TO authenticated
    WITH CHECK (created_by = auth.uid() OR public.is_service_role());
CREATE POLICY exercises_update ON public.exercises FOR UPDATE TO authenticated
    USING (created_by = auth.uid() OR public.is_service_role())
    WITH CHECK (created_by = auth.uid() OR public.is_service_role());
CREATE POLICY exercises_delete ON public.exercises FOR DELETE TO authenticated
    USING (created_by = auth.uid() OR public.is_service_role());

ALTER TABLE public.workouts ENABLE ROW LEVEL SECURITY;
CREATE POLICY workouts_select ON public.workouts FOR SELECT TO authenticated
    USING ((NOT public.has_block_between(user_id, auth.uid())
            AND public.can_view_workout(user_id, visibility, gym_id, auth.uid()))
           OR public.is_service_role());
CREATE POLICY workouts_insert ON public.workouts FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY workouts_update ON public.workouts FOR UPDATE TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role())
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY workouts_delete ON public.workouts FOR DELETE TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role());

ALTER TABLE public.workout_exercises ENABLE ROW LEVEL SECURITY;
CREATE POLICY workout_exercises_select ON public.workout_exercises FOR SELECT TO authenticated
    USING (public.can_interact_with_workout(workout_id) OR public.is_service_role());
CREATE POLICY workout_exercises_insert ON public.workout_exercises FOR INSERT TO authenticated
    WITH CHECK (public.is_workout_owner(workout_id) OR public.is_service_role());
CREATE POLICY workout_exercises_update ON public.workout_exercises FOR UPDATE TO authenticated
    USING (public.is_workout_owner(workout_id) OR public.is_service_role())
    WITH CHECK (public.is_workout_owner(workout_id) OR public.is_service_role());
CREATE POLICY workout_exercises_delete ON public.workout_exercises FOR DELETE TO authenticated
    USING (public.is_workout_owner(workout_id) OR public.is_service_role());

-- workout_sets.workout_id is filled from the parent by trigger before the check runs.
ALTER TABLE public.workout_sets ENABLE ROW LEVEL SECURITY;
CREATE POLICY workout_sets_select ON public.workout_sets FOR SELECT TO authenticated
    USING (public.can_interact_with_workout(workout_id) OR public.is_service_role());
CREATE POLICY workout_sets_insert ON public.workout_sets FOR INSERT TO authenticated
    WITH CHECK (public.is_workout_owner(workout_id) OR public.is_service_role());
CREATE POLICY workout_sets_update ON public.workout_sets FOR UPDATE TO authenticated
    USING (public.is_workout_owner(workout_id) OR public.is_service_role())
    WITH CHECK (public.is_workout_owner(workout_id) OR public.is_service_role());
CREATE POLICY workout_sets_delete ON public.workout_sets FOR DELETE TO authenticated
    USING (public.is_workout_owner(workout_id) OR public.is_service_role());

-- feed_events: the trigger forces user_id = the workout owner, so "own" also means "own workout".
-- Gap closure: clients cannot post the system event types (workout_logged comes from the workout
-- trigger, pr_verified from PR detection).
ALTER TABLE public.feed_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY feed_events_select ON public.feed_events FOR SELECT TO authenticated
    USING (public.can_interact_with_workout(workout_id) OR public.is_service_role());
CREATE POLICY feed_events_insert ON public.feed_events FOR INSERT TO authenticated
    WITH CHECK ((user_id = auth.uid() AND event_type NOT IN ('workout_logged', 'pr_verified'))
                OR public.is_service_role());
CREATE POLICY feed_events_update_service ON public.feed_events FOR UPDATE TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());
CREATE POLICY feed_events_delete_service ON public.feed_events FOR DELETE TO authenticated
    USING (public.is_service_role());

ALTER TABLE public.social_connections ENABLE ROW LEVEL SECURITY;
CREATE POLICY social_connections_select ON public.social_connections FOR SELECT TO authenticated
    USING (status = 'accepted' OR auth.uid() IN (follower_user_id, followed_user_id) OR public.is_service_role());
CREATE POLICY social_connections_insert ON public.social_connections FOR INSERT TO authenticated
    WITH CHECK (follower_user_id = auth.uid() OR public.is_service_role());
CREATE POLICY social_connections_update ON public.social_connections FOR UPDATE TO authenticated
    USING (auth.uid() IN (follower_user_id, followed_user_id) OR public.is_service_role())
    WITH CHECK (auth.uid() IN (follower_user_id, followed_user_id) OR public.is_service_role());
CREATE POLICY social_connections_delete ON public.social_connections FOR DELETE TO authenticated
    USING (auth.uid() IN (follower_user_id, followed_user_id) OR public.is_service_role());

-- social_interactions: interactions by an actor on the other side of a block are hidden too
-- ("blocked viewer selects 0 ... interactions of the blocker", 02 §2).
ALTER TABLE public.social_interactions ENABLE ROW LEVEL SECURITY;
CREATE POLICY social_interactions_select ON public.social_interactions FOR SELECT TO authenticated
    USING ((public.can_interact_with_workout(workout_id) AND NOT public.has_block_between(actor_user_id, auth.uid()))
           OR public.is_service_role());
CREATE POLICY social_interactions_insert ON public.social_interactions FOR INSERT TO authenticated
    WITH CHECK ((actor_user_id = auth.uid() AND public.can_interact_with_workout(workout_id)) OR public.is_service_role());
CREATE POLICY social_interactions_update ON public.social_interactions FOR UPDATE TO authenticated
    USING (actor_user_id = auth.uid() OR public.is_service_role())
    WITH CHECK ((actor_user_id = auth.uid() AND public.can_interact_with_workout(workout_id)) OR public.is_service_role());
CREATE POLICY social_interactions_delete ON public.social_interactions FOR DELETE TO authenticated
    USING (actor_user_id = auth.uid() OR public.is_service_role());

ALTER TABLE public.user_blocks ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_blocks_select ON public.user_blocks FOR SELECT TO authenticated
    USING (auth.uid() IN (blocker_user_id, blocked_user_id) OR public.is_service_role());
CREATE POLICY user_blocks_insert ON public.user_blocks FOR INSERT TO authenticated
    WITH CHECK (blocker_user_id = auth.uid() OR public.is_service_role());
-- UPDATE: no policy (service only).
CREATE POLICY user_blocks_delete ON public.user_blocks FOR DELETE TO authenticated
    USING (blocker_user_id = auth.uid() OR public.is_service_role());

-- Departure from reference (02 §1.5): reports are read by their reporter, the service and compliance
-- operators only -- never by gym staff of any gym.
ALTER TABLE public.user_reports ENABLE ROW LEVEL SECURITY;
CREATE POLICY user_reports_select ON public.user_reports FOR SELECT TO authenticated
    USING (reporter_user_id = auth.uid() OR public.is_service_role()
           OR public.platform_operator_has_permission('platform.compliance.read'));
CREATE POLICY user_reports_insert ON public.user_reports FOR INSERT TO authenticated
    WITH CHECK (reporter_user_id = auth.uid() OR public.is_service_role());
CREATE POLICY user_reports_update ON public.user_reports FOR UPDATE TO authenticated
    USING (public.is_service_role() OR public.platform_operator_has_permission('platform.compliance.read'))
    WITH CHECK (public.is_service_role() OR public.platform_operator_has_permission('platform.compliance.read'));
-- DELETE: no policy (service only).

ALTER TABLE public.feature_flags ENABLE ROW LEVEL SECURITY;
CREATE POLICY feature_flags_select ON public.feature_flags FOR SELECT TO authenticated
    USING (true);
CREATE POLICY feature_flags_service_all ON public.feature_flags FOR ALL TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- user_blocks_reports (00 §5): blocks and reports in one list. Gap closure: security_invoker, so the
-- caller's policies on user_blocks and user_reports decide which rows appear.
-- ---------------------------------------------------------------------------------------------
CREATE VIEW public.user_blocks_reports WITH (security_invoker = true) AS
    SELECT b.id,
           b.blocker_user_id AS actor_user_id,
           b.blocked_user_id AS target_user_id,
           'block'::text     AS record_type,
           b.reason,
           b.created_at,
           'active'::text    AS status
    FROM public.user_blocks b
    UNION ALL
    SELECT r.id,
           r.reporter_user_id,
           public.report_target_user_id(r.target_type, r.target_id),
           'report'::text,
           r.reason,
           r.created_at,
           r.status
    FROM public.user_reports r;

RESET ROLE;
