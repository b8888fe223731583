-- KRUXT 0020: classes, bookings and the waitlist (03 §1.1-1.3, §2.1, §2.2; items 14, 84, 85).
-- gym_classes, class_bookings, class_waitlist with their RLS; the booking rules (enforce_class_booking_rules,
-- gap closure); a guard that keeps members from editing their own waitlist entry; join_waitlist and
-- promote_waitlist_member.
--
-- Locking (one rule for every writer that decides on capacity or queue order): the class row is locked
-- FOR UPDATE first. promote_waitlist_member, join_waitlist, a member's own booking (through
-- enforce_class_booking_rules) and a member's own direct waitlist insert all take that lock, so for one
-- class they run one at a time; classes never wait for each other. Under READ COMMITTED every later
-- statement of the same function takes a fresh snapshot, so once the lock is held the capacity count and
-- the pending queue include everything the previous holder committed. The pending entry is then taken
-- FOR UPDATE SKIP LOCKED, so an entry another transaction is editing right now (a member leaving the
-- queue, staff editing it) is passed over instead of waited for.
SET ROLE kruxt_owner;

CREATE TYPE public.class_status AS ENUM ('scheduled', 'cancelled', 'completed');
CREATE TYPE public.booking_status AS ENUM ('booked', 'waitlisted', 'cancelled', 'attended', 'no_show');
CREATE TYPE public.waitlist_status AS ENUM ('pending', 'promoted', 'expired', 'cancelled');

