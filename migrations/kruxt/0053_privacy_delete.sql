-- KRUXT 0053: the delete pipeline (05 §6; items 35-39): legal_holds, has_active_legal_hold,
-- privacy_delete_jobs with queue / claim (FOR UPDATE SKIP LOCKED) / complete / fail, and
-- apply_user_anonymization. Users are anonymized, never deleted (00 §6.3).
--
-- apply_user_anonymization scrubs every table that holds the user's data, in an order that never breaks
-- a foreign key: rows are deleted child-first or through their declared ON DELETE actions (workouts cascade
-- to exercises, sets, cards and others' interactions; check-ins set access_logs.checkin_id null; device
-- connections cascade to 04's jobs, cursors and imports), rows kept for legal retention are scrubbed in
-- place. Every UPDATE touches only rows that still differ from their anonymized form, so a second run
-- changes nothing (all counts 0, updated_at untouched) and the resulting state is identical.
-- Tables of later areas (07 challenge_participants, leaderboard_entries; 12 user_trusted_devices,
-- user_auth_events, user_data_sharing_preferences; 04 leftovers of device_sync_jobs, device_sync_cursors,
-- external_activity_imports) are handled when they exist (to_regclass, dynamic SQL on the columns the spec
-- names); until then their counts are 0.
-- The evidence scrub (waiver/contract acceptances, 03 §1.6; user_auth_events, 12 §5) runs with
-- kruxt.evidence_scrub = 'on' (transaction-local, restored right after) as the service role: the
-- immutability triggers of those tables let exactly that change through.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- legal_holds (05 §6.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.legal_holds (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id            uuid        NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    privacy_request_id uuid        REFERENCES public.privacy_requests (id) ON DELETE SET NULL,
    hold_type          text        NOT NULL CHECK (hold_type IN ('litigation', 'fraud_investigation', 'payment_dispute',
                                                                 'safety_incident', 'regulatory_inquiry', 'other')),
    reason             text        NOT NULL CHECK (btrim(reason) <> ''),
    is_active          boolean     NOT NULL DEFAULT true,
    starts_at          timestamptz NOT NULL DEFAULT public.app_now(),
    ends_at            timestamptz,
    created_by         uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    released_by        uuid        REFERENCES public.profiles (id) ON DELETE SET NULL,
    released_at        timestamptz,
    metadata           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at         timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at         timestamptz NOT NULL DEFAULT public.app_now(),
    CHECK (ends_at IS NULL OR ends_at >= starts_at)
);
CREATE INDEX legal_holds_user_active_idx ON public.legal_holds (user_id, is_active, starts_at);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.legal_holds
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

-- Addition: who placed / released a hold is the caller (not client-supplied) unless service writes it.
CREATE FUNCTION public.fill_legal_hold_actor() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF public.is_service_role() THEN
        IF TG_OP = 'UPDATE' AND OLD.is_active AND NOT NEW.is_active THEN
            NEW.released_at := coalesce(NEW.released_at, public.app_now());
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.created_by := kruxt_internal.profile_id_or_null(auth.uid());
        NEW.released_by := NULL;
        NEW.released_at := NULL;
        NEW.created_at := public.app_now();
    ELSE
        NEW.created_by := OLD.created_by;
        NEW.created_at := OLD.created_at;
        IF OLD.is_active AND NOT NEW.is_active THEN
            NEW.released_by := kruxt_internal.profile_id_or_null(auth.uid());
            NEW.released_at := public.app_now();
        ELSIF NEW.is_active THEN
            NEW.released_by := NULL;
            NEW.released_at := NULL;
        ELSE
            NEW.released_by := OLD.released_by;
            NEW.released_at := OLD.released_at;
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER fill_legal_hold_actor BEFORE INSERT OR UPDATE ON public.legal_holds
    FOR EACH ROW EXECUTE FUNCTION public.fill_legal_hold_actor();

ALTER TABLE public.legal_holds ENABLE ROW LEVEL SECURITY;
CREATE POLICY legal_holds_select ON public.legal_holds FOR SELECT TO authenticated
    USING (public.can_manage_privacy_user(user_id) OR public.is_service_role());
CREATE POLICY legal_holds_insert ON public.legal_holds FOR INSERT TO authenticated
    WITH CHECK (public.can_staff_manage_privacy_user(user_id) OR public.is_service_role());
CREATE POLICY legal_holds_update ON public.legal_holds FOR UPDATE TO authenticated
    USING (public.can_staff_manage_privacy_user(user_id) OR public.is_service_role())
    WITH CHECK (public.can_staff_manage_privacy_user(user_id) OR public.is_service_role());
CREATE POLICY legal_holds_delete_service ON public.legal_holds FOR DELETE TO authenticated
    USING (public.is_service_role());

-- Item 36.
CREATE FUNCTION public.has_active_legal_hold(p_user_id uuid DEFAULT auth.uid()) RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
BEGIN
    IF p_user_id IS NULL OR (auth.uid() IS NULL AND NOT public.is_service_role()) THEN
        RAISE EXCEPTION 'Authentication required' USING ERRCODE = 'KX401';
    END IF;
    IF NOT public.can_manage_privacy_user(p_user_id) THEN
        RAISE EXCEPTION 'Cannot inspect legal hold status for this user' USING ERRCODE = 'KX403';
    END IF;
    RETURN EXISTS (
        SELECT 1 FROM public.legal_holds h
        WHERE h.user_id = p_user_id
          AND h.is_active
          AND h.starts_at <= v_now
          AND (h.ends_at IS NULL OR h.ends_at > v_now));
END
$$;

-- ---------------------------------------------------------------------------------------------
-- privacy_delete_jobs (05 §6.1)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.privacy_delete_jobs (
    id                    uuid                   PRIMARY KEY DEFAULT gen_random_uuid(),
    privacy_request_id    uuid                   NOT NULL UNIQUE REFERENCES public.privacy_requests (id) ON DELETE CASCADE,
    user_id               uuid                   NOT NULL REFERENCES public.profiles (id) ON DELETE CASCADE,
    status                public.sync_job_status NOT NULL DEFAULT 'queued',
    retry_count           integer                NOT NULL DEFAULT 0 CHECK (retry_count >= 0),
    next_retry_at         timestamptz,
    started_at            timestamptz,
    finished_at           timestamptz,
    error_message         text,
    anonymization_summary jsonb                  NOT NULL DEFAULT '{}'::jsonb,
    created_at            timestamptz            NOT NULL DEFAULT public.app_now(),
    updated_at            timestamptz            NOT NULL DEFAULT public.app_now()
);
CREATE INDEX privacy_delete_jobs_claim_idx ON public.privacy_delete_jobs (status, next_retry_at, created_at);
CREATE INDEX privacy_delete_jobs_user_idx ON public.privacy_delete_jobs (user_id);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.privacy_delete_jobs
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.privacy_delete_jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY privacy_delete_jobs_select ON public.privacy_delete_jobs FOR SELECT TO authenticated
    USING (user_id = auth.uid() OR public.is_service_role());
CREATE POLICY privacy_delete_jobs_insert_service ON public.privacy_delete_jobs FOR INSERT TO authenticated
    WITH CHECK (public.is_service_role());
CREATE POLICY privacy_delete_jobs_update_service ON public.privacy_delete_jobs FOR UPDATE TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());
CREATE POLICY privacy_delete_jobs_delete_service ON public.privacy_delete_jobs FOR DELETE TO authenticated
    USING (public.is_service_role());

-- Item 35: as queue_privacy_export_jobs, for open delete requests.
CREATE FUNCTION public.queue_privacy_delete_jobs(p_limit integer DEFAULT 25) RETURNS integer
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
        WHERE r.request_type = 'delete'
          AND public.is_privacy_request_open_status(r.status)
          AND r.resolved_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM public.privacy_delete_jobs j WHERE j.privacy_request_id = r.id)
        ORDER BY r.submitted_at, r.id
        LIMIT v_limit
    ), inserted AS (
        INSERT INTO public.privacy_delete_jobs (privacy_request_id, user_id, status, next_retry_at, created_at, updated_at)
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

CREATE FUNCTION public.claim_privacy_delete_jobs(p_limit integer DEFAULT 5) RETURNS SETOF public.privacy_delete_jobs
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
        FROM public.privacy_delete_jobs j
        JOIN public.privacy_requests r ON r.id = j.privacy_request_id
        WHERE j.status IN ('queued', 'retry_scheduled')
          AND coalesce(j.next_retry_at, j.created_at) <= v_now
          AND public.is_privacy_request_open_status(r.status)
          AND r.request_type = 'delete'
        ORDER BY coalesce(j.next_retry_at, j.created_at), j.created_at, j.id
        LIMIT v_limit
        FOR UPDATE OF j SKIP LOCKED
    ), claimed AS (
        UPDATE public.privacy_delete_jobs j
        SET status = 'running', started_at = v_now, finished_at = NULL, error_message = NULL
        FROM candidates c
        WHERE j.id = c.id
        RETURNING j.*
    )
    SELECT c.* FROM claimed c ORDER BY coalesce(c.next_retry_at, c.created_at), c.created_at, c.id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Anonymization (item 37)
