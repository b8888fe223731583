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

-- ---- every default and every function reads the time through app_now() (00 §6.6)
-- Direct time sources: now(), CURRENT_TIMESTAMP/DATE/TIME, LOCALTIME[STAMP], clock_/statement_/transaction_timestamp(),
-- timeofday(), and the special input strings 'now', 'today', 'tomorrow', 'yesterday'.
CREATE FUNCTION pg_temp.reads_time_directly(p_text text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $f$
    SELECT p_text ~* '(^|[^a-z0-9_])now\s*\(|current_timestamp|current_date|current_time|localtime|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|''(now|today|tomorrow|yesterday)'''
$f$;
SELECT pg_temp.ok(pg_temp.reads_time_directly('now()') AND pg_temp.reads_time_directly('CURRENT_TIMESTAMP')
                  AND pg_temp.reads_time_directly('x := pg_catalog.now();') AND pg_temp.reads_time_directly('(now() + ''30 days''::interval)')
                  AND NOT pg_temp.reads_time_directly('public.app_now()') AND NOT pg_temp.reads_time_directly('(app_now() + ''30 days''::interval)'),
                  'the direct-time pattern tells now() from app_now()');
SELECT pg_temp.eq((SELECT string_agg(n.nspname || '.' || c.relname || '.' || a.attname || ' = ' || pg_get_expr(d.adbin, d.adrelid), ', '
                                     ORDER BY n.nspname, c.relname, a.attname)
                   FROM pg_attrdef d
                   JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                   JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname IN ('public', 'auth', 'kruxt_internal') AND pg_temp.reads_time_directly(pg_get_expr(d.adbin, d.adrelid))),
                  NULL::text, 'no column default reads the time directly (now(), CURRENT_TIMESTAMP, ...)');
SELECT pg_temp.eq((SELECT string_agg(n.nspname || '.' || c.relname || '.' || a.attname || ' = ' || pg_get_expr(d.adbin, d.adrelid), ', '
                                     ORDER BY n.nspname, c.relname, a.attname)
                   FROM pg_attrdef d
                   JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
                   JOIN pg_class c ON c.oid = d.adrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname IN ('public', 'auth', 'kruxt_internal') AND a.attgenerated = ''
                     AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
                     AND pg_get_expr(d.adbin, d.adrelid) NOT LIKE '%app_now()%'),
                  NULL::text, 'every timestamp/date column default uses app_now()');
SELECT pg_temp.ok((SELECT count(*) FROM pg_attrdef d JOIN pg_class c ON c.oid = d.adrelid
                   WHERE c.relnamespace IN ('public'::regnamespace, 'auth'::regnamespace)
                     AND pg_get_expr(d.adbin, d.adrelid) LIKE '%app_now()%') >= 80, 'the default check saw the timestamp defaults (sanity)');
SELECT pg_temp.eq((SELECT string_agg(p.oid::regprocedure::text, ', ' ORDER BY p.oid::regprocedure::text) FROM pg_proc p
                   WHERE p.pronamespace IN ('public'::regnamespace, 'auth'::regnamespace, 'kruxt_internal'::regnamespace)
                     AND p.oid <> 'public.app_now()'::regprocedure
                     AND pg_temp.reads_time_directly(p.prosrc)),
                  NULL::text, 'no function but app_now() reads the time directly (set_updated_at, the audit chain, ... use app_now())');
SELECT pg_temp.ok(pg_temp.reads_time_directly((SELECT prosrc FROM pg_proc WHERE oid = 'public.app_now()'::regprocedure)),
                  'app_now() itself falls back to now() (sanity of the function check)');

-- behaviour: a simulated clock in 2030 stamps inserts, updates, the audit chain and the outbox
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);   -- officer giulia
SELECT set_config('kruxt.now', '2030-06-01T12:00:00Z', true);
INSERT INTO public.gym_crm_leads (id, gym_id, full_name) VALUES ('c0000000-0000-4000-8000-0000000003f0', '10000000-0000-4000-8000-000000000001', 'Clock Test');
INSERT INTO public.gym_crm_lead_activities (lead_id, gym_id, activity_type, summary)
VALUES ('c0000000-0000-4000-8000-0000000003f0', '10000000-0000-4000-8000-000000000001', 'note', 'First contact');
SELECT pg_temp.eq((SELECT created_at::text || ' ' || updated_at::text FROM public.gym_crm_leads WHERE id = 'c0000000-0000-4000-8000-0000000003f0'),
                  ('2030-06-01T12:00:00Z'::timestamptz)::text || ' ' || ('2030-06-01T12:00:00Z'::timestamptz)::text,
                  'a new CRM lead: created_at and updated_at from kruxt.now (2030)');
