-- KRUXT 0040: area 04 tables (04-integrations.md §1, §2; items 17-20, 1, 3): the provider helpers, the
-- sync job status enum, device_sync_jobs, device_sync_cursors, external_activity_imports with their access
-- rules, the linkage trigger validate_device_sync_job (gap closure), a guard on the system fields of sync
-- jobs, and the staff monitoring RPC admin_list_gym_integration_health (token-free, replaces staff reads of
-- device_connections). device_connections and integration_webhook_events already exist (0007); this file
-- adds the indexes the ingest and dispatcher need. The jobs (webhook ingest, claim, dispatcher) follow in
-- 0041, the integrations UI flow in 0042.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- Providers and flags (04 §1)
-- ---------------------------------------------------------------------------------------------
CREATE TYPE public.sync_job_status AS ENUM ('queued', 'running', 'succeeded', 'failed', 'retry_scheduled');

-- The feature flag that gates a provider (manual uses the Apple Health flag).
CREATE FUNCTION public.integration_provider_flag_key(p_provider public.integration_provider) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN p_provider = 'manual' THEN 'provider_apple_health_enabled'
                ELSE 'provider_' || p_provider::text || '_enabled' END
$$;

CREATE FUNCTION public.is_integration_provider_enabled(p_provider public.integration_provider) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT coalesce((SELECT f.enabled FROM public.feature_flags f
                     WHERE f.key = public.integration_provider_flag_key(p_provider)), false)
$$;

-- The beta's active sync providers, in the UI's order (04 §1, §6).
CREATE FUNCTION public.integration_active_providers() RETURNS public.integration_provider[]
LANGUAGE sql IMMUTABLE
AS $$
    SELECT ARRAY['apple_health', 'garmin']::public.integration_provider[]
$$;

CREATE FUNCTION public.is_active_sync_provider(p_provider public.integration_provider) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    SELECT coalesce(p_provider = ANY (public.integration_active_providers()), false)
$$;

