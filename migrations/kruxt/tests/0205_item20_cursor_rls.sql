-- Item 20: device_sync_cursors are updated only by the service role; users read only their own cursors (04 §2).
-- A user's insert raises 42501, a user's update or delete affects 0 rows (own rows included); the service upserts.
-- Seed: cursors d...0401 (sara, apple_health, {"next_cursor":"c-120"}) and d...0402 (davide, garmin).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

-- ================================================================ users read their own cursor only
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(id::text || ' ' || (cursor ->> 'next_cursor'), ',') FROM public.device_sync_cursors),
                  'd0000000-0000-4000-8000-000000000401 c-120', 'sara reads exactly her own cursor');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(id::text, ',') FROM public.device_sync_cursors), 'd0000000-0000-4000-8000-000000000402',
                  'davide reads exactly his own cursor');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_sync_cursors WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'davide reads none of sara''s cursors');
-- staff and the gym owner read no member's cursor
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_sync_cursors$q$), 0::bigint, 'officer giulia reads no cursor');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_sync_cursors$q$), 0::bigint, 'owner marco reads no cursor');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_sync_cursors$q$), 0::bigint, 'no sub: no cursor');

-- ================================================================ users never write cursors, not even their own
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.device_sync_cursors (connection_id, user_id, provider, cursor)
                        VALUES ('d0000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000004', 'garmin', '{"next_cursor":"forged"}')$q$,
                     '42501', 'new row violates row-level security policy for table "device_sync_cursors"', 'sara cannot insert a cursor for her own connection');
SELECT pg_temp.fails($q$INSERT INTO public.device_sync_cursors (connection_id, user_id, provider, cursor)
                        VALUES ('d0000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000004', 'apple_health', '{"next_cursor":"c-001"}')
                        ON CONFLICT (connection_id) DO UPDATE SET cursor = EXCLUDED.cursor$q$,
                     '42501', 'new row violates row-level security policy for table "device_sync_cursors"', 'sara cannot upsert her cursor back');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.device_sync_cursors SET cursor = '{"next_cursor":"c-001"}'$q$), 0::bigint,
                  'sara''s update of her own cursor affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.device_sync_cursors SET last_error = NULL WHERE user_id = '20000000-0000-4000-8000-000000000005'$q$), 0::bigint,
                  'sara''s update of davide''s cursor affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.device_sync_cursors$q$), 0::bigint, 'sara''s delete affects 0 rows');
SELECT pg_temp.eq((SELECT cursor ->> 'next_cursor' FROM public.device_sync_cursors), 'c-120', 'sara''s cursor is unchanged');
-- staff neither
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.device_sync_cursors SET cursor = '{}'$q$), 0::bigint, 'staff update no cursor');
SELECT pg_temp.fails($q$INSERT INTO public.device_sync_cursors (connection_id, user_id, provider)
                        VALUES ('d0000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000004', 'garmin')$q$,
                     '42501', NULL, 'staff cannot insert a cursor');

-- ================================================================ anonymous: no privileges
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.device_sync_cursors$q$, '42501', 'permission denied for table device_sync_cursors', 'anon cannot read cursors');

-- ================================================================ the service upserts
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.device_sync_cursors (connection_id, user_id, provider, cursor)
                        VALUES ('d0000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000004', 'garmin', '{"next_cursor":"g-001"}')$q$), 1::bigint,
                  'the service inserts a cursor');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.device_sync_cursors (connection_id, user_id, provider, cursor)
                        VALUES ('d0000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000004', 'apple_health', '{"next_cursor":"c-130"}')
                        ON CONFLICT (connection_id) DO UPDATE SET cursor = EXCLUDED.cursor, last_synced_at = public.app_now()$q$), 1::bigint,
                  'the service upserts on connection_id');
SELECT pg_temp.eq((SELECT cursor ->> 'next_cursor' FROM public.device_sync_cursors WHERE id = 'd0000000-0000-4000-8000-000000000401'), 'c-130',
                  'the upsert updated the existing row');
SELECT pg_temp.fails($q$INSERT INTO public.device_sync_cursors (connection_id, user_id, provider)
                        VALUES ('d0000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000005', 'garmin')$q$,
                     '23505', NULL, 'one cursor per connection');
-- the user sees the service's writes
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(provider || ':' || (cursor ->> 'next_cursor'), ',' ORDER BY provider) FROM public.device_sync_cursors),
                  'apple_health:c-130,garmin:g-001', 'sara reads the cursors the service wrote for her');

ROLLBACK;
