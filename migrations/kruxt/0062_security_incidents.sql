-- KRUXT 0062: security incidents (06 §3.1-§3.2; items 44-47): security_incidents, incident_actions,
-- incident_notification_jobs, and the staff/service RPCs create_security_incident,
-- transition_security_incident_status, recompute_security_incident_deadlines, admin_list_security_incidents,
-- queue_incident_escalation_notifications. The notification job functions (claim, complete, fail, the
-- incident_notifier run) are in 0063.
-- Departure from reference / gap closure (06 §3.2): closing an incident that was never resolved also stamps
-- resolved_at (the CHECK "closed_at requires resolved_at" would otherwise reject detected -> closed).
-- Errors: KX401 'Authentication required'; KX403 'Gym staff access is required'; KX404 'Security incident not
-- found'; KX409 invalid transitions/states; KX422 validation (messages of 06 §3.2).
SET ROLE kruxt_owner;

DO $types$
BEGIN
    -- also created by area 04 (device_sync_jobs) and 05 (privacy jobs); whichever runs first creates it
    IF to_regtype('public.sync_job_status') IS NULL THEN
        CREATE TYPE public.sync_job_status AS ENUM ('queued', 'running', 'succeeded', 'failed', 'retry_scheduled');
    END IF;
END
$types$;

