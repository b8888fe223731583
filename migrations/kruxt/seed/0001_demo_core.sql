-- KRUXT demo seed, part 1 (99-seed-data.md), for the tables that exist so far: users, profiles,
-- the two pilot gyms (their 76 default permission rows come from the gym-insert trigger), memberships,
-- RBAC overrides, plans, waivers, contracts, shifts and time entries, KPI snapshots, CRM leads, device
-- connections, webhook events, policy versions, consents and privacy requests.
--
-- Runs after every migration, as a superuser; the data itself is written as service_role with
-- service claims (RLS bypassed, every trigger runs), as 99 §1 prescribes.
-- T (99 §1) = app_now() at seed time: set kruxt.now on the session (e.g. the frozen test anchor
-- 2026-03-09T09:00:00+01:00) before running this file to pin it; it is recorded in
-- kruxt_internal.seed_anchor. Relative times are T +- n days, wall-clock times in Europe/Rome.
--
-- Fixed ids: <type>0000000-0000-4000-8000-<12 hex digits>, see migrations/kruxt/README.md.

INSERT INTO kruxt_internal.seed_anchor (anchor) VALUES (public.app_now());

SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- ---------------------------------------------------------------------------------------------
-- Users (99 §3): auth.users + profiles (+ notification_preferences via trigger)
-- ---------------------------------------------------------------------------------------------
INSERT INTO auth.users (id, email, encrypted_password, raw_user_meta_data, created_at)
SELECT format('20000000-0000-4000-8000-%s', lpad(u.nn::text, 12, '0'))::uuid,
       u.username || '@demo.kruxt.app',
       NULL,
       jsonb_build_object('username', u.username,
                          'display_name', initcap(replace(u.username, '_', ' ')),
                          'locale', u.locale,
                          'timezone', u.tz),
       kruxt_internal.seed_at(-60)
FROM (VALUES
    ( 1, 'marco_bianchi',    'it-IT', 'Europe/Rome'),
    ( 2, 'giulia_rossi',     'it-IT', 'Europe/Rome'),
    ( 3, 'luca_ferrari',     'it-IT', 'Europe/Rome'),
    ( 4, 'sara_conti',       'it-IT', 'Europe/Rome'),
    ( 5, 'davide_romano',    'en-US', 'Europe/Rome'),
    ( 6, 'elena_greco',      'it-IT', 'Europe/Rome'),
    ( 7, 'paolo_marino',     'it-IT', 'Europe/Rome'),
    ( 8, 'chiara_gallo',     'it-IT', 'Europe/Rome'),
    ( 9, 'nico_costa',       'it-IT', 'Europe/Rome'),
    (10, 'troll_tom',        'en-US', 'Europe/Rome'),
    (11, 'anna_ricci',       'it-IT', 'Europe/Rome'),
    (12, 'marta_villa',      'it-IT', 'Europe/Rome'),
    (13, 'fede_lombardi',    'it-IT', 'Europe/Rome'),
    (14, 'jake_miller',      'en-US', 'America/Los_Angeles'),
    (15, 'hanna_held',       'it-IT', 'Europe/Rome'),
    (16, 'leo_export',       'it-IT', 'Europe/Rome'),
    (21, 'fra_founder',      'it-IT', 'Europe/Rome'),
    (22, 'olga_ops',         'en-US', 'Europe/Rome'),
    (23, 'sam_support',      'en-US', 'Europe/Rome'),
    (24, 'carla_compliance', 'it-IT', 'Europe/Rome'),
    (25, 'andy_analyst',     'en-US', 'Europe/Rome'),
    (26, 'rita_readonly',    'en-US', 'Europe/Rome'),
    (27, 'rita_inactive',    'en-US', 'Europe/Rome')
) AS u(nn, username, locale, tz);