-- Added helper: the viewer is trial/active staff of a gym where _user_id is a trial/active member
-- (device_sync_jobs SELECT, 04 §2).
CREATE FUNCTION public.is_gym_staff_for_user(_user_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT _viewer IS NOT NULL AND _user_id IS NOT NULL AND EXISTS (
        SELECT 1
        FROM public.gym_memberships m
        JOIN public.gym_memberships s ON s.gym_id = m.gym_id
        WHERE m.user_id = _user_id AND m.membership_status IN ('trial', 'active')
          AND s.user_id = _viewer AND s.membership_status IN ('trial', 'active')
          AND s.role IN ('leader', 'officer', 'coach'))
$$;

-- Webhook resolution by provider user id (04 §3 step 7) and the dispatcher's pending-event scan (§4 step 2).
CREATE INDEX device_connections_provider_user_idx ON public.device_connections (provider, provider_user_id);
CREATE INDEX integration_webhook_events_pending_idx
    ON public.integration_webhook_events (provider, received_at, id) WHERE processing_status = 'pending';

-- ---------------------------------------------------------------------------------------------
-- device_sync_jobs (04 §2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.device_sync_jobs (
    id                      uuid                        PRIMARY KEY DEFAULT gen_random_uuid(),
    connection_id           uuid                        NOT NULL REFERENCES public.device_connections (id) ON DELETE CASCADE,
    user_id                 uuid                        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    provider                public.integration_provider  NOT NULL,
    job_type                text                        NOT NULL DEFAULT 'pull_activities' CHECK (btrim(job_type) <> ''),
    status                  public.sync_job_status      NOT NULL DEFAULT 'queued',
    cursor                  jsonb                       NOT NULL DEFAULT '{}'::jsonb,
    requested_by            uuid                        REFERENCES public.profiles (id) ON DELETE SET NULL,
    retry_count             integer                     NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
    next_retry_at           timestamptz,
    started_at              timestamptz,
    finished_at             timestamptz,
    error_message           text,
    source_webhook_event_id uuid                        REFERENCES public.integration_webhook_events (id) ON DELETE SET NULL,
    created_at              timestamptz                 NOT NULL DEFAULT public.app_now(),
    updated_at              timestamptz                 NOT NULL DEFAULT public.app_now(),
    UNIQUE (connection_id, source_webhook_event_id)
);
CREATE INDEX device_sync_jobs_status_retry_created_idx ON public.device_sync_jobs (status, next_retry_at, created_at);
-- claim order (created_at, id) among claimable jobs
CREATE INDEX device_sync_jobs_claimable_idx ON public.device_sync_jobs (created_at, id)
    WHERE status IN ('queued', 'retry_scheduled');
CREATE INDEX device_sync_jobs_user_created_idx ON public.device_sync_jobs (user_id, created_at DESC, id DESC);
CREATE INDEX device_sync_jobs_source_event_idx ON public.device_sync_jobs (source_webhook_event_id)
    WHERE source_webhook_event_id IS NOT NULL;
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.device_sync_jobs
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Gap closure (04 §2): the connection must exist, belong to user_id and have the same provider. user_id and
-- provider left null are filled from the connection first (service convenience). SECURITY DEFINER: the
-- caller's RLS must not hide the connection it names (a foreign connection is then a linkage error, not a
-- silent pass).
CREATE FUNCTION public.validate_device_sync_job() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_conn public.device_connections;
BEGIN
    SELECT c.* INTO v_conn FROM public.device_connections c WHERE c.id = NEW.connection_id;
    IF FOUND THEN
        NEW.user_id := coalesce(NEW.user_id, v_conn.user_id);
        NEW.provider := coalesce(NEW.provider, v_conn.provider);
    END IF;
    IF NOT FOUND OR v_conn.user_id IS DISTINCT FROM NEW.user_id OR v_conn.provider IS DISTINCT FROM NEW.provider THEN
        RAISE EXCEPTION 'Sync job connection linkage is invalid' USING ERRCODE = 'KX422';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER validate_device_sync_job BEFORE INSERT OR UPDATE OF connection_id, user_id, provider
    ON public.device_sync_jobs
    FOR EACH ROW EXECUTE FUNCTION public.validate_device_sync_job();

-- Gap closure (not in the spec): a client's own job starts queued, unclaimed, with no retry state, requested
-- by the client; afterwards only the dispatcher (service / SECURITY DEFINER code) moves status, retries,
-- times, errors and the source event. Direct client updates may still change job_type and cursor while the
-- job is queued. Same pattern as the workout system fields (02 §1.2).
CREATE FUNCTION public.guard_device_sync_job_write() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    IF current_user::text NOT IN ('authenticated', 'anon') OR public.is_service_role() THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.status := 'queued';
        NEW.retry_count := 0;
        NEW.next_retry_at := NULL;
        NEW.started_at := NULL;
        NEW.finished_at := NULL;
        NEW.error_message := NULL;
        NEW.requested_by := auth.uid();
    ELSIF (NEW.status, NEW.retry_count, NEW.next_retry_at, NEW.started_at, NEW.finished_at, NEW.error_message,
           NEW.source_webhook_event_id, NEW.requested_by, NEW.connection_id, NEW.user_id, NEW.provider)
          IS DISTINCT FROM
          (OLD.status, OLD.retry_count, OLD.next_retry_at, OLD.started_at, OLD.finished_at, OLD.error_message,
           OLD.source_webhook_event_id, OLD.requested_by, OLD.connection_id, OLD.user_id, OLD.provider)
          OR OLD.status <> 'queued' THEN
        RAISE EXCEPTION 'Sync job state is system-managed' USING ERRCODE = 'KX403';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_device_sync_job_write BEFORE INSERT OR UPDATE ON public.device_sync_jobs
    FOR EACH ROW WHEN (current_user::text IN ('authenticated', 'anon'))
    EXECUTE FUNCTION public.guard_device_sync_job_write();

ALTER TABLE public.device_sync_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY device_sync_jobs_select ON public.device_sync_jobs FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_gym_staff_for_user(user_id) OR public.is_service_role());
CREATE POLICY device_sync_jobs_insert ON public.device_sync_jobs FOR INSERT TO authenticated
    WITH CHECK (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY device_sync_jobs_update ON public.device_sync_jobs FOR UPDATE TO authenticated
    USING (requested_by = auth.uid() OR public.is_service_role())
    WITH CHECK (requested_by = auth.uid() OR public.is_service_role());
CREATE POLICY device_sync_jobs_delete_service ON public.device_sync_jobs FOR DELETE TO authenticated
    USING (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- device_sync_cursors (04 §2; item 20): users read their own, only the service writes.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.device_sync_cursors (
    id                    uuid                       PRIMARY KEY DEFAULT gen_random_uuid(),
    connection_id         uuid                       NOT NULL UNIQUE REFERENCES public.device_connections (id) ON DELETE CASCADE,
    user_id               uuid                       NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    provider              public.integration_provider NOT NULL,
    cursor                jsonb                      NOT NULL DEFAULT '{}'::jsonb,
    last_synced_at        timestamptz,
    last_job_id           uuid                       REFERENCES public.device_sync_jobs (id) ON DELETE SET NULL,
    last_webhook_event_id uuid                       REFERENCES public.integration_webhook_events (id) ON DELETE SET NULL,
    last_error            text,
    created_at            timestamptz                NOT NULL DEFAULT public.app_now(),
    updated_at            timestamptz                NOT NULL DEFAULT public.app_now(),
    UNIQUE (user_id, provider)
);
CREATE INDEX device_sync_cursors_last_job_idx ON public.device_sync_cursors (last_job_id) WHERE last_job_id IS NOT NULL;
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.device_sync_cursors
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.device_sync_cursors ENABLE ROW LEVEL SECURITY;
CREATE POLICY device_sync_cursors_select ON public.device_sync_cursors FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY device_sync_cursors_insert_service ON public.device_sync_cursors FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role());
CREATE POLICY device_sync_cursors_update_service ON public.device_sync_cursors FOR UPDATE TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());
CREATE POLICY device_sync_cursors_delete_service ON public.device_sync_cursors FOR DELETE TO authenticated
    USING (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- external_activity_imports (04 §2; item 19): one row per (user, provider, external activity id).
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.external_activity_imports (
    id                   uuid                        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id              uuid                        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    connection_id        uuid                        NOT NULL REFERENCES public.device_connections (id) ON DELETE CASCADE,
    provider             public.integration_provider NOT NULL,
    external_activity_id text                        NOT NULL,
    activity_type        text,
    started_at           timestamptz,
    ended_at             timestamptz,
    duration_seconds     integer,
    distance_m           numeric(12,2),
    calories             integer,
    average_hr           integer,
    max_hr               integer,
    raw_data             jsonb                       NOT NULL DEFAULT '{}'::jsonb,
    mapped_workout_id    uuid                        REFERENCES public.workouts (id) ON DELETE SET NULL,
    imported_at          timestamptz                 NOT NULL DEFAULT public.app_now(),
    created_at           timestamptz                 NOT NULL DEFAULT public.app_now(),
    CONSTRAINT external_activity_imports_user_provider_activity_key UNIQUE (user_id, provider, external_activity_id)
);
CREATE INDEX external_activity_imports_user_imported_idx ON public.external_activity_imports (user_id, imported_at DESC, id DESC);
CREATE INDEX external_activity_imports_connection_idx ON public.external_activity_imports (connection_id);
CREATE INDEX external_activity_imports_mapped_workout_idx ON public.external_activity_imports (mapped_workout_id)
    WHERE mapped_workout_id IS NOT NULL;

ALTER TABLE public.external_activity_imports ENABLE ROW LEVEL SECURITY;
CREATE POLICY external_activity_imports_select ON public.external_activity_imports FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY external_activity_imports_insert_service ON public.external_activity_imports FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role());
CREATE POLICY external_activity_imports_update_service ON public.external_activity_imports FOR UPDATE TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());
CREATE POLICY external_activity_imports_delete_service ON public.external_activity_imports FOR DELETE TO authenticated
    USING (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- Staff monitoring RPC (04 §2, new; departure from reference 00 §7): staff read connection health of
-- their gym's trial/active members through this token-free RPC, never device_connections itself.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.admin_list_gym_integration_health(p_gym_id uuid)
RETURNS TABLE (
    connection_id uuid,
    user_id uuid,
    provider public.integration_provider,
    status public.integration_connection_status,
    last_synced_at timestamptz,
    last_error text,
    updated_at timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM public.require_gym_staff_access(p_gym_id);
    RETURN QUERY
    SELECT c.id, c.user_id, c.provider, c.status, c.last_synced_at, c.last_error, c.updated_at
    FROM public.device_connections c
    WHERE EXISTS (SELECT 1 FROM public.gym_memberships m
                  WHERE m.gym_id = p_gym_id AND m.user_id = c.user_id AND m.membership_status IN ('trial', 'active'))
    ORDER BY c.updated_at DESC, c.id;
END
$$;

RESET ROLE;
