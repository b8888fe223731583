-- Item 90: disconnectProvider sets the provider connection to revoked and the refreshed snapshot shows it (04 §6):
-- integrations_disconnect_provider(p_provider) then integrations_ui_snapshot(), as the user.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);

SELECT pg_temp.eq((SELECT (r -> 'connection' ->> 'id') || ' ' || (r -> 'connection' ->> 'status') || ' ' || (r -> 'connection' ? 'access_token_encrypted')
                   FROM (SELECT public.integrations_disconnect_provider('apple_health') AS r) AS x),
                  'd0000000-0000-4000-8000-000000000101 revoked false', 'sara disconnects Apple Health: her connection is revoked');
SELECT pg_temp.eq((SELECT status || ' ' || (access_token_encrypted IS NULL) || ' ' || (refresh_token_encrypted IS NULL) || ' ' || (token_expires_at IS NULL)
                   FROM public.device_connections WHERE id = 'd0000000-0000-4000-8000-000000000101'),
                  'revoked true true true', 'the revoked connection keeps no credentials');
SELECT pg_temp.eq((SELECT s -> 'connection' ->> 'status' FROM (SELECT public.integrations_ui_snapshot() -> 'providerStates' -> 0 AS s) AS x), 'revoked',
                  'the refreshed snapshot shows the connection revoked');
SELECT pg_temp.eq((SELECT r -> 'report' -> 'missingProviders' FROM (SELECT public.integrations_validate_activation() AS r) AS x),
                  '["apple_health","garmin"]'::jsonb, 'both providers are now missing');
SELECT pg_temp.eq((SELECT cursor ->> 'next_cursor' FROM public.device_sync_cursors WHERE connection_id = 'd0000000-0000-4000-8000-000000000101'), 'c-120',
                  'the cursor stays (a reconnect resumes from it)');

-- no active connection: the newest one of the provider (already revoked) stays revoked
SELECT pg_temp.eq((SELECT r -> 'connection' ->> 'id' FROM (SELECT public.integrations_disconnect_provider('garmin') AS r) AS x),
                  'd0000000-0000-4000-8000-000000000102', 'garmin: the newest connection is picked when none is active');

-- refusals
SELECT pg_temp.fails($q$SELECT public.integrations_disconnect_provider('oura')$q$, 'KX404', 'Device connection not found',
                     'no connection of the provider -> INTEGRATION_CONNECTION_NOT_FOUND');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_disconnect_provider('garmin')$q$, 'KX404', 'Device connection not found',
                     'jake has no garmin connection (sara''s is not his to revoke)');
SELECT pg_temp.eq((SELECT r -> 'connection' ->> 'status' FROM (SELECT public.integrations_disconnect_provider('fitbit') AS r) AS x), 'revoked',
                  'a connection of a provider outside the beta can still be disconnected');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_disconnect_provider('apple_health')$q$, 'KX404', 'Device connection not found',
                     'davide cannot reach sara''s Apple Health connection');
SELECT pg_temp.eq((SELECT status::text FROM public.device_connections WHERE id = 'd0000000-0000-4000-8000-000000000103'), 'active',
                  'davide''s own garmin is untouched by the refusals');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.integrations_disconnect_provider('garmin')$q$, 'KX401', 'Authentication required', 'no user');

ROLLBACK;
