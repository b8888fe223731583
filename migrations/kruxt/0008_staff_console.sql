-- KRUXT 0008: the database side of the staff console (09 §2, items 71-74).
-- The flow reads and updates gym_memberships directly under the caller's role (RLS + the guard of
-- 0004 decide). Its load also shows open privacy requests and privacy metrics, through the two
-- admin RPCs below (05 §4.2 and 06 §5.1), brought forward here because their table exists now.
-- Upcoming classes and the pending waitlist come with area 03 (gym_classes, class_waitlist).
SET ROLE kruxt_owner;

-- 05 §4.1
CREATE FUNCTION public.is_privacy_request_open_status(s public.privacy_request_status) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    SELECT coalesce(s IN ('submitted', 'triaged', 'in_progress', 'in_review'), false)
$$;

-- Shared caller check of the admin RPCs: 'Authentication required', then 'Gym staff access is
-- required' (service passes).
CREATE FUNCTION public.require_gym_staff_access(p_gym_id uuid) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF public.is_service_role() THEN
        RETURN;
    END IF;
    IF auth.uid() IS NULL THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF NOT public.is_gym_staff(p_gym_id) THEN
        RAISE EXCEPTION 'Gym staff access is required' USING ERRCODE = 'KX403';
    END IF;
END
$$;

-- 05 §4.2 (item 24): open requests of users having any membership row in the gym.
CREATE FUNCTION public.admin_list_open_privacy_requests(p_gym_id uuid)
RETURNS TABLE (
    id uuid,
    user_id uuid,
    request_type public.privacy_request_type,
    status public.privacy_request_status,
    submitted_at timestamptz,
    due_at timestamptz,
    sla_breached_at timestamptz,
    is_overdue boolean
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM public.require_gym_staff_access(p_gym_id);
    RETURN QUERY
    SELECT r.id, r.user_id, r.request_type, r.status, r.submitted_at, r.due_at, r.sla_breached_at,
           coalesce(r.due_at < public.app_now(), false)
    FROM public.privacy_requests r
    WHERE public.is_privacy_request_open_status(r.status)
      AND EXISTS (SELECT 1 FROM public.gym_memberships m WHERE m.gym_id = p_gym_id AND m.user_id = r.user_id)
    ORDER BY (r.sla_breached_at IS NULL), r.due_at ASC NULLS LAST, r.submitted_at ASC, r.id;
END
$$;

-- 06 §5.1 (item 54). p_window_days: default 30, clamped to 1..365.
CREATE FUNCTION public.admin_get_privacy_ops_metrics(p_gym_id uuid, p_window_days integer DEFAULT 30)
RETURNS TABLE (
    gym_id uuid,
    open_requests integer,
    overdue_requests integer,
    avg_completion_hours numeric(12,2),
    fulfilled_requests_window integer,
    rejected_requests_window integer,
    measured_window_days integer
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_days integer := least(365, greatest(1, coalesce(p_window_days, 30)));
BEGIN
    PERFORM public.require_gym_staff_access(p_gym_id);
    RETURN QUERY
    WITH scoped AS (
        SELECT r.*
        FROM public.privacy_requests r
        WHERE EXISTS (SELECT 1 FROM public.gym_memberships m WHERE m.gym_id = p_gym_id AND m.user_id = r.user_id)
    ), windowed AS (
        SELECT s.* FROM scoped s
        WHERE s.status IN ('fulfilled', 'rejected')
          AND s.submitted_at >= v_now - make_interval(days => v_days)
    )
    SELECT p_gym_id,
           (SELECT count(*)::integer FROM scoped s WHERE public.is_privacy_request_open_status(s.status)),
           (SELECT count(*)::integer FROM scoped s
             WHERE public.is_privacy_request_open_status(s.status)
               AND (s.due_at < v_now OR s.sla_breached_at IS NOT NULL)),
           coalesce((SELECT round(avg(extract(epoch FROM (w.resolved_at - w.submitted_at)) / 3600.0), 2)
                     FROM windowed w WHERE w.resolved_at IS NOT NULL AND w.resolved_at >= w.submitted_at), 0)::numeric(12,2),
           (SELECT count(*)::integer FROM windowed w WHERE w.status = 'fulfilled'),
           (SELECT count(*)::integer FROM windowed w WHERE w.status = 'rejected'),
           v_days;
END
$$;

RESET ROLE;
