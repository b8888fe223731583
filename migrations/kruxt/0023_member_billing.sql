-- KRUXT 0023: member billing, schema-ready (03 §1.7; items 83, 151): member_subscriptions, invoices,
-- payment_transactions, refunds, dunning_events and can_manage_subscription. The billing_live flag stays
-- off in the pilot; staff and service write these rows (no provider integration here).
SET ROLE kruxt_owner;

CREATE TYPE public.subscription_status AS ENUM (
    'incomplete', 'trialing', 'active', 'past_due', 'paused', 'canceled', 'unpaid');
CREATE TYPE public.payment_status AS ENUM (
    'draft', 'open', 'paid', 'void', 'uncollectible', 'refunded', 'partially_refunded', 'failed');
CREATE TYPE public.refund_status AS ENUM ('pending', 'succeeded', 'failed', 'canceled');
CREATE TYPE public.dunning_stage AS ENUM ('payment_failed', 'retry_1', 'retry_2', 'retry_3', 'final_notice', 'cancelled');

-- ---------------------------------------------------------------------------------------------
-- Tables. Interpretations: user_id of subscriptions cascades with the profile; invoices and payments
-- keep their rows with user_id set null (financial records; anonymization nulls payment users, 05 §6);
-- every table gets metadata, created_at and updated_at (00 §6.1).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.member_subscriptions (
    id                       uuid                       PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id                   uuid                       NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    user_id                  uuid                       NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    membership_plan_id       uuid                       REFERENCES public.gym_membership_plans (id) ON DELETE SET NULL,
    status                   public.subscription_status NOT NULL DEFAULT 'incomplete',
    provider                 text                       NOT NULL DEFAULT 'stripe',
    provider_customer_id     text,
    provider_subscription_id text                       UNIQUE,
    current_period_start     timestamptz,
    current_period_end       timestamptz,
    trial_ends_at            timestamptz,
    cancel_at                timestamptz,
    canceled_at              timestamptz,
    payment_method_last4     text                       CHECK (payment_method_last4 IS NULL OR payment_method_last4 ~ '^[0-9]{4}$'),
    payment_method_brand     text,
    metadata                 jsonb                      NOT NULL DEFAULT '{}'::jsonb,
    created_at               timestamptz                NOT NULL DEFAULT public.app_now(),
    updated_at               timestamptz                NOT NULL DEFAULT public.app_now(),
    CONSTRAINT member_subscriptions_period CHECK (
        current_period_start IS NULL OR current_period_end IS NULL OR current_period_end >= current_period_start)
);
CREATE INDEX member_subscriptions_gym_created_idx ON public.member_subscriptions (gym_id, created_at DESC, id DESC);
CREATE INDEX member_subscriptions_user_idx ON public.member_subscriptions (user_id, gym_id);
CREATE INDEX member_subscriptions_plan_idx ON public.member_subscriptions (membership_plan_id);

CREATE TABLE public.invoices (
    id                  uuid                  PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id     uuid                  REFERENCES public.member_subscriptions (id) ON DELETE SET NULL,
    gym_id              uuid                  NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    user_id             uuid                  REFERENCES public.profiles (id) ON DELETE SET NULL,
    provider_invoice_id text                  UNIQUE,
    status              public.payment_status NOT NULL DEFAULT 'draft',
    currency            char(3)               NOT NULL DEFAULT 'USD',
    subtotal_cents      integer               NOT NULL DEFAULT 0 CHECK (subtotal_cents >= 0),
    tax_cents           integer               NOT NULL DEFAULT 0 CHECK (tax_cents >= 0),
    total_cents         integer               NOT NULL DEFAULT 0 CHECK (total_cents >= 0),
    amount_paid_cents   integer               NOT NULL DEFAULT 0 CHECK (amount_paid_cents >= 0),
    amount_due_cents    integer               NOT NULL DEFAULT 0 CHECK (amount_due_cents >= 0),
    due_at              timestamptz,
    paid_at             timestamptz,
    invoice_pdf_url     text,
    metadata            jsonb                 NOT NULL DEFAULT '{}'::jsonb,
    created_at          timestamptz           NOT NULL DEFAULT public.app_now(),
    updated_at          timestamptz           NOT NULL DEFAULT public.app_now()
);
CREATE INDEX invoices_gym_created_idx ON public.invoices (gym_id, created_at DESC, id DESC);
CREATE INDEX invoices_subscription_idx ON public.invoices (subscription_id);
CREATE INDEX invoices_user_idx ON public.invoices (user_id);

