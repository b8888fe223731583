-- Item 42: every security-relevant event_outbox insert (privacy.%, consent.%, policy.%, integration.sync_failed,
-- membership.status_changed) produces exactly one security.event_outbox audit row with the 06 §2 metadata;
-- other types produce none; an existing audit row for the same outbox id is not duplicated.

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.is_security_relevant_event_type('privacy.request_submitted') AND public.is_security_relevant_event_type('consent.recorded')
                  AND public.is_security_relevant_event_type('policy.version_published') AND public.is_security_relevant_event_type('integration.sync_failed')
                  AND public.is_security_relevant_event_type('membership.status_changed'), true, 'the five kinds are security-relevant');
SELECT pg_temp.eq(public.is_security_relevant_event_type('integration.sync_succeeded') OR public.is_security_relevant_event_type('workout.logged')
                  OR public.is_security_relevant_event_type('incident.created') OR public.is_security_relevant_event_type('membership.role_changed')
                  OR public.is_security_relevant_event_type('privacy') OR public.is_security_relevant_event_type('xprivacy.x'),
                  false, 'others are not (prefixes need the dot; incident events have their own audit rows)');
SELECT pg_temp.eq(public.is_security_relevant_event_type(NULL), false, 'null is not');

INSERT INTO public.event_outbox (id, event_type, aggregate_type, aggregate_id, payload) VALUES
    ('7f000000-0000-4000-8000-000000000421', 'privacy.request_overdue', 'privacy_request', '70000000-0000-4000-8000-000000000104', '{"request_id":"x","n":1}'),
    ('7f000000-0000-4000-8000-000000000422', 'consent.recorded', 'consent', NULL, '{"n":2}'),
    ('7f000000-0000-4000-8000-000000000423', 'policy.version_published', 'policy_version', NULL, '{"n":3}'),
    ('7f000000-0000-4000-8000-000000000424', 'integration.sync_failed', 'device_sync_job', NULL, '{"n":4}'),
    ('7f000000-0000-4000-8000-000000000425', 'membership.status_changed', 'gym_membership', NULL, '{"n":5}'),
    ('7f000000-0000-4000-8000-000000000426', 'integration.sync_succeeded', 'device_sync_job', NULL, '{"n":6}'),
    ('7f000000-0000-4000-8000-000000000427', 'workout.logged', 'workout', NULL, '{"n":7}'),
    ('7f000000-0000-4000-8000-000000000428', 'class.waitlist_promoted', 'class', NULL, '{"n":8}');
SELECT pg_temp.eq((SELECT string_agg(o.event_type || '=' || (SELECT count(*) FROM public.audit_logs a
                                                           WHERE a.action = 'security.event_outbox' AND a.metadata ->> 'event_outbox_id' = o.id::text),
                                     ',' ORDER BY o.id)
                   FROM public.event_outbox o WHERE o.id::text LIKE '7f000000-%-0000000004__'),
                  'privacy.request_overdue=1,consent.recorded=1,policy.version_published=1,integration.sync_failed=1,membership.status_changed=1,'
                  'integration.sync_succeeded=0,workout.logged=0,class.waitlist_promoted=0',
                  'exactly one audit row per security-relevant event, none for the others');
SELECT pg_temp.eq((SELECT a.metadata - 'created_at'
                   FROM public.audit_logs a WHERE a.metadata ->> 'event_outbox_id' = '7f000000-0000-4000-8000-000000000421'),
                  jsonb_build_object('event_outbox_id', '7f000000-0000-4000-8000-000000000421', 'event_type', 'privacy.request_overdue',
                                     'aggregate_type', 'privacy_request', 'aggregate_id', '70000000-0000-4000-8000-000000000104',
                                     'payload_checksum', encode(sha256(convert_to('{"n": 1, "request_id": "x"}', 'UTF8')), 'hex'),
                                     'published', false),
                  'metadata: outbox id, type, aggregate, SHA-256 of payload::text, published');
