-- Item 14: waitlist promotion books the first pending user by position (03 §2.1, §2.2).
-- Fixed reference failures: promotion takes the lowest position, skips users already booked, never books
-- beyond capacity; members cannot reorder the queue.
-- Seed (99 §7): HIIT Lunch 30000000-0000-4000-8000-000000000101, capacity 2, booked sara (04) and chiara (08,
-- booking …0202); waitlist elena (06) position 1 (…0301), davide (05) position 2 (…0302), both pending.
-- Staff: giulia_rossi (02, officer), luca_ferrari (03, coach; override ops.waitlist.manage = false).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ promotion: errors in order
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000101')$q$,
                     'KX401', 'Authentication required', 'anonymous: Authentication required');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000009999')$q$,
                     'KX404', 'Class not found', 'unknown class: Class not found (checked before the staff check)');
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000101')$q$,
                     'KX403', 'Only gym staff can promote waitlist members', 'member sara cannot promote');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000101')$q$,
                     'KX403', 'Only gym staff can promote waitlist members', 'a coach of the other gym cannot promote');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000101')$q$,
                     'KX409', 'Class is still full', 'a full class: Class is still full');
SELECT pg_temp.eq((SELECT string_agg(status::text, ',' ORDER BY position) FROM public.class_waitlist
                   WHERE class_id = '30000000-0000-4000-8000-000000000101'), 'pending,pending', 'a failed promotion changes nothing');

-- ================================================================ positive: the first pending user by position
-- staff free a seat (chiara cancels at the front desk)
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_bookings SET status = 'cancelled' WHERE id = '30000000-0000-4000-8000-000000000202'$q$),
                  1::bigint, 'staff cancel chiara''s booking: one seat is free');
INSERT INTO ctx SELECT 'elena_booking', public.promote_waitlist_member('30000000-0000-4000-8000-000000000101');
SELECT pg_temp.eq((SELECT user_id FROM public.class_bookings WHERE id = (SELECT v FROM ctx WHERE k = 'elena_booking')),
                  '20000000-0000-4000-8000-000000000006'::uuid, 'the booking returned is elena''s (position 1)');
SELECT pg_temp.eq((SELECT status::text || ' ' || source_channel || ' ' || (booked_at = public.app_now()) FROM public.class_bookings
                   WHERE id = (SELECT v FROM ctx WHERE k = 'elena_booking')),
                  'booked waitlist_promotion true', 'booked, source waitlist_promotion, booked now');
SELECT pg_temp.eq((SELECT status::text || ' ' || (promoted_at = public.app_now()) FROM public.class_waitlist WHERE id = '30000000-0000-4000-8000-000000000301'),
                  'promoted true', 'elena''s entry is promoted with promoted_at');
SELECT pg_temp.eq((SELECT status::text || ' ' || position FROM public.class_waitlist WHERE id = '30000000-0000-4000-8000-000000000302'),
                  'pending 2', 'davide (position 2) is still pending');
SELECT pg_temp.eq((SELECT count(*) FROM public.class_bookings WHERE class_id = '30000000-0000-4000-8000-000000000101' AND status IN ('booked', 'attended')),
                  2::bigint, 'the class is at capacity again');
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000101')$q$,
                     'KX409', 'Class is still full', 'a second promotion does not overbook');

-- outbox and audit
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT aggregate_type || ' ' || aggregate_id || ' ' || payload::text FROM public.event_outbox WHERE event_type = 'class.waitlist_promoted'),
                  'class 30000000-0000-4000-8000-000000000101 ' ||
                  jsonb_build_object('booking_id', (SELECT v FROM ctx WHERE k = 'elena_booking'), 'user_id', '20000000-0000-4000-8000-000000000006')::text,
                  'outbox class.waitlist_promoted (aggregate class, payload {booking_id, user_id})');
SELECT pg_temp.eq((SELECT target_table || ' ' || target_id || ' ' || actor_user_id || ' ' || metadata::text FROM public.audit_logs WHERE action = 'waitlist.promoted'),
                  'class_waitlist 30000000-0000-4000-8000-000000000301 20000000-0000-4000-8000-000000000002 ' ||
                  jsonb_build_object('class_id', '30000000-0000-4000-8000-000000000101', 'booking_id', (SELECT v FROM ctx WHERE k = 'elena_booking'))::text,
                  'audit waitlist.promoted (target the waitlist row, metadata {class_id, booking_id}, actor giulia)');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'security.event_outbox' AND metadata ->> 'event_type' NOT LIKE 'consent.%'), 0::bigint,
                  'class.waitlist_promoted is not a security event (the only security rows are the seeded consents'')');

