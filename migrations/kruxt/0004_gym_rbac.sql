-- KRUXT 0004: gym RBAC (01 §4): the permission catalogue, role permissions, user overrides,
-- seed_default_gym_permissions and user_has_gym_permission; then the membership rules that depend on
-- them (01 §2): guard_gym_membership_write, started_at auto-fill, membership.status_changed,
-- membership.role_changed, admin_assign_membership_role.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- gym_permission_catalog (01 §4.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.gym_permission_catalog (
    permission_key text        PRIMARY KEY CHECK (permission_key = lower(permission_key)),
    category       text        NOT NULL,
    label          text        NOT NULL,
    description    text,
    is_active      boolean     NOT NULL DEFAULT true,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at     timestamptz NOT NULL DEFAULT public.app_now()
);

INSERT INTO public.gym_permission_catalog (permission_key, category, label, description) VALUES
    ('admin.members.manage',      'admin',        'Manage members',             'Approve, reject and edit gym memberships'),
    ('admin.roles.manage',        'admin',        'Manage roles',               'Assign membership roles and edit the permission matrix'),
    ('gym.brand.manage',          'settings',     'Manage branding',            'Edit the gym brand settings'),
    ('gym.features.manage',       'settings',     'Manage features',            'Turn gym features on and off'),
    ('ops.classes.manage',        'ops',          'Manage classes',             'Create and edit classes and bookings'),
    ('ops.waitlist.manage',       'ops',          'Manage waitlists',           'Edit and promote class waitlists'),
    ('ops.checkins.manage',       'ops',          'Manage check-ins',           'Record check-ins and access decisions'),
    ('ops.waivers.manage',        'ops',          'Manage waivers',             'Publish waivers and contracts and record acceptances'),
    ('programs.manage',           'ops',          'Manage programs',            'Edit training programs'),
    ('automation.manage',         'ops',          'Manage automation',          'Run automation playbooks'),
    ('staff.shifts.manage',       'staff',        'Manage shifts',              'Create, edit and cancel staff shifts'),
    ('staff.time_entries.manage', 'staff',        'Manage time entries',        'Edit, approve and reject staff time entries'),
    ('workforce.advanced.manage', 'staff',        'Advanced workforce',         'Advanced workforce tools (add-on)'),
    ('analytics.view',            'analytics',    'View analytics',             'Read gym KPI snapshots'),
    ('analytics.advanced.view',   'analytics',    'Advanced analytics',         'Read advanced analytics views (add-on)'),
    ('crm.leads.manage',          'crm',          'Manage leads',               'Read and edit CRM leads and their activities'),
    ('crm.members.export',        'crm',          'Export members',             'Export member lists'),
    ('support.manage',            'support',      'Manage support',             'Handle support tickets'),
    ('integrations.manage',       'integrations', 'Manage integrations',        'Monitor and manage integrations'),
    ('partner.apps.manage',       'integrations', 'Manage partner apps',        'Install and configure partner apps'),
    ('billing.view',              'billing',      'View billing',               'Read member billing'),
    ('billing.manage',            'billing',      'Manage billing',             'Edit member billing, invoices and refunds'),
    ('addons.manage',             'billing',      'Manage add-ons',             'Subscribe the gym to add-ons'),
    ('compliance.manage',         'compliance',   'Manage compliance',          'Handle privacy requests and compliance tasks');

-- ---------------------------------------------------------------------------------------------
-- gym_role_permissions and gym_user_permission_overrides (01 §4.2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.gym_role_permissions (
    id             uuid            PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id         uuid            NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    role           public.gym_role NOT NULL,
    permission_key text            NOT NULL REFERENCES public.gym_permission_catalog (permission_key) ON DELETE CASCADE,
    is_allowed     boolean         NOT NULL DEFAULT false,
    updated_by     uuid            REFERENCES public.profiles (id) ON DELETE SET NULL,
    metadata       jsonb           NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz     NOT NULL DEFAULT public.app_now(),
    updated_at     timestamptz     NOT NULL DEFAULT public.app_now(),
    UNIQUE (gym_id, role, permission_key)
);

CREATE TABLE public.gym_user_permission_overrides (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id         uuid        NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    user_id        uuid        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    permission_key text        NOT NULL REFERENCES public.gym_permission_catalog (permission_key) ON DELETE CASCADE,
    is_allowed     boolean     NOT NULL,
    reason         text,
    updated_by     uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at     timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (gym_id, user_id, permission_key)
);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.gym_permission_catalog
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.gym_role_permissions
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.gym_user_permission_overrides
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- user_has_gym_permission (01 §4.4; items 120, 127). First match wins; nothing is cached.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.user_has_gym_permission(
    _gym_id uuid,
    _permission_key text,
    _viewer uuid DEFAULT auth.uid()
) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_key text := lower(_permission_key);
    v_role public.gym_role;
    v_allowed boolean;
BEGIN
    -- 1. service
    IF public.is_service_role() THEN
        RETURN true;
    END IF;
    -- 2. no viewer
    IF _viewer IS NULL THEN
        RETURN false;
    END IF;
    -- 3. owner
    IF EXISTS (SELECT 1 FROM public.gyms g WHERE g.id = _gym_id AND g.owner_user_id = _viewer) THEN
        RETURN true;
    END IF;
    -- 4. best active membership role (enum order: leader, officer, coach, member)
    SELECT m.role INTO v_role
    FROM public.gym_memberships m
    WHERE m.gym_id = _gym_id AND m.user_id = _viewer AND m.membership_status IN ('trial', 'active')
    ORDER BY m.role
    LIMIT 1;
    IF v_role IS NULL THEN
        RETURN false;
    END IF;
    -- 5. user override
    SELECT o.is_allowed INTO v_allowed
    FROM public.gym_user_permission_overrides o
    WHERE o.gym_id = _gym_id AND o.user_id = _viewer AND o.permission_key = v_key;
    IF FOUND THEN
        RETURN coalesce(v_allowed, false);
    END IF;
    -- 6. role permission
    SELECT rp.is_allowed INTO v_allowed
    FROM public.gym_role_permissions rp
    WHERE rp.gym_id = _gym_id AND rp.role = v_role AND rp.permission_key = v_key;
    IF FOUND THEN
        RETURN coalesce(v_allowed, false);
    END IF;
    -- 7. deny
    RETURN false;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- seed_default_gym_permissions (01 §4.3; item 119): 4 roles x 19 base keys = 76 rows, never
-- duplicated, never overwriting edits.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.seed_default_gym_permissions(_gym_id uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF NOT (public.is_service_role() OR public.can_manage_gym_config(_gym_id)) THEN
        RAISE EXCEPTION 'Not authorized to seed gym permissions' USING ERRCODE = 'KX403';
    END IF;

    INSERT INTO public.gym_role_permissions (gym_id, role, permission_key, is_allowed)
    SELECT _gym_id, r.role, d.permission_key, r.role = ANY (d.allowed_roles)
    FROM (VALUES
        ( 1, 'admin.members.manage',      ARRAY['leader', 'officer']::public.gym_role[]),
        ( 2, 'admin.roles.manage',        ARRAY['leader', 'officer']::public.gym_role[]),
        ( 3, 'gym.brand.manage',          ARRAY['leader', 'officer']::public.gym_role[]),
        ( 4, 'gym.features.manage',       ARRAY['leader', 'officer']::public.gym_role[]),
        ( 5, 'ops.classes.manage',        ARRAY['leader', 'officer', 'coach']::public.gym_role[]),
        ( 6, 'ops.waitlist.manage',       ARRAY['leader', 'officer', 'coach']::public.gym_role[]),
        ( 7, 'ops.checkins.manage',       ARRAY['leader', 'officer', 'coach']::public.gym_role[]),
        ( 8, 'programs.manage',           ARRAY['leader', 'officer', 'coach']::public.gym_role[]),
        ( 9, 'analytics.view',            ARRAY['leader', 'officer', 'coach']::public.gym_role[]),
        (10, 'ops.waivers.manage',        ARRAY['leader', 'officer']::public.gym_role[]),
        (11, 'staff.shifts.manage',       ARRAY['leader', 'officer']::public.gym_role[]),
        (12, 'staff.time_entries.manage', ARRAY['leader', 'officer']::public.gym_role[]),
        (13, 'crm.leads.manage',          ARRAY['leader', 'officer']::public.gym_role[]),
        (14, 'crm.members.export',        ARRAY['leader', 'officer']::public.gym_role[]),
        (15, 'support.manage',            ARRAY['leader', 'officer']::public.gym_role[]),
        (16, 'integrations.manage',       ARRAY['leader', 'officer']::public.gym_role[]),
        (17, 'billing.view',              ARRAY['leader', 'officer']::public.gym_role[]),
        (18, 'compliance.manage',         ARRAY['leader', 'officer']::public.gym_role[]),
        (19, 'billing.manage',            ARRAY['leader']::public.gym_role[])
    ) AS d(ord, permission_key, allowed_roles)
    CROSS JOIN unnest(enum_range(NULL::public.gym_role)) AS r(role)
    ORDER BY d.ord, r.role
    ON CONFLICT (gym_id, role, permission_key) DO NOTHING;
END
$$;

CREATE FUNCTION public.seed_default_gym_permissions_after_insert() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM public.seed_default_gym_permissions(NEW.id);
    RETURN NULL;
END
$$;
CREATE TRIGGER seed_default_gym_permissions_after_insert AFTER INSERT ON public.gyms
    FOR EACH ROW EXECUTE FUNCTION public.seed_default_gym_permissions_after_insert();

-- ---------------------------------------------------------------------------------------------
-- RLS for the RBAC tables (01 §4.1, §4.2)
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.gym_permission_catalog ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_permission_catalog_select ON public.gym_permission_catalog FOR SELECT TO authenticated
    USING (is_active OR public.is_service_role());
CREATE POLICY gym_permission_catalog_service_all ON public.gym_permission_catalog FOR ALL TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());

-- Writers: service, owner, or admin.roles.manage -- user_has_gym_permission covers all three.
ALTER TABLE public.gym_role_permissions ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_role_permissions_select ON public.gym_role_permissions FOR SELECT TO authenticated
    USING (public.is_service_role() OR public.can_manage_gym_config(gym_id));
CREATE POLICY gym_role_permissions_insert ON public.gym_role_permissions FOR INSERT TO authenticated
    WITH CHECK (public.user_has_gym_permission(gym_id, 'admin.roles.manage'));
CREATE POLICY gym_role_permissions_update ON public.gym_role_permissions FOR UPDATE TO authenticated
    USING (public.user_has_gym_permission(gym_id, 'admin.roles.manage'))
    WITH CHECK (public.user_has_gym_permission(gym_id, 'admin.roles.manage'));
CREATE POLICY gym_role_permissions_delete ON public.gym_role_permissions FOR DELETE TO authenticated
    USING (public.user_has_gym_permission(gym_id, 'admin.roles.manage'));

-- ... and nobody but the owner (or service) writes an override for themselves.
ALTER TABLE public.gym_user_permission_overrides ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_user_permission_overrides_select ON public.gym_user_permission_overrides FOR SELECT TO authenticated
    USING (public.is_service_role() OR public.can_manage_gym_config(gym_id) OR user_id = auth.uid());
CREATE POLICY gym_user_permission_overrides_insert ON public.gym_user_permission_overrides FOR INSERT TO authenticated
    WITH CHECK (public.user_has_gym_permission(gym_id, 'admin.roles.manage')
                AND (user_id IS DISTINCT FROM auth.uid() OR public.is_gym_owner(gym_id) OR public.is_service_role()));
CREATE POLICY gym_user_permission_overrides_update ON public.gym_user_permission_overrides FOR UPDATE TO authenticated
    USING (public.user_has_gym_permission(gym_id, 'admin.roles.manage')
           AND (user_id IS DISTINCT FROM auth.uid() OR public.is_gym_owner(gym_id) OR public.is_service_role()))
    WITH CHECK (public.user_has_gym_permission(gym_id, 'admin.roles.manage')
                AND (user_id IS DISTINCT FROM auth.uid() OR public.is_gym_owner(gym_id) OR public.is_service_role()));
CREATE POLICY gym_user_permission_overrides_delete ON public.gym_user_permission_overrides FOR DELETE TO authenticated
    USING (public.user_has_gym_permission(gym_id, 'admin.roles.manage')
           AND (user_id IS DISTINCT FROM auth.uid() OR public.is_gym_owner(gym_id) OR public.is_service_role()));

-- ---------------------------------------------------------------------------------------------
-- Membership rules (01 §2)
-- ---------------------------------------------------------------------------------------------
-- 0030_escalation_guards.sql replaces this function's body (01 §4.2: re-request reset, status laundering,
-- owner lock-out) and adds the rank rule on gym_role_permissions writes.
-- Departure from reference: members cannot promote their own membership role. Skipped for the
-- service role and for the gym owner. Trigger names fire alphabetically: guard_* runs before the
-- started_at fill and set_updated_at.
CREATE FUNCTION public.guard_gym_membership_write() RETURNS trigger
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
            RAISE EXCEPTION 'Permission admin.roles.manage is required to change membership roles' USING ERRCODE = 'KX403';
        END IF;
        RETURN NEW;
    END IF;

    -- UPDATE
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
        RETURN NEW;
    END IF;

    -- Another user's row. Interpretation: a membership never moves to another gym or user.
    IF (NEW.gym_id, NEW.user_id) IS DISTINCT FROM (OLD.gym_id, OLD.user_id) THEN
        RAISE EXCEPTION 'Membership gym and user cannot be changed' USING ERRCODE = 'KX403';
    END IF;
    IF NEW.role IS DISTINCT FROM OLD.role
       AND NOT public.user_has_gym_permission(OLD.gym_id, 'admin.roles.manage', v_uid) THEN
        RAISE EXCEPTION 'Permission admin.roles.manage is required to change membership roles' USING ERRCODE = 'KX403';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_gym_membership_write BEFORE INSERT OR UPDATE ON public.gym_memberships
    FOR EACH ROW EXECUTE FUNCTION public.guard_gym_membership_write();

-- Gap closure: entering trial/active with no started_at stamps it.
CREATE FUNCTION public.set_gym_membership_started_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF NEW.membership_status IN ('trial', 'active') AND NEW.started_at IS NULL
       AND (TG_OP = 'INSERT' OR OLD.membership_status IS DISTINCT FROM NEW.membership_status) THEN
        NEW.started_at := public.app_now();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER set_gym_membership_started_at BEFORE INSERT OR UPDATE ON public.gym_memberships
    FOR EACH ROW EXECUTE FUNCTION public.set_gym_membership_started_at();

-- Gap closure: membership.status_changed into the outbox (security-relevant, so the outbox trigger
-- adds the security.event_outbox audit row).
CREATE FUNCTION public.emit_membership_status_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
    VALUES ('membership.status_changed', 'gym_membership', NEW.id,
            jsonb_build_object(
                'membership_id', NEW.id,
                'gym_id', NEW.gym_id,
                'user_id', NEW.user_id,
                'previous_status', OLD.membership_status,
                'next_status', NEW.membership_status,
                'changed_by', auth.uid()));
    RETURN NULL;
END
$$;
CREATE TRIGGER emit_membership_status_changed AFTER UPDATE ON public.gym_memberships
    FOR EACH ROW WHEN (OLD.membership_status IS DISTINCT FROM NEW.membership_status)
    EXECUTE FUNCTION public.emit_membership_status_changed();

-- Role changes are audited with the transaction's audit note (kruxt.audit_note), if any.
CREATE FUNCTION public.audit_membership_role_changed() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM public.append_audit_log(
        'membership.role_changed', 'gym_memberships', NEW.id,
        nullif(btrim(coalesce(current_setting('kruxt.audit_note', true), '')), ''),
        jsonb_build_object(
            'gym_id', NEW.gym_id,
            'user_id', NEW.user_id,
            'previous_role', OLD.role,
            'next_role', NEW.role));
    RETURN NULL;
END
$$;
CREATE TRIGGER audit_membership_role_changed AFTER UPDATE ON public.gym_memberships
    FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role)
    EXECUTE FUNCTION public.audit_membership_role_changed();