-- ---------------------------------------------------------------------------------------------
-- Tables (06 §3.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.security_incidents (
    id                       uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    gym_id                   uuid        REFERENCES public.gyms (id) ON DELETE SET NULL,
    title                    text        NOT NULL CHECK (btrim(title) <> ''),
    description              text,
    severity                 text        NOT NULL DEFAULT 'high' CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    status                   text        NOT NULL DEFAULT 'detected'
                                         CHECK (status IN ('detected', 'triaged', 'investigating', 'contained', 'notified', 'resolved', 'closed')),
    source                   text        NOT NULL DEFAULT 'internal_monitor',
    drill_mode               boolean     NOT NULL DEFAULT true,
    requires_ftc_notice      boolean     NOT NULL DEFAULT false,
    requires_gdpr_notice     boolean     NOT NULL DEFAULT true,
    detected_at              timestamptz NOT NULL DEFAULT public.app_now(),
    ftc_notice_due_at        timestamptz,
    gdpr_notice_due_at       timestamptz,
    first_triaged_at         timestamptz,
    investigation_started_at timestamptz,
    contained_at             timestamptz,
    notified_at              timestamptz,
    resolved_at              timestamptz,
    closed_at                timestamptz,
    affected_user_count      integer     NOT NULL DEFAULT 0 CHECK (affected_user_count >= 0),
    affected_gym_count       integer     NOT NULL DEFAULT 0 CHECK (affected_gym_count >= 0),
    created_by               uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    updated_by               uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    metadata                 jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at               timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at               timestamptz NOT NULL DEFAULT public.app_now(),
    CONSTRAINT security_incidents_ftc_due_required CHECK (NOT requires_ftc_notice OR ftc_notice_due_at IS NOT NULL),
    CONSTRAINT security_incidents_gdpr_due_required CHECK (NOT requires_gdpr_notice OR gdpr_notice_due_at IS NOT NULL),
    CONSTRAINT security_incidents_closed_requires_resolved CHECK (closed_at IS NULL OR resolved_at IS NOT NULL)
);
CREATE INDEX security_incidents_gym_detected_idx ON public.security_incidents (gym_id, detected_at DESC);
CREATE INDEX security_incidents_status_idx ON public.security_incidents (status);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.security_incidents
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Immutable (00 §6.3): a cascade from a deleted incident raises too. actor_user_id is evidence and carries
-- no foreign key (interpretation: the actor's id stays even if the profile is ever removed).
CREATE TABLE public.incident_actions (
    id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    incident_id   uuid        NOT NULL REFERENCES public.security_incidents (id) ON DELETE CASCADE,
    action_type   text        NOT NULL CHECK (action_type IN ('created', 'status_changed', 'deadline_recomputed',
                                  'escalation_triggered', 'notification_queued', 'notification_sent',
                                  'notification_failed', 'note_added')),
    action_note   text,
    metadata      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    actor_user_id uuid,
    actor_role    text,
    created_at    timestamptz NOT NULL DEFAULT public.app_now()
);
CREATE INDEX incident_actions_incident_created_idx ON public.incident_actions (incident_id, created_at, id);
CREATE TRIGGER reject_mutation_immutable_table BEFORE UPDATE OR DELETE ON public.incident_actions
    FOR EACH ROW EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_statement BEFORE UPDATE OR DELETE OR TRUNCATE ON public.incident_actions
    FOR EACH STATEMENT EXECUTE FUNCTION public.reject_mutation_immutable_table();

CREATE TABLE public.incident_notification_jobs (
    id               uuid                   PRIMARY KEY DEFAULT gen_random_uuid(),
    incident_id      uuid                   NOT NULL REFERENCES public.security_incidents (id) ON DELETE CASCADE,
    channel          text                   NOT NULL CHECK (channel IN ('email', 'webhook')),
    destination      text                   NOT NULL,
    template_key     text                   NOT NULL DEFAULT 'security_incident_notice_v1',
    payload          jsonb                  NOT NULL DEFAULT '{}'::jsonb,
    delivery_mode    text                   NOT NULL DEFAULT 'drill' CHECK (delivery_mode IN ('drill', 'live')),
    provider         text                   NOT NULL DEFAULT 'stub',
    status           public.sync_job_status NOT NULL DEFAULT 'queued',
    attempt_count    integer                NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
    next_attempt_at  timestamptz,
    started_at       timestamptz,
    finished_at      timestamptz,
    last_error       text,
    response_payload jsonb                  NOT NULL DEFAULT '{}'::jsonb,
    created_by       uuid                   REFERENCES public.profiles (id) ON DELETE SET NULL,
    created_at       timestamptz            NOT NULL DEFAULT public.app_now(),
    updated_at       timestamptz            NOT NULL DEFAULT public.app_now()
);
CREATE INDEX incident_notification_jobs_claim_idx ON public.incident_notification_jobs (status, next_attempt_at, created_at);
CREATE INDEX incident_notification_jobs_incident_idx ON public.incident_notification_jobs (incident_id);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.incident_notification_jobs
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.is_incident_open_status(s text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    SELECT coalesce(s IN ('detected', 'triaged', 'investigating', 'contained', 'notified'), false)
$$;

-- service, or trial/active staff of the incident's gym (non-null gym)
CREATE FUNCTION public.can_view_security_incident(_incident_id uuid, _viewer uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT public.is_service_role()
        OR coalesce((SELECT i.gym_id IS NOT NULL AND public.is_gym_staff(i.gym_id, _viewer)
                     FROM public.security_incidents i WHERE i.id = _incident_id), false)
$$;

-- The caller checks of the incident RPCs: service passes; no user -> Authentication required; a null gym or
-- a gym where the caller is not trial/active staff -> Gym staff access is required.
CREATE FUNCTION kruxt_internal.require_incident_gym_staff(p_gym_id uuid) RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF public.is_service_role() THEN
        RETURN;
    END IF;
    IF auth.uid() IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF p_gym_id IS NULL OR NOT public.is_gym_staff(p_gym_id) THEN
        RAISE EXCEPTION 'Gym staff access is required' USING ERRCODE = 'KX403';
    END IF;
END
$$;

-- The caller's profile id (null for the service or a user without a profile): created_by/updated_by.
CREATE FUNCTION kruxt_internal.caller_profile_id() RETURNS uuid
LANGUAGE sql STABLE
AS $$
    SELECT p.id FROM public.profiles p WHERE p.id = auth.uid()
$$;

-- The caller's role claim ('authenticated' when missing), as append_audit_log records it.
CREATE FUNCTION kruxt_internal.caller_role() RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(nullif(auth.jwt() ->> 'role', ''), 'authenticated')
$$;

-- One incident event: the incident_actions row, the outbox row (aggregate security_incident) and the audit
-- row (action = the event type, target security_incidents). Returns the action id; the outbox payload gets
-- incident_id and action_id first.
CREATE FUNCTION kruxt_internal.record_incident_event(
    p_incident_id uuid, p_action_type text, p_event_type text, p_note text, p_action_metadata jsonb,
    p_payload jsonb, p_actor_user_id uuid, p_actor_role text
) RETURNS uuid
LANGUAGE plpgsql
AS $$
DECLARE
    v_action_id uuid;
BEGIN
    INSERT INTO public.incident_actions (incident_id, action_type, action_note, metadata, actor_user_id, actor_role)
    VALUES (p_incident_id, p_action_type, p_note, coalesce(p_action_metadata, '{}'::jsonb), p_actor_user_id, p_actor_role)
    RETURNING id INTO v_action_id;
    INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
    VALUES (p_event_type, 'security_incident', p_incident_id,
            jsonb_build_object('incident_id', p_incident_id, 'action_id', v_action_id) || coalesce(p_payload, '{}'::jsonb));
    PERFORM public.append_audit_log(p_event_type, 'security_incidents', p_incident_id, p_note,
        jsonb_build_object('action_id', v_action_id, 'action_type', p_action_type) || coalesce(p_payload, '{}'::jsonb));
    RETURN v_action_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- compute_incident_notice_deadlines (06 §3.2): hours clamped to 1..8760 (defaults 1440 FTC, 72 GDPR);
-- due dates only for required notices.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.compute_incident_notice_deadlines(
    p_detected_at timestamptz,
    p_requires_ftc_notice boolean,
    p_requires_gdpr_notice boolean,
    p_ftc_deadline_hours integer DEFAULT 1440,
    p_gdpr_deadline_hours integer DEFAULT 72
) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE
AS $$
DECLARE
    v_ftc_hours integer := least(8760, greatest(1, coalesce(p_ftc_deadline_hours, 1440)));
    v_gdpr_hours integer := least(8760, greatest(1, coalesce(p_gdpr_deadline_hours, 72)));
BEGIN
    IF p_detected_at IS NULL THEN
        RAISE EXCEPTION 'Detected timestamp is required' USING ERRCODE = 'KX422';
    END IF;
    RETURN jsonb_build_object(
        'detected_at', p_detected_at,
        'ftc_notice_due_at', CASE WHEN coalesce(p_requires_ftc_notice, false)
                                  THEN p_detected_at + make_interval(hours => v_ftc_hours) END,
        'gdpr_notice_due_at', CASE WHEN coalesce(p_requires_gdpr_notice, false)
                                   THEN p_detected_at + make_interval(hours => v_gdpr_hours) END,
        'ftc_deadline_hours', v_ftc_hours,
        'gdpr_deadline_hours', v_gdpr_hours);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- create_security_incident (item 44). Errors in order: blank title; non-object metadata (SQL null = {});
-- invalid severity (trimmed, lower-cased); no user (non-service); not staff of p_gym_id or null gym
-- (non-service); null p_detected_at -> 'Detected timestamp is required'. Title trimmed, blank description ->
-- null, blank source -> 'internal_monitor', counts floored at 0, null flags -> their defaults.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.create_security_incident(
    p_gym_id uuid,
    p_title text,
    p_description text DEFAULT NULL,
    p_severity text DEFAULT 'high',
    p_source text DEFAULT 'internal_monitor',
    p_drill_mode boolean DEFAULT true,
    p_requires_ftc_notice boolean DEFAULT false,
    p_requires_gdpr_notice boolean DEFAULT true,
    p_detected_at timestamptz DEFAULT public.app_now(),
    p_ftc_deadline_hours integer DEFAULT 1440,
    p_gdpr_deadline_hours integer DEFAULT 72,
    p_affected_user_count integer DEFAULT 0,
    p_affected_gym_count integer DEFAULT 0,
    p_metadata jsonb DEFAULT '{}'::jsonb
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_title text := btrim(coalesce(p_title, ''));
    v_metadata jsonb := coalesce(p_metadata, '{}'::jsonb);
    v_severity text := lower(btrim(coalesce(p_severity, '')));
    v_source text := coalesce(nullif(btrim(p_source), ''), 'internal_monitor');
    v_drill boolean := coalesce(p_drill_mode, true);
    v_ftc boolean := coalesce(p_requires_ftc_notice, false);
    v_gdpr boolean := coalesce(p_requires_gdpr_notice, true);
    v_deadlines jsonb;
    v_id uuid;
    v_action_metadata jsonb;
BEGIN
    IF v_title = '' THEN
        RAISE EXCEPTION 'Incident title is required' USING ERRCODE = 'KX422';
    END IF;
    IF jsonb_typeof(v_metadata) <> 'object' THEN
        RAISE EXCEPTION 'Incident metadata must be a JSON object' USING ERRCODE = 'KX422';
    END IF;
    IF v_severity NOT IN ('low', 'medium', 'high', 'critical') THEN
        RAISE EXCEPTION 'Invalid incident severity' USING ERRCODE = 'KX422';
    END IF;
    PERFORM kruxt_internal.require_incident_gym_staff(p_gym_id);
    v_deadlines := public.compute_incident_notice_deadlines(p_detected_at, v_ftc, v_gdpr, p_ftc_deadline_hours, p_gdpr_deadline_hours);

    INSERT INTO public.security_incidents (gym_id, title, description, severity, status, source, drill_mode,
        requires_ftc_notice, requires_gdpr_notice, detected_at, ftc_notice_due_at, gdpr_notice_due_at,
        affected_user_count, affected_gym_count, created_by, updated_by, metadata)
    VALUES (p_gym_id, v_title, nullif(btrim(p_description), ''), v_severity, 'detected', v_source, v_drill,
        v_ftc, v_gdpr, p_detected_at, (v_deadlines ->> 'ftc_notice_due_at')::timestamptz,
        (v_deadlines ->> 'gdpr_notice_due_at')::timestamptz,
        greatest(0, coalesce(p_affected_user_count, 0)), greatest(0, coalesce(p_affected_gym_count, 0)),
        kruxt_internal.caller_profile_id(), kruxt_internal.caller_profile_id(), v_metadata)
    RETURNING id INTO v_id;

    v_action_metadata := jsonb_build_object(
        'severity', v_severity, 'source', v_source, 'detected_at', p_detected_at, 'drill_mode', v_drill,
        'requires_ftc_notice', v_ftc, 'requires_gdpr_notice', v_gdpr,
        'ftc_notice_due_at', v_deadlines -> 'ftc_notice_due_at', 'gdpr_notice_due_at', v_deadlines -> 'gdpr_notice_due_at');
    PERFORM kruxt_internal.record_incident_event(v_id, 'created', 'incident.created', NULL, v_action_metadata,
        jsonb_build_object('gym_id', p_gym_id, 'severity', v_severity, 'status', 'detected', 'drill_mode', v_drill,
                           'detected_at', p_detected_at, 'ftc_notice_due_at', v_deadlines -> 'ftc_notice_due_at',
                           'gdpr_notice_due_at', v_deadlines -> 'gdpr_notice_due_at'),
        auth.uid(), kruxt_internal.caller_role());
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- transition_security_incident_status (item 45). Order: unknown status (trimmed, lower-cased for the match;
-- the message quotes the input) -> 'Invalid incident status: <s>'; non-object metadata (SQL null = {});
-- missing (row locked) -> 'Security incident not found'; caller checks on the incident's gym; same status ->
-- no-op (returns the id, no events); otherwise the 06 §3.2 table or 'Invalid incident status transition:
-- <from> -> <to>'. Stamps (first wins) the stage column of the target; closing also stamps resolved_at when
-- it is null (gap closure). Returns the incident id.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.transition_security_incident_status(
    p_incident_id uuid,
    p_next_status text,
    p_note text DEFAULT NULL,
    p_metadata jsonb DEFAULT '{}'::jsonb
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_next text := lower(btrim(coalesce(p_next_status, '')));
    v_metadata jsonb := coalesce(p_metadata, '{}'::jsonb);
    v_note text := nullif(btrim(p_note), '');
    v_now timestamptz := public.app_now();
    v_inc public.security_incidents;
BEGIN
    IF v_next NOT IN ('detected', 'triaged', 'investigating', 'contained', 'notified', 'resolved', 'closed') THEN
        RAISE EXCEPTION 'Invalid incident status: %', p_next_status USING ERRCODE = 'KX422';
    END IF;
    IF jsonb_typeof(v_metadata) <> 'object' THEN
        RAISE EXCEPTION 'Incident transition metadata must be a JSON object' USING ERRCODE = 'KX422';
    END IF;
    SELECT * INTO v_inc FROM public.security_incidents i WHERE i.id = p_incident_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Security incident not found' USING ERRCODE = 'KX404';
    END IF;
    PERFORM kruxt_internal.require_incident_gym_staff(v_inc.gym_id);
    IF v_inc.status = v_next THEN
        RETURN v_inc.id;
    END IF;
    IF NOT (v_inc.status, v_next) IN (
            ('detected', 'triaged'), ('detected', 'closed'),
            ('triaged', 'investigating'), ('triaged', 'contained'), ('triaged', 'closed'),
            ('investigating', 'contained'), ('investigating', 'notified'), ('investigating', 'resolved'), ('investigating', 'closed'),
            ('contained', 'notified'), ('contained', 'resolved'), ('contained', 'closed'),
            ('notified', 'resolved'), ('notified', 'closed'),
            ('resolved', 'closed')) THEN
        RAISE EXCEPTION 'Invalid incident status transition: % -> %', v_inc.status, v_next USING ERRCODE = 'KX409';
    END IF;

    UPDATE public.security_incidents i
    SET status = v_next,
        first_triaged_at = CASE WHEN v_next = 'triaged' THEN coalesce(i.first_triaged_at, v_now) ELSE i.first_triaged_at END,
        investigation_started_at = CASE WHEN v_next = 'investigating' THEN coalesce(i.investigation_started_at, v_now)
                                        ELSE i.investigation_started_at END,
        contained_at = CASE WHEN v_next = 'contained' THEN coalesce(i.contained_at, v_now) ELSE i.contained_at END,
        notified_at = CASE WHEN v_next = 'notified' THEN coalesce(i.notified_at, v_now) ELSE i.notified_at END,
        resolved_at = CASE WHEN v_next IN ('resolved', 'closed') THEN coalesce(i.resolved_at, v_now) ELSE i.resolved_at END,
        closed_at = CASE WHEN v_next = 'closed' THEN coalesce(i.closed_at, v_now) ELSE i.closed_at END,
        updated_by = kruxt_internal.caller_profile_id()
    WHERE i.id = v_inc.id;

    PERFORM kruxt_internal.record_incident_event(v_inc.id, 'status_changed', 'incident.status_changed', v_note,
        v_metadata || jsonb_build_object('previous_status', v_inc.status, 'next_status', v_next, 'transitioned_at', v_now),
        jsonb_build_object('gym_id', v_inc.gym_id, 'previous_status', v_inc.status, 'next_status', v_next,
                           'drill_mode', v_inc.drill_mode, 'transitioned_at', v_now),
        auth.uid(), kruxt_internal.caller_role());
    RETURN v_inc.id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- recompute_security_incident_deadlines (06 §3.2): same caller checks (after 'Security incident not found');
-- recomputes both due dates from detected_at and the current notice flags (hours clamped 1..8760). Action
-- deadline_recomputed (metadata: hours, new and previous due dates), outbox and audit
-- incident.deadline_recomputed. Returns the incident id.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.recompute_security_incident_deadlines(
    p_incident_id uuid,
    p_ftc_deadline_hours integer DEFAULT 1440,
    p_gdpr_deadline_hours integer DEFAULT 72,
    p_note text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_inc public.security_incidents;
    v_deadlines jsonb;
BEGIN
    SELECT * INTO v_inc FROM public.security_incidents i WHERE i.id = p_incident_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Security incident not found' USING ERRCODE = 'KX404';
    END IF;
    PERFORM kruxt_internal.require_incident_gym_staff(v_inc.gym_id);
    v_deadlines := public.compute_incident_notice_deadlines(v_inc.detected_at, v_inc.requires_ftc_notice,
        v_inc.requires_gdpr_notice, p_ftc_deadline_hours, p_gdpr_deadline_hours);
    UPDATE public.security_incidents i
    SET ftc_notice_due_at = (v_deadlines ->> 'ftc_notice_due_at')::timestamptz,
        gdpr_notice_due_at = (v_deadlines ->> 'gdpr_notice_due_at')::timestamptz,
        updated_by = kruxt_internal.caller_profile_id()
    WHERE i.id = v_inc.id;
    PERFORM kruxt_internal.record_incident_event(v_inc.id, 'deadline_recomputed', 'incident.deadline_recomputed',
        nullif(btrim(p_note), ''),
        v_deadlines || jsonb_build_object('previous_ftc_notice_due_at', v_inc.ftc_notice_due_at,
                                          'previous_gdpr_notice_due_at', v_inc.gdpr_notice_due_at),
        jsonb_build_object('gym_id', v_inc.gym_id, 'ftc_notice_due_at', v_deadlines -> 'ftc_notice_due_at',
                           'gdpr_notice_due_at', v_deadlines -> 'gdpr_notice_due_at'),
        auth.uid(), kruxt_internal.caller_role());
    RETURN v_inc.id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- admin_list_security_incidents (item 46). Non-service: 'Authentication required', 'Gym id is required',
-- 'Gym staff access is required'; then a filter that is not a status (trimmed, lower-cased; blank = none) ->
-- 'Invalid status filter'. The service may pass a null gym (every incident). The countdown uses app_now():
-- next_deadline_at = the earliest due date among required notices; label gdpr / ftc / mixed (06 §3.2; null
-- without a deadline); seconds_to_next_deadline = floor(seconds until it) (negative when past);
-- is_deadline_breached = deadline < now and status not resolved/closed. Order: breached first,
-- next_deadline_at asc nulls last, detected_at desc, id. p_limit 50 [1..200].
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.admin_list_security_incidents(
    p_gym_id uuid,
    p_limit integer DEFAULT 50,
    p_status_filter text DEFAULT NULL
) RETURNS TABLE (
    id uuid,
    gym_id uuid,
    title text,
    severity text,
    status text,
    drill_mode boolean,
    detected_at timestamptz,
    requires_ftc_notice boolean,
    requires_gdpr_notice boolean,
    ftc_notice_due_at timestamptz,
    gdpr_notice_due_at timestamptz,
    next_deadline_at timestamptz,
    next_deadline_label text,
    seconds_to_next_deadline bigint,
    is_deadline_breached boolean,
    affected_user_count integer,
    affected_gym_count integer,
    updated_at timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_limit integer := least(200, greatest(1, coalesce(p_limit, 50)));
    v_filter text := nullif(lower(btrim(p_status_filter)), '');
BEGIN
    IF NOT public.is_service_role() THEN
        IF auth.uid() IS NULL THEN
            RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
        END IF;
        IF p_gym_id IS NULL THEN
            RAISE EXCEPTION 'Gym id is required' USING ERRCODE = 'KX422';
        END IF;
        IF NOT public.is_gym_staff(p_gym_id) THEN
            RAISE EXCEPTION 'Gym staff access is required' USING ERRCODE = 'KX403';
        END IF;
    END IF;
    IF v_filter IS NOT NULL
       AND v_filter NOT IN ('detected', 'triaged', 'investigating', 'contained', 'notified', 'resolved', 'closed') THEN
        RAISE EXCEPTION 'Invalid status filter' USING ERRCODE = 'KX422';
    END IF;
    RETURN QUERY
    WITH base AS (
        SELECT i.*,
               CASE WHEN i.requires_ftc_notice AND i.requires_gdpr_notice THEN least(i.ftc_notice_due_at, i.gdpr_notice_due_at)
                    WHEN i.requires_gdpr_notice THEN i.gdpr_notice_due_at
                    WHEN i.requires_ftc_notice THEN i.ftc_notice_due_at
               END AS next_due
        FROM public.security_incidents i
        WHERE (p_gym_id IS NULL OR i.gym_id = p_gym_id)
          AND (v_filter IS NULL OR i.status = v_filter)
    ), shaped AS (
        SELECT b.*,
               CASE WHEN b.next_due IS NULL THEN NULL
                    WHEN b.requires_gdpr_notice AND b.next_due = b.gdpr_notice_due_at THEN 'gdpr'
                    WHEN b.requires_ftc_notice AND b.next_due = b.ftc_notice_due_at THEN 'ftc'
                    ELSE 'mixed'
               END AS label,
               floor(extract(epoch FROM (b.next_due - v_now)))::bigint AS secs,
               coalesce(b.next_due < v_now AND b.status NOT IN ('resolved', 'closed'), false) AS breached
        FROM base b
    )
    SELECT s.id, s.gym_id, s.title, s.severity, s.status, s.drill_mode, s.detected_at, s.requires_ftc_notice,
           s.requires_gdpr_notice, s.ftc_notice_due_at, s.gdpr_notice_due_at, s.next_due, s.label, s.secs, s.breached,
           s.affected_user_count, s.affected_gym_count, s.updated_at
    FROM shaped s
    ORDER BY s.breached DESC, s.next_due ASC NULLS LAST, s.detected_at DESC, s.id
    LIMIT v_limit;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- queue_incident_escalation_notifications (item 47). Order: non-object payload (SQL null = {}) -> 'Escalation
-- payload must be a JSON object'; missing (row locked) -> 'Security incident not found'; caller checks;
-- resolved/closed -> 'Cannot queue escalation for resolved or closed incident'; channels: distinct trimmed
-- lower-cased non-blank values in alphabetical order, an unknown one -> 'Unsupported incident notification
-- channel: <c>', none (also a null array) -> 'At least one escalation channel is required'.
-- delivery_mode = live if p_force_live, else drill for a drill incident, else live. Blank destinations and
-- template key take the defaults. One queued job per channel (next_attempt_at = now, provider stub), payload
-- = p_payload || {incident_id, incident_title, incident_status, incident_severity, reason, queued_at}.
-- Action escalation_triggered (note = the reason), outbox and audit incident.escalation_triggered. Returns the
-- number of jobs.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.queue_incident_escalation_notifications(
    p_incident_id uuid,
    p_reason text DEFAULT NULL,
    p_channels text[] DEFAULT ARRAY['email', 'webhook'],
    p_email_destination text DEFAULT NULL,
    p_webhook_destination text DEFAULT NULL,
    p_payload jsonb DEFAULT '{}'::jsonb,
    p_force_live boolean DEFAULT false,
    p_template_key text DEFAULT 'security_incident_notice_v1'
) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_payload jsonb := coalesce(p_payload, '{}'::jsonb);
    v_inc public.security_incidents;
    v_channels text[];
    v_bad text;
    v_mode text;
    v_template text := coalesce(nullif(btrim(p_template_key), ''), 'security_incident_notice_v1');
    v_reason text := nullif(btrim(p_reason), '');
    v_now timestamptz := public.app_now();
    v_job_payload jsonb;
    v_channel text;
    v_count integer := 0;
BEGIN
    IF jsonb_typeof(v_payload) <> 'object' THEN
        RAISE EXCEPTION 'Escalation payload must be a JSON object' USING ERRCODE = 'KX422';
    END IF;
    SELECT * INTO v_inc FROM public.security_incidents i WHERE i.id = p_incident_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Security incident not found' USING ERRCODE = 'KX404';
    END IF;
    PERFORM kruxt_internal.require_incident_gym_staff(v_inc.gym_id);
    IF v_inc.status IN ('resolved', 'closed') THEN
        RAISE EXCEPTION 'Cannot queue escalation for resolved or closed incident' USING ERRCODE = 'KX409';
    END IF;
    SELECT array_agg(DISTINCT lower(btrim(c)) ORDER BY lower(btrim(c))) INTO v_channels
    FROM unnest(coalesce(p_channels, '{}'::text[])) AS u(c)
    WHERE c IS NOT NULL AND btrim(c) <> '';
    SELECT c INTO v_bad FROM unnest(v_channels) AS u(c) WHERE c NOT IN ('email', 'webhook') ORDER BY c LIMIT 1;
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION 'Unsupported incident notification channel: %', v_bad USING ERRCODE = 'KX422';
    END IF;
    IF coalesce(cardinality(v_channels), 0) = 0 THEN
        RAISE EXCEPTION 'At least one escalation channel is required' USING ERRCODE = 'KX422';
    END IF;
    v_mode := CASE WHEN coalesce(p_force_live, false) THEN 'live' WHEN v_inc.drill_mode THEN 'drill' ELSE 'live' END;
    v_job_payload := v_payload || jsonb_build_object(
        'incident_id', v_inc.id, 'incident_title', v_inc.title, 'incident_status', v_inc.status,
        'incident_severity', v_inc.severity, 'reason', v_reason, 'queued_at', v_now);
    FOREACH v_channel IN ARRAY v_channels LOOP
        INSERT INTO public.incident_notification_jobs (incident_id, channel, destination, template_key, payload,
            delivery_mode, provider, status, attempt_count, next_attempt_at, created_by)
        VALUES (v_inc.id, v_channel,
                CASE v_channel WHEN 'email' THEN coalesce(nullif(btrim(p_email_destination), ''), 'compliance-drill@kruxt.local')
                               ELSE coalesce(nullif(btrim(p_webhook_destination), ''), 'https://example.invalid/kruxt/incident') END,
                v_template, v_job_payload, v_mode, 'stub', 'queued', 0, v_now, kruxt_internal.caller_profile_id());
        v_count := v_count + 1;
    END LOOP;
    PERFORM kruxt_internal.record_incident_event(v_inc.id, 'escalation_triggered', 'incident.escalation_triggered', v_reason,
        jsonb_build_object('job_count', v_count, 'delivery_mode', v_mode, 'channels', to_jsonb(v_channels),
                           'template_key', v_template, 'queued_at', v_now),
        jsonb_build_object('gym_id', v_inc.gym_id, 'job_count', v_count, 'delivery_mode', v_mode,
                           'channels', to_jsonb(v_channels), 'template_key', v_template, 'queued_at', v_now),
        auth.uid(), kruxt_internal.caller_role());
    RETURN v_count;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- RLS (06 §3.4)
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.security_incidents ENABLE ROW LEVEL SECURITY;
CREATE POLICY security_incidents_select ON public.security_incidents FOR SELECT TO authenticated
    USING (public.is_service_role() OR (gym_id IS NOT NULL AND public.is_gym_staff(gym_id)));
CREATE POLICY security_incidents_service_all ON public.security_incidents FOR ALL TO authenticated
    USING (public.is_service_role()) WITH CHECK (public.is_service_role());

ALTER TABLE public.incident_actions ENABLE ROW LEVEL SECURITY;
CREATE POLICY incident_actions_select ON public.incident_actions FOR SELECT TO authenticated
    USING (public.is_service_role() OR public.can_view_security_incident(incident_id));
CREATE POLICY incident_actions_insert_service ON public.incident_actions FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role());

ALTER TABLE public.incident_notification_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY incident_notification_jobs_service_all ON public.incident_notification_jobs FOR ALL TO authenticated
    USING (public.is_service_role()) WITH CHECK (public.is_service_role());

RESET ROLE;