INSERT INTO public.profiles (id, username, display_name, is_public, locale, preferred_units, created_at)
SELECT a.id,
       a.raw_user_meta_data ->> 'username',
       a.raw_user_meta_data ->> 'display_name',
       true,
       a.raw_user_meta_data ->> 'locale',
       CASE WHEN a.raw_user_meta_data ->> 'locale' = 'en-US' AND a.raw_user_meta_data ->> 'timezone' = 'America/Los_Angeles'
            THEN 'imperial' ELSE 'metric' END,
       a.created_at
FROM auth.users a
WHERE a.email LIKE '%@demo.kruxt.app'
ORDER BY a.id;

UPDATE public.notification_preferences np
SET timezone = a.raw_user_meta_data ->> 'timezone'
FROM auth.users a
WHERE a.id = np.user_id AND a.email LIKE '%@demo.kruxt.app';

-- ---------------------------------------------------------------------------------------------
-- Gyms (99 §2). The AFTER INSERT trigger seeds 76 role-permission rows for each.
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.gyms (id, slug, name, motto, description, city, country_code, timezone, is_public, owner_user_id, created_at)
VALUES
    ('10000000-0000-4000-8000-000000000001', 'bzone-pavia', 'BZone Pavia', 'Proof counts.',
     'The Pavia pilot gym.', 'Pavia', 'IT', 'Europe/Rome', true,
     '20000000-0000-4000-8000-000000000001', kruxt_internal.seed_at(-90)),
    ('10000000-0000-4000-8000-000000000002', 'wellness-zone-pavia', 'Wellness Zone', NULL,
     'The second pilot gym.', 'Pavia', 'IT', 'Europe/Rome', false,
     '20000000-0000-4000-8000-000000000011', kruxt_internal.seed_at(-90));

UPDATE public.profiles SET home_gym_id = '10000000-0000-4000-8000-000000000001'
WHERE id = '20000000-0000-4000-8000-000000000004';

-- ---------------------------------------------------------------------------------------------
-- Membership plans, waivers, contracts (99 §7)
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.gym_membership_plans (id, gym_id, name, billing_cycle, price_cents, currency, class_credits_per_cycle, cancel_policy)
VALUES
    ('b0000000-0000-4000-8000-000000000101', '10000000-0000-4000-8000-000000000001', 'Monthly Unlimited', 'monthly', 6900, 'EUR', NULL, 'Cancel any time before the next billing date.'),
    ('b0000000-0000-4000-8000-000000000102', '10000000-0000-4000-8000-000000000001', '10-Class Pack', 'dropin', 12000, 'EUR', 10, 'Credits expire after 6 months.'),
    ('b0000000-0000-4000-8000-000000000103', '10000000-0000-4000-8000-000000000002', 'Monthly Wellness', 'monthly', 5500, 'EUR', NULL, 'Cancel any time before the next billing date.');

INSERT INTO public.waivers (id, gym_id, title, policy_version, language_code, document_url, is_active, effective_at, created_by)
VALUES
    ('b0000000-0000-4000-8000-000000000201', '10000000-0000-4000-8000-000000000001', 'Liability Waiver', 'v2026.1', 'it',
     'https://bzonepavia.example/legal/liability-waiver-v2026.1.pdf', true, '2026-01-01T00:00:00+01:00',
     '20000000-0000-4000-8000-000000000001'),
    ('b0000000-0000-4000-8000-000000000202', '10000000-0000-4000-8000-000000000001', 'Liability Waiver', 'v2025.1', 'it',
     'https://bzonepavia.example/legal/liability-waiver-v2025.1.pdf', false, '2025-01-01T00:00:00+01:00',
     '20000000-0000-4000-8000-000000000001');

INSERT INTO public.contracts (id, gym_id, title, policy_version, language_code, document_url, is_active, effective_at, created_by, contract_type)
VALUES
    ('b0000000-0000-4000-8000-000000000301', '10000000-0000-4000-8000-000000000001', 'Membership Agreement', 'v2026.1', 'it',
     'https://bzonepavia.example/legal/membership-agreement-v2026.1.pdf', true, '2026-01-01T00:00:00+01:00',
     '20000000-0000-4000-8000-000000000001', 'membership');

