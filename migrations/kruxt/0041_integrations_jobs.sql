-- KRUXT 0041: the SQL of the integration edge jobs (04 §3, §4; items 17, 18, 19). The Rust jobs are thin
-- service-role loops around these functions:
--   provider_webhook_ingest(p_body jsonb) -> jsonb                 04 §3, one call per webhook request
--   claim_device_sync_jobs(p_limit, p_provider) -> setof jobs       04 §4 gap closure (FOR UPDATE SKIP LOCKED)
--   process_device_sync_job(p_job_id) -> jsonb                      04 §4 steps 1-6 for one claimed job
--   fail_device_sync_job(p_job_id, p_error, p_retryable) -> jsonb   04 §4 step 6 (retry schedule, cursor kept)
--   sync_dispatcher_run(p_limit, p_provider) -> jsonb               claim + process in one call, 04 §4 step 7
-- Every one of them requires the service role ('Service role required', KX403).
--
-- Cursor integrity (departure from reference, 04 §4 step 6): a failure never writes device_sync_cursors.cursor;
-- it records last_error and last_job_id only (a cursor row is created with the job's cursor only when none
-- exists). On success the merged cursor is written (see process_device_sync_job for the merge order).
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- JSON helpers (kruxt_internal: reachable only from SECURITY DEFINER code and the service)
-- ---------------------------------------------------------------------------------------------
-- Canonical JSON (00 §6.6) of a jsonb value: no whitespace, object keys sorted by code point (jsonb keeps no
-- insertion order, so code-point order is the documented canonical order here), scalars as jsonb renders them.
CREATE FUNCTION kruxt_internal.canonical_json(p jsonb) RETURNS text
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF p IS NULL THEN
        RETURN 'null';
    END IF;
    CASE jsonb_typeof(p)
        WHEN 'object' THEN
            RETURN '{' || coalesce((SELECT string_agg(to_json(e.key)::text || ':' || kruxt_internal.canonical_json(e.value), ','
                                                      ORDER BY e.key COLLATE "C")
                                    FROM jsonb_each(p) AS e), '') || '}';
        WHEN 'array' THEN
            RETURN '[' || coalesce((SELECT string_agg(kruxt_internal.canonical_json(a.value), ',' ORDER BY a.ordinality)
                                    FROM jsonb_array_elements(p) WITH ORDINALITY AS a), '') || ']';
        ELSE
            RETURN p::text;
    END CASE;
END
$$;

-- The first of p_keys whose value in the object p is a non-blank string (trimmed) or a number (as text).
CREATE FUNCTION kruxt_internal.jsonb_first_text(p jsonb, p_keys text[]) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
    SELECT s.t
    FROM (SELECT CASE jsonb_typeof(p -> u.k) WHEN 'string' THEN btrim(p ->> u.k)
                                             WHEN 'number' THEN p ->> u.k END AS t,
                 u.o
          FROM unnest(p_keys) WITH ORDINALITY AS u(k, o)
          WHERE jsonb_typeof(p) = 'object') AS s
    WHERE s.t IS NOT NULL AND s.t <> ''
    ORDER BY s.o
    LIMIT 1
$$;

-- The first of p_keys present in the object p with a non-null value (any JSON type).
CREATE FUNCTION kruxt_internal.jsonb_first_value(p jsonb, p_keys text[]) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
    SELECT p -> u.k
    FROM unnest(p_keys) WITH ORDINALITY AS u(k, o)
    WHERE jsonb_typeof(p) = 'object' AND jsonb_typeof(p -> u.k) IS NOT NULL AND jsonb_typeof(p -> u.k) <> 'null'
    ORDER BY u.o
    LIMIT 1
$$;

