-- Item 121: staff with staff.shifts.manage can create/update shifts; staff without it are denied by RLS (01 §6.1).
-- Item 122: the shift assignment trigger rejects non-staff users (member role or inactive memberships), for every role.
-- Actors: giulia_rossi (02, officer: has the permission), luca_ferrari (03, coach: lacks it by default),
-- marco_bianchi (01, owner), sara_conti (04, member), marta_villa (12, coach of the other gym).
-- Seeded shift: c0000000-0000-4000-8000-000000000101 (luca, tomorrow 08:00-14:00, created by giulia).

BEGIN;

-- ================================================================ item 121
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.staff_shifts (id, gym_id, staff_user_id, created_by, title, starts_at, ends_at)
    VALUES ('c0000000-0000-4000-8000-000000000199', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', auth.uid(),
            'Evening floor', now() + interval '2 days', now() + interval '2 days 4 hours')$q$), 1::bigint,
                  'officer (staff.shifts.manage) creates a shift');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_shifts SET status = 'confirmed', notes = 'confirmed by phone'
    WHERE id = 'c0000000-0000-4000-8000-000000000199'$q$), 1::bigint, 'officer updates the shift');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.staff_shifts WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 2::bigint,
                  'officer sees every BZone shift');
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', now() + interval '3 days', now() + interval '2 days')$q$,
                     '23514', NULL, 'ends_at must be after starts_at');
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000012', now(), now() + interval '1 hour')$q$,
                     '42501', 'new row violates row-level security policy for table "staff_shifts"', 'officer of BZone cannot schedule Wellness Zone');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', now() + interval '5 days', now() + interval '5 days 2 hours')$q$,
                     '42501', 'new row violates row-level security policy for table "staff_shifts"', 'coach without staff.shifts.manage cannot create a shift');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_shifts SET ends_at = ends_at + interval '2 hours'$q$), 0::bigint,
                  'coach cannot update shifts, not even his own');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.staff_shifts$q$), 0::bigint, 'coach cannot delete shifts');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.staff_shifts$q$), 2::bigint, 'coach reads his own two shifts');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.staff_shifts$q$), 0::bigint, 'a member reads no shifts');
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', now(), now() + interval '1 hour')$q$,
                     '42501', NULL, 'a member cannot create a shift');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.staff_shifts$q$), 0::bigint, 'the other gym''s coach reads no BZone shifts');

-- the owner always can; an override grants the coach at once (item 127)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', 'staff.shifts.manage', true)$q$), 1::bigint,
                  'owner grants luca staff.shifts.manage');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, created_by, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', auth.uid(), now() + interval '6 days', now() + interval '6 days 3 hours')$q$),
                  1::bigint, 'with the override the coach creates a shift');
-- an override can also take the permission away from an officer
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', 'staff.shifts.manage', false)$q$), 1::bigint,
                  'owner denies giulia staff.shifts.manage');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', now() + interval '7 days', now() + interval '7 days 1 hour')$q$,
                     '42501', NULL, 'an override denies a permission the officer role grants');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.staff_shifts$q$), 1::bigint, 'giulia now sees only the shift assigned to her');

-- ================================================================ item 122
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004', now(), now() + interval '1 hour')$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'a member cannot be assigned a shift');
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000007', now(), now() + interval '1 hour')$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'a pending member cannot be assigned a shift');
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000012', now(), now() + interval '1 hour')$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'staff of another gym cannot be assigned a shift');
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000014', now(), now() + interval '1 hour')$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'a user without membership cannot be assigned a shift');
SELECT pg_temp.fails($q$UPDATE public.staff_shifts SET staff_user_id = '20000000-0000-4000-8000-000000000004' WHERE id = 'c0000000-0000-4000-8000-000000000101'$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'a shift cannot be reassigned to a member');
-- a coach whose membership becomes inactive, or who is demoted to member, is no longer assignable
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'paused' WHERE id = 'a0000000-0000-4000-8000-000000000103'$q$), 1::bigint,
                  'owner pauses luca''s membership');
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', now(), now() + interval '1 hour')$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'a paused coach cannot be assigned a shift');
SELECT pg_temp.fails($q$UPDATE public.staff_shifts SET title = 'Renamed' WHERE id = 'c0000000-0000-4000-8000-000000000101'$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'a paused coach''s shift cannot be edited');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active', role = 'member' WHERE id = 'a0000000-0000-4000-8000-000000000103'$q$), 1::bigint,
                  'owner reactivates luca as a plain member');
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', now(), now() + interval '1 hour')$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'a demoted coach cannot be assigned a shift');
-- the trigger applies to the service role as well
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004', now(), now() + interval '1 hour')$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'service cannot assign a shift to a member');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', now(), now() + interval '1 hour')$q$), 1::bigint,
                  'service assigns a shift to an active officer');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.staff_shifts (gym_id, staff_user_id, starts_at, ends_at)
    VALUES ('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000012', now(), now() + interval '1 hour')$q$), 1::bigint,
                  'service assigns a Wellness Zone shift to its coach');

ROLLBACK;
