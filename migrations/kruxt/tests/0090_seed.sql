-- The demo seed (99-seed-data.md) as far as its tables exist: the actors scenarios refer to, with fixed ids.

BEGIN;

SELECT pg_temp.eq((SELECT count(*) FROM auth.users WHERE email LIKE '%@demo.kruxt.app'), 23::bigint, '23 demo users (01-16, 21-27)');
SELECT pg_temp.eq((SELECT count(*) FROM public.profiles), 23::bigint, 'a profile for each');
SELECT pg_temp.eq((SELECT count(*) FROM public.notification_preferences), 23::bigint, 'default notification preferences for each');
SELECT pg_temp.eq((SELECT email FROM auth.users WHERE id = '20000000-0000-4000-8000-000000000004'), 'sara_conti@demo.kruxt.app', 'user 04 is sara_conti');
SELECT pg_temp.eq((SELECT username || ' ' || display_name || ' ' || locale FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000014'),
                  'jake_miller Jake Miller en-US', 'user 14 is jake_miller');
SELECT pg_temp.eq((SELECT timezone FROM public.notification_preferences WHERE user_id = '20000000-0000-4000-8000-000000000014'), 'America/Los_Angeles',
                  'jake''s time zone');
SELECT pg_temp.eq((SELECT home_gym_id FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000004'), '10000000-0000-4000-8000-000000000001'::uuid,
                  'sara''s home gym is BZone');

SELECT pg_temp.eq((SELECT string_agg(slug || ':' || is_public || ':' || owner_user_id, ' ' ORDER BY id) FROM public.gyms),
                  'bzone-pavia:true:20000000-0000-4000-8000-000000000001 wellness-zone-pavia:false:20000000-0000-4000-8000-000000000011',
                  'the two pilot gyms and their owners');
SELECT pg_temp.eq((SELECT motto FROM public.gyms WHERE slug = 'bzone-pavia'), 'Proof counts.', 'BZone motto');

SELECT pg_temp.eq((
    SELECT string_agg(p.username || '=' || m.role || '/' || m.membership_status, ',' ORDER BY m.gym_id, m.user_id)
    FROM public.gym_memberships m JOIN public.profiles p ON p.id = m.user_id),
    'marco_bianchi=leader/active,giulia_rossi=officer/active,luca_ferrari=coach/active,sara_conti=member/active,'
    'davide_romano=member/active,elena_greco=member/trial,paolo_marino=member/pending,chiara_gallo=member/active,'
    'nico_costa=member/cancelled,troll_tom=member/active,hanna_held=member/active,leo_export=member/active,'
    'anna_ricci=leader/active,marta_villa=coach/active,fede_lombardi=member/active',
    'memberships with roles and statuses (99 §3)');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_memberships
                   WHERE id <> format('a0000000-0000-4000-8000-00000000%s%s', right(gym_id::text, 2), right(user_id::text, 2))::uuid), 0::bigint,
                  'membership ids follow a0000000-0000-4000-8000-00000000GGUU');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_memberships WHERE membership_status IN ('trial', 'active') AND started_at IS NULL), 0::bigint,
                  'active and trial memberships have started_at');

SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || o.permission_key || '=' || o.is_allowed, ',' ORDER BY o.id)
                   FROM public.gym_user_permission_overrides o JOIN public.profiles p ON p.id = o.user_id),
                  'giulia_rossi:billing.manage=true,luca_ferrari:crm.leads.manage=true,luca_ferrari:ops.waitlist.manage=false', 'seeded overrides');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_role_permissions), 152::bigint, '76 permission rows per gym');
SELECT pg_temp.eq((SELECT string_agg(name || ':' || billing_cycle || ':' || price_cents || ':' || currency, ',' ORDER BY id) FROM public.gym_membership_plans),
                  'Monthly Unlimited:monthly:6900:EUR,10-Class Pack:dropin:12000:EUR,Monthly Wellness:monthly:5500:EUR', 'plans');
SELECT pg_temp.eq((SELECT string_agg(title || ' ' || policy_version || ' ' || language_code || ' ' || is_active, ',' ORDER BY id) FROM public.waivers),
                  'Liability Waiver v2026.1 it true,Liability Waiver v2025.1 it false', 'waivers');
SELECT pg_temp.eq((SELECT title || ' ' || policy_version || ' ' || is_active FROM public.contracts), 'Membership Agreement v2026.1 true', 'contract');

