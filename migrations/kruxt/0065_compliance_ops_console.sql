-- KRUXT 0065: the SQL of the compliance ops console, createPhase8ComplianceOpsFlow (06 §5; items 54-58).
--   admin_get_privacy_ops_metrics (item 54) already exists (0008): window clamped to 1..365, default 30.
--   compliance_sla_badge / compliance_hours_to_due (item 56): the badge rule with the flow's clock passed in.
--   normalize_compliance_queue_filters / admin_list_compliance_queue (item 55): the queue with the four
--   filters, badges, hours to due and localized labels, in the RPC order of admin_list_open_privacy_requests.
--   compliance_runbook_actions (item 57): the runbookActions mapping, one source for the flow and the runbook.
--   admin_list_active_policy_versions (item 58).
-- The flow's clock: every function here that depends on "now" takes p_now (null -> app_now()), so the flow
-- passes its injected clock and the database clock never affects badges (06 §5.2).
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- SLA badge (06 §5.2, item 56), first match: breached_at set -> breached; due missing -> no_due_date;
-- hoursToDue = (due - now) / 3600 s <= 0 -> breached; <= at-risk hours -> at_risk; else on_track.
-- p_at_risk_hours 24 [1..168]. Boundaries: due = now -> breached; due = now + 24 h -> at_risk;
-- due = now + 24 h + 1 ms -> on_track.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.compliance_hours_to_due(p_due_at timestamptz, p_sla_breached_at timestamptz, p_now timestamptz)
RETURNS numeric
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN p_sla_breached_at IS NOT NULL OR p_due_at IS NULL OR p_now IS NULL THEN NULL
                ELSE extract(epoch FROM (p_due_at - p_now)) / 3600 END
$$;

CREATE FUNCTION public.compliance_sla_badge(
    p_due_at timestamptz,
    p_sla_breached_at timestamptz,
    p_now timestamptz,
    p_at_risk_hours integer DEFAULT 24
) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE
        WHEN p_sla_breached_at IS NOT NULL THEN 'breached'
        WHEN p_due_at IS NULL THEN 'no_due_date'
        WHEN p_due_at <= p_now THEN 'breached'
        WHEN p_due_at - p_now <= make_interval(hours => least(168, greatest(1, coalesce(p_at_risk_hours, 24)))) THEN 'at_risk'
        ELSE 'on_track'
    END
$$;

