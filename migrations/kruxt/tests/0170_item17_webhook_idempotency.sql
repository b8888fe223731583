-- Item 17: duplicate webhook events remain idempotent (04 §3, provider_webhook_ingest).
-- One row per (provider, provider_event_id) and per (provider, payload_hash); a replay answers duplicate:true with
-- queuedJobs:0 and never creates a second row or a second job; flag-off and non-beta providers are recorded as ignored.
-- Seed: sara's apple_health connection d...0101 (provider user ah-sara-0001, active), her garmin d...0102 (revoked),
-- davide's garmin d...0103 (active, gm-davide-0001), jake's fitbit d...0104; flags: apple_health and garmin on.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ canonical JSON and the payload hash
SELECT pg_temp.eq(kruxt_internal.canonical_json('{"b":1,"a":[1,"x",{"d":null,"c":true}],"é":"q\""}'::jsonb),
                  '{"a":[1,"x",{"c":true,"d":null}],"b":1,"é":"q\""}', 'canonical JSON: sorted keys, no whitespace');

-- ================================================================ only the service may ingest
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.provider_webhook_ingest('{"provider":"apple_health","eventType":"x"}')$q$,
                     'KX403', 'Service role required', 'a member cannot call the webhook ingest');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.provider_webhook_ingest('{"provider":"apple_health","eventType":"x"}')$q$,
                     'KX403', 'Service role required', 'anonymous cannot call the webhook ingest');

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ================================================================ 400 answers
SELECT pg_temp.fails($q$SELECT public.provider_webhook_ingest('{"provider":"polar","eventType":"x"}')$q$,
                     'KX422', 'Unsupported provider.', 'unknown provider: Unsupported provider.');
SELECT pg_temp.fails($q$SELECT public.provider_webhook_ingest('{"eventType":"x"}')$q$,
                     'KX422', 'Unsupported provider.', 'missing provider: Unsupported provider.');
SELECT pg_temp.fails($q$SELECT public.provider_webhook_ingest('{"provider":"garmin","eventType":"   "}')$q$,
                     'KX422', 'eventType is required.', 'blank eventType: eventType is required.');
SELECT pg_temp.fails($q$SELECT public.provider_webhook_ingest('{"provider":"garmin"}')$q$,
                     'KX422', 'eventType is required.', 'missing eventType: eventType is required.');
SELECT pg_temp.eq((SELECT count(*) FROM public.integration_webhook_events), 2::bigint, 'refused requests store nothing');

-- ================================================================ a new event fans out one job per matched connection
INSERT INTO ctx SELECT 'first', public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":" ah-evt-0100 ","eventType":"activities.created",
      "payload":{"providerUserId":"ah-sara-0001","next_cursor":"c-121","cursor":{"page":2},
                 "activities":[{"id":"ah-act-0100","type":"run"}]}}');
SELECT pg_temp.eq((SELECT v - 'webhookEventId' FROM ctx WHERE k = 'first'),
                  '{"accepted":true,"duplicate":false,"providerEnabled":true,"queuedJobs":1,"matchedConnections":1}'::jsonb,
                  'new event: accepted, not a duplicate, one job queued for sara''s connection');
SELECT pg_temp.eq((SELECT provider_event_id || ' ' || processing_status || ' ' || event_type FROM public.integration_webhook_events
                   WHERE id = (SELECT (v ->> 'webhookEventId')::uuid FROM ctx WHERE k = 'first')),
                  'ah-evt-0100 pending activities.created', 'the event row: trimmed event id, pending');
SELECT pg_temp.eq((SELECT payload_hash FROM public.integration_webhook_events WHERE provider = 'apple_health' AND provider_event_id = 'ah-evt-0100'),
                  encode(sha256(convert_to('{"activities":[{"id":"ah-act-0100","type":"run"}],"cursor":{"page":2},"next_cursor":"c-121","providerUserId":"ah-sara-0001"}', 'UTF8')), 'hex'),
                  'payload_hash = SHA-256 of the canonical payload');
