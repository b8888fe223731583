-- Item 119: seed_default_gym_permissions creates the deterministic role matrix (4 roles x 19 keys = 76 rows)
-- for each gym without duplicates, and never overwrites edits (01 §4.3).

BEGIN;

-- the catalogue: 24 keys, all lower case
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_permission_catalog$q$), 24::bigint, 'any signed-in user reads the 24 active catalogue keys');
SELECT pg_temp.fails($q$INSERT INTO public.gym_permission_catalog (permission_key, category, label) VALUES ('god.mode', 'admin', 'God mode')$q$,
                     '42501', NULL, 'only service manages the catalogue');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_role_permissions$q$), 0::bigint, 'a member cannot read the role matrix');

RESET ROLE;
SELECT set_config('request.jwt.claims', '', true);

-- both seeded gyms got exactly 76 rows from the gym-insert trigger
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_role_permissions WHERE gym_id = '10000000-0000-4000-8000-000000000001'), 76::bigint, 'BZone has 76 rows');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_role_permissions WHERE gym_id = '10000000-0000-4000-8000-000000000002'), 76::bigint, 'Wellness Zone has 76 rows');
SELECT pg_temp.eq((SELECT count(DISTINCT permission_key) FROM public.gym_role_permissions), 19::bigint, '19 distinct base keys');

-- the matrix, exactly as 01 §4.3 (identical for every gym)
CREATE TEMP TABLE expected_matrix (permission_key text, leader boolean, officer boolean, coach boolean, member boolean) ON COMMIT DROP;
INSERT INTO expected_matrix VALUES
    ('admin.members.manage', true, true, false, false), ('admin.roles.manage', true, true, false, false),
    ('gym.brand.manage', true, true, false, false), ('gym.features.manage', true, true, false, false),
    ('ops.classes.manage', true, true, true, false), ('ops.waitlist.manage', true, true, true, false),
    ('ops.checkins.manage', true, true, true, false), ('programs.manage', true, true, true, false),
    ('analytics.view', true, true, true, false),
    ('ops.waivers.manage', true, true, false, false), ('staff.shifts.manage', true, true, false, false),
    ('staff.time_entries.manage', true, true, false, false), ('crm.leads.manage', true, true, false, false),
    ('crm.members.export', true, true, false, false), ('support.manage', true, true, false, false),
    ('integrations.manage', true, true, false, false), ('billing.view', true, true, false, false),
    ('compliance.manage', true, true, false, false),
    ('billing.manage', true, false, false, false);
SELECT pg_temp.eq((
    SELECT count(*) FROM public.gyms g CROSS JOIN expected_matrix e
    CROSS JOIN LATERAL (VALUES ('leader'::public.gym_role, e.leader), ('officer', e.officer), ('coach', e.coach), ('member', e.member)) AS x(role, allowed)
    LEFT JOIN public.gym_role_permissions rp ON rp.gym_id = g.id AND rp.role = x.role AND rp.permission_key = e.permission_key
    WHERE rp.is_allowed IS DISTINCT FROM x.allowed), 0::bigint, 'every gym''s matrix matches 01 §4.3 cell by cell');
SELECT pg_temp.eq((SELECT string_agg(role::text || '=' || n, ',' ORDER BY role) FROM (
        SELECT role, count(*) FILTER (WHERE is_allowed) AS n FROM public.gym_role_permissions
        WHERE gym_id = '10000000-0000-4000-8000-000000000001' GROUP BY role) q),
    'leader=19,officer=18,coach=5,member=0', 'allowed counts per role');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_role_permissions
                   WHERE permission_key IN ('addons.manage', 'analytics.advanced.view', 'automation.manage', 'partner.apps.manage', 'workforce.advanced.manage')),
                  0::bigint, 'the five later keys get no default rows');

-- ---- repeated calls never duplicate and never overwrite edits
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_role_permissions SET is_allowed = false
                  WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'coach' AND permission_key = 'analytics.view'$q$), 1::bigint,
                  'the owner edits the coach analytics.view cell');
SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001');
SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001');
SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000002');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_role_permissions WHERE gym_id = '10000000-0000-4000-8000-000000000001'), 76::bigint,
                  'still 76 rows after repeated calls');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_role_permissions WHERE gym_id = '10000000-0000-4000-8000-000000000002'), 76::bigint,
                  'still 76 rows for Wellness Zone');
SELECT pg_temp.eq((SELECT is_allowed FROM public.gym_role_permissions
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND role = 'coach' AND permission_key = 'analytics.view'), false,
                  'the edit survived re-seeding');
-- a deleted row is restored with its default
DELETE FROM public.gym_role_permissions WHERE gym_id = '10000000-0000-4000-8000-000000000002' AND role = 'member' AND permission_key = 'billing.view';
SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000002');
SELECT pg_temp.eq((SELECT is_allowed FROM public.gym_role_permissions
                   WHERE gym_id = '10000000-0000-4000-8000-000000000002' AND role = 'member' AND permission_key = 'billing.view'), false,
                  'a missing row is re-created with its default');

-- ---- caller check (gap closure)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Not authorized to seed gym permissions', 'a member cannot seed permissions');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000002')$q$,
                     'KX403', 'Not authorized to seed gym permissions', 'BZone staff cannot seed the other gym');
SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.seed_default_gym_permissions('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Not authorized to seed gym permissions', 'anonymous cannot seed permissions');

-- ---- a gym created by a user gets its 76 rows at once, in the same statement
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gyms (id, slug, name, owner_user_id, timezone)
                  VALUES ('10000000-0000-4000-8000-000000000099', 'jake-garage-gym', 'Jake''s Garage Gym', auth.uid(), 'America/Los_Angeles')$q$), 1::bigint,
                  'jake creates a gym');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_role_permissions WHERE gym_id = '10000000-0000-4000-8000-000000000099'$q$), 76::bigint,
                  'the new gym has 76 rows, visible to its owner');
SELECT pg_temp.fails($q$INSERT INTO public.gyms (slug, name, owner_user_id) VALUES ('not-mine', 'Not mine', '20000000-0000-4000-8000-000000000001')$q$,
                     '42501', NULL, 'nobody creates a gym owned by someone else');

ROLLBACK;
