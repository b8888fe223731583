-- KRUXT 0022: waiver and contract acceptances, immutable evidence (03 §1.6, §2.3; items 16, 87).
-- Departure from reference: both tables carry reject_mutation_immutable_table() as a row trigger and as a
-- statement trigger (00 §6.3), so UPDATE, DELETE and TRUNCATE raise for every role even when RLS hides
-- every row. The exceptions live in the triggers' WHEN clauses:
--   * UPDATE by the service role with kruxt.evidence_scrub = 'on' (set transaction-locally by
--     apply_user_anonymization, area 05) that only sets ip_address and user_agent to null and
--     signature_data to '{}' (the scrub, 03 §1.6);
--   * UPDATE by the service role that only sets gym_membership_id to null (interpretation: the FK's
--     ON DELETE SET NULL when the service purges a membership; without it the declared set-null could
--     never run);
--   * DELETE by the service role (cascades from service-side purges).
-- TRUNCATE always raises. Re-accepting returns the existing id and never overwrites anything.
-- The statement triggers judge statements a caller issues (pg_trigger_depth() = 0): a direct UPDATE or
-- DELETE by anyone but service raises even when it matches no visible row. A statement that a foreign key
-- issues on its own (ON DELETE CASCADE / SET NULL of a parent row, trigger depth > 0) is left to the row
-- triggers, so deleting a waiver nobody accepted still works, while a cascade that would remove or change
-- an acceptance raises unless it runs as service.
SET ROLE kruxt_owner;

CREATE TABLE public.waiver_acceptances (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    waiver_id         uuid        NOT NULL REFERENCES public.waivers (id) ON DELETE CASCADE,
    user_id           uuid        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    gym_membership_id uuid        REFERENCES public.gym_memberships (id) ON DELETE SET NULL,
    accepted_at       timestamptz NOT NULL DEFAULT public.app_now(),
    source            text        NOT NULL DEFAULT 'mobile',
    locale            text,
    ip_address        text,
    user_agent        text,
    signature_data    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (waiver_id, user_id)
);
CREATE INDEX waiver_acceptances_user_idx ON public.waiver_acceptances (user_id);
CREATE INDEX waiver_acceptances_membership_idx ON public.waiver_acceptances (gym_membership_id);
CREATE INDEX waiver_acceptances_waiver_accepted_idx ON public.waiver_acceptances (waiver_id, accepted_at DESC);

CREATE TABLE public.contract_acceptances (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    contract_id       uuid        NOT NULL REFERENCES public.contracts (id) ON DELETE CASCADE,
    user_id           uuid        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    gym_membership_id uuid        REFERENCES public.gym_memberships (id) ON DELETE SET NULL,
    accepted_at       timestamptz NOT NULL DEFAULT public.app_now(),
    source            text        NOT NULL DEFAULT 'mobile',
    locale            text,
    ip_address        text,
    user_agent        text,
    signature_data    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (contract_id, user_id)
);
CREATE INDEX contract_acceptances_user_idx ON public.contract_acceptances (user_id);
CREATE INDEX contract_acceptances_membership_idx ON public.contract_acceptances (gym_membership_id);
CREATE INDEX contract_acceptances_contract_accepted_idx ON public.contract_acceptances (contract_id, accepted_at DESC);

-- ---------------------------------------------------------------------------------------------
-- The permitted changes (WHEN clauses of the immutability triggers)
-- ---------------------------------------------------------------------------------------------
-- Statement level: an UPDATE or DELETE statement may be issued only by service (what it changes is
-- judged per row); statements issued by a foreign-key action (trigger depth > 0) pass to the row triggers.
CREATE FUNCTION public.evidence_statement_allowed() RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT public.is_service_role() OR pg_trigger_depth() > 0
$$;

-- Row level: the scrub (service + kruxt.evidence_scrub = 'on') or the membership set-null (service).
-- Works for both acceptance tables (their rows compared as jsonb, id and document columns included).
CREATE FUNCTION public.evidence_update_row_allowed(p_old jsonb, p_new jsonb) RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT public.is_service_role() AND (
        (   coalesce(current_setting('kruxt.evidence_scrub', true), '') = 'on'
            AND (p_new ->> 'ip_address') IS NULL
            AND (p_new ->> 'user_agent') IS NULL
            AND (p_new -> 'signature_data') = '{}'::jsonb
            AND (p_old - 'ip_address' - 'user_agent' - 'signature_data')
              = (p_new - 'ip_address' - 'user_agent' - 'signature_data'))
        OR
        (   (p_new ->> 'gym_membership_id') IS NULL
            AND (p_old - 'gym_membership_id') = (p_new - 'gym_membership_id')))
