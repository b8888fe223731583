-- Item 85 (database side): promoteWaitlistMember from the ops console (03 §4): the RPC returns the booking
-- id; the refresh (bookings by booked_at, waitlist by position, for the promoted class) shows the new
-- booking with source waitlist_promotion and the entry promoted. Errors map to ADMIN_WAITLIST_PROMOTE_FAILED.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);

-- step 1 (own transaction in the flow): updateClassBookingStatus frees a seat
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_bookings SET status = 'cancelled'
    WHERE id = '30000000-0000-4000-8000-000000000201'
      AND class_id IN (SELECT id FROM public.gym_classes WHERE gym_id = '10000000-0000-4000-8000-000000000001')$q$), 1::bigint,
                  'the owner cancels sara''s HIIT Lunch booking');
-- step 2: promote
INSERT INTO ctx SELECT 'booking', public.promote_waitlist_member('30000000-0000-4000-8000-000000000101');
SELECT pg_temp.ok((SELECT v FROM ctx WHERE k = 'booking') IS NOT NULL, 'promotedBookingId is returned (never null)');
-- step 3: refresh with the promoted class selected
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || b.status || ':' || b.source_channel, ',' ORDER BY b.booked_at, b.id)
                   FROM public.class_bookings b JOIN public.profiles p ON p.id = b.user_id
                   WHERE b.class_id = '30000000-0000-4000-8000-000000000101'),
                  'sara_conti:cancelled:app,chiara_gallo:booked:app,elena_greco:booked:waitlist_promotion',
                  'selectedClassBookings shows elena''s new booking with source waitlist_promotion');
SELECT pg_temp.eq((SELECT id FROM public.class_bookings WHERE class_id = '30000000-0000-4000-8000-000000000101' AND source_channel = 'waitlist_promotion'),
                  (SELECT v FROM ctx WHERE k = 'booking'), 'it is the returned booking');
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || w.position || ':' || w.status, ',' ORDER BY w.position, w.id)
                   FROM public.class_waitlist w JOIN public.profiles p ON p.id = w.user_id
                   WHERE w.class_id = '30000000-0000-4000-8000-000000000101'),
                  'elena_greco:1:promoted,davide_romano:2:pending', 'selectedClassWaitlist shows elena promoted, davide pending');
SELECT pg_temp.eq((SELECT pending_waitlist_entries FROM public.admin_get_gym_ops_summary('10000000-0000-4000-8000-000000000001')), 1,
                  'one pending entry left in the queue summary');

-- elena (the promoted member) sees her booking and her promoted entry
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000006","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT b.status || '/' || w.status FROM public.class_bookings b JOIN public.class_waitlist w USING (class_id, user_id)
                   WHERE b.class_id = '30000000-0000-4000-8000-000000000101'), 'booked/promoted', 'elena sees booked/promoted');

-- failures the flow maps to ADMIN_WAITLIST_PROMOTE_FAILED
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000101')$q$,
                     'KX409', 'Class is still full', 'the class is full again');
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000102')$q$,
                     'KX409', 'No pending waitlist members', 'Mobility Flow has seats but no queue');
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000105')$q$,
                     'KX403', 'Only gym staff can promote waitlist members', 'BZone staff cannot promote in Wellness Zone');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000105')$q$,
                     'KX409', 'No pending waitlist members', 'Wellness Zone staff may promote in their own class');

-- service passes the staff check (workers)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
UPDATE public.class_bookings SET status = 'cancelled' WHERE id = '30000000-0000-4000-8000-000000000202';
INSERT INTO ctx SELECT 'service_booking', public.promote_waitlist_member('30000000-0000-4000-8000-000000000101');
SELECT pg_temp.eq((SELECT user_id FROM public.class_bookings WHERE id = (SELECT v FROM ctx WHERE k = 'service_booking')),
                  '20000000-0000-4000-8000-000000000005'::uuid, 'service promotes davide (next position)');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'class.waitlist_promoted'), 2::bigint, 'two promotion events');
SELECT pg_temp.eq((SELECT string_agg(coalesce(actor_user_id::text, actor_role), ',' ORDER BY append_seq) FROM public.audit_logs WHERE action = 'waitlist.promoted'),
                  '20000000-0000-4000-8000-000000000001,service_role', 'audit rows name the owner, then the service');

ROLLBACK;
