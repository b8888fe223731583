-- KRUXT 0051: privacy requests (05 §4, §6.1 helpers; items 22, 24).
-- The table privacy_requests came with 0007 (service-only INSERT/UPDATE/DELETE: the gap closure of 05 §6.3),
-- admin_list_open_privacy_requests and is_privacy_request_open_status with 0008 (unchanged: they already
-- match 05 §4.2). Added here:
--   * can_manage_privacy_user / can_staff_manage_privacy_user (05 §6.1, used by transitions and legal holds);
--   * submit_privacy_request, transition_privacy_request_status, process_privacy_request_queue (§4.2);
--   * kruxt_internal.walk_privacy_request, used by the export and delete pipelines (0052, 0053).
-- Gap closures: at most one open request per (user, type) is also enforced by a partial unique index
-- (two concurrent submits cannot both pass the duplicate check); staff never manage (transition, hold)
-- their own privacy data (can_staff_manage_privacy_user is false for actor = target).
-- Locking: every function here locks the request rows it changes (FOR UPDATE, or FOR UPDATE SKIP LOCKED in
-- the queue job) before it writes outbox/audit rows, so it never holds the audit-chain lock while waiting
-- for a request row (see README, "Audit chain").
SET ROLE kruxt_owner;

CREATE UNIQUE INDEX privacy_requests_one_open_per_type ON public.privacy_requests (user_id, request_type)
    WHERE status IN ('submitted', 'triaged', 'in_progress', 'in_review');

-- ---------------------------------------------------------------------------------------------
-- Access helpers (05 §6.1)
-- ---------------------------------------------------------------------------------------------
-- Trial/active leader/officer/coach in a gym where the target has a trial/active membership; never
-- for oneself. Non-service callers get answers only about themselves as actor (no probing of others).
CREATE FUNCTION public.can_staff_manage_privacy_user(_target_user_id uuid, _actor_user_id uuid DEFAULT auth.uid())
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT public.is_service_role()
        OR coalesce(
               _actor_user_id = auth.uid()
               AND _actor_user_id <> _target_user_id
               AND EXISTS (
                   SELECT 1
                   FROM public.gym_memberships s
                   JOIN public.gym_memberships t ON t.gym_id = s.gym_id
                   WHERE s.user_id = _actor_user_id
                     AND s.role IN ('leader', 'officer', 'coach')
                     AND s.membership_status IN ('trial', 'active')
                     AND t.user_id = _target_user_id
                     AND t.membership_status IN ('trial', 'active')),
               false)
$$;

CREATE FUNCTION public.can_manage_privacy_user(_target_user_id uuid, _actor_user_id uuid DEFAULT auth.uid())
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT public.is_service_role()
        OR coalesce(_actor_user_id = auth.uid() AND _actor_user_id = _target_user_id, false)
        OR public.can_staff_manage_privacy_user(_target_user_id, _actor_user_id)
$$;

-- ---------------------------------------------------------------------------------------------
-- Transition rules (05 §4.2)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION kruxt_internal.privacy_request_transition_allowed(
    p_from public.privacy_request_status, p_to public.privacy_request_status) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    SELECT coalesce(CASE p_from
        WHEN 'submitted'   THEN p_to IN ('triaged', 'rejected', 'in_review')
        WHEN 'triaged'     THEN p_to IN ('in_progress', 'rejected')
        WHEN 'in_progress' THEN p_to IN ('fulfilled', 'rejected')
        WHEN 'in_review'   THEN p_to IN ('in_progress', 'fulfilled', 'rejected')
        WHEN 'completed'   THEN p_to IN ('fulfilled')
        ELSE false
    END, false)
$$;

-- ---------------------------------------------------------------------------------------------
-- submit_privacy_request (05 §4.2)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.submit_privacy_request(p_request_type public.privacy_request_type, p_reason text DEFAULT NULL)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_now timestamptz := public.app_now();
    v_request public.privacy_requests;
    v_payload jsonb;
