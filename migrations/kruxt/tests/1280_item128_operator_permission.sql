-- Item 128: platform_operator_has_permission resolves effective access by role + override with a deterministic
-- fallback deny (12 §1.3); the 12 §1.2 matrix for every seeded role; the 12 §1.1 RLS of the four operator
-- tables (the item 129 slice for them) and the guard_platform_operator_write gap closures.
-- Operators (seed/0060): 21 fra founder, 22 olga ops_admin, 23 sam support_admin, 24 carla compliance_admin,
-- 25 andy analyst, 26 rita read_only, 27 rita_inactive (read_only, inactive).

BEGIN;

-- ---- the area 02 placeholder is gone: the body is the first-match evaluation, same signature
SELECT pg_temp.ok((SELECT prosrc NOT LIKE '%SELECT false%' FROM pg_proc WHERE oid = 'public.platform_operator_has_permission(text, uuid)'::regprocedure),
                  'platform_operator_has_permission is no longer the constant-false placeholder');
SELECT pg_temp.eq((SELECT count(*) FROM pg_proc WHERE proname = 'platform_operator_has_permission'), 1::bigint, 'one function, same signature');

-- ---- every role x every key against 12 §1.2 (✓ true, ✗ false, no row -> fallback deny), each operator asking for himself
SET LOCAL ROLE authenticated;
CREATE TEMP TABLE expected_matrix (nn int, key text, allowed boolean);
INSERT INTO expected_matrix
SELECT o.nn, k.key,
       k.key = 'platform.overview.read'
    OR (o.nn = 21)
    OR (o.nn = 22 AND k.key IN ('platform.flags.manage', 'platform.support.access.request', 'platform.support.sessions.manage',
                                'platform.analytics.read', 'platform.compliance.read'))
    OR (o.nn = 23 AND k.key IN ('platform.support.access.request', 'platform.support.sessions.manage', 'platform.analytics.read'))
    OR (o.nn = 24 AND k.key IN ('platform.support.access.request', 'platform.support.access.approve', 'platform.analytics.read',
                                'platform.data_governance.manage', 'platform.data_exports.approve', 'platform.compliance.read'))
    OR (o.nn = 25 AND k.key = 'platform.analytics.read')
FROM (VALUES (21), (22), (23), (24), (25), (26)) AS o(nn)
CROSS JOIN (VALUES ('platform.overview.read'), ('platform.operators.manage'), ('platform.flags.manage'),
                   ('platform.support.access.request'), ('platform.support.access.approve'), ('platform.support.sessions.manage'),
                   ('platform.analytics.read'), ('platform.data_governance.manage'), ('platform.data_exports.approve'),
                   ('platform.compliance.read')) AS k(key);
DO $$
DECLARE r record; v_got boolean; v_bad text := '';
BEGIN
    FOR r IN SELECT * FROM expected_matrix ORDER BY nn, key LOOP
        PERFORM set_config('request.jwt.claims', format('{"sub":"20000000-0000-4000-8000-%s","role":"authenticated"}', lpad(r.nn::text, 12, '0')), true);
        v_got := public.platform_operator_has_permission(r.key);
        IF v_got IS DISTINCT FROM r.allowed THEN
            v_bad := v_bad || format(' %s/%s=%s', r.nn, r.key, v_got);
        END IF;
    END LOOP;
    PERFORM pg_temp.eq(v_bad, '', '60 role x key evaluations match 12 §1.2');
END $$;
SELECT pg_temp.eq((SELECT count(*) FROM expected_matrix WHERE allowed), 30::bigint, 'sanity: 30 allowed cells (31 rows minus one false row)');

