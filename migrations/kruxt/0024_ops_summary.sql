-- KRUXT 0024: admin_get_gym_ops_summary (03 §2.4): the queue counts of a gym for the ops and members
-- consoles (members console queueSummary, 03 §5.1 step 7).
SET ROLE kruxt_owner;

-- Counts: pending memberships; trial/active memberships; scheduled classes starting at or after now
-- (app_now()); pending waitlist entries of those classes; open privacy requests (05 §4.1) of users with
-- any membership row in the gym. Errors: 'Authentication required' (KX401), 'Gym staff access is
-- required' (KX403); service passes.
CREATE FUNCTION public.admin_get_gym_ops_summary(p_gym_id uuid)
RETURNS TABLE (
    gym_id uuid,
    pending_memberships integer,
    active_or_trial_members integer,
    upcoming_classes integer,
    pending_waitlist_entries integer,
    open_privacy_requests integer
)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
BEGIN
    PERFORM public.require_gym_staff_access(p_gym_id);
    RETURN QUERY
    WITH upcoming AS (
        SELECT c.id FROM public.gym_classes c
        WHERE c.gym_id = p_gym_id AND c.status = 'scheduled' AND c.starts_at >= v_now
    )
    SELECT p_gym_id,
           (SELECT count(*)::integer FROM public.gym_memberships m
             WHERE m.gym_id = p_gym_id AND m.membership_status = 'pending'),
           (SELECT count(*)::integer FROM public.gym_memberships m
             WHERE m.gym_id = p_gym_id AND m.membership_status IN ('trial', 'active')),
           (SELECT count(*)::integer FROM upcoming),
           (SELECT count(*)::integer FROM public.class_waitlist w
             WHERE w.status = 'pending' AND w.class_id IN (SELECT u.id FROM upcoming u)),
           (SELECT count(*)::integer FROM public.privacy_requests r
             WHERE public.is_privacy_request_open_status(r.status)
               AND EXISTS (SELECT 1 FROM public.gym_memberships m WHERE m.gym_id = p_gym_id AND m.user_id = r.user_id));
END
$$;

RESET ROLE;
