-- Item 83 (database side): createPhase5OpsConsoleUiFlow.load reads, as the staff caller and in one
-- transaction, everything the snapshot holds (03 §4). These are the queries the flow issues (README,
-- "Ops console"); the seeded B2B rows (99 §7) are what it shows. Also: what a non-staff caller would see
-- (the flow's gate denies it first) and the ops summary RPC.

BEGIN;
SET TRANSACTION READ ONLY;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

-- ---- the seed as a whole (99 §7)
SELECT pg_temp.eq((SELECT string_agg(title || ':' || status || ':' || capacity, ',' ORDER BY id) FROM public.gym_classes),
                  'HIIT Lunch:scheduled:2,Mobility Flow:scheduled:12,Strongman Saturday:cancelled:10,Morning Engine:completed:10,Pilates Core:scheduled:8',
                  'seeded classes');
SELECT pg_temp.eq((SELECT to_char(starts_at AT TIME ZONE 'Europe/Rome', 'HH24:MI') || '-' || to_char(ends_at AT TIME ZONE 'Europe/Rome', 'HH24:MI')
                          || ' ' || ((starts_at AT TIME ZONE 'Europe/Rome')::date - (a.anchor AT TIME ZONE 'Europe/Rome')::date)
                   FROM public.gym_classes, kruxt_internal.seed_anchor a WHERE id = '30000000-0000-4000-8000-000000000101'),
                  '12:30-13:15 1', 'HIIT Lunch: T+1 d 12:30-13:15 Rome');
SELECT pg_temp.eq((SELECT string_agg(c.title || ':' || p.username || ':' || b.status, ',' ORDER BY b.id) FROM public.class_bookings b
                   JOIN public.gym_classes c ON c.id = b.class_id JOIN public.profiles p ON p.id = b.user_id),
                  'HIIT Lunch:sara_conti:booked,HIIT Lunch:chiara_gallo:booked,Mobility Flow:sara_conti:booked,Mobility Flow:hanna_held:booked,'
                  'Mobility Flow:leo_export:booked,Morning Engine:sara_conti:attended,Morning Engine:davide_romano:attended,'
                  'Morning Engine:troll_tom:no_show,Pilates Core:fede_lombardi:booked', 'seeded bookings');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || w.position || ':' || w.status, ',' ORDER BY w.position) FROM public.class_waitlist w
                   JOIN public.profiles p ON p.id = w.user_id), 'elena_greco:1:pending,davide_romano:2:pending', 'seeded waitlist');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || s.status, ',' ORDER BY s.id) FROM public.member_subscriptions s JOIN public.profiles p ON p.id = s.user_id),
                  'sara_conti:active,chiara_gallo:past_due,davide_romano:trialing', 'seeded subscriptions');
SELECT pg_temp.eq((SELECT string_agg(provider_invoice_id || ':' || status || ':' || total_cents || ':' || currency, ',' ORDER BY id) FROM public.invoices),
                  'in_demo_sara_0001:paid:6900:EUR,in_demo_chiara_0001:open:6900:EUR', 'seeded invoices');
SELECT pg_temp.eq((SELECT string_agg(status || ':' || amount_cents || ':' || net_cents || ':' || coalesce(failure_code, '-'), ',' ORDER BY id) FROM public.payment_transactions),
                  'partially_refunded:6900:6771:-,failed:6900:6900:card_declined', 'seeded payments (net_cents generated)');
SELECT pg_temp.eq((SELECT string_agg(status || ':' || amount_cents, ',') FROM public.refunds), 'succeeded:1000', 'one partial refund');
SELECT pg_temp.eq((SELECT string_agg(stage || ':' || attempt_number || ':' || result, ',') FROM public.dunning_events), 'payment_failed:1:email_sent',
                  'one dunning event for chiara');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || a.source, ',' ORDER BY a.id) FROM public.waiver_acceptances a JOIN public.profiles p ON p.id = a.user_id),
                  'sara_conti:mobile,davide_romano:admin', 'seeded waiver acceptances');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || a.source, ',') FROM public.contract_acceptances a JOIN public.profiles p ON p.id = a.user_id),
                  'sara_conti:mobile', 'seeded contract acceptance');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type NOT IN ('workout.logged', 'pr.verified', 'consent.recorded', 'rank.updated') AND aggregate_type <> 'security_incident')
                  + (SELECT count(*) FROM public.audit_logs WHERE action <> 'consent.recorded' AND action NOT LIKE 'incident.%'
                     AND NOT (action = 'security.event_outbox' AND metadata ->> 'event_type' = 'consent.recorded')
                     AND coalesce(metadata ->> 'event_type', '') NOT LIKE 'incident.%'), 0::bigint,
                  'the B2B seed wrote no outbox or audit rows (the workouts seed writes its own workout events, the consents, the rank seed and the incident seed theirs)');