-- ---------------------------------------------------------------------------------------------
-- Memberships (99 §3). id = a0000000-0000-4000-8000-00000000GGUU (gym GG, user UU).
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.gym_memberships (id, gym_id, user_id, role, membership_status, membership_plan_id, started_at, ends_at, created_at)
SELECT format('a0000000-0000-4000-8000-00000000%s%s', lpad(m.g::text, 2, '0'), lpad(m.u::text, 2, '0'))::uuid,
       format('10000000-0000-4000-8000-%s', lpad(m.g::text, 12, '0'))::uuid,
       format('20000000-0000-4000-8000-%s', lpad(m.u::text, 12, '0'))::uuid,
       m.role::public.gym_role,
       m.status::public.membership_status,
       m.plan::uuid,
       CASE WHEN m.started_days IS NULL THEN NULL ELSE kruxt_internal.seed_at(m.started_days) END,
       CASE WHEN m.ended_days IS NULL THEN NULL ELSE kruxt_internal.seed_at(m.ended_days) END,
       kruxt_internal.seed_at(coalesce(m.started_days, -2))
FROM (VALUES
    (1,  1, 'leader',  'active',    NULL,                                   -90, NULL),
    (1,  2, 'officer', 'active',    NULL,                                   -80, NULL),
    (1,  3, 'coach',   'active',    NULL,                                   -80, NULL),
    (1,  4, 'member',  'active',    'b0000000-0000-4000-8000-000000000101', -45, NULL),
    (1,  5, 'member',  'active',    NULL,                                   -40, NULL),
    (1,  6, 'member',  'trial',     NULL,                                    -5, NULL),
    (1,  7, 'member',  'pending',   NULL,                                  NULL, NULL),
    (1,  8, 'member',  'active',    'b0000000-0000-4000-8000-000000000101', -50, NULL),
    (1,  9, 'member',  'cancelled', NULL,                                  -120, -10),
    (1, 10, 'member',  'active',    NULL,                                   -30, NULL),
    (1, 15, 'member',  'active',    NULL,                                   -60, NULL),
    (1, 16, 'member',  'active',    NULL,                                   -60, NULL),
    (2, 11, 'leader',  'active',    NULL,                                   -90, NULL),
    (2, 12, 'coach',   'active',    NULL,                                   -70, NULL),
    (2, 13, 'member',  'active',    'b0000000-0000-4000-8000-000000000103', -35, NULL)
) AS m(g, u, role, status, plan, started_days, ended_days);

-- ---------------------------------------------------------------------------------------------
-- Permission overrides (99 §3)
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.gym_user_permission_overrides (id, gym_id, user_id, permission_key, is_allowed, reason, updated_by)
VALUES
    ('c0000000-0000-4000-8000-000000000501', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002',
     'billing.manage', true, 'Giulia runs member billing', '20000000-0000-4000-8000-000000000001'),
    ('c0000000-0000-4000-8000-000000000502', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003',
     'crm.leads.manage', true, 'Luca follows up trial leads', '20000000-0000-4000-8000-000000000001'),
    ('c0000000-0000-4000-8000-000000000503', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003',
     'ops.waitlist.manage', false, 'Waitlist is handled by the front desk', '20000000-0000-4000-8000-000000000001');

-- ---------------------------------------------------------------------------------------------
-- Workforce (99 §11)
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.staff_shifts (id, gym_id, staff_user_id, created_by, title, shift_role, starts_at, ends_at, status, hourly_rate_cents, notes)
VALUES
    ('c0000000-0000-4000-8000-000000000101', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003',
     '20000000-0000-4000-8000-000000000002', 'Floor + HIIT Lunch', 'coach',
     kruxt_internal.seed_at(1, '08:00'), kruxt_internal.seed_at(1, '14:00'), 'scheduled', 1800, NULL);

