-- Item 57 (database side): the runbook mapping exists and matches the queue actions (load, transition, metrics):
-- compliance_runbook_actions() is the runbookActions array of 06 §5.2 (docs/compliance-ops-runbook.md describes
-- the same ids; the Rust test checks that file).

BEGIN;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(a ->> 'id', ',' ORDER BY n) FROM jsonb_array_elements(public.compliance_runbook_actions()) WITH ORDINALITY AS x(a, n)),
                  'triage-submitted,start-fulfillment,complete-or-reject,escalate-sla-breach,review-metrics', 'exactly the five ids, in order');
SELECT pg_temp.eq((SELECT string_agg((a ->> 'id') || '=' || (a ->> 'flowMethod'), ',' ORDER BY n)
                   FROM jsonb_array_elements(public.compliance_runbook_actions()) WITH ORDINALITY AS x(a, n)),
                  'triage-submitted=transition,start-fulfillment=transition,complete-or-reject=transition,escalate-sla-breach=load,review-metrics=metrics',
                  'flowMethod per id (06 §5.2)');
SELECT pg_temp.eq((SELECT string_agg(DISTINCT a ->> 'flowMethod', ',') FROM jsonb_array_elements(public.compliance_runbook_actions()) a),
                  'load,metrics,transition', 'every queue action is covered and nothing else');
SELECT pg_temp.ok((SELECT bool_and(a ?& ARRAY['id', 'title', 'action', 'when', 'flowMethod']
                                   AND btrim(a ->> 'title') <> '' AND btrim(a ->> 'action') <> '' AND btrim(a ->> 'when') <> ''
                                   AND (SELECT bool_and(k IN ('id', 'title', 'action', 'when', 'flowMethod', 'escalationTrigger')) FROM jsonb_object_keys(a) k))
                   FROM jsonb_array_elements(public.compliance_runbook_actions()) a), 'each entry: id, title, action, when, flowMethod, optional escalationTrigger');
SELECT pg_temp.eq((SELECT a ->> 'escalationTrigger' FROM jsonb_array_elements(public.compliance_runbook_actions()) a WHERE a ->> 'id' = 'escalate-sla-breach'),
                  'slaBadge = breached', 'the escalation rule: the breached badge');
SELECT pg_temp.ok((SELECT (a ->> 'action') LIKE '%sla = breached%' AND (a ->> 'action') LIKE '%create_security_incident%'
                          AND (a ->> 'action') LIKE '%queue_incident_escalation_notifications%'
                   FROM jsonb_array_elements(public.compliance_runbook_actions()) a WHERE a ->> 'id' = 'escalate-sla-breach'),
                  'escalation = load with sla breached, then create_security_incident + queue_incident_escalation_notifications');
SELECT pg_temp.ok((SELECT (a ->> 'action') LIKE '%triaged%' FROM jsonb_array_elements(public.compliance_runbook_actions()) a WHERE a ->> 'id' = 'triage-submitted')
                  AND (SELECT (a ->> 'action') LIKE '%in_progress%' FROM jsonb_array_elements(public.compliance_runbook_actions()) a WHERE a ->> 'id' = 'start-fulfillment')
                  AND (SELECT (a ->> 'action') LIKE '%fulfilled or rejected%' FROM jsonb_array_elements(public.compliance_runbook_actions()) a WHERE a ->> 'id' = 'complete-or-reject'),
                  'the transitions name their target statuses');
SELECT pg_temp.eq(public.compliance_runbook_actions(), public.compliance_runbook_actions(), 'deterministic');
-- the escalation the runbook prescribes works for staff: the breached request from the queue, then incident + jobs
SELECT set_config('test.inc', public.create_security_incident('10000000-0000-4000-8000-000000000001', 'Privacy SLA breach: export request',
    p_severity => 'medium', p_source => 'compliance_ops', p_metadata => jsonb_build_object('privacy_request_id',
        (SELECT id FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', '{"sla":"breached"}') LIMIT 1)))::text, true);
SELECT pg_temp.eq(public.queue_incident_escalation_notifications(current_setting('test.inc')::uuid, 'SLA breached'), 2, 'escalate-sla-breach can be followed');
SELECT pg_temp.eq((SELECT metadata ->> 'privacy_request_id' FROM public.security_incidents WHERE id = current_setting('test.inc')::uuid),
                  '70000000-0000-4000-8000-000000000104', 'the incident names chiara''s breached request');
SELECT pg_temp.eq((SELECT count(*) FROM public.legal_copy_keys WHERE copy_key = 'legal.flow.admin.phase8.open_runbook'), 1::bigint,
                  'the checklist step that opens the runbook exists');

ROLLBACK;
