-- Item 47: queue_incident_escalation_notifications creates drill/live jobs with auditable escalation actions
-- (06 §3.2): delivery mode, channel normalization (alphabetical: gap closure), destinations, payload, events,
-- errors in order, access.

BEGIN;

SELECT set_config('kruxt.now', '2026-03-09T10:00:00Z', true);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);   -- luca, coach
SELECT set_config('test.drill', public.create_security_incident('10000000-0000-4000-8000-000000000001', 'Drill for escalation',
                                                                  p_severity => 'medium')::text, true);
SELECT set_config('test.live', public.create_security_incident('10000000-0000-4000-8000-000000000001', 'Real exposure',
                                                                 p_drill_mode => false)::text, true);

-- ---- drill incident, default channels and destinations
SELECT pg_temp.eq(public.queue_incident_escalation_notifications(current_setting('test.drill')::uuid, '  Tabletop round 1  ',
                                                                  p_payload => '{"runbook":"incident-drill-v1"}'), 2, 'two jobs (email, webhook)');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(concat_ws('|', channel, destination, template_key, delivery_mode, provider, status, attempt_count,
                                               next_attempt_at = '2026-03-09T10:00:00Z', created_by), ' ; ' ORDER BY channel)
                   FROM public.incident_notification_jobs WHERE incident_id = current_setting('test.drill')::uuid),
                  'email|compliance-drill@kruxt.local|security_incident_notice_v1|drill|stub|queued|0|t|20000000-0000-4000-8000-000000000003 ; '
                  'webhook|https://example.invalid/kruxt/incident|security_incident_notice_v1|drill|stub|queued|0|t|20000000-0000-4000-8000-000000000003',
                  'queued now, provider stub, default destinations, drill for a drill incident');
SELECT pg_temp.eq((SELECT payload - 'incident_id' - 'queued_at' FROM public.incident_notification_jobs
                   WHERE incident_id = current_setting('test.drill')::uuid AND channel = 'email'),
                  '{"reason": "Tabletop round 1", "runbook": "incident-drill-v1", "incident_title": "Drill for escalation", "incident_status": "detected", "incident_severity": "medium"}'::jsonb,
                  'payload = given payload + incident facts and the reason');
SELECT pg_temp.eq((SELECT action_note || '|' || (metadata - 'queued_at')::text FROM public.incident_actions
                   WHERE incident_id = current_setting('test.drill')::uuid AND action_type = 'escalation_triggered'),
                  'Tabletop round 1|{"channels": ["email", "webhook"], "job_count": 2, "template_key": "security_incident_notice_v1", "delivery_mode": "drill"}',
                  'action escalation_triggered with job_count, delivery_mode, channels, template_key');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'incident.escalation_triggered' AND aggregate_id = current_setting('test.drill')::uuid)
                  + (SELECT count(*) FROM public.audit_logs WHERE action = 'incident.escalation_triggered' AND target_id = current_setting('test.drill')::uuid
                     AND actor_user_id = '20000000-0000-4000-8000-000000000003' AND reason = 'Tabletop round 1'), 2::bigint,
                  'outbox and audit incident.escalation_triggered (actor luca, reason)');

-- ---- delivery mode: live incident -> live; forced live on a drill -> live
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT public.queue_incident_escalation_notifications(current_setting('test.live')::uuid, NULL, ARRAY['email'], 'dpo@bzonepavia.example');
SELECT public.queue_incident_escalation_notifications(current_setting('test.drill')::uuid, 'forced', ARRAY['webhook'], NULL, 'https://hooks.example/x',
                                                      p_force_live => true, p_template_key => '  ');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT delivery_mode || '|' || destination FROM public.incident_notification_jobs WHERE incident_id = current_setting('test.live')::uuid),
                  'live|dpo@bzonepavia.example', 'a non-drill incident queues live jobs; the given destination');
SELECT pg_temp.eq((SELECT delivery_mode || '|' || destination || '|' || template_key FROM public.incident_notification_jobs
                   WHERE incident_id = current_setting('test.drill')::uuid AND payload ->> 'reason' = 'forced'),
                  'live|https://hooks.example/x|security_incident_notice_v1', 'p_force_live wins over drill; blank template -> default');

-- ---- channels: distinct, trimmed, lower-cased, blanks dropped, alphabetical
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(public.queue_incident_escalation_notifications(current_setting('test.live')::uuid, 'norm', ARRAY[' Webhook ', 'EMAIL', '', 'email', NULL, 'webhook']),
                  2, 'six entries -> two channels');
SELECT pg_temp.eq((SELECT metadata -> 'channels' FROM public.incident_actions WHERE incident_id = current_setting('test.live')::uuid
                   AND action_type = 'escalation_triggered' AND action_note = 'norm'), '["email", "webhook"]'::jsonb,
                  'processed in alphabetical order (gap closure)');

-- ---- errors in order
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications('70000000-0000-4000-8000-00000000ffff', p_payload => '[1]')$q$,
                     'KX422', 'Escalation payload must be a JSON object', '1. payload first');
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications('70000000-0000-4000-8000-00000000ffff', p_channels => ARRAY['sms'])$q$,
                     'KX404', 'Security incident not found', '2. then a missing incident');
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications(current_setting('test.drill')::uuid, p_channels => ARRAY['email', 'sms', 'pager'])$q$,
                     'KX422', 'Unsupported incident notification channel: pager', 'unknown channel (the first alphabetically)');
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications(current_setting('test.drill')::uuid, p_channels => ARRAY[' ', ''])$q$,
                     'KX422', 'At least one escalation channel is required', 'only blanks');
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications(current_setting('test.drill')::uuid, p_channels => '{}')$q$,
                     'KX422', 'At least one escalation channel is required', 'empty array');
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications(current_setting('test.drill')::uuid, p_channels => NULL)$q$,
                     'KX422', 'At least one escalation channel is required', 'null array');
SELECT public.transition_security_incident_status(current_setting('test.live')::uuid, 'closed');
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications(current_setting('test.live')::uuid, p_channels => ARRAY['sms'])$q$,
                     'KX409', 'Cannot queue escalation for resolved or closed incident', 'closed incident (before the channel check)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications(current_setting('test.live')::uuid)$q$,
                     'KX403', 'Gym staff access is required', '3. access before the status check');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications(current_setting('test.drill')::uuid)$q$,
                     'KX401', 'Authentication required', 'no user');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.queue_incident_escalation_notifications(current_setting('test.drill')::uuid)$q$,
                     'KX403', 'Gym staff access is required', 'staff of another gym');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.incident_notification_jobs WHERE incident_id IN (current_setting('test.drill')::uuid, current_setting('test.live')::uuid)),
                  6::bigint, 'refused calls queued nothing (2 + 1 + 1 + 2)');
SELECT pg_temp.eq(public.queue_incident_escalation_notifications('70000000-0000-4000-8000-000000006001', 'service run', ARRAY['webhook']), 1,
                  'the service escalates any gym''s incident');

ROLLBACK;
