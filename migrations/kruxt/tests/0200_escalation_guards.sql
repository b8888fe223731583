-- 01 §4.2 "Departure from reference (no escalation around the guards)": the three escalation paths, each
-- negative case next to a positive control, and can_assign_membership_role (canAssignRole of 09 §2), also
-- checked for truthfulness against real assignment attempts. Migration 0030.
-- Actors (BZone = gym ...0001): marco (01) owner/leader, giulia (02) officer, luca (03) coach, sara (04)
-- member, davide (05) member (made a non-owner leader where needed), elena (06) trial, paolo (07) pending,
-- nico (09) cancelled, troll_tom (10); Wellness Zone (gym ...0002): anna (11) owner/leader, marta (12) coach,
-- fede (13) member; jake (14) has no gym. Memberships: a0000000-0000-4000-8000-00000000GGUU.
-- Each section runs in a savepoint that is rolled back at its end, so the sections start from the seed.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

-- act(n): the claims of demo user n (role authenticated is set separately with SET LOCAL ROLE)
CREATE FUNCTION pg_temp.act(p_user int) RETURNS void
LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM set_config('request.jwt.claims',
        format('{"sub":"20000000-0000-4000-8000-%s","role":"authenticated"}', lpad(p_user::text, 12, '0')), true);
END $f$;
CREATE FUNCTION pg_temp.as_service() RETURNS void
LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM set_config('request.jwt.claims', '{"role":"service_role"}', true);
END $f$;
GRANT EXECUTE ON FUNCTION pg_temp.act(int), pg_temp.as_service() TO authenticated, service_role;

-- ================================================================ 1. matrix self-escalation
SAVEPOINT matrix;
SET LOCAL ROLE service_role;
SELECT pg_temp.as_service();
-- davide becomes a leader who is not the owner
UPDATE public.gym_memberships SET role = 'leader' WHERE id = 'a0000000-0000-4000-8000-000000000105';
-- rows of keys without defaults, to move between roles without hitting the unique key
INSERT INTO public.gym_role_permissions (gym_id, role, permission_key, is_allowed) VALUES
    ('10000000-0000-4000-8000-000000000001', 'coach', 'partner.apps.manage', false),
    ('10000000-0000-4000-8000-000000000001', 'officer', 'automation.manage', false);

SET LOCAL ROLE authenticated;
-- ---- officer giulia (admin.roles.manage by default)
SELECT pg_temp.act(2);
SELECT pg_temp.fails($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'officer' AND permission_key = 'billing.manage'$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'the spec''s case: officer sets (officer, billing.manage) = true');
SELECT pg_temp.eq((SELECT is_allowed FROM public.gym_role_permissions
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'officer' AND permission_key = 'billing.manage'), false,
                  '(officer, billing.manage) is still false');
SELECT pg_temp.fails($q$UPDATE public.gym_role_permissions SET is_allowed = false
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'leader' AND permission_key = 'billing.manage'$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'officer cannot edit leader rows');
SELECT pg_temp.fails($q$INSERT INTO public.gym_role_permissions (gym_id, role, permission_key, is_allowed)
    VALUES ('10000000-0000-4000-8000-000000000001', 'officer', 'addons.manage', true)$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'officer cannot insert an officer row');
SELECT pg_temp.fails($q$INSERT INTO public.gym_role_permissions (gym_id, role, permission_key, is_allowed)
    VALUES ('10000000-0000-4000-8000-000000000001', 'leader', 'addons.manage', true)$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'officer cannot insert a leader row');
SELECT pg_temp.fails($q$UPDATE public.gym_role_permissions SET role = 'officer'
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'coach' AND permission_key = 'partner.apps.manage'$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'officer cannot move a coach row to officer (new role)');
SELECT pg_temp.fails($q$UPDATE public.gym_role_permissions SET role = 'member'
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'officer' AND permission_key = 'automation.manage'$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'officer cannot move an officer row away (old role)');
SELECT pg_temp.fails($q$DELETE FROM public.gym_role_permissions
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'officer' AND permission_key = 'gym.brand.manage'$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'officer cannot delete an officer row');
SELECT pg_temp.fails($q$DELETE FROM public.gym_role_permissions
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'leader' AND permission_key = 'billing.manage'$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'officer cannot delete a leader row');
SELECT pg_temp.fails($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND permission_key = 'crm.members.export'$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'a bulk update touching every role is refused');
SELECT pg_temp.eq((SELECT string_agg(role || '=' || is_allowed, ',' ORDER BY role) FROM public.gym_role_permissions
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND permission_key = 'crm.members.export'),
                  'leader=true,officer=true,coach=false,member=false', '... and changed nothing, not even the coach/member rows');