-- ---------------------------------------------------------------------------------------------
-- DELETE ... WHERE <column> = user on a table of a later area, when it exists; rows deleted.
CREATE FUNCTION kruxt_internal.delete_rows_if_table(p_table text, p_column text, p_user_id uuid) RETURNS bigint
LANGUAGE plpgsql
AS $$
DECLARE
    v_count bigint;
BEGIN
    IF to_regclass(format('public.%I', p_table)) IS NULL THEN
        RETURN 0;
    END IF;
    EXECUTE format('DELETE FROM public.%I t WHERE t.%I = $1', p_table, p_column) USING p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- The anonymized username: 'deleted_' + the user id without dashes, cut to the 24 characters the username
-- column allows ('deleted_' + 16 hex digits). Ids that share their first 16 hex digits (the fixed seed ids
-- do) fall back to 'deleted_' + the last 16 hex digits, then to md5-derived names; a username that already
-- is one of this user's candidates is kept, so a second run changes nothing.
-- p_skip: candidates found taken by a concurrent writer (unique violation) in this run.
CREATE FUNCTION kruxt_internal.anonymized_username(p_user_id uuid, p_current text, p_skip text[] DEFAULT '{}') RETURNS text
LANGUAGE plpgsql STABLE
AS $$
DECLARE
    v_hex text := replace(p_user_id::text, '-', '');
    v_candidates text[] := ARRAY[left('deleted_' || v_hex, 24), 'deleted_' || right(v_hex, 16)];
    v_candidate text;
