-- Item 3: service-only tables (integration_webhook_events, event_outbox) reject non-service writes.
-- 00 §7: one policy FOR ALL TO authenticated USING/WITH CHECK (is_service_role()); an authenticated insert
-- raises 42501. integration_webhook_events also rejects DELETE for every role ('This table is append-only').
-- Security-relevant outbox inserts add exactly one 'security.event_outbox' audit row (06 §2).

BEGIN;

-- ---- a member (sara) and a staff member (giulia)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.event_outbox (event_type, aggregate_type, payload) VALUES ('workout.logged', 'workout', '{}')$q$,
                     '42501', 'new row violates row-level security policy for table "event_outbox"', 'member insert into event_outbox is refused');
SELECT pg_temp.fails($q$INSERT INTO public.integration_webhook_events (provider, provider_event_id, event_type, payload_hash, payload_json)
                        VALUES ('garmin', 'forged-1', 'activities.created', 'h-forged-1', '{}')$q$,
                     '42501', 'new row violates row-level security policy for table "integration_webhook_events"',
                     'member insert into integration_webhook_events is refused');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.integration_webhook_events$q$), 0::bigint, 'member reads no webhook events');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.event_outbox$q$), 0::bigint, 'member reads no outbox rows');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.integration_webhook_events SET processing_status = 'pending'$q$), 0::bigint,
                  'member update of webhook events affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.event_outbox SET published = true$q$), 0::bigint, 'member update of outbox affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.event_outbox$q$), 0::bigint, 'member delete of outbox affects 0 rows');
SELECT pg_temp.fails($q$DELETE FROM public.integration_webhook_events$q$, 'KX423', 'This table is append-only',
                     'member delete of webhook events raises');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.event_outbox (event_type, aggregate_type, payload) VALUES ('membership.status_changed', 'gym_membership', '{}')$q$,
                     '42501', 'new row violates row-level security policy for table "event_outbox"', 'staff insert into event_outbox is refused');
SELECT pg_temp.fails($q$INSERT INTO public.integration_webhook_events (provider, provider_event_id, event_type, payload_hash, payload_json)
                        VALUES ('garmin', 'forged-2', 'activities.created', 'h-forged-2', '{}')$q$,
                     '42501', 'new row violates row-level security policy for table "integration_webhook_events"',
                     'staff insert into integration_webhook_events is refused');
-- the gym owner too
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.event_outbox (event_type, aggregate_type, payload) VALUES ('workout.logged', 'workout', '{}')$q$,
                     '42501', NULL, 'owner insert into event_outbox is refused');

-- ---- anonymous: no privileges at all
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.event_outbox (event_type, aggregate_type, payload) VALUES ('x', 'y', '{}')$q$,
                     '42501', 'permission denied for table event_outbox', 'anon insert into event_outbox is refused');
SELECT pg_temp.fails($q$INSERT INTO public.integration_webhook_events (provider, provider_event_id, event_type, payload_hash, payload_json)
                        VALUES ('garmin', 'forged-3', 'x', 'h-forged-3', '{}')$q$,
                     '42501', 'permission denied for table integration_webhook_events', 'anon insert into webhook events is refused');

-- ---- service role writes both
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.integration_webhook_events (provider, provider_event_id, event_type, payload_hash, payload_json)
                        VALUES ('garmin', 'gm-evt-0100', 'activities.created', 'h-gm-0100', '{"activities":[]}')$q$), 1::bigint,
                  'service inserts a webhook event');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.integration_webhook_events SET processing_status = 'processed', processed_at = now()
                                      WHERE provider_event_id = 'gm-evt-0100'$q$), 1::bigint, 'service updates a webhook event');
SELECT pg_temp.fails($q$DELETE FROM public.integration_webhook_events WHERE provider_event_id = 'gm-evt-0100'$q$, 'KX423', 'This table is append-only',
                     'even service cannot delete webhook events');
SELECT pg_temp.fails($q$INSERT INTO public.integration_webhook_events (provider, provider_event_id, event_type, payload_hash, payload_json)
                        VALUES ('garmin', 'gm-evt-0100', 'activities.created', 'h-other', '{}')$q$, '23505', NULL,
                     'webhook events are unique per (provider, provider_event_id)');

SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
                        VALUES ('workout.logged', 'workout', '40000000-0000-4000-8000-000000000001', '{"n":1}')$q$), 1::bigint,
                  'service inserts a non-security outbox event');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.event_outbox (event_type, aggregate_type, aggregate_id, payload)
                        VALUES ('privacy.request_submitted', 'privacy_request', '70000000-0000-4000-8000-000000000102', '{"n":2}')$q$), 1::bigint,
                  'service inserts a security-relevant outbox event');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs a JOIN public.event_outbox o ON a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE a.action = 'security.event_outbox' AND o.event_type = 'privacy.request_submitted'), 1::bigint,
                  'the security-relevant event got exactly one security.event_outbox audit row');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs a JOIN public.event_outbox o ON a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE o.event_type = 'workout.logged'), 0::bigint, 'workout.logged got no audit row');
SELECT pg_temp.ok((SELECT a.metadata ->> 'payload_checksum' = encode(sha256(convert_to(o.payload::text, 'UTF8')), 'hex')
                   FROM public.audit_logs a JOIN public.event_outbox o ON a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE o.event_type = 'privacy.request_submitted'), 'audit metadata carries the payload checksum');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.event_outbox SET published = true, published_at = now() WHERE published = false AND payload ? 'n'$q$), 2::bigint,
                  'service publisher marks outbox rows published');

ROLLBACK;
