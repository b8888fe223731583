-- KRUXT 0021: check-ins and access logs (03 §1.4, §1.5; items 15, 86), the view `checkins`.
SET ROLE kruxt_owner;

CREATE TYPE public.access_event_type AS ENUM ('door_checkin', 'door_denied', 'frontdesk_checkin', 'manual_override');
CREATE TYPE public.access_result AS ENUM ('allowed', 'denied', 'override_allowed');

-- ---------------------------------------------------------------------------------------------
-- gym_checkins (03 §1.4)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.gym_checkins (
    id             uuid                     PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id         uuid                     NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    user_id        uuid                     NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    membership_id  uuid                     REFERENCES public.gym_memberships (id) ON DELETE SET NULL,
    class_id       uuid                     REFERENCES public.gym_classes (id) ON DELETE SET NULL,
    event_type     public.access_event_type NOT NULL,
    result         public.access_result     NOT NULL,
    source_channel text                     NOT NULL DEFAULT 'app',
    note           text,
    checked_in_at  timestamptz              NOT NULL DEFAULT public.app_now(),
    created_by     uuid                     REFERENCES public.profiles (id) ON DELETE SET NULL,
    created_at     timestamptz              NOT NULL DEFAULT public.app_now()
);
CREATE INDEX gym_checkins_gym_checked_in_idx ON public.gym_checkins (gym_id, checked_in_at DESC, id DESC);
CREATE INDEX gym_checkins_user_checked_in_idx ON public.gym_checkins (user_id, checked_in_at DESC);
CREATE INDEX gym_checkins_membership_idx ON public.gym_checkins (membership_id);
CREATE INDEX gym_checkins_class_idx ON public.gym_checkins (class_id);

-- Additions (not in the spec), checked for every writer:
-- * membership_id, when set, is the membership of (gym_id, user_id); class_id, when set, is a class of
--   gym_id (the database side of ADMIN_MEMBERSHIP_*_MISMATCH / ADMIN_CLASS_GYM_MISMATCH);
-- * created_by is the acting user for every non-service insert (a caller cannot attribute a check-in,
--   e.g. a manual override, to somebody else).
CREATE FUNCTION public.validate_gym_checkin() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.membership_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.membership_id IS DISTINCT FROM OLD.membership_id)
       AND NOT EXISTS (SELECT 1 FROM public.gym_memberships m
                       WHERE m.id = NEW.membership_id AND m.gym_id = NEW.gym_id AND m.user_id = NEW.user_id) THEN
        RAISE EXCEPTION 'membership_id does not match gym_id and user_id' USING ERRCODE = 'KX422';
    END IF;
    IF NEW.class_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.class_id IS DISTINCT FROM OLD.class_id)
       AND NOT EXISTS (SELECT 1 FROM public.gym_classes c WHERE c.id = NEW.class_id AND c.gym_id = NEW.gym_id) THEN
        RAISE EXCEPTION 'class_id gym does not match gym_id' USING ERRCODE = 'KX422';
    END IF;
    IF TG_OP = 'INSERT' AND NOT public.is_service_role() AND auth.uid() IS NOT NULL THEN
        NEW.created_by := auth.uid();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER validate_gym_checkin BEFORE INSERT OR UPDATE ON public.gym_checkins
    FOR EACH ROW EXECUTE FUNCTION public.validate_gym_checkin();

-- Item 15: once written, the access decision (who, where, when, what, result, channel) is kept exactly as
-- supplied, for every role including service (which bypasses RLS). Only FK set-null of membership_id,
-- class_id, created_by and a note scrub remain possible (service), and service may delete rows.
CREATE FUNCTION public.guard_gym_checkin_evidence() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF (NEW.id, NEW.gym_id, NEW.user_id, NEW.event_type, NEW.result, NEW.source_channel, NEW.checked_in_at, NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.gym_id, OLD.user_id, OLD.event_type, OLD.result, OLD.source_channel, OLD.checked_in_at, OLD.created_at) THEN
        RAISE EXCEPTION 'Check-in result and source channel cannot be changed' USING ERRCODE = 'KX423';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_gym_checkin_evidence BEFORE UPDATE ON public.gym_checkins
    FOR EACH ROW EXECUTE FUNCTION public.guard_gym_checkin_evidence();

ALTER TABLE public.gym_checkins ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_checkins_select ON public.gym_checkins FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_service_role());
CREATE POLICY gym_checkins_insert ON public.gym_checkins FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_service_role());
-- UPDATE / DELETE: no policy (service only).

-- 00 §5: the reference view, with the caller's rights (gap closure: the reference view leaked every row).
CREATE VIEW public.checkins WITH (security_invoker = true) AS
    SELECT id, gym_id, user_id, membership_id, class_id, event_type, result, source_channel, note,
           checked_in_at, created_by, created_at
    FROM public.gym_checkins;

-- ---------------------------------------------------------------------------------------------
-- access_logs (03 §1.5)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.access_logs (
    id         uuid                     PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id     uuid                     NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    user_id    uuid                     REFERENCES public.profiles (id) ON DELETE SET NULL,
    checkin_id uuid                     REFERENCES public.gym_checkins (id) ON DELETE SET NULL,
    event_type public.access_event_type NOT NULL,
    result     public.access_result     NOT NULL,
    reason     text,
    metadata   jsonb                    NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz              NOT NULL DEFAULT public.app_now(),
    created_by uuid                     REFERENCES public.profiles (id) ON DELETE SET NULL
);
CREATE INDEX access_logs_gym_created_idx ON public.access_logs (gym_id, created_at DESC, id DESC);
CREATE INDEX access_logs_user_idx ON public.access_logs (user_id);
CREATE INDEX access_logs_checkin_idx ON public.access_logs (checkin_id);

-- Additions: a log's check-in belongs to the same gym; created_by is the acting user (non-service).
CREATE FUNCTION public.validate_access_log() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.checkin_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.checkin_id IS DISTINCT FROM OLD.checkin_id)
       AND NOT EXISTS (SELECT 1 FROM public.gym_checkins c WHERE c.id = NEW.checkin_id AND c.gym_id = NEW.gym_id) THEN
        RAISE EXCEPTION 'checkin_id gym does not match gym_id' USING ERRCODE = 'KX422';
    END IF;
    IF TG_OP = 'INSERT' AND NOT public.is_service_role() AND auth.uid() IS NOT NULL THEN
        NEW.created_by := auth.uid();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER validate_access_log BEFORE INSERT OR UPDATE ON public.access_logs
    FOR EACH ROW EXECUTE FUNCTION public.validate_access_log();

ALTER TABLE public.access_logs ENABLE ROW LEVEL SECURITY;
CREATE POLICY access_logs_select ON public.access_logs FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_service_role());
CREATE POLICY access_logs_insert ON public.access_logs FOR INSERT TO authenticated
    WITH CHECK (public.is_gym_staff(gym_id) OR public.is_service_role());
-- UPDATE / DELETE: no policy (service only; anonymization nulls user_id, 05 §6).

RESET ROLE;