$$;

CREATE TRIGGER reject_mutation_immutable_table_update
    BEFORE UPDATE ON public.waiver_acceptances
    FOR EACH ROW WHEN (NOT public.evidence_update_row_allowed(to_jsonb(OLD), to_jsonb(NEW)))
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_delete
    BEFORE DELETE ON public.waiver_acceptances
    FOR EACH ROW WHEN (NOT public.is_service_role())
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_update_statement
    BEFORE UPDATE ON public.waiver_acceptances
    FOR EACH STATEMENT WHEN (NOT public.evidence_statement_allowed())
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_delete_statement
    BEFORE DELETE ON public.waiver_acceptances
    FOR EACH STATEMENT WHEN (NOT public.evidence_statement_allowed())
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_truncate
    BEFORE TRUNCATE ON public.waiver_acceptances
    FOR EACH STATEMENT EXECUTE FUNCTION public.reject_mutation_immutable_table();

CREATE TRIGGER reject_mutation_immutable_table_update
    BEFORE UPDATE ON public.contract_acceptances
    FOR EACH ROW WHEN (NOT public.evidence_update_row_allowed(to_jsonb(OLD), to_jsonb(NEW)))
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_delete
    BEFORE DELETE ON public.contract_acceptances
    FOR EACH ROW WHEN (NOT public.is_service_role())
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_update_statement
    BEFORE UPDATE ON public.contract_acceptances
    FOR EACH STATEMENT WHEN (NOT public.evidence_statement_allowed())
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_delete_statement
    BEFORE DELETE ON public.contract_acceptances
    FOR EACH STATEMENT WHEN (NOT public.evidence_statement_allowed())
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_truncate
    BEFORE TRUNCATE ON public.contract_acceptances
    FOR EACH STATEMENT EXECUTE FUNCTION public.reject_mutation_immutable_table();

-- ---------------------------------------------------------------------------------------------
-- Direct inserts by request roles ("members may accept a contract by direct insert")
-- ---------------------------------------------------------------------------------------------
-- Addition: a direct insert by a request role (not via the RPCs, which run as the owner) gets the same
-- checks as the RPC: the document must be active, a given membership must be the user's membership in
-- the document's gym; accepted_at/created_at are the clock's (no back-dating); locale defaults to the
-- claims' locale or 'en'.
CREATE FUNCTION public.guard_acceptance_direct_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_gym_id uuid;
    v_active boolean;
    v_doc text;
BEGIN
    IF public.is_service_role() THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'waiver_acceptances' THEN
        v_doc := 'Waiver';
        SELECT d.gym_id, d.is_active INTO v_gym_id, v_active FROM public.waivers d WHERE d.id = (to_jsonb(NEW) ->> 'waiver_id')::uuid;
    ELSE
        v_doc := 'Contract';
        SELECT d.gym_id, d.is_active INTO v_gym_id, v_active FROM public.contracts d WHERE d.id = (to_jsonb(NEW) ->> 'contract_id')::uuid;
    END IF;
    IF NOT coalesce(v_active, false) THEN
        RAISE EXCEPTION '% is not active', v_doc USING ERRCODE = 'KX409';
    END IF;
    IF NEW.gym_membership_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM public.gym_memberships m
        WHERE m.id = NEW.gym_membership_id AND m.gym_id = v_gym_id AND m.user_id = NEW.user_id) THEN
        RAISE EXCEPTION 'Membership id does not match target user and gym' USING ERRCODE = 'KX422';
    END IF;
    NEW.accepted_at := public.app_now();
    NEW.created_at := public.app_now();
    NEW.locale := coalesce(nullif(btrim(NEW.locale), ''), nullif(auth.jwt() ->> 'locale', ''), 'en');
    NEW.signature_data := coalesce(NEW.signature_data, '{}'::jsonb);
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_acceptance_direct_insert BEFORE INSERT ON public.waiver_acceptances
    FOR EACH ROW WHEN (current_user::text IN ('authenticated', 'anon'))
    EXECUTE FUNCTION public.guard_acceptance_direct_insert();
CREATE TRIGGER guard_acceptance_direct_insert BEFORE INSERT ON public.contract_acceptances
    FOR EACH ROW WHEN (current_user::text IN ('authenticated', 'anon'))
    EXECUTE FUNCTION public.guard_acceptance_direct_insert();

