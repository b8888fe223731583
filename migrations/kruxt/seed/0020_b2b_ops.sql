-- KRUXT demo seed, part 2: B2B operations (99 §7; 03): classes, bookings, the waitlist, check-ins with
-- their access logs, waiver/contract acceptances and member billing. Plans, waivers and contracts are in
-- seed/0001_demo_core.sql.
--
-- Runs after every migration and after 0001_demo_core, as a superuser; rows are written as service_role
-- with service claims (RLS bypassed, every trigger runs). T = kruxt_internal.seed_anchor (written by
-- 0001); relative times are T +- n days, wall-clock times in Europe/Rome.
--
-- Fixed ids: 30000000-0000-4000-8000-00000000TTNN (type digit 3 = class, 99 §1), TT = 01 classes,
-- 02 bookings, 03 waitlist entries, 04 check-ins, 05 access logs, 06 waiver acceptances, 07 contract
-- acceptances, 08 member subscriptions, 09 invoices, 10 payment transactions, 11 refunds, 12 dunning events.
--
-- The evidence rows (acceptances) and the check-ins are written directly with their historical times,
-- not through the RPCs: they predate T, and the RPCs would stamp app_now() and write audit rows with the
-- real clock. No audit or outbox rows are written by this file.

SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', false);

-- ---------------------------------------------------------------------------------------------
-- Classes (99 §7)
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.gym_classes (id, gym_id, coach_user_id, title, description, capacity, status, starts_at, ends_at,
                                booking_opens_at, booking_closes_at, created_at, updated_at)
VALUES
    ('30000000-0000-4000-8000-000000000101', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003',
     'HIIT Lunch', '45 minutes of intervals over lunch.', 2, 'scheduled',
     kruxt_internal.seed_at(1, '12:30'), kruxt_internal.seed_at(1, '13:15'),
     kruxt_internal.seed_at(-7, '12:30'), kruxt_internal.seed_at(1, '12:00'),
     kruxt_internal.seed_at(-10), kruxt_internal.seed_at(-10)),
    ('30000000-0000-4000-8000-000000000102', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002',
     'Mobility Flow', 'Joint mobility and breathing.', 12, 'scheduled',
     kruxt_internal.seed_at(2, '18:00'), kruxt_internal.seed_at(2, '19:00'), NULL, NULL,
     kruxt_internal.seed_at(-10), kruxt_internal.seed_at(-10)),
    ('30000000-0000-4000-8000-000000000103', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003',
     'Strongman Saturday', 'Yoke, stones and sled. Cancelled: equipment delivery delayed.', 10, 'cancelled',
     kruxt_internal.seed_at(5, '10:00'), kruxt_internal.seed_at(5, '11:30'), NULL, NULL,
     kruxt_internal.seed_at(-10), kruxt_internal.seed_at(-1)),
    ('30000000-0000-4000-8000-000000000104', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003',
     'Morning Engine', 'Row, bike and run intervals.', 10, 'completed',
     kruxt_internal.seed_at(-2, '07:00'), kruxt_internal.seed_at(-2, '07:45'), NULL, NULL,
     kruxt_internal.seed_at(-10), kruxt_internal.seed_at(-2, '08:00')),
    ('30000000-0000-4000-8000-000000000105', '10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000012',
     'Pilates Core', 'Mat pilates, core focus.', 8, 'scheduled',
     kruxt_internal.seed_at(1, '19:00'), kruxt_internal.seed_at(1, '19:50'), NULL, NULL,
     kruxt_internal.seed_at(-10), kruxt_internal.seed_at(-10));

-- ---------------------------------------------------------------------------------------------
-- Bookings: HIIT Lunch full (sara, chiara), Mobility Flow 3, Morning Engine attended/no_show, and fede
-- at Pilates Core (an addition, for cross-gym checks).
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.class_bookings (id, class_id, user_id, status, booked_at, checked_in_at, source_channel, updated_at)
SELECT format('30000000-0000-4000-8000-0000000002%s', b.nn)::uuid,
       format('30000000-0000-4000-8000-0000000001%s', b.class_nn)::uuid,
       format('20000000-0000-4000-8000-%s', lpad(b.user_nn::text, 12, '0'))::uuid,
       b.status::public.booking_status,
       kruxt_internal.seed_at(b.booked_days, b.booked_time::time),
       CASE WHEN b.checked_in_time IS NULL THEN NULL ELSE kruxt_internal.seed_at(-2, b.checked_in_time::time) END,
       b.channel,
       kruxt_internal.seed_at(b.updated_days, b.booked_time::time)