-- A JSON number or numeric string rounded to an integer; anything else (or out of range) -> null.
CREATE FUNCTION kruxt_internal.jsonb_to_int(p jsonb) RETURNS integer
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF jsonb_typeof(p) = 'number' THEN
        RETURN round((p #>> '{}')::numeric)::integer;
    ELSIF jsonb_typeof(p) = 'string' AND btrim(p #>> '{}') ~ '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)$' THEN
        RETURN round(btrim(p #>> '{}')::numeric)::integer;
    END IF;
    RETURN NULL;
EXCEPTION WHEN numeric_value_out_of_range THEN
    RETURN NULL;
END
$$;

-- A timestamp from JSON: a string starting with a date (ISO 8601; an offset-less value is read as UTC) or a
-- number of epoch seconds; anything else (or unparsable) -> null. Special inputs such as 'now' are refused.
CREATE FUNCTION kruxt_internal.jsonb_to_timestamptz(p jsonb) RETURNS timestamptz
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v text;
BEGIN
    IF jsonb_typeof(p) = 'number' THEN
        RETURN to_timestamp((p #>> '{}')::double precision);
    ELSIF jsonb_typeof(p) = 'string' THEN
        v := btrim(p #>> '{}');
        IF v !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN
            RETURN NULL;
        END IF;
        IF v ~ '(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)$' THEN
            RETURN v::timestamptz;
        END IF;
        RETURN v::timestamp AT TIME ZONE 'UTC';
    END IF;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END
$$;

-- ISO 8601 UTC text of a timestamp (time zone independent, for JSON written by the database).
CREATE FUNCTION kruxt_internal.iso_utc(p timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
    SELECT to_char(p AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
$$;

CREATE FUNCTION kruxt_internal.require_service_role() RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT public.is_service_role() THEN
        RAISE EXCEPTION 'Service role required' USING ERRCODE = 'KX403';
    END IF;
END
$$;

-- Provider text of a job body: lower-cased, trimmed; an unknown value raises 'Unsupported provider.' (KX422).
CREATE FUNCTION kruxt_internal.parse_integration_provider(p_text text) RETURNS public.integration_provider
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v text := lower(btrim(coalesce(p_text, '')));
BEGIN
    IF v = '' OR NOT v = ANY (enum_range(NULL::public.integration_provider)::text[]) THEN
        RAISE EXCEPTION 'Unsupported provider.' USING ERRCODE = 'KX422';
    END IF;
    RETURN v::public.integration_provider;
END
$$;

-- 04 §4 step 2: a pending event's payload names the connection by connection id, else user id, else provider
-- user id (the first hint present in the payload decides).
CREATE FUNCTION kruxt_internal.webhook_payload_matches_connection(p_payload jsonb, p_conn public.device_connections)
RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT CASE
        WHEN kruxt_internal.jsonb_first_text(p_payload, ARRAY['connection_id', 'connectionId']) IS NOT NULL
            THEN lower(kruxt_internal.jsonb_first_text(p_payload, ARRAY['connection_id', 'connectionId'])) = p_conn.id::text
        WHEN kruxt_internal.jsonb_first_text(p_payload, ARRAY['user_id', 'userId']) IS NOT NULL
            THEN lower(kruxt_internal.jsonb_first_text(p_payload, ARRAY['user_id', 'userId'])) = p_conn.user_id::text
        WHEN kruxt_internal.jsonb_first_text(p_payload, ARRAY['provider_user_id', 'providerUserId']) IS NOT NULL
            THEN kruxt_internal.jsonb_first_text(p_payload, ARRAY['provider_user_id', 'providerUserId']) = p_conn.provider_user_id
        ELSE false
    END
$$;

-- 04 §4 step 3: the activities of an event: payload.activities (object elements), else payload.activity, else the
-- payload itself when it carries an id field. Each with its 0-based index in that list.
CREATE FUNCTION kruxt_internal.webhook_activities(p_payload jsonb)
RETURNS TABLE (activity jsonb, activity_index integer)
LANGUAGE sql IMMUTABLE
AS $$
    SELECT a.value, (a.ordinality - 1)::integer
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p_payload -> 'activities') = 'array' THEN p_payload -> 'activities'
                                   ELSE '[]'::jsonb END) WITH ORDINALITY AS a
    WHERE jsonb_typeof(a.value) = 'object'
    UNION ALL
    SELECT p_payload -> 'activity', 0
    WHERE jsonb_typeof(p_payload -> 'activities') IS DISTINCT FROM 'array'
      AND jsonb_typeof(p_payload -> 'activity') = 'object'
    UNION ALL
    SELECT p_payload, 0
    WHERE jsonb_typeof(p_payload -> 'activities') IS DISTINCT FROM 'array'
      AND jsonb_typeof(p_payload -> 'activity') IS DISTINCT FROM 'object'
      AND kruxt_internal.jsonb_first_text(p_payload, ARRAY['external_activity_id', 'activity_id', 'id', 'uuid']) IS NOT NULL
$$;

-- ---------------------------------------------------------------------------------------------
-- provider_webhook_ingest (04 §3; item 17)
-- Body {provider, providerEventId?, eventType, payload?, payloadHash?, userId?, connectionId?, providerUserId?}.
-- Returns the 200 body {accepted:true, duplicate, providerEnabled, queuedJobs, matchedConnections, webhookEventId}.
-- 'Unsupported provider.' / 'eventType is required.' (KX422) are the 400 answers {accepted:false, error}.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.provider_webhook_ingest(p_body jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_body jsonb := CASE WHEN jsonb_typeof(p_body) = 'object' THEN p_body ELSE '{}'::jsonb END;
    v_provider public.integration_provider;
    v_event_type text;
    v_payload jsonb;
    v_hash text;
    v_event_id text;
    v_enabled boolean;
    v_row public.integration_webhook_events;
    v_duplicate boolean := false;
    v_now timestamptz := public.app_now();
    v_hint text;
    v_hint_kind text;
    v_conn_ids uuid[];
    v_cursor jsonb;
    v_next jsonb;
    v_queued integer;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    -- 1. validation
    v_provider := kruxt_internal.parse_integration_provider(
        CASE WHEN jsonb_typeof(v_body -> 'provider') = 'string' THEN v_body ->> 'provider' END);
    v_event_type := btrim(coalesce(CASE WHEN jsonb_typeof(v_body -> 'eventType') IN ('string', 'number')
                                        THEN v_body ->> 'eventType' END, ''));
    IF v_event_type = '' THEN
        RAISE EXCEPTION 'eventType is required.' USING ERRCODE = 'KX422';
    END IF;

    -- 2. payload, hash, event id
    v_payload := CASE WHEN jsonb_typeof(v_body -> 'payload') = 'object' THEN v_body -> 'payload' ELSE '{}'::jsonb END;
    v_hash := coalesce(kruxt_internal.jsonb_first_text(v_body, ARRAY['payloadHash']),
                       encode(sha256(convert_to(kruxt_internal.canonical_json(v_payload), 'UTF8')), 'hex'));
    v_event_id := coalesce(kruxt_internal.jsonb_first_text(v_body, ARRAY['providerEventId']), v_provider::text || ':' || v_hash);
    v_enabled := public.is_integration_provider_enabled(v_provider);

    -- 3. one row per (provider, event id) and per (provider, payload hash), never a second one
    INSERT INTO public.integration_webhook_events (provider, provider_event_id, event_type, payload_hash, payload_json,
                                                   processing_status, received_at, processed_at)
    VALUES (v_provider, v_event_id, v_event_type, v_hash, v_payload,
            CASE WHEN v_enabled THEN 'pending' ELSE 'ignored' END::public.integration_processing_status,
            v_now, CASE WHEN v_enabled THEN NULL ELSE v_now END)
    ON CONFLICT DO NOTHING
    RETURNING * INTO v_row;
    IF NOT FOUND THEN
        v_duplicate := true;
        SELECT e.* INTO v_row FROM public.integration_webhook_events e
        WHERE e.provider = v_provider AND e.provider_event_id = v_event_id
        FOR UPDATE;
        IF NOT FOUND THEN
            SELECT e.* INTO v_row FROM public.integration_webhook_events e
            WHERE e.provider = v_provider AND e.payload_hash = v_hash
            FOR UPDATE;
        END IF;
    END IF;

    -- 4. flag off
    IF NOT v_enabled THEN
        RETURN jsonb_build_object('accepted', true, 'duplicate', v_duplicate, 'providerEnabled', false,
                                  'queuedJobs', 0, 'matchedConnections', 0, 'webhookEventId', v_row.id);
    END IF;

    -- 5. not an active sync provider in this rollout window
    IF NOT public.is_active_sync_provider(v_provider) THEN
        UPDATE public.integration_webhook_events
        SET processing_status = 'ignored', processed_at = v_now,
            error_message = format('Provider %s is not activated in this rollout window.', v_provider)
        WHERE id = v_row.id;
        RETURN jsonb_build_object('accepted', true, 'duplicate', v_duplicate, 'providerEnabled', true,
                                  'queuedJobs', 0, 'matchedConnections', 0, 'webhookEventId', v_row.id);
    END IF;

    -- 6. a replay of a handled event goes back to pending
    IF v_row.processing_status <> 'pending' THEN
        UPDATE public.integration_webhook_events
        SET processing_status = 'pending', processed_at = NULL, error_message = NULL, next_retry_at = NULL
        WHERE id = v_row.id;
    END IF;

    -- 7. target connections by the first available hint (body, then payload)
    v_hint := coalesce(kruxt_internal.jsonb_first_text(v_body, ARRAY['connectionId']),
                       kruxt_internal.jsonb_first_text(v_payload, ARRAY['connection_id', 'connectionId']));
    v_hint_kind := 'connection';
    IF v_hint IS NULL THEN
        v_hint := coalesce(kruxt_internal.jsonb_first_text(v_body, ARRAY['userId']),
                           kruxt_internal.jsonb_first_text(v_payload, ARRAY['user_id', 'userId']));
        v_hint_kind := 'user';
    END IF;
    IF v_hint IS NULL THEN
        v_hint := coalesce(kruxt_internal.jsonb_first_text(v_body, ARRAY['providerUserId']),
                           kruxt_internal.jsonb_first_text(v_payload, ARRAY['provider_user_id', 'providerUserId']));
        v_hint_kind := 'provider_user';
    END IF;
    SELECT array_agg(t.id ORDER BY t.created_at, t.id) INTO v_conn_ids
    FROM (SELECT c.id, c.created_at
          FROM public.device_connections c
          WHERE c.provider = v_provider AND c.status = 'active' AND v_hint IS NOT NULL
            AND CASE v_hint_kind WHEN 'connection' THEN c.id::text = lower(v_hint)
                                 WHEN 'user' THEN c.user_id::text = lower(v_hint)
                                 ELSE c.provider_user_id = v_hint END
          ORDER BY c.created_at, c.id
          LIMIT 25) AS t;
    IF v_conn_ids IS NULL THEN
        UPDATE public.integration_webhook_events
        SET processing_status = 'ignored', processed_at = v_now, error_message = 'No active connection matched webhook payload.'
        WHERE id = v_row.id;
        RETURN jsonb_build_object('accepted', true, 'duplicate', v_duplicate, 'providerEnabled', true,
                                  'queuedJobs', 0, 'matchedConnections', 0, 'webhookEventId', v_row.id);
    END IF;

    -- 8. one webhook_pull job per connection, at most one per (connection, event)
    v_cursor := CASE WHEN jsonb_typeof(v_payload -> 'cursor') = 'object' THEN v_payload -> 'cursor' ELSE '{}'::jsonb END;
    v_next := kruxt_internal.jsonb_first_value(v_payload, ARRAY['next_cursor', 'nextCursor', 'sync_cursor', 'syncCursor']);
    IF v_next IS NOT NULL THEN
        v_cursor := v_cursor || jsonb_build_object('next_cursor', v_next);
    END IF;
    WITH ins AS (
        INSERT INTO public.device_sync_jobs (connection_id, user_id, provider, job_type, status, cursor, requested_by,
                                             source_webhook_event_id)
        SELECT c.id, c.user_id, c.provider, 'webhook_pull', 'queued', v_cursor, NULL, v_row.id
        FROM public.device_connections c
        WHERE c.id = ANY (v_conn_ids)
        ORDER BY c.created_at, c.id
        ON CONFLICT (connection_id, source_webhook_event_id) DO NOTHING
        RETURNING 1)
    SELECT count(*)::integer INTO v_queued FROM ins;

    -- 9.
    RETURN jsonb_build_object('accepted', true, 'duplicate', v_duplicate, 'providerEnabled', true,
                              'queuedJobs', v_queued, 'matchedConnections', cardinality(v_conn_ids),
                              'webhookEventId', v_row.id);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- claim_device_sync_jobs (04 §4 gap closure): claimable = queued, or retry_scheduled and due (next_retry_at
-- null or <= app_now()); oldest first (created_at, id); rows another claimer holds are skipped, rows another
-- claimer already moved to running fail the re-check, so no job is ever handed out twice. Clamp 1..100.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.claim_device_sync_jobs(p_limit integer DEFAULT 20, p_provider public.integration_provider DEFAULT NULL)
RETURNS SETOF public.device_sync_jobs
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_limit integer := least(100, greatest(1, coalesce(p_limit, 20)));
BEGIN
    PERFORM kruxt_internal.require_service_role();
    RETURN QUERY
    WITH picked AS (
        SELECT j.id
        FROM public.device_sync_jobs j
        WHERE j.status IN ('queued', 'retry_scheduled')
          AND (j.status = 'queued' OR j.next_retry_at IS NULL OR j.next_retry_at <= v_now)
          AND (p_provider IS NULL OR j.provider = p_provider)
        ORDER BY j.created_at, j.id
        LIMIT v_limit
        FOR UPDATE SKIP LOCKED
    ), claimed AS (
        UPDATE public.device_sync_jobs j
        SET status = 'running', started_at = v_now, finished_at = NULL, error_message = NULL
        FROM picked
        WHERE j.id = picked.id
        RETURNING j.*
    )
    SELECT c.* FROM claimed c ORDER BY c.created_at, c.id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- fail_device_sync_job (04 §4 step 6; item 18). attempt = retry_count + 1; retryable and attempt <= 3 ->
-- retry_scheduled in min(60, 5 * 2^(attempt-1)) minutes (5, 10, 20); otherwise failed. The stored cursor is
-- never changed (departure from reference): only last_error and last_job_id are written; a cursor row is created
-- with the job's cursor only when none exists. Outbox integration.sync_failed (security-relevant: audited).
-- Returns {jobId, status, retryCount, nextRetryAt, error}.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.fail_device_sync_job(p_job_id uuid, p_error text, p_retryable boolean DEFAULT true) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_job public.device_sync_jobs;
    v_now timestamptz := public.app_now();
    v_error text := coalesce(nullif(btrim(p_error), ''), 'Sync job failed.');
    v_attempt integer;
    v_retry boolean;
    v_next timestamptz;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    SELECT j.* INTO v_job FROM public.device_sync_jobs j WHERE j.id = p_job_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Sync job not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_job.status <> 'running' THEN
        RAISE EXCEPTION 'Sync job is not running' USING ERRCODE = 'KX409';
    END IF;

    v_attempt := v_job.retry_count + 1;
    v_retry := coalesce(p_retryable, true) AND v_attempt <= 3;
    v_next := CASE WHEN v_retry THEN v_now + make_interval(mins => least(60, 5 * (2 ^ (v_attempt - 1)))::integer) END;

    UPDATE public.device_sync_jobs
    SET status = CASE WHEN v_retry THEN 'retry_scheduled' ELSE 'failed' END::public.sync_job_status,
        retry_count = v_attempt, next_retry_at = v_next, error_message = v_error, finished_at = v_now
    WHERE id = v_job.id;

    IF v_job.source_webhook_event_id IS NOT NULL THEN
        UPDATE public.integration_webhook_events
        SET processing_status = CASE WHEN v_retry THEN 'pending' ELSE 'failed' END::public.integration_processing_status,
            retry_count = v_attempt, next_retry_at = v_next, error_message = v_error,
            processed_at = CASE WHEN v_retry THEN NULL ELSE v_now END
        WHERE id = v_job.source_webhook_event_id;
    END IF;

    UPDATE public.device_connections SET last_error = v_error WHERE id = v_job.connection_id;

    -- cursor integrity: the cursor value is left alone; a missing row starts from the job's cursor
    INSERT INTO public.device_sync_cursors (connection_id, user_id, provider, cursor, last_job_id, last_error)
    SELECT c.id, c.user_id, c.provider, v_job.cursor, v_job.id, v_error
    FROM public.device_connections c
    WHERE c.id = v_job.connection_id
    ON CONFLICT (connection_id) DO UPDATE
    SET last_error = EXCLUDED.last_error, last_job_id = EXCLUDED.last_job_id;

    INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
    VALUES ('integration.sync_failed', 'device_sync_job', v_job.id,
            jsonb_build_object('provider', v_job.provider, 'user_id', v_job.user_id, 'connection_id', v_job.connection_id,
                               'retry_scheduled', v_retry, 'retry_count', v_attempt,
                               'next_retry_at', kruxt_internal.iso_utc(v_next), 'error', v_error));

    RETURN jsonb_build_object('jobId', v_job.id,
                              'status', CASE WHEN v_retry THEN 'retry_scheduled' ELSE 'failed' END,
                              'retryCount', v_attempt, 'nextRetryAt', kruxt_internal.iso_utc(v_next), 'error', v_error);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- process_device_sync_job (04 §4 steps 1-6) for one job claimed by claim_device_sync_jobs (status running).
-- Returns {jobId, status: succeeded | retry_scheduled | failed, importedCount, processedEventIds, retryCount,
-- nextRetryAt, error}. Validation failures are final; any error while importing rolls the import back and is
-- retried (step 6).
--
-- Cursor merge on success (interpretation of "start from the job cursor"): the stored cursor is the base, the
-- job's cursor overlays it, then each processed event's payload.cursor object and next_cursor (from next_cursor |
-- nextCursor | sync_cursor | syncCursor) in event order, then last_webhook_event_id, last_webhook_received_at (last
-- event) and updated_at. Keys the job does not carry are thus kept: a job queued with '{}' never erases the
-- provider position. No events: the job's cursor over the stored one, plus updated_at.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.process_device_sync_job(p_job_id uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_job public.device_sync_jobs;
    v_conn public.device_connections;
    v_conn_found boolean;
    v_now timestamptz := public.app_now();
    v_error text;
    ev public.integration_webhook_events;
    v_events public.integration_webhook_events[] := '{}';
    v_event_ids uuid[] := '{}';
    v_last public.integration_webhook_events;
    v_cursor jsonb;
    v_next jsonb;
    v_imported integer := 0;
    v_n integer;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    SELECT j.* INTO v_job FROM public.device_sync_jobs j WHERE j.id = p_job_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Sync job not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_job.status <> 'running' THEN
        RAISE EXCEPTION 'Sync job is not running' USING ERRCODE = 'KX409';
    END IF;

    -- 1. validation (non-retryable)
    SELECT c.* INTO v_conn FROM public.device_connections c WHERE c.id = v_job.connection_id FOR UPDATE;
    v_conn_found := FOUND;
    v_error := CASE
        WHEN NOT v_conn_found THEN 'Device connection was not found for sync job.'
        WHEN v_conn.status <> 'active' THEN 'Device connection is not active.'
        WHEN v_conn.user_id <> v_job.user_id OR v_conn.provider <> v_job.provider THEN 'Sync job connection linkage is invalid.'
        WHEN NOT public.is_integration_provider_enabled(v_job.provider)
            THEN format('Provider %s is disabled by its feature flag.', v_job.provider)
        WHEN NOT public.is_active_sync_provider(v_job.provider)
            THEN format('Provider %s is not activated in this rollout window.', v_job.provider)
    END;
    IF v_error IS NOT NULL THEN
        RETURN public.fail_device_sync_job(v_job.id, v_error, false)
               || jsonb_build_object('importedCount', 0, 'processedEventIds', '[]'::jsonb);
    END IF;

    BEGIN
        -- 2. events: the job's source event (pending or failed), else the connection's pending, due events
        IF v_job.source_webhook_event_id IS NOT NULL THEN
            FOR ev IN
                SELECT e.* FROM public.integration_webhook_events e
                WHERE e.id = v_job.source_webhook_event_id AND e.processing_status IN ('pending', 'failed')
                FOR UPDATE
            LOOP
                v_events := v_events || ev;
            END LOOP;
        ELSE
            FOR ev IN
                SELECT e.* FROM public.integration_webhook_events e
                WHERE e.provider = v_job.provider AND e.processing_status = 'pending'
                  AND (e.next_retry_at IS NULL OR e.next_retry_at <= v_now)
                  AND kruxt_internal.webhook_payload_matches_connection(e.payload_json, v_conn)
                ORDER BY e.received_at, e.id
                LIMIT 100
                FOR UPDATE SKIP LOCKED
            LOOP
                v_events := v_events || ev;
            END LOOP;
        END IF;

        SELECT coalesce(s.cursor, '{}'::jsonb) || v_job.cursor INTO v_cursor
        FROM (SELECT 1) AS one
        LEFT JOIN public.device_sync_cursors s ON s.connection_id = v_conn.id;

        FOREACH ev IN ARRAY v_events LOOP
            -- 3.-4. activities of the event, upserted (a re-delivery refreshes the row, never duplicates it);
            -- inside one event the last occurrence of an external id wins
            INSERT INTO public.external_activity_imports AS i (
                user_id, connection_id, provider, external_activity_id, activity_type, started_at, ended_at,
                duration_seconds, distance_m, calories, average_hr, max_hr, raw_data, imported_at, created_at)
            SELECT DISTINCT ON (x.external_id)
                   v_conn.user_id, v_conn.id, v_conn.provider, x.external_id,
                   coalesce(kruxt_internal.jsonb_first_text(x.activity, ARRAY['activity_type', 'type']),
                            kruxt_internal.jsonb_first_text(ev.payload_json, ARRAY['activity_type']),
                            ev.event_type),
                   kruxt_internal.jsonb_to_timestamptz(kruxt_internal.jsonb_first_value(x.activity, ARRAY['started_at', 'start_time'])),
                   kruxt_internal.jsonb_to_timestamptz(kruxt_internal.jsonb_first_value(x.activity, ARRAY['ended_at', 'end_time'])),
                   kruxt_internal.jsonb_to_int(kruxt_internal.jsonb_first_value(x.activity, ARRAY['duration_seconds', 'duration'])),
                   kruxt_internal.jsonb_to_int(kruxt_internal.jsonb_first_value(x.activity, ARRAY['distance_m', 'distance'])),
                   kruxt_internal.jsonb_to_int(x.activity -> 'calories'),
                   kruxt_internal.jsonb_to_int(kruxt_internal.jsonb_first_value(x.activity, ARRAY['average_hr', 'avg_hr'])),
                   kruxt_internal.jsonb_to_int(x.activity -> 'max_hr'),
                   jsonb_build_object('event_id', ev.id, 'event_type', ev.event_type, 'payload', ev.payload_json,
                                      'activity', x.activity),
                   v_now, v_now
            FROM (SELECT a.activity, a.activity_index,
                         coalesce(kruxt_internal.jsonb_first_text(a.activity, ARRAY['external_activity_id', 'activity_id', 'id', 'uuid']),
                                  ev.id::text || ':' || (a.activity_index + 1)) AS external_id
                  FROM kruxt_internal.webhook_activities(ev.payload_json) AS a) AS x
            ORDER BY x.external_id, x.activity_index DESC
            ON CONFLICT ON CONSTRAINT external_activity_imports_user_provider_activity_key DO UPDATE
            SET connection_id = EXCLUDED.connection_id, activity_type = EXCLUDED.activity_type,
                started_at = EXCLUDED.started_at, ended_at = EXCLUDED.ended_at,
                duration_seconds = EXCLUDED.duration_seconds, distance_m = EXCLUDED.distance_m,
                calories = EXCLUDED.calories, average_hr = EXCLUDED.average_hr, max_hr = EXCLUDED.max_hr,
                raw_data = EXCLUDED.raw_data, imported_at = EXCLUDED.imported_at;
            GET DIAGNOSTICS v_n = ROW_COUNT;
            v_imported := v_imported + v_n;

            -- 5. cursor overlay of this event
            IF jsonb_typeof(ev.payload_json -> 'cursor') = 'object' THEN
                v_cursor := v_cursor || (ev.payload_json -> 'cursor');
            END IF;
            v_next := kruxt_internal.jsonb_first_value(ev.payload_json, ARRAY['next_cursor', 'nextCursor', 'sync_cursor', 'syncCursor']);
            IF v_next IS NOT NULL THEN
                v_cursor := v_cursor || jsonb_build_object('next_cursor', v_next);
            END IF;
            v_event_ids := v_event_ids || ev.id;
            v_last := ev;
        END LOOP;

        -- 5. events processed, cursor, connection, job, outbox
        UPDATE public.integration_webhook_events
        SET processing_status = 'processed', processed_at = v_now, error_message = NULL, next_retry_at = NULL
        WHERE id = ANY (v_event_ids);

        IF v_last.id IS NOT NULL THEN
            v_cursor := v_cursor || jsonb_build_object('last_webhook_event_id', v_last.id,
                                                       'last_webhook_received_at', kruxt_internal.iso_utc(v_last.received_at));
        END IF;
        v_cursor := v_cursor || jsonb_build_object('updated_at', kruxt_internal.iso_utc(v_now));

        INSERT INTO public.device_sync_cursors (connection_id, user_id, provider, cursor, last_synced_at, last_job_id,
                                                last_webhook_event_id, last_error)
        VALUES (v_conn.id, v_conn.user_id, v_conn.provider, v_cursor, v_now, v_job.id, v_last.id, NULL)
        ON CONFLICT (connection_id) DO UPDATE
        SET cursor = EXCLUDED.cursor, last_synced_at = EXCLUDED.last_synced_at, last_job_id = EXCLUDED.last_job_id,
            last_webhook_event_id = coalesce(EXCLUDED.last_webhook_event_id, device_sync_cursors.last_webhook_event_id),
            last_error = NULL;

        UPDATE public.device_connections SET last_synced_at = v_now, last_error = NULL WHERE id = v_conn.id;

        UPDATE public.device_sync_jobs
        SET status = 'succeeded', cursor = v_cursor, finished_at = v_now, next_retry_at = NULL, error_message = NULL
        WHERE id = v_job.id;

        INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
        VALUES ('integration.sync_succeeded', 'device_sync_job', v_job.id,
                jsonb_build_object('provider', v_job.provider, 'user_id', v_job.user_id, 'connection_id', v_job.connection_id,
                                   'imported_count', v_imported, 'processed_event_ids', to_jsonb(v_event_ids)));

        RETURN jsonb_build_object('jobId', v_job.id, 'status', 'succeeded', 'importedCount', v_imported,
                                  'processedEventIds', to_jsonb(v_event_ids), 'retryCount', v_job.retry_count,
                                  'nextRetryAt', NULL, 'error', NULL);
    EXCEPTION WHEN OTHERS THEN
        -- 6. everything above is rolled back (subtransaction); the job is still running
        RETURN public.fail_device_sync_job(v_job.id, SQLERRM, true)
               || jsonb_build_object('importedCount', 0, 'processedEventIds', '[]'::jsonb);
    END;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- sync_dispatcher_run (04 §4): body {limit = 20 [1..100], provider?} -> {scannedCount, processedCount,
-- retriedCount, failedCount, processedJobIds, retriedJobIds, failedJobIds} (ids in claim order). Claims and
-- processes in the calling transaction; 'Unsupported provider.' (KX422) is the 400 answer.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.sync_dispatcher_run(p_limit integer DEFAULT 20, p_provider text DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_provider public.integration_provider;
    v_job public.device_sync_jobs;
    v_result jsonb;
    v_scanned integer := 0;
    v_processed uuid[] := '{}';
    v_retried uuid[] := '{}';
    v_failed uuid[] := '{}';
BEGIN
    PERFORM kruxt_internal.require_service_role();
    IF p_provider IS NOT NULL THEN
        v_provider := kruxt_internal.parse_integration_provider(p_provider);
    END IF;
    FOR v_job IN SELECT * FROM public.claim_device_sync_jobs(p_limit, v_provider) LOOP
        v_scanned := v_scanned + 1;
        v_result := public.process_device_sync_job(v_job.id);
        CASE v_result ->> 'status'
            WHEN 'succeeded' THEN v_processed := v_processed || v_job.id;
            WHEN 'retry_scheduled' THEN v_retried := v_retried || v_job.id;
            ELSE v_failed := v_failed || v_job.id;
        END CASE;
    END LOOP;
    RETURN jsonb_build_object('scannedCount', v_scanned,
                              'processedCount', cardinality(v_processed),
                              'retriedCount', cardinality(v_retried),
                              'failedCount', cardinality(v_failed),
                              'processedJobIds', to_jsonb(v_processed),
                              'retriedJobIds', to_jsonb(v_retried),
                              'failedJobIds', to_jsonb(v_failed));
END
$$;

RESET ROLE;