SELECT pg_temp.eq((SELECT connection_id || ' ' || job_type || ' ' || status || ' ' || (requested_by IS NULL) || ' ' || cursor::text
                   FROM public.device_sync_jobs WHERE source_webhook_event_id = (SELECT (v ->> 'webhookEventId')::uuid FROM ctx WHERE k = 'first')),
                  'd0000000-0000-4000-8000-000000000101 webhook_pull queued true {"page": 2, "next_cursor": "c-121"}',
                  'the job: sara''s connection, webhook_pull, queued, no requester, cursor = payload cursor + next_cursor');

-- ================================================================ replays
-- the same event id again (even with another payload): duplicate, the same row, no new job
INSERT INTO ctx SELECT 'replay_id', public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0100","eventType":"activities.created","payload":{"providerUserId":"ah-sara-0001"}}');
SELECT pg_temp.eq((SELECT v FROM ctx WHERE k = 'replay_id'),
                  (SELECT v || '{"duplicate":true,"queuedJobs":0}'::jsonb FROM ctx WHERE k = 'first'),
                  'replayed event id: duplicate:true, queuedJobs:0, same webhookEventId');
-- the same payload under another event id: duplicate by payload hash
INSERT INTO ctx SELECT 'replay_hash', public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0100-retry","eventType":"activities.created",
      "payload":{"providerUserId":"ah-sara-0001","next_cursor":"c-121","cursor":{"page":2},
                 "activities":[{"id":"ah-act-0100","type":"run"}]}}');
SELECT pg_temp.eq((SELECT (v ->> 'duplicate') || ' ' || (v ->> 'queuedJobs') || ' ' || (v ->> 'webhookEventId') FROM ctx WHERE k = 'replay_hash'),
                  'true 0 ' || (SELECT v ->> 'webhookEventId' FROM ctx WHERE k = 'first'),
                  'same payload, other event id: duplicate by payload hash, same row');
SELECT pg_temp.eq((SELECT count(*) FROM public.integration_webhook_events WHERE provider = 'apple_health'), 2::bigint,
                  'no second row: the seeded event and this one');
SELECT pg_temp.eq((SELECT count(*) FROM public.device_sync_jobs
                   WHERE source_webhook_event_id = (SELECT (v ->> 'webhookEventId')::uuid FROM ctx WHERE k = 'first')), 1::bigint,
                  'no second job for the replayed event');
-- the same event id in another provider is another event
SELECT pg_temp.eq((public.provider_webhook_ingest(
    '{"provider":"garmin","providerEventId":"ah-evt-0100","eventType":"activities.created","payload":{"providerUserId":"gm-davide-0001"}}') ->> 'duplicate'),
                  'false', 'event ids are unique per provider only');

-- no event id: <provider>:<payloadHash>, and a given payloadHash is used verbatim
INSERT INTO ctx SELECT 'no_id', public.provider_webhook_ingest(
    '{"provider":"garmin","eventType":"activities.created","payload":{"userId":"20000000-0000-4000-8000-000000000005","activity":{"id":"gm-act-0500"}}}');
SELECT pg_temp.eq((SELECT provider_event_id FROM public.integration_webhook_events WHERE id = (SELECT (v ->> 'webhookEventId')::uuid FROM ctx WHERE k = 'no_id')),
                  'garmin:' || encode(sha256(convert_to('{"activity":{"id":"gm-act-0500"},"userId":"20000000-0000-4000-8000-000000000005"}', 'UTF8')), 'hex'),
                  'without providerEventId the id is <provider>:<payload hash>');
SELECT pg_temp.eq((public.provider_webhook_ingest(
    '{"provider":"garmin","eventType":"activities.created","payload":{"userId":"20000000-0000-4000-8000-000000000005","activity":{"id":"gm-act-0500"}}}') ->> 'duplicate'),
                  'true', 'the same id-less payload again is a duplicate');
