-- Baseline: roles, ownership, RLS on every public table, identity emulation (auth.jwt/uid/role,
-- is_service_role), the clock, and what kruxt_gateway and anon can do. 00 §3, §6.6.

BEGIN;

-- ---- roles
SELECT pg_temp.ok((SELECT rolbypassrls AND NOT rolcanlogin FROM pg_roles WHERE rolname = 'service_role'), 'service_role: BYPASSRLS, NOLOGIN');
SELECT pg_temp.ok((SELECT NOT rolbypassrls AND NOT rolcanlogin FROM pg_roles WHERE rolname = 'authenticated'), 'authenticated: no BYPASSRLS, NOLOGIN');
SELECT pg_temp.ok((SELECT NOT rolbypassrls AND NOT rolcanlogin FROM pg_roles WHERE rolname = 'anon'), 'anon: no BYPASSRLS, NOLOGIN');
SELECT pg_temp.ok((SELECT NOT rolbypassrls AND NOT rolsuper AND NOT rolinherit AND NOT rolcreaterole AND NOT rolcreatedb
                   FROM pg_roles WHERE rolname = 'kruxt_gateway'), 'kruxt_gateway: no BYPASSRLS, not superuser, NOINHERIT');
SELECT pg_temp.ok(pg_has_role('kruxt_gateway', 'anon', 'MEMBER') AND pg_has_role('kruxt_gateway', 'authenticated', 'MEMBER')
                  AND pg_has_role('kruxt_gateway', 'service_role', 'MEMBER'), 'kruxt_gateway may switch to the three request roles');
SELECT pg_temp.ok(NOT pg_has_role('kruxt_gateway', 'kruxt_owner', 'MEMBER'), 'kruxt_gateway cannot become the owner');
SELECT pg_temp.ok((SELECT NOT rolbypassrls AND NOT rolsuper FROM pg_roles WHERE rolname = 'kruxt_owner'), 'kruxt_owner is an ordinary role');

-- ---- ownership and RLS
SELECT pg_temp.eq((SELECT string_agg(c.relname, ', ') FROM pg_class c
                   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity),
                  NULL::text, 'every table in public has RLS enabled');
SELECT pg_temp.eq((SELECT string_agg(c.relname, ', ') FROM pg_class c
                   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relforcerowsecurity),
                  NULL::text, 'no table forces RLS on its owner (00 §3.1)');
SELECT pg_temp.eq((SELECT string_agg(c.relname, ', ') FROM pg_class c
                   WHERE c.relnamespace IN ('public'::regnamespace, 'auth'::regnamespace) AND c.relkind IN ('r', 'p', 'v', 'S', 'm')
                     AND pg_get_userbyid(c.relowner) <> 'kruxt_owner'),
                  NULL::text, 'kruxt_owner owns every relation in public and auth');
SELECT pg_temp.eq((SELECT string_agg(p.proname, ', ') FROM pg_proc p
                   WHERE p.pronamespace IN ('public'::regnamespace, 'auth'::regnamespace) AND pg_get_userbyid(p.proowner) <> 'kruxt_owner'),
                  NULL::text, 'kruxt_owner owns every function');
SELECT pg_temp.eq((SELECT string_agg(p.proname, ', ') FROM pg_proc p
                   WHERE p.pronamespace = 'public'::regnamespace AND p.prosecdef
                     AND NOT coalesce(p.proconfig::text LIKE '%search_path=public, pg_temp%', false)),
                  NULL::text, 'every SECURITY DEFINER function pins search_path = public, pg_temp');
SELECT pg_temp.eq((SELECT string_agg(DISTINCT array_to_string(pol.polroles::regrole[], ','), ' ') FROM pg_policy pol
                   JOIN pg_class c ON c.oid = pol.polrelid WHERE c.relnamespace = 'public'::regnamespace),
                  'authenticated', 'every policy targets authenticated');
SELECT pg_temp.eq((SELECT string_agg(c.relname, ', ') FROM pg_class c
                   WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'v'
                     AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)),
                  NULL::text, 'every view in public is security_invoker (00 §5)');
SELECT pg_temp.eq((SELECT string_agg(c.relname || '.' || a.attname, ', ') FROM pg_attribute a
                   JOIN pg_class c ON c.oid = a.attrelid JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                   WHERE c.relnamespace = 'public'::regnamespace AND a.atttypid = 'timestamptz'::regtype
                     AND c.relname IN ('exercises', 'workouts', 'workout_exercises', 'workout_sets', 'feed_events', 'social_connections',
                                       'social_interactions', 'user_blocks', 'user_reports', 'feature_flags')
                     AND pg_get_expr(d.adbin, d.adrelid) <> 'app_now()'),
                  NULL::text, 'area 02 timestamp defaults use app_now() (00 §6.6)');
