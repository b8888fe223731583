-- Item 14 (bookings side): gap closure enforce_class_booking_rules (03 §1.8) and the class_bookings RLS.
-- The reference let members book themselves into full classes and mark themselves attended.
-- Seed classes (BZone unless noted): 01 HIIT Lunch (capacity 2, full: sara, chiara; window T-7 d 12:30 ..
-- T+1 d 12:00), 02 Mobility Flow (12, 3 booked), 03 Strongman Saturday (cancelled), 04 Morning Engine
-- (completed; sara attended …0206, troll_tom no_show …0208), 05 Pilates Core (Wellness Zone, private).

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);

SET LOCAL ROLE authenticated;
-- ---- troll_tom (member) books Mobility Flow
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.class_bookings (class_id, user_id, booked_at)
    VALUES ('30000000-0000-4000-8000-000000000102', auth.uid(), '2020-01-01')$q$), 1::bigint, 'a member books a scheduled class with free seats');
SELECT pg_temp.eq((SELECT status::text || ' ' || source_channel || ' ' || (booked_at = public.app_now())
                   FROM public.class_bookings WHERE class_id = '30000000-0000-4000-8000-000000000102' AND user_id = auth.uid()),
                  'booked app true', 'booked, default source app, booked_at is the clock''s (not back-dated)');
-- negative cases
SELECT pg_temp.fails($q$INSERT INTO public.class_bookings (class_id, user_id) VALUES ('30000000-0000-4000-8000-000000000101', auth.uid())$q$,
                     'KX409', 'Class is full; join the waitlist', 'a full class: Class is full; join the waitlist');
SELECT pg_temp.fails($q$INSERT INTO public.class_bookings (class_id, user_id) VALUES ('30000000-0000-4000-8000-000000000103', auth.uid())$q$,
                     'KX409', 'Class is not open for booking', 'a cancelled class is not open');
SELECT pg_temp.fails($q$INSERT INTO public.class_bookings (class_id, user_id) VALUES ('30000000-0000-4000-8000-000000000105', auth.uid())$q$,
                     'KX409', 'Class is not open for booking', 'a class of a private gym the member cannot see is not open');
SELECT pg_temp.fails($q$INSERT INTO public.class_bookings (class_id, user_id, status) VALUES ('30000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000009', 'booked')$q$,
                     '42501', 'new row violates row-level security policy for table "class_bookings"', 'a member cannot book for someone else');
-- no self-attendance
SELECT pg_temp.fails($q$UPDATE public.class_bookings SET status = 'attended' WHERE class_id = '30000000-0000-4000-8000-000000000102' AND user_id = auth.uid()$q$,
                     'KX403', 'Members can only book or cancel their own booking', 'a member cannot mark herself attended');
SELECT pg_temp.fails($q$UPDATE public.class_bookings SET checked_in_at = public.app_now() WHERE class_id = '30000000-0000-4000-8000-000000000102' AND user_id = auth.uid()$q$,
                     'KX403', 'Members can only book or cancel their own booking', 'a member cannot stamp her own check-in');
SELECT pg_temp.fails($q$UPDATE public.class_bookings SET status = 'cancelled' WHERE id = '30000000-0000-4000-8000-000000000208'$q$,
                     'KX403', 'Members can only book or cancel their own booking', 'troll_tom cannot erase his no_show by cancelling');
SELECT pg_temp.fails($q$UPDATE public.class_bookings SET status = 'booked' WHERE id = '30000000-0000-4000-8000-000000000208'$q$,
                     'KX403', 'Members can only book or cancel their own booking', 'troll_tom cannot turn his no_show into a booking');
SELECT pg_temp.fails($q$UPDATE public.class_bookings SET class_id = '30000000-0000-4000-8000-000000000101' WHERE class_id = '30000000-0000-4000-8000-000000000102' AND user_id = auth.uid()$q$,
                     'KX403', 'Members can only book or cancel their own booking', 'a booking cannot be moved to another (full) class');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_bookings SET status = 'cancelled' WHERE user_id <> auth.uid()$q$), 0::bigint,
                  'a member cannot cancel other members'' bookings');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.class_bookings WHERE user_id = auth.uid()$q$), 0::bigint,
                  'a member cannot delete bookings (service only)');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.class_bookings$q$), 2::bigint, 'a member sees only his own bookings');
-- cancel and re-book
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_bookings SET status = 'cancelled' WHERE class_id = '30000000-0000-4000-8000-000000000102' AND user_id = auth.uid()$q$),
                  1::bigint, 'a member cancels her own booking');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_bookings SET status = 'booked' WHERE class_id = '30000000-0000-4000-8000-000000000102' AND user_id = auth.uid()$q$),
                  1::bigint, 'and books again while seats are free');

