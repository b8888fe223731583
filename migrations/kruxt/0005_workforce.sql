-- KRUXT 0005: workforce (01 §6): staff shifts and time entries with their triggers.
-- Items 121, 122, 123, 124.
SET ROLE kruxt_owner;

CREATE TYPE public.staff_shift_status AS ENUM (
    'scheduled', 'confirmed', 'in_progress', 'completed', 'missed', 'cancelled');
CREATE TYPE public.staff_time_entry_status AS ENUM ('open', 'submitted', 'approved', 'rejected');

-- ---------------------------------------------------------------------------------------------
-- staff_shifts (01 §6.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.staff_shifts (
    id                uuid                      PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id            uuid                      NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    staff_user_id     uuid                      NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    created_by        uuid                      REFERENCES public.profiles (id) ON DELETE SET NULL,
    title             text                      NOT NULL DEFAULT 'Shift',
    shift_role        text,
    starts_at         timestamptz               NOT NULL,
    ends_at           timestamptz               NOT NULL,
    status            public.staff_shift_status NOT NULL DEFAULT 'scheduled',
    hourly_rate_cents integer                   CHECK (hourly_rate_cents IS NULL OR hourly_rate_cents >= 0),
    notes             text,
    metadata          jsonb                     NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz               NOT NULL DEFAULT public.app_now(),
    updated_at        timestamptz               NOT NULL DEFAULT public.app_now(),
    CONSTRAINT staff_shifts_ends_after_starts CHECK (ends_at > starts_at)
);
CREATE INDEX staff_shifts_gym_starts_idx ON public.staff_shifts (gym_id, starts_at);
CREATE INDEX staff_shifts_staff_user_idx ON public.staff_shifts (staff_user_id, starts_at);

-- Item 122: applies to every role, service included.
CREATE FUNCTION public.validate_staff_shift_assignment() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NOT public.is_gym_staff(NEW.gym_id, NEW.staff_user_id) THEN
        RAISE EXCEPTION 'staff_user_id must be active gym staff for this gym' USING ERRCODE = 'KX422';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER validate_staff_shift_assignment BEFORE INSERT OR UPDATE ON public.staff_shifts
    FOR EACH ROW EXECUTE FUNCTION public.validate_staff_shift_assignment();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.staff_shifts
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.staff_shifts ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_shifts_select ON public.staff_shifts FOR SELECT TO authenticated
    USING (public.is_service_role() OR staff_user_id = auth.uid()
           OR public.user_has_gym_permission(gym_id, 'staff.shifts.manage'));
CREATE POLICY staff_shifts_insert ON public.staff_shifts FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'staff.shifts.manage'));
CREATE POLICY staff_shifts_update ON public.staff_shifts FOR UPDATE TO authenticated
    USING (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'staff.shifts.manage'))
    WITH CHECK (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'staff.shifts.manage'));
CREATE POLICY staff_shifts_delete ON public.staff_shifts FOR DELETE TO authenticated
    USING (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'staff.shifts.manage'));

