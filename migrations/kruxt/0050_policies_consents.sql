-- KRUXT 0050: policy registry and consents (05 §1-§3; items 21, 25, 26, 27, 28, 29, and the database side
-- of onboarding's consent capture, 02 §7.2 steps 4-6, item 12).
-- The tables policy_version_tracking and consents came ahead of their area with 0007 (columns, RLS,
-- row and statement immutability triggers: items 25 and 26). This file adds their behaviour:
--   * current_policy_version_id, consent_policy_type_from_consent_type, publish_policy_version (§1.2);
--   * validate_consent_insert (BEFORE INSERT) and emit_consent_recorded_event (AFTER INSERT) on consents,
--     so every write path (the RPC, a user's direct insert, service, the seed files) carries a policy
--     binding and writes exactly 1 outbox row and 2 audit rows (consent.recorded + security.event_outbox);
--   * record_user_consent (§2.2), list_missing_required_consents / user_has_required_consents (§3),
--     admin_list_user_consents (§4.2);
--   * private helpers in kruxt_internal shared by the privacy files 0051-0053.
-- Gap closure (not in the spec): a consent written by anyone but service carries the clock's time
-- (granted_at, created_at, and revoked_at = granted_at for a refusal): a user cannot back-date evidence.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- Private helpers (area 05)
-- ---------------------------------------------------------------------------------------------
-- 'Service role required' (KX403) unless the claims are service claims (0041 defines the same body; area 04 and 05 each need it).
CREATE OR REPLACE FUNCTION kruxt_internal.require_service_role() RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT public.is_service_role() THEN
        RAISE EXCEPTION 'Service role required' USING ERRCODE = 'KX403';
    END IF;
END
$$;

-- The user id when that user has a profile (columns such as created_by / handled_by reference
-- profiles), else null.
CREATE FUNCTION kruxt_internal.profile_id_or_null(p_user_id uuid) RETURNS uuid
LANGUAGE sql STABLE
AS $$
    SELECT p.id FROM public.profiles p WHERE p.id = p_user_id
$$;

-- One domain event: the outbox row (its security audit row comes from the outbox trigger when the
-- type is security-relevant, 06 §2) and the audit row of the same name (00 §6.4).
CREATE FUNCTION kruxt_internal.emit_domain_event(
    p_event_type text, p_aggregate_type text, p_aggregate_id uuid, p_payload jsonb,
    p_target_table text, p_target_id uuid, p_reason text, p_audit_metadata jsonb
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_id uuid;
BEGIN
    INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload, created_at)
    VALUES (p_event_type, p_aggregate_type, p_aggregate_id, coalesce(p_payload, '{}'::jsonb), public.app_now())
    RETURNING id INTO v_id;
    PERFORM public.append_audit_log(p_event_type, p_target_table, p_target_id, p_reason, p_audit_metadata);
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Insertion-ordered consent ids
-- ---------------------------------------------------------------------------------------------
-- The latest consent is the first by (granted_at desc, created_at desc, id desc) (05 §3). Two consents of a
-- user recorded at the same instant (one transaction, or a sandbox clock that stands still) tie on both
-- timestamps, and random ids would then pick either as the latest. New consent ids therefore start with a
-- sequence number (12 hex digits, then random bits in uuid v4 layout), so id order is insertion order and
-- the later of two same-instant records wins. Fixed ids written by the seed or by tests are kept as given.
CREATE SEQUENCE kruxt_internal.sequential_uuid_seq;

CREATE FUNCTION public.next_sequential_uuid() RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_random text := replace(gen_random_uuid()::text, '-', '');
    v_seq text := lpad(to_hex(nextval('kruxt_internal.sequential_uuid_seq')), 12, '0');
BEGIN
    RETURN (substr(v_seq, 1, 8) || '-' || substr(v_seq, 9, 4) || '-4' || substr(v_random, 14, 3) || '-8'
            || substr(v_random, 18, 3) || '-' || substr(v_random, 21, 12))::uuid;
END
$$;

ALTER TABLE public.consents ALTER COLUMN id SET DEFAULT public.next_sequential_uuid();

-- ---------------------------------------------------------------------------------------------
-- Policy registry (05 §1.2)
-- ---------------------------------------------------------------------------------------------
-- Latest active row of the type effective at p_as_of (null: the clock). Policies are public
-- information; SECURITY DEFINER so that anyone (also anon, for pre-signup screens) may ask.
CREATE FUNCTION public.current_policy_version_id(p_policy_type public.policy_type, p_as_of timestamptz DEFAULT public.app_now())
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT v.id
    FROM public.policy_version_tracking v
    WHERE v.policy_type = p_policy_type
      AND v.is_active
      AND v.effective_at <= coalesce(p_as_of, public.app_now())
    ORDER BY v.effective_at DESC, v.created_at DESC, v.id DESC
    LIMIT 1
$$;

CREATE FUNCTION public.consent_policy_type_from_consent_type(p_consent_type public.consent_type) RETURNS public.policy_type
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    CASE p_consent_type
        WHEN 'terms' THEN RETURN 'terms';
        WHEN 'privacy', 'marketing_email', 'push_notifications' THEN RETURN 'privacy';
        WHEN 'health_data_processing' THEN RETURN 'health_data';
        ELSE RAISE EXCEPTION 'Unsupported consent type: %', p_consent_type USING ERRCODE = 'KX422';
    END CASE;
END
$$;

CREATE FUNCTION public.publish_policy_version(
    p_policy_type public.policy_type,
    p_version text,
    p_document_url text,
    p_effective_at timestamptz DEFAULT public.app_now(),
    p_label text DEFAULT NULL,
    p_requires_reconsent boolean DEFAULT true,
    p_change_summary text DEFAULT NULL,
    p_is_active boolean DEFAULT true,
    p_supersedes_policy_version_id uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_version text := btrim(coalesce(p_version, ''));
    v_url text := btrim(coalesce(p_document_url, ''));
    v_effective timestamptz := coalesce(p_effective_at, public.app_now());
    v_supersedes uuid;
    v_id uuid;
    v_payload jsonb;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    IF v_version = '' THEN
        RAISE EXCEPTION 'Policy version is required' USING ERRCODE = 'KX422';
    END IF;
    IF v_url = '' THEN
        RAISE EXCEPTION 'Policy document URL is required' USING ERRCODE = 'KX422';
    END IF;
    IF p_policy_type IS NULL THEN
        RAISE EXCEPTION 'Policy type is required' USING ERRCODE = 'KX422';
    END IF;
    IF EXISTS (SELECT 1 FROM public.policy_version_tracking v WHERE v.policy_type = p_policy_type AND v.version = v_version) THEN
        RAISE EXCEPTION 'Policy version already exists for policy type %: %', p_policy_type, v_version USING ERRCODE = 'KX409';
    END IF;
    v_supersedes := coalesce(p_supersedes_policy_version_id, public.current_policy_version_id(p_policy_type, v_effective));

    BEGIN
        INSERT INTO public.policy_version_tracking (policy_type, version, label, document_url, effective_at, is_active,
                                                    created_by, created_at, published_at, change_summary,
                                                    requires_reconsent, supersedes_policy_version_id)
        VALUES (p_policy_type, v_version, nullif(btrim(p_label), ''), v_url, v_effective, coalesce(p_is_active, true),
                kruxt_internal.profile_id_or_null(auth.uid()), v_now, v_now, nullif(btrim(p_change_summary), ''),
                coalesce(p_requires_reconsent, true), v_supersedes)
        RETURNING id INTO v_id;
    EXCEPTION WHEN unique_violation THEN
        -- a concurrent publication of the same (type, version)
        RAISE EXCEPTION 'Policy version already exists for policy type %: %', p_policy_type, v_version USING ERRCODE = 'KX409';
    END;

    v_payload := jsonb_build_object(
        'policy_version_id', v_id,
        'policy_type', p_policy_type,
        'version', v_version,
        'effective_at', v_effective,
        'requires_reconsent', coalesce(p_requires_reconsent, true),
        'supersedes_policy_version_id', v_supersedes);
    PERFORM kruxt_internal.emit_domain_event('policy.version_published', 'policy_version', v_id, v_payload,
                                             'policy_version_tracking', v_id, NULL, v_payload);
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- consents: validation and events (05 §2.1; items 21, 27)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.validate_consent_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_type public.policy_type;
    v_policy public.policy_version_tracking;
BEGIN
    IF NEW.user_id IS NULL THEN
        RAISE EXCEPTION 'Consent user id is required' USING ERRCODE = 'KX422';
    END IF;
    IF NEW.consent_type IS NULL THEN
        RAISE EXCEPTION 'Consent type is required' USING ERRCODE = 'KX422';
    END IF;
    IF NEW.granted IS NULL THEN
        RAISE EXCEPTION 'Consent grant flag is required' USING ERRCODE = 'KX422';
    END IF;

    IF public.is_service_role() THEN
        NEW.granted_at := coalesce(NEW.granted_at, v_now);
    ELSE
        -- Gap closure: evidence written by a user carries the clock's time.
        NEW.granted_at := v_now;
        NEW.created_at := v_now;
        NEW.updated_at := v_now;
        NEW.revoked_at := NULL;
    END IF;
    NEW.source := coalesce(nullif(btrim(NEW.source), ''), 'mobile');
    NEW.locale := nullif(btrim(NEW.locale), '');
    NEW.evidence := coalesce(NEW.evidence, '{}'::jsonb);

    v_type := public.consent_policy_type_from_consent_type(NEW.consent_type);
    IF NEW.policy_version_id IS NULL THEN
        NEW.policy_version_id := public.current_policy_version_id(v_type, NEW.granted_at);
        IF NEW.policy_version_id IS NULL THEN
            RAISE EXCEPTION 'A valid policy version is required for consent type %', NEW.consent_type USING ERRCODE = 'KX422';
        END IF;
    END IF;
    SELECT * INTO v_policy FROM public.policy_version_tracking v WHERE v.id = NEW.policy_version_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Policy version not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_policy.policy_type <> v_type THEN
        RAISE EXCEPTION 'Policy version type mismatch for consent type %', NEW.consent_type USING ERRCODE = 'KX422';
    END IF;
    IF NOT v_policy.is_active THEN
        RAISE EXCEPTION 'Policy version is not active' USING ERRCODE = 'KX409';
    END IF;
    IF v_policy.effective_at > NEW.granted_at THEN
        RAISE EXCEPTION 'Policy version cannot be accepted before effective date' USING ERRCODE = 'KX409';
    END IF;

    IF NEW.granted THEN
        NEW.revoked_at := NULL;
    ELSE
        NEW.revoked_at := coalesce(NEW.revoked_at, NEW.granted_at);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER validate_consent_insert BEFORE INSERT ON public.consents
    FOR EACH ROW EXECUTE FUNCTION public.validate_consent_insert();

-- Item 27: 1 outbox row (+ its security.event_outbox audit row) and 1 consent.recorded audit row per
-- consent, whatever the write path.
CREATE FUNCTION public.emit_consent_recorded_event() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM kruxt_internal.emit_domain_event(
        'consent.recorded', 'consent', NEW.id,
        jsonb_build_object('consent_id', NEW.id, 'user_id', NEW.user_id, 'consent_type', NEW.consent_type,
                           'policy_version_id', NEW.policy_version_id, 'granted', NEW.granted, 'source', NEW.source,
                           'at', NEW.granted_at),
        'consents', NEW.id, NULL,
        jsonb_build_object('user_id', NEW.user_id, 'consent_type', NEW.consent_type,
                           'policy_version_id', NEW.policy_version_id, 'granted', NEW.granted, 'source', NEW.source));
    RETURN NULL;
END
$$;
CREATE TRIGGER emit_consent_recorded_event AFTER INSERT ON public.consents
    FOR EACH ROW EXECUTE FUNCTION public.emit_consent_recorded_event();

-- ---------------------------------------------------------------------------------------------
-- record_user_consent (05 §2.2)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.record_user_consent(
    p_consent_type public.consent_type,
    p_granted boolean,
    p_policy_version_id uuid DEFAULT NULL,
    p_source text DEFAULT 'mobile',
    p_locale text DEFAULT NULL,
    p_user_id uuid DEFAULT NULL,
    p_ip_address text DEFAULT NULL,
    p_user_agent text DEFAULT NULL,
    p_evidence jsonb DEFAULT '{}'::jsonb
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_uid uuid := auth.uid();
    v_service boolean := public.is_service_role();
    v_target uuid := coalesce(p_user_id, auth.uid());
    v_type public.policy_type;
    v_policy public.policy_version_tracking;
    v_policy_id uuid;
    v_id uuid;
BEGIN
    IF p_granted IS NULL THEN
        RAISE EXCEPTION 'Consent grant flag is required' USING ERRCODE = 'KX422';
    END IF;
    IF v_target IS NULL OR (v_uid IS NULL AND NOT v_service) THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF NOT v_service AND v_target <> v_uid THEN
        RAISE EXCEPTION 'Cannot record consent for another user' USING ERRCODE = 'KX403';
    END IF;
    IF p_consent_type IS NULL THEN
        RAISE EXCEPTION 'Consent type is required' USING ERRCODE = 'KX422';
    END IF;

    v_type := public.consent_policy_type_from_consent_type(p_consent_type);
    v_policy_id := coalesce(p_policy_version_id, public.current_policy_version_id(v_type, v_now));
    SELECT * INTO v_policy FROM public.policy_version_tracking v WHERE v.id = v_policy_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No active policy version found for consent type %', p_consent_type USING ERRCODE = 'KX404';
    END IF;
    IF v_policy.policy_type <> v_type THEN
        RAISE EXCEPTION 'Policy type mismatch for consent type %', p_consent_type USING ERRCODE = 'KX422';
    END IF;
    IF v_policy.effective_at > v_now THEN
        RAISE EXCEPTION 'Cannot accept a policy version before its effective date' USING ERRCODE = 'KX409';
    END IF;
    IF NOT v_policy.is_active THEN
        RAISE EXCEPTION 'Policy version is not active' USING ERRCODE = 'KX409';
    END IF;

    INSERT INTO public.consents (user_id, consent_type, policy_version_id, granted, granted_at, revoked_at, source,
                                 locale, ip_address, user_agent, evidence)
    VALUES (v_target, p_consent_type, v_policy.id, p_granted, v_now, CASE WHEN p_granted THEN NULL ELSE v_now END,
            coalesce(nullif(btrim(p_source), ''), 'mobile'), nullif(btrim(p_locale), ''),
            nullif(btrim(p_ip_address), ''), nullif(btrim(p_user_agent), ''), coalesce(p_evidence, '{}'::jsonb))
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Consent gaps and gate (05 §3; items 28, 29)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.list_missing_required_consents(p_user_id uuid DEFAULT auth.uid())
RETURNS TABLE (
    consent_type public.consent_type,
    required_policy_version_id uuid,
    required_policy_version text,
    reason text
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF p_user_id IS NULL OR (auth.uid() IS NULL AND NOT public.is_service_role()) THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF NOT public.is_service_role() AND p_user_id <> auth.uid() THEN
        RAISE EXCEPTION 'Cannot inspect consent gaps for another user' USING ERRCODE = 'KX403';
    END IF;
    RETURN QUERY
    WITH required AS (
        SELECT t.ct, t.ord,
               public.current_policy_version_id(public.consent_policy_type_from_consent_type(t.ct)) AS current_id
        FROM (VALUES ('terms'::public.consent_type, 1),
                     ('privacy'::public.consent_type, 2),
                     ('health_data_processing'::public.consent_type, 3)) AS t(ct, ord)
    ), state AS (
        SELECT r.ct, r.ord, r.current_id, v.version AS current_version, v.requires_reconsent,
               l.id AS latest_id, l.granted AS latest_granted, l.policy_version_id AS latest_binding
        FROM required r
        LEFT JOIN public.policy_version_tracking v ON v.id = r.current_id
        LEFT JOIN LATERAL (
            SELECT c.id, c.granted, c.policy_version_id
            FROM public.consents c
            WHERE c.user_id = p_user_id AND c.consent_type = r.ct
            ORDER BY c.granted_at DESC, c.created_at DESC, c.id DESC
            LIMIT 1
        ) l ON true
    ), judged AS (
        SELECT s.*,
               CASE
                   WHEN s.current_id IS NULL THEN 'missing_active_policy'
                   WHEN s.latest_id IS NULL THEN 'missing_consent_record'
                   WHEN NOT s.latest_granted THEN 'latest_record_revoked'
                   WHEN s.latest_binding IS NULL THEN 'missing_policy_binding'
                   WHEN s.requires_reconsent AND s.latest_binding <> s.current_id THEN 'reconsent_required'
               END AS gap
        FROM state s
    )
    SELECT j.ct, j.current_id, j.current_version, j.gap
    FROM judged j
    WHERE j.gap IS NOT NULL
    ORDER BY j.ord;
END
$$;

CREATE FUNCTION public.user_has_required_consents(p_user_id uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT NOT EXISTS (SELECT 1 FROM public.list_missing_required_consents(p_user_id))
$$;

-- ---------------------------------------------------------------------------------------------
-- admin_list_user_consents (05 §4.2; item 24)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.admin_list_user_consents(p_gym_id uuid, p_user_id uuid) RETURNS SETOF public.consents
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM public.require_gym_staff_access(p_gym_id);
    IF NOT EXISTS (SELECT 1 FROM public.gym_memberships m WHERE m.gym_id = p_gym_id AND m.user_id = p_user_id) THEN
        RAISE EXCEPTION 'Target user is not a member of this gym' USING ERRCODE = 'KX422';
    END IF;
    RETURN QUERY
    SELECT c.*
    FROM public.consents c
    WHERE c.user_id = p_user_id
    ORDER BY c.granted_at DESC, c.created_at DESC, c.id;
END
$$;

RESET ROLE;