-- ---- precedence: service -> no viewer -> no active account -> override -> role row -> deny
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.operators.manage'), true, 'service -> true');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.anything', '20000000-0000-4000-8000-000000000004'), true,
                  'service -> true first, whoever the viewer (first match)');
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.overview.read'), false, 'no viewer -> false');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.overview.read', NULL), false, 'explicit null viewer -> false');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.overview.read'), false, 'a member without an account -> false');
SELECT pg_temp.eq(public.is_platform_operator(), false, 'sara is not an operator');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000027","role":"authenticated"}', true);
SELECT pg_temp.eq(public.is_platform_operator(), false, 'rita_inactive is not an active operator');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.overview.read'), false, 'inactive account -> false even for a role true');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000026","role":"authenticated"}', true);
SELECT pg_temp.eq(public.is_platform_operator(), true, 'rita_readonly is an operator');
SELECT pg_temp.eq(public.platform_operator_has_permission('PLATFORM.Overview.READ'), true, 'keys are compared lower-cased');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.unknown.key'), false, 'unknown key -> fallback deny');
SELECT pg_temp.eq(public.platform_operator_has_permission(NULL), false, 'null key -> deny');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.overview.read', '20000000-0000-4000-8000-000000000024'), true,
                  'an explicit viewer is evaluated as that viewer');

-- overrides written by the founder (fra)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000021","role":"authenticated"}', true);
INSERT INTO public.platform_operator_permission_overrides (user_id, permission_key, is_allowed, reason) VALUES
    ('20000000-0000-4000-8000-000000000023', 'platform.support.access.approve', true, 'cover for carla'),   -- role row false
    ('20000000-0000-4000-8000-000000000022', 'platform.compliance.read', false, 'not needed'),               -- role row true
    ('20000000-0000-4000-8000-000000000025', 'platform.compliance.read', true, 'audit sample'),              -- no role row
    ('20000000-0000-4000-8000-000000000027', 'platform.overview.read', true, 'still inactive');             -- inactive account
SELECT pg_temp.eq((SELECT string_agg(updated_by::text, ',') FROM (SELECT DISTINCT updated_by FROM public.platform_operator_permission_overrides) q),
                  '20000000-0000-4000-8000-000000000021', 'updated_by is the writer');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.support.access.approve', '20000000-0000-4000-8000-000000000023'), true,
                  'override true beats role false (sam)');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.compliance.read', '20000000-0000-4000-8000-000000000022'), false,
                  'override false beats role true (olga)');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.compliance.read', '20000000-0000-4000-8000-000000000025'), true,
                  'override true where the role has no row (andy)');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.overview.read', '20000000-0000-4000-8000-000000000027'), false,
                  'an inactive operator has no permissions even with an override');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.platform_operator_accounts SET is_active = false WHERE user_id = '20000000-0000-4000-8000-000000000023'$q$),
                  1::bigint, 'the founder deactivates sam');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.support.access.approve', '20000000-0000-4000-8000-000000000023'), false,
                  'deactivation takes effect immediately, overrides included');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.platform_operator_permission_overrides WHERE user_id = '20000000-0000-4000-8000-000000000022'$q$),
                  1::bigint, 'the founder removes olga''s deny override');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.compliance.read', '20000000-0000-4000-8000-000000000022'), true,
                  'without the override the role row applies again');
SELECT pg_temp.fails($q$INSERT INTO public.platform_operator_permission_overrides (user_id, permission_key, is_allowed)
                        VALUES ('20000000-0000-4000-8000-000000000026', 'platform.not_in_catalogue', true)$q$, '23503', NULL,
                     'override keys must exist in the catalogue');
SELECT pg_temp.fails($q$INSERT INTO public.platform_operator_permission_overrides (user_id, permission_key, is_allowed)
                        VALUES ('20000000-0000-4000-8000-000000000026', 'platform.analytics.read', true),
                               ('20000000-0000-4000-8000-000000000026', 'platform.analytics.read', false)$q$, '23505', NULL,
                     'one override per (user, key)');