INSERT INTO ctx SELECT 'given_hash', public.provider_webhook_ingest(
    '{"provider":"garmin","eventType":"x","payloadHash":" hash-given-1 ","payload":{"userId":"20000000-0000-4000-8000-000000000005"}}');
SELECT pg_temp.eq((SELECT payload_hash || ' ' || provider_event_id FROM public.integration_webhook_events
                   WHERE id = (SELECT (v ->> 'webhookEventId')::uuid FROM ctx WHERE k = 'given_hash')),
                  'hash-given-1 garmin:hash-given-1', 'a given payloadHash is stored (trimmed) and names the event');

-- a replay of a handled event goes back to pending, without a second job
SELECT pg_temp.eq((public.sync_dispatcher_run(20, 'apple_health') ->> 'processedCount'), '1', 'the dispatcher processes the first event''s job');
SELECT pg_temp.eq((SELECT processing_status::text FROM public.integration_webhook_events WHERE provider = 'apple_health' AND provider_event_id = 'ah-evt-0100'), 'processed',
                  'the event is processed');
INSERT INTO ctx SELECT 'replay_processed', public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0100","eventType":"activities.created","payload":{"providerUserId":"ah-sara-0001"}}');
SELECT pg_temp.eq((SELECT (v ->> 'duplicate') || ' ' || (v ->> 'queuedJobs') FROM ctx WHERE k = 'replay_processed'), 'true 0',
                  'replaying a processed event: duplicate, no job (one per connection and event)');
SELECT pg_temp.eq((SELECT processing_status::text || ' ' || (processed_at IS NULL) || ' ' || (error_message IS NULL)
                   FROM public.integration_webhook_events WHERE provider = 'apple_health' AND provider_event_id = 'ah-evt-0100'),
                  'pending true true', 'the replayed event is pending again (processed_at and error cleared)');
SELECT pg_temp.eq((SELECT count(*) FROM public.external_activity_imports WHERE external_activity_id = 'ah-act-0100'), 1::bigint,
                  'its activity was imported once');
-- the hints come from the request: a replay without any hint finds no connection and is recorded as ignored
SELECT pg_temp.eq((public.provider_webhook_ingest(
    '{"provider":"apple_health","providerEventId":"ah-evt-0100","eventType":"activities.created"}') - 'webhookEventId'),
                  '{"accepted":true,"duplicate":true,"providerEnabled":true,"queuedJobs":0,"matchedConnections":0}'::jsonb,
                  'a hint-less replay: duplicate, nothing matched');
SELECT pg_temp.eq((SELECT count(*) FROM public.integration_webhook_events WHERE provider = 'apple_health'), 2::bigint,
                  'after every replay: still no second row');

-- ================================================================ flag off, provider outside the beta, no connection
INSERT INTO ctx SELECT 'fitbit', public.provider_webhook_ingest(
    '{"provider":"fitbit","providerEventId":"fb-evt-0100","eventType":"activities.created","payload":{"providerUserId":"fb-jake-0001"}}');
SELECT pg_temp.eq((SELECT v - 'webhookEventId' FROM ctx WHERE k = 'fitbit'),
                  '{"accepted":true,"duplicate":false,"providerEnabled":false,"queuedJobs":0,"matchedConnections":0}'::jsonb,
                  'fitbit (flag off): accepted, providerEnabled false, nothing queued');
SELECT pg_temp.eq((SELECT processing_status::text || ' ' || (processed_at = public.app_now()) FROM public.integration_webhook_events WHERE provider_event_id = 'fb-evt-0100'),
                  'ignored true', 'stored as ignored with processed_at');
SELECT pg_temp.eq((public.provider_webhook_ingest(
    '{"provider":"fitbit","providerEventId":"fb-evt-0100","eventType":"activities.created","payload":{}}') ->> 'duplicate'),
                  'true', 'a flag-off replay is a duplicate too');
