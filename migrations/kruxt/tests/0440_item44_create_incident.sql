-- Item 44: create_security_incident enforces gym-staff or service access and writes action, outbox and audit
-- records (06 §3.2); deadlines (compute_incident_notice_deadlines), errors in order, RLS of the incident tables.

BEGIN;

SELECT set_config('kruxt.now', '2026-03-09T09:00:00+01:00', true);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);   -- luca, BZone coach

-- ---- positive: a coach creates one for his gym
SELECT set_config('test.inc', public.create_security_incident(
    '10000000-0000-4000-8000-000000000001', '  Lost kiosk tablet  ', ' Tablet left in the changing room ', ' CRITICAL ', 'staff_report',
    false, true, true, '2026-03-09T07:30:00Z', 48, 24, -5, 2, '{"tablet":"kiosk-2"}')::text, true);
SELECT pg_temp.eq((SELECT title || '|' || description || '|' || severity || '|' || status || '|' || source || '|' || drill_mode || '|'
                          || requires_ftc_notice || '|' || requires_gdpr_notice || '|' || affected_user_count || '|' || affected_gym_count || '|'
                          || created_by || '|' || updated_by || '|' || metadata::text
                   FROM public.security_incidents WHERE id = current_setting('test.inc')::uuid),
                  'Lost kiosk tablet|Tablet left in the changing room|critical|detected|staff_report|false|true|true|0|2|'
                  '20000000-0000-4000-8000-000000000003|20000000-0000-4000-8000-000000000003|{"tablet": "kiosk-2"}',
                  'trimmed, severity normalized, status detected, counts floored at 0, created_by = updated_by = caller');
SELECT pg_temp.eq((SELECT ftc_notice_due_at::text || ' ' || gdpr_notice_due_at::text FROM public.security_incidents WHERE id = current_setting('test.inc')::uuid),
                  ('2026-03-11T07:30:00Z'::timestamptz)::text || ' ' || ('2026-03-10T07:30:00Z'::timestamptz)::text,
                  'FTC due detected + 48 h, GDPR due detected + 24 h');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.security_incidents WHERE id = current_setting('test.inc')::uuid$q$), 1::bigint,
                  'staff of the gym read it');
SELECT pg_temp.eq((SELECT action_type || '|' || actor_user_id || '|' || actor_role || '|' || (metadata - 'detected_at' - 'ftc_notice_due_at' - 'gdpr_notice_due_at')::text
                   FROM public.incident_actions WHERE incident_id = current_setting('test.inc')::uuid),
                  'created|20000000-0000-4000-8000-000000000003|authenticated|{"source": "staff_report", "severity": "critical", "drill_mode": false, '
                  '"requires_ftc_notice": true, "requires_gdpr_notice": true}', 'action created with its metadata, readable by staff');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(k, ',' ORDER BY k) FROM public.event_outbox o, jsonb_object_keys(o.payload) k
                   WHERE o.event_type = 'incident.created' AND o.aggregate_id = current_setting('test.inc')::uuid),
                  'action_id,detected_at,drill_mode,ftc_notice_due_at,gdpr_notice_due_at,gym_id,incident_id,severity,status',
                  'outbox incident.created with the 06 §3.2 payload keys');
SELECT pg_temp.eq((SELECT o.aggregate_type || '|' || (o.payload ->> 'action_id' = (SELECT id::text FROM public.incident_actions WHERE incident_id = o.aggregate_id))
                   FROM public.event_outbox o WHERE o.event_type = 'incident.created' AND o.aggregate_id = current_setting('test.inc')::uuid),
                  'security_incident|true', 'aggregate security_incident, payload names the action');
SELECT pg_temp.eq((SELECT count(*) || '|' || min(actor_user_id::text) || '|' || min(target_table)
                   FROM public.audit_logs WHERE action = 'incident.created' AND target_id = current_setting('test.inc')::uuid),
                  '1|20000000-0000-4000-8000-000000000003|security_incidents', 'one audit row incident.created by luca');

-- ---- positive: the service, also without a gym; defaults
SELECT set_config('test.svc', public.create_security_incident(NULL, 'Platform-wide token leak')::text, true);
SELECT pg_temp.eq((SELECT severity || '|' || source || '|' || drill_mode || '|' || requires_ftc_notice || '|' || requires_gdpr_notice || '|'
                          || coalesce(created_by::text, '-') || '|' || detected_at::text || '|' || (gdpr_notice_due_at - detected_at)::text || '|'
                          || coalesce(ftc_notice_due_at::text, '-')
                   FROM public.security_incidents WHERE id = current_setting('test.svc')::uuid),
                  'high|internal_monitor|true|false|true|-|' || ('2026-03-09T08:00:00Z'::timestamptz)::text || '|3 days|-',
                  'defaults: high, internal_monitor, drill, GDPR only (72 h), detected_at = app_now(), no actor profile');
SELECT pg_temp.eq((SELECT actor_role FROM public.incident_actions WHERE incident_id = current_setting('test.svc')::uuid), 'service_role',
                  'actor role from the claims');

-- ---- deadlines: hours clamped to 1..8760, only required notices get a due date
SELECT pg_temp.eq(public.compute_incident_notice_deadlines('2026-03-09T08:00:00Z', true, true, 0, 100000) - 'detected_at' - 'ftc_notice_due_at' - 'gdpr_notice_due_at',
                  '{"ftc_deadline_hours": 1, "gdpr_deadline_hours": 8760}'::jsonb, 'hours clamped');
