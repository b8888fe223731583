-- KRUXT 0081: area 08 functions (08-rollout-gates.md §2-§7; items 65-70, and the data side of 69-70 in 07 §6):
-- readiness (evaluate_rollout_readiness, complete_rollout_checklist_item, open_cohort_invites + the invites trigger),
-- the weekly KPI board (compute_weekly_kpis, compute_kpi_gate_status, record_kpi_weekly_review,
-- kpi_review_cadence_gaps), the rollback playbook (rollback_trigger_conditions, start_rollback, complete_rollback_step,
-- flags_rollback), expansion (evaluate_expansion_criteria, record_expansion_review, expansion_allowed), scheduler runs
-- (record_ops_scheduler_run, record_rank_recompute_run, the failed-run alert trigger) and the console snapshot
-- rollout_console_snapshot.
--
-- Access: reads need the service or platform.overview.read, writes the service or platform.flags.manage; otherwise
-- KX403 'Access denied'. Every write appends an audit row (rollout.* actions).
-- Objects of later areas (security_incidents, incident_notification_jobs, audit_log_integrity_summary: 06;
-- gym_feature_settings, support_tickets, support_ticket_messages: 10; legal_copy_keys/_translations: 06;
-- transition_privacy_request_status: 05) are read through dynamic SQL guarded by to_regclass/to_regprocedure, with
-- the spec's column names, so the gates start to use them as soon as those areas are built. Until then: a check that
-- needs evidence from them fails with a detail naming the missing object; a check that asserts the absence of
-- something ("no open sev-1", "no overdue ticket") passes, as nothing can exist.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION kruxt_internal.rollout_require_read() RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT public.rollout_has_read_access() THEN
        RAISE EXCEPTION 'Access denied' USING ERRCODE = 'KX403';
    END IF;
END
$$;

CREATE FUNCTION kruxt_internal.rollout_require_manage() RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT public.rollout_has_manage_access() THEN
        RAISE EXCEPTION 'Access denied' USING ERRCODE = 'KX403';
    END IF;
END
$$;

CREATE FUNCTION kruxt_internal.rollout_cohort(p_cohort_key text, p_lock boolean DEFAULT false) RETURNS public.rollout_cohorts
LANGUAGE plpgsql
AS $$
DECLARE
    c public.rollout_cohorts;
BEGIN
    IF p_lock THEN
        SELECT r.* INTO c FROM public.rollout_cohorts r WHERE r.cohort_key = p_cohort_key FOR UPDATE;
    ELSE
        SELECT r.* INTO c FROM public.rollout_cohorts r WHERE r.cohort_key = p_cohort_key;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Rollout cohort not found' USING ERRCODE = 'KX404';
    END IF;
    RETURN c;
END
$$;