-- positive controls: rows below officer
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'coach' AND permission_key = 'billing.view'$q$), 1::bigint,
                  'officer may grant coaches billing.view');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role IN ('coach', 'member') AND permission_key = 'crm.members.export'$q$), 2::bigint,
                  'officer may bulk-edit coach and member rows');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_role_permissions (gym_id, role, permission_key, is_allowed)
    VALUES ('10000000-0000-4000-8000-000000000001', 'coach', 'addons.manage', false)$q$), 1::bigint, 'officer may insert a coach row');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET role = 'member'
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'coach' AND permission_key = 'addons.manage'$q$), 1::bigint,
                  'officer may move a row between coach and member');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_role_permissions
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'member' AND permission_key = 'addons.manage'$q$), 1::bigint,
                  'officer may delete a member row');
SELECT pg_temp.act(3);
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'billing.view'), true,
                  'the officer''s grant reaches coach luca at once');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true WHERE role = 'member'$q$), 0::bigint,
                  'coach luca (no admin.roles.manage) still writes nothing (RLS)');

-- ---- a leader who is not the owner (davide): officer rows yes, leader rows no
SELECT pg_temp.act(5);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'officer' AND permission_key = 'billing.manage'$q$), 1::bigint,
                  'non-owner leader may grant officers billing.manage');
SELECT pg_temp.fails($q$UPDATE public.gym_role_permissions SET is_allowed = false
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'leader' AND permission_key = 'billing.manage'$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'non-owner leader cannot edit leader rows');

-- ---- a coach holding admin.roles.manage through an override: member rows only
SELECT pg_temp.act(2);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed, reason)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', 'admin.roles.manage', true, 'test: luca helps with roles')$q$),
                  1::bigint, 'officer grants coach luca admin.roles.manage by override');
SELECT pg_temp.act(3);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'member' AND permission_key = 'analytics.view'$q$), 1::bigint,
                  'coach with admin.roles.manage may edit member rows');
SELECT pg_temp.fails($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'coach' AND permission_key = 'admin.members.manage'$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'coach with admin.roles.manage cannot edit coach rows');

-- ---- the owner: every row, his own role's included
SELECT pg_temp.act(1);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = false
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'officer' AND permission_key = 'billing.manage'$q$), 1::bigint,
                  'the owner changes officer permissions');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'leader' AND permission_key = 'gym.brand.manage'$q$), 1::bigint,
                  'the owner changes leader permissions');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_role_permissions (gym_id, role, permission_key, is_allowed)
    VALUES ('10000000-0000-4000-8000-000000000001', 'leader', 'addons.manage', true)$q$), 1::bigint, 'the owner inserts a leader row');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_role_permissions
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'leader' AND permission_key = 'addons.manage'$q$), 1::bigint,
                  'the owner deletes a leader row');
-- ... but not another gym's (RLS)
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000002' AND role = 'member'$q$), 0::bigint, 'the owner of BZone writes nothing in Wellness Zone');

-- ---- service: any row
SET LOCAL ROLE service_role;
SELECT pg_temp.as_service();
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = true
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'leader' AND permission_key = 'gym.brand.manage'$q$), 1::bigint,
                  'service changes leader permissions');

-- ---- seed_default_gym_permissions re-creating missing rows is a write like any other
DELETE FROM public.gym_role_permissions
WHERE gym_id = '10000000-0000-4000-8000-000000000001'
  AND (role, permission_key) IN (('coach', 'ops.classes.manage'), ('officer', 'gym.brand.manage'), ('member', 'billing.view'));
SET LOCAL ROLE authenticated;
SELECT pg_temp.act(12);
SELECT pg_temp.fails($q$SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Not authorized to seed gym permissions', 'another gym''s coach cannot seed BZone');
SELECT pg_temp.act(3);
SELECT pg_temp.fails($q$SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'a coach cannot re-create the coach row through the seed');
SELECT pg_temp.act(2);
SELECT pg_temp.fails($q$SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Only the gym owner can change permissions of this role', 'an officer cannot re-create the officer row through the seed');
SELECT pg_temp.act(1);
SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_role_permissions WHERE gym_id = '10000000-0000-4000-8000-000000000001'
    AND permission_key NOT IN ('addons.manage', 'partner.apps.manage', 'automation.manage')$q$), 76::bigint, 'the owner''s seed call restores the 76 default rows');