-- ---- RLS of the four tables (12 §1.1; item 129 for them)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_operator_accounts$q$)
                + pg_temp.row_count($q$SELECT * FROM public.platform_operator_permission_overrides$q$)
                + pg_temp.row_count($q$SELECT * FROM public.platform_role_permissions$q$)
                + pg_temp.row_count($q$SELECT * FROM public.platform_permission_catalog$q$), 0::bigint,
                  'a non-operator (sara) reads nothing of the four tables');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_operator_accounts$q$)
                + pg_temp.row_count($q$SELECT * FROM public.platform_role_permissions$q$)
                + pg_temp.row_count($q$SELECT * FROM public.platform_permission_catalog$q$), 0::bigint,
                  'a gym owner (marco) is no operator either');
SELECT pg_temp.fails($q$INSERT INTO public.platform_operator_accounts (user_id, role) VALUES (auth.uid(), 'founder')$q$,
                     '42501', 'new row violates row-level security policy for table "platform_operator_accounts"',
                     'a non-operator cannot make himself an operator');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000027","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_operator_accounts$q$), 1::bigint, 'rita_inactive reads her own account row');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_permission_catalog$q$), 0::bigint, 'but, inactive, no catalogue');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000025","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_operator_accounts$q$), 1::bigint, 'andy (analyst) reads only his own account');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_operator_permission_overrides$q$), 1::bigint, 'and only his own override');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_permission_catalog$q$), 10::bigint, 'an operator reads the active catalogue');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_role_permissions$q$), 31::bigint, 'an operator reads the role matrix');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.platform_role_permissions SET is_allowed = true$q$), 0::bigint, 'but cannot change it');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.platform_operator_accounts SET role = 'founder'$q$), 0::bigint, 'nor promote himself');
SELECT pg_temp.fails($q$INSERT INTO public.platform_operator_permission_overrides (user_id, permission_key, is_allowed)
                        VALUES (auth.uid(), 'platform.operators.manage', true)$q$, '42501', NULL, 'nor grant himself an override');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000021","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_operator_accounts$q$), 7::bigint, 'the founder (operators.manage) reads every account');
UPDATE public.platform_permission_catalog SET is_active = false WHERE permission_key = 'platform.flags.manage';
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_permission_catalog$q$), 10::bigint, 'the founder still reads an inactive key');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000025","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.platform_permission_catalog$q$), 9::bigint, 'other operators see active keys only');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.platform_operator_accounts$q$, '42501', 'permission denied for table platform_operator_accounts', 'anon reads nothing');
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.overview.read'), false, 'anon has no platform permission');

-- ---- guard_platform_operator_write (12 §1.1 gap closures): olga (ops_admin) gets operators.manage by override
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000021","role":"authenticated"}', true);
INSERT INTO public.platform_operator_permission_overrides (user_id, permission_key, is_allowed, reason)
VALUES ('20000000-0000-4000-8000-000000000022', 'platform.operators.manage', true, 'deputy');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000022","role":"authenticated"}', true);
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.operators.manage'), true, 'olga now manages operators');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.platform_operator_accounts SET role = 'analyst' WHERE user_id = '20000000-0000-4000-8000-000000000026'$q$),
                  1::bigint, 'positive: olga changes rita''s role');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.platform_operator_accounts (user_id, role) VALUES ('20000000-0000-4000-8000-000000000014', 'support_admin')$q$),
                  1::bigint, 'positive: olga creates a support_admin account for jake');
SELECT pg_temp.eq((SELECT created_by FROM public.platform_operator_accounts WHERE user_id = '20000000-0000-4000-8000-000000000014'),
                  '20000000-0000-4000-8000-000000000022'::uuid, 'created_by is the writer');
SELECT pg_temp.fails($q$UPDATE public.platform_operator_accounts SET role = 'founder' WHERE user_id = '20000000-0000-4000-8000-000000000026'$q$,
                     'KX403', 'Only founders can grant the founder role', 'a non-founder cannot grant the founder role');
SELECT pg_temp.fails($q$INSERT INTO public.platform_operator_accounts (user_id, role) VALUES ('20000000-0000-4000-8000-000000000013', 'founder')$q$,
                     'KX403', 'Only founders can grant the founder role', 'nor create a founder');
