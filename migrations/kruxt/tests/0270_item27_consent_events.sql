-- Item 27: record_user_consent always writes audit + outbox events with policy bindings (05 §2.1, §2.2):
-- per consent exactly 1 outbox row consent.recorded and 2 audit rows (consent.recorded, security.event_outbox),
-- whatever the write path (RPC as the user, RPC by service for a user, a user's direct insert, a service
-- insert that is bound by the trigger); a refused consent leaves no event.

BEGIN;

SELECT set_config('kruxt.now', (greatest((SELECT anchor FROM kruxt_internal.seed_anchor), '2026-04-01T00:00:00Z'::timestamptz)
                                + interval '1 day')::text, true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;
CREATE TEMP TABLE before_counts ON COMMIT DROP AS
SELECT (SELECT count(*) FROM public.event_outbox) AS outbox, (SELECT count(*) FROM public.audit_logs) AS audit;
GRANT ALL ON before_counts TO PUBLIC;

-- the four write paths
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
INSERT INTO ctx SELECT 'rpc_user', public.record_user_consent('privacy', true, NULL, 'mobile', 'en-US');
INSERT INTO public.consents (id, user_id, consent_type, granted) VALUES ('e0000000-0000-4000-8000-0000000f0101', auth.uid(), 'push_notifications', false);
INSERT INTO ctx VALUES ('direct_user', 'e0000000-0000-4000-8000-0000000f0101');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO ctx SELECT 'rpc_service', public.record_user_consent('terms', true, NULL, 'admin', NULL, '20000000-0000-4000-8000-000000000005');
INSERT INTO public.consents (id, user_id, consent_type, granted, source) VALUES ('e0000000-0000-4000-8000-0000000f0102', '20000000-0000-4000-8000-000000000005',
                                                                               'health_data_processing', true, 'import');
INSERT INTO ctx VALUES ('direct_service', 'e0000000-0000-4000-8000-0000000f0102');

SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox) - (SELECT outbox FROM before_counts), 4::bigint, '4 consents: 4 outbox rows');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs) - (SELECT audit FROM before_counts), 8::bigint, '4 consents: 8 audit rows');
SELECT pg_temp.eq((SELECT count(*) FROM ctx c WHERE
                       (SELECT count(*) FROM public.event_outbox o WHERE o.event_type = 'consent.recorded' AND o.aggregate_type = 'consent' AND o.aggregate_id = c.v) = 1
                   AND (SELECT count(*) FROM public.audit_logs a WHERE a.action = 'consent.recorded' AND a.target_table = 'consents' AND a.target_id = c.v) = 1
                   AND (SELECT count(*) FROM public.audit_logs a JOIN public.event_outbox o ON a.metadata ->> 'event_outbox_id' = o.id::text
                        WHERE a.action = 'security.event_outbox' AND o.aggregate_id = c.v AND a.metadata ->> 'event_type' = 'consent.recorded') = 1),
                  4::bigint, 'every path: exactly one outbox row, one consent.recorded and one security.event_outbox audit row');
-- the payloads carry the binding
SELECT pg_temp.eq((SELECT o.payload FROM public.event_outbox o WHERE o.aggregate_id = (SELECT v FROM ctx WHERE k = 'rpc_user')),
                  (SELECT jsonb_build_object('consent_id', c.id, 'user_id', c.user_id, 'consent_type', 'privacy',
                                             'policy_version_id', 'e0000000-0000-4000-8000-000000000104', 'granted', true, 'source', 'mobile',
                                             'at', c.granted_at)
                   FROM public.consents c WHERE c.id = (SELECT v FROM ctx WHERE k = 'rpc_user')),
                  'outbox payload {consent_id, user_id, consent_type, policy_version_id, granted, source, at}');
SELECT pg_temp.eq((SELECT a.metadata || jsonb_build_object('actor', a.actor_user_id, 'role', a.actor_role)
                   FROM public.audit_logs a WHERE a.action = 'consent.recorded' AND a.target_id = (SELECT v FROM ctx WHERE k = 'rpc_user')),
                  jsonb_build_object('user_id', '20000000-0000-4000-8000-000000000005', 'consent_type', 'privacy',
                                     'policy_version_id', 'e0000000-0000-4000-8000-000000000104', 'granted', true, 'source', 'mobile',
                                     'actor', '20000000-0000-4000-8000-000000000005', 'role', 'authenticated'),
                  'audit metadata {user_id, consent_type, policy_version_id, granted, source}; actor = the user');
SELECT pg_temp.eq((SELECT (o.payload ->> 'policy_version_id') || ' ' || (o.payload ->> 'granted') FROM public.event_outbox o
                   WHERE o.aggregate_id = (SELECT v FROM ctx WHERE k = 'direct_user')),
                  'e0000000-0000-4000-8000-000000000104 false', 'a direct insert without binding is bound and the event carries it');
SELECT pg_temp.eq((SELECT (a.metadata ->> 'policy_version_id') || ' ' || coalesce(a.actor_user_id::text, '-') || ' ' || a.actor_role
                   FROM public.audit_logs a WHERE a.action = 'consent.recorded' AND a.target_id = (SELECT v FROM ctx WHERE k = 'rpc_service')),
                  'e0000000-0000-4000-8000-000000000105 - service_role', 'service path: bound to terms 1.1.0, actor null, role service_role');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox o JOIN public.consents c ON c.id = o.aggregate_id
                   WHERE o.event_type = 'consent.recorded' AND (o.payload ->> 'policy_version_id')::uuid IS DISTINCT FROM c.policy_version_id),
                  0::bigint, 'every consent.recorded event (seeded ones included) names its row''s binding');

-- a refused consent: no row, no event
CREATE TEMP TABLE mid_counts ON COMMIT DROP AS
SELECT (SELECT count(*) FROM public.event_outbox) AS outbox, (SELECT count(*) FROM public.audit_logs) AS audit;
GRANT ALL ON mid_counts TO PUBLIC;
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true, 'e0000000-0000-4000-8000-000000000102', 'mobile', NULL, '20000000-0000-4000-8000-000000000005')$q$,
                     'KX422', 'Policy type mismatch for consent type terms', 'refused');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted, granted_at) VALUES ('20000000-0000-4000-8000-000000000005', 'terms', true, '2025-01-01')$q$,
                     'KX422', 'A valid policy version is required for consent type terms', 'refused by the trigger');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox) - (SELECT outbox FROM mid_counts)
                  + (SELECT count(*) FROM public.audit_logs) - (SELECT audit FROM mid_counts), 0::bigint, 'refused consents wrote no events');
-- the chain over the new rows is intact (they are unsealed until commit: seal them first, 0002)
SELECT pg_temp.eq((SELECT (public.seal_audit_log_chain(1000, true) ->> 'unsealed_rows')), '0', 'the new rows are sealed');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs a JOIN public.audit_logs p ON p.integrity_seq = a.integrity_seq - 1
                   WHERE a.prev_entry_hash IS DISTINCT FROM p.entry_hash), 0::bigint, 'audit chain linked');

ROLLBACK;
