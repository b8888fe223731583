-- Item 153 (database side): the selected member's profile panel timeline (03 §5.1 step 6) is built from
-- the membership (started_at), the newest subscription (updated_at), up to 10 check-ins (newest first) and
-- the open privacy request count. The entries and tones are assembled in Rust; here: the facts, their
-- times and their order for chiara (membership + past_due subscription + open privacy request), sara
-- (active subscription + allowed check-in) and troll_tom (denied check-in), as the staff caller sees them.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);

CREATE TEMP VIEW timeline AS
WITH m AS (SELECT * FROM public.gym_memberships WHERE gym_id = '10000000-0000-4000-8000-000000000001'),
sub AS (SELECT DISTINCT ON (user_id) * FROM public.member_subscriptions WHERE gym_id = '10000000-0000-4000-8000-000000000001'
        ORDER BY user_id, created_at DESC, id DESC),
chk AS (SELECT *, row_number() OVER (PARTITION BY user_id ORDER BY checked_in_at DESC, id DESC) AS n
        FROM public.gym_checkins WHERE gym_id = '10000000-0000-4000-8000-000000000001'),
prv AS (SELECT user_id, count(*) AS open_requests FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001') GROUP BY user_id)
SELECT m.user_id, 'membership:' || m.id AS entry_id, coalesce(m.started_at, p.created_at, 'epoch'::timestamptz) AS occurred_at,
       CASE WHEN m.membership_status IN ('trial', 'active') THEN 'positive' ELSE 'warning' END AS tone
FROM m JOIN public.profiles p ON p.id = m.user_id
UNION ALL
SELECT s.user_id, 'subscription:' || s.id, s.updated_at,
       CASE WHEN s.status IN ('active', 'trialing') THEN 'positive' WHEN s.status IN ('past_due', 'unpaid') THEN 'critical' ELSE 'warning' END
FROM sub s JOIN m ON m.user_id = s.user_id
UNION ALL
SELECT c.user_id, 'checkin:' || m.id || ':' || c.checked_in_at, c.checked_in_at,
       CASE WHEN c.result = 'allowed' THEN 'positive' ELSE 'warning' END
FROM chk c JOIN m ON m.user_id = c.user_id WHERE c.n <= 10
UNION ALL
SELECT pr.user_id, 'privacy:' || m.id, public.app_now(), 'warning'
FROM prv pr JOIN m ON m.user_id = pr.user_id WHERE pr.open_requests > 0;
GRANT SELECT ON timeline TO PUBLIC;

SELECT pg_temp.eq((SELECT string_agg(split_part(entry_id, ':', 1) || '/' || tone || '/T'
                                     || ((occurred_at AT TIME ZONE 'Europe/Rome')::date - (current_setting('test.anchor')::timestamptz AT TIME ZONE 'Europe/Rome')::date),
                                     ', ' ORDER BY occurred_at DESC)
                   FROM timeline WHERE user_id = '20000000-0000-4000-8000-000000000008'),
                  'privacy/warning/T0, subscription/critical/T-3, membership/positive/T-50',
                  'chiara: open privacy request (now), past_due subscription (critical), active membership');
SELECT pg_temp.eq((SELECT string_agg(split_part(entry_id, ':', 1) || '/' || tone, ', ' ORDER BY occurred_at DESC)
                   FROM timeline WHERE user_id = '20000000-0000-4000-8000-000000000004'),
                  'checkin/positive, subscription/positive, membership/positive', 'sara: allowed check-in (T-2 d), active subscription (T-9 d), membership');
SELECT pg_temp.eq((SELECT string_agg(split_part(entry_id, ':', 1) || '/' || tone, ', ' ORDER BY occurred_at DESC)
                   FROM timeline WHERE user_id = '20000000-0000-4000-8000-000000000010'),
                  'checkin/warning, membership/positive', 'troll_tom: the denied check-in is a warning');
SELECT pg_temp.eq((SELECT string_agg(split_part(entry_id, ':', 1) || '/' || tone, ', ' ORDER BY occurred_at DESC)
                   FROM timeline WHERE user_id = '20000000-0000-4000-8000-000000000007'),
                  'membership/warning', 'paolo (pending): membership only, from his profile''s created_at');
SELECT pg_temp.eq((SELECT entry_id FROM timeline WHERE user_id = '20000000-0000-4000-8000-000000000006' AND entry_id LIKE 'checkin:%'),
                  'checkin:a0000000-0000-4000-8000-000000000106:' || (SELECT checked_in_at::text FROM public.gym_checkins WHERE id = '30000000-0000-4000-8000-000000000403'),
                  'check-in entry id: checkin:<membershipId>:<checkedInAt>');

-- a new check-in and a subscription change move to the top
INSERT INTO public.gym_checkins (gym_id, user_id, membership_id, event_type, result, source_channel, checked_in_at)
VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000008', 'a0000000-0000-4000-8000-000000000108',
        'frontdesk_checkin', 'allowed', 'admin_panel', public.app_now() - interval '1 hour');
SELECT pg_temp.eq((SELECT string_agg(split_part(entry_id, ':', 1), ', ' ORDER BY occurred_at DESC) FROM timeline WHERE user_id = '20000000-0000-4000-8000-000000000008'),
                  'privacy, checkin, subscription, membership', 'chiara''s new check-in (an hour ago) sits below the privacy entry (now)');

-- members cannot build another member's panel
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_checkins WHERE user_id = '20000000-0000-4000-8000-000000000008'$q$)
                  + pg_temp.row_count($q$SELECT * FROM public.member_subscriptions WHERE user_id = '20000000-0000-4000-8000-000000000008'$q$), 0::bigint,
                  'sara reads none of chiara''s timeline sources');

ROLLBACK;