SELECT pg_temp.act(3);
SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001');   -- nothing missing: nothing written, no error

-- ---- the analogous override hole: own overrides stay closed (01 §4.2 "a non-owner MUST NOT write a row where user_id = auth.uid()")
SELECT pg_temp.act(2);
SELECT pg_temp.fails($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
    VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'addons.manage', true)$q$,
                     '42501', NULL, 'officer cannot grant herself a key by override');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_user_permission_overrides SET permission_key = 'addons.manage'
    WHERE user_id = auth.uid()$q$), 0::bigint, 'officer cannot rewrite her own override');
SELECT pg_temp.fails($q$UPDATE public.gym_user_permission_overrides SET user_id = auth.uid()
    WHERE user_id = '20000000-0000-4000-8000-000000000003' AND permission_key = 'crm.leads.manage'$q$,
                     '42501', NULL, 'officer cannot move another user''s override onto herself');
SELECT pg_temp.act(3);
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_user_permission_overrides
    WHERE user_id = auth.uid() AND permission_key = 'ops.waitlist.manage'$q$), 0::bigint,
                  'coach luca (admin.roles.manage by override) cannot delete his own deny override');

ROLLBACK TO SAVEPOINT matrix;

-- ================================================================ 2. status laundering
SAVEPOINT laundering;
SET LOCAL ROLE service_role;
SELECT pg_temp.as_service();
UPDATE public.gym_memberships SET role = 'officer' WHERE id = 'a0000000-0000-4000-8000-000000000110';          -- troll_tom: active officer
UPDATE public.gym_memberships SET role = 'officer' WHERE id = 'a0000000-0000-4000-8000-000000000109';          -- nico: cancelled officer
UPDATE public.gym_memberships SET role = 'coach' WHERE id = 'a0000000-0000-4000-8000-000000000106';            -- elena: trial coach

SET LOCAL ROLE authenticated;
-- ---- the spec's scenario: a cancelled officer re-requests and a coach approves
SELECT pg_temp.act(10);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'cancelled' WHERE id = 'a0000000-0000-4000-8000-000000000110'$q$),
                  1::bigint, 'officer tom leaves the gym');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'pending' WHERE id = 'a0000000-0000-4000-8000-000000000110'$q$),
                  1::bigint, 'tom re-requests');
SELECT pg_temp.eq((SELECT role::text || '/' || membership_status::text FROM public.gym_memberships WHERE id = 'a0000000-0000-4000-8000-000000000110'),
                  'member/pending', 'the re-request reset his role to member');
SELECT pg_temp.act(3);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active'
    WHERE id = 'a0000000-0000-4000-8000-000000000110' AND membership_status = 'pending'$q$), 1::bigint,
                  'coach luca approves the re-request (positive control: approving a pending member needs no admin.roles.manage)');
SELECT pg_temp.eq((SELECT role::text || '/' || membership_status::text FROM public.gym_memberships WHERE id = 'a0000000-0000-4000-8000-000000000110'),
                  'member/active', 'tom is back as a plain member');
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000010'), false,
                  'tom got no officer powers back');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'admin.roles.manage', '20000000-0000-4000-8000-000000000010'), false,
                  'tom has no admin.roles.manage');
-- ---- a plain member's re-request: role stays member, no role change audited
SELECT pg_temp.act(4);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'cancelled' WHERE user_id = auth.uid()$q$), 1::bigint, 'sara leaves');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'pending' WHERE user_id = auth.uid()$q$), 1::bigint, 'sara re-requests');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'pending', role = 'coach' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Members cannot change their own membership role', 'a re-request cannot carry a role');

