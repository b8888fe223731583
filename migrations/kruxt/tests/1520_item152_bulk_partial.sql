-- Item 152 (database side): bulk actions attempt each (de-duplicated) membership independently and report
-- updatedMembershipIds / failedMembershipIds (03 §5.2). The database contract the flow relies on: each
-- row's attempt is its own transaction (or savepoint), a failing row leaves no trace and does not undo
-- the others; a refused row shows up either as an error (guard, RPC) or as 0 rows updated (RLS, wrong
-- gym), both of which the flow counts as failed. Each attempt below runs in a savepoint (pg_temp.fails /
-- pg_temp.affected), like one row of the loop.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);

-- ---- bulkAssignRole(coach, note "Pilot coaching team") over [sara, giulia (self), fede (other gym), sara again]
-- (the duplicate is dropped by the flow before the loop)
SELECT pg_temp.eq((SELECT (public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000104', 'coach', 'Pilot coaching team')).role::text),
                  'coach', 'row 1 (sara): updated');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000102', 'coach', 'Pilot coaching team')$q$,
                     'KX403', 'Members cannot change their own membership role', 'row 2 (giulia''s own): failed');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000213', 'coach', 'Pilot coaching team')$q$,
                     'KX404', 'Membership not found', 'row 3 (another gym''s membership): failed');
SELECT pg_temp.eq((SELECT string_agg(id::text || '=' || role, ',' ORDER BY id) FROM public.gym_memberships
                   WHERE id IN ('a0000000-0000-4000-8000-000000000104', 'a0000000-0000-4000-8000-000000000102')),
                  'a0000000-0000-4000-8000-000000000102=officer,a0000000-0000-4000-8000-000000000104=coach',
                  'updated [sara], failed [giulia, fede]: the success survived the failures, the failures left nothing');

-- ---- bulkSetStatus(active) over [paolo (pending), fede (other gym), nico (cancelled)]: the flow's scoped update
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active'
    WHERE id = 'a0000000-0000-4000-8000-000000000107' AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint, 'paolo: updated');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active'
    WHERE id = 'a0000000-0000-4000-8000-000000000213' AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 0::bigint,
                  'fede: 0 rows -> failed');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active'
    WHERE id = 'a0000000-0000-4000-8000-000000000109' AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint, 'nico: updated');

-- ---- all rows fail: nothing changed (MEMBERS_CONSOLE_BULK_ACTION_FAILED in the flow)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
CREATE TEMP TABLE before_roles ON COMMIT DROP AS SELECT id, role FROM public.gym_memberships;
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000105', 'officer', 'Reorganisation 2026')$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'coach: davide failed');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000110', 'officer', 'Reorganisation 2026')$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'coach: troll_tom failed');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_memberships m JOIN before_roles b USING (id) WHERE m.role <> b.role), 0::bigint,
                  'no role changed when every row failed');

-- ---- past_due rows of a bulk: each is its own subscription upsert (one fails: no membership in this gym)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.member_subscriptions SET status = 'past_due', metadata = metadata || '{"marked_past_due_by_ui": true}'
    WHERE id = '30000000-0000-4000-8000-000000000803' AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint, 'davide: subscription past_due');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_memberships WHERE id = 'a0000000-0000-4000-8000-000000000213'
    AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 0::bigint, 'fede: not among the gym''s memberships -> MEMBERS_CONSOLE_MEMBERSHIP_NOT_FOUND');

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'membership.role_changed'), 1::bigint,
                  'only the one successful role change is audited');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'membership.status_changed'), 2::bigint,
                  'two status changes emitted (paolo, nico); the failed row emitted nothing');

ROLLBACK;