-- ---------------------------------------------------------------------------------------------
-- staff_time_entries (01 §6.2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.staff_time_entries (
    id             uuid                           PRIMARY KEY DEFAULT gen_random_uuid(),
    shift_id       uuid                           REFERENCES public.staff_shifts (id) ON DELETE SET NULL,
    gym_id         uuid                           NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    staff_user_id  uuid                           NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    clock_in_at    timestamptz                    NOT NULL,
    clock_out_at   timestamptz,
    break_minutes  integer                        NOT NULL DEFAULT 0 CHECK (break_minutes >= 0),
    worked_minutes integer GENERATED ALWAYS AS (
        CASE WHEN clock_out_at IS NULL THEN NULL
             ELSE greatest(0, floor(extract(epoch FROM (clock_out_at - clock_in_at)) / 60)::integer - break_minutes)
        END) STORED,
    status         public.staff_time_entry_status NOT NULL DEFAULT 'open',
    approved_by    uuid                           REFERENCES public.profiles (id) ON DELETE SET NULL,
    approved_at    timestamptz,
    source_channel text                           NOT NULL DEFAULT 'admin_web',
    note           text,
    metadata       jsonb                          NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz                    NOT NULL DEFAULT public.app_now(),
    updated_at     timestamptz                    NOT NULL DEFAULT public.app_now(),
    CONSTRAINT staff_time_entries_clock_out_after_clock_in CHECK (clock_out_at IS NULL OR clock_out_at > clock_in_at)
);
CREATE INDEX staff_time_entries_gym_clock_in_idx ON public.staff_time_entries (gym_id, clock_in_at);
CREATE INDEX staff_time_entries_staff_user_idx ON public.staff_time_entries (staff_user_id, clock_in_at);
CREATE INDEX staff_time_entries_shift_idx ON public.staff_time_entries (shift_id);

-- Item 123: the (shift_id, gym_id, staff_user_id) triple must agree. SECURITY DEFINER so the shift is
-- found whatever the caller may read.
CREATE FUNCTION public.validate_staff_time_entry() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_shift record;
BEGIN
    IF NOT public.is_gym_staff(NEW.gym_id, NEW.staff_user_id) THEN
        RAISE EXCEPTION 'staff_user_id must be active gym staff for this gym' USING ERRCODE = 'KX422';
    END IF;
    IF NEW.shift_id IS NOT NULL THEN
        SELECT s.gym_id, s.staff_user_id INTO v_shift FROM public.staff_shifts s WHERE s.id = NEW.shift_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'shift_id is invalid' USING ERRCODE = 'KX422';
        END IF;
        IF v_shift.gym_id <> NEW.gym_id THEN
            RAISE EXCEPTION 'shift_id gym does not match gym_id' USING ERRCODE = 'KX422';
        END IF;
        IF v_shift.staff_user_id <> NEW.staff_user_id THEN
            RAISE EXCEPTION 'shift_id staff does not match staff_user_id' USING ERRCODE = 'KX422';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

-- Item 124 (departure from reference): approval needs staff.time_entries.manage (M). Runs before the
-- RLS WITH CHECK, so a self-approval attempt gets this message rather than 42501. It only judges rows
-- whose approval state is being written (an INSERT, or an UPDATE that changes status/approved_*).
CREATE FUNCTION public.guard_staff_time_entry_approval() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_service boolean := public.is_service_role();
    v_manager boolean;
BEGIN
    IF NOT (NEW.status IN ('approved', 'rejected') OR NEW.approved_by IS NOT NULL OR NEW.approved_at IS NOT NULL) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
       AND (NEW.status, NEW.approved_by, NEW.approved_at) IS NOT DISTINCT FROM (OLD.status, OLD.approved_by, OLD.approved_at) THEN
        RETURN NEW;
    END IF;
    v_manager := v_service OR public.user_has_gym_permission(NEW.gym_id, 'staff.time_entries.manage');
    IF NOT v_manager THEN
        RAISE EXCEPTION 'staff.time_entries.manage permission is required to approve time entries' USING ERRCODE = 'KX403';
    END IF;
    IF NEW.status IN ('approved', 'rejected')
       AND (TG_OP = 'INSERT' OR NEW.status IS DISTINCT FROM OLD.status) THEN
        IF NOT v_service THEN
            NEW.approved_by := auth.uid();
        END IF;
        NEW.approved_at := coalesce(NEW.approved_at, public.app_now());
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER guard_staff_time_entry_approval BEFORE INSERT OR UPDATE ON public.staff_time_entries
    FOR EACH ROW EXECUTE FUNCTION public.guard_staff_time_entry_approval();
CREATE TRIGGER validate_staff_time_entry BEFORE INSERT OR UPDATE ON public.staff_time_entries
    FOR EACH ROW EXECUTE FUNCTION public.validate_staff_time_entry();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.staff_time_entries
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.staff_time_entries ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_time_entries_select ON public.staff_time_entries FOR SELECT TO authenticated
    USING (public.is_service_role() OR staff_user_id = auth.uid()
           OR public.user_has_gym_permission(gym_id, 'staff.time_entries.manage'));
CREATE POLICY staff_time_entries_insert ON public.staff_time_entries FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role()
                OR public.user_has_gym_permission(gym_id, 'staff.time_entries.manage')
                OR (staff_user_id = auth.uid() AND status IN ('open', 'submitted')
                    AND approved_by IS NULL AND approved_at IS NULL));
CREATE POLICY staff_time_entries_update ON public.staff_time_entries FOR UPDATE TO authenticated
    USING (public.is_service_role()
           OR public.user_has_gym_permission(gym_id, 'staff.time_entries.manage')
           OR (staff_user_id = auth.uid() AND status IN ('open', 'submitted') AND approved_at IS NULL))
    WITH CHECK (public.is_service_role()
                OR public.user_has_gym_permission(gym_id, 'staff.time_entries.manage')
                OR (staff_user_id = auth.uid() AND status IN ('open', 'submitted')
                    AND approved_by IS NULL AND approved_at IS NULL));
CREATE POLICY staff_time_entries_delete ON public.staff_time_entries FOR DELETE TO authenticated
    USING (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'staff.time_entries.manage'));

RESET ROLE;