SELECT pg_temp.eq((public.compute_incident_notice_deadlines('2026-03-09T08:00:00Z', true, false) ->> 'ftc_notice_due_at')::timestamptz,
                  '2026-05-08T08:00:00Z'::timestamptz, 'FTC default 1440 h = 60 days');
SELECT pg_temp.eq(public.compute_incident_notice_deadlines('2026-03-09T08:00:00Z', false, false) -> 'gdpr_notice_due_at', 'null'::jsonb,
                  'no notice required -> no due date');
SELECT pg_temp.fails($q$SELECT public.compute_incident_notice_deadlines(NULL, true, true)$q$, 'KX422', 'Detected timestamp is required', 'null detected');
SELECT pg_temp.fails($q$SELECT public.create_security_incident(NULL, 'x', p_detected_at => NULL)$q$, 'KX422', 'Detected timestamp is required',
                     'an explicit null detected_at');
SELECT pg_temp.fails($q$INSERT INTO public.security_incidents (title, requires_gdpr_notice, gdpr_notice_due_at) VALUES ('x', true, NULL)$q$,
                     '23514', NULL, 'CHECK: a required GDPR notice needs its due date');
SELECT pg_temp.fails($q$INSERT INTO public.security_incidents (title, requires_gdpr_notice, closed_at) VALUES ('x', false, now())$q$,
                     '23514', NULL, 'CHECK: closed_at requires resolved_at');

-- ---- errors, in the 06 §3.2 order
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);   -- sara, member
SELECT pg_temp.fails($q$SELECT public.create_security_incident('10000000-0000-4000-8000-000000000001', '  ', p_metadata => '[]', p_severity => 'x')$q$,
                     'KX422', 'Incident title is required', '1. blank title first');
SELECT pg_temp.fails($q$SELECT public.create_security_incident('10000000-0000-4000-8000-000000000001', 'x', p_metadata => '[]', p_severity => 'x')$q$,
                     'KX422', 'Incident metadata must be a JSON object', '2. then non-object metadata');
SELECT pg_temp.fails($q$SELECT public.create_security_incident('10000000-0000-4000-8000-000000000001', 'x', p_severity => 'urgent')$q$,
                     'KX422', 'Invalid incident severity', '3. then the severity');
SELECT pg_temp.fails($q$SELECT public.create_security_incident('10000000-0000-4000-8000-000000000001', 'x')$q$,
                     'KX403', 'Gym staff access is required', '5. a member is not staff');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.create_security_incident('10000000-0000-4000-8000-000000000001', 'x')$q$,
                     'KX401', 'Authentication required', '4. no user');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.create_security_incident(NULL, 'x')$q$, 'KX403', 'Gym staff access is required', 'staff with a null gym');
SELECT pg_temp.fails($q$SELECT public.create_security_incident('10000000-0000-4000-8000-000000000002', 'x')$q$,
                     'KX403', 'Gym staff access is required', 'staff of another gym');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000024","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.create_security_incident('10000000-0000-4000-8000-000000000001', 'x')$q$,
                     'KX403', 'Gym staff access is required', 'a platform operator is not gym staff');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000006","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.create_security_incident('10000000-0000-4000-8000-000000000001', 'x')$q$,
                     'KX403', 'Gym staff access is required', 'a trial member is not staff');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.create_security_incident('10000000-0000-4000-8000-000000000001', 'x')$q$,
                     'KX401', 'Authentication required', 'anonymous');

-- ---- RLS: direct writes are the service's; reads are the gym's staff
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.security_incidents (gym_id, title) VALUES ('10000000-0000-4000-8000-000000000001', 'direct')$q$,
                     '42501', 'new row violates row-level security policy for table "security_incidents"', 'staff cannot insert directly');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.security_incidents SET status = 'closed'$q$), 0::bigint, 'nor update directly');
SELECT pg_temp.fails($q$INSERT INTO public.incident_actions (incident_id, action_type) VALUES (current_setting('test.inc')::uuid, 'note_added')$q$,
                     '42501', NULL, 'nor write actions');
SELECT pg_temp.fails($q$UPDATE public.incident_actions SET action_note = 'x'$q$, 'KX423', 'Table incident_actions is immutable; append-only writes only',
                     'actions are immutable');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.incident_notification_jobs$q$), 0::bigint, 'jobs are service-only, even to staff');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.security_incidents WHERE gym_id IS NULL$q$), 0::bigint, 'gym-less incidents: service only');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);   -- marta, WZ coach
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.security_incidents$q$) + pg_temp.row_count($q$SELECT * FROM public.incident_actions$q$),
                  0::bigint, 'staff of the other gym read nothing');
SELECT pg_temp.eq(public.can_view_security_incident(current_setting('test.inc')::uuid), false, 'can_view_security_incident: other gym');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.security_incidents$q$), 0::bigint, 'members read nothing');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$DELETE FROM public.incident_actions$q$, 'KX423', NULL, 'not even the service deletes actions');
SELECT pg_temp.fails($q$DELETE FROM public.security_incidents WHERE id = current_setting('test.inc')::uuid$q$, 'KX423', NULL,
                     'an incident with actions cannot be deleted (the cascade would delete evidence)');

ROLLBACK;