-- ---- moving another user's staff row into trial/active needs admin.roles.manage
SELECT pg_temp.act(3);
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000109'$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'coach cannot reactivate a cancelled officer');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'trial' WHERE id = 'a0000000-0000-4000-8000-000000000109'$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', '... nor put him on trial');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'paused' WHERE id = 'a0000000-0000-4000-8000-000000000109'$q$),
                  1::bigint, 'coach may move him to paused (no powers)');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000109'$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', '... but not from paused to active');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000106'$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'coach cannot move a trial coach to active');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'active'
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND membership_status IN ('pending', 'paused')$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'a bulk activation including the paused officer is refused');
SELECT pg_temp.eq((SELECT string_agg(id::text || '=' || membership_status, ',' ORDER BY id) FROM public.gym_memberships
                   WHERE id IN ('a0000000-0000-4000-8000-000000000104', 'a0000000-0000-4000-8000-000000000107', 'a0000000-0000-4000-8000-000000000109')),
                  'a0000000-0000-4000-8000-000000000104=pending,a0000000-0000-4000-8000-000000000107=pending,a0000000-0000-4000-8000-000000000109=paused',
                  '... and activated nobody');
SELECT pg_temp.fails($q$INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000014', 'officer', 'active')$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'coach cannot insert an active officer');
-- positive controls
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active'
    WHERE id IN ('a0000000-0000-4000-8000-000000000107', 'a0000000-0000-4000-8000-000000000104') AND membership_status = 'pending'$q$), 2::bigint,
                  'coach approves pending members (paolo, sara)');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'paused' WHERE id = 'a0000000-0000-4000-8000-000000000106'$q$),
                  1::bigint, 'coach may pause a trial coach (status changes out of trial/active stay open to staff)');
SELECT pg_temp.act(2);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000109'$q$),
                  1::bigint, 'officer (admin.roles.manage) reactivates the officer');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'trial' WHERE id = 'a0000000-0000-4000-8000-000000000106'$q$),
                  1::bigint, 'officer puts the coach back on trial');
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000009'), true, 'nico is staff again');

-- audit: tom's reset is a role change made by tom (no note)
SET LOCAL ROLE service_role;
SELECT pg_temp.as_service();
SELECT pg_temp.eq((SELECT string_agg(target_id || ' ' || (metadata ->> 'previous_role') || '>' || (metadata ->> 'next_role') || ' ' || actor_user_id
                                     || ' ' || coalesce(reason, '-'), ' | ' ORDER BY append_seq)
                   FROM public.audit_logs WHERE action = 'membership.role_changed'),
                  'a0000000-0000-4000-8000-000000000110 officer>member 20000000-0000-4000-8000-000000000010 -',
                  'the only role change audited is tom''s reset, by tom');

ROLLBACK TO SAVEPOINT laundering;

-- ================================================================ 3. owner lock-out
SAVEPOINT owner_lockout;
SET LOCAL ROLE service_role;
SELECT pg_temp.as_service();
UPDATE public.gym_memberships SET role = 'leader' WHERE id = 'a0000000-0000-4000-8000-000000000105';           -- davide: non-owner leader

SET LOCAL ROLE authenticated;
SELECT pg_temp.act(2);
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000101', 'member', 'Reorganisation 2026')$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'officer cannot demote the owner through the RPC');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET role = 'officer' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'officer cannot demote the owner directly');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'cancelled' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'officer cannot cancel the owner');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'paused' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'officer cannot pause the owner');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'trial' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'active -> trial also leaves active');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'paused'
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'leader'$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'a bulk status change including the owner is refused');
SELECT pg_temp.eq((SELECT string_agg(membership_status::text, ',') FROM public.gym_memberships
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'leader'), 'active,active', '... and paused nobody');
-- bulk role assignment, one RPC call per row (03 §5.2): the owner's row fails, the others succeed
SELECT pg_temp.eq((SELECT (public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000104', 'coach', 'Pilot coaching team')).role::text),
                  'coach', 'bulk row 1 (sara): updated');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000101', 'coach', 'Pilot coaching team')$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'bulk row 2 (the owner): failed');
SELECT pg_temp.act(3);
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'cancelled' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'coach cannot cancel the owner (any staff may change other statuses)');
SELECT pg_temp.act(5);
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000101', 'officer', 'Two leaders are too many')$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'a non-owner leader cannot demote the owner');
SELECT pg_temp.act(12);
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'cancelled' WHERE id = 'a0000000-0000-4000-8000-000000000211'$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'the other gym''s coach cannot cancel its owner anna');
-- positive controls: other fields of the owner's row, other leaders' rows, the owner himself, service
SELECT pg_temp.act(2);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_plan_id = 'b0000000-0000-4000-8000-000000000101'
    WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$), 1::bigint, 'staff may still edit the owner''s plan (01 §2: status/plan/dates by any staff)');
