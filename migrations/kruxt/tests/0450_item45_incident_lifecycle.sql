-- Item 45: transition_security_incident_status enforces the 06 §3.2 lifecycle and stamps stage timestamps
-- (first wins); closing an incident that was never resolved stamps resolved_at (gap closure: the reference
-- broke its own CHECK); errors in order; events; access.

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ---- the whole 7 x 7 table: from each status (a fresh incident inserted in it) to each status
CREATE TEMP TABLE allowed (from_status text, to_status text);
INSERT INTO allowed VALUES
    ('detected', 'triaged'), ('detected', 'closed'),
    ('triaged', 'investigating'), ('triaged', 'contained'), ('triaged', 'closed'),
    ('investigating', 'contained'), ('investigating', 'notified'), ('investigating', 'resolved'), ('investigating', 'closed'),
    ('contained', 'notified'), ('contained', 'resolved'), ('contained', 'closed'),
    ('notified', 'resolved'), ('notified', 'closed'),
    ('resolved', 'closed');
GRANT SELECT ON allowed TO service_role;
DO $$
DECLARE
    f text; t text; v_id uuid; v_ok boolean; v_msg text; v_bad text := ''; v_n int := 0;
    statuses text[] := ARRAY['detected', 'triaged', 'investigating', 'contained', 'notified', 'resolved', 'closed'];
BEGIN
    FOREACH f IN ARRAY statuses LOOP
        FOREACH t IN ARRAY statuses LOOP
            INSERT INTO public.security_incidents (gym_id, title, status, requires_gdpr_notice, resolved_at, closed_at)
            VALUES ('10000000-0000-4000-8000-000000000001', 'matrix ' || f || '->' || t, f, false,
                    CASE WHEN f IN ('resolved', 'closed') THEN public.app_now() END, CASE WHEN f = 'closed' THEN public.app_now() END)
            RETURNING id INTO v_id;
            BEGIN
                PERFORM public.transition_security_incident_status(v_id, t);
                v_ok := true;
            EXCEPTION WHEN OTHERS THEN
                v_ok := false;
                GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT;
                IF v_msg <> format('Invalid incident status transition: %s -> %s', f, t) THEN
                    v_bad := v_bad || format(' %s->%s raised "%s";', f, t, v_msg);
                END IF;
            END;
            v_n := v_n + 1;
            IF v_ok <> (f = t OR EXISTS (SELECT 1 FROM allowed a WHERE a.from_status = f AND a.to_status = t)) THEN
                v_bad := v_bad || format(' %s->%s %s;', f, t, CASE WHEN v_ok THEN 'allowed' ELSE 'refused' END);
            END IF;
        END LOOP;
    END LOOP;
    PERFORM pg_temp.eq(v_bad, '', '49 from/to pairs: the 15 transitions of 06 §3.2 and same-status no-ops pass, the other 27 raise');
    PERFORM pg_temp.eq(v_n, 49, 'sanity: 49 attempts');
END $$;

-- ---- a full walk as giulia (officer), with the clock moving: stamps, events
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT set_config('kruxt.now', '2026-03-09T08:00:00Z', true);
SELECT set_config('test.inc', public.create_security_incident('10000000-0000-4000-8000-000000000001', 'Lifecycle walk')::text, true);
SELECT set_config('kruxt.now', '2026-03-09T09:00:00Z', true);
SELECT pg_temp.eq(public.transition_security_incident_status(current_setting('test.inc')::uuid, ' TRIAGED ', '  first look  ', '{"ticket":"T-1"}'),
                  current_setting('test.inc')::uuid, 'returns the incident id; status trimmed and lower-cased');
SELECT set_config('kruxt.now', '2026-03-09T10:00:00Z', true);
SELECT public.transition_security_incident_status(current_setting('test.inc')::uuid, 'investigating');
SELECT set_config('kruxt.now', '2026-03-09T11:00:00Z', true);
SELECT public.transition_security_incident_status(current_setting('test.inc')::uuid, 'contained');
SELECT set_config('kruxt.now', '2026-03-09T12:00:00Z', true);
SELECT public.transition_security_incident_status(current_setting('test.inc')::uuid, 'notified');
SELECT set_config('kruxt.now', '2026-03-09T13:00:00Z', true);
SELECT public.transition_security_incident_status(current_setting('test.inc')::uuid, 'resolved');
SELECT set_config('kruxt.now', '2026-03-09T14:00:00Z', true);
SELECT pg_temp.eq(public.transition_security_incident_status(current_setting('test.inc')::uuid, 'resolved'), current_setting('test.inc')::uuid,
                  'same status: no-op, returns the id');