BEGIN
    IF v_uid IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF p_request_type IS NULL THEN
        RAISE EXCEPTION 'Privacy request type is required' USING ERRCODE = 'KX422';
    END IF;
    IF EXISTS (SELECT 1 FROM public.privacy_requests r
               WHERE r.user_id = v_uid AND r.request_type = p_request_type
                 AND public.is_privacy_request_open_status(r.status)) THEN
        RAISE EXCEPTION 'An open % request already exists', p_request_type USING ERRCODE = 'KX409';
    END IF;
    BEGIN
        INSERT INTO public.privacy_requests (user_id, request_type, status, reason, submitted_at, due_at)
        VALUES (v_uid, p_request_type, 'submitted', nullif(btrim(p_reason), ''), v_now, v_now + interval '30 days')
        RETURNING * INTO v_request;
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'An open % request already exists', p_request_type USING ERRCODE = 'KX409';
    END;
    v_payload := jsonb_build_object('request_id', v_request.id, 'user_id', v_uid, 'request_type', p_request_type,
                                    'due_at', v_request.due_at);
    PERFORM kruxt_internal.emit_domain_event('privacy.request_submitted', 'privacy_request', v_request.id, v_payload,
                                             'privacy_requests', v_request.id, NULL, v_payload);
    RETURN v_request.id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- transition_privacy_request_status (05 §4.2; item 22)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.transition_privacy_request_status(
    p_request_id uuid, p_next_status public.privacy_request_status, p_notes text DEFAULT NULL) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_service boolean := public.is_service_role();
    v_now timestamptz := public.app_now();
    v_note text := nullif(btrim(p_notes), '');
    v_request public.privacy_requests;
    v_after public.privacy_requests;
BEGIN
    IF v_uid IS NULL AND NOT v_service THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    SELECT * INTO v_request FROM public.privacy_requests r WHERE r.id = p_request_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Privacy request not found' USING ERRCODE = 'KX404';
    END IF;
    IF NOT v_service AND NOT public.can_staff_manage_privacy_user(v_request.user_id, v_uid) THEN
        RAISE EXCEPTION 'Gym staff access is required' USING ERRCODE = 'KX403';
    END IF;
    IF p_next_status IS NOT DISTINCT FROM v_request.status THEN
        RETURN v_request.id;
    END IF;
    IF NOT kruxt_internal.privacy_request_transition_allowed(v_request.status, p_next_status) THEN
        RAISE EXCEPTION 'Invalid status transition: % -> %', v_request.status, coalesce(p_next_status::text, 'null')
            USING ERRCODE = 'KX409';
    END IF;

    UPDATE public.privacy_requests r
    SET status = p_next_status,
        triaged_at = CASE WHEN p_next_status IN ('triaged', 'in_review') THEN coalesce(r.triaged_at, v_now) ELSE r.triaged_at END,
        in_progress_at = CASE WHEN p_next_status = 'in_progress' THEN coalesce(r.in_progress_at, v_now) ELSE r.in_progress_at END,
        resolved_at = CASE WHEN p_next_status IN ('fulfilled', 'completed', 'rejected') THEN coalesce(r.resolved_at, v_now)
                           ELSE r.resolved_at END,
        handled_by = coalesce(kruxt_internal.profile_id_or_null(v_uid), r.handled_by),
        notes = CASE WHEN v_note IS NULL THEN r.notes
                     WHEN nullif(btrim(r.notes), '') IS NULL THEN v_note
                     ELSE r.notes || E'\n' || v_note END
    WHERE r.id = v_request.id
    RETURNING * INTO v_after;

    PERFORM kruxt_internal.emit_domain_event(
        'privacy.request_status_changed', 'privacy_request', v_request.id,
        jsonb_build_object('request_id', v_request.id, 'user_id', v_request.user_id, 'previous_status', v_request.status,
                           'next_status', p_next_status, 'handled_by', v_after.handled_by, 'at', v_now),
        'privacy_requests', v_request.id,
        coalesce(v_note, format('Privacy request status changed from %s to %s', v_request.status, p_next_status)),
        jsonb_build_object('previous_status', v_request.status, 'next_status', p_next_status,
                           'request_user_id', v_request.user_id, 'service_transition', v_service));
    RETURN v_request.id;
END
$$;