FROM (VALUES
    ('01', '01',  4, 'booked',   -3, '08:10', NULL,    'app',         -3),
    ('02', '01',  8, 'booked',   -2, '21:40', NULL,    'app',         -2),
    ('03', '02',  4, 'booked',   -1, '07:30', NULL,    'app',         -1),
    ('04', '02', 15, 'booked',   -1, '12:05', NULL,    'app',         -1),
    ('05', '02', 16, 'booked',   -1, '18:20', NULL,    'admin_panel', -1),
    ('06', '04',  4, 'attended', -5, '20:00', '06:55', 'app',         -2),
    ('07', '04',  5, 'attended', -5, '20:15', '06:58', 'app',         -2),
    ('08', '04', 10, 'no_show',  -4, '09:00', NULL,    'app',         -2),
    ('09', '05', 13, 'booked',   -1, '10:00', NULL,    'app',         -1)
) AS b(nn, class_nn, user_nn, status, booked_days, booked_time, checked_in_time, channel, updated_days);

-- Waitlist of HIIT Lunch: elena position 1, davide position 2 (pending).
INSERT INTO public.class_waitlist (id, class_id, user_id, position, status, created_at, updated_at)
VALUES
    ('30000000-0000-4000-8000-000000000301', '30000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000006',
     1, 'pending', kruxt_internal.seed_at(-1, '10:00'), kruxt_internal.seed_at(-1, '10:00')),
    ('30000000-0000-4000-8000-000000000302', '30000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000005',
     2, 'pending', kruxt_internal.seed_at(-1, '11:00'), kruxt_internal.seed_at(-1, '11:00'));

-- ---------------------------------------------------------------------------------------------
-- Check-ins with matching access logs (99 §7): sara door/allowed (app), troll_tom door_denied/denied
-- (kiosk), elena manual_override/override_allowed by giulia (admin_panel).
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.gym_checkins (id, gym_id, user_id, membership_id, class_id, event_type, result, source_channel, note,
                                 checked_in_at, created_by, created_at)
VALUES
    ('30000000-0000-4000-8000-000000000401', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004',
     'a0000000-0000-4000-8000-000000000104', NULL, 'door_checkin', 'allowed', 'app', NULL,
     kruxt_internal.seed_at(-2, '06:52'), NULL, kruxt_internal.seed_at(-2, '06:52')),
    ('30000000-0000-4000-8000-000000000402', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000010',
     'a0000000-0000-4000-8000-000000000110', NULL, 'door_denied', 'denied', 'kiosk', 'Badge not recognised at the front door',
     kruxt_internal.seed_at(-1, '19:05'), NULL, kruxt_internal.seed_at(-1, '19:05')),
    ('30000000-0000-4000-8000-000000000403', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000006',
     'a0000000-0000-4000-8000-000000000106', NULL, 'manual_override', 'override_allowed', 'admin_panel',
     'Trial member, badge not issued yet', kruxt_internal.seed_at(-1, '17:40'), '20000000-0000-4000-8000-000000000002',
     kruxt_internal.seed_at(-1, '17:40'));

INSERT INTO public.access_logs (id, gym_id, user_id, checkin_id, event_type, result, reason, metadata, created_at, created_by)
VALUES
    ('30000000-0000-4000-8000-000000000501', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004',
     '30000000-0000-4000-8000-000000000401', 'door_checkin', 'allowed', NULL,
     '{"source_channel":"app","door":"main"}', kruxt_internal.seed_at(-2, '06:52'), NULL),
    ('30000000-0000-4000-8000-000000000502', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000010',
     '30000000-0000-4000-8000-000000000402', 'door_denied', 'denied', 'badge_not_recognised',
     '{"source_channel":"kiosk","door":"main"}', kruxt_internal.seed_at(-1, '19:05'), NULL),
    ('30000000-0000-4000-8000-000000000503', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000006',
     '30000000-0000-4000-8000-000000000403', 'manual_override', 'override_allowed', 'Trial member, badge not issued yet',
     '{"source_channel":"admin_panel"}', kruxt_internal.seed_at(-1, '17:40'), '20000000-0000-4000-8000-000000000002');

