-- Item 120: user_has_gym_permission precedence: owner/service -> user override -> role permission -> deny (01 §4.4).
-- Item 127: overrides take effect on the very next statement; override writes are limited to admin.roles.manage
-- holders and nobody but the owner writes an override for themselves.
-- Precedence must be checked as the user (the service role short-circuits to true).
-- Seeded overrides (BZone): giulia billing.manage = true; luca crm.leads.manage = true, ops.waitlist.manage = false.

BEGIN;

-- ---- 1. service: true for anything
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'billing.manage'), true, 'service: billing.manage');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'addons.manage'), true, 'service: a key without rows');
-- fixture: an override denying the owner billing.manage, one for a cancelled member, one for the pending member
INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed, reason) VALUES
    ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', 'billing.manage', false, 'test: owner precedes overrides'),
    ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000009', 'analytics.view', true, 'test: needs an active membership'),
    ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000007', 'analytics.view', true, 'test: needs an active membership');

SET LOCAL ROLE authenticated;
-- ---- 2. no viewer
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'analytics.view'), false, 'no viewer: false');
-- ---- 3. owner beats an override
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'billing.manage'), true, 'owner: true despite a denying override');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'workforce.advanced.manage'), true, 'owner: true for a key without rows');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000002', 'analytics.view'), false, 'owner of BZone has nothing at Wellness Zone');
-- ---- 4. no active membership: false, overrides ignored
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000009","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'analytics.view'), false, 'cancelled member: override ignored');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000007","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'analytics.view'), false, 'pending member: override ignored');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'analytics.view'), false, 'non-member: false');
-- ---- 5. override beats the role
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'billing.manage'), true, 'officer giulia: override grants billing.manage (role denies)');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'BILLING.MANAGE'), true, 'keys are matched lower-cased');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'ops.waitlist.manage'), false, 'coach luca: override denies ops.waitlist.manage (role grants)');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'crm.leads.manage'), true, 'coach luca: override grants crm.leads.manage (role denies)');
-- ---- 6. role permission
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'ops.classes.manage'), true, 'coach: role grants ops.classes.manage');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'staff.shifts.manage'), false, 'coach: role denies staff.shifts.manage');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'admin.roles.manage'), true, 'officer: role grants admin.roles.manage');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'analytics.view'), false, 'member: role row denies analytics.view');
-- ---- 7. deny when no row exists
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'addons.manage'), false, 'officer: later key without rows -> deny');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'no.such.key'), false, 'unknown key -> deny');
-- the explicit viewer parameter follows the same rules
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'crm.leads.manage', '20000000-0000-4000-8000-000000000003'), true,
                  'explicit viewer luca: override');

-- ================================================================ item 127: overrides act immediately
-- owner marco revokes the coach's crm access; the next statement sees it
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_user_permission_overrides SET is_allowed = false
                  WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND user_id = '20000000-0000-4000-8000-000000000003' AND permission_key = 'crm.leads.manage'$q$),
                  1::bigint, 'owner flips luca''s crm override');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'crm.leads.manage'), false, 'luca lost crm.leads.manage at once');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_crm_leads$q$), 0::bigint, 'and his lead list is empty at once');
-- officer giulia grants the coach shift management
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed, reason, updated_by)
                  VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', 'staff.shifts.manage', true, 'covers scheduling', auth.uid())$q$),
                  1::bigint, 'officer grants luca staff.shifts.manage');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'staff.shifts.manage'), true, 'luca has staff.shifts.manage at once');
-- removing an override falls back to the role default
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_user_permission_overrides
                  WHERE user_id = '20000000-0000-4000-8000-000000000003' AND permission_key = 'ops.waitlist.manage'$q$), 1::bigint,
                  'officer removes luca''s waitlist override');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'ops.waitlist.manage', '20000000-0000-4000-8000-000000000003'), true,
                  'luca is back to the coach default for ops.waitlist.manage');
-- editing the role matrix acts immediately too
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true
                  WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'member' AND permission_key = 'analytics.view'$q$), 1::bigint,
                  'officer lets members view analytics');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'analytics.view', '20000000-0000-4000-8000-000000000004'), true,
                  'sara (member) has analytics.view at once');

-- ---- who may write overrides and the matrix (gap closure)
SELECT pg_temp.fails($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
                  VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'addons.manage', true)$q$,
                     '42501', 'new row violates row-level security policy for table "gym_user_permission_overrides"', 'officer cannot grant herself an override');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_user_permission_overrides SET is_allowed = true WHERE user_id = auth.uid()$q$), 0::bigint,
                  'officer cannot edit her own override');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_user_permission_overrides WHERE user_id = auth.uid()$q$), 1::bigint,
                  'but she can read it');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
                  VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'billing.manage', true)$q$,
                     '42501', NULL, 'coach cannot grant himself an override');
SELECT pg_temp.fails($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
                  VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004', 'billing.manage', true)$q$,
                     '42501', NULL, 'coach cannot write overrides for others');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true WHERE role = 'coach'$q$), 0::bigint,
                  'coach cannot edit the role matrix');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_role_permissions WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 76::bigint,
                  'staff can read their gym''s matrix');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_user_permission_overrides$q$), 0::bigint, 'a member without overrides reads none');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
                  VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'addons.manage', true)$q$), 1::bigint,
                  'the owner may write an override for himself');

ROLLBACK;
