-- KRUXT 0007: the tables of the security baseline (items 1, 3, 10) with their access rules, ahead of
-- their areas: notification_preferences and push_notification_tokens (02 §1.6), device_connections
-- and integration_webhook_events (04 §2), policy_version_tracking, consents and privacy_requests
-- (05 §1.1, §2.1, §4.1). Behaviour (RPCs, consent validation and events, webhook ingest, privacy
-- pipelines) comes with those areas.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- notification_preferences, push_notification_tokens (02 §1.6)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.notification_preferences (
    id                        uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                   uuid        NOT NULL UNIQUE REFERENCES public.profiles (id) ON DELETE CASCADE,
    push_enabled              boolean     NOT NULL DEFAULT true,
    email_enabled             boolean     NOT NULL DEFAULT false,
    in_app_enabled            boolean     NOT NULL DEFAULT true,
    marketing_enabled         boolean     NOT NULL DEFAULT false,
    workout_reactions_enabled boolean     NOT NULL DEFAULT true,
    comments_enabled          boolean     NOT NULL DEFAULT true,
    challenge_updates_enabled boolean     NOT NULL DEFAULT true,
    class_reminders_enabled   boolean     NOT NULL DEFAULT true,
    quiet_hours_start         time,
    quiet_hours_end           time,
    timezone                  text        NOT NULL DEFAULT 'UTC',
    created_at                timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at                timestamptz NOT NULL DEFAULT public.app_now()
);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.notification_preferences
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.notification_preferences ENABLE ROW LEVEL SECURITY;
CREATE POLICY notification_preferences_own ON public.notification_preferences FOR ALL TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role())
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());

-- 01 §1.1: a default preferences row comes with every profile.
CREATE FUNCTION public.seed_notification_preferences() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    INSERT INTO public.notification_preferences (user_id) VALUES (NEW.id)
    ON CONFLICT (user_id) DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER seed_notification_preferences AFTER INSERT ON public.profiles
    FOR EACH ROW EXECUTE FUNCTION public.seed_notification_preferences();

CREATE TABLE public.push_notification_tokens (
    id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      uuid        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    device_id    text        NOT NULL,
    platform     text        NOT NULL CHECK (platform IN ('ios', 'android', 'web')),
    push_token   text        NOT NULL,
    is_active    boolean     NOT NULL DEFAULT true,
    last_seen_at timestamptz NOT NULL DEFAULT public.app_now(),
    created_at   timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at   timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (user_id, device_id),
    UNIQUE (user_id, push_token)
);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.push_notification_tokens
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.push_notification_tokens ENABLE ROW LEVEL SECURITY;
CREATE POLICY push_notification_tokens_own ON public.push_notification_tokens FOR ALL TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role())
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- Integrations (04 §1, §2)
-- ---------------------------------------------------------------------------------------------
CREATE TYPE public.integration_provider AS ENUM (
    'apple_health', 'garmin', 'fitbit', 'huawei_health', 'suunto', 'oura', 'whoop', 'manual');
CREATE TYPE public.integration_connection_status AS ENUM ('active', 'revoked', 'expired', 'error');
CREATE TYPE public.integration_processing_status AS ENUM ('pending', 'processed', 'failed', 'ignored');

CREATE TABLE public.device_connections (
    id                      uuid                                 PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id                 uuid                                 NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    provider                public.integration_provider          NOT NULL,
    status                  public.integration_connection_status NOT NULL DEFAULT 'active',
    provider_user_id        text,
    scopes                  text[]                               NOT NULL DEFAULT '{}',
    access_token_encrypted  text,
    refresh_token_encrypted text,
    token_expires_at        timestamptz,
    last_synced_at          timestamptz,
    last_error              text,
    metadata                jsonb                                NOT NULL DEFAULT '{}'::jsonb,
    created_at              timestamptz                          NOT NULL DEFAULT public.app_now(),
    updated_at              timestamptz                          NOT NULL DEFAULT public.app_now(),
    UNIQUE (user_id, provider)
);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.device_connections
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Departure from reference (00 §7): own rows only; staff use admin_list_gym_integration_health.
ALTER TABLE public.device_connections ENABLE ROW LEVEL SECURITY;
CREATE POLICY device_connections_select ON public.device_connections FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY device_connections_insert ON public.device_connections FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY device_connections_update ON public.device_connections FOR UPDATE TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role())
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY device_connections_delete ON public.device_connections FOR DELETE TO authenticated
    USING (public.is_service_role());

CREATE TABLE public.integration_webhook_events (
    id                uuid                                 PRIMARY KEY DEFAULT gen_random_uuid(),
    provider          public.integration_provider          NOT NULL,
    provider_event_id text                                 NOT NULL,
    event_type        text                                 NOT NULL,
    payload_hash      text                                 NOT NULL,
    payload_json      jsonb                                NOT NULL,
    processing_status public.integration_processing_status NOT NULL DEFAULT 'pending',
    retry_count       integer                              NOT NULL DEFAULT 0,
    next_retry_at     timestamptz,
    error_message     text,
    received_at       timestamptz                          NOT NULL DEFAULT public.app_now(),
    processed_at      timestamptz,
    UNIQUE (provider, provider_event_id),
    UNIQUE (provider, payload_hash)
);

-- Item 3: one service-only policy; DELETE is rejected for every role (row and statement level).
ALTER TABLE public.integration_webhook_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY integration_webhook_events_service_all ON public.integration_webhook_events FOR ALL TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());
CREATE TRIGGER prevent_mutation BEFORE DELETE ON public.integration_webhook_events
    FOR EACH ROW EXECUTE FUNCTION public.prevent_mutation();
