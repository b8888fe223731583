-- Item 26: policy version rows are immutable after insert; new versions publish as new rows only
-- (05 §1.1, §1.2): UPDATE/DELETE/TRUNCATE raise for every role (also when nothing matches: statement
-- trigger), inserts are service-only, publish_policy_version writes a new row with its supersedes default,
-- events and errors, and current_policy_version_id follows the published rows.
-- Seed: e…0101 terms 1.0.0, e…0102 privacy 1.0.0, e…0103 health_data 1.0.0 (2026-01-01), e…0104 privacy 1.1.0
-- (2026-02-15, supersedes e…0102), e…0105 terms 1.1.0 (2026-04-01).

BEGIN;

SELECT set_config('kruxt.now', '2026-03-09T08:00:00Z', true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ immutability
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.policy_version_tracking$q$), 5::bigint, 'every user reads the policy versions');
SELECT pg_temp.fails($q$UPDATE public.policy_version_tracking SET document_url = 'https://evil.example' WHERE id = 'e0000000-0000-4000-8000-000000000101'$q$,
                     'KX423', 'Table policy_version_tracking is immutable; append-only writes only', 'a gym owner cannot update a version');
SELECT pg_temp.fails($q$DELETE FROM public.policy_version_tracking WHERE false$q$,
                     'KX423', 'Table policy_version_tracking is immutable; append-only writes only', 'a delete matching nothing raises too');
SELECT pg_temp.fails($q$INSERT INTO public.policy_version_tracking (policy_type, version, document_url, effective_at)
                        VALUES ('terms', '9.9.9', 'https://kruxt.app/legal/terms/9.9.9', '2026-01-01')$q$,
                     '42501', 'new row violates row-level security policy for table "policy_version_tracking"', 'users cannot insert versions');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$UPDATE public.policy_version_tracking SET is_active = false WHERE id = 'e0000000-0000-4000-8000-000000000104'$q$,
                     'KX423', 'Table policy_version_tracking is immutable; append-only writes only', 'service cannot deactivate a version in place');
SELECT pg_temp.fails($q$DELETE FROM public.policy_version_tracking WHERE id = 'e0000000-0000-4000-8000-000000000105'$q$,
                     'KX423', 'Table policy_version_tracking is immutable; append-only writes only', 'service cannot delete a version');
RESET ROLE;
SET LOCAL ROLE kruxt_owner;
SELECT pg_temp.fails($q$UPDATE public.policy_version_tracking SET label = 'x'$q$,
                     'KX423', 'Table policy_version_tracking is immutable; append-only writes only', 'the owner cannot update versions');
SELECT pg_temp.fails($q$TRUNCATE public.policy_version_tracking CASCADE$q$,
                     'KX423', NULL, 'the owner cannot truncate versions');
RESET ROLE;
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.policy_version_tracking$q$, '42501', NULL, 'anonymous reads no table');
SELECT pg_temp.eq(public.current_policy_version_id('privacy'), 'e0000000-0000-4000-8000-000000000104'::uuid,
                  'but anyone may ask which version is current (pre-signup screens)');

-- ================================================================ publish_policy_version
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.current_policy_version_id('terms'), 'e0000000-0000-4000-8000-000000000101'::uuid, 'terms 1.0.0 current on 2026-03-09');
SELECT pg_temp.eq(public.current_policy_version_id('terms', '2026-04-01T00:00:00Z'), 'e0000000-0000-4000-8000-000000000105'::uuid,
                  'terms 1.1.0 current from its effective date');
SELECT pg_temp.eq(public.current_policy_version_id('waiver'), NULL::uuid, 'no waiver policy: null');
INSERT INTO ctx SELECT 'p12', public.publish_policy_version('privacy', '  1.2.0  ', '  https://kruxt.app/legal/privacy/1.2.0 ', '2026-03-10T00:00:00Z',
                                                           '  Privacy Notice 1.2.0  ', true, '  Adds sharing preferences.  ');