SELECT pg_temp.eq((SELECT to_char(starts_at AT TIME ZONE 'Europe/Rome', 'HH24:MI') || '-' || to_char(ends_at AT TIME ZONE 'Europe/Rome', 'HH24:MI')
                          || ' ' || ((starts_at AT TIME ZONE 'Europe/Rome')::date - (a.anchor AT TIME ZONE 'Europe/Rome')::date)
                   FROM public.staff_shifts, kruxt_internal.seed_anchor a), '08:00-14:00 1', 'luca''s shift: T+1 d 08:00-14:00 Rome');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || e.status, ',' ORDER BY e.id) FROM public.staff_time_entries e JOIN public.profiles p ON p.id = e.staff_user_id),
                  'luca_ferrari:submitted,marta_villa:open', 'time entries');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_kpi_daily_snapshots), 14::bigint, '7 KPI days per gym');
SELECT pg_temp.eq((SELECT max(metric_date) FROM public.gym_kpi_daily_snapshots, kruxt_internal.seed_anchor a),
                  (SELECT (anchor AT TIME ZONE 'Europe/Rome')::date - 1 FROM kruxt_internal.seed_anchor), 'the newest KPI day is yesterday');
SELECT pg_temp.eq((SELECT string_agg(full_name || ':' || status, ',' ORDER BY id) FROM public.gym_crm_leads),
                  'Valentina Neri:new,Matteo Fontana:trial_scheduled', 'CRM leads');
SELECT pg_temp.eq((SELECT string_agg(activity_type, ',' ORDER BY activity_at) FROM public.gym_crm_lead_activities), 'call,trial_booked', 'CRM activities');

SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || d.provider || ':' || d.status, ',' ORDER BY d.id) FROM public.device_connections d
                   JOIN public.profiles p ON p.id = d.user_id),
                  'sara_conti:apple_health:active,sara_conti:garmin:revoked,davide_romano:garmin:active,jake_miller:fitbit:active', 'device connections');
SELECT pg_temp.eq((SELECT string_agg(provider || ':' || processing_status, ',' ORDER BY id) FROM public.integration_webhook_events),
                  'apple_health:processed,fitbit:ignored', 'webhook events');

SELECT pg_temp.eq((SELECT string_agg(policy_type || ' ' || version, ',' ORDER BY id) FROM public.policy_version_tracking),
                  'terms 1.0.0,privacy 1.0.0,health_data 1.0.0,privacy 1.1.0,terms 1.1.0', 'policy versions');
SELECT pg_temp.eq((SELECT count(*) FROM public.consents), 81::bigint, '5 consents for users 01-16 plus elena''s revocation');
SELECT pg_temp.eq((SELECT v.version FROM public.consents c JOIN public.policy_version_tracking v ON v.id = c.policy_version_id
                   WHERE c.user_id = '20000000-0000-4000-8000-000000000005' AND c.consent_type = 'privacy'), '1.0.0', 'davide''s privacy consent is bound to 1.0.0');
SELECT pg_temp.eq((SELECT granted FROM public.consents WHERE user_id = '20000000-0000-4000-8000-000000000006' AND consent_type = 'health_data_processing'
                   ORDER BY granted_at DESC, created_at DESC, id DESC LIMIT 1), false, 'elena''s latest health-data record is a revocation');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || r.request_type || ':' || r.status, ',' ORDER BY r.id) FROM public.privacy_requests r
                   JOIN public.profiles p ON p.id = r.user_id),
                  'leo_export:export:fulfilled,davide_romano:access:submitted,elena_greco:rectify:triaged,chiara_gallo:export:submitted,'
                  'hanna_held:delete:in_progress,sara_conti:access:fulfilled,nico_costa:export:rejected', 'privacy requests');
SELECT pg_temp.eq((SELECT string_agg(action || ':' || n, ',' ORDER BY action)
                   FROM (SELECT action, count(*) AS n FROM public.audit_logs
                         WHERE action NOT LIKE 'incident.%' AND coalesce(metadata ->> 'event_type', '') NOT LIKE 'incident.%'
                         GROUP BY action) AS t),
                  'consent.recorded:81,security.event_outbox:81',
                  'seeding wrote no audit rows but the 2 of each consent (05 §2.1: consent.recorded + security.event_outbox) and the incident''s (seed/0060)');
SELECT pg_temp.eq((SELECT string_agg(event_type || ':' || n, ',' ORDER BY event_type)
                   FROM (SELECT event_type, count(*) AS n FROM public.event_outbox WHERE aggregate_type <> 'security_incident' GROUP BY event_type) AS t),
                  'consent.recorded:81,pr.verified:2,rank.updated:4,workout.logged:7',
                  'the only outbox rows are the seeded workouts'' (area 02 seed), one consent.recorded per seeded consent (area 05 trigger), the four seeded boards'' rebuilds (area 07 seed) and the incident''s (seed/0060)');

ROLLBACK;