-- The cohort week of a Friday (08 §3): Saturday 00:00 to Friday 24:00, Europe/Rome.
CREATE FUNCTION kruxt_internal.rollout_week_start(p_week_of date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE
AS $$
    SELECT ((p_week_of - 6)::timestamp) AT TIME ZONE 'Europe/Rome'
$$;

CREATE FUNCTION kruxt_internal.rollout_week_end(p_week_of date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE
AS $$
    SELECT ((p_week_of + 1)::timestamp) AT TIME ZONE 'Europe/Rome'
$$;

-- The launch week's Friday: the first Friday on or after the launch window's first day (Europe/Rome).
CREATE FUNCTION kruxt_internal.rollout_launch_week(p_cohort public.rollout_cohorts) RETURNS date
LANGUAGE sql IMMUTABLE
AS $$
    SELECT d + ((5 - extract(isodow FROM d)::integer + 7) % 7)
    FROM (SELECT (p_cohort.launch_window_start AT TIME ZONE 'Europe/Rome')::date AS d) AS s
    WHERE p_cohort.launch_window_start IS NOT NULL
$$;

-- The last Friday on or before a day.
CREATE FUNCTION kruxt_internal.friday_on_or_before(p_day date) RETURNS date
LANGUAGE sql IMMUTABLE
AS $$
    SELECT p_day - ((extract(isodow FROM p_day)::integer - 5 + 7) % 7)
$$;

CREATE FUNCTION kruxt_internal.rollout_cohort_users(p_gym_ids uuid[], p_staff_only boolean DEFAULT false) RETURNS uuid[]
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(array_agg(DISTINCT m.user_id ORDER BY m.user_id), '{}')
    FROM public.gym_memberships m
    WHERE m.gym_id = ANY (p_gym_ids) AND m.membership_status IN ('trial', 'active')
      AND (NOT p_staff_only OR m.role IN ('leader', 'officer', 'coach'))
$$;

CREATE FUNCTION kruxt_internal.pct(p_part bigint, p_whole bigint) RETURNS numeric
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN coalesce(p_whole, 0) = 0 THEN NULL ELSE round(100.0 * p_part / p_whole, 1) END
$$;

-- Open non-drill critical incidents (06 §3) for the given gyms or platform-wide; 0 while area 06 is missing.
CREATE FUNCTION kruxt_internal.open_sev1_incident_count(p_gym_ids uuid[], p_older_than timestamptz DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    n bigint;
BEGIN
    IF to_regclass('public.security_incidents') IS NULL THEN
        RETURN 0;
    END IF;
    EXECUTE $q$SELECT count(*) FROM public.security_incidents i
               WHERE i.severity::text = 'critical' AND NOT i.drill_mode
                 AND i.status::text IN ('detected', 'triaged', 'investigating', 'contained', 'notified')
                 AND ($1 IS NULL OR i.gym_id IS NULL OR i.gym_id = ANY ($1))
                 AND ($2 IS NULL OR i.detected_at <= $2)$q$
        INTO n USING p_gym_ids, p_older_than;
    RETURN n;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- §2 readiness: automatic checks
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION kruxt_internal.rollout_audit_chain_check(p_limit integer) RETURNS TABLE (passed boolean, detail text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_summary jsonb;
    n_rows bigint;
    n_bad bigint;
BEGIN
    IF to_regprocedure('public.audit_log_integrity_summary(integer)') IS NOT NULL THEN
        BEGIN
            EXECUTE 'SELECT public.audit_log_integrity_summary($1)' INTO v_summary USING p_limit;
            passed := coalesce((v_summary ->> 'healthy')::boolean, false);
            detail := format('audit_log_integrity_summary(%s): %s row(s) checked, %s drift(s)', p_limit,
                             coalesce(v_summary ->> 'checked_rows', '?'), coalesce(v_summary ->> 'drift_count', '?'));
            RETURN NEXT;
            RETURN;
        EXCEPTION WHEN OTHERS THEN
            NULL;   -- e.g. the caller lacks platform.compliance.read: fall back to the inline check
        END;
    END IF;
    -- inline check of the latest p_limit chain rows: consecutive sequence, linked hashes, recomputed entry hash
    WITH recent AS (
        SELECT a.* FROM public.audit_logs a ORDER BY a.integrity_seq DESC LIMIT p_limit
    ), chk AS (
        SELECT r.integrity_seq, r.prev_entry_hash, r.entry_hash,
               lag(r.integrity_seq) OVER (ORDER BY r.integrity_seq) AS prev_seq,
               lag(r.entry_hash) OVER (ORDER BY r.integrity_seq) AS prev_hash,
               public.audit_log_compute_hash(r.integrity_seq, r.prev_entry_hash, r.actor_user_id, r.actor_role, r.action,
                                             r.target_table, r.target_id, r.reason, r.ip_address, r.user_agent,
                                             r.metadata, r.created_at) AS recomputed
        FROM recent r
    )
    SELECT count(*),
           count(*) FILTER (WHERE c.recomputed IS DISTINCT FROM c.entry_hash
                               OR (c.prev_seq IS NOT NULL AND (c.integrity_seq <> c.prev_seq + 1
                                                               OR c.prev_entry_hash IS DISTINCT FROM c.prev_hash)))
    INTO n_rows, n_bad
    FROM chk c;
    passed := n_bad = 0;
    detail := format('audit chain (latest %s row(s)): %s row(s) checked, %s drift(s)', p_limit, n_rows, n_bad);
    RETURN NEXT;
END
$$;

-- One automatic check (rollout_checklist_items.auto_check) for a cohort: (passed, detail).
CREATE FUNCTION kruxt_internal.rollout_auto_check(p_check text, p_cohort public.rollout_cohorts)
RETURNS TABLE (passed boolean, detail text)
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    n1 bigint;
    n2 bigint;
    v_parts text[] := '{}';
    v_ok boolean := true;
    g record;
BEGIN
    CASE p_check
    WHEN 'feature_flag_disabled:billing_live' THEN
        SELECT coalesce(bool_or(f.enabled), false) INTO v_ok FROM public.feature_flags f WHERE f.key = 'billing_live';
        passed := NOT v_ok;
        detail := CASE WHEN v_ok THEN 'billing_live is enabled' ELSE 'billing_live is disabled' END;

    WHEN 'privacy_requests_fulfilled_and_rejected' THEN
        -- transition_privacy_request_status (05) emits privacy.request_status_changed with next_status
        SELECT count(*) FILTER (WHERE o.payload ->> 'next_status' = 'fulfilled'),
               count(*) FILTER (WHERE o.payload ->> 'next_status' = 'rejected')
        INTO n1, n2
        FROM public.event_outbox o
        WHERE o.event_type = 'privacy.request_status_changed';
        passed := n1 > 0 AND n2 > 0;
        detail := format('%s request(s) fulfilled and %s rejected through transition_privacy_request_status', n1, n2);

    WHEN 'pilot_gyms_waitlist_promotion_and_checkin' THEN
        FOR g IN SELECT gy.id, gy.name FROM unnest(p_cohort.gym_ids) WITH ORDINALITY AS u(id, o)
                 JOIN public.gyms gy ON gy.id = u.id ORDER BY u.o LOOP
            SELECT count(*) INTO n1 FROM public.class_bookings b JOIN public.gym_classes c ON c.id = b.class_id
            WHERE c.gym_id = g.id AND b.source_channel = 'waitlist_promotion';
            SELECT count(*) INTO n2 FROM public.gym_checkins k WHERE k.gym_id = g.id;
            v_ok := v_ok AND n1 > 0 AND n2 > 0;
            v_parts := v_parts || format('%s: %s waitlist promotion booking(s), %s check-in(s)', g.name, n1, n2);
        END LOOP;
        passed := v_ok AND cardinality(v_parts) > 0;
        detail := coalesce(nullif(array_to_string(v_parts, '; '), ''), 'the cohort has no pilot gyms');

    WHEN 'scheduler_runs_24h:privacy_request_processor,sync_dispatcher' THEN
        SELECT string_agg(format('%s: %s', j.job, coalesce(kruxt_internal.iso_utc(r.last_ok), 'no successful run in 24 h')), '; ' ORDER BY j.o),
               bool_and(r.last_ok IS NOT NULL)
        INTO detail, passed
        FROM unnest(ARRAY['privacy_request_processor', 'sync_dispatcher']) WITH ORDINALITY AS j(job, o)
        LEFT JOIN LATERAL (SELECT max(s.finished_at) AS last_ok FROM public.ops_scheduler_runs s
                           WHERE s.job_name = j.job AND s.status = 'succeeded'
                             AND s.finished_at > v_now - interval '24 hours' AND s.finished_at <= v_now) AS r ON true;

    WHEN 'incident_drill_notification_30d' THEN
        IF to_regclass('public.incident_notification_jobs') IS NULL THEN
            passed := false;
            detail := 'incident_notification_jobs does not exist yet (area 06)';
        ELSE
            EXECUTE $q$SELECT count(*) FROM public.incident_notification_jobs j
                       WHERE j.delivery_mode::text = 'drill' AND j.status::text = 'succeeded'
                         AND j.finished_at > $1 - interval '30 days' AND j.finished_at <= $1$q$
                INTO n1 USING v_now;
            passed := n1 > 0;
            detail := format('%s drill notification job(s) completed in the last 30 days', n1);
        END IF;

    WHEN 'audit_log_integrity_summary:5000' THEN
        SELECT a.passed, a.detail INTO passed, detail FROM kruxt_internal.rollout_audit_chain_check(5000) AS a;

    WHEN 'rollback_step_2_completed' THEN
        SELECT count(*) INTO n1 FROM public.rollback_executions e
        WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(e.steps) AS s
                      WHERE (s.value ->> 'step_order')::integer = 2 AND s.value ->> 'completed_at' IS NOT NULL);
        passed := n1 > 0;
        detail := format('%s rollback execution(s) (drills included) completed step 2', n1);

    ELSE
        passed := false;
        detail := format('unknown automatic check %s', p_check);
    END CASE;
    RETURN NEXT;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- §2 readiness functions (item 65)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.evaluate_rollout_readiness(p_cohort_key text)
RETURNS TABLE (item_key text, group_key text, required boolean, completed boolean, auto_check_passed boolean, detail text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    c public.rollout_cohorts;
BEGIN
    PERFORM kruxt_internal.rollout_require_read();
    c := kruxt_internal.rollout_cohort(p_cohort_key);
    RETURN QUERY
    SELECT i.item_key, i.group_key, i.required, i.completed_at IS NOT NULL, ac.passed,
           coalesce(ac.detail, CASE WHEN i.completed_at IS NOT NULL THEN 'completed (manual check)' ELSE 'manual check' END)
    FROM public.rollout_checklist_items i
    LEFT JOIN LATERAL (SELECT a.passed, a.detail FROM kruxt_internal.rollout_auto_check(i.auto_check, c) AS a
                       WHERE i.auto_check IS NOT NULL) AS ac ON true
    WHERE i.cohort_key = c.cohort_key
    ORDER BY i.sort_order, i.item_key;
END
$$;

-- Errors in order: KX403 'Access denied'; KX404 'Rollout cohort not found' / 'Checklist item not found'; KX422
-- 'Evidence is required to complete a checklist item' (note and url both blank); KX409 'Automatic check failed for
-- <item_key>'. Completing again replaces the evidence and the completion stamp.
CREATE FUNCTION public.complete_rollout_checklist_item(
    p_cohort_key text,
    p_item_key text,
    p_evidence_note text,
    p_evidence_url text DEFAULT NULL
) RETURNS public.rollout_checklist_items
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    c public.rollout_cohorts;
    v_item public.rollout_checklist_items;
    v_check record;
    v_uid uuid := auth.uid();
BEGIN
    PERFORM kruxt_internal.rollout_require_manage();
    c := kruxt_internal.rollout_cohort(p_cohort_key);
    SELECT i.* INTO v_item FROM public.rollout_checklist_items i
    WHERE i.cohort_key = c.cohort_key AND i.item_key = p_item_key FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Checklist item not found' USING ERRCODE = 'KX404';
    END IF;
    IF coalesce(btrim(p_evidence_note), '') = '' AND coalesce(btrim(p_evidence_url), '') = '' THEN
        RAISE EXCEPTION 'Evidence is required to complete a checklist item' USING ERRCODE = 'KX422';
    END IF;
    IF v_item.auto_check IS NOT NULL THEN
        SELECT a.passed, a.detail INTO v_check FROM kruxt_internal.rollout_auto_check(v_item.auto_check, c) AS a;
        IF NOT coalesce(v_check.passed, false) THEN
            RAISE EXCEPTION 'Automatic check failed for %', v_item.item_key USING ERRCODE = 'KX409', DETAIL = v_check.detail;
        END IF;
    END IF;
    IF v_uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.id = v_uid) THEN
        v_uid := NULL;
    END IF;
    UPDATE public.rollout_checklist_items
    SET completed_at = public.app_now(), completed_by = v_uid,
        evidence_note = nullif(btrim(p_evidence_note), ''), evidence_url = nullif(btrim(p_evidence_url), '')
    WHERE id = v_item.id
    RETURNING * INTO v_item;
    PERFORM public.append_audit_log('rollout.checklist_item_completed', 'rollout_checklist_items', v_item.id, NULL,
                                    jsonb_build_object('cohort_key', v_item.cohort_key, 'item_key', v_item.item_key,
                                                       'evidence_note', v_item.evidence_note, 'evidence_url', v_item.evidence_url));
    RETURN v_item;
END
$$;

-- §5: the two most recent expansion reviews are for Fridays exactly 7 days apart and both passed.
CREATE FUNCTION public.expansion_allowed() RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT coalesce((SELECT count(*) = 2 AND bool_and(r.all_passed) AND max(r.week_of) - min(r.week_of) = 7
                     FROM (SELECT e.week_of, e.all_passed FROM public.expansion_reviews e
                           ORDER BY e.week_of DESC LIMIT 2) AS r), false)
$$;

-- The invite gate, shared by open_cohort_invites and the trigger on direct writes: every required item completed,
-- and for us_eu_canary expansion_allowed().
CREATE FUNCTION kruxt_internal.rollout_assert_invites_allowed(p_cohort_key text) RETURNS void
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    n integer;
BEGIN
    SELECT count(*) INTO n FROM public.rollout_checklist_items i
    WHERE i.cohort_key = p_cohort_key AND i.required AND i.completed_at IS NULL;
    IF n > 0 THEN
        RAISE EXCEPTION 'Readiness checklist incomplete: % required item(s) open', n USING ERRCODE = 'KX409';
    END IF;
    IF p_cohort_key = 'us_eu_canary' AND NOT public.expansion_allowed() THEN
        RAISE EXCEPTION 'Expansion requires two consecutive passing weekly reviews' USING ERRCODE = 'KX409';
    END IF;
END
$$;

CREATE FUNCTION public.guard_rollout_cohort_invites() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.invites_enabled AND (TG_OP = 'INSERT' OR NOT OLD.invites_enabled) THEN
        PERFORM kruxt_internal.rollout_assert_invites_allowed(NEW.cohort_key);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER guard_rollout_cohort_invites BEFORE INSERT OR UPDATE OF invites_enabled ON public.rollout_cohorts
    FOR EACH ROW EXECUTE FUNCTION public.guard_rollout_cohort_invites();

-- KX403 'Access denied'; KX404 'Rollout cohort not found'; KX409 'Readiness checklist incomplete: <n> required
-- item(s) open' (nothing changes); KX409 'Expansion requires two consecutive passing weekly reviews' (us_eu_canary).
CREATE FUNCTION public.open_cohort_invites(p_cohort_key text) RETURNS public.rollout_cohorts
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    c public.rollout_cohorts;
BEGIN
    PERFORM kruxt_internal.rollout_require_manage();
    c := kruxt_internal.rollout_cohort(p_cohort_key, true);
    PERFORM kruxt_internal.rollout_assert_invites_allowed(c.cohort_key);
    UPDATE public.rollout_cohorts
    SET invites_enabled = true, status = 'invites_open', invites_opened_at = public.app_now()
    WHERE cohort_key = c.cohort_key
    RETURNING * INTO c;
    PERFORM public.append_audit_log('rollout.invites_opened', 'rollout_cohorts', NULL, NULL,
                                    jsonb_build_object('cohort_key', c.cohort_key, 'invites_opened_at', c.invites_opened_at));
    RETURN c;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- §3 weekly KPI board (item 66)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION kruxt_internal.require_friday(p_day date, p_message text) RETURNS void
LANGUAGE plpgsql IMMUTABLE
AS $$
BEGIN
    IF p_day IS NULL OR extract(isodow FROM p_day) <> 5 THEN
        RAISE EXCEPTION '%', p_message USING ERRCODE = 'KX422';
    END IF;
END
$$;

-- Sync success of the users' jobs finished in [p_from, p_to): percent, 1 decimal; 100 when none.
CREATE FUNCTION kruxt_internal.rollout_sync_success(p_users uuid[], p_from timestamptz, p_to timestamptz) RETURNS numeric
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(kruxt_internal.pct(count(*) FILTER (WHERE j.status = 'succeeded'), count(*)), 100.0)
    FROM public.device_sync_jobs j
    WHERE j.user_id = ANY (p_users) AND j.status IN ('succeeded', 'failed')
      AND j.finished_at >= p_from AND j.finished_at < p_to
$$;

-- The eight KPIs of 08 §3 for the cohort week ending on the Friday p_week_of. Percentages and the interaction ratio
-- are rounded to 1 decimal; a ratio with an empty denominator is null (the review then stays incomplete), except
-- sync_success (100 when there are no finished jobs). Cohort users = trial/active members of the cohort's gyms; active
-- = at least one workout started in the week; pilot staff = trial/active leaders, officers, coaches of those gyms.
CREATE FUNCTION kruxt_internal.rollout_weekly_kpis(p_cohort public.rollout_cohorts, p_week_of date) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    ws timestamptz := kruxt_internal.rollout_week_start(p_week_of);
    we timestamptz := kruxt_internal.rollout_week_end(p_week_of);
    v_users uuid[] := kruxt_internal.rollout_cohort_users(p_cohort.gym_ids);
    v_staff uuid[] := kruxt_internal.rollout_cohort_users(p_cohort.gym_ids, true);
    v_launch date := kruxt_internal.rollout_launch_week(p_cohort);
    v_active_users uuid[];
    v_launch_users uuid[];
    v_writers uuid[];
    v_more uuid[];
    n_active bigint;
    n_repeat bigint;
    n_interactions bigint;
    n_book_ok bigint;
    n_book_all bigint;
    n_wait_lost bigint;
    n_retained bigint;
    n_chain bigint;
    n_sev1 bigint := 0;
BEGIN
    SELECT count(*), count(*) FILTER (WHERE t.n >= 2), coalesce(array_agg(t.user_id), '{}')
    INTO n_active, n_repeat, v_active_users
    FROM (SELECT w.user_id, count(*) AS n FROM public.workouts w
          WHERE w.user_id = ANY (v_users) AND w.started_at >= ws AND w.started_at < we
          GROUP BY w.user_id) AS t;

    SELECT count(*) INTO n_interactions FROM public.social_interactions i
    WHERE i.actor_user_id = ANY (v_users) AND i.created_at >= ws AND i.created_at < we;

    SELECT count(*) FILTER (WHERE b.status IN ('booked', 'attended')), count(*)
    INTO n_book_ok, n_book_all
    FROM public.class_bookings b JOIN public.gym_classes c ON c.id = b.class_id
    WHERE c.gym_id = ANY (p_cohort.gym_ids) AND b.booked_at >= ws AND b.booked_at < we;
    SELECT count(*) INTO n_wait_lost
    FROM public.class_waitlist l JOIN public.gym_classes c ON c.id = l.class_id
    WHERE c.gym_id = ANY (p_cohort.gym_ids) AND l.created_at >= ws AND l.created_at < we AND l.status IN ('expired', 'cancelled');

    IF v_launch IS NOT NULL THEN
        SELECT coalesce(array_agg(DISTINCT w.user_id), '{}') INTO v_launch_users FROM public.workouts w
        WHERE w.user_id = ANY (v_users) AND w.started_at >= kruxt_internal.rollout_week_start(v_launch)
          AND w.started_at < kruxt_internal.rollout_week_end(v_launch);
        SELECT count(*) INTO n_retained FROM unnest(v_launch_users) AS u(id) WHERE u.id = ANY (v_active_users);
    END IF;

    SELECT count(*) INTO n_chain FROM public.profiles p WHERE p.id = ANY (v_active_users) AND p.chain_days >= 7;

    SELECT coalesce(array_agg(s.id), '{}') INTO v_writers
    FROM unnest(v_staff) AS s(id)
    WHERE EXISTS (SELECT 1 FROM public.gym_checkins k WHERE k.created_by = s.id AND k.created_at >= ws AND k.created_at < we)
       OR EXISTS (SELECT 1 FROM public.access_logs a WHERE a.created_by = s.id AND a.created_at >= ws AND a.created_at < we)
       OR EXISTS (SELECT 1 FROM public.audit_logs l WHERE l.actor_user_id = s.id AND l.created_at >= ws AND l.created_at < we)
       OR EXISTS (SELECT 1 FROM public.staff_time_entries t WHERE t.staff_user_id = s.id AND t.clock_in_at >= ws AND t.clock_in_at < we);
    IF to_regclass('public.support_ticket_messages') IS NOT NULL THEN
        EXECUTE $q$SELECT coalesce(array_agg(DISTINCT m.actor_user_id), '{}') FROM public.support_ticket_messages m
                   WHERE m.actor_user_id = ANY ($1) AND m.created_at >= $2 AND m.created_at < $3$q$
            INTO v_more USING v_staff, ws, we;
        SELECT coalesce(array_agg(DISTINCT x), '{}') INTO v_writers FROM unnest(v_writers || v_more) AS x;
    END IF;

    IF to_regclass('public.security_incidents') IS NOT NULL THEN
        EXECUTE $q$SELECT count(*) FROM public.security_incidents i
                   WHERE i.severity::text = 'critical' AND NOT i.drill_mode
                     AND i.detected_at >= $2 AND i.detected_at < $3
                     AND (i.gym_id IS NULL OR i.gym_id = ANY ($1))$q$
            INTO n_sev1 USING p_cohort.gym_ids, ws, we;
    END IF;

    RETURN jsonb_build_object(
        'repeat_rate', kruxt_internal.pct(n_repeat, n_active),
        'feed_interactions_per_active', CASE WHEN n_active = 0 THEN NULL ELSE round(n_interactions::numeric / n_active, 1) END,
        'booking_completion', kruxt_internal.pct(n_book_ok, n_book_all + n_wait_lost),
        'w4_retention', kruxt_internal.pct(n_retained, cardinality(v_launch_users)),
        'chain_survival', kruxt_internal.pct(n_chain, n_active),
        'staff_wau', kruxt_internal.pct(cardinality(v_writers), cardinality(v_staff)),
        'sync_success', kruxt_internal.rollout_sync_success(v_users, ws, we),
        'sev1_incidents', n_sev1);
END
$$;

CREATE FUNCTION public.compute_weekly_kpis(p_cohort_key text, p_week_of date) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    c public.rollout_cohorts;
BEGIN
    PERFORM kruxt_internal.rollout_require_read();
    c := kruxt_internal.rollout_cohort(p_cohort_key);
    PERFORM kruxt_internal.require_friday(p_week_of, 'KPI reviews are recorded per Friday week');
    RETURN kruxt_internal.rollout_weekly_kpis(c, p_week_of);
END
$$;

-- The KPIs a metrics object misses (numbers only; in kpi_gate_definitions order), and whether any value is missing.
CREATE FUNCTION kruxt_internal.kpi_evaluation(p_metrics jsonb)
RETURNS TABLE (missing integer, missed text[], missed_critical integer)
LANGUAGE sql STABLE
AS $$
    SELECT count(*) FILTER (WHERE v.value IS NULL)::integer,
           coalesce(array_agg(v.kpi_key ORDER BY v.sort_order) FILTER (WHERE v.value IS NOT NULL AND NOT v.met), '{}'),
           count(*) FILTER (WHERE v.value IS NOT NULL AND NOT v.met AND v.is_critical)::integer
    FROM (SELECT d.kpi_key, d.sort_order, d.is_critical, x.value,
                 CASE d.comparator WHEN 'gte' THEN x.value >= d.threshold ELSE x.value = d.threshold END AS met
          FROM public.kpi_gate_definitions d
          CROSS JOIN LATERAL (SELECT CASE WHEN jsonb_typeof(p_metrics -> d.kpi_key) = 'number'
                                          THEN (p_metrics ->> d.kpi_key)::numeric END AS value) AS x) AS v
$$;

-- Any KPI missing -> Pending; all met -> Pass; exactly one non-critical KPI missed with mitigation accepted ->
-- Conditional; otherwise Fail. A pure function of its arguments and the KPI catalogue (no access check).
CREATE FUNCTION public.compute_kpi_gate_status(p_metrics jsonb, p_mitigation_accepted boolean) RETURNS public.kpi_gate_status
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT CASE
        WHEN e.missing > 0 OR jsonb_typeof(p_metrics) IS DISTINCT FROM 'object' THEN 'Pending'
        WHEN cardinality(e.missed) = 0 THEN 'Pass'
        WHEN cardinality(e.missed) = 1 AND e.missed_critical = 0 AND coalesce(p_mitigation_accepted, false) THEN 'Conditional'
        ELSE 'Fail'
    END::public.kpi_gate_status
    FROM kruxt_internal.kpi_evaluation(coalesce(p_metrics, '{}'::jsonb)) AS e
$$;

-- Errors in order: KX403 'Access denied'; KX404 'Rollout cohort not found'; KX422 'KPI reviews are recorded per
-- Friday week'; KX422 'KPI metrics must be a JSON object'; KX422 'KPI review requires all gate metrics'. Metrics
-- default to compute_weekly_kpis; a mitigation note of >= 10 characters (trimmed) counts as accepted. Upserts on
-- (cohort, week); the stored gate_status is the computed explicit outcome (Pass, Conditional or Fail).
CREATE FUNCTION public.record_kpi_weekly_review(
    p_cohort_key text,
    p_week_of date,
    p_metrics jsonb DEFAULT NULL,
    p_mitigation_note text DEFAULT NULL
) RETURNS public.kpi_weekly_reviews
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    c public.rollout_cohorts;
    v_metrics jsonb;
    v_note text := nullif(btrim(p_mitigation_note), '');
    v_accepted boolean;
    v_status public.kpi_gate_status;
    v_missed text[];
    v_uid uuid := auth.uid();
    v_row public.kpi_weekly_reviews;
BEGIN
    PERFORM kruxt_internal.rollout_require_manage();
    c := kruxt_internal.rollout_cohort(p_cohort_key);
    PERFORM kruxt_internal.require_friday(p_week_of, 'KPI reviews are recorded per Friday week');
    IF p_metrics IS NOT NULL AND jsonb_typeof(p_metrics) <> 'object' THEN
        RAISE EXCEPTION 'KPI metrics must be a JSON object' USING ERRCODE = 'KX422';
    END IF;
    v_metrics := coalesce(p_metrics, kruxt_internal.rollout_weekly_kpis(c, p_week_of));
    v_accepted := char_length(coalesce(v_note, '')) >= 10;
    v_status := public.compute_kpi_gate_status(v_metrics, v_accepted);
    IF v_status = 'Pending' THEN
        RAISE EXCEPTION 'KPI review requires all gate metrics' USING ERRCODE = 'KX422';
    END IF;
    SELECT e.missed INTO v_missed FROM kruxt_internal.kpi_evaluation(v_metrics) AS e;
    IF v_uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.id = v_uid) THEN
        v_uid := NULL;
    END IF;

    INSERT INTO public.kpi_weekly_reviews (cohort_key, week_of, metrics, computed_gate_status, gate_status, missed_kpis,
                                           mitigation_note, mitigation_accepted_by, reviewed_by, reviewed_at)
    VALUES (c.cohort_key, p_week_of, v_metrics, v_status, v_status, v_missed, v_note,
            CASE WHEN v_accepted THEN v_uid END, v_uid, public.app_now())
    ON CONFLICT (cohort_key, week_of) DO UPDATE
    SET metrics = EXCLUDED.metrics, computed_gate_status = EXCLUDED.computed_gate_status,
        gate_status = EXCLUDED.gate_status, missed_kpis = EXCLUDED.missed_kpis,
        mitigation_note = EXCLUDED.mitigation_note, mitigation_accepted_by = EXCLUDED.mitigation_accepted_by,
        reviewed_by = EXCLUDED.reviewed_by, reviewed_at = EXCLUDED.reviewed_at
    RETURNING * INTO v_row;

    PERFORM public.append_audit_log('rollout.kpi_review_recorded', 'kpi_weekly_reviews', v_row.id, v_note,
                                    jsonb_build_object('cohort_key', v_row.cohort_key, 'week_of', v_row.week_of,
                                                       'gate_status', v_row.gate_status, 'missed_kpis', to_jsonb(v_row.missed_kpis),
                                                       'metrics', v_row.metrics));
    RETURN v_row;
END
$$;

-- Fridays from max(p_from, the launch week) to p_to (default: today, Europe/Rome) without a review whose reviewed_at
-- is set, ascending. A cohort without a launch window starts at p_from.
CREATE FUNCTION public.kpi_review_cadence_gaps(p_cohort_key text, p_from date DEFAULT NULL, p_to date DEFAULT NULL)
RETURNS TABLE (week_of date)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    c public.rollout_cohorts;
    v_from date;
    v_to date;
BEGIN
    PERFORM kruxt_internal.rollout_require_read();
    c := kruxt_internal.rollout_cohort(p_cohort_key);
    v_from := greatest(p_from, kruxt_internal.rollout_launch_week(c));
    v_to := coalesce(p_to, (public.app_now() AT TIME ZONE 'Europe/Rome')::date);
    IF v_from IS NULL THEN
        RETURN;
    END IF;
    v_from := v_from + ((5 - extract(isodow FROM v_from)::integer + 7) % 7);   -- first Friday on or after
    RETURN QUERY
    SELECT f.d::date
    FROM generate_series(v_from::timestamp, v_to::timestamp, interval '7 days') AS f(d)
    WHERE NOT EXISTS (SELECT 1 FROM public.kpi_weekly_reviews r
                      WHERE r.cohort_key = c.cohort_key AND r.week_of = f.d::date AND r.reviewed_at IS NOT NULL)
    ORDER BY 1;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- §4 rollback playbook (item 67)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.rollback_trigger_conditions() RETURNS TABLE (reason text, active boolean, detail text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    n bigint;
    v_detail text;
BEGIN
    PERFORM kruxt_internal.rollout_require_read();
    n := kruxt_internal.open_sev1_incident_count(NULL, public.app_now() - interval '30 minutes');
    reason := 'sev1_over_30m';
    active := n > 0;
    detail := CASE WHEN to_regclass('public.security_incidents') IS NULL THEN 'security_incidents does not exist yet (area 06)'
                   ELSE format('%s open non-drill critical incident(s) older than 30 minutes', n) END;
    RETURN NEXT;

    SELECT string_agg(format('%s %s: %s', r.cohort_key, r.week_of, array_to_string(r.missed_kpis, ',')), '; ' ORDER BY r.cohort_key)
    INTO v_detail
    FROM (SELECT DISTINCT ON (k.cohort_key) k.cohort_key, k.week_of, k.gate_status, k.missed_kpis
          FROM public.kpi_weekly_reviews k
          WHERE k.reviewed_at IS NOT NULL
          ORDER BY k.cohort_key, k.week_of DESC) AS r
    WHERE r.gate_status = 'Fail'
      AND EXISTS (SELECT 1 FROM public.kpi_gate_definitions d WHERE d.is_critical AND d.kpi_key = ANY (r.missed_kpis));
    reason := 'critical_kpi_fail';
    active := v_detail IS NOT NULL;
    detail := coalesce('latest review failed on a critical KPI: ' || v_detail, 'no latest review failed on a critical KPI');
    RETURN NEXT;
END
$$;

-- KX403 'Access denied'; KX404 'Rollout cohort not found'; KX422 'Rollback trigger reason is required'; KX409 'A rollback
-- is already in progress for this cohort'. Audit rollout.rollback_started.
CREATE FUNCTION public.start_rollback(
    p_cohort_key text,
    p_trigger_reason text,
    p_incident_id uuid DEFAULT NULL,
    p_is_drill boolean DEFAULT false
) RETURNS public.rollback_executions
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    c public.rollout_cohorts;
    v_uid uuid := auth.uid();
    v_row public.rollback_executions;
BEGIN
    PERFORM kruxt_internal.rollout_require_manage();
    c := kruxt_internal.rollout_cohort(p_cohort_key, true);
    IF coalesce(btrim(p_trigger_reason), '') = '' THEN
        RAISE EXCEPTION 'Rollback trigger reason is required' USING ERRCODE = 'KX422';
    END IF;
    IF EXISTS (SELECT 1 FROM public.rollback_executions e WHERE e.cohort_key = c.cohort_key AND e.completed_at IS NULL) THEN
        RAISE EXCEPTION 'A rollback is already in progress for this cohort' USING ERRCODE = 'KX409';
    END IF;
    IF v_uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.id = v_uid) THEN
        v_uid := NULL;
    END IF;
    INSERT INTO public.rollback_executions (cohort_key, trigger_reason, security_incident_id, started_at, started_by, is_drill)
    VALUES (c.cohort_key, btrim(p_trigger_reason), p_incident_id, public.app_now(), v_uid, coalesce(p_is_drill, false))
    RETURNING * INTO v_row;
    PERFORM public.append_audit_log('rollout.rollback_started', 'rollback_executions', v_row.id, v_row.trigger_reason,
                                    jsonb_build_object('cohort_key', v_row.cohort_key, 'trigger_reason', v_row.trigger_reason,
                                                       'security_incident_id', v_row.security_incident_id,
                                                       'is_drill', v_row.is_drill));
    RETURN v_row;
END
$$;

-- Errors in order: KX403 'Access denied'; KX404 'Rollback execution not found'; KX409 'Rollback execution is already
-- completed'; KX404 'Rollback step not found'; KX409 'Rollback step already completed'; KX409 'Rollback steps must be
-- completed in order'; then per step: 3 KX409 'Privacy and consent flows must stay online during rollback'; 5 KX422
-- 'Incident note is required'; 6 KX422 'Root cause note with owners is required'; 7 KX409 'Gate review can reopen only
-- after two stable days'.
-- Step actions: 1 every cohort -> invites_enabled false, status paused; 2 the step's flags -> disabled, rollout 0; 4 the
-- cohort gyms' high-risk gym feature settings (step 4's keys) -> disabled (upserted; skipped while area 10's table is
-- missing); 5 stamps incident_note_published_at and communication_sla_met (now - started_at <= 30 min); 7 completes
-- the execution. Drills perform steps 1, 2 and 4 on nothing and record what would change. The step record appended
-- to steps: {step_order, action_key, completed_at, completed_by, note, note_url, changed_flags, is_drill} plus
-- changed_cohorts (1) / changed_gym_features (4) / skipped (4).
CREATE FUNCTION public.complete_rollback_step(
    p_execution_id uuid,
    p_step_order integer,
    p_note text DEFAULT NULL,
    p_note_url text DEFAULT NULL
) RETURNS public.rollback_executions
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_exec public.rollback_executions;
    v_step public.rollback_playbook_steps;
    c public.rollout_cohorts;
    v_now timestamptz := public.app_now();
    v_uid uuid := auth.uid();
    v_note text := nullif(btrim(p_note), '');
    v_url text := nullif(btrim(p_note_url), '');
    v_changed_flags jsonb := '[]'::jsonb;
    v_extra jsonb := '{}'::jsonb;
    v_open integer;
    v_since timestamptz;
    v_incident_at timestamptz;
    v_sla boolean;
BEGIN
    PERFORM kruxt_internal.rollout_require_manage();
    SELECT e.* INTO v_exec FROM public.rollback_executions e WHERE e.id = p_execution_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Rollback execution not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_exec.completed_at IS NOT NULL THEN
        RAISE EXCEPTION 'Rollback execution is already completed' USING ERRCODE = 'KX409';
    END IF;
    SELECT s.* INTO v_step FROM public.rollback_playbook_steps s WHERE s.step_order = p_step_order;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Rollback step not found' USING ERRCODE = 'KX404';
    END IF;
    IF EXISTS (SELECT 1 FROM jsonb_array_elements(v_exec.steps) AS d WHERE (d.value ->> 'step_order')::integer = p_step_order) THEN
        RAISE EXCEPTION 'Rollback step already completed' USING ERRCODE = 'KX409';
    END IF;
    SELECT count(*) INTO v_open FROM public.rollback_playbook_steps s
    WHERE s.step_order < p_step_order
      AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(v_exec.steps) AS d WHERE (d.value ->> 'step_order')::integer = s.step_order);
    IF v_open > 0 THEN
        RAISE EXCEPTION 'Rollback steps must be completed in order' USING ERRCODE = 'KX409';
    END IF;
    SELECT r.* INTO c FROM public.rollout_cohorts r WHERE r.cohort_key = v_exec.cohort_key;
    IF v_uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.id = v_uid) THEN
        v_uid := NULL;
    END IF;

    CASE v_step.action_key
    WHEN 'freeze_invites' THEN
        SELECT coalesce(jsonb_agg(jsonb_build_object('cohort_key', r.cohort_key, 'invites_enabled_before', r.invites_enabled,
                                                     'status_before', r.status, 'status_after', 'paused')
                                  ORDER BY r.cohort_key), '[]'::jsonb)
        INTO v_extra
        FROM public.rollout_cohorts r
        WHERE r.invites_enabled OR r.status <> 'paused';
        v_extra := jsonb_build_object('changed_cohorts', v_extra);
        IF NOT v_exec.is_drill THEN
            UPDATE public.rollout_cohorts r SET invites_enabled = false, status = 'paused'
            WHERE r.invites_enabled OR r.status <> 'paused';
        END IF;

    WHEN 'disable_risky_flags' THEN
        SELECT coalesce(jsonb_agg(jsonb_build_object('key', f.key, 'enabled_before', f.enabled,
                                                     'rollout_percentage_before', f.rollout_percentage,
                                                     'enabled_after', false, 'rollout_percentage_after', 0)
                                  ORDER BY array_position(v_step.flag_keys, f.key)), '[]'::jsonb)
        INTO v_changed_flags
        FROM public.feature_flags f
        WHERE f.key = ANY (v_step.flag_keys) AND (f.enabled OR f.rollout_percentage <> 0);
        IF NOT v_exec.is_drill THEN
            UPDATE public.feature_flags f
            SET enabled = false, rollout_percentage = 0,
                updated_by = (SELECT u.id FROM auth.users u WHERE u.id = auth.uid())
            WHERE f.key = ANY (v_step.flag_keys) AND (f.enabled OR f.rollout_percentage <> 0);
        END IF;

    WHEN 'keep_privacy_online' THEN
        IF EXISTS (SELECT 1 FROM unnest(v_step.flag_keys) AS k(key)
                   WHERE NOT coalesce((SELECT f.enabled FROM public.feature_flags f WHERE f.key = k.key), false)) THEN
            RAISE EXCEPTION 'Privacy and consent flows must stay online during rollback' USING ERRCODE = 'KX409';
        END IF;

    WHEN 'safe_fallback_ui' THEN
        IF to_regclass('public.gym_feature_settings') IS NULL THEN
            v_extra := jsonb_build_object('changed_gym_features', '[]'::jsonb,
                                          'skipped', 'gym_feature_settings does not exist yet (area 10)');
        ELSE
            SELECT jsonb_build_object('changed_gym_features', coalesce(jsonb_agg(jsonb_build_object('gym_id', g.id, 'feature_key', k.key)
                                                                                ORDER BY g.o, k.o), '[]'::jsonb))
            INTO v_extra
            FROM unnest(c.gym_ids) WITH ORDINALITY AS g(id, o), unnest(v_step.flag_keys) WITH ORDINALITY AS k(key, o);
            IF NOT v_exec.is_drill THEN
                EXECUTE $q$INSERT INTO public.gym_feature_settings (gym_id, feature_key, enabled, rollout_percentage, note)
                           SELECT g.id, k.key, false, 0, 'Disabled by rollback playbook step 4'
                           FROM unnest($1::uuid[]) AS g(id), unnest($2::text[]) AS k(key)
                           ON CONFLICT (gym_id, feature_key) DO UPDATE
                           SET enabled = false, rollout_percentage = 0, note = EXCLUDED.note$q$
                    USING c.gym_ids, v_step.flag_keys;
            END IF;
        END IF;

    WHEN 'publish_incident_note' THEN
        IF v_note IS NULL AND v_url IS NULL THEN
            RAISE EXCEPTION 'Incident note is required' USING ERRCODE = 'KX422';
        END IF;
        v_sla := v_now - v_exec.started_at <= make_interval(mins => coalesce(v_step.sla_minutes, 30));
        UPDATE public.rollback_executions
        SET incident_note_published_at = v_now, incident_note_url = v_url, communication_sla_met = v_sla
        WHERE id = v_exec.id;

    WHEN 'root_cause_capture' THEN
        IF v_note IS NULL THEN
            RAISE EXCEPTION 'Root cause note with owners is required' USING ERRCODE = 'KX422';
        END IF;

    WHEN 'reopen_gate_review' THEN
        -- stable since the later of the start and the last non-drill critical incident of the cohort's gyms or the
        -- platform (its resolution, or detection when unresolved; an open one is never stable)
        v_since := v_exec.started_at;
        IF kruxt_internal.open_sev1_incident_count(c.gym_ids) > 0 THEN
            v_since := v_now;
        ELSIF to_regclass('public.security_incidents') IS NOT NULL THEN
            EXECUTE $q$SELECT max(greatest(i.detected_at, coalesce(i.resolved_at, i.detected_at)))
                       FROM public.security_incidents i
                       WHERE i.severity::text = 'critical' AND NOT i.drill_mode
                         AND (i.gym_id IS NULL OR i.gym_id = ANY ($1))$q$
                INTO v_incident_at USING c.gym_ids;
            v_since := greatest(v_since, v_incident_at);
        END IF;
        IF v_now - v_since < interval '48 hours' THEN
            RAISE EXCEPTION 'Gate review can reopen only after two stable days' USING ERRCODE = 'KX409';
        END IF;
    ELSE
        NULL;
    END CASE;

    UPDATE public.rollback_executions
    SET steps = steps || jsonb_build_array(jsonb_build_object(
            'step_order', v_step.step_order, 'action_key', v_step.action_key,
            'completed_at', kruxt_internal.iso_utc(v_now), 'completed_by', v_uid,
            'note', v_note, 'note_url', v_url, 'changed_flags', v_changed_flags, 'is_drill', v_exec.is_drill) || v_extra),
        completed_at = CASE WHEN v_step.step_order = (SELECT max(s.step_order) FROM public.rollback_playbook_steps s)
                            THEN v_now END
    WHERE id = v_exec.id
    RETURNING * INTO v_exec;

    PERFORM public.append_audit_log('rollout.rollback_step_completed', 'rollback_executions', v_exec.id, v_note,
                                    jsonb_build_object('cohort_key', v_exec.cohort_key, 'step_order', v_step.step_order,
                                                       'action_key', v_step.action_key, 'is_drill', v_exec.is_drill,
                                                       'changed_flags', v_changed_flags));
    RETURN v_exec;
