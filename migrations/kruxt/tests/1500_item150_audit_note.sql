-- Item 150 (database side): role changes need an audit note (03 §5.2, 01 §2). The flow validates the
-- trimmed note (>= 5 characters) BEFORE calling anything (MEMBERS_CONSOLE_AUDIT_NOTE_REQUIRED, for the
-- bulk action once before the loop); admin_assign_membership_role enforces the same rule itself and
-- persists the note as the reason of the membership.role_changed audit row (gap closure).
-- Also: members cannot change their own membership role (departure from reference, 01 §2).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);

-- ---- missing / short notes: refused, nothing changed
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000116', 'coach', NULL)$q$,
                     'KX422', 'Audit note is required for role changes', 'a missing note');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000116', 'coach', '  ok  ')$q$,
                     'KX422', 'Audit note is required for role changes', 'a note of 2 characters after trimming');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000116', 'coach', '    ')$q$,
                     'KX422', 'Audit note is required for role changes', 'a blank note');
SELECT pg_temp.eq((SELECT role::text FROM public.gym_memberships WHERE id = 'a0000000-0000-4000-8000-000000000116'), 'member', 'leo is still a member');

-- ---- with a note: changed and audited with the note
SELECT pg_temp.eq((SELECT (public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000116', 'coach', 'Hired as weekend coach')).role::text),
                  'coach', 'leo becomes coach');
SELECT pg_temp.eq((SELECT (public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000115', 'coach', 'Hired as weekend coach')).role::text),
                  'coach', 'hanna too (the bulk action calls the RPC once per row with the same note)');

-- ---- members cannot change their own role, not even through the RPC
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000105', 'leader', 'I deserve this promotion')$q$,
                     'KX403', 'Members cannot change their own membership role', 'davide cannot promote himself with a note');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET role = 'officer' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Members cannot change their own membership role', 'nor by a direct update');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000104', 'member', 'demote sara please')$q$,
                     'KX404', 'Membership not found', 'a member cannot reach other memberships');
-- a coach lacks admin.roles.manage (ADMIN_ROLE_ASSIGN_FAILED)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000110', 'coach', 'Promotion request')$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'coach luca cannot assign roles');
-- staff cannot promote themselves either
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000102', 'leader', 'Self promotion attempt')$q$,
                     'KX403', 'Members cannot change their own membership role', 'officer giulia cannot make herself leader');

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(target_id || ' ' || reason || ' ' || (metadata ->> 'previous_role') || '>' || (metadata ->> 'next_role') || ' ' || actor_user_id,
                                     ' | ' ORDER BY append_seq) FROM public.audit_logs WHERE action = 'membership.role_changed'),
                  'a0000000-0000-4000-8000-000000000116 Hired as weekend coach member>coach 20000000-0000-4000-8000-000000000002 | '
                  'a0000000-0000-4000-8000-000000000115 Hired as weekend coach member>coach 20000000-0000-4000-8000-000000000002',
                  'exactly the two successful changes are audited, each with the note as reason');

ROLLBACK;
