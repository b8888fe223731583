-- KRUXT 0030: the three escalation paths of 01 §4.2 ("Departure from reference (no escalation around the
-- guards)") and what the staff console needs to show canAssignRole truthfully (09 §2).
--
--   1. Matrix self-escalation: outside service and the gym owner, a writer of gym_role_permissions may only
--      write (insert, update -- old and new row --, delete) rows whose role ranks strictly below their own
--      best trial/active membership role (leader > officer > coach > member). Trigger
--      guard_gym_role_permission_write. Also applies inside SECURITY DEFINER code (the caller's claims decide),
--      so seed_default_gym_permissions cannot be used by a coach or officer to re-create missing rows of their
--      own rank or above.
--   2. Status laundering: a member's own re-request (cancelled -> pending) resets role to member; moving another
--      user's row into trial or active while its role is not member requires admin.roles.manage.
--   3. Owner lock-out: the membership of gyms.owner_user_id may change role or leave active only by the owner or
--      service (admin_assign_membership_role is SECURITY INVOKER, so it goes through the same trigger; so does
--      every multi-row UPDATE, row by row, and the statement fails as a whole).
--   can_assign_membership_role(p_membership_id, _viewer): would a role assignment on this row by this viewer
--   pass RLS and the guard?
--
-- Paths 2 and 3 replace guard_gym_membership_write (0004) with CREATE OR REPLACE; the trigger itself is
-- unchanged. Errors: KX403 with the spec's messages.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- Private helpers (kruxt_internal: request roles have no USAGE; called from SECURITY DEFINER code)
-- ---------------------------------------------------------------------------------------------
-- The best trial/active membership role of a user in a gym (enum order: leader < officer < coach < member,
-- i.e. the smallest value ranks highest), null when none -- step 4 of user_has_gym_permission (01 §4.4).
CREATE FUNCTION kruxt_internal.best_active_gym_role(_gym_id uuid, _user_id uuid) RETURNS public.gym_role
LANGUAGE sql STABLE
AS $$
    SELECT m.role
    FROM public.gym_memberships m
    WHERE m.gym_id = _gym_id AND m.user_id = _user_id AND m.membership_status IN ('trial', 'active')
    ORDER BY m.role
    LIMIT 1
$$;

-- 01 §4.4 steps 2-7 for an explicit viewer, without step 1 (the service short-circuit), so that the service
-- can ask what a given user may do. Keep in step with user_has_gym_permission (0004).
CREATE FUNCTION kruxt_internal.viewer_has_gym_permission(_gym_id uuid, _permission_key text, _viewer uuid)
RETURNS boolean
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_key text := lower(_permission_key);
    v_role public.gym_role;
    v_allowed boolean;
BEGIN
    IF _viewer IS NULL THEN
        RETURN false;
    END IF;
    IF EXISTS (SELECT 1 FROM public.gyms g WHERE g.id = _gym_id AND g.owner_user_id = _viewer) THEN
        RETURN true;
    END IF;
    v_role := kruxt_internal.best_active_gym_role(_gym_id, _viewer);
    IF v_role IS NULL THEN
        RETURN false;
    END IF;
    SELECT o.is_allowed INTO v_allowed
    FROM public.gym_user_permission_overrides o
    WHERE o.gym_id = _gym_id AND o.user_id = _viewer AND o.permission_key = v_key;
    IF FOUND THEN
        RETURN coalesce(v_allowed, false);
    END IF;
    SELECT rp.is_allowed INTO v_allowed
    FROM public.gym_role_permissions rp
    WHERE rp.gym_id = _gym_id AND rp.role = v_role AND rp.permission_key = v_key;
    RETURN coalesce(v_allowed, false);
END
$$;

-- May _viewer (not service) write a gym_role_permissions row of (_gym_id, _role)? The owner: always; anyone
-- else: only when _role ranks strictly below the viewer's best active membership role.
CREATE FUNCTION kruxt_internal.may_write_role_permission(_gym_id uuid, _role public.gym_role, _viewer uuid)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT _viewer IS NOT NULL
       AND (EXISTS (SELECT 1 FROM public.gyms g WHERE g.id = _gym_id AND g.owner_user_id = _viewer)
            OR coalesce(_role > kruxt_internal.best_active_gym_role(_gym_id, _viewer), false))
$$;

-- ---------------------------------------------------------------------------------------------
-- 1. Matrix self-escalation (01 §4.2)
-- ---------------------------------------------------------------------------------------------
-- SECURITY DEFINER only to reach kruxt_internal and read memberships regardless of the caller's RLS; the
-- actor is the caller's claims (auth.uid(), is_service_role()), also when the write comes from another
-- SECURITY DEFINER function. An AFTER trigger on purpose: it judges only rows actually written, so an
-- INSERT ... ON CONFLICT DO NOTHING that writes nothing (seed_default_gym_permissions on a complete matrix,
-- called by any staff member, item 119) passes, while one that re-creates a missing row is judged; BEFORE
-- INSERT triggers would fire for every proposed row. RLS (42501) is checked first.
CREATE FUNCTION public.guard_gym_role_permission_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
BEGIN
    IF public.is_service_role() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF NOT kruxt_internal.may_write_role_permission(OLD.gym_id, OLD.role, v_uid) THEN
            RAISE EXCEPTION 'Only the gym owner can change permissions of this role' USING ERRCODE = 'KX403';
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NOT kruxt_internal.may_write_role_permission(NEW.gym_id, NEW.role, v_uid) THEN
            RAISE EXCEPTION 'Only the gym owner can change permissions of this role' USING ERRCODE = 'KX403';
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER guard_gym_role_permission_write AFTER INSERT OR UPDATE OR DELETE ON public.gym_role_permissions
    FOR EACH ROW EXECUTE FUNCTION public.guard_gym_role_permission_write();

-- ---------------------------------------------------------------------------------------------
-- 2. and 3. The membership guard (01 §2 table, plus 01 §4.2). Same trigger as in 0004, new body.
-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION public.guard_gym_membership_write() RETURNS trigger
LANGUAGE plpgsql
AS $$
DECLARE
    v_uid uuid := auth.uid();
BEGIN
    IF public.is_service_role() THEN
        RETURN NEW;
    END IF;

    IF TG_OP = 'INSERT' THEN
        IF public.is_gym_owner(NEW.gym_id, v_uid) THEN
            RETURN NEW;
        END IF;
        IF NEW.user_id = v_uid THEN
            -- join request
            IF NEW.role <> 'member' OR NEW.membership_status <> 'pending' THEN
                RAISE EXCEPTION 'Members cannot set their own membership role or status' USING ERRCODE = 'KX403';
            END IF;
        ELSIF NEW.role <> 'member' AND NOT public.user_has_gym_permission(NEW.gym_id, 'admin.roles.manage', v_uid) THEN
            -- covers "into trial/active with a role other than member" for new rows as well
            RAISE EXCEPTION 'Permission admin.roles.manage is required to change membership roles' USING ERRCODE = 'KX403';
        END IF;
        RETURN NEW;
    END IF;

    -- UPDATE. The owner may do anything to the memberships of his gym, his own included.
    IF public.is_gym_owner(OLD.gym_id, v_uid) AND public.is_gym_owner(NEW.gym_id, v_uid) THEN
        RETURN NEW;
    END IF;

    IF OLD.user_id = v_uid THEN
        IF NEW.role IS DISTINCT FROM OLD.role THEN
            RAISE EXCEPTION 'Members cannot change their own membership role' USING ERRCODE = 'KX403';
        END IF;
        IF (NEW.gym_id, NEW.user_id, NEW.membership_plan_id, NEW.started_at, NEW.ends_at)
           IS DISTINCT FROM (OLD.gym_id, OLD.user_id, OLD.membership_plan_id, OLD.started_at, OLD.ends_at) THEN
            RAISE EXCEPTION 'Members cannot set their own membership role or status' USING ERRCODE = 'KX403';
        END IF;
        IF NEW.membership_status IS DISTINCT FROM OLD.membership_status
           AND NOT (NEW.membership_status = 'cancelled'
                    OR (OLD.membership_status = 'cancelled' AND NEW.membership_status = 'pending')) THEN
            RAISE EXCEPTION 'Members cannot set their own membership role or status' USING ERRCODE = 'KX403';
        END IF;
        -- 01 §4.2 status laundering: a re-request starts over as a plain member (audited as a role change
        -- by audit_membership_role_changed when the role was not member).
        IF OLD.membership_status = 'cancelled' AND NEW.membership_status = 'pending' THEN
            NEW.role := 'member';
        END IF;
        RETURN NEW;
    END IF;

    -- Another user's row. Interpretation: a membership never moves to another gym or user.
    IF (NEW.gym_id, NEW.user_id) IS DISTINCT FROM (OLD.gym_id, OLD.user_id) THEN
        RAISE EXCEPTION 'Membership gym and user cannot be changed' USING ERRCODE = 'KX403';
    END IF;

    -- 01 §4.2 owner lock-out: the owner's membership keeps its role, and does not leave active (nor, as an
    -- interpretation, leave trial for anything but active), unless the owner or service does it.
    IF public.is_gym_owner(OLD.gym_id, OLD.user_id)
       AND (NEW.role IS DISTINCT FROM OLD.role
            OR (NEW.membership_status IS DISTINCT FROM OLD.membership_status
                AND (OLD.membership_status = 'active'
                     OR (OLD.membership_status = 'trial' AND NEW.membership_status <> 'active')))) THEN
        RAISE EXCEPTION 'Only the gym owner can change the owner''s membership' USING ERRCODE = 'KX403';
    END IF;

    IF NEW.role IS DISTINCT FROM OLD.role
       AND NOT public.user_has_gym_permission(OLD.gym_id, 'admin.roles.manage', v_uid) THEN
        RAISE EXCEPTION 'Permission admin.roles.manage is required to change membership roles' USING ERRCODE = 'KX403';
    END IF;

    -- 01 §4.2 status laundering: (re)activating a row that carries a staff role is a role grant.
    IF NEW.membership_status IS DISTINCT FROM OLD.membership_status
       AND NEW.membership_status IN ('trial', 'active')
       AND NEW.role <> 'member'
       AND NOT public.user_has_gym_permission(OLD.gym_id, 'admin.roles.manage', v_uid) THEN
        RAISE EXCEPTION 'Permission admin.roles.manage is required to change membership roles' USING ERRCODE = 'KX403';
    END IF;
    RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- canAssignRole (09 §2): true exactly when a role assignment (admin_assign_membership_role, or the
-- equivalent UPDATE of role) on this row by _viewer would pass RLS and guard_gym_membership_write:
--   * the viewer is the gym owner (any row of the gym, his own included); otherwise
--   * not the viewer's own row ("Members cannot change their own membership role"),
--   * not the owner's row (owner lock-out),
--   * the viewer is trial/active staff of the gym (the UPDATE policy) and holds admin.roles.manage.
-- The row's status is not considered (an assignment on a pending row succeeds); the console's own rule
-- "canAssignRole only for trial/active rows" is applied on top by the caller.
-- _viewer null: true only for the service (which may assign any role). A non-service caller asking about
-- another viewer gets false (no probing of other users' permissions); the service may ask for any viewer.
-- Unknown membership id: false.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.can_assign_membership_role(p_membership_id uuid, _viewer uuid DEFAULT auth.uid())
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_gym_id uuid;
    v_user_id uuid;
BEGIN
    SELECT m.gym_id, m.user_id INTO v_gym_id, v_user_id
    FROM public.gym_memberships m
    WHERE m.id = p_membership_id;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF _viewer IS NULL THEN
        RETURN public.is_service_role();
    END IF;
    IF _viewer IS DISTINCT FROM auth.uid() AND NOT public.is_service_role() THEN
        RETURN false;
    END IF;
    IF public.is_gym_owner(v_gym_id, _viewer) THEN
        RETURN true;
    END IF;
    IF v_user_id = _viewer OR public.is_gym_owner(v_gym_id, v_user_id) THEN
        RETURN false;
    END IF;
    RETURN public.is_gym_staff(v_gym_id, _viewer)
       AND kruxt_internal.viewer_has_gym_permission(v_gym_id, 'admin.roles.manage', _viewer);
END
$$;

RESET ROLE;
