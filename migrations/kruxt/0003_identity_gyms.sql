-- KRUXT 0003: profiles, gyms, memberships, the gym access helpers, and the staff-only gym objects
-- (membership plans, waivers, contracts). Spec: 01-identity-gyms-rbac.md §1, §2 (tables and RLS),
-- §3, §5. The membership guard, RBAC and the permission seeding follow in 0004.
SET ROLE kruxt_owner;

CREATE TYPE public.rank_tier AS ENUM (
    'initiate', 'apprentice', 'trainee', 'grinder', 'forged', 'vanguard',
    'sentinel', 'warden', 'champion', 'paragon', 'titan', 'legend');
CREATE TYPE public.gym_role AS ENUM ('leader', 'officer', 'coach', 'member');
CREATE TYPE public.membership_status AS ENUM ('pending', 'trial', 'active', 'paused', 'cancelled');
CREATE TYPE public.billing_interval AS ENUM ('monthly', 'quarterly', 'yearly', 'dropin');

-- ---------------------------------------------------------------------------------------------
-- profiles (01 §1.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.profiles (
    id              uuid             PRIMARY KEY REFERENCES auth.users (id) ON DELETE CASCADE,
    username        text             NOT NULL UNIQUE CHECK (char_length(username) BETWEEN 3 AND 24),
    display_name    text             NOT NULL,
    avatar_url      text,
    bio             text,
    home_gym_id     uuid,
    is_public       boolean          NOT NULL DEFAULT true,
    xp_total        integer          NOT NULL DEFAULT 0 CHECK (xp_total >= 0),
    level           integer          NOT NULL DEFAULT 1 CHECK (level BETWEEN 1 AND 50),
    rank_tier       public.rank_tier NOT NULL DEFAULT 'initiate',
    chain_days      integer          NOT NULL DEFAULT 0 CHECK (chain_days >= 0),
    last_workout_at timestamptz,
    locale          text,
    preferred_units text             NOT NULL DEFAULT 'metric' CHECK (preferred_units IN ('metric', 'imperial')),
    created_at      timestamptz      NOT NULL DEFAULT public.app_now(),
    updated_at      timestamptz      NOT NULL DEFAULT public.app_now()
);

ALTER TABLE public.audit_logs
    ADD CONSTRAINT audit_logs_actor_user_id_fkey
    FOREIGN KEY (actor_user_id) REFERENCES public.profiles (id) ON DELETE SET NULL;

-- ---------------------------------------------------------------------------------------------
-- gyms (01 §1.2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.gyms (
    id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    slug                text        NOT NULL UNIQUE,
    name                text        NOT NULL,
    motto               text,
    description         text,
    sigil_url           text,
    banner_url          text,
    city                text,
    country_code        char(2),
    timezone            text        NOT NULL DEFAULT 'UTC',
    is_public           boolean     NOT NULL DEFAULT true,
    owner_user_id       uuid        NOT NULL REFERENCES auth.users (id) ON DELETE RESTRICT,
    payment_provider    text,
    provider_account_id text,
    payouts_enabled     boolean     DEFAULT false,
    charges_enabled     boolean     DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at          timestamptz NOT NULL DEFAULT public.app_now()
);
CREATE INDEX gyms_owner_user_id_idx ON public.gyms (owner_user_id);

ALTER TABLE public.profiles
    ADD CONSTRAINT profiles_home_gym_id_fkey
    FOREIGN KEY (home_gym_id) REFERENCES public.gyms (id) ON DELETE SET NULL;

-- ---------------------------------------------------------------------------------------------
-- gym_membership_plans (01 §5) -- before memberships, which reference them
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.gym_membership_plans (
    id                     uuid                    PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id                 uuid                    NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    name                   text                    NOT NULL,
    billing_cycle          public.billing_interval NOT NULL,
    price_cents            integer                 NOT NULL CHECK (price_cents >= 0),
    currency               char(3)                 NOT NULL DEFAULT 'USD',
    class_credits_per_cycle integer,
    trial_days             integer                 CHECK (trial_days IS NULL OR trial_days >= 0),
    cancel_policy          text,
    provider_product_id    text,
    provider_price_id      text,
    is_active              boolean                 NOT NULL DEFAULT true,
    created_at             timestamptz             NOT NULL DEFAULT public.app_now(),
    updated_at             timestamptz             NOT NULL DEFAULT public.app_now(),
    UNIQUE (gym_id, name)
);

-- ---------------------------------------------------------------------------------------------
-- gym_memberships (01 §2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.gym_memberships (
    id                 uuid                     PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id             uuid                     NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    user_id            uuid                     NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    role               public.gym_role          NOT NULL DEFAULT 'member',
    membership_status  public.membership_status NOT NULL DEFAULT 'pending',
    membership_plan_id uuid                     REFERENCES public.gym_membership_plans (id) ON DELETE SET NULL,
    started_at         timestamptz,
    ends_at            timestamptz,
    created_at         timestamptz              NOT NULL DEFAULT public.app_now(),
    updated_at         timestamptz              NOT NULL DEFAULT public.app_now(),
    UNIQUE (gym_id, user_id)
);
CREATE INDEX gym_memberships_user_id_idx ON public.gym_memberships (user_id);
CREATE INDEX gym_memberships_gym_status_idx ON public.gym_memberships (gym_id, membership_status);

-- ---------------------------------------------------------------------------------------------
-- waivers and contracts (01 §5)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.waivers (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id         uuid        NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    title          text        NOT NULL,
    policy_version text        NOT NULL,
    language_code  text        NOT NULL DEFAULT 'en',
    document_url   text        NOT NULL,
    is_active      boolean     NOT NULL DEFAULT true,
    effective_at   timestamptz NOT NULL DEFAULT public.app_now(),
    created_by     uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    created_at     timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at     timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (gym_id, title, policy_version)
);

CREATE TABLE public.contracts (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id         uuid        NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    title          text        NOT NULL,
    policy_version text        NOT NULL,
    language_code  text        NOT NULL DEFAULT 'en',
    document_url   text        NOT NULL,
    is_active      boolean     NOT NULL DEFAULT true,
    effective_at   timestamptz NOT NULL DEFAULT public.app_now(),
    created_by     uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    contract_type  text        NOT NULL DEFAULT 'membership',
    created_at     timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at     timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (gym_id, title, policy_version)
);

-- ---------------------------------------------------------------------------------------------
-- Gym access helpers (01 §3). STABLE SECURITY DEFINER; the viewer defaults to auth.uid().
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.is_gym_member(_gym_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.gym_memberships m
        WHERE m.gym_id = _gym_id AND m.user_id = _viewer
          AND m.membership_status IN ('trial', 'active'))
$$;

CREATE FUNCTION public.is_gym_staff(_gym_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.gym_memberships m
        WHERE m.gym_id = _gym_id AND m.user_id = _viewer
          AND m.membership_status IN ('trial', 'active')
          AND m.role IN ('leader', 'officer', 'coach'))
$$;

-- Not in the spec's list: a small helper for "the viewer is gyms.owner_user_id", used by policies
-- and triggers so they never depend on the caller's view of gyms.
CREATE FUNCTION public.is_gym_owner(_gym_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.gyms g WHERE g.id = _gym_id AND g.owner_user_id = _viewer)
$$;

CREATE FUNCTION public.can_view_gym(_gym_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT EXISTS (
        SELECT 1 FROM public.gyms g
        WHERE g.id = _gym_id AND (g.is_public OR public.is_gym_member(_gym_id, _viewer)))
$$;

CREATE FUNCTION public.can_manage_gym_config(_gym_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.gyms g
        WHERE g.id = _gym_id AND (g.owner_user_id = _viewer OR public.is_gym_staff(_gym_id, _viewer)))
$$;

-- ---------------------------------------------------------------------------------------------
-- Triggers
-- ---------------------------------------------------------------------------------------------
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.profiles
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.gyms
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.gym_membership_plans
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.gym_memberships
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.waivers
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.contracts
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- 01 §1.1 gap closure. SECURITY INVOKER on purpose: current_user tells a direct statement by a
-- request role apart from a write made inside a SECURITY DEFINER function (which runs as kruxt_owner).
CREATE FUNCTION public.guard_profile_progression() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF current_user::text NOT IN ('authenticated', 'anon') THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.xp_total := 0;
        NEW.level := 1;
        NEW.rank_tier := 'initiate';
        NEW.chain_days := 0;
        NEW.last_workout_at := NULL;
    ELSIF (NEW.xp_total, NEW.level, NEW.rank_tier, NEW.chain_days, NEW.last_workout_at)
          IS DISTINCT FROM (OLD.xp_total, OLD.level, OLD.rank_tier, OLD.chain_days, OLD.last_workout_at) THEN
        RAISE EXCEPTION 'Progression fields are system-managed' USING ERRCODE = 'KX403';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_profile_progression BEFORE INSERT OR UPDATE ON public.profiles
    FOR EACH ROW EXECUTE FUNCTION public.guard_profile_progression();

-- 01 §1.2 gap closure.
CREATE FUNCTION public.guard_gym_owner_fields() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF public.is_service_role() OR OLD.owner_user_id = auth.uid() THEN
        RETURN NEW;
    END IF;
    IF (NEW.owner_user_id, NEW.payment_provider, NEW.provider_account_id, NEW.payouts_enabled, NEW.charges_enabled)
       IS DISTINCT FROM
       (OLD.owner_user_id, OLD.payment_provider, OLD.provider_account_id, OLD.payouts_enabled, OLD.charges_enabled) THEN
        RAISE EXCEPTION 'Only the gym owner can change ownership or payout settings' USING ERRCODE = 'KX403';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_gym_owner_fields BEFORE UPDATE ON public.gyms
    FOR EACH ROW EXECUTE FUNCTION public.guard_gym_owner_fields();

-- ---------------------------------------------------------------------------------------------
-- Row-level security. Every policy targets authenticated and keeps an is_service_role() clause
-- (00 §3.1); service_role bypasses RLS anyway.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY profiles_select ON public.profiles FOR SELECT TO authenticated
    USING (is_public OR id = auth.uid() OR public.is_service_role());
CREATE POLICY profiles_insert ON public.profiles FOR INSERT TO authenticated
    WITH CHECK (id = auth.uid() OR public.is_service_role());
CREATE POLICY profiles_update ON public.profiles FOR UPDATE TO authenticated
    USING (id = auth.uid() OR public.is_service_role())
    WITH CHECK (id = auth.uid() OR public.is_service_role());
CREATE POLICY profiles_delete ON public.profiles FOR DELETE TO authenticated
    USING (id = auth.uid() OR public.is_service_role());

ALTER TABLE public.gyms ENABLE ROW LEVEL SECURITY;
CREATE POLICY gyms_select ON public.gyms FOR SELECT TO authenticated
    USING (is_public OR public.is_gym_member(id) OR owner_user_id = auth.uid() OR public.is_service_role());
CREATE POLICY gyms_insert ON public.gyms FOR INSERT TO authenticated
    WITH CHECK (owner_user_id = auth.uid() OR public.is_service_role());
CREATE POLICY gyms_update ON public.gyms FOR UPDATE TO authenticated
    USING (public.is_gym_staff(id) OR owner_user_id = auth.uid() OR public.is_service_role())
    WITH CHECK (public.is_gym_staff(id) OR owner_user_id = auth.uid() OR public.is_service_role());
CREATE POLICY gyms_delete ON public.gyms FOR DELETE TO authenticated
    USING (owner_user_id = auth.uid() OR public.is_service_role());

ALTER TABLE public.gym_memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_memberships_select ON public.gym_memberships FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_gym_owner(gym_id) OR public.is_service_role());
CREATE POLICY gym_memberships_insert ON public.gym_memberships FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_gym_owner(gym_id) OR public.is_service_role());
CREATE POLICY gym_memberships_update ON public.gym_memberships FOR UPDATE TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_gym_owner(gym_id) OR public.is_service_role())
    WITH CHECK (user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_gym_owner(gym_id) OR public.is_service_role());
-- DELETE: no policy (service only).

-- Staff-only gym objects (item 2): read if the gym is viewable, write if staff.
ALTER TABLE public.gym_membership_plans ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_membership_plans_select ON public.gym_membership_plans FOR SELECT TO authenticated
    USING (public.can_view_gym(gym_id) OR public.is_service_role());
CREATE POLICY gym_membership_plans_staff_all ON public.gym_membership_plans FOR ALL TO authenticated
    USING (public.is_gym_staff(gym_id) OR public.is_service_role())
    WITH CHECK (public.is_gym_staff(gym_id) OR public.is_service_role());

ALTER TABLE public.waivers ENABLE ROW LEVEL SECURITY;
CREATE POLICY waivers_select ON public.waivers FOR SELECT TO authenticated
    USING (public.can_view_gym(gym_id) OR public.is_service_role());
CREATE POLICY waivers_staff_all ON public.waivers FOR ALL TO authenticated
    USING (public.is_gym_staff(gym_id) OR public.is_service_role())
    WITH CHECK (public.is_gym_staff(gym_id) OR public.is_service_role());

ALTER TABLE public.contracts ENABLE ROW LEVEL SECURITY;
CREATE POLICY contracts_select ON public.contracts FOR SELECT TO authenticated
    USING (public.can_view_gym(gym_id) OR public.is_service_role());
CREATE POLICY contracts_staff_all ON public.contracts FOR ALL TO authenticated
    USING (public.is_gym_staff(gym_id) OR public.is_service_role())
    WITH CHECK (public.is_gym_staff(gym_id) OR public.is_service_role());

RESET ROLE;
