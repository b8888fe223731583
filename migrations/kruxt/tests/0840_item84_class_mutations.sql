-- Item 84 (database side): createClass / updateClass / setClassStatus as staff (03 §3, §4). The flow
-- writes gym_classes directly under the caller (RLS: staff of the gym), scoped by id AND gym_id, then
-- reloads the snapshot with the class selected.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);

-- ---- createClass (coach luca): status defaults to scheduled
WITH c AS (
    INSERT INTO public.gym_classes (gym_id, title, capacity, starts_at, ends_at, coach_user_id, description)
    VALUES ('10000000-0000-4000-8000-000000000001', 'Kettlebell Basics', 10, public.app_now() + interval '3 days',
            public.app_now() + interval '3 days 45 minutes', auth.uid(), 'Swings and get-ups')
    RETURNING id)
INSERT INTO ctx SELECT 'kb', id FROM c;
SELECT pg_temp.eq((SELECT status || ' ' || capacity || ' ' || (created_at = public.app_now()) || ' ' || coach_user_id FROM public.gym_classes
                   WHERE id = (SELECT v FROM ctx WHERE k = 'kb')),
                  'scheduled 10 true 20000000-0000-4000-8000-000000000003', 'the new class: scheduled, created now, coach luca');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_classes WHERE gym_id = '10000000-0000-4000-8000-000000000001'), 5::bigint,
                  'the refreshed class list holds 5 classes');
-- invalid input is refused by the table
SELECT pg_temp.fails($q$INSERT INTO public.gym_classes (gym_id, title, capacity, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', 'Zero', 0, now(), now() + interval '1 hour')$q$, '23514', NULL, 'capacity must be > 0');
SELECT pg_temp.fails($q$INSERT INTO public.gym_classes (gym_id, title, capacity, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', 'Backwards', 5, now(), now() - interval '1 hour')$q$, '23514', NULL, 'ends_at must be after starts_at');
SELECT pg_temp.fails($q$INSERT INTO public.gym_classes (gym_id, title, capacity, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', NULL, 5, now(), now() + interval '1 hour')$q$, '23502', NULL, 'title is required');
SELECT pg_temp.fails($q$INSERT INTO public.gym_classes (gym_id, title, capacity, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000002', 'Elsewhere', 5, now(), now() + interval '1 hour')$q$,
                     '42501', 'new row violates row-level security policy for table "gym_classes"', 'staff cannot create classes in another gym');

-- ---- updateClass: only the supplied fields change; scoped by id and gym
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET capacity = 14, description = 'Swings, get-ups, presses'
    WHERE id = (SELECT v FROM pg_temp.ctx WHERE k = 'kb') AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint, 'updateClass');
SELECT pg_temp.eq((SELECT title || ' ' || capacity || ' ' || description || ' ' || status FROM public.gym_classes WHERE id = (SELECT v FROM ctx WHERE k = 'kb')),
                  'Kettlebell Basics 14 Swings, get-ups, presses scheduled', 'other fields are untouched');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET capacity = 1
    WHERE id = (SELECT v FROM pg_temp.ctx WHERE k = 'kb') AND gym_id = '10000000-0000-4000-8000-000000000002'$q$), 0::bigint,
                  'an update scoped to another gym changes nothing (ADMIN_CLASS_UPDATE_FAILED / ADMIN_CLASS_GYM_MISMATCH)');

-- ---- setClassStatus
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET status = 'cancelled'
    WHERE id = (SELECT v FROM pg_temp.ctx WHERE k = 'kb') AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint, 'setClassStatus cancelled');
SELECT pg_temp.fails($q$UPDATE public.gym_classes SET status = 'postponed' WHERE id = (SELECT v FROM pg_temp.ctx WHERE k = 'kb')$q$,
                     '22P02', NULL, 'an unknown status is refused (class_status enum)');
SELECT pg_temp.eq((SELECT id FROM public.gym_classes WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND status = 'scheduled'
                   ORDER BY starts_at, id LIMIT 1), '30000000-0000-4000-8000-000000000101'::uuid,
                  'the default selection is still the first scheduled class');
SELECT pg_temp.fails($q$SELECT public.join_waitlist((SELECT v FROM pg_temp.ctx WHERE k = 'kb'))$q$,
                     'KX409', 'Class is not open for waitlist', 'a cancelled class takes no waitlist entries');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET status = 'scheduled' WHERE id = (SELECT v FROM pg_temp.ctx WHERE k = 'kb')$q$), 1::bigint,
                  'and back to scheduled');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET status = 'completed' WHERE id = '30000000-0000-4000-8000-000000000102'$q$), 1::bigint,
                  'staff complete Mobility Flow');

-- ---- members cannot do any of it
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.gym_classes (gym_id, title, capacity, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', 'Mine', 5, now(), now() + interval '1 hour')$q$,
                     '42501', 'new row violates row-level security policy for table "gym_classes"', 'a member cannot create a class');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET status = 'cancelled' WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 0::bigint,
                  'a member cannot change a class status');
SELECT pg_temp.eq((SELECT status::text FROM public.gym_classes WHERE id = '30000000-0000-4000-8000-000000000101'), 'scheduled', 'HIIT Lunch is unchanged');
-- the new class is visible to members of the public gym
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_classes WHERE title = 'Kettlebell Basics'$q$), 1::bigint, 'members see the new class');

-- ---- a staff member of another gym
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET capacity = 1 WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 0::bigint,
                  'Wellness Zone staff cannot edit BZone classes');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_classes SET capacity = 9 WHERE id = '30000000-0000-4000-8000-000000000105'$q$), 1::bigint,
                  'but edit their own');

ROLLBACK;
