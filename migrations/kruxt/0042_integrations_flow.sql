-- KRUXT 0042: the SQL of the integrations UI flow createPhase6IntegrationsUiFlow (04 §6; items 88-92).
-- Each function runs as the acting user (SECURITY INVOKER: the user's RLS decides, exactly as direct SQL would)
-- and works on auth.uid()'s rows only. The flow calls one per step and transaction:
--   integrations_ui_snapshot(p_provider text = null) -> jsonb            load (88) and every refresh
--   integrations_connect_provider(...) -> jsonb {connection, syncJob}    connectProvider (89)
--   integrations_disconnect_provider(p_provider text) -> jsonb           disconnectProvider (90)
--   integrations_queue_sync(p_connection_id, p_job_type, p_cursor)       queueSync (91)
--   integrations_validate_activation() -> jsonb {report, snapshot}       validateActivation (92)
-- Errors (SQLSTATE, message -> flow code): KX401 'Authentication required' (-> AUTH_REQUIRED); KX422 'Provider <p>
-- is not supported in this rollout window' (-> INTEGRATION_PROVIDER_UNSUPPORTED); KX404 'Device connection not
-- found' (-> INTEGRATION_CONNECTION_NOT_FOUND); KX409 'Device connection is not active' (->
-- INTEGRATION_CONNECTION_INACTIVE); KX422 'metadata must be a JSON object'; anything else -> the step's *_FAILED code.
-- Rows in the snapshot are the table rows as JSON (snake_case columns, timestamps in UTC); connections never carry
-- the token columns.
SET ROLE kruxt_owner;

-- The provider argument of the flow: null stays null; anything but an active beta provider raises.
CREATE FUNCTION public.integrations_ui_provider(p_provider text) RETURNS public.integration_provider
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v text := lower(btrim(coalesce(p_provider, '')));
BEGIN
    IF p_provider IS NULL THEN
        RETURN NULL;
    END IF;
    IF NOT v = ANY (public.integration_active_providers()::text[]) THEN
        RAISE EXCEPTION 'Provider % is not supported in this rollout window', coalesce(nullif(btrim(p_provider), ''), '(blank)')
            USING ERRCODE = 'KX422';
    END IF;
    RETURN v::public.integration_provider;
END
$$;

CREATE FUNCTION public.integrations_require_user() RETURNS uuid
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF auth.uid() IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    RETURN auth.uid();
END
$$;