-- ---------------------------------------------------------------------------------------------
-- RLS: SELECT own rows or staff of the document's gym; INSERT own rows; no UPDATE/DELETE policies.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.is_waiver_gym_staff(_waiver_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.waivers d WHERE d.id = _waiver_id AND public.is_gym_staff(d.gym_id, _viewer))
$$;

CREATE FUNCTION public.is_contract_gym_staff(_contract_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND EXISTS (
        SELECT 1 FROM public.contracts d WHERE d.id = _contract_id AND public.is_gym_staff(d.gym_id, _viewer))
$$;

ALTER TABLE public.waiver_acceptances ENABLE ROW LEVEL SECURITY;
CREATE POLICY waiver_acceptances_select ON public.waiver_acceptances FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_waiver_gym_staff(waiver_id) OR public.is_service_role());
CREATE POLICY waiver_acceptances_insert ON public.waiver_acceptances FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());

ALTER TABLE public.contract_acceptances ENABLE ROW LEVEL SECURITY;
CREATE POLICY contract_acceptances_select ON public.contract_acceptances FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_contract_gym_staff(contract_id) OR public.is_service_role());
CREATE POLICY contract_acceptances_insert ON public.contract_acceptances FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- RPCs (03 §2.3)
-- ---------------------------------------------------------------------------------------------
-- record_waiver_acceptance: the member accepts for themselves. Interpretations: a missing waiver reads as
-- 'Waiver is not active'; a given p_membership_id must be the caller's membership in the waiver's gym
-- ('Membership id does not match target user and gym', as in the admin RPC).
CREATE FUNCTION public.record_waiver_acceptance(
    p_waiver_id uuid,
    p_membership_id uuid DEFAULT NULL,
    p_signature_data jsonb DEFAULT '{}'::jsonb
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_waiver public.waivers;
    v_id uuid;
BEGIN
    IF v_uid IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    SELECT d.* INTO v_waiver FROM public.waivers d WHERE d.id = p_waiver_id;
    IF NOT FOUND OR NOT v_waiver.is_active THEN
        RAISE EXCEPTION 'Waiver is not active' USING ERRCODE = 'KX409';
    END IF;

    SELECT a.id INTO v_id FROM public.waiver_acceptances a WHERE a.waiver_id = p_waiver_id AND a.user_id = v_uid;
    IF FOUND THEN
        RETURN v_id;   -- idempotent: the first acceptance stands, nothing is overwritten
    END IF;

    IF p_membership_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM public.gym_memberships m
        WHERE m.id = p_membership_id AND m.gym_id = v_waiver.gym_id AND m.user_id = v_uid) THEN
        RAISE EXCEPTION 'Membership id does not match target user and gym' USING ERRCODE = 'KX422';
    END IF;

    INSERT INTO public.waiver_acceptances (waiver_id, user_id, gym_membership_id, accepted_at, source, locale,
                                           signature_data, created_at)
    VALUES (p_waiver_id, v_uid, p_membership_id, public.app_now(), 'mobile',
            coalesce(nullif(auth.jwt() ->> 'locale', ''), 'en'), coalesce(p_signature_data, '{}'::jsonb), public.app_now())
    ON CONFLICT (waiver_id, user_id) DO NOTHING
    RETURNING id INTO v_id;
    IF v_id IS NULL THEN
        -- a concurrent call of the same user won the race: return its row unchanged
        SELECT a.id INTO v_id FROM public.waiver_acceptances a WHERE a.waiver_id = p_waiver_id AND a.user_id = v_uid;
        RETURN v_id;
    END IF;

    PERFORM public.append_audit_log('waiver.accepted', 'waiver_acceptances', v_id, NULL,
                                    jsonb_build_object('waiver_id', p_waiver_id));
    RETURN v_id;
END
$$;

-- Shared body of the two admin RPCs, in kruxt_internal (request roles have no USAGE there); it runs with
-- the rights of its SECURITY DEFINER callers. p_kind: 'waiver' | 'contract'.
CREATE FUNCTION kruxt_internal.record_document_acceptance(
    p_kind text,
    p_document_id uuid,
    p_user_id uuid,
    p_membership_id uuid,
    p_signature_data jsonb,
    p_source text
) RETURNS uuid
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
    v_doc text := CASE p_kind WHEN 'waiver' THEN 'Waiver' ELSE 'Contract' END;
    v_gym_id uuid;
    v_active boolean;
    v_id uuid;
    v_source text := coalesce(nullif(btrim(p_source), ''), 'admin');
    v_locale text := coalesce(nullif(auth.jwt() ->> 'locale', ''), 'en');