INSERT INTO public.staff_time_entries (id, shift_id, gym_id, staff_user_id, clock_in_at, clock_out_at, break_minutes, status, source_channel, note)
VALUES
    ('c0000000-0000-4000-8000-000000000201', NULL, '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003',
     kruxt_internal.seed_at(-1, '08:00'), kruxt_internal.seed_at(-1, '14:00'), 30, 'submitted', 'admin_web', 'Covered the morning floor'),
    ('c0000000-0000-4000-8000-000000000202', NULL, '10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000012',
     kruxt_internal.seed_at(-2.0 / 24), NULL, 0, 'open', 'mobile', NULL);

-- ---------------------------------------------------------------------------------------------
-- KPI snapshots: the last 7 days for both gyms. id = c0000000-0000-4000-8000-00000006GGDD.
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.gym_kpi_daily_snapshots (
    id, gym_id, metric_date, active_members, new_memberships, cancelled_memberships, checkins_count,
    class_bookings_count, class_attendance_count, waitlist_promotions_count, revenue_cents, mrr_cents,
    average_class_fill_rate, average_chain_days)
SELECT format('c0000000-0000-4000-8000-00000006%s%s', lpad(g::text, 2, '0'), lpad(d::text, 2, '0'))::uuid,
       format('10000000-0000-4000-8000-%s', lpad(g::text, 12, '0'))::uuid,
       (kruxt_internal.seed_at(0) AT TIME ZONE 'Europe/Rome')::date - d,
       CASE g WHEN 1 THEN 10 ELSE 2 END,
       CASE WHEN d = 3 THEN 1 ELSE 0 END,
       CASE WHEN g = 1 AND d = 5 THEN 1 ELSE 0 END,
       CASE g WHEN 1 THEN 18 + (d * 7) % 11 ELSE 4 + d % 3 END,
       CASE g WHEN 1 THEN 12 + (d * 5) % 9 ELSE 3 + d % 2 END,
       CASE g WHEN 1 THEN 10 + (d * 5) % 7 ELSE 3 END,
       CASE WHEN g = 1 AND d IN (2, 6) THEN 1 ELSE 0 END,
       CASE g WHEN 1 THEN 6900 * (1 + d % 2) ELSE 5500 * (d % 2) END,
       CASE g WHEN 1 THEN 13800 ELSE 5500 END,
       CASE g WHEN 1 THEN 60 + (d * 13) % 35 ELSE 40 + (d * 3) % 20 END,
       CASE g WHEN 1 THEN 2.5 + d * 0.25 ELSE 1.0 + d * 0.1 END
FROM generate_series(1, 2) AS g, generate_series(1, 7) AS d
ORDER BY g, d;

-- ---------------------------------------------------------------------------------------------
-- CRM (99 §11)
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.gym_crm_leads (id, gym_id, owner_user_id, full_name, email, phone, source, status,
                                  interested_services, tags, trial_starts_at, trial_ends_at, last_contacted_at,
                                  next_follow_up_at, notes, created_by, updated_by, created_at)
VALUES
    ('c0000000-0000-4000-8000-000000000301', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002',
     'Valentina Neri', 'valentina.neri@example.com', '+39 0382 000101', 'walk_in', 'new',
     ARRAY['hiit'], ARRAY['pilot'], NULL, NULL, NULL, kruxt_internal.seed_at(1, '10:00'), 'Asked about the HIIT schedule.',
     '20000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000002', kruxt_internal.seed_at(-1)),
    ('c0000000-0000-4000-8000-000000000302', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003',
     'Matteo Fontana', 'matteo.fontana@example.com', '+39 0382 000102', 'instagram', 'trial_scheduled',
     ARRAY['mobility', 'strength'], ARRAY['pilot', 'trial'], kruxt_internal.seed_at(2, '18:00'), kruxt_internal.seed_at(9, '18:00'),
     kruxt_internal.seed_at(-2, '11:00'), kruxt_internal.seed_at(3, '10:00'), 'Trial week booked.',
     '20000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000003', kruxt_internal.seed_at(-3));

