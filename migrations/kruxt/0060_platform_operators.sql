-- KRUXT 0060: platform operator RBAC (12 §1; items 128, 129 for these tables).
--   platform_permission_catalog (10 keys) and platform_role_permissions (31 rows of the 12 §1.2 matrix) are a
--   catalogue and ship with this migration (00 §4); operator accounts are demo data (seed/0060).
--   platform_operator_has_permission: the real first-match evaluation replaces the area 02 placeholder of 0010
--   (CREATE OR REPLACE, same signature; the policies that call it keep pointing at it).
--   guard_platform_operator_write: the two gap closures of 12 §1.1.
-- Errors: KX403 'Only founders can grant the founder role', KX403 'Operators cannot change their own access'.
SET ROLE kruxt_owner;

CREATE TYPE public.platform_operator_role AS ENUM (
    'founder', 'ops_admin', 'support_admin', 'compliance_admin', 'analyst', 'read_only');

-- ---------------------------------------------------------------------------------------------
-- Tables (12 §1.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.platform_permission_catalog (
    permission_key text        PRIMARY KEY CHECK (permission_key = lower(permission_key)),
    category       text        NOT NULL,
    label          text        NOT NULL,
    description    text,
    is_sensitive   boolean     NOT NULL DEFAULT false,
    is_active      boolean     NOT NULL DEFAULT true,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at     timestamptz NOT NULL DEFAULT public.app_now()
);

CREATE TABLE public.platform_role_permissions (
    id             uuid                          PRIMARY KEY DEFAULT gen_random_uuid(),
    role           public.platform_operator_role NOT NULL,
    permission_key text                          NOT NULL REFERENCES public.platform_permission_catalog (permission_key) ON DELETE CASCADE,
    is_allowed     boolean                       NOT NULL DEFAULT false,
    metadata       jsonb                         NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz                   NOT NULL DEFAULT public.app_now(),
    updated_at     timestamptz                   NOT NULL DEFAULT public.app_now(),
    UNIQUE (role, permission_key)
);

CREATE TABLE public.platform_operator_accounts (
    user_id       uuid                          PRIMARY KEY REFERENCES public.profiles (id) ON DELETE CASCADE,
    role          public.platform_operator_role NOT NULL DEFAULT 'read_only',
    is_active     boolean                       NOT NULL DEFAULT true,
    mfa_required  boolean                       NOT NULL DEFAULT true,
    last_login_at timestamptz,
    created_by    uuid                          REFERENCES public.profiles (id) ON DELETE SET NULL,
    metadata      jsonb                         NOT NULL DEFAULT '{}'::jsonb,
    created_at    timestamptz                   NOT NULL DEFAULT public.app_now(),
    updated_at    timestamptz                   NOT NULL DEFAULT public.app_now()
);
CREATE INDEX platform_operator_accounts_role_idx ON public.platform_operator_accounts (role) WHERE is_active;

CREATE TABLE public.platform_operator_permission_overrides (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id        uuid        NOT NULL REFERENCES public.platform_operator_accounts (user_id) ON DELETE CASCADE,
    permission_key text        NOT NULL REFERENCES public.platform_permission_catalog (permission_key) ON DELETE CASCADE,
    is_allowed     boolean     NOT NULL,
    reason         text,
    updated_by     uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    metadata       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at     timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at     timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (user_id, permission_key)
);
CREATE INDEX platform_operator_permission_overrides_key_idx ON public.platform_operator_permission_overrides (permission_key);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.platform_permission_catalog
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.platform_role_permissions
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.platform_operator_accounts
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.platform_operator_permission_overrides
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Catalogue (12 §1.2): 10 keys and the role matrix (31 rows: ✓ = true, ✗ = row present with false,
-- no row = fallback deny)
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.platform_permission_catalog (permission_key, category, label, description, is_sensitive) VALUES
    ('platform.overview.read',          'platform',   'Read platform overview',       'Open the platform admin overview and its KPI figures', false),
    ('platform.operators.manage',       'platform',   'Manage operators',             'Create operator accounts, change roles and permission overrides', true),
    ('platform.flags.manage',           'platform',   'Manage feature overrides',     'Edit platform feature overrides and roll flags back', true),
    ('platform.support.access.request', 'support',    'Request gym support access',   'Ask a gym for delegated support access', true),
    ('platform.support.access.approve', 'support',    'Approve gym support access',   'Approve, deny or revoke delegated support access grants', true),
    ('platform.support.sessions.manage','support',    'Manage support sessions',      'Start and end delegated support sessions', true),
    ('platform.analytics.read',         'analytics',  'Read platform analytics',      'Read platform KPI snapshots and aggregate analytics', false),
    ('platform.data_governance.manage', 'data',       'Manage data governance',       'Manage data partners, products, grants and aggregation jobs', true),
    ('platform.data_exports.approve',   'data',       'Approve data exports',         'Approve partner data exports and their release approvals', true),
    ('platform.compliance.read',        'compliance', 'Read compliance evidence',     'Read the audit log, its integrity checks and moderation reports', true);

INSERT INTO public.platform_role_permissions (role, permission_key, is_allowed)
SELECT m.role::public.platform_operator_role, m.permission_key, m.is_allowed
FROM (VALUES
    ('founder',          'platform.overview.read',           true),
    ('ops_admin',        'platform.overview.read',           true),
    ('support_admin',    'platform.overview.read',           true),
    ('compliance_admin', 'platform.overview.read',           true),
    ('analyst',          'platform.overview.read',           true),
    ('read_only',        'platform.overview.read',           true),
    ('founder',          'platform.operators.manage',        true),
    ('founder',          'platform.flags.manage',            true),
    ('ops_admin',        'platform.flags.manage',            true),
    ('founder',          'platform.support.access.request',  true),
    ('ops_admin',        'platform.support.access.request',  true),
    ('support_admin',    'platform.support.access.request',  true),
    ('compliance_admin', 'platform.support.access.request',  true),
    ('founder',          'platform.support.access.approve',  true),
    ('support_admin',    'platform.support.access.approve',  false),
    ('compliance_admin', 'platform.support.access.approve',  true),
    ('founder',          'platform.support.sessions.manage', true),
    ('ops_admin',        'platform.support.sessions.manage', true),
    ('support_admin',    'platform.support.sessions.manage', true),
    ('founder',          'platform.analytics.read',          true),
    ('ops_admin',        'platform.analytics.read',          true),
    ('support_admin',    'platform.analytics.read',          true),
    ('compliance_admin', 'platform.analytics.read',          true),
    ('analyst',          'platform.analytics.read',          true),
    ('founder',          'platform.data_governance.manage',  true),
    ('compliance_admin', 'platform.data_governance.manage',  true),
    ('founder',          'platform.data_exports.approve',    true),
    ('compliance_admin', 'platform.data_exports.approve',    true),
    ('founder',          'platform.compliance.read',         true),
    ('ops_admin',        'platform.compliance.read',         true),
    ('compliance_admin', 'platform.compliance.read',         true)
) AS m(role, permission_key, is_allowed);

-- ---------------------------------------------------------------------------------------------
-- Functions (12 §1.3)
-- ---------------------------------------------------------------------------------------------
-- An active operator account exists for the viewer (the service is not an operator by itself).
CREATE FUNCTION public.is_platform_operator(_viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL
       AND EXISTS (SELECT 1 FROM public.platform_operator_accounts a WHERE a.user_id = _viewer AND a.is_active)
$$;

-- Item 128. First match wins: service -> true; no viewer -> false; no active account -> false (an inactive
-- operator has no permissions, overrides included); override (viewer, lower(key)) -> its value; role row ->
-- its value; otherwise -> false (deterministic fallback deny). Nothing is cached.
CREATE OR REPLACE FUNCTION public.platform_operator_has_permission(_permission_key text, _viewer uuid DEFAULT auth.uid())
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_key text := lower(_permission_key);
    v_role public.platform_operator_role;
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
    -- 3. active account
    SELECT a.role INTO v_role
    FROM public.platform_operator_accounts a
    WHERE a.user_id = _viewer AND a.is_active;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    -- 4. operator override
    SELECT o.is_allowed INTO v_allowed
    FROM public.platform_operator_permission_overrides o
    WHERE o.user_id = _viewer AND o.permission_key = v_key;
    IF FOUND THEN
        RETURN coalesce(v_allowed, false);
    END IF;
    -- 5. role permission
    SELECT rp.is_allowed INTO v_allowed
    FROM public.platform_role_permissions rp
    WHERE rp.role = v_role AND rp.permission_key = v_key;
    IF FOUND THEN
        RETURN coalesce(v_allowed, false);
    END IF;
    -- 6. deny
    RETURN false;
END
$$;

-- The role of a user's active operator account, null when none.
CREATE FUNCTION kruxt_internal.active_platform_role(_user_id uuid) RETURNS public.platform_operator_role
LANGUAGE sql STABLE
AS $$
    SELECT a.role FROM public.platform_operator_accounts a WHERE a.user_id = _user_id AND a.is_active
$$;

-- ---------------------------------------------------------------------------------------------
-- guard_platform_operator_write (12 §1.1 gap closures), BEFORE INSERT OR UPDATE OR DELETE on
-- platform_operator_accounts and platform_operator_permission_overrides. Judged by the caller's claims
-- (also inside SECURITY DEFINER code). The service passes; so does every caller without
-- platform.operators.manage (RLS refuses request roles; maintenance sessions without claims have no viewer).
-- The judgement never depends on the role claim being present: a request whose claims carry a sub but no role
-- is judged like any other. For the callers who hold platform.operators.manage:
--   * only an active founder may grant the founder role (insert or update to founder) or change a
--     founder's account (update or delete of a row whose role is founder) -- interpretation: also the
--     overrides of a founder's account, so a non-founder cannot lock a founder out with a deny override;
--   * a non-founder may not write their own account or overrides ("Operators cannot change their own access").
-- created_by (accounts, insert) and updated_by (overrides) are set to the caller.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.guard_platform_operator_write() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_caller_founder boolean;
    v_old_user uuid;
    v_new_user uuid;
    v_founder_touched boolean;
BEGIN
    IF public.is_service_role() THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    -- Callers without platform.operators.manage are RLS's to refuse (an INSERT's WITH CHECK runs after
    -- BEFORE triggers; UPDATE/DELETE never reach rows they cannot see): 42501 comes first.
    IF NOT public.platform_operator_has_permission('platform.operators.manage', v_uid) THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    v_caller_founder := coalesce(kruxt_internal.active_platform_role(v_uid) = 'founder', false);
    IF TG_OP <> 'INSERT' THEN
        v_old_user := OLD.user_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        v_new_user := NEW.user_id;
    END IF;

    IF TG_TABLE_NAME = 'platform_operator_accounts' THEN
        v_founder_touched := (TG_OP <> 'DELETE' AND NEW.role = 'founder'
                              AND (TG_OP = 'INSERT' OR OLD.role IS DISTINCT FROM NEW.role))
                          OR (TG_OP <> 'INSERT' AND OLD.role = 'founder');
    ELSE
        v_founder_touched := EXISTS (SELECT 1 FROM public.platform_operator_accounts a
                                     WHERE a.user_id IN (v_old_user, v_new_user) AND a.role = 'founder');
    END IF;
    IF v_founder_touched AND NOT v_caller_founder THEN
        RAISE EXCEPTION 'Only founders can grant the founder role' USING ERRCODE = 'KX403';
    END IF;
    IF NOT v_caller_founder AND (v_old_user = v_uid OR v_new_user = v_uid) THEN
        RAISE EXCEPTION 'Operators cannot change their own access' USING ERRCODE = 'KX403';
    END IF;

    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF TG_TABLE_NAME = 'platform_operator_accounts' THEN
        IF TG_OP = 'INSERT' THEN
            NEW.created_by := v_uid;
        END IF;
    ELSE
        NEW.updated_by := v_uid;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER guard_platform_operator_write
    BEFORE INSERT OR UPDATE OR DELETE ON public.platform_operator_accounts
    FOR EACH ROW EXECUTE FUNCTION public.guard_platform_operator_write();
CREATE TRIGGER guard_platform_operator_write
    BEFORE INSERT OR UPDATE OR DELETE ON public.platform_operator_permission_overrides
    FOR EACH ROW EXECUTE FUNCTION public.guard_platform_operator_write();

-- ---------------------------------------------------------------------------------------------
-- RLS (12 §1.1). "Perm(k)" = platform_operator_has_permission('platform.k'); every rule admits service.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.platform_permission_catalog ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_permission_catalog_select ON public.platform_permission_catalog FOR SELECT TO authenticated
    USING (public.is_service_role()
           OR public.platform_operator_has_permission('platform.operators.manage')
           OR (is_active AND public.is_platform_operator()));
CREATE POLICY platform_permission_catalog_manage ON public.platform_permission_catalog FOR ALL TO authenticated
    USING (public.is_service_role() OR public.platform_operator_has_permission('platform.operators.manage'))
    WITH CHECK (public.is_service_role() OR public.platform_operator_has_permission('platform.operators.manage'));

ALTER TABLE public.platform_role_permissions ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_role_permissions_select ON public.platform_role_permissions FOR SELECT TO authenticated
    USING (public.is_service_role()
           OR public.platform_operator_has_permission('platform.operators.manage')
           OR public.is_platform_operator());
CREATE POLICY platform_role_permissions_manage ON public.platform_role_permissions FOR ALL TO authenticated
    USING (public.is_service_role() OR public.platform_operator_has_permission('platform.operators.manage'))
    WITH CHECK (public.is_service_role() OR public.platform_operator_has_permission('platform.operators.manage'));

ALTER TABLE public.platform_operator_accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_operator_accounts_select ON public.platform_operator_accounts FOR SELECT TO authenticated
    USING (public.is_service_role() OR user_id = auth.uid()
           OR public.platform_operator_has_permission('platform.operators.manage'));
CREATE POLICY platform_operator_accounts_manage ON public.platform_operator_accounts FOR ALL TO authenticated
    USING (public.is_service_role() OR public.platform_operator_has_permission('platform.operators.manage'))
    WITH CHECK (public.is_service_role() OR public.platform_operator_has_permission('platform.operators.manage'));

ALTER TABLE public.platform_operator_permission_overrides ENABLE ROW LEVEL SECURITY;
CREATE POLICY platform_operator_permission_overrides_select ON public.platform_operator_permission_overrides FOR SELECT TO authenticated
    USING (public.is_service_role() OR user_id = auth.uid()
           OR public.platform_operator_has_permission('platform.operators.manage'));
CREATE POLICY platform_operator_permission_overrides_manage ON public.platform_operator_permission_overrides FOR ALL TO authenticated
    USING (public.is_service_role() OR public.platform_operator_has_permission('platform.operators.manage'))
    WITH CHECK (public.is_service_role() OR public.platform_operator_has_permission('platform.operators.manage'));

RESET ROLE;