-- ---- load, as officer giulia (BZone), one transaction
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(name, ',' ORDER BY price_cents, id) FROM public.gym_membership_plans WHERE gym_id = '10000000-0000-4000-8000-000000000001'),
                  'Monthly Unlimited,10-Class Pack', 'membershipPlans (price ascending, inactive included)');
SELECT pg_temp.eq((SELECT string_agg(title, ',' ORDER BY starts_at, id) FROM (SELECT * FROM public.gym_classes WHERE gym_id = '10000000-0000-4000-8000-000000000001'
                   ORDER BY starts_at, id LIMIT 100) c), 'Morning Engine,HIIT Lunch,Mobility Flow,Strongman Saturday', 'classes (starts_at ascending, 100)');
SELECT pg_temp.eq((SELECT id FROM public.gym_classes WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND status = 'scheduled'
                   ORDER BY starts_at, id LIMIT 1), '30000000-0000-4000-8000-000000000101'::uuid,
                  'default selection: the first scheduled class (HIIT Lunch)');
SELECT pg_temp.eq((SELECT string_agg(user_id::text, ',' ORDER BY booked_at, id) FROM (SELECT * FROM public.class_bookings
                   WHERE class_id = '30000000-0000-4000-8000-000000000101' ORDER BY booked_at, id LIMIT 200) b),
                  '20000000-0000-4000-8000-000000000004,20000000-0000-4000-8000-000000000008', 'selectedClassBookings (booked_at ascending)');
SELECT pg_temp.eq((SELECT string_agg(user_id::text || '@' || position, ',' ORDER BY position, id) FROM (SELECT * FROM public.class_waitlist
                   WHERE class_id = '30000000-0000-4000-8000-000000000101' ORDER BY position, id LIMIT 200) w),
                  '20000000-0000-4000-8000-000000000006@1,20000000-0000-4000-8000-000000000005@2', 'selectedClassWaitlist (position ascending)');
SELECT pg_temp.eq((SELECT string_agg(policy_version, ',' ORDER BY effective_at DESC, id) FROM public.waivers WHERE gym_id = '10000000-0000-4000-8000-000000000001'),
                  'v2026.1,v2025.1', 'waivers (effective_at descending, inactive included)');
SELECT pg_temp.eq((SELECT string_agg(title, ',' ORDER BY effective_at DESC, id) FROM public.contracts WHERE gym_id = '10000000-0000-4000-8000-000000000001'),
                  'Membership Agreement', 'contracts');