SELECT pg_temp.fails($q$UPDATE public.platform_operator_accounts SET role = 'read_only' WHERE user_id = '20000000-0000-4000-8000-000000000021'$q$,
                     'KX403', 'Only founders can grant the founder role', 'nor demote the founder');
SELECT pg_temp.fails($q$UPDATE public.platform_operator_accounts SET is_active = false WHERE user_id = '20000000-0000-4000-8000-000000000021'$q$,
                     'KX403', 'Only founders can grant the founder role', 'nor deactivate the founder (interpretation)');
SELECT pg_temp.fails($q$INSERT INTO public.platform_operator_permission_overrides (user_id, permission_key, is_allowed)
                        VALUES ('20000000-0000-4000-8000-000000000021', 'platform.operators.manage', false)$q$,
                     'KX403', 'Only founders can grant the founder role', 'nor lock the founder out with a deny override (interpretation)');
SELECT pg_temp.fails($q$UPDATE public.platform_operator_accounts SET role = 'compliance_admin' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Operators cannot change their own access', 'a non-founder cannot change his own account');
SELECT pg_temp.fails($q$INSERT INTO public.platform_operator_permission_overrides (user_id, permission_key, is_allowed)
                        VALUES (auth.uid(), 'platform.data_exports.approve', true)$q$,
                     'KX403', 'Operators cannot change their own access', 'nor write his own overrides');
SELECT pg_temp.fails($q$UPDATE public.platform_operator_permission_overrides SET user_id = auth.uid()
                        WHERE user_id = '20000000-0000-4000-8000-000000000025'$q$,
                     'KX403', 'Operators cannot change their own access', 'nor move someone else''s override onto himself');
SELECT pg_temp.fails($q$DELETE FROM public.platform_operator_permission_overrides WHERE user_id = auth.uid()$q$,
                     'KX403', 'Operators cannot change their own access', 'nor delete his own overrides');
-- the same refusals when the claims carry a sub but no role claim (the guard must not take that for maintenance)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000022"}', true);
SELECT pg_temp.eq(public.platform_operator_has_permission('platform.operators.manage'), true, 'olga without a role claim still manages operators (RLS lets her in)');
SELECT pg_temp.fails($q$UPDATE public.platform_operator_accounts SET role = 'founder' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Only founders can grant the founder role', 'no role claim: still no self-promotion to founder');
SELECT pg_temp.fails($q$UPDATE public.platform_operator_accounts SET role = 'compliance_admin' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Operators cannot change their own access', 'no role claim: still no change of her own account');
SELECT pg_temp.fails($q$INSERT INTO public.platform_operator_permission_overrides (user_id, permission_key, is_allowed)
                        VALUES (auth.uid(), 'platform.data_exports.approve', true)$q$,
                     'KX403', 'Operators cannot change their own access', 'no role claim: still no own override');
SELECT pg_temp.eq((SELECT role::text FROM public.platform_operator_accounts WHERE user_id = '20000000-0000-4000-8000-000000000022'), 'ops_admin',
                  'olga is still ops_admin');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000021","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.platform_operator_accounts SET role = 'founder' WHERE user_id = '20000000-0000-4000-8000-000000000026'$q$),
                  1::bigint, 'positive: a founder grants the founder role');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.platform_operator_accounts SET mfa_required = true, last_login_at = public.app_now() WHERE user_id = auth.uid()$q$),
                  1::bigint, 'positive: a founder may change his own account');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.platform_operator_accounts SET role = 'founder' WHERE user_id = '20000000-0000-4000-8000-000000000025'$q$),
                  1::bigint, 'positive: the service grants anything');

-- ---- compliance read scope: audit_logs (06 §1.1) and user_reports (02) follow platform.compliance.read
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000024","role":"authenticated"}', true);
SELECT pg_temp.ok(pg_temp.row_count($q$SELECT * FROM public.audit_logs$q$) > 0, 'carla (compliance.read) reads the audit log');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000023","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.audit_logs$q$), 0::bigint, 'sam (support_admin, inactive now) reads none');

ROLLBACK;
