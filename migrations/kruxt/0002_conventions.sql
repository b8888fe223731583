-- KRUXT 0002: conventions every area relies on (00 §6): set_updated_at, the immutability triggers,
-- the audit log with its append function, and the event outbox with its security-audit trigger.
-- The audit hash chain is *assigned* here (06 §1.2) so every row ever written carries it; the drift
-- checks (audit_log_integrity_drift / _summary, 06 §1.3) and operator read access come with the
-- compliance area.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- Generic trigger functions
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := public.app_now();
    RETURN NEW;
END
$$;

-- 00 §6.3: attach BEFORE UPDATE OR DELETE FOR EACH ROW *and* BEFORE UPDATE OR DELETE OR TRUNCATE FOR
-- EACH STATEMENT, so that every attempt raises even when RLS hides every row.
CREATE FUNCTION public.reject_mutation_immutable_table() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'Table % is immutable; append-only writes only', TG_TABLE_NAME
        USING ERRCODE = 'KX423';
END
$$;

-- 04 §2: integration_webhook_events rejects DELETE only.
CREATE FUNCTION public.prevent_mutation() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'This table is append-only' USING ERRCODE = 'KX423';
END
$$;

-- ---------------------------------------------------------------------------------------------
-- audit_logs (06 §1.1). actor_user_id references profiles; the FK is added with profiles (0003).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.audit_logs (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    actor_user_id     uuid,
    actor_role        text,
    action            text        NOT NULL,
    target_table      text,
    target_id         uuid,
    reason            text,
    ip_address        text,
    user_agent        text,
    metadata          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT public.app_now(),
    integrity_seq     bigint      NOT NULL UNIQUE,
    prev_entry_hash   text,
    entry_hash        text        NOT NULL,
    integrity_version smallint    NOT NULL DEFAULT 1
);
CREATE INDEX audit_logs_actor_created_idx ON public.audit_logs (actor_user_id, created_at DESC);
CREATE INDEX audit_logs_action_created_idx ON public.audit_logs (action, created_at DESC);
CREATE INDEX audit_logs_event_outbox_id_idx ON public.audit_logs ((metadata ->> 'event_outbox_id'))
    WHERE action = 'security.event_outbox';