-- 01 §2: role assignment with an audit note (members console, 03 §5). SECURITY INVOKER: RLS and
-- the guard trigger decide.
CREATE FUNCTION public.admin_assign_membership_role(
    p_membership_id uuid,
    p_role public.gym_role,
    p_audit_note text
) RETURNS public.gym_memberships
LANGUAGE plpgsql SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
    v_row public.gym_memberships;
BEGIN
    IF auth.uid() IS NULL AND NOT public.is_service_role() THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF char_length(btrim(coalesce(p_audit_note, ''))) < 5 THEN
        RAISE EXCEPTION 'Audit note is required for role changes' USING ERRCODE = 'KX422';
    END IF;
    PERFORM 1 FROM public.gym_memberships m WHERE m.id = p_membership_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Membership not found' USING ERRCODE = 'KX404';
    END IF;
    PERFORM set_config('kruxt.audit_note', btrim(p_audit_note), true);
    UPDATE public.gym_memberships m SET role = p_role
    WHERE m.id = p_membership_id
    RETURNING m.* INTO v_row;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Membership not found' USING ERRCODE = 'KX404';
    END IF;
    RETURN v_row;
END
$$;

-- Back-fill gyms that exist before this migration (none on a fresh database), as service.
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);
SELECT public.seed_default_gym_permissions(g.id) FROM public.gyms g;
SELECT set_config('request.jwt.claims', '', false);

RESET ROLE;