BEGIN
    IF auth.uid() IS NULL AND NOT public.is_service_role() THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF p_kind = 'waiver' THEN
        SELECT d.gym_id, d.is_active INTO v_gym_id, v_active FROM public.waivers d WHERE d.id = p_document_id;
    ELSE
        SELECT d.gym_id, d.is_active INTO v_gym_id, v_active FROM public.contracts d WHERE d.id = p_document_id;
    END IF;
    IF NOT coalesce(v_active, false) THEN
        RAISE EXCEPTION '% is not active', v_doc USING ERRCODE = 'KX409';
    END IF;
    IF NOT (public.is_service_role() OR public.is_gym_staff(v_gym_id)) THEN
        RAISE EXCEPTION 'Gym staff access is required' USING ERRCODE = 'KX403';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.gym_memberships m WHERE m.gym_id = v_gym_id AND m.user_id = p_user_id) THEN
        RAISE EXCEPTION 'Target user is not a member of this gym' USING ERRCODE = 'KX422';
    END IF;
    IF p_membership_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM public.gym_memberships m
        WHERE m.id = p_membership_id AND m.gym_id = v_gym_id AND m.user_id = p_user_id) THEN
        RAISE EXCEPTION 'Membership id does not match target user and gym' USING ERRCODE = 'KX422';
    END IF;

    IF p_kind = 'waiver' THEN
        INSERT INTO public.waiver_acceptances (waiver_id, user_id, gym_membership_id, accepted_at, source, locale,
                                               signature_data, created_at)
        VALUES (p_document_id, p_user_id, p_membership_id, public.app_now(), v_source, v_locale,
                coalesce(p_signature_data, '{}'::jsonb), public.app_now())
        ON CONFLICT (waiver_id, user_id) DO NOTHING
        RETURNING id INTO v_id;
        IF v_id IS NULL THEN
            SELECT a.id INTO v_id FROM public.waiver_acceptances a WHERE a.waiver_id = p_document_id AND a.user_id = p_user_id;
            RETURN v_id;
        END IF;
        PERFORM public.append_audit_log('waiver.accepted_admin', 'waiver_acceptances', v_id, NULL,
                                        jsonb_build_object('waiver_id', p_document_id, 'user_id', p_user_id));
    ELSE
        INSERT INTO public.contract_acceptances (contract_id, user_id, gym_membership_id, accepted_at, source, locale,
                                                 signature_data, created_at)
        VALUES (p_document_id, p_user_id, p_membership_id, public.app_now(), v_source, v_locale,
                coalesce(p_signature_data, '{}'::jsonb), public.app_now())
        ON CONFLICT (contract_id, user_id) DO NOTHING
        RETURNING id INTO v_id;
        IF v_id IS NULL THEN
            SELECT a.id INTO v_id FROM public.contract_acceptances a WHERE a.contract_id = p_document_id AND a.user_id = p_user_id;
            RETURN v_id;
        END IF;
        PERFORM public.append_audit_log('contract.accepted_admin', 'contract_acceptances', v_id, NULL,
                                        jsonb_build_object('contract_id', p_document_id, 'user_id', p_user_id));
    END IF;
    RETURN v_id;
END
$$;

CREATE FUNCTION public.admin_record_waiver_acceptance(
    p_waiver_id uuid,
    p_user_id uuid,
    p_membership_id uuid DEFAULT NULL,
    p_signature_data jsonb DEFAULT '{}'::jsonb,
    p_source text DEFAULT 'admin'
) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT kruxt_internal.record_document_acceptance('waiver', p_waiver_id, p_user_id, p_membership_id, p_signature_data, p_source)
$$;

CREATE FUNCTION public.admin_record_contract_acceptance(
    p_contract_id uuid,
    p_user_id uuid,
    p_membership_id uuid DEFAULT NULL,
    p_signature_data jsonb DEFAULT '{}'::jsonb,
    p_source text DEFAULT 'admin'
) RETURNS uuid
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT kruxt_internal.record_document_acceptance('contract', p_contract_id, p_user_id, p_membership_id, p_signature_data, p_source)
$$;

RESET ROLE;