SELECT pg_temp.eq((SELECT (a.metadata ->> 'created_at')::timestamptz = o.created_at AND a.target_table = 'event_outbox' AND a.target_id = o.id
                          AND a.actor_role = 'service_role'
                   FROM public.audit_logs a JOIN public.event_outbox o ON a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE o.id = '7f000000-0000-4000-8000-000000000421'), true, 'target event_outbox/<id>, the outbox created_at, actor role');

-- an audit row for an outbox id that already exists is not duplicated
SELECT public.append_audit_log('security.event_outbox', 'event_outbox', '7f000000-0000-4000-8000-000000000429', 'pre-recorded',
                               '{"event_outbox_id":"7f000000-0000-4000-8000-000000000429"}');
INSERT INTO public.event_outbox (id, event_type, aggregate_type, payload)
VALUES ('7f000000-0000-4000-8000-000000000429', 'privacy.export_ready', 'privacy_request', '{}');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE metadata ->> 'event_outbox_id' = '7f000000-0000-4000-8000-000000000429'), 1::bigint,
                  'an existing security.event_outbox row for the id means no second one');
-- publishing (the service publisher's update) adds nothing
UPDATE public.event_outbox SET published = true, published_at = public.app_now() WHERE id::text LIKE '7f000000-%-0000000004__';
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'security.event_outbox' AND metadata ->> 'event_outbox_id' LIKE '7f000000-%'), 6::bigint,
                  'marking rows published writes no audit row');

-- ---- the same through a real flow: approving paolo (membership.status_changed), by giulia
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000107';
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) || ' ' || min(a.actor_user_id::text) || ' ' || min(a.actor_role)
                   FROM public.event_outbox o JOIN public.audit_logs a ON a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE o.event_type = 'membership.status_changed' AND o.aggregate_id = 'a0000000-0000-4000-8000-000000000107'),
                  '1 20000000-0000-4000-8000-000000000002 authenticated', 'one security row, actor giulia');
-- incident events are audited under their own names, without a security.event_outbox duplicate
SELECT public.create_security_incident('10000000-0000-4000-8000-000000000001', 'Outbox audit check');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs a JOIN public.event_outbox o ON a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE o.event_type LIKE 'incident.%'), 0::bigint, 'incident events: no security.event_outbox rows');

-- ---- who reads them: service, compliance operators; never staff or members (06 §1.1)
-- The seeds have security rows too (area 05: one per seeded consent.recorded event); this test wrote 7
-- (5 above + the pre-recorded 429 + paolo's approval).
CREATE TEMP TABLE own_security_rows ON COMMIT DROP AS
SELECT a.id FROM public.audit_logs a WHERE a.action = 'security.event_outbox'
   AND (a.metadata ->> 'event_outbox_id' LIKE '7f000000-%' OR a.target_id IN
        (SELECT o.id FROM public.event_outbox o WHERE o.event_type = 'membership.status_changed' AND o.aggregate_id = 'a0000000-0000-4000-8000-000000000107'));
GRANT SELECT ON own_security_rows TO PUBLIC;
SELECT pg_temp.eq((SELECT count(*) FROM own_security_rows), 7::bigint, 'the service sees the 7 security rows of this test');
SELECT set_config('test.security_rows', (SELECT count(*)::text FROM public.audit_logs WHERE action = 'security.event_outbox'), true);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000024","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.audit_logs WHERE action = 'security.event_outbox'$q$),
                  current_setting('test.security_rows')::bigint, 'carla (compliance_admin) reads the security rows, all the service sees');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.audit_logs a JOIN own_security_rows r ON r.id = a.id$q$), 7::bigint,
                  'the 7 of this test among them');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.audit_logs$q$), 0::bigint,
                  'departure from reference: the BZone owner/leader reads no audit row (no cross-tenant read)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000011","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.audit_logs$q$), 0::bigint, 'nor the other gym''s owner');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.audit_logs$q$), 0::bigint, 'nor an officer');

ROLLBACK;