-- ---------------------------------------------------------------------------------------------
-- load (item 88). Loads the user's 20 newest connections, 50 newest sync jobs, 100 newest imports (all filtered
-- by p_provider when given) and each loaded connection's cursor, then drops rows of providers outside
-- [apple_health, garmin]. Snapshot keys: providers, connections, syncJobs, syncCursors, imports, providerStates,
-- duplicateImportGroups, hiddenUnsupportedConnectionCount, hiddenUnsupportedImportCount, mappedImportCount,
-- unmappedImportCount. Orders: connections created_at desc, id desc; jobs created_at desc, id desc; imports
-- imported_at desc, id desc; cursors in connection order; providerStates in the active list's order;
-- duplicateImportGroups by externalActivityId, provider.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.integrations_ui_snapshot(p_provider text DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    v_uid uuid := public.integrations_require_user();
    v_provider public.integration_provider := public.integrations_ui_provider(p_provider);
    v_active public.integration_provider[] := public.integration_active_providers();
    v_snapshot jsonb;
BEGIN
    WITH conns AS (
        SELECT c.*, row_number() OVER (ORDER BY c.created_at DESC, c.id DESC) AS ord
        FROM (SELECT * FROM public.device_connections c
              WHERE c.user_id = v_uid AND (v_provider IS NULL OR c.provider = v_provider)
              ORDER BY c.created_at DESC, c.id DESC LIMIT 20) AS c
    ), jobs AS (
        SELECT j.*, row_number() OVER (ORDER BY j.created_at DESC, j.id DESC) AS ord
        FROM (SELECT * FROM public.device_sync_jobs j
              WHERE j.user_id = v_uid AND (v_provider IS NULL OR j.provider = v_provider)
              ORDER BY j.created_at DESC, j.id DESC LIMIT 50) AS j
    ), imps AS (
        SELECT i.*, row_number() OVER (ORDER BY i.imported_at DESC, i.id DESC) AS ord
        FROM (SELECT * FROM public.external_activity_imports i
              WHERE i.user_id = v_uid AND (v_provider IS NULL OR i.provider = v_provider)
              ORDER BY i.imported_at DESC, i.id DESC LIMIT 100) AS i
    ), vconns AS (
        SELECT c.*, (to_jsonb(c) - 'ord' - 'access_token_encrypted' - 'refresh_token_encrypted') AS j
        FROM conns c WHERE c.provider = ANY (v_active)
    ), vjobs AS (
        SELECT j.*, (to_jsonb(j) - 'ord') AS js FROM jobs j WHERE j.provider = ANY (v_active)
    ), vimps AS (
        SELECT i.*, (to_jsonb(i) - 'ord') AS js FROM imps i WHERE i.provider = ANY (v_active)
    ), curs AS (
        SELECT s.*, c.ord AS conn_ord, to_jsonb(s) AS js
        FROM public.device_sync_cursors s JOIN vconns c ON c.id = s.connection_id
        WHERE s.user_id = v_uid
    ), dup_groups AS (
        SELECT i.provider, btrim(i.external_activity_id) AS external_activity_id, count(*)::integer AS n
        FROM vimps i
        GROUP BY i.provider, btrim(i.external_activity_id)
        HAVING count(*) > 1
    ), states AS (
        SELECT a.ord,
               jsonb_build_object(
                   'provider', a.p,
                   'connection', st.conn,
                   'latestSyncJob', (SELECT j.js FROM vjobs j WHERE j.provider = a.p ORDER BY j.ord LIMIT 1),
                   'cursor', (SELECT s.js FROM curs s WHERE s.connection_id = st.conn_id),
                   'importsTotal', (SELECT count(*) FROM vimps i WHERE i.provider = a.p),
                   'mappedImports', (SELECT count(*) FROM vimps i WHERE i.provider = a.p AND i.mapped_workout_id IS NOT NULL),
                   'unmappedImports', (SELECT count(*) FROM vimps i WHERE i.provider = a.p AND i.mapped_workout_id IS NULL),
                   'duplicateExternalActivityIds', coalesce((SELECT jsonb_agg(d.external_activity_id ORDER BY d.external_activity_id COLLATE "C")
                                                             FROM dup_groups d WHERE d.provider = a.p), '[]'::jsonb),
                   'latestImportAt', (SELECT to_jsonb(max(i.imported_at)) FROM vimps i WHERE i.provider = a.p)) AS js
        FROM unnest(v_active) WITH ORDINALITY AS a(p, ord)
        LEFT JOIN LATERAL (SELECT c.id AS conn_id, c.j AS conn FROM vconns c WHERE c.provider = a.p ORDER BY c.ord LIMIT 1) AS st ON true
    )
    SELECT jsonb_build_object(
        'providers', to_jsonb(v_active),
        'connections', coalesce((SELECT jsonb_agg(c.j ORDER BY c.ord) FROM vconns c), '[]'::jsonb),
        'syncJobs', coalesce((SELECT jsonb_agg(j.js ORDER BY j.ord) FROM vjobs j), '[]'::jsonb),
        'syncCursors', coalesce((SELECT jsonb_agg(s.js ORDER BY s.conn_ord) FROM curs s), '[]'::jsonb),
        'imports', coalesce((SELECT jsonb_agg(i.js ORDER BY i.ord) FROM vimps i), '[]'::jsonb),
        'providerStates', (SELECT jsonb_agg(s.js ORDER BY s.ord) FROM states s),
        'duplicateImportGroups', coalesce((SELECT jsonb_agg(jsonb_build_object('provider', d.provider,
                                                                              'externalActivityId', d.external_activity_id,
                                                                              'count', d.n)
                                                            ORDER BY d.external_activity_id COLLATE "C", d.provider)
                                           FROM dup_groups d), '[]'::jsonb),
        'hiddenUnsupportedConnectionCount', (SELECT count(*) FROM conns c WHERE NOT c.provider = ANY (v_active)),
        'hiddenUnsupportedImportCount', (SELECT count(*) FROM imps i WHERE NOT i.provider = ANY (v_active)),
        'mappedImportCount', (SELECT count(*) FROM vimps i WHERE i.mapped_workout_id IS NOT NULL),
        'unmappedImportCount', (SELECT count(*) FROM vimps i WHERE i.mapped_workout_id IS NULL))
    INTO v_snapshot;
    RETURN v_snapshot;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- connectProvider (item 89): upsert the (user, provider) connection as active with the given fields (a revoked
-- connection is re-activated, its cursor kept); unless p_queue_initial_sync is false, queue a pull_activities job
-- with the initial cursor. Returns {connection (token-free), syncJob (or null)}.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.integrations_connect_provider(
    p_provider text,
    p_provider_user_id text DEFAULT NULL,
    p_scopes text[] DEFAULT '{}',
    p_access_token_encrypted text DEFAULT NULL,
    p_refresh_token_encrypted text DEFAULT NULL,
    p_token_expires_at timestamptz DEFAULT NULL,
    p_metadata jsonb DEFAULT '{}',
    p_queue_initial_sync boolean DEFAULT true,
    p_initial_sync_cursor jsonb DEFAULT '{}'
) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    v_uid uuid := public.integrations_require_user();
    v_provider public.integration_provider := public.integrations_ui_provider(coalesce(p_provider, ''));
    v_conn public.device_connections;
    v_job public.device_sync_jobs;
BEGIN
    IF p_metadata IS NOT NULL AND jsonb_typeof(p_metadata) <> 'object' THEN
        RAISE EXCEPTION 'metadata must be a JSON object' USING ERRCODE = 'KX422';
    END IF;
    INSERT INTO public.device_connections (user_id, provider, status, provider_user_id, scopes, access_token_encrypted,
                                           refresh_token_encrypted, token_expires_at, metadata)
    VALUES (v_uid, v_provider, 'active', nullif(btrim(p_provider_user_id), ''), coalesce(p_scopes, '{}'),
            p_access_token_encrypted, p_refresh_token_encrypted, p_token_expires_at, coalesce(p_metadata, '{}'::jsonb))
    ON CONFLICT (user_id, provider) DO UPDATE
    SET status = 'active', provider_user_id = EXCLUDED.provider_user_id, scopes = EXCLUDED.scopes,
        access_token_encrypted = EXCLUDED.access_token_encrypted, refresh_token_encrypted = EXCLUDED.refresh_token_encrypted,
        token_expires_at = EXCLUDED.token_expires_at, metadata = EXCLUDED.metadata, last_error = NULL
    RETURNING * INTO v_conn;

    IF coalesce(p_queue_initial_sync, true) THEN
        INSERT INTO public.device_sync_jobs (connection_id, user_id, provider, job_type, cursor)
        VALUES (v_conn.id, v_uid, v_provider, 'pull_activities',
                CASE WHEN jsonb_typeof(p_initial_sync_cursor) = 'object' THEN p_initial_sync_cursor ELSE '{}'::jsonb END)
        RETURNING * INTO v_job;
    END IF;
    RETURN jsonb_build_object('connection', to_jsonb(v_conn) - 'access_token_encrypted' - 'refresh_token_encrypted',
                              'syncJob', CASE WHEN v_job.id IS NULL THEN NULL ELSE to_jsonb(v_job) END);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- disconnectProvider (item 90): the user's active connection of the provider, else the newest one, becomes
-- revoked; its tokens are cleared (addition: a revoked connection keeps no credentials). Any provider may be
-- disconnected (the spec restricts connect and queue only). Returns {connection}.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.integrations_disconnect_provider(p_provider text) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    v_uid uuid := public.integrations_require_user();
    v_text text := lower(btrim(coalesce(p_provider, '')));
    v_conn public.device_connections;
BEGIN
    SELECT c.* INTO v_conn
    FROM public.device_connections c
    WHERE c.user_id = v_uid AND c.provider::text = v_text
    ORDER BY (c.status = 'active') DESC, c.created_at DESC, c.id DESC
    LIMIT 1
    FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Device connection not found' USING ERRCODE = 'KX404';
    END IF;
    UPDATE public.device_connections
    SET status = 'revoked', access_token_encrypted = NULL, refresh_token_encrypted = NULL, token_expires_at = NULL
    WHERE id = v_conn.id
    RETURNING * INTO v_conn;
    RETURN jsonb_build_object('connection', to_jsonb(v_conn) - 'access_token_encrypted' - 'refresh_token_encrypted');
END
$$;

-- ---------------------------------------------------------------------------------------------
-- queueSync (item 91): the connection must be the user's (else not found), of an active beta provider (else
-- unsupported) and active (else 'Device connection is not active'; no job is created). Inserts a queued job
-- requested by the user. Returns {syncJob}.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.integrations_queue_sync(
    p_connection_id uuid,
    p_job_type text DEFAULT 'pull_activities',
    p_cursor jsonb DEFAULT '{}'
) RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    v_uid uuid := public.integrations_require_user();
    v_conn public.device_connections;
    v_job public.device_sync_jobs;