CREATE TRIGGER prevent_mutation_statement BEFORE DELETE ON public.integration_webhook_events
    FOR EACH STATEMENT EXECUTE FUNCTION public.prevent_mutation();

-- ---------------------------------------------------------------------------------------------
-- Compliance tables (05 §1.1, §2.1, §4.1)
-- ---------------------------------------------------------------------------------------------
CREATE TYPE public.policy_type AS ENUM ('terms', 'privacy', 'health_data', 'waiver');
CREATE TYPE public.consent_type AS ENUM (
    'terms', 'privacy', 'health_data_processing', 'marketing_email', 'push_notifications');
CREATE TYPE public.privacy_request_type AS ENUM ('access', 'export', 'delete', 'rectify', 'restrict_processing');
CREATE TYPE public.privacy_request_status AS ENUM (
    'submitted', 'in_review', 'completed', 'rejected', 'triaged', 'in_progress', 'fulfilled');

CREATE TABLE public.policy_version_tracking (
    id                           uuid               PRIMARY KEY DEFAULT gen_random_uuid(),
    policy_type                  public.policy_type NOT NULL,
    version                      text               NOT NULL,
    label                        text,
    document_url                 text               NOT NULL,
    checksum                     text,
    effective_at                 timestamptz        NOT NULL,
    is_active                    boolean            NOT NULL DEFAULT true,
    created_by                   uuid               REFERENCES public.profiles (id) ON DELETE SET NULL,
    created_at                   timestamptz        NOT NULL DEFAULT public.app_now(),
    published_at                 timestamptz        NOT NULL DEFAULT public.app_now(),
    change_summary               text,
    requires_reconsent           boolean            NOT NULL DEFAULT true,
    supersedes_policy_version_id uuid               REFERENCES public.policy_version_tracking (id) ON DELETE SET NULL,
    UNIQUE (policy_type, version)
);
CREATE INDEX policy_version_tracking_type_effective_idx
    ON public.policy_version_tracking (policy_type, effective_at DESC, created_at DESC);

ALTER TABLE public.policy_version_tracking ENABLE ROW LEVEL SECURITY;
CREATE POLICY policy_version_tracking_select ON public.policy_version_tracking FOR SELECT TO authenticated
    USING (true);
CREATE POLICY policy_version_tracking_insert_service ON public.policy_version_tracking FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role());
CREATE TRIGGER reject_mutation_immutable_table BEFORE UPDATE OR DELETE ON public.policy_version_tracking
    FOR EACH ROW EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_statement BEFORE UPDATE OR DELETE OR TRUNCATE ON public.policy_version_tracking
    FOR EACH STATEMENT EXECUTE FUNCTION public.reject_mutation_immutable_table();

CREATE TABLE public.consents (
    id                uuid                PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id           uuid                NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    consent_type      public.consent_type NOT NULL,
    policy_version_id uuid                REFERENCES public.policy_version_tracking (id) ON DELETE SET NULL,
    granted           boolean             NOT NULL,
    granted_at        timestamptz         NOT NULL DEFAULT public.app_now(),
    revoked_at        timestamptz,
    source            text                NOT NULL DEFAULT 'mobile',
    locale            text,
    ip_address        text,
    user_agent        text,
    evidence          jsonb               NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz         NOT NULL DEFAULT public.app_now(),
    updated_at        timestamptz         NOT NULL DEFAULT public.app_now()
);
CREATE INDEX consents_user_type_granted_idx ON public.consents (user_id, consent_type, granted_at DESC);

ALTER TABLE public.consents ENABLE ROW LEVEL SECURITY;
CREATE POLICY consents_select ON public.consents FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY consents_insert ON public.consents FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());
-- No UPDATE/DELETE policies; the immutability triggers raise for every role (00 §6.3, item 25).
CREATE TRIGGER reject_mutation_immutable_table BEFORE UPDATE OR DELETE ON public.consents
    FOR EACH ROW EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_statement BEFORE UPDATE OR DELETE OR TRUNCATE ON public.consents
    FOR EACH STATEMENT EXECUTE FUNCTION public.reject_mutation_immutable_table();

CREATE TABLE public.privacy_requests (
    id                    uuid                          PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id               uuid                          NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    request_type          public.privacy_request_type   NOT NULL,
    status                public.privacy_request_status NOT NULL DEFAULT 'submitted',
    reason                text,
    submitted_at          timestamptz                   NOT NULL DEFAULT public.app_now(),
    due_at                timestamptz                   NOT NULL DEFAULT (public.app_now() + interval '30 days'),
    resolved_at           timestamptz,
    response_location     text,
    handled_by            uuid                          REFERENCES public.profiles (id) ON DELETE SET NULL,
    notes                 text,
    triaged_at            timestamptz,
    in_progress_at        timestamptz,
    sla_breached_at       timestamptz,
    response_expires_at   timestamptz,
    response_content_type text,
    response_bytes        bigint,
    created_at            timestamptz                   NOT NULL DEFAULT public.app_now(),
    updated_at            timestamptz                   NOT NULL DEFAULT public.app_now()
);
CREATE INDEX privacy_requests_user_status_idx ON public.privacy_requests (user_id, status);
CREATE INDEX privacy_requests_status_due_idx ON public.privacy_requests (status, due_at);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.privacy_requests
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.privacy_requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY privacy_requests_select ON public.privacy_requests FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY privacy_requests_insert_service ON public.privacy_requests FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role());
CREATE POLICY privacy_requests_update_service ON public.privacy_requests FOR UPDATE TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());
CREATE POLICY privacy_requests_delete_service ON public.privacy_requests FOR DELETE TO authenticated
    USING (public.is_service_role());

RESET ROLE;