-- ---------------------------------------------------------------------------------------------
-- Acceptance evidence (99 §7): sara waiver + contract (mobile), davide waiver (admin, recorded by giulia)
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.waiver_acceptances (id, waiver_id, user_id, gym_membership_id, accepted_at, source, locale, ip_address,
                                       user_agent, signature_data, created_at)
VALUES
    ('30000000-0000-4000-8000-000000000601', 'b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000004',
     'a0000000-0000-4000-8000-000000000104', kruxt_internal.seed_at(-45, '18:02'), 'mobile', 'it-IT', '192.0.2.44',
     'KRUXT/1.0 (iPhone; iOS 17.3)', '{"method":"typed_name","name":"Sara Conti"}', kruxt_internal.seed_at(-45, '18:02')),
    ('30000000-0000-4000-8000-000000000602', 'b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000005',
     'a0000000-0000-4000-8000-000000000105', kruxt_internal.seed_at(-40, '17:15'), 'admin', 'it-IT', NULL, NULL,
     '{"method":"paper_form","recorded_by":"20000000-0000-4000-8000-000000000002"}', kruxt_internal.seed_at(-40, '17:15'));

INSERT INTO public.contract_acceptances (id, contract_id, user_id, gym_membership_id, accepted_at, source, locale, ip_address,
                                         user_agent, signature_data, created_at)
VALUES
    ('30000000-0000-4000-8000-000000000701', 'b0000000-0000-4000-8000-000000000301', '20000000-0000-4000-8000-000000000004',
     'a0000000-0000-4000-8000-000000000104', kruxt_internal.seed_at(-45, '18:04'), 'mobile', 'it-IT', '192.0.2.44',
     'KRUXT/1.0 (iPhone; iOS 17.3)', '{"method":"typed_name","name":"Sara Conti"}', kruxt_internal.seed_at(-45, '18:04'));

-- ---------------------------------------------------------------------------------------------
-- Member billing (99 §7): sara active (paid invoice, payment, partial refund); chiara past_due (open
-- invoice, failed payment, dunning payment_failed); davide trialing. Amounts in EUR cents, 22 % VAT.
-- ---------------------------------------------------------------------------------------------
INSERT INTO public.member_subscriptions (id, gym_id, user_id, membership_plan_id, status, provider, provider_customer_id,
                                         provider_subscription_id, current_period_start, current_period_end, trial_ends_at,
                                         cancel_at, canceled_at, payment_method_last4, payment_method_brand, metadata,
                                         created_at, updated_at)
VALUES
    ('30000000-0000-4000-8000-000000000801', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004',
     'b0000000-0000-4000-8000-000000000101', 'active', 'stripe', 'cus_demo_sara', 'sub_demo_sara',
     kruxt_internal.seed_at(-9, '00:00'), kruxt_internal.seed_at(21, '00:00'), NULL, NULL, NULL, '4242', 'visa', '{}',
     kruxt_internal.seed_at(-45), kruxt_internal.seed_at(-9, '00:05')),
    ('30000000-0000-4000-8000-000000000802', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000008',
     'b0000000-0000-4000-8000-000000000101', 'past_due', 'stripe', 'cus_demo_chiara', 'sub_demo_chiara',
     kruxt_internal.seed_at(-3, '00:00'), kruxt_internal.seed_at(27, '00:00'), NULL, NULL, NULL, '4444', 'mastercard', '{}',
     kruxt_internal.seed_at(-50), kruxt_internal.seed_at(-3, '00:10')),
    ('30000000-0000-4000-8000-000000000803', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000005',
     'b0000000-0000-4000-8000-000000000101', 'trialing', 'stripe', 'cus_demo_davide', 'sub_demo_davide',
     kruxt_internal.seed_at(-7, '00:00'), kruxt_internal.seed_at(7, '00:00'), kruxt_internal.seed_at(7, '00:00'),
     NULL, NULL, NULL, NULL, '{}', kruxt_internal.seed_at(-7), kruxt_internal.seed_at(-7));