SELECT pg_temp.eq((SELECT policy_type || ' ' || version || ' ' || label || ' ' || document_url || ' ' || effective_at::text || ' ' || is_active
                          || ' ' || requires_reconsent || ' ' || supersedes_policy_version_id || ' ' || coalesce(created_by::text, '-')
                          || ' ' || (published_at = public.app_now()) || ' ' || change_summary
                   FROM public.policy_version_tracking WHERE id = (SELECT v FROM ctx WHERE k = 'p12')),
                  'privacy 1.2.0 Privacy Notice 1.2.0 https://kruxt.app/legal/privacy/1.2.0 ' || ('2026-03-10T00:00:00Z'::timestamptz)::text
                  || ' true true e0000000-0000-4000-8000-000000000104 - true Adds sharing preferences.',
                  'a new row: trimmed, supersedes the version current at its effective date (1.1.0), published now, no creator for service');
SELECT pg_temp.eq((SELECT count(*) FROM public.policy_version_tracking), 6::bigint, 'published as a new row; the old ones untouched');
SELECT pg_temp.eq((SELECT version FROM public.policy_version_tracking WHERE id = 'e0000000-0000-4000-8000-000000000104'), '1.1.0', 'privacy 1.1.0 unchanged');
SELECT pg_temp.eq(public.current_policy_version_id('privacy'), 'e0000000-0000-4000-8000-000000000104'::uuid, 'not current before 2026-03-10');
SELECT pg_temp.eq(public.current_policy_version_id('privacy', '2026-03-10T00:00:00Z'), (SELECT v FROM ctx WHERE k = 'p12'), 'current from 2026-03-10');
SELECT pg_temp.eq((SELECT payload FROM public.event_outbox WHERE event_type = 'policy.version_published'),
                  jsonb_build_object('policy_version_id', (SELECT v FROM ctx WHERE k = 'p12'), 'policy_type', 'privacy', 'version', '1.2.0',
                                     'effective_at', '2026-03-10T00:00:00Z'::timestamptz, 'requires_reconsent', true,
                                     'supersedes_policy_version_id', 'e0000000-0000-4000-8000-000000000104'),
                  'outbox policy.version_published with its payload (aggregate policy_version)');
SELECT pg_temp.eq((SELECT string_agg(action, ',' ORDER BY append_seq) FROM public.audit_logs
                   WHERE target_id = (SELECT v FROM ctx WHERE k = 'p12') OR metadata ->> 'aggregate_id' = (SELECT v FROM ctx WHERE k = 'p12')::text),
                  'security.event_outbox,policy.version_published', 'audit: the security row of the outbox event and policy.version_published');
-- explicit supersedes, a version nobody has to re-consent to, an explicit null effective date (= now)
INSERT INTO ctx SELECT 'h11', public.publish_policy_version('health_data', '1.1.0', 'https://kruxt.app/legal/health_data/1.1.0', NULL, NULL, false, NULL,
                                                           true, 'e0000000-0000-4000-8000-000000000103');
SELECT pg_temp.eq((SELECT (effective_at = public.app_now()) || ' ' || requires_reconsent || ' ' || supersedes_policy_version_id || ' ' || coalesce(label, '-')
                   FROM public.policy_version_tracking WHERE id = (SELECT v FROM ctx WHERE k = 'h11')),
                  'true false e0000000-0000-4000-8000-000000000103 -', 'effective now; explicit supersedes; no label');
-- errors in order
SELECT pg_temp.fails($q$SELECT public.publish_policy_version('terms', '  ', '')$q$, 'KX422', 'Policy version is required', 'blank version first');
SELECT pg_temp.fails($q$SELECT public.publish_policy_version('terms', '2.0.0', '   ')$q$, 'KX422', 'Policy document URL is required', 'blank URL');
SELECT pg_temp.fails($q$SELECT public.publish_policy_version('privacy', '1.1.0', 'https://kruxt.app/legal/privacy/1.1.0-again')$q$,
                     'KX409', 'Policy version already exists for policy type privacy: 1.1.0', 'an existing (type, version)');
SELECT pg_temp.fails($q$SELECT public.publish_policy_version('privacy', ' 1.2.0 ', 'https://kruxt.app/legal/privacy/1.2.0')$q$,
                     'KX409', 'Policy version already exists for policy type privacy: 1.2.0', 'the trimmed version is compared');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.publish_policy_version('terms', '', '')$q$, 'KX403', 'Service role required', 'a user cannot publish (checked first)');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.publish_policy_version('terms', '2.0.0', 'https://kruxt.app/legal/terms/2.0.0')$q$,
                     'KX403', 'Service role required', 'anonymous cannot publish');

ROLLBACK;
