-- Item 58: the admin compliance view exposes active policy versions with effective dates for operator
-- verification: admin_list_active_policy_versions (staff gate, active rows, policy_type then effective_at desc,
-- effective_at_label in the flow's locale and time zone).

BEGIN;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);   -- luca, coach
SELECT pg_temp.eq((SELECT string_agg(policy_type || ' ' || version || ' ' || effective_at_label, ' ; ' ORDER BY ord)
                   FROM public.admin_list_active_policy_versions('10000000-0000-4000-8000-000000000001', 'it-IT', 'Europe/Rome')
                        WITH ORDINALITY AS v(id, policy_type, version, label, document_url, effective_at, effective_at_label, is_active, published_at,
                                            requires_reconsent, change_summary, supersedes_policy_version_id, ord)),
                  'terms 1.1.0 1 apr 2026, 02:00 ; terms 1.0.0 1 gen 2026, 01:00 ; privacy 1.1.0 15 feb 2026, 01:00 ; privacy 1.0.0 1 gen 2026, 01:00 ; '
                  'health_data 1.0.0 1 gen 2026, 01:00',
                  'active versions by policy_type (enum order) then effective_at desc, labelled in it-IT / Europe/Rome (CEST on Apr 1)');
SELECT pg_temp.eq((SELECT concat_ws('|', label, document_url, effective_at, is_active, requires_reconsent, change_summary, supersedes_policy_version_id,
                                    published_at)
                   FROM public.admin_list_active_policy_versions('10000000-0000-4000-8000-000000000001') WHERE version = '1.1.0' AND policy_type = 'privacy'),
                  concat_ws('|', 'Privacy Notice 1.1.0', 'https://kruxt.app/legal/privacy/1.1.0', '2026-02-15T00:00:00Z'::timestamptz, true, true,
                            'Adds device integrations.', 'e0000000-0000-4000-8000-000000000102', '2026-02-01T00:00:00Z'::timestamptz),
                  'every field of 06 §5.2 (label, documentUrl, effectiveAt, isActive, requiresReconsent, changeSummary, supersedes, publishedAt)');
SELECT pg_temp.eq((SELECT effective_at_label FROM public.admin_list_active_policy_versions('10000000-0000-4000-8000-000000000001', 'en-US', 'America/Los_Angeles')
                   WHERE version = '1.1.0' AND policy_type = 'terms'), 'Mar 31, 2026, 5:00 PM', 'en-US in Los Angeles: the day before');
SELECT pg_temp.eq((SELECT effective_at_label FROM public.admin_list_active_policy_versions('10000000-0000-4000-8000-000000000001')
                   WHERE version = '1.1.0' AND policy_type = 'terms'), 'Apr 1, 2026, 12:00 AM', 'no locale/zone: en-US, UTC');
-- a future version is listed (it is active; the effective date says when it applies); an inactive one is not
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.policy_version_tracking (policy_type, version, document_url, effective_at, is_active)
VALUES ('health_data', '0.9.0', 'https://kruxt.app/legal/health_data/0.9.0', '2025-06-01T00:00:00Z', false),
       ('waiver', '1.0.0', 'https://kruxt.app/legal/waiver/1.0.0', '2026-03-01T00:00:00Z', true);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(policy_type || ' ' || version, ',') FROM public.admin_list_active_policy_versions('10000000-0000-4000-8000-000000000001')),
                  'terms 1.1.0,terms 1.0.0,privacy 1.1.0,privacy 1.0.0,health_data 1.0.0,waiver 1.0.0', 'inactive rows are left out');
SELECT pg_temp.eq((SELECT string_agg(policy_type || ' ' || version, ',') FROM public.admin_list_active_policy_versions('10000000-0000-4000-8000-000000000001')),
                  (SELECT string_agg(policy_type || ' ' || version, ',' ORDER BY policy_type, effective_at DESC, id) FROM public.policy_version_tracking WHERE is_active),
                  'the same rows and order as the table under RLS');
-- gate
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_active_policy_versions('10000000-0000-4000-8000-000000000001')$q$, 'KX403', 'Gym staff access is required',
                     'members use the table (policy versions are public to signed-in users), not the admin RPC');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_active_policy_versions('10000000-0000-4000-8000-000000000001')$q$, 'KX401', 'Authentication required', 'anon');

ROLLBACK;