SELECT pg_temp.eq((SELECT activity_at::text || ' ' || created_at::text FROM public.gym_crm_lead_activities WHERE lead_id = 'c0000000-0000-4000-8000-0000000003f0'),
                  ('2030-06-01T12:00:00Z'::timestamptz)::text || ' ' || ('2030-06-01T12:00:00Z'::timestamptz)::text,
                  'its activity: activity_at and created_at from kruxt.now');
SELECT set_config('kruxt.now', '2030-06-02T08:30:00Z', true);
UPDATE public.gym_crm_leads SET status = 'contacted' WHERE id = 'c0000000-0000-4000-8000-0000000003f0';
SELECT pg_temp.eq((SELECT created_at::text || ' ' || updated_at::text FROM public.gym_crm_leads WHERE id = 'c0000000-0000-4000-8000-0000000003f0'),
                  ('2030-06-01T12:00:00Z'::timestamptz)::text || ' ' || ('2030-06-02T08:30:00Z'::timestamptz)::text,
                  'an update: set_updated_at stamps kruxt.now (2030-06-02), created_at kept');
-- approving paolo: started_at, updated_at, the outbox row and its security audit row, all at kruxt.now
UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000107';
SELECT pg_temp.eq((SELECT started_at::text || ' ' || updated_at::text FROM public.gym_memberships WHERE id = 'a0000000-0000-4000-8000-000000000107'),
                  ('2030-06-02T08:30:00Z'::timestamptz)::text || ' ' || ('2030-06-02T08:30:00Z'::timestamptz)::text,
                  'membership approval: started_at and updated_at from kruxt.now');
SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000107', 'coach', 'Clock check promotion');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT created_at FROM public.event_outbox WHERE event_type = 'membership.status_changed'
                   AND aggregate_id = 'a0000000-0000-4000-8000-000000000107'), '2030-06-02T08:30:00Z'::timestamptz,
                  'the outbox row''s created_at is kruxt.now');
SELECT pg_temp.eq((SELECT string_agg(action || '@' || created_at::text, ',' ORDER BY append_seq) FROM public.audit_logs
                   WHERE target_id = 'a0000000-0000-4000-8000-000000000107' OR metadata ->> 'aggregate_id' = 'a0000000-0000-4000-8000-000000000107'),
                  'security.event_outbox@' || ('2030-06-02T08:30:00Z'::timestamptz)::text || ',membership.role_changed@' || ('2030-06-02T08:30:00Z'::timestamptz)::text,
                  'audit rows (security event, role change) carry kruxt.now');
-- the two rows are sealed at COMMIT (or by the explicit sealer, as here, while the clock stays in 2030)
SELECT pg_temp.eq((SELECT (public.seal_audit_log_chain(1000, true) ->> 'unsealed_rows')::int), 0, 'the explicit seal leaves nothing unsealed');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs a
                   LEFT JOIN public.audit_logs p ON p.integrity_seq = a.integrity_seq - 1
                   WHERE a.entry_hash IS DISTINCT FROM public.audit_log_compute_hash(a.integrity_seq, a.prev_entry_hash, a.actor_user_id, a.actor_role,
                             a.action, a.target_table, a.target_id, a.reason, a.ip_address, a.user_agent, a.metadata, a.created_at)
                      OR a.prev_entry_hash IS DISTINCT FROM p.entry_hash OR a.integrity_seq IS NULL), 0::bigint,
                  'the hash chain over rows stamped with the simulated clock recomputes from the stored fields');
RESET ROLE;
SELECT set_config('request.jwt.claims', '', true);
SELECT set_config('kruxt.now', '', true);

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