SELECT pg_temp.eq((SELECT (public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000105', 'officer', 'Leader seat rotates')).role::text),
                  'officer', 'officer may demote a leader who is not the owner (01 §2)');
SELECT pg_temp.act(1);
SELECT pg_temp.eq((SELECT (public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000101', 'officer', 'Handing over the floor')).role::text),
                  'officer', 'the owner demotes himself through the RPC');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'billing.manage'), true,
                  'the owner keeps every permission as owner (01 §4.4 step 3)');
SELECT pg_temp.act(2);
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000101', 'leader', 'Restore the owner')$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'the lock applies to promotions of the owner''s row too');
SELECT pg_temp.act(1);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET role = 'leader', membership_status = 'paused' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$),
                  1::bigint, 'the owner sets his own row back to leader and pauses it');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$),
                  1::bigint, 'the owner reactivates himself');
SET LOCAL ROLE service_role;
SELECT pg_temp.as_service();
SELECT pg_temp.eq((SELECT (public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000101', 'coach', 'Service correction')).role::text),
                  'coach', 'service may change the owner''s role');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET role = 'leader', membership_status = 'trial' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$),
                  1::bigint, 'service may change the owner''s status');
-- the owner's row in trial (interpretation): leaving trial for anything but active is a lock-out too
SET LOCAL ROLE authenticated;
SELECT pg_temp.act(2);
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'cancelled' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Only the gym owner can change the owner''s membership', 'officer cannot cancel the owner''s trial row');
SELECT pg_temp.act(3);
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'coach cannot activate a leader row (status laundering rule)');
SELECT pg_temp.act(2);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000101'$q$),
                  1::bigint, 'officer may move the owner''s row from trial to active (it does not lock him out)');

ROLLBACK TO SAVEPOINT owner_lockout;

-- ================================================================ 4. can_assign_membership_role (canAssignRole)
SAVEPOINT can_assign;
SET LOCAL ROLE service_role;
SELECT pg_temp.as_service();
UPDATE public.gym_memberships SET role = 'leader' WHERE id = 'a0000000-0000-4000-8000-000000000105';            -- davide: non-owner leader
UPDATE public.gym_memberships SET role = 'coach' WHERE id = 'a0000000-0000-4000-8000-000000000115';             -- hanna: coach ...
INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed, reason)
VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000015', 'admin.roles.manage', true, 'test: coach with roles'),  -- ... with admin.roles.manage
       ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000016', 'admin.roles.manage', false, 'test: officer without roles');
UPDATE public.gym_memberships SET role = 'officer' WHERE id = 'a0000000-0000-4000-8000-000000000116';           -- leo: officer without it
UPDATE public.gym_memberships SET role = 'officer', membership_status = 'paused' WHERE id = 'a0000000-0000-4000-8000-000000000108';  -- chiara: paused officer

SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104', NULL), true, 'service itself may assign');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000003'), false,
                  'service asking for coach luca: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000002'), true,
                  'service asking for officer giulia: true');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000009999', NULL), false, 'unknown membership: false');

SET LOCAL ROLE authenticated;
-- coach luca (default permissions): the case the console got wrong
SELECT pg_temp.act(3);
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104'), false, 'coach, a member''s row: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000103'), false, 'coach, own row: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000101'), false, 'coach, the owner''s row: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000002'), false,
                  'a user cannot ask on behalf of another viewer');
-- officer giulia
SELECT pg_temp.act(2);
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104'), true, 'officer, a member''s row: true');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000105'), true, 'officer, a non-owner leader''s row: true');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000102'), false, 'officer, own row: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000101'), false, 'officer, the owner''s row: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000213'), false, 'officer, another gym''s row: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104', '20000000-0000-4000-8000-000000000002'), true,
                  'explicit _viewer = the caller');