-- ================================================================ skip users already booked; respect capacity
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000010","role":"authenticated"}', true);
INSERT INTO ctx SELECT 'tom_entry', public.join_waitlist('30000000-0000-4000-8000-000000000101');
SELECT pg_temp.eq((SELECT position FROM public.class_waitlist WHERE id = (SELECT v FROM ctx WHERE k = 'tom_entry')), 3,
                  'troll_tom joins at position 3 (1 + max pending position)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
-- davide (position 2) gets a seat directly from staff and stays pending on the waitlist
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.class_bookings (class_id, user_id, status, source_channel)
    VALUES ('30000000-0000-4000-8000-000000000101', '20000000-0000-4000-8000-000000000005', 'booked', 'admin_panel')$q$), 1::bigint,
                  'staff book davide directly (staff may overbook)');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET capacity = 4 WHERE id = '30000000-0000-4000-8000-000000000101'$q$), 1::bigint,
                  'staff raise the capacity to 4 (3 booked: sara, elena, davide)');
INSERT INTO ctx SELECT 'tom_booking', public.promote_waitlist_member('30000000-0000-4000-8000-000000000101');
SELECT pg_temp.eq((SELECT user_id FROM public.class_bookings WHERE id = (SELECT v FROM ctx WHERE k = 'tom_booking')),
                  '20000000-0000-4000-8000-000000000010'::uuid, 'promotion skips davide (already booked) and books troll_tom (position 3)');
SELECT pg_temp.eq((SELECT status::text FROM public.class_waitlist WHERE id = '30000000-0000-4000-8000-000000000302'), 'pending',
                  'davide''s entry is left pending');
SELECT pg_temp.eq((SELECT count(*) FROM public.class_bookings WHERE class_id = '30000000-0000-4000-8000-000000000101'
                   AND user_id = '20000000-0000-4000-8000-000000000005'), 1::bigint, 'davide still has exactly one booking');
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000101')$q$,
                     'KX409', 'Class is still full', 'capacity 4 reached');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET capacity = 5 WHERE id = '30000000-0000-4000-8000-000000000101'$q$), 1::bigint,
                  'one more seat');
SELECT pg_temp.fails($q$SELECT public.promote_waitlist_member('30000000-0000-4000-8000-000000000101')$q$,
                     'KX409', 'No pending waitlist members', 'only an already booked user is pending: No pending waitlist members');

-- a pending user with an old (cancelled) booking: the booking row is reused (upsert on class, user)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);
SELECT pg_temp.ok(public.join_waitlist('30000000-0000-4000-8000-000000000101') IS NOT NULL, 'chiara (cancelled booking) joins the waitlist');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
-- Spec 03 §2.2 checks staff only; luca's override ops.waitlist.manage = false is not consulted (see README).
SELECT pg_temp.eq(public.promote_waitlist_member('30000000-0000-4000-8000-000000000101'), '30000000-0000-4000-8000-000000000202'::uuid,
                  'coach luca promotes chiara: her existing booking row comes back');
SELECT pg_temp.eq((SELECT status::text || ' ' || source_channel FROM public.class_bookings WHERE id = '30000000-0000-4000-8000-000000000202'),
                  'booked waitlist_promotion', 'the reused booking is booked with source waitlist_promotion');
SELECT pg_temp.eq((SELECT count(*) FROM public.class_bookings WHERE class_id = '30000000-0000-4000-8000-000000000101' AND status IN ('booked', 'attended')),
                  5::bigint, 'exactly capacity (5) seats are taken');

-- ================================================================ join_waitlist
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000015","role":"authenticated"}', true);
INSERT INTO ctx SELECT 'hanna_entry', public.join_waitlist('30000000-0000-4000-8000-000000000101');
SELECT pg_temp.eq((SELECT position || ' ' || status FROM public.class_waitlist WHERE id = (SELECT v FROM ctx WHERE k = 'hanna_entry')),
                  '3 pending', 'hanna joins behind the highest pending position (davide 2) -> 3');
SELECT pg_temp.eq(public.join_waitlist('30000000-0000-4000-8000-000000000101'), (SELECT v FROM ctx WHERE k = 'hanna_entry'),
                  'joining again returns the same entry');
SELECT pg_temp.eq((SELECT position FROM public.class_waitlist WHERE id = (SELECT v FROM ctx WHERE k = 'hanna_entry')), 3,
                  'a pending entry keeps its position when joining again');
