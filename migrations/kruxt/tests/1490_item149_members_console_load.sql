-- Item 149 (database side): createPhase5MembersConsoleUiFlow.load (03 §5.1). Step 1 is the staff console
-- snapshot (09 §2), whose upcoming classes and pending waitlist now come from gym_classes / class_waitlist;
-- step 2 reads profiles, member_subscriptions (500, newest first) and gym_checkins (800, newest first);
-- the queue summary comes from admin_get_gym_ops_summary. Rows, segments, search and presets are Rust.
-- Here: the exact queries (README, "Members console") and the per-user facts the rows are built from.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);

-- ---- staff console snapshot: upcoming classes (20, starts_at >= now, ascending) and pending waitlist (50)
SELECT pg_temp.eq((SELECT string_agg(title || ':' || status, ',' ORDER BY starts_at, id) FROM (
                       SELECT id, gym_id, title, status, starts_at, ends_at, capacity FROM public.gym_classes
                       WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND starts_at >= public.app_now()
                       ORDER BY starts_at, id LIMIT 20) c),
                  'HIIT Lunch:scheduled,Mobility Flow:scheduled,Strongman Saturday:cancelled',
                  'upcomingClasses: every class of the gym starting from now on (09 §2 does not filter by status)');
SELECT pg_temp.eq((SELECT string_agg(class_title || ':' || user_id || ':' || position || ':' || status, ',' ORDER BY ord) FROM (
                       SELECT row_number() OVER (ORDER BY w.position, c.starts_at, w.id) AS ord, w.id, w.class_id, c.title AS class_title,
                              c.starts_at AS class_starts_at, w.user_id, w.position, w.status, w.created_at
                       FROM public.class_waitlist w JOIN public.gym_classes c ON c.id = w.class_id
                       WHERE c.gym_id = '10000000-0000-4000-8000-000000000001' AND w.status = 'pending'
                       ORDER BY w.position, c.starts_at, w.id LIMIT 50) q),
                  'HIIT Lunch:20000000-0000-4000-8000-000000000006:1:pending,HIIT Lunch:20000000-0000-4000-8000-000000000005:2:pending',
                  'pendingWaitlist: elena then davide, with class title');

-- ---- queue summary
SELECT pg_temp.eq((SELECT pending_memberships || '/' || pending_waitlist_entries || '/' || open_privacy_requests || '/' || upcoming_classes
                   FROM public.admin_get_gym_ops_summary('10000000-0000-4000-8000-000000000001')),
                  '1/2/4/2', 'queueSummary: 1 pending membership, 2 pending waitlist entries, 4 open privacy requests, 2 upcoming (scheduled) classes');

-- ---- per-user facts (the row builder's inputs)
CREATE TEMP VIEW members_console_rows AS
WITH m AS (SELECT * FROM public.gym_memberships WHERE gym_id = '10000000-0000-4000-8000-000000000001'),
subs AS (SELECT DISTINCT ON (user_id) user_id, status FROM (
             SELECT * FROM public.member_subscriptions WHERE gym_id = '10000000-0000-4000-8000-000000000001'
             ORDER BY created_at DESC, id DESC LIMIT 500) s ORDER BY user_id, created_at DESC, id DESC),
last_checkin AS (SELECT DISTINCT ON (user_id) user_id, checked_in_at FROM (
             SELECT * FROM public.gym_checkins WHERE gym_id = '10000000-0000-4000-8000-000000000001'
             ORDER BY checked_in_at DESC, id DESC LIMIT 800) c ORDER BY user_id, checked_in_at DESC, id DESC),
privacy AS (SELECT user_id, count(*) AS open_requests FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001') GROUP BY user_id)
SELECT p.username, m.role, m.membership_status, s.status AS subscription_status,
       CASE WHEN s.status IN ('past_due', 'unpaid') THEN 'past_due' ELSE m.membership_status::text END AS effective_status,
       m.membership_plan_id, m.started_at AS joined_at, lc.checked_in_at AS last_checkin_at, coalesce(pr.open_requests, 0) AS open_privacy_requests,
       row_number() OVER (ORDER BY m.membership_status, m.role, m.user_id) AS ord
FROM m JOIN public.profiles p ON p.id = m.user_id
LEFT JOIN subs s ON s.user_id = m.user_id
LEFT JOIN last_checkin lc ON lc.user_id = m.user_id
LEFT JOIN privacy pr ON pr.user_id = m.user_id;
GRANT SELECT ON members_console_rows TO PUBLIC;

SELECT pg_temp.eq((SELECT string_agg(username || '=' || effective_status, ',' ORDER BY ord) FROM members_console_rows),
                  'paolo_marino=pending,elena_greco=trial,marco_bianchi=active,giulia_rossi=active,luca_ferrari=active,sara_conti=active,'
                  'davide_romano=active,chiara_gallo=past_due,troll_tom=active,hanna_held=active,leo_export=active,nico_costa=cancelled',
                  'rows in staff-console order with effectiveStatus (chiara past_due from her subscription)');
SELECT pg_temp.eq((SELECT string_agg(username || ':' || subscription_status, ',' ORDER BY ord) FROM members_console_rows WHERE subscription_status IS NOT NULL),
                  'sara_conti:active,davide_romano:trialing,chiara_gallo:past_due', 'subscription status per user (newest subscription)');
SELECT pg_temp.eq((SELECT string_agg(username || ':' || open_privacy_requests, ',' ORDER BY ord) FROM members_console_rows WHERE open_privacy_requests > 0),
                  'elena_greco:1,davide_romano:1,chiara_gallo:1,hanna_held:1', 'open privacy requests per user');
SELECT pg_temp.eq((SELECT string_agg(username, ',' ORDER BY ord) FROM members_console_rows WHERE last_checkin_at IS NOT NULL),
                  'elena_greco,sara_conti,troll_tom', 'users with a last check-in');
SELECT pg_temp.eq((SELECT string_agg(s || '=' || n, ',') FROM (
                       SELECT s, (SELECT count(*) FROM members_console_rows WHERE s = 'all' OR effective_status = s) AS n
                       FROM unnest(ARRAY['all', 'pending', 'trial', 'active', 'past_due', 'paused', 'cancelled']) AS s) q),
                  'all=12,pending=1,trial=1,active=8,past_due=1,paused=0,cancelled=1', 'segmentCounts');

-- ---- a member running the same reads sees only herself (the flow's gate denies her first)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000008","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_memberships WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$)
                  || '/' || pg_temp.row_count($q$SELECT * FROM public.member_subscriptions$q$)
                  || '/' || pg_temp.row_count($q$SELECT * FROM public.gym_checkins$q$), '1/1/0', 'chiara reads only her own membership and subscription');
SELECT pg_temp.fails($q$SELECT * FROM members_console_rows$q$, 'KX403', 'Gym staff access is required', 'the privacy part of the load refuses her');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_get_gym_ops_summary('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Gym staff access is required', 'and no queue summary');

ROLLBACK;