-- ---- the booking window of HIIT Lunch (checked with a free seat)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
UPDATE public.class_bookings SET status = 'cancelled' WHERE id = '30000000-0000-4000-8000-000000000202';
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000015","role":"authenticated"}', true);
SELECT set_config('kruxt.now', (SELECT (booking_closes_at + interval '1 minute')::text FROM public.gym_classes WHERE id = '30000000-0000-4000-8000-000000000101'), true);
SELECT pg_temp.fails($q$INSERT INTO public.class_bookings (class_id, user_id) VALUES ('30000000-0000-4000-8000-000000000101', auth.uid())$q$,
                     'KX409', 'Class is not open for booking', 'after booking_closes_at the class is not open');
SELECT set_config('kruxt.now', (SELECT (booking_opens_at - interval '1 minute')::text FROM public.gym_classes WHERE id = '30000000-0000-4000-8000-000000000101'), true);
SELECT pg_temp.fails($q$INSERT INTO public.class_bookings (class_id, user_id) VALUES ('30000000-0000-4000-8000-000000000101', auth.uid())$q$,
                     'KX409', 'Class is not open for booking', 'before booking_opens_at the class is not open');
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.class_bookings (class_id, user_id) VALUES ('30000000-0000-4000-8000-000000000101', auth.uid())$q$),
                  1::bigint, 'inside the window, with the freed seat, hanna books HIIT Lunch');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.class_bookings SET status = 'booked' WHERE id = '30000000-0000-4000-8000-000000000202'$q$,
                     'KX409', 'Class is full; join the waitlist', 'chiara cannot re-book her cancelled seat once it is taken');
-- a member of the other gym (and anyone) may book a public gym's class; nobody books into a private one unseen
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.class_bookings (class_id, user_id) VALUES ('30000000-0000-4000-8000-000000000102', auth.uid())$q$),
                  1::bigint, 'fede (Wellness Zone) books a class of the public BZone');

-- ---- staff are not bound by the member rules (03 §1.8): overbook, mark attended
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.class_bookings (class_id, user_id, status, source_channel)
    VALUES ('30000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000016', 'booked', 'admin_panel')$q$), 1::bigint,
                  'coach books leo into the full class (staff upsert)');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.class_bookings (class_id, user_id, status, source_channel)
    VALUES ('30000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000016', 'booked', 'admin_panel')
    ON CONFLICT (class_id, user_id) DO UPDATE SET status = EXCLUDED.status, source_channel = EXCLUDED.source_channel$q$), 1::bigint,
                  'upsertClassBookingByStaff is idempotent on (class, user)');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_bookings SET status = 'attended', checked_in_at = public.app_now()
    WHERE id = '30000000-0000-4000-8000-000000000201'$q$), 1::bigint, 'coach marks sara attended');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.class_bookings WHERE class_id = '30000000-0000-4000-8000-000000000101'$q$), 4::bigint,
                  'staff see every booking of the class');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_bookings SET status = 'cancelled' WHERE class_id = '30000000-0000-4000-8000-000000000105'$q$), 0::bigint,
                  'BZone staff cannot touch Wellness Zone bookings');
SELECT pg_temp.fails($q$INSERT INTO public.class_bookings (class_id, user_id) VALUES ('30000000-0000-4000-8000-000000000105', '20000000-0000-4000-8000-000000000004')$q$,
                     'KX409', 'Class is not open for booking',
                     'BZone staff cannot book into Wellness Zone classes (the member rules, which run before the RLS check, refuse it)');

-- ---- classes: read if the gym is viewable, write if staff
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_classes$q$), 4::bigint, 'sara sees the 4 BZone classes, not the private gym''s');
SELECT pg_temp.fails($q$INSERT INTO public.gym_classes (gym_id, title, capacity, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', 'Sara''s class', 5, now(), now() + interval '1 hour')$q$,
                     '42501', 'new row violates row-level security policy for table "gym_classes"', 'a member cannot create classes');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET capacity = 99$q$), 0::bigint, 'a member cannot edit classes');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_classes$q$), 0::bigint, 'a member cannot delete classes');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.gym_classes$q$, '42501', NULL, 'anonymous reads no classes');
SELECT pg_temp.fails($q$SELECT * FROM public.class_bookings$q$, '42501', NULL, 'anonymous reads no bookings');

ROLLBACK;
