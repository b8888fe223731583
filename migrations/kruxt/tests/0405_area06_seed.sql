-- Area 06 / 12 seed and catalogues (99 §3, §6, §10; 12 §1.2): operator accounts, the permission catalogue and
-- role matrix, the legal copy catalogue, the BZone drill incident with its jobs and timeline, a sealed and
-- healthy audit chain after the build.

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ---- operators (99 §3)
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || a.role || CASE WHEN a.is_active THEN '' ELSE ':inactive' END, ',' ORDER BY p.username)
                   FROM public.platform_operator_accounts a JOIN public.profiles p ON p.id = a.user_id),
                  'andy_analyst:analyst,carla_compliance:compliance_admin,fra_founder:founder,olga_ops:ops_admin,rita_inactive:read_only:inactive,'
                  'rita_readonly:read_only,sam_support:support_admin', 'seven operator accounts, rita_inactive inactive');
SELECT pg_temp.ok((SELECT bool_and(mfa_required) FROM public.platform_operator_accounts), 'MFA required for every operator');
SELECT pg_temp.eq((SELECT count(*) FROM public.platform_operator_permission_overrides), 0::bigint, 'no seeded overrides');
-- ---- catalogue (12 §1.2)
SELECT pg_temp.eq((SELECT count(*) || '|' || count(*) FILTER (WHERE is_sensitive) || '|' || string_agg(DISTINCT category, ',')
                   FROM public.platform_permission_catalog), '10|8|analytics,compliance,data,platform,support', '10 keys, 8 sensitive (12 §1.2), 5 categories');
SELECT pg_temp.eq((SELECT count(*) || '|' || count(*) FILTER (WHERE NOT is_allowed) FROM public.platform_role_permissions), '31|1',
                  '31 matrix rows, one explicit false (support_admin / support.access.approve)');
SELECT pg_temp.eq((SELECT string_agg(role || '=' || n, ',' ORDER BY role) FROM (SELECT role, count(*) FILTER (WHERE is_allowed) AS n
                   FROM public.platform_role_permissions GROUP BY role) q),
                  'founder=10,ops_admin=6,support_admin=4,compliance_admin=7,analyst=2,read_only=1', 'allowed keys per role');
-- ---- legal copy (99 §6)
SELECT pg_temp.eq((SELECT count(*) FROM public.legal_copy_keys) || '|' || (SELECT count(*) FROM public.legal_copy_translations WHERE locale = 'it-IT'),
                  '28|28', '28 keys, 28 it-IT translations');

-- ---- the incident (99 §10)
SELECT pg_temp.eq((SELECT concat_ws('|', g.name, i.title, i.severity, i.status, i.drill_mode, i.requires_gdpr_notice, i.requires_ftc_notice,
                                    i.gdpr_notice_due_at - i.detected_at, i.first_triaged_at IS NOT NULL)
                   FROM public.security_incidents i JOIN public.gyms g ON g.id = i.gym_id WHERE i.id = '70000000-0000-4000-8000-000000006001'),
                  'BZone Pavia|Door controller credential exposure (drill)|high|triaged|t|t|f|3 days|t', 'BZone, high, drill, GDPR 72 h, triaged');
SELECT pg_temp.eq((SELECT string_agg(channel || ':' || status || ':' || delivery_mode, ',' ORDER BY status DESC, channel)
                   FROM public.incident_notification_jobs WHERE incident_id = '70000000-0000-4000-8000-000000006001'),
                  'email:succeeded:drill,email:queued:drill,webhook:queued:drill', 'one completed drill job, two queued (email, webhook)');
SELECT pg_temp.eq((SELECT response_payload ->> 'notifier' || '|' || (response_payload ->> 'delivered') FROM public.incident_notification_jobs
                   WHERE incident_id = '70000000-0000-4000-8000-000000006001' AND status = 'succeeded'), 'stub|false', 'the completed one went through the stub');
SELECT pg_temp.eq((SELECT string_agg(action_type, ',' ORDER BY created_at, id) FROM public.incident_actions WHERE incident_id = '70000000-0000-4000-8000-000000006001'),
                  'created,status_changed,escalation_triggered,notification_sent,escalation_triggered', 'its timeline');
SELECT pg_temp.ok((SELECT bool_and(created_at < (SELECT anchor FROM kruxt_internal.seed_anchor)) FROM public.incident_actions
                   WHERE incident_id = '70000000-0000-4000-8000-000000006001'), 'all in the past of T');
SELECT pg_temp.eq((SELECT string_agg(event_type, ',' ORDER BY created_at) FROM public.event_outbox WHERE aggregate_id = '70000000-0000-4000-8000-000000006001'),
                  'incident.created,incident.status_changed,incident.escalation_triggered,incident.notification_delivered,incident.escalation_triggered',
                  'outbox events');
SELECT pg_temp.eq((SELECT count(*) FROM public.incident_notification_jobs WHERE status = 'queued' AND next_attempt_at <= (SELECT anchor FROM kruxt_internal.seed_anchor)),
                  2::bigint, 'the queued jobs are due at T: the next incident_notifier run processes them');

-- ---- the audit chain after the build: every row sealed, healthy, head = last row
SELECT pg_temp.eq(public.audit_log_integrity_summary() - 'checked_rows',
                  '{"healthy": true, "drift_count": 0, "first_drift": null, "unsealed_rows": 0}'::jsonb, 'the seeded audit rows are sealed and healthy');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs), (SELECT max(integrity_seq) FROM public.audit_logs), 'dense sequence');
SELECT pg_temp.eq((SELECT last_seq FROM kruxt_internal.audit_chain_head), (SELECT max(integrity_seq) FROM public.audit_logs), 'head = last row');

ROLLBACK;