END
$$;

-- CLI `flags rollback` (08 §8): steps 1-2 outside a playbook run, recorded as a completed, non-drill execution.
CREATE FUNCTION public.flags_rollback(p_cohort_key text DEFAULT 'pavia', p_trigger_reason text DEFAULT 'manual_flags_rollback')
RETURNS public.rollback_executions
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_exec public.rollback_executions;
BEGIN
    v_exec := public.start_rollback(p_cohort_key, p_trigger_reason, NULL, false);
    PERFORM public.complete_rollback_step(v_exec.id, 1, 'flags rollback shortcut');
    PERFORM public.complete_rollback_step(v_exec.id, 2, 'flags rollback shortcut');
    UPDATE public.rollback_executions SET completed_at = public.app_now() WHERE id = v_exec.id RETURNING * INTO v_exec;
    RETURN v_exec;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- §5 US + EU expansion (item 68). The Pavia cohort is the pilot; us_eu_canary is the target cohort (its
-- release_locales drive legal_copy_coverage).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION kruxt_internal.expansion_evaluation(p_week_of date) RETURNS jsonb
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_pavia public.rollout_cohorts;
    v_target public.rollout_cohorts;
    v_users uuid[] := '{}';
    v_gyms uuid[] := '{}';
    v_gate boolean;
    v_sync boolean;
    v_privacy boolean;
    v_support boolean := true;
    v_sev1 boolean;
    v_legal boolean := false;
    n bigint;