SELECT pg_temp.eq((SELECT string_agg(source_channel, ',' ORDER BY checked_in_at DESC, id DESC) FROM (SELECT * FROM public.gym_checkins
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001' ORDER BY checked_in_at DESC, id DESC LIMIT 150) c),
                  'kiosk,admin_panel,app', 'recentCheckins (newest first: troll_tom, elena, sara)');
SELECT pg_temp.eq((SELECT string_agg(result::text, ',' ORDER BY created_at DESC, id DESC) FROM (SELECT * FROM public.access_logs
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001' ORDER BY created_at DESC, id DESC LIMIT 150) l),
                  'denied,override_allowed,allowed', 'recentAccessLogs (newest first)');
SELECT pg_temp.eq((SELECT string_agg(status::text, ',' ORDER BY created_at DESC, id DESC) FROM public.member_subscriptions
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001'), 'trialing,active,past_due', 'subscriptions (created_at descending)');
SELECT pg_temp.eq((SELECT string_agg(status::text, ',' ORDER BY created_at DESC, id DESC) FROM public.invoices
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001'), 'open,paid', 'invoices (newest first)');
SELECT pg_temp.eq((SELECT string_agg(status::text, ',' ORDER BY created_at DESC, id DESC) FROM public.payment_transactions
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001'), 'failed,partially_refunded', 'paymentTransactions (newest first)');
SELECT pg_temp.eq((SELECT string_agg(r.provider_refund_id, ',' ORDER BY r.created_at DESC, r.id DESC) FROM public.refunds r
                   WHERE r.payment_transaction_id IN (SELECT t.id FROM public.payment_transactions t WHERE t.gym_id = '10000000-0000-4000-8000-000000000001')),
                  're_demo_sara_0001', 'refunds via the gym''s transactions');
SELECT pg_temp.eq((SELECT string_agg(d.stage::text, ',' ORDER BY d.created_at DESC, d.id DESC) FROM public.dunning_events d
                   WHERE d.subscription_id IN (SELECT s.id FROM public.member_subscriptions s WHERE s.gym_id = '10000000-0000-4000-8000-000000000001')),
                  'payment_failed', 'dunningEvents via the gym''s subscriptions');
SELECT pg_temp.eq((SELECT to_jsonb(s) - 'gym_id' FROM public.admin_get_gym_ops_summary('10000000-0000-4000-8000-000000000001') s),
                  '{"pending_memberships":1,"active_or_trial_members":10,"upcoming_classes":2,"pending_waitlist_entries":2,"open_privacy_requests":4}'::jsonb,
                  'admin_get_gym_ops_summary for BZone (upcoming = scheduled and not started: HIIT Lunch, Mobility Flow)');
SELECT pg_temp.eq((SELECT to_jsonb(s) - 'gym_id' FROM public.admin_get_gym_ops_summary('10000000-0000-4000-8000-000000000001') s),
                  (SELECT to_jsonb(s) - 'gym_id' FROM public.admin_get_gym_ops_summary('10000000-0000-4000-8000-000000000001') s),
                  'the summary is stable');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_get_gym_ops_summary('10000000-0000-4000-8000-000000000002')$q$,
                     'KX403', 'Gym staff access is required', 'BZone staff cannot read the other gym''s summary');

-- ---- the coach sees the same snapshot (03: "staff"; billing.view is not consulted, see README)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.member_subscriptions WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$)
                  + pg_temp.row_count($q$SELECT * FROM public.invoices$q$) + pg_temp.row_count($q$SELECT * FROM public.dunning_events$q$), 6::bigint,
                  'coach luca reads the gym''s billing telemetry');

-- ---- Wellness Zone staff: nothing of BZone; their own class
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.class_bookings$q$) || '/' || pg_temp.row_count($q$SELECT * FROM public.member_subscriptions$q$)
                  || '/' || pg_temp.row_count($q$SELECT * FROM public.refunds$q$) || '/' || pg_temp.row_count($q$SELECT * FROM public.dunning_events$q$),
                  '1/0/0/0', 'marta sees her gym''s one booking and no BZone billing');

-- ---- non-staff: the gate denies the flow; RLS alone leaves only the caller's own rows
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001'), false, 'chiara is not staff -> ADMIN_STAFF_ACCESS_DENIED');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.member_subscriptions$q$) || '/' || pg_temp.row_count($q$SELECT * FROM public.invoices$q$)
                  || '/' || pg_temp.row_count($q$SELECT * FROM public.payment_transactions$q$) || '/' || pg_temp.row_count($q$SELECT * FROM public.dunning_events$q$)
                  || '/' || pg_temp.row_count($q$SELECT * FROM public.refunds$q$) || '/' || pg_temp.row_count($q$SELECT * FROM public.class_waitlist$q$),
                  '1/1/1/1/0/0', 'chiara sees only her own subscription, invoice, payment, dunning event; no refunds, no waitlist');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.refunds$q$), 1::bigint, 'sara sees the refund of her own payment');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_get_gym_ops_summary('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Gym staff access is required', 'a member cannot read the ops summary');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_get_gym_ops_summary('10000000-0000-4000-8000-000000000001')$q$,
                     'KX401', 'Authentication required', 'anonymous: Authentication required');
SELECT pg_temp.fails($q$SELECT * FROM public.invoices$q$, '42501', NULL, 'anonymous reads no invoices');

ROLLBACK;