CREATE TABLE public.payment_transactions (
    id                         uuid                  PRIMARY KEY DEFAULT gen_random_uuid(),
    invoice_id                 uuid                  REFERENCES public.invoices (id) ON DELETE SET NULL,
    subscription_id            uuid                  REFERENCES public.member_subscriptions (id) ON DELETE SET NULL,
    gym_id                     uuid                  NOT NULL REFERENCES public.gyms (id) ON DELETE CASCADE,
    user_id                    uuid                  REFERENCES public.profiles (id) ON DELETE SET NULL,
    provider                   text                  NOT NULL DEFAULT 'stripe',
    provider_payment_intent_id text,
    provider_charge_id         text                  UNIQUE,
    status                     public.payment_status NOT NULL DEFAULT 'open',
    payment_method_type        text,
    amount_cents               integer               NOT NULL CHECK (amount_cents >= 0),
    fee_cents                  integer               NOT NULL DEFAULT 0 CHECK (fee_cents >= 0),
    tax_cents                  integer               NOT NULL DEFAULT 0 CHECK (tax_cents >= 0),
    net_cents                  integer               GENERATED ALWAYS AS (amount_cents - fee_cents - tax_cents) STORED,
    currency                   char(3)               NOT NULL DEFAULT 'USD',
    failure_code               text,
    failure_message            text,
    captured_at                timestamptz,
    metadata                   jsonb                 NOT NULL DEFAULT '{}'::jsonb,
    created_at                 timestamptz           NOT NULL DEFAULT public.app_now(),
    updated_at                 timestamptz           NOT NULL DEFAULT public.app_now()
);
CREATE INDEX payment_transactions_gym_created_idx ON public.payment_transactions (gym_id, created_at DESC, id DESC);
CREATE INDEX payment_transactions_invoice_idx ON public.payment_transactions (invoice_id);
CREATE INDEX payment_transactions_subscription_idx ON public.payment_transactions (subscription_id);
CREATE INDEX payment_transactions_user_idx ON public.payment_transactions (user_id);

CREATE TABLE public.refunds (
    id                     uuid                 PRIMARY KEY DEFAULT gen_random_uuid(),
    payment_transaction_id uuid                 NOT NULL REFERENCES public.payment_transactions (id) ON DELETE CASCADE,
    provider_refund_id     text                 UNIQUE,
    status                 public.refund_status NOT NULL DEFAULT 'pending',
    amount_cents           integer              NOT NULL CHECK (amount_cents >= 0),
    currency               char(3)              NOT NULL DEFAULT 'USD',
    reason                 text,
    processed_at           timestamptz,
    metadata               jsonb                NOT NULL DEFAULT '{}'::jsonb,
    created_at             timestamptz          NOT NULL DEFAULT public.app_now(),
    updated_at             timestamptz          NOT NULL DEFAULT public.app_now()
);
CREATE INDEX refunds_payment_transaction_idx ON public.refunds (payment_transaction_id, created_at DESC);

CREATE TABLE public.dunning_events (
    id              uuid                 PRIMARY KEY DEFAULT gen_random_uuid(),
    subscription_id uuid                 NOT NULL REFERENCES public.member_subscriptions (id) ON DELETE CASCADE,
    invoice_id      uuid                 REFERENCES public.invoices (id) ON DELETE SET NULL,
    stage           public.dunning_stage NOT NULL,
    attempt_number  integer              NOT NULL DEFAULT 1 CHECK (attempt_number >= 1),
    scheduled_for   timestamptz,
    sent_at         timestamptz,
    result          text,
    note            text,
    metadata        jsonb                NOT NULL DEFAULT '{}'::jsonb,
    created_at      timestamptz          NOT NULL DEFAULT public.app_now(),
    updated_at      timestamptz          NOT NULL DEFAULT public.app_now()
);
CREATE INDEX dunning_events_subscription_idx ON public.dunning_events (subscription_id, created_at DESC);
CREATE INDEX dunning_events_invoice_idx ON public.dunning_events (invoice_id);

CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.member_subscriptions
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.invoices
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.payment_transactions
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.refunds
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.dunning_events
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Addition (not in the spec): references between billing rows stay inside one gym, so staff of one gym
-- cannot hang their rows on another gym's subscription or invoice (FK checks ignore RLS). Checked for
-- every writer, service included; database side of ADMIN_DUNNING_GYM_MISMATCH and friends.
CREATE FUNCTION public.validate_member_billing_refs() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_row jsonb := to_jsonb(NEW);
    v_gym_id uuid;
    v_sub uuid := (v_row ->> 'subscription_id')::uuid;
    v_inv uuid := (v_row ->> 'invoice_id')::uuid;
BEGIN
    IF TG_TABLE_NAME = 'dunning_events' THEN
        SELECT s.gym_id INTO v_gym_id FROM public.member_subscriptions s WHERE s.id = v_sub;
    ELSE
        v_gym_id := (v_row ->> 'gym_id')::uuid;
        IF v_sub IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM public.member_subscriptions s WHERE s.id = v_sub AND s.gym_id = v_gym_id) THEN
            RAISE EXCEPTION 'subscription_id gym does not match gym_id' USING ERRCODE = 'KX422';
        END IF;
    END IF;
    IF v_inv IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM public.invoices i WHERE i.id = v_inv AND i.gym_id = v_gym_id) THEN
        RAISE EXCEPTION 'invoice_id gym does not match gym_id' USING ERRCODE = 'KX422';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER validate_member_billing_refs BEFORE INSERT OR UPDATE OF gym_id, subscription_id ON public.invoices
    FOR EACH ROW EXECUTE FUNCTION public.validate_member_billing_refs();