-- ---------------------------------------------------------------------------------------------
-- gym_classes (03 §1.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.gym_classes (
    id                uuid                PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id            uuid                NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    coach_user_id     uuid                REFERENCES public.profiles (id) ON DELETE SET NULL,
    title             text                NOT NULL,
    description       text,
    capacity          integer             NOT NULL CHECK (capacity > 0),
    status            public.class_status NOT NULL DEFAULT 'scheduled',
    starts_at         timestamptz         NOT NULL,
    ends_at           timestamptz         NOT NULL,
    booking_opens_at  timestamptz,
    booking_closes_at timestamptz,
    created_at        timestamptz         NOT NULL DEFAULT public.app_now(),
    updated_at        timestamptz         NOT NULL DEFAULT public.app_now(),
    CONSTRAINT gym_classes_ends_after_starts CHECK (ends_at > starts_at),
    CONSTRAINT gym_classes_booking_window CHECK (
        booking_opens_at IS NULL OR booking_closes_at IS NULL OR booking_closes_at > booking_opens_at)
);
CREATE INDEX gym_classes_gym_starts_idx ON public.gym_classes (gym_id, starts_at);
CREATE INDEX gym_classes_coach_idx ON public.gym_classes (coach_user_id);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.gym_classes
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.gym_classes ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_classes_select ON public.gym_classes FOR SELECT TO authenticated
    USING (public.can_view_gym(gym_id) OR public.is_service_role());
CREATE POLICY gym_classes_staff_all ON public.gym_classes FOR ALL TO authenticated
    USING (public.is_gym_staff(gym_id) OR public.is_service_role())
    WITH CHECK (public.is_gym_staff(gym_id) OR public.is_service_role());

-- Added helper: "staff of the class's gym", used by the booking and waitlist policies and triggers.
CREATE FUNCTION public.is_gym_class_staff(_class_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.gym_classes c
        WHERE c.id = _class_id AND public.is_gym_staff(c.gym_id, _viewer))
$$;

-- ---------------------------------------------------------------------------------------------
-- class_bookings (03 §1.2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.class_bookings (
    id             uuid                  PRIMARY KEY DEFAULT gen_random_uuid(),
    class_id       uuid                  NOT NULL REFERENCES public.gym_classes (id) ON DELETE CASCADE,
    user_id        uuid                  NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    status         public.booking_status NOT NULL DEFAULT 'booked',
    booked_at      timestamptz           NOT NULL DEFAULT public.app_now(),
    checked_in_at  timestamptz,
    source_channel text                  NOT NULL DEFAULT 'app',
    updated_at     timestamptz           NOT NULL DEFAULT public.app_now(),
    UNIQUE (class_id, user_id)
);
CREATE INDEX class_bookings_class_status_idx ON public.class_bookings (class_id, status);
CREATE INDEX class_bookings_user_idx ON public.class_bookings (user_id);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.class_bookings
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Gap closure (03 §1.8). Skipped for service and for staff of the class's gym. A member may only write
-- their own booking (RLS) and only as booked or cancelled; booking needs a scheduled class inside its
-- window and a free seat. SECURITY DEFINER so that it can lock the class row (a member has no UPDATE
-- right on gym_classes); auth.uid() still names the caller.
-- Interpretations: a member's booking must not carry a check-in time and cannot move to another class;
-- attended/no_show rows are staff records a member cannot rewrite; cancelling needs no window; booked_at
-- of a member's own new booking is the clock's, not the caller's.
CREATE FUNCTION public.enforce_class_booking_rules() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_class public.gym_classes;
    v_taken integer;
    v_now timestamptz := public.app_now();
BEGIN
    IF public.is_service_role() OR public.is_gym_class_staff(NEW.class_id, auth.uid())
       OR (TG_OP = 'UPDATE' AND public.is_gym_class_staff(OLD.class_id, auth.uid())
           AND OLD.class_id = NEW.class_id) THEN
        RETURN NEW;
    END IF;

    IF NEW.status NOT IN ('booked', 'cancelled') THEN
        RAISE EXCEPTION 'Members can only book or cancel their own booking' USING ERRCODE = 'KX403';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW.checked_in_at IS NOT NULL THEN
            RAISE EXCEPTION 'Members can only book or cancel their own booking' USING ERRCODE = 'KX403';
        END IF;
        NEW.booked_at := v_now;
    ELSE
        IF OLD.status NOT IN ('booked', 'cancelled', 'waitlisted')
           OR (NEW.class_id, NEW.user_id, NEW.booked_at, NEW.checked_in_at)
              IS DISTINCT FROM (OLD.class_id, OLD.user_id, OLD.booked_at, OLD.checked_in_at) THEN
            RAISE EXCEPTION 'Members can only book or cancel their own booking' USING ERRCODE = 'KX403';
        END IF;
    END IF;

    IF NEW.status = 'booked' AND (TG_OP = 'INSERT' OR OLD.status <> 'booked') THEN
        -- the class lock serialises every seat decision of this class (see the file header)
        SELECT c.* INTO v_class FROM public.gym_classes c WHERE c.id = NEW.class_id FOR UPDATE;
        IF NOT FOUND OR v_class.status <> 'scheduled' OR NOT public.can_view_gym(v_class.gym_id, auth.uid())
           OR (v_class.booking_opens_at IS NOT NULL AND v_now < v_class.booking_opens_at)
           OR (v_class.booking_closes_at IS NOT NULL AND v_now > v_class.booking_closes_at) THEN
            RAISE EXCEPTION 'Class is not open for booking' USING ERRCODE = 'KX409';
        END IF;
        SELECT count(*) INTO v_taken
        FROM public.class_bookings b
        WHERE b.class_id = NEW.class_id AND b.status IN ('booked', 'attended') AND b.id <> NEW.id;
        IF v_taken >= v_class.capacity THEN
            RAISE EXCEPTION 'Class is full; join the waitlist' USING ERRCODE = 'KX409';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER enforce_class_booking_rules BEFORE INSERT OR UPDATE ON public.class_bookings
    FOR EACH ROW EXECUTE FUNCTION public.enforce_class_booking_rules();

ALTER TABLE public.class_bookings ENABLE ROW LEVEL SECURITY;
CREATE POLICY class_bookings_select ON public.class_bookings FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_class_staff(class_id) OR public.is_service_role());
CREATE POLICY class_bookings_insert ON public.class_bookings FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_gym_class_staff(class_id) OR public.is_service_role());
CREATE POLICY class_bookings_update ON public.class_bookings FOR UPDATE TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_class_staff(class_id) OR public.is_service_role())
    WITH CHECK (user_id = auth.uid() OR public.is_gym_class_staff(class_id) OR public.is_service_role());