INSERT INTO public.gym_crm_lead_activities (id, lead_id, gym_id, actor_user_id, activity_type, activity_at, summary, details)
VALUES
    ('c0000000-0000-4000-8000-000000000401', 'c0000000-0000-4000-8000-000000000302', '10000000-0000-4000-8000-000000000001',
     '20000000-0000-4000-8000-000000000002', 'call', kruxt_internal.seed_at(-2, '11:00'),
     'Intro call', 'Interested in mobility and strength classes.'),
    ('c0000000-0000-4000-8000-000000000402', 'c0000000-0000-4000-8000-000000000302', '10000000-0000-4000-8000-000000000001',
     '20000000-0000-4000-8000-000000000003', 'trial_booked', kruxt_internal.seed_at(-1, '16:00'),
     'Trial week booked', 'Starts with Mobility Flow.');

-- ---------------------------------------------------------------------------------------------
-- Integrations (99 §10): connections (tokens are opaque placeholders) and webhook events
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.device_connections (id, user_id, provider, status, provider_user_id, scopes, access_token_encrypted,
                                       refresh_token_encrypted, token_expires_at, last_synced_at, last_error, metadata)
VALUES
    ('d0000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000004', 'apple_health', 'active', 'ah-sara-0001',
     ARRAY['workouts', 'heart_rate'], 'enc:v1:sara-apple-access', 'enc:v1:sara-apple-refresh', kruxt_internal.seed_at(30),
     kruxt_internal.seed_at(-1.0 / 24), NULL, '{}'),
    ('d0000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000004', 'garmin', 'revoked', 'gm-sara-0001',
     ARRAY['activities'], NULL, NULL, NULL, kruxt_internal.seed_at(-20), NULL, '{"revoked_reason":"user_disconnected"}'),
    ('d0000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000005', 'garmin', 'active', 'gm-davide-0001',
     ARRAY['activities'], 'enc:v1:davide-garmin-access', 'enc:v1:davide-garmin-refresh', kruxt_internal.seed_at(30),
     kruxt_internal.seed_at(-2), 'Provider timeout', '{}'),
    ('d0000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000014', 'fitbit', 'active', 'fb-jake-0001',
     ARRAY['activity'], 'enc:v1:jake-fitbit-access', 'enc:v1:jake-fitbit-refresh', kruxt_internal.seed_at(30),
     kruxt_internal.seed_at(-3), NULL, '{}');

INSERT INTO public.integration_webhook_events (id, provider, provider_event_id, event_type, payload_hash, payload_json,
                                               processing_status, retry_count, received_at, processed_at)
SELECT e.id::uuid, e.provider::public.integration_provider, e.provider_event_id, e.event_type,
       encode(sha256(convert_to(e.payload::text, 'UTF8')), 'hex'), e.payload,
       e.status::public.integration_processing_status, 0, kruxt_internal.seed_at(e.days), kruxt_internal.seed_at(e.days)
FROM (VALUES
    ('d0000000-0000-4000-8000-000000000201', 'apple_health', 'ah-evt-0001', 'activities.created',
     '{"providerUserId":"ah-sara-0001","activities":[{"id":"ah-act-0001","type":"strength_training"},{"id":"ah-act-0002","type":"walking"}]}'::jsonb,
     'processed', -2),
    ('d0000000-0000-4000-8000-000000000202', 'fitbit', 'fb-evt-0001', 'activities.created',
     '{"providerUserId":"fb-jake-0001","activities":[{"id":"fb-act-0001","type":"run"}]}'::jsonb,
     'ignored', -3)
) AS e(id, provider, provider_event_id, event_type, payload, status, days);