CREATE TRIGGER validate_member_billing_refs BEFORE INSERT OR UPDATE OF gym_id, subscription_id, invoice_id ON public.payment_transactions
    FOR EACH ROW EXECUTE FUNCTION public.validate_member_billing_refs();
CREATE TRIGGER validate_member_billing_refs BEFORE INSERT OR UPDATE OF subscription_id, invoice_id ON public.dunning_events
    FOR EACH ROW EXECUTE FUNCTION public.validate_member_billing_refs();

-- ---------------------------------------------------------------------------------------------
-- can_manage_subscription (03 §1.7): the subscription's owner or staff of its gym.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.can_manage_subscription(_subscription_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.member_subscriptions s
        WHERE s.id = _subscription_id AND (s.user_id = _viewer OR public.is_gym_staff(s.gym_id, _viewer)))
$$;

-- Added helpers for the child tables' policies (SECURITY DEFINER, so they do not depend on the caller's
-- view of the parent row).
CREATE FUNCTION public.is_subscription_gym_staff(_subscription_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.member_subscriptions s
        WHERE s.id = _subscription_id AND public.is_gym_staff(s.gym_id, _viewer))
$$;

CREATE FUNCTION public.can_view_payment_transaction(_payment_transaction_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.payment_transactions t
        WHERE t.id = _payment_transaction_id
          AND ((t.user_id IS NOT NULL AND t.user_id = _viewer) OR public.is_gym_staff(t.gym_id, _viewer)))
$$;

CREATE FUNCTION public.is_payment_transaction_gym_staff(_payment_transaction_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.payment_transactions t
        WHERE t.id = _payment_transaction_id AND public.is_gym_staff(t.gym_id, _viewer))
$$;

-- ---------------------------------------------------------------------------------------------
-- RLS (03 §1.7, §1.8): SELECT self or staff; INSERT/UPDATE/DELETE service or staff.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.member_subscriptions ENABLE ROW LEVEL SECURITY;
CREATE POLICY member_subscriptions_select ON public.member_subscriptions FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_staff(gym_id) OR public.is_service_role());
CREATE POLICY member_subscriptions_staff_all ON public.member_subscriptions FOR ALL TO authenticated
    USING (public.is_gym_staff(gym_id) OR public.is_service_role())
    WITH CHECK (public.is_gym_staff(gym_id) OR public.is_service_role());

ALTER TABLE public.invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoices_select ON public.invoices FOR SELECT TO authenticated
    USING ((user_id IS NOT NULL AND user_id = auth.uid()) OR public.is_gym_staff(gym_id) OR public.is_service_role());
CREATE POLICY invoices_staff_all ON public.invoices FOR ALL TO authenticated
    USING (public.is_gym_staff(gym_id) OR public.is_service_role())
    WITH CHECK (public.is_gym_staff(gym_id) OR public.is_service_role());

ALTER TABLE public.payment_transactions ENABLE ROW LEVEL SECURITY;
CREATE POLICY payment_transactions_select ON public.payment_transactions FOR SELECT TO authenticated
    USING ((user_id IS NOT NULL AND user_id = auth.uid()) OR public.is_gym_staff(gym_id) OR public.is_service_role());
CREATE POLICY payment_transactions_staff_all ON public.payment_transactions FOR ALL TO authenticated
    USING (public.is_gym_staff(gym_id) OR public.is_service_role())
    WITH CHECK (public.is_gym_staff(gym_id) OR public.is_service_role());

ALTER TABLE public.refunds ENABLE ROW LEVEL SECURITY;
CREATE POLICY refunds_select ON public.refunds FOR SELECT TO authenticated
    USING (public.can_view_payment_transaction(payment_transaction_id) OR public.is_service_role());
CREATE POLICY refunds_staff_all ON public.refunds FOR ALL TO authenticated
    USING (public.is_payment_transaction_gym_staff(payment_transaction_id) OR public.is_service_role())
    WITH CHECK (public.is_payment_transaction_gym_staff(payment_transaction_id) OR public.is_service_role());

ALTER TABLE public.dunning_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY dunning_events_select ON public.dunning_events FOR SELECT TO authenticated
    USING (public.can_manage_subscription(subscription_id) OR public.is_service_role());
CREATE POLICY dunning_events_staff_all ON public.dunning_events FOR ALL TO authenticated
    USING (public.is_subscription_gym_staff(subscription_id) OR public.is_service_role())
    WITH CHECK (public.is_subscription_gym_staff(subscription_id) OR public.is_service_role());

RESET ROLE;