CREATE POLICY class_bookings_delete_service ON public.class_bookings FOR DELETE TO authenticated
    USING (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- class_waitlist (03 §1.3)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.class_waitlist (
    id          uuid                   PRIMARY KEY DEFAULT gen_random_uuid(),
    class_id    uuid                   NOT NULL REFERENCES public.gym_classes (id) ON DELETE CASCADE,
    user_id     uuid                   NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    position    integer                NOT NULL CHECK (position > 0),
    status      public.waitlist_status NOT NULL DEFAULT 'pending',
    notified_at timestamptz,
    expires_at  timestamptz,
    promoted_at timestamptz,
    created_at  timestamptz            NOT NULL DEFAULT public.app_now(),
    updated_at  timestamptz            NOT NULL DEFAULT public.app_now(),
    UNIQUE (class_id, user_id)
);
CREATE INDEX class_waitlist_class_status_position_idx ON public.class_waitlist (class_id, status, position);
CREATE INDEX class_waitlist_user_idx ON public.class_waitlist (user_id);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.class_waitlist
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Gap closure (not in the spec; closes the queue-jumping path the "self" UPDATE policy leaves open): a
-- direct statement by a request role that is not staff of the class's gym may insert its own entry only
-- as a fresh pending entry at the end of the queue (position assigned here, under the class lock, like
-- join_waitlist), and may update its own entry only to leave the queue (status -> cancelled). Writes made
-- inside SECURITY DEFINER functions (join_waitlist, promote_waitlist_member; current_user is the owner
-- there) and by service are not judged here.
CREATE FUNCTION public.guard_class_waitlist_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_class public.gym_classes;
BEGIN
    IF public.is_service_role() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF public.is_gym_class_staff(NEW.class_id, auth.uid()) THEN
            RETURN NEW;
        END IF;
    ELSIF public.is_gym_class_staff(OLD.class_id, auth.uid()) AND OLD.class_id = NEW.class_id THEN
        RETURN NEW;
    END IF;

    IF TG_OP = 'INSERT' THEN
        SELECT c.* INTO v_class FROM public.gym_classes c WHERE c.id = NEW.class_id FOR UPDATE;
        IF NOT FOUND OR NOT public.can_view_gym(v_class.gym_id, auth.uid()) THEN
            RAISE EXCEPTION 'Class not found' USING ERRCODE = 'KX404';
        END IF;
        IF v_class.status <> 'scheduled' THEN
            RAISE EXCEPTION 'Class is not open for waitlist' USING ERRCODE = 'KX409';
        END IF;
        NEW.status := 'pending';
        NEW.notified_at := NULL;
        NEW.expires_at := NULL;
        NEW.promoted_at := NULL;
        NEW.created_at := public.app_now();
        NEW.position := 1 + coalesce((SELECT max(w.position) FROM public.class_waitlist w
                                      WHERE w.class_id = NEW.class_id AND w.status = 'pending'), 0);
        RETURN NEW;
    END IF;

    IF NEW.status <> 'cancelled'
       OR (NEW.class_id, NEW.user_id, NEW.position, NEW.notified_at, NEW.expires_at, NEW.promoted_at, NEW.created_at)
          IS DISTINCT FROM (OLD.class_id, OLD.user_id, OLD.position, OLD.notified_at, OLD.expires_at, OLD.promoted_at, OLD.created_at) THEN
        RAISE EXCEPTION 'Members can only join or leave the waitlist' USING ERRCODE = 'KX403';
    END IF;
    RETURN NEW;
END
$$;
-- The WHEN clause is the "direct statement by a request role" test: inside a SECURITY DEFINER function
-- current_user is kruxt_owner and the guard does not fire.
CREATE TRIGGER guard_class_waitlist_write BEFORE INSERT OR UPDATE ON public.class_waitlist
    FOR EACH ROW WHEN (current_user::text IN ('authenticated', 'anon'))
    EXECUTE FUNCTION public.guard_class_waitlist_write();

ALTER TABLE public.class_waitlist ENABLE ROW LEVEL SECURITY;
CREATE POLICY class_waitlist_select ON public.class_waitlist FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_class_staff(class_id) OR public.is_service_role());
CREATE POLICY class_waitlist_insert ON public.class_waitlist FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY class_waitlist_update ON public.class_waitlist FOR UPDATE TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_class_staff(class_id) OR public.is_service_role())
    WITH CHECK (user_id = auth.uid() OR public.is_gym_class_staff(class_id) OR public.is_service_role());