BEGIN
    SELECT r.* INTO v_pavia FROM public.rollout_cohorts r WHERE r.cohort_key = 'pavia';
    SELECT r.* INTO v_target FROM public.rollout_cohorts r WHERE r.cohort_key = 'us_eu_canary';
    IF v_pavia.cohort_key IS NOT NULL THEN
        v_gyms := v_pavia.gym_ids;
        v_users := kruxt_internal.rollout_cohort_users(v_gyms);
    END IF;

    SELECT coalesce((SELECT k.gate_status IN ('Pass', 'Conditional') FROM public.kpi_weekly_reviews k
                     WHERE k.cohort_key = 'pavia' AND k.reviewed_at IS NOT NULL AND k.week_of <= p_week_of
                     ORDER BY k.week_of DESC LIMIT 1), false)
    INTO v_gate;
    v_sync := kruxt_internal.rollout_sync_success(v_users, kruxt_internal.rollout_week_start(p_week_of),
                                                  kruxt_internal.rollout_week_end(p_week_of)) >= 95;
    v_privacy := NOT EXISTS (SELECT 1 FROM public.privacy_requests r
                             WHERE r.user_id = ANY (v_users) AND public.is_privacy_request_open_status(r.status)
                               AND r.sla_breached_at < v_now - interval '7 days');
    IF to_regclass('public.support_tickets') IS NOT NULL AND to_regclass('public.support_ticket_messages') IS NOT NULL THEN
        EXECUTE $q$SELECT count(*) FROM public.support_tickets t
                   WHERE t.gym_id = ANY ($1)
                     AND t.status::text NOT IN ('resolved', 'closed', 'spam')
                     AND t.first_response_due_at < $2
                     AND NOT EXISTS (SELECT 1 FROM public.support_ticket_messages m
                                     WHERE m.ticket_id = t.id AND m.actor_type::text = 'staff')$q$
            INTO n USING v_gyms, v_now;
        v_support := n = 0;
    END IF;
    v_sev1 := kruxt_internal.open_sev1_incident_count(NULL) = 0;
    IF to_regclass('public.legal_copy_keys') IS NOT NULL AND to_regclass('public.legal_copy_translations') IS NOT NULL THEN
        EXECUTE $q$SELECT count(*) FROM public.legal_copy_keys k
                   CROSS JOIN unnest($1::text[]) AS l(locale)
                   WHERE l.locale <> 'en-US'
                     AND NOT EXISTS (SELECT 1 FROM public.legal_copy_translations t
                                     WHERE t.copy_key = k.copy_key AND t.locale = l.locale)$q$
            INTO n USING coalesce(v_target.release_locales, '{}'::text[]);
        v_legal := n = 0;
    END IF;

    RETURN jsonb_build_object('pavia_gate_pass', v_gate, 'sync_success_95', v_sync, 'no_stale_sla_breach', v_privacy,
                              'support_sla_met', v_support, 'no_open_sev1', v_sev1, 'legal_copy_coverage', v_legal);
