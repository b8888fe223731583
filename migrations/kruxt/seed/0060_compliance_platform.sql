-- KRUXT demo seed, area 06 and the operator part of area 12 (99-seed-data.md §3, §10):
--   * platform operator accounts for users 21-27 (the permission catalogue and role matrix ship with migration
--     0060, the legal copy catalogue with 0064);
--   * the BZone incident "Door controller credential exposure (drill)": severity high, drill, GDPR notice
--     required, status triaged, one completed drill notification job (email) and two queued drill jobs
--     (email, webhook).
-- The incident row has a fixed id and its 'created' event (action, outbox, audit) is written with the same
-- helper create_security_incident uses; everything after it goes through the real RPCs as the acting user
-- (giulia, BZone officer) or the service, with the sandbox clock (kruxt.now, transaction-local) set to the
-- time of each step, then put back to T:
--   T-1 d 10:00 detected (GDPR due T+2 d 10:00)   T-20 h triaged   T-19 h 55 escalation 1 (email)
--   T-19 h 50 incident_notifier run (job completed in drill mode)   T-1 h escalation 2 (email + webhook, queued)
-- Fixed ids (README): 7...0000000060NN incidents. Actions, jobs, outbox and audit rows have random ids.

SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- ---------------------------------------------------------------------------------------------
-- Platform operators (99 §3): role per user, rita_inactive is an inactive twin of rita_readonly
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.platform_operator_accounts (user_id, role, is_active, mfa_required, last_login_at, created_by, created_at, updated_at)
SELECT format('20000000-0000-4000-8000-%s', lpad(o.nn::text, 12, '0'))::uuid,
       o.role::public.platform_operator_role, o.active, true,
       CASE WHEN o.active THEN kruxt_internal.seed_at(o.login_days) END,
       CASE WHEN o.nn = 21 THEN NULL ELSE '20000000-0000-4000-8000-000000000021'::uuid END,
       kruxt_internal.seed_at(-45), kruxt_internal.seed_at(-45)
FROM (VALUES
    (21, 'founder',          true,  -0.2),
    (22, 'ops_admin',        true,  -0.1),
    (23, 'support_admin',    true,  -1.0),
    (24, 'compliance_admin', true,  -0.5),
    (25, 'analyst',          true,  -3.0),
    (26, 'read_only',        true,  -7.0),
    (27, 'read_only',        false, NULL)
) AS o(nn, role, active, login_days);

-- ---------------------------------------------------------------------------------------------
-- The BZone drill incident (99 §10)
-- ---------------------------------------------------------------------------------------------
SELECT set_config('kruxt.now', kruxt_internal.seed_at(-1, '10:00')::text, true);
INSERT INTO public.security_incidents (id, gym_id, title, description, severity, status, source, drill_mode,
    requires_ftc_notice, requires_gdpr_notice, detected_at, ftc_notice_due_at, gdpr_notice_due_at,
    affected_user_count, affected_gym_count, created_by, updated_by, metadata)
SELECT '70000000-0000-4000-8000-000000006001', '10000000-0000-4000-8000-000000000001',
       'Door controller credential exposure (drill)',
       'Drill: the admin password of the front-door access controller was found in a shared note. Rotate it, review the access log, notify.',
       'high', 'detected', 'internal_monitor', true, false, true, public.app_now(),
       (d ->> 'ftc_notice_due_at')::timestamptz, (d ->> 'gdpr_notice_due_at')::timestamptz,
       12, 1, '20000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000002',
       '{"drill_plan":"Q1 2026 tabletop","controller":"front-door"}'::jsonb
FROM public.compute_incident_notice_deadlines(public.app_now(), false, true) AS d;
-- its 'created' event, as create_security_incident writes it (actor: giulia)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', false);
SELECT kruxt_internal.record_incident_event(i.id, 'created', 'incident.created', NULL,
    jsonb_build_object('severity', i.severity, 'source', i.source, 'detected_at', i.detected_at, 'drill_mode', i.drill_mode,
                       'requires_ftc_notice', i.requires_ftc_notice, 'requires_gdpr_notice', i.requires_gdpr_notice,
                       'ftc_notice_due_at', i.ftc_notice_due_at, 'gdpr_notice_due_at', i.gdpr_notice_due_at),
    jsonb_build_object('gym_id', i.gym_id, 'severity', i.severity, 'status', i.status, 'drill_mode', i.drill_mode,
                       'detected_at', i.detected_at, 'ftc_notice_due_at', i.ftc_notice_due_at,
                       'gdpr_notice_due_at', i.gdpr_notice_due_at),
    auth.uid(), 'authenticated')
FROM public.security_incidents i WHERE i.id = '70000000-0000-4000-8000-000000006001';

-- T-20 h: triaged (giulia)
SELECT set_config('kruxt.now', (kruxt_internal.seed_at(0) - interval '20 hours')::text, true);
SELECT public.transition_security_incident_status('70000000-0000-4000-8000-000000006001', 'triaged',
    'Drill confirmed; scope limited to the front-door controller', '{"checklist":"incident-drill-v1"}');

-- T-19 h 55: first escalation, email only
SELECT set_config('kruxt.now', (kruxt_internal.seed_at(0) - interval '19 hours 55 minutes')::text, true);
SELECT public.queue_incident_escalation_notifications('70000000-0000-4000-8000-000000006001',
    'Initial drill notice to the compliance mailbox', ARRAY['email']);

-- T-19 h 50: the incident_notifier runs (service) and completes that job in drill mode
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);
SELECT set_config('kruxt.now', (kruxt_internal.seed_at(0) - interval '19 hours 50 minutes')::text, true);
SELECT public.run_incident_notifier('{"claimLimit":20}');

-- T-1 h: second escalation, email and webhook, left queued (due: the next notifier run processes them)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', false);
SELECT set_config('kruxt.now', (kruxt_internal.seed_at(0) - interval '1 hour')::text, true);
SELECT public.queue_incident_escalation_notifications('70000000-0000-4000-8000-000000006001',
    'Follow-up drill notice after the access-log review', ARRAY['webhook', 'email']);

SELECT set_config('kruxt.now', (SELECT a.anchor::text FROM kruxt_internal.seed_anchor a), true);
SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;