BEGIN
    SELECT c.* INTO v_conn FROM public.device_connections c WHERE c.id = p_connection_id AND c.user_id = v_uid;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Device connection not found' USING ERRCODE = 'KX404';
    END IF;
    PERFORM public.integrations_ui_provider(v_conn.provider::text);
    IF v_conn.status <> 'active' THEN
        RAISE EXCEPTION 'Device connection is not active' USING ERRCODE = 'KX409';
    END IF;
    INSERT INTO public.device_sync_jobs (connection_id, user_id, provider, job_type, cursor)
    VALUES (v_conn.id, v_uid, v_conn.provider, coalesce(nullif(btrim(p_job_type), ''), 'pull_activities'),
            CASE WHEN jsonb_typeof(p_cursor) = 'object' THEN p_cursor ELSE '{}'::jsonb END)
    RETURNING * INTO v_job;
    RETURN jsonb_build_object('syncJob', to_jsonb(v_job));
END
$$;

-- ---------------------------------------------------------------------------------------------
-- validateActivation (item 92): {report, snapshot}; the report is computed from that very snapshot:
-- requiredProviders, connectedProviders (status active, list order), missingProviders, queuedOrRunningSyncJobCount
-- (queued, running, retry_scheduled), duplicateImportGroups, mappedImportCount, unmappedImportCount,
-- mappingCoverage (mapped / total rounded to 4 decimals, 1 when there are no imports), ready.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.integrations_validate_activation() RETURNS jsonb
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    v_snapshot jsonb := public.integrations_ui_snapshot(NULL);
    v_connected jsonb;
    v_missing jsonb;
    v_backlog integer;
    v_mapped integer := (v_snapshot ->> 'mappedImportCount')::integer;
    v_unmapped integer := (v_snapshot ->> 'unmappedImportCount')::integer;