BEGIN
    FOR i IN 1..8 LOOP
        v_candidates := v_candidates || ('deleted_' || left(md5(p_user_id::text || ':' || i), 16));
    END LOOP;
    IF p_current = ANY (v_candidates) THEN
        RETURN p_current;
    END IF;
    FOREACH v_candidate IN ARRAY v_candidates LOOP
        IF v_candidate <> ALL (coalesce(p_skip, '{}'))
           AND NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.username = v_candidate AND p.id <> p_user_id) THEN
            RETURN v_candidate;
        END IF;
    END LOOP;
    RAISE EXCEPTION 'No free anonymized username for user %', p_user_id USING ERRCODE = 'KX409';
END
$$;

CREATE FUNCTION public.apply_user_anonymization(p_user_id uuid, p_privacy_request_id uuid DEFAULT NULL) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_profile public.profiles;
    v_username text;
    v_scrub text;
    v_taken text[] := '{}';
    v_count bigint;
    v_summary jsonb := '{}'::jsonb;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    IF p_user_id IS NULL THEN
        RAISE EXCEPTION 'User id is required' USING ERRCODE = 'KX422';
    END IF;
    -- One anonymization at a time in the database: two users who follow, react to and comment on each other
    -- would otherwise lock each other's rows in opposite orders (own interactions first, then the cascade of
    -- own workouts) and deadlock. Taken before any row lock and any audit row; a transaction that already
    -- wrote audit rows must not call this function (README, "Audit chain").
    PERFORM pg_advisory_xact_lock(884211, 37);
    -- The profile row is locked FOR NO KEY UPDATE (the lock its UPDATE below takes anyway): concurrent runs for
    -- the same user queue here, while foreign-key checks of other writers (KEY SHARE: e.g. an export completion
    -- updating this user's request twice) are not blocked, which would deadlock. A legal hold committed after
    -- the check below is caught by complete_privacy_delete_job's own check when both run in one transaction.
    SELECT * INTO v_profile FROM public.profiles p WHERE p.id = p_user_id FOR NO KEY UPDATE;
    IF public.has_active_legal_hold(p_user_id) THEN
        RAISE EXCEPTION 'Cannot anonymize user with an active legal hold' USING ERRCODE = 'KX409';
    END IF;
    IF v_profile.id IS NULL THEN
        RAISE EXCEPTION 'Profile not found for user %', p_user_id USING ERRCODE = 'KX404';
    END IF;
    -- Lock order of the privacy pipeline: job rows, then request rows, then the audit chain (as
    -- complete_/fail_privacy_*_job take them), so a concurrent export completion for this user cannot
    -- deadlock with the link revocation below.
    PERFORM 1 FROM public.privacy_export_jobs j WHERE j.user_id = p_user_id ORDER BY j.id FOR UPDATE;
    PERFORM 1 FROM public.privacy_delete_jobs j WHERE j.user_id = p_user_id ORDER BY j.id FOR UPDATE;
    PERFORM 1 FROM public.privacy_requests r WHERE r.user_id = p_user_id ORDER BY r.id FOR UPDATE;

    -- ---- deletions (02, 03, 04, 07, 12)
    DELETE FROM public.social_connections c WHERE c.follower_user_id = p_user_id OR c.followed_user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('social_connections_deleted', v_count);

    DELETE FROM public.user_blocks b WHERE b.blocker_user_id = p_user_id OR b.blocked_user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('user_blocks_deleted', v_count);

    DELETE FROM public.user_reports r WHERE r.reporter_user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('user_reports_deleted', v_count);

    -- own reactions and comments (replies of others to an own comment go with it: parent FK cascade)
    DELETE FROM public.social_interactions i WHERE i.actor_user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('social_interactions_deleted', v_count);

    DELETE FROM public.feed_events f WHERE f.user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('feed_events_deleted', v_count);

    -- cascades: workout_exercises, workout_sets, feed_events, others' interactions on them;
    -- 04's external_activity_imports.mapped_workout_id is set null
    DELETE FROM public.workouts w WHERE w.user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('workouts_deleted', v_count);

    v_summary := v_summary || jsonb_build_object(
        'challenge_participants_deleted', kruxt_internal.delete_rows_if_table('challenge_participants', 'user_id', p_user_id),
        'leaderboard_entries_deleted', kruxt_internal.delete_rows_if_table('leaderboard_entries', 'user_id', p_user_id));

    DELETE FROM public.class_waitlist w WHERE w.user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('class_waitlist_deleted', v_count);

    DELETE FROM public.class_bookings b WHERE b.user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('class_bookings_deleted', v_count);

    -- access_logs.checkin_id is set null by the FK; the logs themselves are kept (user nulled below)
    DELETE FROM public.gym_checkins g WHERE g.user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('gym_checkins_deleted', v_count);

    DELETE FROM public.push_notification_tokens t WHERE t.user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('push_tokens_deleted', v_count);

    -- cascades to 04's device_sync_jobs, device_sync_cursors, external_activity_imports
    DELETE FROM public.device_connections d WHERE d.user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('device_connections_deleted', v_count);
    -- leftovers by user id, should 04's rows not all hang off a connection (not counted: 0 when they do)
    PERFORM kruxt_internal.delete_rows_if_table('external_activity_imports', 'user_id', p_user_id);
    PERFORM kruxt_internal.delete_rows_if_table('device_sync_cursors', 'user_id', p_user_id);
    PERFORM kruxt_internal.delete_rows_if_table('device_sync_jobs', 'user_id', p_user_id);

    v_summary := v_summary || jsonb_build_object(
        'user_trusted_devices_deleted', kruxt_internal.delete_rows_if_table('user_trusted_devices', 'user_id', p_user_id));

    -- ---- rows kept, scrubbed in place
    UPDATE public.access_logs a SET user_id = NULL WHERE a.user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('access_logs_anonymized', v_count);

    UPDATE public.payment_transactions t SET user_id = NULL WHERE t.user_id = p_user_id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('payment_transactions_anonymized', v_count);

    UPDATE public.notification_preferences n
    SET push_enabled = false, email_enabled = false, in_app_enabled = false, marketing_enabled = false,
        workout_reactions_enabled = false, comments_enabled = false, challenge_updates_enabled = false,
        class_reminders_enabled = false, quiet_hours_start = NULL, quiet_hours_end = NULL, timezone = 'UTC'
    WHERE n.user_id = p_user_id
      AND (n.push_enabled, n.email_enabled, n.in_app_enabled, n.marketing_enabled, n.workout_reactions_enabled,
           n.comments_enabled, n.challenge_updates_enabled, n.class_reminders_enabled, n.quiet_hours_start,
           n.quiet_hours_end, n.timezone)
          IS DISTINCT FROM (false, false, false, false, false, false, false, false, NULL::time, NULL::time, 'UTC'::text);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('notification_preferences_anonymized', v_count);

    -- evidence scrub exception (03 §1.6, 12 §5)
    v_scrub := current_setting('kruxt.evidence_scrub', true);
    PERFORM set_config('kruxt.evidence_scrub', 'on', true);
    UPDATE public.waiver_acceptances a SET ip_address = NULL, user_agent = NULL, signature_data = '{}'::jsonb
    WHERE a.user_id = p_user_id AND (a.ip_address IS NOT NULL OR a.user_agent IS NOT NULL OR a.signature_data <> '{}'::jsonb);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('waiver_acceptances_anonymized', v_count);
    UPDATE public.contract_acceptances a SET ip_address = NULL, user_agent = NULL, signature_data = '{}'::jsonb
    WHERE a.user_id = p_user_id AND (a.ip_address IS NOT NULL OR a.user_agent IS NOT NULL OR a.signature_data <> '{}'::jsonb);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('contract_acceptances_anonymized', v_count);
    v_count := 0;
    IF to_regclass('public.user_auth_events') IS NOT NULL THEN
        EXECUTE 'UPDATE public.user_auth_events e SET ip_address = NULL, user_agent = NULL, device_id = NULL
                 WHERE e.user_id = $1 AND (e.ip_address IS NOT NULL OR e.user_agent IS NOT NULL OR e.device_id IS NOT NULL)'
            USING p_user_id;
        GET DIAGNOSTICS v_count = ROW_COUNT;
    END IF;
    v_summary := v_summary || jsonb_build_object('user_auth_events_anonymized', v_count);
    PERFORM set_config('kruxt.evidence_scrub', coalesce(v_scrub, ''), true);

    v_count := 0;
    IF to_regclass('public.user_data_sharing_preferences') IS NOT NULL THEN
        EXECUTE 'UPDATE public.user_data_sharing_preferences d
                 SET allow_aggregated_analytics = false, allow_third_party_aggregated_sharing = false,
                     allow_pseudonymous_research = false, revoked_at = $2
                 WHERE d.user_id = $1
                   AND (d.allow_aggregated_analytics OR d.allow_third_party_aggregated_sharing OR d.allow_pseudonymous_research
                        OR d.revoked_at IS NULL)'
            USING p_user_id, v_now;
        GET DIAGNOSTICS v_count = ROW_COUNT;
    END IF;
    v_summary := v_summary || jsonb_build_object('data_sharing_preferences_revoked', v_count);

    UPDATE public.privacy_requests r
    SET reason = NULL,
        notes = CASE WHEN r.id = p_privacy_request_id THEN r.notes END,
        response_location = NULL, response_expires_at = NULL, response_content_type = NULL, response_bytes = NULL
    WHERE r.user_id = p_user_id
      AND (r.reason IS NOT NULL OR (r.notes IS NOT NULL AND r.id IS DISTINCT FROM p_privacy_request_id)
           OR r.response_location IS NOT NULL OR r.response_expires_at IS NOT NULL
           OR r.response_content_type IS NOT NULL OR r.response_bytes IS NOT NULL);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('privacy_requests_redacted', v_count);

    UPDATE public.privacy_export_jobs j
    SET signed_url = NULL, signed_url_expires_at = v_now
    WHERE j.user_id = p_user_id AND (j.signed_url IS NOT NULL OR j.signed_url_expires_at > v_now);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('privacy_export_links_revoked', v_count);

    -- ---- the profile (progression reset; the guard lets the owner-run definer through)
    LOOP
        v_username := kruxt_internal.anonymized_username(p_user_id, v_profile.username, v_taken);
        BEGIN
            UPDATE public.profiles p
            SET username = v_username, display_name = 'Deleted User', avatar_url = NULL, bio = NULL, home_gym_id = NULL,
                locale = NULL, is_public = false, xp_total = 0, level = 1, rank_tier = 'initiate', chain_days = 0,
                last_workout_at = NULL, preferred_units = 'metric'
            WHERE p.id = p_user_id
              AND (p.username, p.display_name, p.avatar_url, p.bio, p.home_gym_id, p.locale, p.is_public, p.xp_total, p.level,
                   p.rank_tier, p.chain_days, p.last_workout_at, p.preferred_units)
                  IS DISTINCT FROM (v_username, 'Deleted User'::text, NULL::text, NULL::text, NULL::uuid, NULL::text, false, 0, 1,
                                    'initiate'::public.rank_tier, 0, NULL::timestamptz, 'metric'::text);
            GET DIAGNOSTICS v_count = ROW_COUNT;
            EXIT;
        EXCEPTION WHEN unique_violation THEN
            -- the name was taken meanwhile by a user outside this lock (e.g. a sign-up): next candidate
            v_taken := v_taken || v_username;
        END;
    END LOOP;
    v_summary := v_summary || jsonb_build_object('profiles_updated', v_count);

    -- Gap closure: the identity row keeps no e-mail, password hash or sign-up metadata (the account can no
    -- longer sign in; the address may sign up again).
    UPDATE auth.users u
    SET email = format('%s@deleted.kruxt.invalid', replace(p_user_id::text, '-', '')),
        encrypted_password = NULL, raw_user_meta_data = '{}'::jsonb, last_sign_in_at = NULL
    WHERE u.id = p_user_id
      AND (u.email, u.encrypted_password, u.raw_user_meta_data, u.last_sign_in_at)
          IS DISTINCT FROM (format('%s@deleted.kruxt.invalid', replace(p_user_id::text, '-', '')), NULL::text, '{}'::jsonb,
                            NULL::timestamptz);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    v_summary := v_summary || jsonb_build_object('auth_users_anonymized', v_count);

    v_summary := v_summary || jsonb_build_object(
        'user_id', p_user_id,
        'privacy_request_id', p_privacy_request_id,
        'anonymized_at', v_now,
        'anonymized_username', v_username);
    PERFORM kruxt_internal.emit_domain_event('privacy.user_anonymized', 'profile', p_user_id, v_summary,
                                             'profiles', p_user_id, NULL, v_summary);
    RETURN v_summary;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Complete and fail (items 36, 38, 39)
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.complete_privacy_delete_job(p_job_id uuid, p_anonymization_summary jsonb DEFAULT '{}'::jsonb)
RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_now timestamptz := public.app_now();
    v_summary jsonb := coalesce(p_anonymization_summary, '{}'::jsonb);
    v_job public.privacy_delete_jobs;
    v_request public.privacy_requests;
    v_payload jsonb;
BEGIN
    PERFORM kruxt_internal.require_service_role();
    IF jsonb_typeof(v_summary) <> 'object' THEN
        RAISE EXCEPTION 'Anonymization summary must be a JSON object' USING ERRCODE = 'KX422';
    END IF;
    SELECT * INTO v_job FROM public.privacy_delete_jobs j WHERE j.id = p_job_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Privacy delete job not found' USING ERRCODE = 'KX404';
    END IF;
    IF v_job.status <> 'running' THEN
        RAISE EXCEPTION 'Privacy delete job must be running before completion' USING ERRCODE = 'KX409';
    END IF;
    IF public.has_active_legal_hold(v_job.user_id) THEN
        RAISE EXCEPTION 'Cannot complete delete job while legal hold is active' USING ERRCODE = 'KX409';
    END IF;
    SELECT * INTO v_request FROM public.privacy_requests r WHERE r.id = v_job.privacy_request_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Privacy request not found for delete job' USING ERRCODE = 'KX404';
    END IF;
    IF v_request.status = 'rejected' THEN
        RAISE EXCEPTION 'Cannot complete delete for rejected privacy request' USING ERRCODE = 'KX409';
    END IF;

    PERFORM kruxt_internal.walk_privacy_request(v_request.id, 'fulfilled', 'Account anonymized by privacy_request_processor');

    UPDATE public.privacy_delete_jobs j
    SET status = 'succeeded', anonymization_summary = v_summary, next_retry_at = NULL, finished_at = v_now, error_message = NULL
    WHERE j.id = v_job.id;
    UPDATE public.privacy_requests r
    SET response_location = NULL, response_expires_at = NULL, response_bytes = NULL, response_content_type = 'application/json'
    WHERE r.id = v_request.id;

    v_payload := jsonb_build_object('request_id', v_request.id, 'job_id', v_job.id, 'user_id', v_job.user_id,
                                    'anonymization_summary', v_summary);
    PERFORM kruxt_internal.emit_domain_event('privacy.delete_completed', 'privacy_request', v_request.id, v_payload,
                                             'privacy_requests', v_request.id, NULL, v_payload);
    RETURN v_request.id;
END
$$;

CREATE FUNCTION public.fail_privacy_delete_job(
    p_job_id uuid, p_error text, p_retry_delay_seconds integer DEFAULT 900, p_max_retries integer DEFAULT 5,
    p_force_final boolean DEFAULT false) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM kruxt_internal.require_service_role();
    RETURN kruxt_internal.fail_privacy_job('delete', p_job_id, p_error, p_retry_delay_seconds, p_max_retries, p_force_final);
END
$$;

RESET ROLE;
