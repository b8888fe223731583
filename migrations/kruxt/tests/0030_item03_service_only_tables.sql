-- Item 3: service-only tables (integration_webhook_events, event_outbox) reject non-service writes.
-- 00 §7: one policy FOR ALL TO authenticated USING/WITH CHECK (is_service_role()); an authenticated insert
-- raises 42501. integration_webhook_events also rejects DELETE for every role ('This table is append-only').
-- Security-relevant outbox inserts add exactly one 'security.event_outbox' audit row (06 §2).

BEGIN;

-- ---- assertion helpers: identical in every test file, created inside the test transaction (pg_temp),
-- ---- gone with the ROLLBACK. Each raises 'FAILED: ...' on a failed expectation.
-- ok(cond, what): cond must be true.
CREATE FUNCTION pg_temp.ok(p_cond boolean, p_what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_cond IS NOT TRUE THEN
        RAISE EXCEPTION 'FAILED: %', p_what;
    END IF;
END $$;
-- eq(actual, expected, what): IS NOT DISTINCT FROM.
CREATE FUNCTION pg_temp.eq(p_actual anycompatible, p_expected anycompatible, p_what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_actual IS DISTINCT FROM p_expected THEN
        RAISE EXCEPTION 'FAILED: % (expected %, got %)', p_what, p_expected, p_actual;
    END IF;
END $$;
-- row_count(sql): rows returned by a query, run as the current role with the current claims.
CREATE FUNCTION pg_temp.row_count(p_sql text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM (%s) AS q', p_sql) INTO n;
    RETURN n;
END $$;
-- affected(sql): rows changed by an INSERT/UPDATE/DELETE, run as the current role.
CREATE FUNCTION pg_temp.affected(p_sql text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE p_sql;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
-- fails(sql, sqlstate, message, what): the statement must raise; sqlstate and message (a LIKE pattern)
-- are checked when not null. The statement's effects are rolled back (subtransaction).
CREATE FUNCTION pg_temp.fails(p_sql text, p_sqlstate text, p_message text, p_what text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE v_state text; v_msg text;
BEGIN
    BEGIN
        EXECUTE p_sql;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
    END;
    IF v_state IS NULL THEN
        RAISE EXCEPTION 'FAILED: % (expected an error [%] "%", but the statement succeeded)', p_what, p_sqlstate, p_message;
    END IF;
    IF p_sqlstate IS NOT NULL AND v_state <> p_sqlstate THEN
        RAISE EXCEPTION 'FAILED: % (expected SQLSTATE %, got % "%")', p_what, p_sqlstate, v_state, v_msg;
    END IF;
    IF p_message IS NOT NULL AND v_msg NOT LIKE p_message THEN
        RAISE EXCEPTION 'FAILED: % (expected message "%", got "%")', p_what, p_message, v_msg;
    END IF;
END $$;
-- ---- end of helpers

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
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.event_outbox SET published = true, published_at = now() WHERE published = false$q$), 2::bigint,
                  'service publisher marks outbox rows published');

ROLLBACK;
