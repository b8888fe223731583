-- Item 1: cross-user reads are blocked for device_connections, consents, privacy_requests,
-- notification_preferences, push_notification_tokens (00 §7). Reader B sees 0 rows of user A, no error;
-- B sees B's own rows; staff and the gym owner see no member's device_connections (departure from
-- reference); anonymous has no table access at all; service sees everything.
-- Actors: A = sara_conti (user 04), B = davide_romano (user 05), staff = giulia_rossi (02), owner = marco_bianchi (01).

BEGIN;

-- Fixture, written as the superuser before acting: one push token each for sara and davide.
INSERT INTO public.push_notification_tokens (user_id, device_id, platform, push_token) VALUES
    ('20000000-0000-4000-8000-000000000004', 'sara-iphone', 'ios', 'tok-sara-0001'),
    ('20000000-0000-4000-8000-000000000005', 'davide-pixel', 'android', 'tok-davide-0001');

-- ---- B = davide reads A = sara's rows
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);

SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_connections WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'davide sees none of sara''s device_connections');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.consents WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'davide sees none of sara''s consents');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.privacy_requests WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'davide sees none of sara''s privacy_requests');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.notification_preferences WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'davide sees none of sara''s notification_preferences');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.push_notification_tokens WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'davide sees none of sara''s push_notification_tokens');

-- unfiltered reads return only davide's own rows
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_connections$q$), 1::bigint, 'davide sees exactly his own device connection');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.consents$q$), 5::bigint, 'davide sees exactly his own 5 consents');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.privacy_requests$q$), 1::bigint, 'davide sees exactly his own privacy request');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.notification_preferences$q$), 1::bigint, 'davide sees exactly his own preferences');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.push_notification_tokens$q$), 1::bigint, 'davide sees exactly his own push token');
SELECT pg_temp.eq(pg_temp.row_count($q$
    SELECT * FROM (SELECT user_id FROM public.device_connections UNION ALL SELECT user_id FROM public.consents
    UNION ALL SELECT user_id FROM public.privacy_requests UNION ALL SELECT user_id FROM public.notification_preferences
    UNION ALL SELECT user_id FROM public.push_notification_tokens) AS t WHERE user_id <> auth.uid()$q$), 0::bigint,
                  'davide sees no other user''s row in any of the five tables');

-- B cannot write A's rows either
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.device_connections SET last_error = 'x' WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'davide updates none of sara''s device_connections');
SELECT pg_temp.fails($q$INSERT INTO public.device_connections (user_id, provider) VALUES ('20000000-0000-4000-8000-000000000004', 'oura')$q$,
                     '42501', 'new row violates row-level security policy for table "device_connections"',
                     'davide cannot create a device connection for sara');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted) VALUES ('20000000-0000-4000-8000-000000000004', 'marketing_email', true)$q$,
                     '42501', 'new row violates row-level security policy for table "consents"',
                     'davide cannot record a consent for sara');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.notification_preferences SET marketing_enabled = true WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 0::bigint,
                  'davide updates none of sara''s notification_preferences');

-- ---- A = sara sees her own rows
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_connections$q$), 2::bigint, 'sara sees her 2 device connections');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.consents$q$), 5::bigint, 'sara sees her 5 consents');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.privacy_requests$q$), 1::bigint, 'sara sees her privacy request');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.notification_preferences$q$), 1::bigint, 'sara sees her preferences');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.push_notification_tokens$q$), 1::bigint, 'sara sees her push token');

-- ---- staff (giulia, officer of sara's gym) and the owner (marco) see no member's rows
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_connections WHERE user_id <> auth.uid()$q$), 0::bigint,
                  'officer giulia sees no member''s device_connections (departure from reference)');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.consents WHERE user_id <> auth.uid()$q$), 0::bigint, 'officer giulia sees no member''s consents');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.privacy_requests WHERE user_id <> auth.uid()$q$), 0::bigint, 'officer giulia sees no member''s privacy_requests');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_connections WHERE user_id <> auth.uid()$q$), 0::bigint,
                  'owner marco sees no member''s device_connections');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.push_notification_tokens WHERE user_id <> auth.uid()$q$), 0::bigint,
                  'owner marco sees no member''s push tokens');

-- ---- authenticated with no sub sees nothing
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_connections$q$), 0::bigint, 'no sub: no device_connections');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.consents$q$), 0::bigint, 'no sub: no consents');

-- ---- anonymous has no privileges on these tables
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.device_connections$q$, '42501', 'permission denied for table device_connections', 'anon cannot read device_connections');
SELECT pg_temp.fails($q$SELECT * FROM public.consents$q$, '42501', 'permission denied for table consents', 'anon cannot read consents');
SELECT pg_temp.fails($q$SELECT * FROM public.privacy_requests$q$, '42501', 'permission denied for table privacy_requests', 'anon cannot read privacy_requests');
SELECT pg_temp.fails($q$SELECT * FROM public.notification_preferences$q$, '42501', 'permission denied for table notification_preferences', 'anon cannot read notification_preferences');
SELECT pg_temp.fails($q$SELECT * FROM public.push_notification_tokens$q$, '42501', 'permission denied for table push_notification_tokens', 'anon cannot read push_notification_tokens');

-- ---- service role reads everything
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.device_connections$q$), 4::bigint, 'service sees all 4 device connections');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.push_notification_tokens$q$), 2::bigint, 'service sees both push tokens');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.privacy_requests$q$), 7::bigint, 'service sees all 7 privacy requests');

ROLLBACK;