END
$$;

CREATE FUNCTION public.evaluate_expansion_criteria(p_week_of date) RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM kruxt_internal.rollout_require_read();
    PERFORM kruxt_internal.require_friday(p_week_of, 'Expansion reviews are recorded per Friday week');
    RETURN kruxt_internal.expansion_evaluation(p_week_of);
END
$$;

-- Upserts the week's review with the evaluation; all_passed = every criterion true. Audit rollout.expansion_review_recorded.
CREATE FUNCTION public.record_expansion_review(p_week_of date, p_notes text DEFAULT NULL) RETURNS public.expansion_reviews
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_results jsonb;
    v_uid uuid := auth.uid();
    v_row public.expansion_reviews;
BEGIN
    PERFORM kruxt_internal.rollout_require_manage();
    PERFORM kruxt_internal.require_friday(p_week_of, 'Expansion reviews are recorded per Friday week');
    v_results := kruxt_internal.expansion_evaluation(p_week_of);
    IF v_uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.id = v_uid) THEN
        v_uid := NULL;
    END IF;
    INSERT INTO public.expansion_reviews (week_of, results, all_passed, reviewed_by, reviewed_at, notes)
    VALUES (p_week_of, v_results,
            NOT EXISTS (SELECT 1 FROM public.expansion_criteria x WHERE (v_results ->> x.criterion_key)::boolean IS NOT TRUE),
            v_uid, public.app_now(), nullif(btrim(p_notes), ''))
    ON CONFLICT (week_of) DO UPDATE
    SET results = EXCLUDED.results, all_passed = EXCLUDED.all_passed, reviewed_by = EXCLUDED.reviewed_by,
        reviewed_at = EXCLUDED.reviewed_at, notes = EXCLUDED.notes
    RETURNING * INTO v_row;
    PERFORM public.append_audit_log('rollout.expansion_review_recorded', 'expansion_reviews', v_row.id, v_row.notes,
                                    jsonb_build_object('week_of', v_row.week_of, 'results', v_row.results,
                                                       'all_passed', v_row.all_passed));
    RETURN v_row;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- §6 scheduler runs and the failed-run alert (items 69, 70)