-- ---------------------------------------------------------------------------------------------
-- Queue filters (06 §5.2, item 55). Input {statuses, requestTypes, sla, userQuery} (any may be missing);
-- output the normalized filters the flow echoes as filtersApplied:
--   statuses: distinct trimmed lower-cased values among submitted, triaged, in_progress, in that order; none
--     valid (or not an array) -> all three;
--   requestTypes: the same among access, export, delete, rectify, restrict_processing -> all five;
--   sla: all | breached | at_risk | on_track | no_due_date (trimmed, lower-cased), anything else -> all;
--   userQuery: trimmed, lower-cased ('' = no filter).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.normalize_compliance_queue_filters(p_filters jsonb DEFAULT '{}'::jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
    WITH f AS (
        SELECT CASE WHEN jsonb_typeof(p_filters) = 'object' THEN p_filters ELSE '{}'::jsonb END AS j
    ), statuses AS (
        SELECT coalesce(jsonb_agg(s.v ORDER BY s.o), '["submitted","triaged","in_progress"]'::jsonb) AS a
        FROM (SELECT DISTINCT x.v, x.o
              FROM f, LATERAL (SELECT lower(btrim(e)) AS v FROM jsonb_array_elements_text(
                                   CASE WHEN jsonb_typeof(f.j -> 'statuses') = 'array' THEN f.j -> 'statuses' ELSE '[]'::jsonb END) AS e) y
              JOIN (VALUES ('submitted', 1), ('triaged', 2), ('in_progress', 3)) AS x(v, o) ON x.v = y.v) s
    ), types AS (
        SELECT coalesce(jsonb_agg(t.v ORDER BY t.o), '["access","export","delete","rectify","restrict_processing"]'::jsonb) AS a
        FROM (SELECT DISTINCT x.v, x.o
              FROM f, LATERAL (SELECT lower(btrim(e)) AS v FROM jsonb_array_elements_text(
                                   CASE WHEN jsonb_typeof(f.j -> 'requestTypes') = 'array' THEN f.j -> 'requestTypes' ELSE '[]'::jsonb END) AS e) y
              JOIN (VALUES ('access', 1), ('export', 2), ('delete', 3), ('rectify', 4), ('restrict_processing', 5)) AS x(v, o)
                ON x.v = y.v) t
    )
    SELECT jsonb_build_object(
        'statuses', statuses.a,
        'requestTypes', types.a,
        'sla', CASE WHEN lower(btrim(f.j ->> 'sla')) IN ('all', 'breached', 'at_risk', 'on_track', 'no_due_date')
                    THEN lower(btrim(f.j ->> 'sla')) ELSE 'all' END,
        'userQuery', lower(btrim(coalesce(CASE WHEN jsonb_typeof(f.j -> 'userQuery') = 'string' THEN f.j ->> 'userQuery' END, ''))))
    FROM f, statuses, types
$$;

-- ---------------------------------------------------------------------------------------------
-- admin_list_compliance_queue (items 55, 56): the open requests of admin_list_open_privacy_requests (same
-- caller checks: 'Authentication required', 'Gym staff access is required'; same order: breached first, due
-- asc, submitted asc, id) filtered by the normalized filters, each with is_overdue (due_at < p_now),
-- sla_badge, hours_to_due (numeric hours, null when breached_at is set) and labels formatted with
-- format_legal_timestamp(p_locale, p_time_zone) (a missing time -> the text of legal.timestamp.not_available in
-- that locale). Legacy in_review rows never match (statuses are a subset of submitted, triaged, in_progress).
-- p_now null -> app_now(); p_sla_at_risk_hours 24 [1..168]. Identical inputs and clock give identical rows.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.admin_list_compliance_queue(
    p_gym_id uuid,
    p_filters jsonb DEFAULT '{}'::jsonb,
    p_now timestamptz DEFAULT NULL,
    p_sla_at_risk_hours integer DEFAULT 24,
    p_locale text DEFAULT NULL,
    p_time_zone text DEFAULT NULL
) RETURNS TABLE (
    id uuid,
    user_id uuid,
    request_type public.privacy_request_type,
    status public.privacy_request_status,
    submitted_at timestamptz,
    due_at timestamptz,
    sla_breached_at timestamptz,
    is_overdue boolean,
    sla_badge text,
    hours_to_due numeric,
    submitted_at_label text,
    due_at_label text,
    sla_breached_at_label text
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := coalesce(p_now, public.app_now());
    v_filters jsonb := public.normalize_compliance_queue_filters(p_filters);
    v_unavailable text;
BEGIN
    PERFORM public.require_gym_staff_access(p_gym_id);
    SELECT r.localized_text INTO v_unavailable FROM public.resolve_legal_copy('legal.timestamp.not_available', p_locale) r;
    RETURN QUERY
    WITH q AS (
        SELECT o.*, public.compliance_sla_badge(o.due_at, o.sla_breached_at, v_now, p_sla_at_risk_hours) AS badge,
               row_number() OVER () AS rpc_order
        FROM public.admin_list_open_privacy_requests(p_gym_id) o
    )
    SELECT q.id, q.user_id, q.request_type, q.status, q.submitted_at, q.due_at, q.sla_breached_at,
           coalesce(q.due_at < v_now, false),
           q.badge,
           public.compliance_hours_to_due(q.due_at, q.sla_breached_at, v_now),
           coalesce(public.format_legal_timestamp(q.submitted_at, p_locale, p_time_zone), v_unavailable),
           coalesce(public.format_legal_timestamp(q.due_at, p_locale, p_time_zone), v_unavailable),
           coalesce(public.format_legal_timestamp(q.sla_breached_at, p_locale, p_time_zone), v_unavailable)
    FROM q
    WHERE q.status::text IN (SELECT jsonb_array_elements_text(v_filters -> 'statuses'))
      AND q.request_type::text IN (SELECT jsonb_array_elements_text(v_filters -> 'requestTypes'))
      AND (v_filters ->> 'sla' = 'all' OR q.badge = v_filters ->> 'sla')
      AND strpos(q.user_id::text, v_filters ->> 'userQuery') > 0
    ORDER BY q.rpc_order;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Runbook mapping (06 §5.2, item 57): exactly these ids, in this order, each {id, title, action, when,
-- flowMethod} (+ escalationTrigger where one applies). docs/compliance-ops-runbook.md describes the same
-- actions; the flow returns this array as runbookActions.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.compliance_runbook_actions() RETURNS jsonb
LANGUAGE sql IMMUTABLE
AS $$
    SELECT jsonb_build_array(
        jsonb_build_object(
            'id', 'triage-submitted',
            'title', 'Triage submitted requests',
            'action', 'Move the request from submitted to triaged with a note (transition)',
            'when', 'A request is in status submitted',
            'escalationTrigger', 'The SLA badge turns at_risk while the request is still submitted',
            'flowMethod', 'transition'),
        jsonb_build_object(
            'id', 'start-fulfillment',
            'title', 'Start fulfillment',
            'action', 'Move the request from triaged to in_progress (transition)',
            'when', 'A triaged request is ready to be worked on',
            'flowMethod', 'transition'),
        jsonb_build_object(
            'id', 'complete-or-reject',
            'title', 'Complete or reject',
            'action', 'Move the request from in_progress to fulfilled or rejected with an audit note (transition)',
            'when', 'The export, access, rectification, restriction or deletion is done, or the request is refused',
            'flowMethod', 'transition'),
        jsonb_build_object(
            'id', 'escalate-sla-breach',
            'title', 'Escalate SLA breaches',
            'action', 'Load the queue with sla = breached, then open a security incident (create_security_incident) and queue its escalation notifications (queue_incident_escalation_notifications)',
            'when', 'A request shows the breached badge (sla_breached_at set or due date passed)',
            'escalationTrigger', 'slaBadge = breached',
            'flowMethod', 'load'),
        jsonb_build_object(
            'id', 'review-metrics',
            'title', 'Review privacy metrics',
            'action', 'Read open, overdue, completed-in-window counts and the average completion time (metrics)',
            'when', 'At every shift start and after each batch of transitions',
            'flowMethod', 'metrics'))
$$;

-- ---------------------------------------------------------------------------------------------
-- Active policy versions (item 58): staff of the gym (admin RPC checks as 0008), every active row ordered by
-- policy_type (the enum's order: terms, privacy, health_data, waiver), effective_at desc, id; with
-- effective_at_label formatted for the flow's locale and time zone.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.admin_list_active_policy_versions(p_gym_id uuid, p_locale text DEFAULT NULL, p_time_zone text DEFAULT NULL)
RETURNS TABLE (
    id uuid,
    policy_type public.policy_type,
    version text,
    label text,
    document_url text,
    effective_at timestamptz,
    effective_at_label text,
    is_active boolean,
    published_at timestamptz,
    requires_reconsent boolean,
    change_summary text,
    supersedes_policy_version_id uuid
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM public.require_gym_staff_access(p_gym_id);
    RETURN QUERY
    SELECT v.id, v.policy_type, v.version, v.label, v.document_url, v.effective_at,
           public.format_legal_timestamp(v.effective_at, p_locale, p_time_zone),
           v.is_active, v.published_at, v.requires_reconsent, v.change_summary, v.supersedes_policy_version_id
    FROM public.policy_version_tracking v
    WHERE v.is_active
    ORDER BY v.policy_type, v.effective_at DESC, v.id;
END
$$;

RESET ROLE;
