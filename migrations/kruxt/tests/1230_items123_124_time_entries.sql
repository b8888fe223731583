-- Item 123: the time entry trigger rejects mismatched (shift_id, gym_id, staff_user_id) combinations (01 §6.2).
-- Item 124: staff can submit their own time entries but cannot self-approve without staff.time_entries.manage
-- (departure from reference). M = user_has_gym_permission(gym_id, 'staff.time_entries.manage').
-- Actors: giulia_rossi (02, officer: M), luca_ferrari (03, coach: not M), marco_bianchi (01, owner),
-- marta_villa (12, Wellness Zone coach), anna_ricci (11, Wellness Zone owner, made BZone coach below).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

-- fixture (service): anna also coaches at BZone, with a BZone shift
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000011', 'coach', 'active');
INSERT INTO public.staff_shifts (id, gym_id, staff_user_id, starts_at, ends_at) VALUES
    ('c0000000-0000-4000-8000-000000000181', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000011',
     now() - interval '1 day', now() - interval '20 hours');

-- ================================================================ item 123 (as service, so only the trigger decides)
SELECT pg_temp.fails($q$INSERT INTO public.staff_time_entries (gym_id, staff_user_id, clock_in_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004', now())$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'a member cannot have time entries');
SELECT pg_temp.fails($q$INSERT INTO public.staff_time_entries (gym_id, staff_user_id, clock_in_at)
    VALUES ('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000003', now())$q$,
                     'KX422', 'staff_user_id must be active gym staff for this gym', 'luca is not staff of Wellness Zone');
SELECT pg_temp.fails($q$INSERT INTO public.staff_time_entries (shift_id, gym_id, staff_user_id, clock_in_at)
    VALUES ('c0000000-0000-4000-8000-00000000dead', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', now())$q$,
                     'KX422', 'shift_id is invalid', 'an unknown shift is invalid');
SELECT pg_temp.fails($q$INSERT INTO public.staff_time_entries (shift_id, gym_id, staff_user_id, clock_in_at)
    VALUES ('c0000000-0000-4000-8000-000000000181', '10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000011', now())$q$,
                     'KX422', 'shift_id gym does not match gym_id', 'a BZone shift cannot back a Wellness Zone entry');
SELECT pg_temp.fails($q$INSERT INTO public.staff_time_entries (shift_id, gym_id, staff_user_id, clock_in_at)
    VALUES ('c0000000-0000-4000-8000-000000000101', '10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', now())$q$,
                     'KX422', 'shift_id staff does not match staff_user_id', 'luca''s shift cannot back giulia''s entry');
SELECT pg_temp.fails($q$UPDATE public.staff_time_entries SET shift_id = 'c0000000-0000-4000-8000-000000000181'
    WHERE id = 'c0000000-0000-4000-8000-000000000201'$q$,
                     'KX422', 'shift_id staff does not match staff_user_id', 'an update cannot attach someone else''s shift');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.staff_time_entries (id, shift_id, gym_id, staff_user_id, clock_in_at, clock_out_at, break_minutes)
    VALUES ('c0000000-0000-4000-8000-000000000281', 'c0000000-0000-4000-8000-000000000181', '10000000-0000-4000-8000-000000000001',
            '20000000-0000-4000-8000-000000000011', '2026-03-08T08:00:00Z', '2026-03-08T12:07:30Z', 15)$q$), 1::bigint,
                  'a matching triple is accepted');
SELECT pg_temp.eq((SELECT worked_minutes FROM public.staff_time_entries WHERE id = 'c0000000-0000-4000-8000-000000000281'), 232,
                  'worked_minutes = floor(247.5) - 15');
SELECT pg_temp.eq((SELECT worked_minutes FROM public.staff_time_entries WHERE id = 'c0000000-0000-4000-8000-000000000202'), NULL::integer,
                  'worked_minutes is null while clocked in');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET break_minutes = 600 WHERE id = 'c0000000-0000-4000-8000-000000000281'$q$), 1::bigint,
                  'a long break');
SELECT pg_temp.eq((SELECT worked_minutes FROM public.staff_time_entries WHERE id = 'c0000000-0000-4000-8000-000000000281'), 0,
                  'worked_minutes never goes below 0');
SELECT pg_temp.fails($q$UPDATE public.staff_time_entries SET clock_out_at = clock_in_at - interval '1 minute' WHERE id = 'c0000000-0000-4000-8000-000000000281'$q$,
                     '23514', NULL, 'clock_out_at must be after clock_in_at');

-- ================================================================ item 124
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'staff.time_entries.manage'), false, 'luca lacks M');
-- luca clocks in and out on his own entry, then submits it
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.staff_time_entries (id, shift_id, gym_id, staff_user_id, clock_in_at, source_channel)
    VALUES ('c0000000-0000-4000-8000-000000000291', 'c0000000-0000-4000-8000-000000000101', '10000000-0000-4000-8000-000000000001', auth.uid(),
            now(), 'mobile')$q$), 1::bigint, 'luca opens his own entry');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET clock_out_at = clock_in_at + interval '6 hours', break_minutes = 30
    WHERE id = 'c0000000-0000-4000-8000-000000000291'$q$), 1::bigint, 'luca clocks out');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET status = 'submitted' WHERE id = 'c0000000-0000-4000-8000-000000000291'$q$), 1::bigint,
                  'luca submits his entry (open -> submitted)');
