-- KRUXT 0063: incident notification jobs and the incident_notifier edge job (06 §3.2-§3.3; items 48, 49).
--   claim_incident_notification_jobs, complete_incident_notification_job, fail_incident_notification_job
--   (06 §3.2), incident_notifier_stub_response (the stub channel notifier's reply, 06 §3.3) and
--   run_incident_notifier (the whole job in SQL: the Rust handler passes the options and returns the
--   {status, body} it answers). No function here sends anything: drill mode never performs an external send,
--   and a live job without a configured provider "behaves like the stub" (delivered false), which is every
--   live job of a sandbox. A deployment with a live SMTP/webhook adapter runs the same steps from Rust (see
--   README "What the Rust side calls").
-- EXECUTE on these functions: service_role only (06 §3.2 "service"); others get 42501.
-- Sandbox addition: a job whose payload has a string "simulate_failure" makes the stub raise that message, so
-- the retry/backoff/terminal path (item 49) can be driven through the job itself.
SET ROLE kruxt_owner;

-- 06 §3.2: queued/retry_scheduled jobs due now (coalesce(next_attempt_at, created_at) <= app_now()), oldest
-- first, FOR UPDATE SKIP LOCKED (concurrent runs never claim the same job), set running. p_limit 20 [1..100].
CREATE FUNCTION public.claim_incident_notification_jobs(p_limit integer DEFAULT 20)
RETURNS SETOF public.incident_notification_jobs
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_limit integer := least(100, greatest(1, coalesce(p_limit, 20)));
BEGIN
    RETURN QUERY
    WITH due AS (
        SELECT j.id
        FROM public.incident_notification_jobs j
        WHERE j.status IN ('queued', 'retry_scheduled')
          AND coalesce(j.next_attempt_at, j.created_at) <= v_now
        ORDER BY coalesce(j.next_attempt_at, j.created_at), j.created_at, j.id
        LIMIT v_limit
        FOR UPDATE SKIP LOCKED
    ), claimed AS (
        UPDATE public.incident_notification_jobs j
        SET status = 'running', started_at = v_now
        FROM due
        WHERE j.id = due.id
        RETURNING j.*
    )
    SELECT c.* FROM claimed c
    ORDER BY coalesce(c.next_attempt_at, c.created_at), c.created_at, c.id;
END
$$;

-- 06 §3.2 (item 48). Errors in order: non-object payload (SQL null = {}) -> 'Notification response payload must
-- be a JSON object'; 'Incident notification job not found'; not running -> 'Incident notification job must be
-- running before completion'; 'Security incident not found for notification job'. Job succeeded, attempt_count
-- + 1, response stored, finished_at; action notification_sent (actor null, role service_role), outbox and audit
-- incident.notification_delivered. Returns the incident id.
CREATE FUNCTION public.complete_incident_notification_job(p_job_id uuid, p_response_payload jsonb DEFAULT '{}'::jsonb)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_response jsonb := coalesce(p_response_payload, '{}'::jsonb);
    v_job public.incident_notification_jobs;
    v_inc public.security_incidents;
    v_now timestamptz := public.app_now();
    v_meta jsonb;
BEGIN
    IF jsonb_typeof(v_response) <> 'object' THEN
        RAISE EXCEPTION 'Notification response payload must be a JSON object' USING ERRCODE = 'KX422';
    END IF;
    SELECT * INTO v_job FROM public.incident_notification_jobs j WHERE j.id = p_job_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Incident notification job not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_job.status <> 'running' THEN
        RAISE EXCEPTION 'Incident notification job must be running before completion' USING ERRCODE = 'KX409';
    END IF;
    SELECT * INTO v_inc FROM public.security_incidents i WHERE i.id = v_job.incident_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Security incident not found for notification job' USING ERRCODE = 'KX404';
    END IF;
    UPDATE public.incident_notification_jobs j
    SET status = 'succeeded', attempt_count = j.attempt_count + 1, response_payload = v_response,
        finished_at = v_now, next_attempt_at = NULL
    WHERE j.id = v_job.id;
    v_meta := jsonb_build_object('job_id', v_job.id, 'channel', v_job.channel, 'delivery_mode', v_job.delivery_mode,
                                 'provider', v_job.provider, 'destination', v_job.destination,
                                 'response_payload', v_response);
    PERFORM kruxt_internal.record_incident_event(v_inc.id, 'notification_sent', 'incident.notification_delivered', NULL,
        v_meta,
        jsonb_build_object('gym_id', v_inc.gym_id, 'job_id', v_job.id, 'channel', v_job.channel,
                           'delivery_mode', v_job.delivery_mode, 'attempt_count', v_job.attempt_count + 1,
                           'delivered', coalesce((v_response ->> 'delivered')::boolean, false)),
        NULL, 'service_role');
    RETURN v_inc.id;
END
$$;

-- 06 §3.2 (item 49). attempt = attempt_count + 1; delay 900 [60..86400] s, max 5 [1..20]; blank error ->
-- 'Unknown incident notification error'. attempt >= max: job failed (finished_at, last_error, no next
-- attempt), action notification_failed {job_id, channel, delivery_mode, attempt_count, error,
-- final_failure:true}, outbox and audit incident.notification_failed, returns {status:'failed', attemptCount,
-- finalFailure:true}. Otherwise retry_scheduled with next_attempt_at = now + delay, action notification_failed
-- (final_failure false, next_retry_at; no outbox/audit row: the incident timeline keeps every attempt, the
-- event stream only the terminal failure), returns {status:'retry_scheduled', attemptCount, nextRetryAt,
-- finalFailure:false}. Gap closure (deterministic terminal state): 'Incident notification job not found';
-- a succeeded or failed job -> KX409 'Incident notification job is already finished' (nothing changes).
CREATE FUNCTION public.fail_incident_notification_job(
    p_job_id uuid,
    p_error text,
    p_retry_delay_seconds integer DEFAULT 900,
    p_max_retries integer DEFAULT 5
) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_error text := coalesce(nullif(btrim(p_error), ''), 'Unknown incident notification error');
    v_delay integer := least(86400, greatest(60, coalesce(p_retry_delay_seconds, 900)));
    v_max integer := least(20, greatest(1, coalesce(p_max_retries, 5)));
    v_now timestamptz := public.app_now();
    v_job public.incident_notification_jobs;
    v_inc public.security_incidents;
    v_attempt integer;
    v_next timestamptz;
    v_meta jsonb;
BEGIN
    SELECT * INTO v_job FROM public.incident_notification_jobs j WHERE j.id = p_job_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Incident notification job not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_job.status IN ('succeeded', 'failed') THEN
        RAISE EXCEPTION 'Incident notification job is already finished' USING ERRCODE = 'KX409';
    END IF;
    SELECT * INTO v_inc FROM public.security_incidents i WHERE i.id = v_job.incident_id;
    v_attempt := v_job.attempt_count + 1;
    v_meta := jsonb_build_object('job_id', v_job.id, 'channel', v_job.channel, 'delivery_mode', v_job.delivery_mode,
                                 'attempt_count', v_attempt, 'max_retries', v_max, 'error', v_error);
    IF v_attempt >= v_max THEN
        UPDATE public.incident_notification_jobs j
        SET status = 'failed', attempt_count = v_attempt, last_error = v_error, finished_at = v_now, next_attempt_at = NULL
        WHERE j.id = v_job.id;
        PERFORM kruxt_internal.record_incident_event(v_job.incident_id, 'notification_failed', 'incident.notification_failed',
            v_error, v_meta || jsonb_build_object('final_failure', true),
            jsonb_build_object('gym_id', v_inc.gym_id, 'job_id', v_job.id, 'channel', v_job.channel,
                               'delivery_mode', v_job.delivery_mode, 'attempt_count', v_attempt, 'error', v_error,
                               'final_failure', true),
            NULL, 'service_role');
        RETURN jsonb_build_object('status', 'failed', 'attemptCount', v_attempt, 'finalFailure', true);
    END IF;
    v_next := v_now + make_interval(secs => v_delay);
    UPDATE public.incident_notification_jobs j
    SET status = 'retry_scheduled', attempt_count = v_attempt, last_error = v_error, next_attempt_at = v_next
    WHERE j.id = v_job.id;
    INSERT INTO public.incident_actions (incident_id, action_type, action_note, metadata, actor_user_id, actor_role)
    VALUES (v_job.incident_id, 'notification_failed', v_error,
            v_meta || jsonb_build_object('final_failure', false, 'next_retry_at', v_next), NULL, 'service_role');
    RETURN jsonb_build_object('status', 'retry_scheduled', 'attemptCount', v_attempt, 'nextRetryAt', v_next,
                              'finalFailure', false);
END
$$;

-- 06 §3.3: the stub channel notifier's reply for a job (also what a live job answers when no provider is
-- configured). p_mode: 'drill' or 'live'. {notifier:'stub', channel, destination, mode, delivered:false,
-- summary, metadata:{templateKey, payloadPreviewKeys (the job payload's keys, sorted), liveProviderConfigured},
-- processed_at}. Raises the job's payload "simulate_failure" text when present (sandbox failure injection).
CREATE FUNCTION public.incident_notifier_stub_response(p_job_id uuid, p_mode text, p_live_provider_configured boolean DEFAULT false)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_job public.incident_notification_jobs;
    v_mode text := CASE WHEN lower(btrim(coalesce(p_mode, ''))) = 'live' THEN 'live' ELSE 'drill' END;
BEGIN
    SELECT * INTO v_job FROM public.incident_notification_jobs j WHERE j.id = p_job_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Incident notification job not found' USING ERRCODE = 'KX404';
    END IF;
    IF jsonb_typeof(v_job.payload -> 'simulate_failure') = 'string' THEN
        RAISE EXCEPTION '%', v_job.payload ->> 'simulate_failure' USING ERRCODE = 'KX500';
    END IF;
    RETURN jsonb_build_object(
        'notifier', 'stub',
        'channel', v_job.channel,
        'destination', v_job.destination,
        'mode', v_mode,
        'delivered', false,
        'summary', CASE WHEN v_mode = 'drill'
                        THEN format('Drill mode: no external send happened; the %s notice to %s was simulated.',
                                    v_job.channel, v_job.destination)
                        ELSE format('Live delivery requested but no %s provider is configured: no external send happened.',
                                    v_job.channel) END,
        'metadata', jsonb_build_object(
            'templateKey', v_job.template_key,
            'payloadPreviewKeys', coalesce((SELECT jsonb_agg(k ORDER BY k) FROM jsonb_object_keys(v_job.payload) AS k), '[]'::jsonb),
            'liveProviderConfigured', coalesce(p_live_provider_configured, false)),
        'processed_at', public.app_now());
END
$$;

-- ---------------------------------------------------------------------------------------------
-- run_incident_notifier (06 §3.3, item 48): the incident_notifier job in one call, for deployments without a
-- live provider (every sandbox). p_options {claimLimit 20 [1..100], retryDelaySeconds 900 [60..86400],
-- maxRetries 5 [1..20], forceDrill false} (numbers or numeric strings; anything else -> the default). Claims,
-- then per job in claim order: mode = drill if forceDrill or the job is drill, else live; the stub reply
-- completes the job (complete_incident_notification_job); any exception (in its own subtransaction) ->
-- fail_incident_notification_job(job, message, retryDelaySeconds, maxRetries) and an errors[] entry.
-- Returns {"status":200,"body":{claimedCount, succeededCount, failedCount (= retryScheduledCount +
-- finalFailedCount), retryScheduledCount, finalFailedCount, forceDrill, succeededJobIds, failedJobIds,
-- retryScheduledJobIds, finalFailedJobIds, errors:[{jobId, error}]}} (id lists in claim order).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION kruxt_internal.option_int(p_options jsonb, p_key text, p_default integer, p_min integer, p_max integer)
RETURNS integer
LANGUAGE sql IMMUTABLE
AS $$
    SELECT floor(least(p_max, greatest(p_min, coalesce(
        CASE WHEN jsonb_typeof(p_options -> p_key) = 'number' THEN (p_options ->> p_key)::numeric
             WHEN jsonb_typeof(p_options -> p_key) = 'string' AND btrim(p_options ->> p_key) ~ '^-?[0-9]+(\.[0-9]+)?$'
                  THEN btrim(p_options ->> p_key)::numeric
        END, p_default::numeric))))::integer
$$;

CREATE FUNCTION public.run_incident_notifier(p_options jsonb DEFAULT '{}'::jsonb)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_options jsonb := CASE WHEN jsonb_typeof(p_options) = 'object' THEN p_options ELSE '{}'::jsonb END;
    v_claim_limit integer := kruxt_internal.option_int(v_options, 'claimLimit', 20, 1, 100);
    v_delay integer := kruxt_internal.option_int(v_options, 'retryDelaySeconds', 900, 60, 86400);
    v_max integer := kruxt_internal.option_int(v_options, 'maxRetries', 5, 1, 20);
    v_force_drill boolean := CASE WHEN jsonb_typeof(v_options -> 'forceDrill') = 'boolean' THEN (v_options ->> 'forceDrill')::boolean
                                  ELSE false END;
    v_job public.incident_notification_jobs;
    v_mode text;
    v_result jsonb;
    v_msg text;
    v_claimed integer := 0;
    v_succeeded jsonb := '[]'::jsonb;
    v_failed jsonb := '[]'::jsonb;
    v_retry jsonb := '[]'::jsonb;
    v_final jsonb := '[]'::jsonb;
    v_errors jsonb := '[]'::jsonb;
BEGIN
    FOR v_job IN SELECT * FROM public.claim_incident_notification_jobs(v_claim_limit) LOOP
        v_claimed := v_claimed + 1;
        v_mode := CASE WHEN v_force_drill OR v_job.delivery_mode = 'drill' THEN 'drill' ELSE 'live' END;
        BEGIN
            PERFORM public.complete_incident_notification_job(v_job.id,
                public.incident_notifier_stub_response(v_job.id, v_mode, false));
            v_succeeded := v_succeeded || to_jsonb(v_job.id);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT;
            v_result := public.fail_incident_notification_job(v_job.id, v_msg, v_delay, v_max);
            v_failed := v_failed || to_jsonb(v_job.id);
            v_errors := v_errors || jsonb_build_array(jsonb_build_object('jobId', v_job.id, 'error', v_msg));
            IF (v_result ->> 'finalFailure')::boolean THEN
                v_final := v_final || to_jsonb(v_job.id);
            ELSE
                v_retry := v_retry || to_jsonb(v_job.id);
            END IF;
        END;
    END LOOP;
    RETURN jsonb_build_object('status', 200, 'body', jsonb_build_object(
        'claimedCount', v_claimed,
        'succeededCount', jsonb_array_length(v_succeeded),
        'failedCount', jsonb_array_length(v_failed),
        'retryScheduledCount', jsonb_array_length(v_retry),
        'finalFailedCount', jsonb_array_length(v_final),
        'forceDrill', v_force_drill,
        'succeededJobIds', v_succeeded,
        'failedJobIds', v_failed,
        'retryScheduledJobIds', v_retry,
        'finalFailedJobIds', v_final,
        'errors', v_errors));
END
$$;

REVOKE EXECUTE ON FUNCTION public.claim_incident_notification_jobs(integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION public.complete_incident_notification_job(uuid, jsonb) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION public.fail_incident_notification_job(uuid, text, integer, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION public.incident_notifier_stub_response(uuid, text, boolean) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION public.run_incident_notifier(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.claim_incident_notification_jobs(integer) TO service_role;
GRANT EXECUTE ON FUNCTION public.complete_incident_notification_job(uuid, jsonb) TO service_role;
GRANT EXECUTE ON FUNCTION public.fail_incident_notification_job(uuid, text, integer, integer) TO service_role;
GRANT EXECUTE ON FUNCTION public.incident_notifier_stub_response(uuid, text, boolean) TO service_role;
GRANT EXECUTE ON FUNCTION public.run_incident_notifier(jsonb) TO service_role;

RESET ROLE;