BEGIN
    SELECT coalesce(jsonb_agg(p.value ORDER BY p.ordinality) FILTER (WHERE EXISTS (
               SELECT 1 FROM jsonb_array_elements(v_snapshot -> 'connections') AS c
               WHERE c.value ->> 'provider' = p.value #>> '{}' AND c.value ->> 'status' = 'active')), '[]'::jsonb),
           coalesce(jsonb_agg(p.value ORDER BY p.ordinality) FILTER (WHERE NOT EXISTS (
               SELECT 1 FROM jsonb_array_elements(v_snapshot -> 'connections') AS c
               WHERE c.value ->> 'provider' = p.value #>> '{}' AND c.value ->> 'status' = 'active')), '[]'::jsonb)
    INTO v_connected, v_missing
    FROM jsonb_array_elements(v_snapshot -> 'providers') WITH ORDINALITY AS p;
    SELECT count(*)::integer INTO v_backlog
    FROM jsonb_array_elements(v_snapshot -> 'syncJobs') AS j
    WHERE j.value ->> 'status' IN ('queued', 'running', 'retry_scheduled');
    RETURN jsonb_build_object(
        'report', jsonb_build_object(
            'requiredProviders', v_snapshot -> 'providers',
            'connectedProviders', v_connected,
            'missingProviders', v_missing,
            'queuedOrRunningSyncJobCount', v_backlog,
            'duplicateImportGroups', v_snapshot -> 'duplicateImportGroups',
            'mappedImportCount', v_mapped,
            'unmappedImportCount', v_unmapped,
            'mappingCoverage', CASE WHEN v_mapped + v_unmapped = 0 THEN 1::numeric
                                    ELSE round(v_mapped::numeric / (v_mapped + v_unmapped), 4) END,
            'ready', jsonb_array_length(v_missing) = 0
                     AND jsonb_array_length(v_snapshot -> 'duplicateImportGroups') = 0
                     AND v_backlog = 0),
        'snapshot', v_snapshot);
END
$$;

RESET ROLE;