SELECT public.transition_security_incident_status(current_setting('test.inc')::uuid, 'closed');
SELECT pg_temp.eq((SELECT concat_ws(' ', status, to_char(first_triaged_at AT TIME ZONE 'UTC', 'HH24'), to_char(investigation_started_at AT TIME ZONE 'UTC', 'HH24'),
                                    to_char(contained_at AT TIME ZONE 'UTC', 'HH24'), to_char(notified_at AT TIME ZONE 'UTC', 'HH24'),
                                    to_char(resolved_at AT TIME ZONE 'UTC', 'HH24'), to_char(closed_at AT TIME ZONE 'UTC', 'HH24'))
                   FROM public.security_incidents WHERE id = current_setting('test.inc')::uuid),
                  'closed 09 10 11 12 13 14', 'each stage stamped once when reached; closing keeps the earlier resolved_at (first wins)');
SELECT pg_temp.eq((SELECT string_agg(action_type || ':' || coalesce(metadata ->> 'previous_status', '') || '>' || coalesce(metadata ->> 'next_status', ''),
                                     ',' ORDER BY created_at, id)
                   FROM public.incident_actions WHERE incident_id = current_setting('test.inc')::uuid),
                  'created:>,status_changed:detected>triaged,status_changed:triaged>investigating,status_changed:investigating>contained,'
                  'status_changed:contained>notified,status_changed:notified>resolved,status_changed:resolved>closed',
                  'one status_changed action per real transition (the no-op wrote none)');
SELECT pg_temp.eq((SELECT action_note || '|' || (metadata ->> 'ticket') || '|' || (metadata ->> 'transitioned_at')::timestamptz::text || '|' || actor_user_id
                   FROM public.incident_actions WHERE incident_id = current_setting('test.inc')::uuid AND metadata ->> 'next_status' = 'triaged'),
                  'first look|T-1|' || ('2026-03-09T09:00:00Z'::timestamptz)::text || '|20000000-0000-4000-8000-000000000002',
                  'note trimmed; caller metadata merged with previous/next/transitioned_at');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'incident.status_changed' AND aggregate_id = current_setting('test.inc')::uuid),
                  6::bigint, 'six incident.status_changed outbox rows');
SELECT pg_temp.eq((SELECT string_agg(payload ->> 'previous_status' || '>' || (payload ->> 'next_status'), ',' ORDER BY created_at)
                   FROM public.event_outbox WHERE event_type = 'incident.status_changed' AND aggregate_id = current_setting('test.inc')::uuid),
                  'detected>triaged,triaged>investigating,investigating>contained,contained>notified,notified>resolved,resolved>closed', 'their payloads');
SELECT pg_temp.eq((SELECT count(*) || '|' || string_agg(DISTINCT coalesce(reason, '-'), ',')
                   FROM public.audit_logs WHERE action = 'incident.status_changed' AND target_id = current_setting('test.inc')::uuid),
                  '6|-,first look', 'six audit rows, the note as reason');

-- ---- gap closure: detected -> closed stamps resolved_at (the reference violated its own CHECK)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT set_config('test.false_alarm', public.create_security_incident('10000000-0000-4000-8000-000000000001', 'False alarm')::text, true);
SELECT set_config('kruxt.now', '2026-03-09T15:00:00Z', true);
SELECT public.transition_security_incident_status(current_setting('test.false_alarm')::uuid, 'closed', 'false positive');
SELECT pg_temp.eq((SELECT status || ' ' || (resolved_at = closed_at) || ' ' || (closed_at = '2026-03-09T15:00:00Z') || ' ' || (first_triaged_at IS NULL)
                   FROM public.security_incidents WHERE id = current_setting('test.false_alarm')::uuid),
                  'closed true true true', 'closing an unresolved incident: resolved_at = closed_at = now, no other stamp');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$UPDATE public.security_incidents SET status = 'closed', closed_at = now(), resolved_at = NULL
                        WHERE id = current_setting('test.false_alarm')::uuid$q$, '23514', NULL,
                     'the CHECK the gap closure satisfies: closed_at requires resolved_at');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);