SELECT pg_temp.ok(NOT has_function_privilege('authenticated', 'public.apply_workout_progress(uuid)', 'EXECUTE')
                  AND NOT has_function_privilege('anon', 'public.apply_workout_progress(uuid)', 'EXECUTE'),
                  'apply_workout_progress is not executable by request roles other than service_role');
SELECT pg_temp.ok(has_table_privilege('authenticated', 'public.user_blocks_reports', 'SELECT')
                  AND NOT has_table_privilege('anon', 'public.user_blocks_reports', 'SELECT'), 'views get the same grants as tables');
SELECT pg_temp.ok(has_table_privilege('authenticated', 'public.profiles', 'SELECT, INSERT, UPDATE, DELETE'), 'authenticated has DML on public tables');
SELECT pg_temp.ok(has_table_privilege('service_role', 'public.profiles', 'SELECT, INSERT, UPDATE, DELETE'), 'service_role has DML on public tables');
SELECT pg_temp.ok(NOT has_table_privilege('anon', 'public.profiles', 'SELECT'), 'anon has no table privileges');
SELECT pg_temp.ok(NOT has_table_privilege('authenticated', 'auth.users', 'SELECT'), 'authenticated cannot read auth.users');
SELECT pg_temp.ok(has_table_privilege('service_role', 'auth.users', 'SELECT, INSERT'), 'service_role manages auth.users');
SELECT pg_temp.ok(NOT has_schema_privilege('authenticated', 'public', 'CREATE'), 'request roles cannot create objects in public');
SELECT pg_temp.ok(NOT has_table_privilege('kruxt_gateway', 'public.profiles', 'SELECT'), 'kruxt_gateway itself has no table privileges');

-- ---- identity emulation
SELECT set_config('request.jwt.claims', '', true);
SELECT pg_temp.eq(auth.jwt(), '{}'::jsonb, 'auth.jwt() is {} without claims');
SELECT pg_temp.eq(auth.uid(), NULL::uuid, 'auth.uid() is null without claims');
SELECT pg_temp.eq(public.is_service_role(), false, 'not service without claims');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated","email":"sara_conti@demo.kruxt.app","locale":"it-IT"}', true);
SELECT pg_temp.eq(auth.uid(), '20000000-0000-4000-8000-000000000004'::uuid, 'auth.uid() reads sub');
SELECT pg_temp.eq(auth.role(), 'authenticated', 'auth.role() reads role');
SELECT pg_temp.eq(auth.jwt() ->> 'locale', 'it-IT', 'auth.jwt() carries every claim');
SELECT pg_temp.eq(public.is_service_role(), false, 'authenticated is not service');
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.is_service_role(), true, 'service claims make is_service_role() true');
SELECT pg_temp.eq(auth.uid(), NULL::uuid, 'service claims have no uid');

-- ---- the clock
SELECT set_config('kruxt.now', '', true);
SELECT pg_temp.eq(public.app_now(), now(), 'app_now() = now() when kruxt.now is empty');
SELECT set_config('kruxt.now', '2026-03-09T09:00:00+01:00', true);
SELECT pg_temp.eq(public.app_now(), '2026-03-09T08:00:00Z'::timestamptz, 'app_now() follows kruxt.now');

-- ---- acting as a request role: the switch the server makes per transaction
SET LOCAL ROLE kruxt_gateway;
SELECT pg_temp.fails($q$SELECT * FROM public.profiles$q$, '42501', 'permission denied for table profiles', 'kruxt_gateway cannot read tables itself');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(current_user::text, 'authenticated', 'SET LOCAL ROLE switched the role');
SELECT pg_temp.ok(pg_temp.row_count($q$SELECT * FROM public.profiles$q$) > 0, 'authenticated reads public profiles');
SELECT pg_temp.fails($q$SELECT * FROM auth.users$q$, '42501', 'permission denied for table users', 'authenticated cannot read auth.users');
SELECT pg_temp.fails($q$CREATE TABLE public.sneaky (id int)$q$, '42501', NULL, 'authenticated cannot create tables');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.profiles$q$, '42501', 'permission denied for table profiles', 'anon reads nothing');
SELECT pg_temp.fails($q$SELECT * FROM public.gyms$q$, '42501', 'permission denied for table gyms', 'anon reads no gyms');
SELECT pg_temp.eq(public.is_gym_member('10000000-0000-4000-8000-000000000001'), false, 'helpers answer false for anon');
SELECT pg_temp.eq(public.user_has_gym_permission('10000000-0000-4000-8000-000000000001', 'analytics.view'), false, 'no permissions for anon');

-- ---- SECURITY DEFINER helpers cannot be fooled by a temp table shadowing a public one
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
CREATE TEMP TABLE gym_memberships (gym_id uuid, user_id uuid, role text, membership_status text);
INSERT INTO pg_temp.gym_memberships VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004', 'leader', 'active');
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001'), false, 'a temp table named gym_memberships is ignored');

ROLLBACK;