CREATE POLICY class_waitlist_delete_service ON public.class_waitlist FOR DELETE TO authenticated
    USING (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- join_waitlist (03 §2.1)
-- ---------------------------------------------------------------------------------------------
-- Interpretations: a class the caller cannot see (private gym, not a member) is 'Class not found'; an
-- entry that is already pending is returned as it is (no new position, no audit row), a promoted, expired
-- or cancelled entry re-joins at the end with status pending (notified/expires/promoted cleared).
CREATE FUNCTION public.join_waitlist(p_class_id uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_class public.gym_classes;
    v_existing public.class_waitlist;
    v_position integer;
    v_id uuid;
BEGIN
    IF v_uid IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    -- Gap closure: the class row lock serialises position assignment.
    SELECT c.* INTO v_class FROM public.gym_classes c WHERE c.id = p_class_id FOR UPDATE;
    IF NOT FOUND OR NOT public.can_view_gym(v_class.gym_id, v_uid) THEN
        RAISE EXCEPTION 'Class not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_class.status <> 'scheduled' THEN
        RAISE EXCEPTION 'Class is not open for waitlist' USING ERRCODE = 'KX409';
    END IF;

    SELECT w.* INTO v_existing FROM public.class_waitlist w WHERE w.class_id = p_class_id AND w.user_id = v_uid;
    IF FOUND AND v_existing.status = 'pending' THEN
        RETURN v_existing.id;
    END IF;

    SELECT 1 + coalesce(max(w.position), 0) INTO v_position
    FROM public.class_waitlist w
    WHERE w.class_id = p_class_id AND w.status = 'pending';

    INSERT INTO public.class_waitlist AS w (class_id, user_id, position, status)
    VALUES (p_class_id, v_uid, v_position, 'pending')
    ON CONFLICT (class_id, user_id) DO UPDATE
        SET position = EXCLUDED.position, status = 'pending',
            notified_at = NULL, expires_at = NULL, promoted_at = NULL
    RETURNING w.id INTO v_id;

    PERFORM public.append_audit_log('waitlist.joined', 'class_waitlist', v_id, NULL,
                                    jsonb_build_object('class_id', p_class_id));
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- promote_waitlist_member (03 §2.2; item 14)
-- ---------------------------------------------------------------------------------------------
-- Books the pending entry with the lowest position whose user holds no booked/attended booking of the
-- class yet (users already booked are passed over and keep their pending entry), never beyond capacity.
-- Service passes the staff check (as with the other admin RPCs).
CREATE FUNCTION public.promote_waitlist_member(p_class_id uuid) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_gym_id uuid;
    v_capacity integer;
    v_taken integer;
    v_entry public.class_waitlist;
    v_booking_id uuid;
BEGIN
    IF v_uid IS NULL AND NOT public.is_service_role() THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    SELECT c.gym_id INTO v_gym_id FROM public.gym_classes c WHERE c.id = p_class_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Class not found' USING ERRCODE = 'KX404';
    END IF;
    IF NOT (public.is_service_role() OR public.is_gym_staff(v_gym_id, v_uid)) THEN
        RAISE EXCEPTION 'Only gym staff can promote waitlist members' USING ERRCODE = 'KX403';
    END IF;

    -- Gap closure: one promotion (or seat decision) per class at a time. Fresh snapshots below.
    SELECT c.capacity INTO v_capacity FROM public.gym_classes c WHERE c.id = p_class_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Class not found' USING ERRCODE = 'KX404';
    END IF;

    SELECT count(*) INTO v_taken
    FROM public.class_bookings b
    WHERE b.class_id = p_class_id AND b.status IN ('booked', 'attended');
    IF v_taken >= v_capacity THEN
        RAISE EXCEPTION 'Class is still full' USING ERRCODE = 'KX409';
    END IF;

    SELECT w.* INTO v_entry
    FROM public.class_waitlist w
    WHERE w.class_id = p_class_id AND w.status = 'pending'
      AND NOT EXISTS (SELECT 1 FROM public.class_bookings b
                      WHERE b.class_id = w.class_id AND b.user_id = w.user_id AND b.status IN ('booked', 'attended'))
    ORDER BY w.position, w.created_at, w.id
    LIMIT 1
    FOR UPDATE OF w SKIP LOCKED;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No pending waitlist members' USING ERRCODE = 'KX409';
    END IF;

    INSERT INTO public.class_bookings AS b (class_id, user_id, status, source_channel)
    VALUES (p_class_id, v_entry.user_id, 'booked', 'waitlist_promotion')
    ON CONFLICT (class_id, user_id) DO UPDATE
        SET status = 'booked', source_channel = 'waitlist_promotion', booked_at = public.app_now()
    RETURNING b.id INTO v_booking_id;

    UPDATE public.class_waitlist w
    SET status = 'promoted', promoted_at = public.app_now()
    WHERE w.id = v_entry.id;

    INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload, created_at)
    VALUES ('class.waitlist_promoted', 'class', p_class_id,
            jsonb_build_object('booking_id', v_booking_id, 'user_id', v_entry.user_id), public.app_now());
    PERFORM public.append_audit_log('waitlist.promoted', 'class_waitlist', v_entry.id, NULL,
                                    jsonb_build_object('class_id', p_class_id, 'booking_id', v_booking_id));
    RETURN v_booking_id;
END
$$;

RESET ROLE;