-- members cannot jump the queue or promote themselves
SELECT pg_temp.fails($q$UPDATE public.class_waitlist SET position = 1 WHERE user_id = auth.uid()$q$,
                     'KX403', 'Members can only join or leave the waitlist', 'hanna cannot move herself to position 1');
SELECT pg_temp.fails($q$UPDATE public.class_waitlist SET status = 'promoted' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Members can only join or leave the waitlist', 'hanna cannot mark herself promoted');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_waitlist SET position = 1 WHERE user_id <> auth.uid()$q$), 0::bigint,
                  'hanna cannot touch other entries');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.class_waitlist$q$), 1::bigint, 'a member sees only her own entries');
-- leaving and re-joining: back of the queue
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_waitlist SET status = 'cancelled' WHERE user_id = auth.uid()$q$), 1::bigint,
                  'hanna leaves the waitlist');
SELECT pg_temp.eq(public.join_waitlist('30000000-0000-4000-8000-000000000101'), (SELECT v FROM ctx WHERE k = 'hanna_entry'),
                  're-joining reuses the entry (upsert on class, user)');
SELECT pg_temp.eq((SELECT position || ' ' || status FROM public.class_waitlist WHERE id = (SELECT v FROM ctx WHERE k = 'hanna_entry')),
                  '3 pending', 're-join: pending again at 1 + max pending position');
-- a direct insert cannot choose its position
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000016","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.class_waitlist (class_id, user_id, position, status, promoted_at)
    VALUES ('30000000-0000-4000-8000-000000000101', auth.uid(), 1, 'promoted', now())$q$), 1::bigint, 'leo inserts his own entry directly');
SELECT pg_temp.eq((SELECT position || ' ' || status || ' ' || (promoted_at IS NULL) FROM public.class_waitlist WHERE user_id = auth.uid()),
                  '4 pending true', 'a direct insert is placed at the end as pending');
SELECT pg_temp.fails($q$INSERT INTO public.class_waitlist (class_id, user_id, position) VALUES ('30000000-0000-4000-8000-000000000102', '20000000-0000-4000-8000-000000000009', 1)$q$,
                     '42501', NULL, 'nobody inserts an entry for someone else');
-- errors
SELECT pg_temp.fails($q$SELECT public.join_waitlist('30000000-0000-4000-8000-000000000103')$q$,
                     'KX409', 'Class is not open for waitlist', 'a cancelled class: Class is not open for waitlist');
SELECT pg_temp.fails($q$SELECT public.join_waitlist('30000000-0000-4000-8000-000000000104')$q$,
                     'KX409', 'Class is not open for waitlist', 'a completed class: Class is not open for waitlist');
SELECT pg_temp.fails($q$SELECT public.join_waitlist('30000000-0000-4000-8000-000000009999')$q$,
                     'KX404', 'Class not found', 'an unknown class: Class not found');
SELECT pg_temp.fails($q$SELECT public.join_waitlist('30000000-0000-4000-8000-000000000105')$q$,
                     'KX404', 'Class not found', 'a class of a private gym the caller cannot see: Class not found');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.join_waitlist('30000000-0000-4000-8000-000000000101')$q$,
                     'KX401', 'Authentication required', 'anonymous: Authentication required');
SELECT pg_temp.fails($q$SELECT * FROM public.class_waitlist$q$, '42501', NULL, 'anonymous reads no waitlist');
-- fede joins the class of his own (private) gym
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.ok(public.join_waitlist('30000000-0000-4000-8000-000000000105') IS NOT NULL, 'fede joins the Pilates Core waitlist of Wellness Zone');

-- staff see and edit every entry of their gym's classes, nobody else's
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.class_waitlist$q$), 6::bigint, 'BZone staff see the 6 BZone entries, not fede''s');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.class_waitlist SET notified_at = public.app_now(), expires_at = public.app_now() + interval '2 hours'
    WHERE id = '30000000-0000-4000-8000-000000000302'$q$), 1::bigint, 'staff set notified_at and expires_at (updateClassWaitlistEntry)');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.class_waitlist$q$), 0::bigint, 'staff cannot delete entries (service only)');

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'waitlist.joined'), 5::bigint,
                  'waitlist.joined audited for tom, chiara, hanna, hanna''s re-join and fede (no-op join and direct insert: none)');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'waitlist.joined' AND target_table = 'class_waitlist'
                   AND target_id = (SELECT v FROM ctx WHERE k = 'hanna_entry')
                   AND metadata = jsonb_build_object('class_id', '30000000-0000-4000-8000-000000000101')), 2::bigint,
                  'waitlist.joined: target the entry, metadata {class_id}');

ROLLBACK;
