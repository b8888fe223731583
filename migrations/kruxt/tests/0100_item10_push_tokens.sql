-- Item 10: push token registration/deactivation is limited to the token owner by RLS (02 §1.6).
-- One policy FOR ALL user_id = auth.uid(): another user's update/deactivate affects 0 rows; inserting a row
-- for another user raises 42501. Actors: sara_conti (04) owns the token, davide_romano (05) tries to touch it.

BEGIN;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
-- registration (registerPushToken upserts on (user_id, device_id))
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.push_notification_tokens (user_id, device_id, platform, push_token)
    VALUES (auth.uid(), 'sara-iphone', 'ios', 'tok-sara-0001')
    ON CONFLICT (user_id, device_id) DO UPDATE SET platform = excluded.platform, push_token = excluded.push_token, is_active = true, last_seen_at = now()$q$),
    1::bigint, 'sara registers her push token');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.push_notification_tokens (user_id, device_id, platform, push_token)
    VALUES (auth.uid(), 'sara-iphone', 'ios', 'tok-sara-0002')
    ON CONFLICT (user_id, device_id) DO UPDATE SET platform = excluded.platform, push_token = excluded.push_token, is_active = true, last_seen_at = now()$q$),
    1::bigint, 'sara re-registers the same device with a rotated token');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.push_notification_tokens (user_id, device_id, platform, push_token)
    VALUES (auth.uid(), 'sara-web', 'web', 'tok-sara-web')$q$), 1::bigint, 'sara registers a second device');
SELECT pg_temp.fails($q$INSERT INTO public.push_notification_tokens (user_id, device_id, platform, push_token)
    VALUES (auth.uid(), 'sara-ipad', 'ios', 'tok-sara-0002')$q$, '23505', NULL, 'a push token is unique per user');
SELECT pg_temp.fails($q$INSERT INTO public.push_notification_tokens (user_id, device_id, platform, push_token)
    VALUES (auth.uid(), 'sara-fridge', 'smartfridge', 'tok-x')$q$, '23514', NULL, 'platform must be ios, android or web');

-- ---- davide tries to touch sara's tokens
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.push_notification_tokens$q$), 0::bigint, 'davide sees no push tokens of sara');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.push_notification_tokens SET is_active = false WHERE device_id = 'sara-iphone'$q$), 0::bigint,
                  'davide cannot deactivate sara''s token by device');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.push_notification_tokens SET is_active = false WHERE push_token = 'tok-sara-0002'$q$), 0::bigint,
                  'davide cannot deactivate sara''s token by token');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.push_notification_tokens SET user_id = auth.uid()$q$), 0::bigint,
                  'davide cannot take over sara''s tokens');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.push_notification_tokens$q$), 0::bigint, 'davide deletes none of sara''s tokens');
SELECT pg_temp.fails($q$INSERT INTO public.push_notification_tokens (user_id, device_id, platform, push_token)
    VALUES ('20000000-0000-4000-8000-000000000004', 'davide-plant', 'android', 'tok-planted')$q$,
    '42501', 'new row violates row-level security policy for table "push_notification_tokens"', 'davide cannot register a token for sara');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.push_notification_tokens (user_id, device_id, platform, push_token)
    VALUES (auth.uid(), 'davide-pixel', 'android', 'tok-sara-0002')$q$), 1::bigint,
    'davide registers his own device (the same token string under another user is another row)');

-- ---- sara's tokens are untouched; she deactivates one herself
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.push_notification_tokens WHERE is_active AND push_token IN ('tok-sara-0002', 'tok-sara-web')$q$),
                  2::bigint, 'sara''s two tokens are still active');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.push_notification_tokens SET is_active = false WHERE device_id = 'sara-web'$q$), 1::bigint,
                  'sara deactivates her own token');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.push_notification_tokens WHERE is_active ORDER BY updated_at DESC, id LIMIT 10$q$), 1::bigint,
                  'sara lists one active token');
SELECT pg_temp.fails($q$UPDATE public.push_notification_tokens SET user_id = '20000000-0000-4000-8000-000000000005' WHERE device_id = 'sara-iphone'$q$,
                     '42501', NULL, 'sara cannot hand her token to davide');

-- ---- notification preferences follow the same single own-row policy
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.notification_preferences SET quiet_hours_start = '22:00', quiet_hours_end = '07:00'$q$), 1::bigint,
                  'sara updates exactly her own preferences');
SELECT pg_temp.fails($q$INSERT INTO public.notification_preferences (user_id) VALUES ('20000000-0000-4000-8000-000000000005')$q$,
                     '42501', NULL, 'sara cannot create preferences for davide');

ROLLBACK;
