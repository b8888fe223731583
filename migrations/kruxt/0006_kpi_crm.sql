-- KRUXT 0006: gym KPI daily snapshots (01 §7, item 125) and CRM leads with activities
-- (01 §8, item 126).
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- gym_kpi_daily_snapshots
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.gym_kpi_daily_snapshots (
    id                        uuid         PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id                    uuid         NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    metric_date               date         NOT NULL,
    active_members            integer      NOT NULL DEFAULT 0 CHECK (active_members >= 0),
    new_memberships           integer      NOT NULL DEFAULT 0 CHECK (new_memberships >= 0),
    cancelled_memberships     integer      NOT NULL DEFAULT 0 CHECK (cancelled_memberships >= 0),
    checkins_count            integer      NOT NULL DEFAULT 0 CHECK (checkins_count >= 0),
    class_bookings_count      integer      NOT NULL DEFAULT 0 CHECK (class_bookings_count >= 0),
    class_attendance_count    integer      NOT NULL DEFAULT 0 CHECK (class_attendance_count >= 0),
    waitlist_promotions_count integer      NOT NULL DEFAULT 0 CHECK (waitlist_promotions_count >= 0),
    revenue_cents             integer      NOT NULL DEFAULT 0 CHECK (revenue_cents >= 0),
    mrr_cents                 integer      NOT NULL DEFAULT 0 CHECK (mrr_cents >= 0),
    average_class_fill_rate   numeric(5,2) CHECK (average_class_fill_rate IS NULL OR average_class_fill_rate BETWEEN 0 AND 100),
    average_chain_days        numeric(6,2) CHECK (average_chain_days IS NULL OR average_chain_days >= 0),
    metadata                  jsonb        NOT NULL DEFAULT '{}'::jsonb,
    created_at                timestamptz  NOT NULL DEFAULT public.app_now(),
    updated_at                timestamptz  NOT NULL DEFAULT public.app_now(),
    UNIQUE (gym_id, metric_date)
);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.gym_kpi_daily_snapshots
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.gym_kpi_daily_snapshots ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_kpi_daily_snapshots_select ON public.gym_kpi_daily_snapshots FOR SELECT TO authenticated
    USING (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'analytics.view'));
CREATE POLICY gym_kpi_daily_snapshots_insert ON public.gym_kpi_daily_snapshots FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role());
CREATE POLICY gym_kpi_daily_snapshots_update ON public.gym_kpi_daily_snapshots FOR UPDATE TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());
CREATE POLICY gym_kpi_daily_snapshots_delete ON public.gym_kpi_daily_snapshots FOR DELETE TO authenticated
    USING (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- CRM
-- ---------------------------------------------------------------------------------------------
CREATE TYPE public.crm_lead_status AS ENUM (
    'new', 'contacted', 'qualified', 'trial_scheduled', 'trial_completed', 'won', 'lost');

CREATE TABLE public.gym_crm_leads (
    id                      uuid                   PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id                  uuid                   NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    owner_user_id           uuid                   REFERENCES public.profiles (id) ON DELETE SET NULL,
    full_name               text                   NOT NULL,
    email                   text,
    phone                   text,
    source                  text                   NOT NULL DEFAULT 'walk_in',
    status                  public.crm_lead_status NOT NULL DEFAULT 'new',
    interested_services     text[]                 NOT NULL DEFAULT '{}',
    tags                    text[]                 NOT NULL DEFAULT '{}',
    trial_starts_at         timestamptz,
    trial_ends_at           timestamptz,
    converted_membership_id uuid                   REFERENCES public.gym_memberships (id) ON DELETE SET NULL,
    last_contacted_at       timestamptz,
    next_follow_up_at       timestamptz,
    notes                   text,
    metadata                jsonb                  NOT NULL DEFAULT '{}'::jsonb,
    created_by              uuid                   REFERENCES public.profiles (id) ON DELETE SET NULL,
    updated_by              uuid                   REFERENCES public.profiles (id) ON DELETE SET NULL,
    created_at              timestamptz            NOT NULL DEFAULT public.app_now(),
    updated_at              timestamptz            NOT NULL DEFAULT public.app_now()
);
CREATE INDEX gym_crm_leads_gym_status_idx ON public.gym_crm_leads (gym_id, status);

CREATE TABLE public.gym_crm_lead_activities (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    lead_id       uuid        NOT NULL REFERENCES public.gym_crm_leads (id) ON DELETE CASCADE,
    gym_id        uuid        NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    actor_user_id uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    activity_type text        NOT NULL CHECK (activity_type IN (
        'note', 'call', 'email', 'sms', 'meeting', 'trial_booked', 'trial_completed', 'status_change', 'conversion')),
    activity_at   timestamptz NOT NULL DEFAULT public.app_now(),
    summary       text        NOT NULL,
    details       text,
    created_at    timestamptz NOT NULL DEFAULT public.app_now()
);
CREATE INDEX gym_crm_lead_activities_lead_idx ON public.gym_crm_lead_activities (lead_id, activity_at);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.gym_crm_leads
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Gap closure: an activity belongs to its lead's gym.
CREATE FUNCTION public.validate_crm_lead_activity() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_lead_gym uuid;
BEGIN
    SELECT l.gym_id INTO v_lead_gym FROM public.gym_crm_leads l WHERE l.id = NEW.lead_id;
    IF FOUND AND v_lead_gym <> NEW.gym_id THEN
        RAISE EXCEPTION 'lead_id gym does not match gym_id' USING ERRCODE = 'KX422';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER validate_crm_lead_activity BEFORE INSERT OR UPDATE ON public.gym_crm_lead_activities
    FOR EACH ROW EXECUTE FUNCTION public.validate_crm_lead_activity();

ALTER TABLE public.gym_crm_leads ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_crm_leads_all ON public.gym_crm_leads FOR ALL TO authenticated
    USING (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'crm.leads.manage'))
    WITH CHECK (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'crm.leads.manage'));

ALTER TABLE public.gym_crm_lead_activities ENABLE ROW LEVEL SECURITY;
CREATE POLICY gym_crm_lead_activities_all ON public.gym_crm_lead_activities FOR ALL TO authenticated
    USING (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'crm.leads.manage'))
    WITH CHECK (public.is_service_role() OR public.user_has_gym_permission(gym_id, 'crm.leads.manage'));

RESET ROLE;