-- ---------------------------------------------------------------------------------------------
-- Policies and consents (99 §4). Policy ids e0000000-0000-4000-8000-0000000001NN; consent ids
-- e0000000-0000-4000-8000-00000002UUNN (NN: 01 terms, 02 privacy, 03 health, 04 marketing, 05 push,
-- 06 user 06's later health-data revocation).
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.policy_version_tracking (id, policy_type, version, label, document_url, effective_at, is_active,
                                            requires_reconsent, change_summary, supersedes_policy_version_id, published_at)
VALUES
    ('e0000000-0000-4000-8000-000000000101', 'terms', '1.0.0', 'Terms of Service 1.0.0',
     'https://kruxt.app/legal/terms/1.0.0', '2026-01-01T00:00:00Z', true, true, 'Initial terms.', NULL, '2025-12-15T00:00:00Z'),
    ('e0000000-0000-4000-8000-000000000102', 'privacy', '1.0.0', 'Privacy Notice 1.0.0',
     'https://kruxt.app/legal/privacy/1.0.0', '2026-01-01T00:00:00Z', true, true, 'Initial privacy notice.', NULL, '2025-12-15T00:00:00Z'),
    ('e0000000-0000-4000-8000-000000000103', 'health_data', '1.0.0', 'Health Data Processing 1.0.0',
     'https://kruxt.app/legal/health_data/1.0.0', '2026-01-01T00:00:00Z', true, true, 'Initial health-data notice.', NULL, '2025-12-15T00:00:00Z'),
    ('e0000000-0000-4000-8000-000000000104', 'privacy', '1.1.0', 'Privacy Notice 1.1.0',
     'https://kruxt.app/legal/privacy/1.1.0', '2026-02-15T00:00:00Z', true, true, 'Adds device integrations.',
     'e0000000-0000-4000-8000-000000000102', '2026-02-01T00:00:00Z'),
    ('e0000000-0000-4000-8000-000000000105', 'terms', '1.1.0', 'Terms of Service 1.1.0',
     'https://kruxt.app/legal/terms/1.1.0', '2026-04-01T00:00:00Z', true, true, 'Updated billing terms.',
     'e0000000-0000-4000-8000-000000000101', '2026-03-01T00:00:00Z');

INSERT INTO public.consents (id, user_id, consent_type, policy_version_id, granted, granted_at, revoked_at, source, locale)
SELECT format('e0000000-0000-4000-8000-00000002%s%s', lpad(u.nn::text, 2, '0'), c.nn)::uuid,
       format('20000000-0000-4000-8000-%s', lpad(u.nn::text, 12, '0'))::uuid,
       c.consent_type::public.consent_type,
       CASE WHEN c.consent_type IN ('privacy', 'marketing_email', 'push_notifications') AND u.nn = 5
            THEN 'e0000000-0000-4000-8000-000000000102'::uuid
            ELSE c.policy_id::uuid END,
       c.granted,
       kruxt_internal.seed_at(-1),
       CASE WHEN c.granted THEN NULL ELSE kruxt_internal.seed_at(-1) END,
       'mobile',
       p.locale
FROM generate_series(1, 16) AS u(nn)
JOIN public.profiles p ON p.id = format('20000000-0000-4000-8000-%s', lpad(u.nn::text, 12, '0'))::uuid
CROSS JOIN (VALUES
    ('01', 'terms',                  'e0000000-0000-4000-8000-000000000101', true),
    ('02', 'privacy',                'e0000000-0000-4000-8000-000000000104', true),
    ('03', 'health_data_processing', 'e0000000-0000-4000-8000-000000000103', true),
    ('04', 'marketing_email',        'e0000000-0000-4000-8000-000000000104', false),
    ('05', 'push_notifications',     'e0000000-0000-4000-8000-000000000104', true)
) AS c(nn, consent_type, policy_id, granted)
ORDER BY u.nn, c.nn;

INSERT INTO public.consents (id, user_id, consent_type, policy_version_id, granted, granted_at, revoked_at, source, locale)
VALUES ('e0000000-0000-4000-8000-000000020606', '20000000-0000-4000-8000-000000000006', 'health_data_processing',
        'e0000000-0000-4000-8000-000000000103', false, kruxt_internal.seed_at(-0.5), kruxt_internal.seed_at(-0.5), 'mobile', 'it-IT');

-- ---------------------------------------------------------------------------------------------
-- Privacy requests (99 §10). id = 70000000-0000-4000-8000-0000000001NN.
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.privacy_requests (id, user_id, request_type, status, reason, submitted_at, due_at, resolved_at,
                                     response_location, handled_by, notes, triaged_at, in_progress_at, sla_breached_at,
                                     response_expires_at, response_content_type, response_bytes)
VALUES
    -- leo: export fulfilled, signed link expiring T+1 d
    ('70000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000016', 'export', 'fulfilled', 'I want a copy of my data',
     kruxt_internal.seed_at(-6), kruxt_internal.seed_at(24), kruxt_internal.seed_at(-5),
     'privacy-exports/20000000-0000-4000-8000-000000000016/70000000-0000-4000-8000-000000000101.json', NULL,
     'Queued by privacy_request_processor', kruxt_internal.seed_at(-6), kruxt_internal.seed_at(-5.5), NULL,
     kruxt_internal.seed_at(1), 'application/json', 48213),
    -- davide: access submitted T-29 d (due in one day: at risk)
    ('70000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000005', 'access', 'submitted', 'Which data do you hold about me?',
     kruxt_internal.seed_at(-29), kruxt_internal.seed_at(1), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    -- elena: rectify triaged
    ('70000000-0000-4000-8000-000000000103', '20000000-0000-4000-8000-000000000006', 'rectify', 'triaged', 'My birth date is wrong',
     kruxt_internal.seed_at(-3), kruxt_internal.seed_at(27), NULL, NULL, '20000000-0000-4000-8000-000000000002',
     'Checking with the member', kruxt_internal.seed_at(-2), NULL, NULL, NULL, NULL, NULL),
    -- chiara: export submitted T-35 d, breached and overdue
    ('70000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000008', 'export', 'submitted', NULL,
     kruxt_internal.seed_at(-35), kruxt_internal.seed_at(-5), NULL, NULL, NULL, NULL, NULL, NULL, kruxt_internal.seed_at(-5),
     NULL, NULL, NULL),
    -- hanna: delete in progress (delete job and legal hold come with area 05)
    ('70000000-0000-4000-8000-000000000105', '20000000-0000-4000-8000-000000000015', 'delete', 'in_progress', 'Please delete my account',
     kruxt_internal.seed_at(-10), kruxt_internal.seed_at(20), NULL, NULL, NULL, 'Queued by privacy_request_processor',
     kruxt_internal.seed_at(-9), kruxt_internal.seed_at(-8), NULL, NULL, NULL, NULL),
    -- history inside the 30-day metrics window: one fulfilled (sara, access), one rejected (nico, export)
    ('70000000-0000-4000-8000-000000000106', '20000000-0000-4000-8000-000000000004', 'access', 'fulfilled', NULL,
     kruxt_internal.seed_at(-20), kruxt_internal.seed_at(10), kruxt_internal.seed_at(-18), NULL, '20000000-0000-4000-8000-000000000002',
     NULL, kruxt_internal.seed_at(-19.5), kruxt_internal.seed_at(-19), NULL, NULL, 'application/json', 2048),
    ('70000000-0000-4000-8000-000000000107', '20000000-0000-4000-8000-000000000009', 'export', 'rejected', NULL,
     kruxt_internal.seed_at(-15), kruxt_internal.seed_at(15), kruxt_internal.seed_at(-14), NULL, '20000000-0000-4000-8000-000000000002',
     'Duplicate of an earlier request', kruxt_internal.seed_at(-14.5), NULL, NULL, NULL, NULL, NULL);

SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;