-- 06 §1.2: lowercase hex SHA-256 of the fields joined with '|'; null text -> '', metadata as its
-- jsonb::text ('{}' when null), created_at in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ.
CREATE FUNCTION public.audit_log_compute_hash(
    p_integrity_seq bigint, p_prev_entry_hash text, p_actor_user_id uuid, p_actor_role text,
    p_action text, p_target_table text, p_target_id uuid, p_reason text, p_ip_address text,
    p_user_agent text, p_metadata jsonb, p_created_at timestamptz
) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
    SELECT encode(sha256(convert_to(
        coalesce(p_integrity_seq::text, '') || '|' ||
        coalesce(p_prev_entry_hash, '') || '|' ||
        coalesce(p_actor_user_id::text, '') || '|' ||
        coalesce(p_actor_role, '') || '|' ||
        coalesce(p_action, '') || '|' ||
        coalesce(p_target_table, '') || '|' ||
        coalesce(p_target_id::text, '') || '|' ||
        coalesce(p_reason, '') || '|' ||
        coalesce(p_ip_address, '') || '|' ||
        coalesce(p_user_agent, '') || '|' ||
        coalesce(p_metadata, '{}'::jsonb)::text || '|' ||
        coalesce(to_char(p_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
        'UTF8')), 'hex')
$$;

CREATE FUNCTION public.assign_audit_log_integrity() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    prev record;
BEGIN
    NEW.created_at := coalesce(NEW.created_at, public.app_now());
    NEW.metadata := coalesce(NEW.metadata, '{}'::jsonb);
    PERFORM pg_advisory_xact_lock(884211, 16);
    SELECT a.integrity_seq, a.entry_hash INTO prev
    FROM public.audit_logs a
    ORDER BY a.integrity_seq DESC
    LIMIT 1;
    NEW.integrity_seq := coalesce(prev.integrity_seq, 0) + 1;
    NEW.prev_entry_hash := prev.entry_hash;
    NEW.integrity_version := 1;
    NEW.entry_hash := public.audit_log_compute_hash(
        NEW.integrity_seq, NEW.prev_entry_hash, NEW.actor_user_id, NEW.actor_role, NEW.action,
        NEW.target_table, NEW.target_id, NEW.reason, NEW.ip_address, NEW.user_agent, NEW.metadata,
        NEW.created_at);
    RETURN NEW;
END
$$;

CREATE TRIGGER assign_audit_log_integrity
    BEFORE INSERT ON public.audit_logs
    FOR EACH ROW EXECUTE FUNCTION public.assign_audit_log_integrity();
CREATE TRIGGER reject_mutation_immutable_table
    BEFORE UPDATE OR DELETE ON public.audit_logs
    FOR EACH ROW EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_statement
    BEFORE UPDATE OR DELETE OR TRUNCATE ON public.audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION public.reject_mutation_immutable_table();

ALTER TABLE public.audit_logs ENABLE ROW LEVEL SECURITY;
-- 06 §1.1: insert service only; select service (platform operators with platform.compliance.read
-- are added with area 12); no update/delete policies (the triggers raise anyway).
CREATE POLICY audit_logs_select_service ON public.audit_logs
    FOR SELECT TO authenticated USING (public.is_service_role());
CREATE POLICY audit_logs_insert_service ON public.audit_logs
    FOR INSERT TO authenticated WITH CHECK (public.is_service_role());

-- 00 §6.4. actor_user_id = auth.uid() when that user has a profile (the FK targets profiles),
-- otherwise null; actor_role = the role claim or 'authenticated'.
CREATE FUNCTION public.append_audit_log(
    _action text,
    _target_table text,
    _target_id uuid,
    _reason text DEFAULT NULL,
    _metadata jsonb DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_id uuid;
BEGIN
    IF v_uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.id = v_uid) THEN
        v_uid := NULL;
    END IF;
    INSERT INTO public.audit_logs (actor_user_id, actor_role, action, target_table, target_id, reason, metadata)
    VALUES (v_uid, coalesce(nullif(auth.jwt() ->> 'role', ''), 'authenticated'), _action, _target_table,
            _target_id, _reason, coalesce(_metadata, '{}'::jsonb))
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- event_outbox (06 §2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.event_outbox (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type     text        NOT NULL,
    aggregate_type text        NOT NULL,
    aggregate_id   uuid,
    payload        jsonb       NOT NULL,
    published      boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT public.app_now(),
    published_at   timestamptz
);
CREATE INDEX event_outbox_published_created_idx ON public.event_outbox (published, created_at);

ALTER TABLE public.event_outbox ENABLE ROW LEVEL SECURITY;
-- Item 3: one service-only policy for every command.
CREATE POLICY event_outbox_service_all ON public.event_outbox
    FOR ALL TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());

CREATE FUNCTION public.is_security_relevant_event_type(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    SELECT coalesce(t LIKE 'privacy.%' OR t LIKE 'consent.%' OR t LIKE 'policy.%'
                    OR t IN ('integration.sync_failed', 'membership.status_changed'), false)
$$;

CREATE FUNCTION public.audit_security_event_outbox_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF NOT public.is_security_relevant_event_type(NEW.event_type) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM public.audit_logs a
               WHERE a.action = 'security.event_outbox'
                 AND a.metadata ->> 'event_outbox_id' = NEW.id::text) THEN
        RETURN NULL;
    END IF;
    PERFORM public.append_audit_log(
        'security.event_outbox', 'event_outbox', NEW.id, NULL,
        jsonb_build_object(
            'event_outbox_id', NEW.id,
            'event_type', NEW.event_type,
            'aggregate_type', NEW.aggregate_type,
            'aggregate_id', NEW.aggregate_id,
            'payload_checksum', encode(sha256(convert_to(NEW.payload::text, 'UTF8')), 'hex'),
            'published', NEW.published,
            'created_at', NEW.created_at));
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_security_event_outbox_insert
    AFTER INSERT ON public.event_outbox
    FOR EACH ROW EXECUTE FUNCTION public.audit_security_event_outbox_insert();

RESET ROLE;