-- Walks a request (already locked or not) towards 'fulfilled' (submitted -> triaged -> in_progress ->
-- fulfilled; in_review and completed straight to fulfilled) or 'rejected' (from any open status) through
-- transition_privacy_request_status, one event per step; p_note goes on the last step only. Stops where
-- the target cannot be reached (the callers check that first).
CREATE FUNCTION kruxt_internal.walk_privacy_request(
    p_request_id uuid, p_target public.privacy_request_status, p_note text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_status public.privacy_request_status;
    v_next public.privacy_request_status;
BEGIN
    FOR i IN 1..5 LOOP
        SELECT r.status INTO v_status FROM public.privacy_requests r WHERE r.id = p_request_id FOR UPDATE;
        EXIT WHEN NOT FOUND OR v_status = p_target;
        v_next := CASE
            WHEN p_target = 'fulfilled' THEN
                CASE v_status WHEN 'submitted' THEN 'triaged'::public.privacy_request_status
                              WHEN 'triaged' THEN 'in_progress'
                              WHEN 'in_progress' THEN 'fulfilled'
                              WHEN 'in_review' THEN 'fulfilled'
                              WHEN 'completed' THEN 'fulfilled' END
            WHEN p_target = 'rejected' AND public.is_privacy_request_open_status(v_status) THEN 'rejected'
        END;
        EXIT WHEN v_next IS NULL;
        PERFORM public.transition_privacy_request_status(p_request_id, v_next,
                                                         CASE WHEN v_next = p_target THEN p_note END);
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- process_privacy_request_queue (05 §4.2, §7 step 1)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.process_privacy_request_queue(p_triage_limit integer DEFAULT 25, p_overdue_limit integer DEFAULT 100)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_triage_limit integer := least(200, greatest(1, coalesce(p_triage_limit, 25)));
    v_overdue_limit integer := least(500, greatest(1, coalesce(p_overdue_limit, 100)));
    v_triaged uuid[] := '{}';
    v_overdue uuid[] := '{}';
    v_id uuid;
    v_request public.privacy_requests;
    v_payload jsonb;
BEGIN
    PERFORM kruxt_internal.require_service_role();

    -- 1. oldest submitted requests -> triaged (rows another worker holds are skipped)
    SELECT coalesce(array_agg(q.id ORDER BY q.submitted_at, q.id), '{}') INTO v_triaged
    FROM (SELECT r.id, r.submitted_at
          FROM public.privacy_requests r
          WHERE r.status = 'submitted'
          ORDER BY r.submitted_at, r.id
          LIMIT v_triage_limit
          FOR UPDATE SKIP LOCKED) q;
    FOREACH v_id IN ARRAY v_triaged LOOP
        PERFORM public.transition_privacy_request_status(v_id, 'triaged', 'Queued by privacy_request_processor');
    END LOOP;

    -- 2. open requests past due without a breach stamp -> sla_breached_at + privacy.request_overdue
    SELECT coalesce(array_agg(q.id ORDER BY q.due_at, q.id), '{}') INTO v_overdue
    FROM (SELECT r.id, r.due_at
          FROM public.privacy_requests r
          WHERE r.status IN ('submitted', 'triaged', 'in_progress', 'in_review')
            AND r.due_at < v_now
            AND r.sla_breached_at IS NULL
          ORDER BY r.due_at, r.id
          LIMIT v_overdue_limit
          FOR UPDATE SKIP LOCKED) q;
    FOREACH v_id IN ARRAY v_overdue LOOP
        UPDATE public.privacy_requests r SET sla_breached_at = v_now WHERE r.id = v_id RETURNING * INTO v_request;
        v_payload := jsonb_build_object('request_id', v_id, 'user_id', v_request.user_id, 'due_at', v_request.due_at,
                                        'breached_at', v_now);
        PERFORM kruxt_internal.emit_domain_event('privacy.request_overdue', 'privacy_request', v_id, v_payload,
                                                 'privacy_requests', v_id, NULL, v_payload);
    END LOOP;

    RETURN jsonb_build_object(
        'triagedCount', cardinality(v_triaged),
        'overdueMarkedCount', cardinality(v_overdue),
        'triagedRequestIds', to_jsonb(v_triaged),
        'overdueRequestIds', to_jsonb(v_overdue));
END
$$;

RESET ROLE;