INSERT INTO public.invoices (id, subscription_id, gym_id, user_id, provider_invoice_id, status, currency, subtotal_cents,
                             tax_cents, total_cents, amount_paid_cents, amount_due_cents, due_at, paid_at, invoice_pdf_url,
                             created_at, updated_at)
VALUES
    ('30000000-0000-4000-8000-000000000901', '30000000-0000-4000-8000-000000000801', '10000000-0000-4000-8000-000000000001',
     '20000000-0000-4000-8000-000000000004', 'in_demo_sara_0001', 'paid', 'EUR', 5656, 1244, 6900, 6900, 0,
     kruxt_internal.seed_at(-9, '00:05'), kruxt_internal.seed_at(-9, '00:07'),
     'https://billing.example/invoices/in_demo_sara_0001.pdf', kruxt_internal.seed_at(-9, '00:05'), kruxt_internal.seed_at(-9, '00:07')),
    ('30000000-0000-4000-8000-000000000902', '30000000-0000-4000-8000-000000000802', '10000000-0000-4000-8000-000000000001',
     '20000000-0000-4000-8000-000000000008', 'in_demo_chiara_0001', 'open', 'EUR', 5656, 1244, 6900, 0, 6900,
     kruxt_internal.seed_at(-3, '00:10'), NULL,
     'https://billing.example/invoices/in_demo_chiara_0001.pdf', kruxt_internal.seed_at(-3, '00:05'), kruxt_internal.seed_at(-3, '00:10'));

INSERT INTO public.payment_transactions (id, invoice_id, subscription_id, gym_id, user_id, provider, provider_payment_intent_id,
                                         provider_charge_id, status, payment_method_type, amount_cents, fee_cents, tax_cents,
                                         currency, failure_code, failure_message, captured_at, created_at, updated_at)
VALUES
    ('30000000-0000-4000-8000-000000001001', '30000000-0000-4000-8000-000000000901', '30000000-0000-4000-8000-000000000801',
     '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004', 'stripe', 'pi_demo_sara_0001',
     'ch_demo_sara_0001', 'partially_refunded', 'card', 6900, 129, 0, 'EUR', NULL, NULL,
     kruxt_internal.seed_at(-9, '00:07'), kruxt_internal.seed_at(-9, '00:06'), kruxt_internal.seed_at(-1, '15:00')),
    ('30000000-0000-4000-8000-000000001002', '30000000-0000-4000-8000-000000000902', '30000000-0000-4000-8000-000000000802',
     '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000008', 'stripe', 'pi_demo_chiara_0001',
     'ch_demo_chiara_0001', 'failed', 'card', 6900, 0, 0, 'EUR', 'card_declined', 'Your card was declined.',
     NULL, kruxt_internal.seed_at(-3, '00:08'), kruxt_internal.seed_at(-3, '00:09'));

INSERT INTO public.refunds (id, payment_transaction_id, provider_refund_id, status, amount_cents, currency, reason,
                            processed_at, created_at, updated_at)
VALUES
    ('30000000-0000-4000-8000-000000001101', '30000000-0000-4000-8000-000000001001', 're_demo_sara_0001', 'succeeded', 1000, 'EUR',
     'Goodwill credit: Strongman Saturday was cancelled', kruxt_internal.seed_at(-1, '15:00'),
     kruxt_internal.seed_at(-1, '14:55'), kruxt_internal.seed_at(-1, '15:00'));

INSERT INTO public.dunning_events (id, subscription_id, invoice_id, stage, attempt_number, scheduled_for, sent_at, result, note,
                                   created_at, updated_at)
VALUES
    ('30000000-0000-4000-8000-000000001201', '30000000-0000-4000-8000-000000000802', '30000000-0000-4000-8000-000000000902',
     'payment_failed', 1, kruxt_internal.seed_at(-3, '00:10'), kruxt_internal.seed_at(-3, '00:15'), 'email_sent',
     'Card declined; member notified by email', kruxt_internal.seed_at(-3, '00:10'), kruxt_internal.seed_at(-3, '00:15'));

SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;