-- the owner marco (leader)
SELECT pg_temp.act(1);
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104'), true, 'owner, a member''s row: true');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000102'), true, 'owner, an officer''s row: true');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000101'), true, 'owner, own row: true');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000213'), false, 'owner, another gym''s row: false');
-- the non-owner leader davide
SELECT pg_temp.act(5);
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000102'), true, 'leader, an officer''s row: true');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000105'), false, 'leader, own row: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000101'), false, 'leader, the owner''s row: false');
-- member sara
SELECT pg_temp.act(4);
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104'), false, 'member, own row: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000105'), false, 'member, another row: false');
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000101'), false, 'member, the owner''s row: false');
-- overrides count: coach hanna with admin.roles.manage, officer leo without it, paused officer chiara
SELECT pg_temp.act(15);
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104'), true, 'coach with the override: true');
SELECT pg_temp.act(16);
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104'), false, 'officer denied by override: false');
SELECT pg_temp.act(8);
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104'), false, 'paused officer: false');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.eq(public.can_assign_membership_role('a0000000-0000-4000-8000-000000000104'), false, 'anonymous: false');

-- truthfulness: for every viewer x every membership row of both gyms, the answer equals the outcome of a
-- real admin_assign_membership_role attempt (to a role other than the current one), undone afterwards.
SET LOCAL ROLE authenticated;
CREATE TEMP TABLE probe_results (viewer int, membership_id uuid, predicted boolean, succeeded boolean, error text);
GRANT SELECT, INSERT ON pg_temp.probe_results TO authenticated;
DO $probe$
DECLARE
    v_viewer int;
    v_id uuid;
    v_role public.gym_role;
    v_predicted boolean;
    v_succeeded boolean;
    v_error text;
BEGIN
    FOREACH v_viewer IN ARRAY ARRAY[1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16] LOOP
        PERFORM pg_temp.act(v_viewer);
        FOREACH v_id IN ARRAY ARRAY[
            'a0000000-0000-4000-8000-000000000101', 'a0000000-0000-4000-8000-000000000102', 'a0000000-0000-4000-8000-000000000103',
            'a0000000-0000-4000-8000-000000000104', 'a0000000-0000-4000-8000-000000000105', 'a0000000-0000-4000-8000-000000000106',
            'a0000000-0000-4000-8000-000000000107', 'a0000000-0000-4000-8000-000000000108', 'a0000000-0000-4000-8000-000000000109',
            'a0000000-0000-4000-8000-000000000110', 'a0000000-0000-4000-8000-000000000115', 'a0000000-0000-4000-8000-000000000116',
            'a0000000-0000-4000-8000-000000000211', 'a0000000-0000-4000-8000-000000000212', 'a0000000-0000-4000-8000-000000000213']::uuid[] LOOP
            v_predicted := public.can_assign_membership_role(v_id);
            v_error := NULL;
            BEGIN
                -- the current role, read with the caller's RLS (null when invisible: then try 'coach')
                SELECT m.role INTO v_role FROM public.gym_memberships m WHERE m.id = v_id;
                PERFORM public.admin_assign_membership_role(v_id, CASE WHEN v_role = 'member' OR v_role IS NULL THEN 'coach' ELSE 'member' END::public.gym_role,
                                                            'Truthfulness probe');
                RAISE EXCEPTION 'undo' USING ERRCODE = 'KX999';
            EXCEPTION
                WHEN SQLSTATE 'KX999' THEN v_succeeded := true;
                WHEN OTHERS THEN v_succeeded := false; v_error := SQLERRM;
            END;
            INSERT INTO pg_temp.probe_results VALUES (v_viewer, v_id, v_predicted, v_succeeded, v_error);
        END LOOP;
    END LOOP;
END
$probe$;
SELECT pg_temp.eq((SELECT count(*) FROM pg_temp.probe_results), 225::bigint, '15 viewers x 15 rows probed');
SELECT pg_temp.eq((SELECT string_agg(format('viewer %s row %s: predicted %s, attempt %s (%s)', viewer, membership_id, predicted, succeeded, error), '; ')
                   FROM pg_temp.probe_results WHERE predicted IS DISTINCT FROM succeeded), NULL::text,
                  'can_assign_membership_role predicts every attempt');
SELECT pg_temp.eq((SELECT string_agg(format('%s:%s', viewer, n), ',' ORDER BY viewer) FROM (
                       SELECT viewer, count(*) FILTER (WHERE succeeded) AS n FROM pg_temp.probe_results GROUP BY viewer) q),
                  '1:12,2:10,3:0,4:0,5:10,6:0,7:0,8:0,9:0,11:3,12:0,13:0,14:0,15:10,16:0',
                  'who may assign how many rows (owner: all 12 of his gym; officer/leader/coach-with-override: 10 = all but own and owner''s)');

ROLLBACK TO SAVEPOINT can_assign;

ROLLBACK;