-- ---- errors in order
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status('70000000-0000-4000-8000-00000000ffff', 'open', NULL, '[]')$q$,
                     'KX422', 'Invalid incident status: open', '1. unknown status first (message quotes the input)');
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status('70000000-0000-4000-8000-00000000ffff', 'closed', NULL, '"x"')$q$,
                     'KX422', 'Incident transition metadata must be a JSON object', '2. then non-object metadata');
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status('70000000-0000-4000-8000-00000000ffff', 'closed')$q$,
                     'KX404', 'Security incident not found', '3. then a missing incident');
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status(current_setting('test.false_alarm')::uuid, 'triaged')$q$,
                     'KX409', 'Invalid incident status transition: closed -> triaged', 'closed is final');
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status('70000000-0000-4000-8000-000000006001', 'detected')$q$,
                     'KX409', 'Invalid incident status transition: triaged -> detected', 'no way back (seeded incident, triaged)');
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status('70000000-0000-4000-8000-000000006001', 'notified')$q$,
                     'KX409', 'Invalid incident status transition: triaged -> notified', 'no skipping investigation/containment');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status('70000000-0000-4000-8000-000000006001', 'investigating')$q$,
                     'KX403', 'Gym staff access is required', '4. a member is refused');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000011","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status('70000000-0000-4000-8000-000000006001', 'investigating')$q$,
                     'KX403', 'Gym staff access is required', 'the other gym''s owner is refused');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status('70000000-0000-4000-8000-000000006001', 'investigating')$q$,
                     'KX401', 'Authentication required', 'no user');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status('70000000-0000-4000-8000-000000006001', 'triaged')$q$,
                     'KX403', 'Gym staff access is required', 'the access check precedes the same-status no-op');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('test.nogym', public.create_security_incident(NULL, 'Gym-less')::text, true);
SELECT pg_temp.eq(public.transition_security_incident_status(current_setting('test.nogym')::uuid, 'triaged'), current_setting('test.nogym')::uuid,
                  'the service moves gym-less incidents');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_security_incident_status(current_setting('test.nogym')::uuid, 'investigating')$q$,
                     'KX403', 'Gym staff access is required', 'staff cannot move gym-less incidents');

-- ---- recompute_security_incident_deadlines: same checks, new due dates from detected_at
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT public.recompute_security_incident_deadlines('70000000-0000-4000-8000-000000006001', 1440, 24, 'DPA asks for 24 h');
SELECT pg_temp.eq((SELECT gdpr_notice_due_at - detected_at FROM public.security_incidents WHERE id = '70000000-0000-4000-8000-000000006001'),
                  interval '24 hours', 'GDPR due recomputed to detected + 24 h');
SELECT pg_temp.eq((SELECT action_note || '|' || (metadata ->> 'gdpr_deadline_hours') || '|' || (metadata ? 'previous_gdpr_notice_due_at')
                   FROM public.incident_actions WHERE incident_id = '70000000-0000-4000-8000-000000006001' AND action_type = 'deadline_recomputed'),
                  'DPA asks for 24 h|24|true', 'action deadline_recomputed with the previous due dates');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.recompute_security_incident_deadlines('70000000-0000-4000-8000-000000006001')$q$,
                     'KX403', 'Gym staff access is required', 'members cannot recompute');
SELECT pg_temp.fails($q$SELECT public.recompute_security_incident_deadlines('70000000-0000-4000-8000-00000000ffff')$q$,
                     'KX404', 'Security incident not found', 'unknown incident');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'incident.deadline_recomputed') +
                  (SELECT count(*) FROM public.audit_logs WHERE action = 'incident.deadline_recomputed'), 2::bigint, 'outbox and audit');

ROLLBACK;