-- ---------------------------------------------------------------------------------------------
-- AFTER INSERT: a failed rank_recompute_weekly run opens a high-priority phase-7 alert whose body carries the run URL.
CREATE FUNCTION public.ops_scheduler_run_failure_alert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_at timestamptz := coalesce(NEW.finished_at, NEW.started_at);
BEGIN
    INSERT INTO public.ops_alert_issues (title, labels, body, run_url, source_run_id, status)
    VALUES (format('[OPS] Rank recompute failed (%s UTC)', to_char(v_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')),
            ARRAY['high-priority', 'phase-7'],
            concat_ws(E'\n',
                'The weekly rank recompute scheduler run failed.',
                '',
                format('- Run: %s', coalesce(NEW.run_url, '(no run URL recorded)')),
                format('- Trigger: %s', NEW.trigger),
                format('- Run key: %s', NEW.run_key),
                format('- Finished: %s', coalesce(kruxt_internal.iso_utc(NEW.finished_at), '(not finished)')),
                format('- Exit code: %s, HTTP status: %s', coalesce(NEW.exit_code::text, '-'), coalesce(NEW.http_status::text, '-')),
                format('- Rebuild failures: %s, determinism mismatches: %s',
                       coalesce(NEW.report ->> 'failedCount', '-'), coalesce(NEW.report ->> 'determinismMismatchCount', '-')),
                format('- Report artifact: %s', coalesce(NEW.artifact_name, '(none)'))),
            NEW.run_url, NEW.id, 'open')
    ON CONFLICT (source_run_id) WHERE source_run_id IS NOT NULL DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER ops_scheduler_run_failure_alert AFTER INSERT ON public.ops_scheduler_runs
    FOR EACH ROW WHEN (NEW.job_name = 'rank_recompute_weekly' AND NEW.status = 'failed')
    EXECUTE FUNCTION public.ops_scheduler_run_failure_alert();

-- Service only ('Service role required'). rank_recompute_weekly runs default their artifact to
-- rank-recompute-report-<run_key>. A second record of the same (job, run key) is a 23505.
CREATE FUNCTION public.record_ops_scheduler_run(
    p_job_name text,
    p_run_key text,
    p_trigger text,
    p_started_at timestamptz,
    p_finished_at timestamptz,
    p_status text,
    p_exit_code integer DEFAULT NULL,
    p_http_status integer DEFAULT NULL,
    p_report jsonb DEFAULT '{}',
    p_artifact_name text DEFAULT NULL,
    p_run_url text DEFAULT NULL
) RETURNS public.ops_scheduler_runs
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_row public.ops_scheduler_runs;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    INSERT INTO public.ops_scheduler_runs (job_name, run_key, trigger, started_at, finished_at, status, exit_code,
                                           http_status, report, artifact_name, run_url)
    VALUES (p_job_name, btrim(p_run_key), coalesce(p_trigger, 'manual'), coalesce(p_started_at, public.app_now()),
            p_finished_at, p_status, p_exit_code, p_http_status, coalesce(p_report, '{}'::jsonb),
            coalesce(nullif(btrim(p_artifact_name), ''),
                     CASE WHEN p_job_name = 'rank_recompute_weekly' THEN 'rank-recompute-report-' || btrim(p_run_key) END),
            nullif(btrim(p_run_url), ''))
    RETURNING * INTO v_row;
    RETURN v_row;
END
$$;

-- The CLI's report and run record (07 §6 steps 2-5) in one call. p_http_status: the job's HTTP status (in Crysknife:
-- 200 when rank_recompute_weekly returned, 400 for 'Invalid timeframe.', 500 for any other error); p_response: the
-- job's JSON (or {error}). Status = failed when the HTTP status is not 2xx, failedCount > 0 or
-- determinismMismatchCount > 0. Returns the run id, status, exit code (1 / 0), the failure message naming the cause,
-- the report {status, requestedAt, endpoint, requestBody, httpStatus, scannedCount, rebuiltCount, failedCount,
-- determinismProbeCount, determinismMismatchCount, response} and the alert opened for a failed run.
CREATE FUNCTION public.record_rank_recompute_run(
    p_run_key text,
    p_trigger text,
    p_started_at timestamptz,
    p_finished_at timestamptz,
    p_request_body jsonb,
    p_http_status integer,
    p_response jsonb,
    p_endpoint text DEFAULT NULL,
    p_run_url text DEFAULT NULL
) RETURNS TABLE (run_id uuid, status text, exit_code integer, failure_message text, report jsonb, alert_issue_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_failed integer := coalesce((p_response ->> 'failedCount')::integer, 0);
    v_mismatch integer := coalesce((p_response ->> 'determinismMismatchCount')::integer, 0);
    v_run public.ops_scheduler_runs;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    failure_message := CASE
        WHEN p_http_status IS NULL OR p_http_status NOT BETWEEN 200 AND 299
            THEN format('Rank recompute request failed with HTTP status %s', coalesce(p_http_status::text, 'unknown'))
        WHEN v_failed > 0 THEN format('Rank recompute failed for %s leaderboard(s)', v_failed)
        WHEN v_mismatch > 0 THEN format('Rank recompute determinism probe reported %s mismatch(es)', v_mismatch)
    END;
    status := CASE WHEN failure_message IS NULL THEN 'succeeded' ELSE 'failed' END;
    exit_code := CASE WHEN failure_message IS NULL THEN 0 ELSE 1 END;
    report := jsonb_build_object(
        'status', status,
        'requestedAt', kruxt_internal.iso_utc(coalesce(p_started_at, public.app_now())),
        'endpoint', p_endpoint,
        'requestBody', coalesce(p_request_body, '{}'::jsonb),
        'httpStatus', p_http_status,
        'scannedCount', coalesce((p_response ->> 'scannedCount')::integer, 0),
        'rebuiltCount', coalesce((p_response ->> 'rebuiltCount')::integer, 0),
        'failedCount', v_failed,
        'determinismProbeCount', coalesce((p_response ->> 'determinismProbeCount')::integer, 0),
        'determinismMismatchCount', v_mismatch,
        'response', p_response);
    v_run := public.record_ops_scheduler_run('rank_recompute_weekly', p_run_key, p_trigger, p_started_at, p_finished_at,
                                             status, exit_code, p_http_status, report, NULL, p_run_url);
    run_id := v_run.id;
    SELECT a.id INTO alert_issue_id FROM public.ops_alert_issues a WHERE a.source_run_id = v_run.id;
    RETURN NEXT;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- §7 console load: createPhase9RolloutConsoleFlow().load() in one read (service or platform.overview.read).
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.rollout_console_snapshot() RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
SET TimeZone = 'UTC'
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_readiness jsonb := '[]'::jsonb;
    v_missing jsonb := '[]'::jsonb;
    v_overdue boolean := false;
    v_items jsonb;
    c public.rollout_cohorts;
    v_consecutive integer := 0;
    v_prev date;
    r record;
BEGIN
    PERFORM kruxt_internal.rollout_require_read();
    FOR c IN SELECT * FROM public.rollout_cohorts ORDER BY cohort_key LOOP
        SELECT coalesce(jsonb_agg(jsonb_build_object(
                   'itemKey', i.item_key, 'groupKey', i.group_key, 'label', i.label, 'required', i.required,
                   'ownerLabel', i.owner_label, 'autoCheck', i.auto_check, 'completed', i.completed_at IS NOT NULL,
                   'completedAt', i.completed_at, 'evidenceNote', i.evidence_note, 'evidenceUrl', i.evidence_url,
                   'autoCheckPassed', ac.passed, 'detail', ac.detail) ORDER BY i.sort_order, i.item_key), '[]'::jsonb)
        INTO v_items
        FROM public.rollout_checklist_items i
        LEFT JOIN LATERAL (SELECT a.passed, a.detail FROM kruxt_internal.rollout_auto_check(i.auto_check, c) AS a
                           WHERE i.auto_check IS NOT NULL) AS ac ON true
        WHERE i.cohort_key = c.cohort_key;
        v_readiness := v_readiness || jsonb_build_array(jsonb_build_object(
            'cohortKey', c.cohort_key,
            'items', v_items,
            'requiredCount', (SELECT count(*) FROM public.rollout_checklist_items i WHERE i.cohort_key = c.cohort_key AND i.required),
            'completedCount', (SELECT count(*) FROM public.rollout_checklist_items i
                               WHERE i.cohort_key = c.cohort_key AND i.required AND i.completed_at IS NOT NULL),
            'ready', NOT EXISTS (SELECT 1 FROM public.rollout_checklist_items i
                                 WHERE i.cohort_key = c.cohort_key AND i.required AND i.completed_at IS NULL)));
        FOR r IN SELECT g.week_of FROM public.kpi_review_cadence_gaps(c.cohort_key) AS g LOOP
            v_missing := v_missing || jsonb_build_array(jsonb_build_object('cohortKey', c.cohort_key, 'weekOf', r.week_of));
            -- overdue once the Friday is over (after 23:59 Europe/Rome)
            v_overdue := v_overdue OR v_now >= kruxt_internal.rollout_week_end(r.week_of);
        END LOOP;
    END LOOP;

    FOR r IN SELECT e.week_of, e.all_passed FROM public.expansion_reviews e ORDER BY e.week_of DESC LOOP
        EXIT WHEN NOT r.all_passed OR (v_prev IS NOT NULL AND v_prev - r.week_of <> 7);
        v_consecutive := v_consecutive + 1;
        v_prev := r.week_of;
    END LOOP;

    RETURN jsonb_build_object(
        'cohorts', coalesce((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.cohort_key) FROM public.rollout_cohorts x), '[]'::jsonb),
        'readiness', v_readiness,
        'kpiDefinitions', coalesce((SELECT jsonb_agg(to_jsonb(d) ORDER BY d.sort_order) FROM public.kpi_gate_definitions d), '[]'::jsonb),
        'weeklyBoard', coalesce((SELECT jsonb_agg(jsonb_build_object(
                'cohortKey', k.cohort_key, 'weekOf', k.week_of, 'metrics', k.metrics,
                'perKpi', (SELECT jsonb_agg(jsonb_build_object(
                               'kpiKey', d.kpi_key, 'value', k.metrics -> d.kpi_key, 'threshold', d.threshold,
                               'passed', CASE WHEN jsonb_typeof(k.metrics -> d.kpi_key) <> 'number' THEN NULL
                                              WHEN d.comparator = 'gte' THEN (k.metrics ->> d.kpi_key)::numeric >= d.threshold
                                              ELSE (k.metrics ->> d.kpi_key)::numeric = d.threshold END)
                               ORDER BY d.sort_order) FROM public.kpi_gate_definitions d),
                'gateStatus', k.gate_status, 'mitigationNote', k.mitigation_note, 'reviewedAt', k.reviewed_at)
                ORDER BY k.cohort_key, k.week_of) FROM public.kpi_weekly_reviews k), '[]'::jsonb),
        'cadence', jsonb_build_object('missingWeeks', v_missing, 'overdue', v_overdue),
        'rollback', jsonb_build_object(
            'steps', coalesce((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.step_order) FROM public.rollback_playbook_steps s), '[]'::jsonb),
            'activeExecution', (SELECT to_jsonb(e) FROM public.rollback_executions e WHERE e.completed_at IS NULL
                                ORDER BY e.started_at DESC, e.id DESC LIMIT 1),
            'triggerConditions', (SELECT jsonb_agg(jsonb_build_object('reason', t.reason, 'active', t.active, 'detail', t.detail))
                                  FROM public.rollback_trigger_conditions() AS t)),
        'expansion', jsonb_build_object(
            'criteria', coalesce((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.sort_order) FROM public.expansion_criteria x), '[]'::jsonb),
            'reviews', coalesce((SELECT jsonb_agg(to_jsonb(e) ORDER BY e.week_of DESC) FROM public.expansion_reviews e), '[]'::jsonb),
            'consecutivePassingWeeks', v_consecutive,
            'expansionAllowed', public.expansion_allowed()),
        'schedulerRuns', coalesce((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.started_at DESC, s.id DESC)
                                   FROM (SELECT * FROM public.ops_scheduler_runs ORDER BY started_at DESC, id DESC LIMIT 20) AS s), '[]'::jsonb),
        'openAlerts', coalesce((SELECT jsonb_agg(to_jsonb(a) ORDER BY a.created_at DESC, a.id DESC)
                                FROM public.ops_alert_issues a WHERE a.status = 'open'), '[]'::jsonb));
END
$$;

RESET ROLE;