-- ... but cannot approve it, in any way
SELECT pg_temp.fails($q$UPDATE public.staff_time_entries SET status = 'approved' WHERE id = 'c0000000-0000-4000-8000-000000000291'$q$,
                     'KX403', 'staff.time_entries.manage permission is required to approve time entries', 'luca cannot self-approve');
SELECT pg_temp.fails($q$UPDATE public.staff_time_entries SET status = 'rejected' WHERE id = 'c0000000-0000-4000-8000-000000000201'$q$,
                     'KX403', 'staff.time_entries.manage permission is required to approve time entries', 'luca cannot reject his seeded entry');
SELECT pg_temp.fails($q$UPDATE public.staff_time_entries SET approved_by = auth.uid(), approved_at = now() WHERE id = 'c0000000-0000-4000-8000-000000000291'$q$,
                     'KX403', 'staff.time_entries.manage permission is required to approve time entries', 'luca cannot stamp an approval');
SELECT pg_temp.fails($q$INSERT INTO public.staff_time_entries (gym_id, staff_user_id, clock_in_at, clock_out_at, status)
    VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), now() - interval '3 hours', now() - interval '1 hour', 'approved')$q$,
                     'KX403', 'staff.time_entries.manage permission is required to approve time entries', 'luca cannot insert an approved entry');
SELECT pg_temp.fails($q$INSERT INTO public.staff_time_entries (gym_id, staff_user_id, clock_in_at)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', now())$q$,
                     '42501', 'new row violates row-level security policy for table "staff_time_entries"', 'luca cannot open an entry for giulia');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.staff_time_entries WHERE staff_user_id <> auth.uid()$q$), 0::bigint,
                  'luca reads no one else''s entries');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.staff_time_entries$q$), 0::bigint, 'luca cannot delete entries, not even his own');

-- giulia (M) approves luca's entry: approved_by/approved_at are stamped by the trigger
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET status = 'approved', approved_by = '20000000-0000-4000-8000-000000000001'
    WHERE id = 'c0000000-0000-4000-8000-000000000291'$q$), 1::bigint, 'officer approves luca''s entry');
SELECT pg_temp.eq((SELECT approved_by::text || ' ' || approved_at::text FROM public.staff_time_entries WHERE id = 'c0000000-0000-4000-8000-000000000291'),
                  '20000000-0000-4000-8000-000000000002 ' || public.app_now()::text,
                  'approved_by = the approver (not what the client sent), approved_at = app_now()');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET status = 'rejected', note = 'no shift that day'
    WHERE id = 'c0000000-0000-4000-8000-000000000201'$q$), 1::bigint, 'officer rejects luca''s seeded entry');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.staff_time_entries WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 3::bigint,
                  'officer reads every BZone entry');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.staff_time_entries WHERE gym_id = '10000000-0000-4000-8000-000000000002'$q$), 0::bigint,
                  'officer reads no Wellness Zone entry');
-- staff holding M may approve their own entries
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.staff_time_entries (id, gym_id, staff_user_id, clock_in_at, clock_out_at, status)
    VALUES ('c0000000-0000-4000-8000-000000000292', '10000000-0000-4000-8000-000000000001', auth.uid(), now() - interval '4 hours', now(), 'submitted')$q$),
                  1::bigint, 'officer submits her own entry');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET status = 'approved' WHERE id = 'c0000000-0000-4000-8000-000000000292'$q$), 1::bigint,
                  'officer (M) approves her own entry');

-- once approved, luca can no longer touch his entry
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET break_minutes = 0 WHERE id = 'c0000000-0000-4000-8000-000000000291'$q$), 0::bigint,
                  'luca cannot edit an approved entry');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET status = 'submitted', approved_at = NULL, approved_by = NULL
    WHERE id = 'c0000000-0000-4000-8000-000000000291'$q$), 0::bigint, 'luca cannot un-approve');

-- an override grants the coach M at once (item 127): now he may approve his own entry
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', 'staff.time_entries.manage', true);
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.staff_time_entries (gym_id, staff_user_id, clock_in_at, clock_out_at, status)
    VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), now() - interval '2 hours', now(), 'approved')$q$), 1::bigint,
                  'with the override luca records an approved entry');

-- the other gym: marta submits; her owner approves
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET clock_out_at = clock_in_at + interval '5 hours', status = 'submitted'
    WHERE id = 'c0000000-0000-4000-8000-000000000202'$q$), 1::bigint, 'marta submits her open entry');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000011","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.staff_time_entries SET status = 'approved' WHERE id = 'c0000000-0000-4000-8000-000000000202'$q$), 1::bigint,
                  'the Wellness Zone owner approves it');

ROLLBACK;