SELECT pg_temp.eq((SELECT count(*) FROM public.integration_webhook_events WHERE provider_event_id = 'fb-evt-0100'), 1::bigint, 'still one fitbit row');

UPDATE public.feature_flags SET enabled = true, rollout_percentage = 100 WHERE key = 'provider_oura_enabled';
INSERT INTO ctx SELECT 'oura', public.provider_webhook_ingest(
    '{"provider":"oura","providerEventId":"oura-evt-1","eventType":"sleep.created","payload":{"userId":"20000000-0000-4000-8000-000000000004"}}');
SELECT pg_temp.eq((SELECT (v ->> 'providerEnabled') || ' ' || (v ->> 'queuedJobs') FROM ctx WHERE k = 'oura'), 'true 0',
                  'oura with its flag on: enabled but not queued');
SELECT pg_temp.eq((SELECT processing_status::text || ': ' || error_message FROM public.integration_webhook_events WHERE provider_event_id = 'oura-evt-1'),
                  'ignored: Provider oura is not activated in this rollout window.', 'a provider outside the beta is ignored with the message');

INSERT INTO ctx SELECT 'nobody', public.provider_webhook_ingest(
    '{"provider":"garmin","providerEventId":"gm-evt-0101","eventType":"activities.created","payload":{"providerUserId":"gm-sara-0001"}}');
SELECT pg_temp.eq((SELECT (v ->> 'queuedJobs') || ' ' || (v ->> 'matchedConnections') FROM ctx WHERE k = 'nobody'), '0 0',
                  'sara''s revoked garmin connection is not a target');
SELECT pg_temp.eq((SELECT processing_status::text || ': ' || error_message FROM public.integration_webhook_events WHERE provider_event_id = 'gm-evt-0101'),
                  'ignored: No active connection matched webhook payload.', 'no active connection: ignored with the message');
SELECT pg_temp.eq((public.provider_webhook_ingest(
    '{"provider":"garmin","providerEventId":"gm-evt-0102","eventType":"x","payload":{}}') ->> 'queuedJobs'), '0', 'no hint at all: nothing queued');

-- ================================================================ hints: body first, then payload; connection, then user, then provider user
SELECT pg_temp.eq((public.provider_webhook_ingest(
    '{"provider":"garmin","providerEventId":"gm-evt-0103","eventType":"x","connectionId":"D0000000-0000-4000-8000-000000000103",
      "payload":{"connection_id":"d0000000-0000-4000-8000-000000000102"}}') ->> 'matchedConnections'), '1',
                  'the body''s connectionId wins over the payload''s (case-insensitive uuid)');
SELECT pg_temp.eq((SELECT connection_id FROM public.device_sync_jobs WHERE source_webhook_event_id =
                      (SELECT id FROM public.integration_webhook_events WHERE provider_event_id = 'gm-evt-0103')),
                  'd0000000-0000-4000-8000-000000000103'::uuid, 'the job targets davide''s connection');
SELECT pg_temp.eq((public.provider_webhook_ingest(
    '{"provider":"garmin","providerEventId":"gm-evt-0104","eventType":"x","userId":"20000000-0000-4000-8000-000000000004",
      "payload":{"providerUserId":"gm-davide-0001"}}') ->> 'matchedConnections'), '0',
                  'a user hint takes precedence over a provider user hint (sara has no active garmin connection)');
SELECT pg_temp.eq((public.provider_webhook_ingest(
    '{"provider":"garmin","providerEventId":"gm-evt-0105","eventType":"x","payload":{"connectionId":"not-a-uuid"}}') ->> 'matchedConnections'), '0',
                  'a connection hint that is not a connection id matches nothing (no cast error)');

-- ================================================================ the table stays append-only
SELECT pg_temp.fails($q$DELETE FROM public.integration_webhook_events WHERE provider = 'apple_health' AND provider_event_id = 'ah-evt-0100'$q$, 'KX423',
                     'This table is append-only', 'webhook events cannot be deleted, even by the service');

ROLLBACK;
