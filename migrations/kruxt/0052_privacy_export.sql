-- KRUXT 0052: the export pipeline (05 §5; items 30-34): privacy_export_jobs and the service functions the
-- edge job privacy_request_processor (05 §7, a thin Rust loop) calls: queue, claim (FOR UPDATE SKIP LOCKED),
-- build the payload, complete, fail with retry / terminal failure.
-- Departure from reference (item 32): build_privacy_export_payload reads only existing columns and always
-- succeeds; it never emits push tokens, encrypted provider tokens, password hashes or secrets: the sections
-- list their columns, and every section finally passes kruxt_internal.strip_secret_keys, which drops
-- every object key that names a secret (token, secret, password, encrypted, credential, receipt, hash,
-- api key, private key, recovery/backup codes, totp, card codes, authorization, cookie) at any depth (metadata
-- included); timestamps such as token_expires_at stay.
-- Sections of tables that later areas create (04 external_activity_imports, 07 challenge_participants,
-- 10 support_tickets, 12 user_security_settings / user_trusted_devices / user_auth_events /
-- user_data_sharing_preferences) are read when the table exists (to_regclass) and are [] / {} until then,
-- so this file needs no change when those areas land, whatever the merge order.
SET ROLE kruxt_owner;

-- 05 §5.1 (also 04's device_sync_jobs and 06's incident_notification_jobs): created here unless an
-- earlier migration already did.
DO $$
BEGIN
    IF to_regtype('public.sync_job_status') IS NULL THEN
        CREATE TYPE public.sync_job_status AS ENUM ('queued', 'running', 'succeeded', 'failed', 'retry_scheduled');
    END IF;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- privacy_export_jobs (05 §5.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.privacy_export_jobs (
    id                    uuid                   PRIMARY KEY DEFAULT gen_random_uuid(),
    privacy_request_id    uuid                   NOT NULL UNIQUE REFERENCES public.privacy_requests (id) ON DELETE CASCADE,
    user_id               uuid                   NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    status                public.sync_job_status NOT NULL DEFAULT 'queued',
    storage_bucket        text,
    storage_path          text,
    signed_url            text,
    signed_url_expires_at timestamptz,
    file_bytes            bigint                 CHECK (file_bytes IS NULL OR file_bytes >= 0),
    record_count          integer                CHECK (record_count IS NULL OR record_count >= 0),
    retry_count           integer                NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
    next_retry_at         timestamptz,
    started_at            timestamptz,
    finished_at           timestamptz,
    error_message         text,
    created_at            timestamptz            NOT NULL DEFAULT public.app_now(),
    updated_at            timestamptz            NOT NULL DEFAULT public.app_now()
);
CREATE INDEX privacy_export_jobs_claim_idx ON public.privacy_export_jobs (status, next_retry_at, created_at);
CREATE INDEX privacy_export_jobs_user_idx ON public.privacy_export_jobs (user_id);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.privacy_export_jobs
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.privacy_export_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY privacy_export_jobs_select ON public.privacy_export_jobs FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY privacy_export_jobs_insert_service ON public.privacy_export_jobs FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role());
CREATE POLICY privacy_export_jobs_update_service ON public.privacy_export_jobs FOR UPDATE TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());
CREATE POLICY privacy_export_jobs_delete_service ON public.privacy_export_jobs FOR DELETE TO authenticated
    USING (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- Queue and claim (items 30, 31)
-- ---------------------------------------------------------------------------------------------
-- Open access/export requests without a job, oldest first; ON CONFLICT makes concurrent or repeated
-- calls idempotent (a request has at most one job: UNIQUE privacy_request_id).
CREATE FUNCTION public.queue_privacy_export_jobs(p_limit integer DEFAULT 25) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_limit integer := least(200, greatest(1, coalesce(p_limit, 25)));
    v_count integer;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    WITH candidates AS (
        SELECT r.id, r.user_id, r.submitted_at
        FROM public.privacy_requests r
        WHERE r.request_type IN ('access', 'export')
          AND public.is_privacy_request_open_status(r.status)
          AND r.resolved_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM public.privacy_export_jobs j WHERE j.privacy_request_id = r.id)
        ORDER BY r.submitted_at, r.id
        LIMIT v_limit
    ), inserted AS (
        INSERT INTO public.privacy_export_jobs (privacy_request_id, user_id, status, next_retry_at, created_at, updated_at)
        SELECT c.id, c.user_id, 'queued', v_now, v_now, v_now
        FROM candidates c
        ORDER BY c.submitted_at, c.id
        ON CONFLICT (privacy_request_id) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer INTO v_count FROM inserted;
    RETURN v_count;
END
$$;

-- Due queued/retry_scheduled jobs of open access/export requests, oldest due first, locked with
-- FOR UPDATE OF the job SKIP LOCKED: a concurrent claim skips them, and a claim that starts after this
-- one committed re-checks the row (status running) and passes over it. No audit rows are written, so
-- claims never wait on the audit-chain lock.
CREATE FUNCTION public.claim_privacy_export_jobs(p_limit integer DEFAULT 5) RETURNS SETOF public.privacy_export_jobs
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_limit integer := least(50, greatest(1, coalesce(p_limit, 5)));
BEGIN
    PERFORM kruxt_internal.require_service_role();
    RETURN QUERY
    WITH candidates AS (
        SELECT j.id
        FROM public.privacy_export_jobs j
        JOIN public.privacy_requests r ON r.id = j.privacy_request_id
        WHERE j.status IN ('queued', 'retry_scheduled')
          AND coalesce(j.next_retry_at, j.created_at) <= v_now
          AND public.is_privacy_request_open_status(r.status)
          AND r.request_type IN ('access', 'export')
        ORDER BY coalesce(j.next_retry_at, j.created_at), j.created_at, j.id
        LIMIT v_limit
        FOR UPDATE OF j SKIP LOCKED
    ), claimed AS (
        UPDATE public.privacy_export_jobs j
        SET status = 'running', started_at = v_now, finished_at = NULL, error_message = NULL
        FROM candidates c
        WHERE j.id = c.id
        RETURNING j.*
    )
    SELECT c.* FROM claimed c ORDER BY coalesce(c.next_retry_at, c.created_at), c.created_at, c.id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- The payload (item 32)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION kruxt_internal.is_secret_key(p_key text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    SELECT p_key ~* '(token|secret|passw|encrypt|credential|receipt|hash|api_?key|private_?key|recovery_?code|backup_?code|totp|cvv|cvc|authorization|cookie)'
           AND p_key !~* '(_at|_count)$'
$$;

-- Drops every object key naming a secret, at any depth.
CREATE FUNCTION kruxt_internal.strip_secret_keys(p_doc jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v_out jsonb;
BEGIN
    CASE jsonb_typeof(p_doc)
        WHEN 'object' THEN
            SELECT coalesce(jsonb_object_agg(e.key, kruxt_internal.strip_secret_keys(e.value)), '{}'::jsonb) INTO v_out
            FROM jsonb_each(p_doc) AS e
            WHERE NOT kruxt_internal.is_secret_key(e.key);
            RETURN v_out;
        WHEN 'array' THEN
            SELECT coalesce(jsonb_agg(kruxt_internal.strip_secret_keys(a.value) ORDER BY a.ord), '[]'::jsonb) INTO v_out
            FROM jsonb_array_elements(p_doc) WITH ORDINALITY AS a(value, ord);
            RETURN v_out;
        ELSE
            RETURN p_doc;
    END CASE;
END
$$;

-- Rows of a table another area creates, when it exists: [] (or {} with p_single) otherwise. p_time_key
-- orders by that column read from the row as text and cast (null when the column is missing);
-- p_drop_keys are removed from every row.
CREATE FUNCTION kruxt_internal.export_optional_rows(
    p_table text, p_user_column text, p_user_id uuid, p_time_key text, p_descending boolean DEFAULT false,
    p_drop_keys text[] DEFAULT '{}', p_single boolean DEFAULT false) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_out jsonb;
BEGIN
    IF to_regclass(format('public.%I', p_table)) IS NULL THEN
        RETURN CASE WHEN p_single THEN '{}'::jsonb ELSE '[]'::jsonb END;
    END IF;
    IF p_single THEN
        EXECUTE format('SELECT to_jsonb(t) - $2 FROM public.%I t WHERE t.%I = $1 LIMIT 1', p_table, p_user_column)
            INTO v_out USING p_user_id, p_drop_keys;
        RETURN coalesce(v_out, '{}'::jsonb);
    END IF;
    EXECUTE format('SELECT coalesce(jsonb_agg(to_jsonb(t) - $2 ORDER BY (to_jsonb(t) ->> %L)::timestamptz %s, to_jsonb(t) ->> ''id''), ''[]''::jsonb)
                    FROM public.%I t WHERE t.%I = $1',
                   p_time_key, CASE WHEN p_descending THEN 'DESC' ELSE 'ASC' END, p_table, p_user_column)
        INTO v_out USING p_user_id, p_drop_keys;
    RETURN v_out;
END
$$;

CREATE FUNCTION public.build_privacy_export_payload(p_user_id uuid DEFAULT auth.uid()) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_user uuid := p_user_id;
    v_doc jsonb;
BEGIN
    IF v_user IS NULL OR (auth.uid() IS NULL AND NOT public.is_service_role()) THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF NOT public.is_service_role() AND v_user <> auth.uid() THEN
        RAISE EXCEPTION 'Cannot export data for another user' USING ERRCODE = 'KX403';
    END IF;

    v_doc := jsonb_build_object(
        'schema_version', '2026-02',
        'generated_at', v_now,
        'user_id', v_user,
        'profile', coalesce((SELECT to_jsonb(p) FROM public.profiles p WHERE p.id = v_user), '{}'::jsonb),
        'gym_memberships', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', m.id, 'gym_id', m.gym_id, 'role', m.role,
                                                'membership_status', m.membership_status, 'membership_plan_id', m.membership_plan_id,
                                                'started_at', m.started_at, 'ends_at', m.ends_at,
                                                'created_at', m.created_at, 'updated_at', m.updated_at)
                             ORDER BY m.created_at, m.id)
            FROM public.gym_memberships m WHERE m.user_id = v_user), '[]'::jsonb),
        'workouts', coalesce((
            SELECT jsonb_agg(to_jsonb(w) - 'progress_applied_at' - 'xp_awarded' ORDER BY w.started_at DESC, w.id)
            FROM public.workouts w WHERE w.user_id = v_user), '[]'::jsonb),
        'workout_exercises', coalesce((
            SELECT jsonb_agg(to_jsonb(we) ORDER BY w.started_at DESC, w.id, we.order_index, we.id)
            FROM public.workout_exercises we JOIN public.workouts w ON w.id = we.workout_id
            WHERE w.user_id = v_user), '[]'::jsonb),
        'workout_sets', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', s.id, 'workout_exercise_id', s.workout_exercise_id, 'set_index', s.set_index,
                                                'reps', s.reps, 'weight_kg', s.weight_kg, 'duration_seconds', s.duration_seconds,
                                                'distance_m', s.distance_m, 'rpe', s.rpe, 'is_pr', s.is_pr,
                                                'completed_at', s.completed_at)
                             ORDER BY s.completed_at, s.id)
            FROM public.workout_sets s JOIN public.workouts w ON w.id = s.workout_id
            WHERE w.user_id = v_user), '[]'::jsonb),
        'social_connections', coalesce((
            SELECT jsonb_agg(to_jsonb(c) ORDER BY c.created_at, c.id)
            FROM public.social_connections c
            WHERE c.follower_user_id = v_user OR c.followed_user_id = v_user), '[]'::jsonb),
        'social_interactions', coalesce((
            SELECT jsonb_agg(to_jsonb(i) ORDER BY i.created_at, i.id)
            FROM public.social_interactions i WHERE i.actor_user_id = v_user), '[]'::jsonb),
        'class_bookings', coalesce((
            SELECT jsonb_agg(to_jsonb(b) ORDER BY b.booked_at, b.id)
            FROM public.class_bookings b WHERE b.user_id = v_user), '[]'::jsonb),
        'class_waitlist', coalesce((
            SELECT jsonb_agg(to_jsonb(wl) ORDER BY wl.created_at, wl.id)
            FROM public.class_waitlist wl WHERE wl.user_id = v_user), '[]'::jsonb),
        'gym_checkins', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', g.id, 'gym_id', g.gym_id, 'class_id', g.class_id, 'event_type', g.event_type,
                                                'result', g.result, 'source_channel', g.source_channel, 'note', g.note,
                                                'checked_in_at', g.checked_in_at, 'created_at', g.created_at)
                             ORDER BY g.checked_in_at, g.id)
            FROM public.gym_checkins g WHERE g.user_id = v_user), '[]'::jsonb),
        'access_logs', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', a.id, 'gym_id', a.gym_id, 'event_type', a.event_type, 'result', a.result,
                                                'reason', a.reason, 'metadata', a.metadata, 'created_at', a.created_at)
                             ORDER BY a.created_at, a.id)
            FROM public.access_logs a WHERE a.user_id = v_user), '[]'::jsonb),
        'notification_preferences', coalesce((
            SELECT to_jsonb(n) FROM public.notification_preferences n WHERE n.user_id = v_user), '{}'::jsonb),
        'push_notification_tokens', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', t.id, 'device_id', t.device_id, 'platform', t.platform,
                                                'is_active', t.is_active, 'last_seen_at', t.last_seen_at,
                                                'created_at', t.created_at, 'updated_at', t.updated_at)
                             ORDER BY t.created_at, t.id)
            FROM public.push_notification_tokens t WHERE t.user_id = v_user), '[]'::jsonb),
        'device_connections', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', d.id, 'provider', d.provider, 'status', d.status,
                                                'provider_user_id', d.provider_user_id, 'scopes', d.scopes,
                                                'token_expires_at', d.token_expires_at, 'last_synced_at', d.last_synced_at,
                                                'last_error', d.last_error, 'metadata', d.metadata,
                                                'created_at', d.created_at, 'updated_at', d.updated_at)
                             ORDER BY d.created_at, d.id)
            FROM public.device_connections d WHERE d.user_id = v_user), '[]'::jsonb),
        'consents', coalesce((
            SELECT jsonb_agg(to_jsonb(c) - 'ip_address' - 'user_agent' ORDER BY c.granted_at, c.created_at, c.id)
            FROM public.consents c WHERE c.user_id = v_user), '[]'::jsonb),
        -- response_location is the signed download link of an earlier export (a bearer credential): left out
        'privacy_requests', coalesce((
            SELECT jsonb_agg(to_jsonb(r) - 'response_location' ORDER BY r.submitted_at, r.id)
            FROM public.privacy_requests r WHERE r.user_id = v_user), '[]'::jsonb));

    -- Sections of later areas (read when their table exists).
    v_doc := v_doc || jsonb_build_object(
        'external_activity_imports', kruxt_internal.export_optional_rows('external_activity_imports', 'user_id', v_user, 'imported_at'),
        'challenge_participants', kruxt_internal.export_optional_rows('challenge_participants', 'user_id', v_user, 'joined_at'),
        'user_security_settings', kruxt_internal.export_optional_rows('user_security_settings', 'user_id', v_user, NULL, false, '{}', true),
        'user_trusted_devices', kruxt_internal.export_optional_rows('user_trusted_devices', 'user_id', v_user, 'first_seen_at'),
        'user_auth_events', kruxt_internal.export_optional_rows('user_auth_events', 'user_id', v_user, 'occurred_at', true),
        'user_data_sharing_preferences', kruxt_internal.export_optional_rows('user_data_sharing_preferences', 'user_id', v_user, NULL, false, '{}', true),
        'support_tickets', kruxt_internal.export_optional_rows('support_tickets', 'reporter_user_id', v_user, 'created_at'));

    -- Addition (not in 05 §5.2): the user's other personal records of areas 02 and 03.
    v_doc := v_doc || jsonb_build_object(
        'feed_events', coalesce((
            SELECT jsonb_agg(to_jsonb(f) ORDER BY f.created_at, f.id) FROM public.feed_events f WHERE f.user_id = v_user), '[]'::jsonb),
        'user_blocks', coalesce((
            SELECT jsonb_agg(to_jsonb(b) ORDER BY b.created_at, b.id) FROM public.user_blocks b WHERE b.blocker_user_id = v_user), '[]'::jsonb),
        'user_reports', coalesce((
            SELECT jsonb_agg(to_jsonb(r) ORDER BY r.created_at, r.id) FROM public.user_reports r WHERE r.reporter_user_id = v_user), '[]'::jsonb),
        'waiver_acceptances', coalesce((
            SELECT jsonb_agg(to_jsonb(a) - 'ip_address' - 'user_agent' ORDER BY a.accepted_at, a.id)
            FROM public.waiver_acceptances a WHERE a.user_id = v_user), '[]'::jsonb),
        'contract_acceptances', coalesce((
            SELECT jsonb_agg(to_jsonb(a) - 'ip_address' - 'user_agent' ORDER BY a.accepted_at, a.id)
            FROM public.contract_acceptances a WHERE a.user_id = v_user), '[]'::jsonb),
        'member_subscriptions', coalesce((
            SELECT jsonb_agg(to_jsonb(s) ORDER BY s.created_at, s.id) FROM public.member_subscriptions s WHERE s.user_id = v_user), '[]'::jsonb),
        'invoices', coalesce((
            SELECT jsonb_agg(to_jsonb(i) ORDER BY i.created_at, i.id) FROM public.invoices i WHERE i.user_id = v_user), '[]'::jsonb),
        'payment_transactions', coalesce((
            SELECT jsonb_agg(to_jsonb(t) ORDER BY t.created_at, t.id) FROM public.payment_transactions t WHERE t.user_id = v_user), '[]'::jsonb));

    -- the section names stay (push_notification_tokens), their contents are filtered
    RETURN (SELECT jsonb_object_agg(e.key, kruxt_internal.strip_secret_keys(e.value)) FROM jsonb_each(v_doc) AS e);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Complete and fail (items 33, 34)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.complete_privacy_export_job(
    p_job_id uuid,
    p_storage_bucket text,
    p_storage_path text,
    p_signed_url text,
    p_signed_url_expires_at timestamptz,
    p_file_bytes bigint DEFAULT NULL,
    p_record_count integer DEFAULT NULL,
    p_content_type text DEFAULT 'application/json'
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_job public.privacy_export_jobs;
    v_request public.privacy_requests;
    v_bucket text := btrim(coalesce(p_storage_bucket, ''));
    v_path text := btrim(coalesce(p_storage_path, ''));
    v_url text := btrim(coalesce(p_signed_url, ''));
    v_payload jsonb;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    SELECT * INTO v_job FROM public.privacy_export_jobs j WHERE j.id = p_job_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Privacy export job not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_job.status <> 'running' THEN
        RAISE EXCEPTION 'Privacy export job must be running before completion' USING ERRCODE = 'KX409';
    END IF;
    IF v_bucket = '' OR v_path = '' OR v_url = '' THEN
        RAISE EXCEPTION 'Storage bucket, path, and signed URL are required' USING ERRCODE = 'KX422';
    END IF;
    SELECT * INTO v_request FROM public.privacy_requests r WHERE r.id = v_job.privacy_request_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Privacy request not found for export job' USING ERRCODE = 'KX404';
    END IF;
    IF v_request.status = 'rejected' THEN
        RAISE EXCEPTION 'Cannot complete export for rejected privacy request' USING ERRCODE = 'KX409';
    END IF;

    PERFORM kruxt_internal.walk_privacy_request(v_request.id, 'fulfilled', 'Export delivered by privacy_request_processor');

    UPDATE public.privacy_export_jobs j
    SET status = 'succeeded', storage_bucket = v_bucket, storage_path = v_path, signed_url = v_url,
        signed_url_expires_at = p_signed_url_expires_at, file_bytes = p_file_bytes, record_count = p_record_count,
        next_retry_at = NULL, finished_at = v_now, error_message = NULL
    WHERE j.id = v_job.id;
    UPDATE public.privacy_requests r
    SET response_location = v_url, response_expires_at = p_signed_url_expires_at,
        response_content_type = coalesce(nullif(btrim(p_content_type), ''), 'application/json'),
        response_bytes = p_file_bytes
    WHERE r.id = v_request.id;

    v_payload := jsonb_build_object('request_id', v_request.id, 'job_id', v_job.id, 'user_id', v_job.user_id,
                                    'bucket', v_bucket, 'path', v_path, 'signed_url_expires_at', p_signed_url_expires_at,
                                    'file_bytes', p_file_bytes, 'record_count', p_record_count);
    -- the outbox row (for the notification publisher) carries the link; the audit row does not
    PERFORM kruxt_internal.emit_domain_event('privacy.export_ready', 'privacy_request', v_request.id,
                                             v_payload || jsonb_build_object('signed_url', v_url),
                                             'privacy_requests', v_request.id, NULL, v_payload);
    RETURN v_request.id;
END
$$;

-- Shared body of fail_privacy_export_job / fail_privacy_delete_job (05 §5.2, §6.2).
CREATE FUNCTION kruxt_internal.fail_privacy_job(
    p_kind text, p_job_id uuid, p_error text, p_retry_delay_seconds integer, p_max_retries integer, p_force_final boolean)
RETURNS jsonb
LANGUAGE plpgsql
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_table text := CASE p_kind WHEN 'export' THEN 'privacy_export_jobs' ELSE 'privacy_delete_jobs' END;
    v_label text := CASE p_kind WHEN 'export' THEN 'Privacy export job' ELSE 'Privacy delete job' END;
    v_delay integer := least(86400, greatest(60, coalesce(p_retry_delay_seconds, 900)));
    v_max integer := least(20, greatest(1, coalesce(p_max_retries, 5)));
    v_error text := coalesce(nullif(btrim(p_error), ''),
                             CASE p_kind WHEN 'export' THEN 'Unknown export processing error' ELSE 'Unknown delete processing error' END);
    v_job record;
    v_retry integer;
    v_final boolean;
    v_next timestamptz;
    v_request_status public.privacy_request_status;
    v_payload jsonb;
BEGIN
    EXECUTE format('SELECT j.id, j.privacy_request_id, j.user_id, j.status, j.retry_count FROM public.%I j WHERE j.id = $1 FOR UPDATE',
                   v_table)
        INTO v_job USING p_job_id;
    IF v_job.id IS NULL THEN
        RAISE EXCEPTION '% not found', v_label USING ERRCODE = 'KX404';
    END IF;
    IF v_job.status IN ('succeeded', 'failed') THEN
        RAISE EXCEPTION '% is already finished', v_label USING ERRCODE = 'KX409';
    END IF;

    v_retry := v_job.retry_count + 1;
    v_final := coalesce(p_force_final, false) OR v_retry >= v_max;
    IF v_final THEN
        -- lock the request before any audit row is written (README, "Audit chain")
        SELECT r.status INTO v_request_status FROM public.privacy_requests r WHERE r.id = v_job.privacy_request_id FOR UPDATE;
        EXECUTE format('UPDATE public.%I SET status = ''failed'', retry_count = $2, next_retry_at = NULL, finished_at = $3,
                               error_message = $4 WHERE id = $1', v_table)
            USING v_job.id, v_retry, v_now, v_error;
        IF public.is_privacy_request_open_status(v_request_status) THEN
            PERFORM kruxt_internal.walk_privacy_request(
                v_job.privacy_request_id, 'rejected',
                format('Rejected by privacy_request_processor after %s failed attempt(s): %s', v_retry, v_error));
        END IF;
        v_payload := jsonb_build_object('request_id', v_job.privacy_request_id, 'job_id', v_job.id, 'user_id', v_job.user_id,
                                        'error', v_error, 'retry_count', v_retry, 'final_failure', true);
        PERFORM kruxt_internal.emit_domain_event(format('privacy.%s_failed', p_kind), 'privacy_request', v_job.privacy_request_id,
                                                 v_payload, 'privacy_requests', v_job.privacy_request_id, v_error, v_payload);
        RETURN jsonb_build_object('status', 'failed', 'retryCount', v_retry, 'finalFailure', true);
    END IF;

    v_next := v_now + make_interval(secs => v_delay);
    EXECUTE format('UPDATE public.%I SET status = ''retry_scheduled'', retry_count = $2, next_retry_at = $3, finished_at = $4,
                           error_message = $5 WHERE id = $1', v_table)
        USING v_job.id, v_retry, v_next, v_now, v_error;
    RETURN jsonb_build_object('status', 'retry_scheduled', 'retryCount', v_retry, 'nextRetryAt', v_next, 'finalFailure', false);
END
$$;

CREATE FUNCTION public.fail_privacy_export_job(
    p_job_id uuid, p_error text, p_retry_delay_seconds integer DEFAULT 900, p_max_retries integer DEFAULT 5) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM kruxt_internal.require_service_role();
    RETURN kruxt_internal.fail_privacy_job('export', p_job_id, p_error, p_retry_delay_seconds, p_max_retries, false);
END
$$;

RESET ROLE;
