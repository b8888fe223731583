-- Item 21: consent records retain policy version evidence (05 §2.1, §2.2): every write path binds a policy
-- version (explicit or the one current at granted_at), refuses bindings that are not valid evidence, and
-- record_user_consent raises its errors in the specified order.
-- Gap closure checked: a consent written by a user carries the clock's time (no back-dated evidence).
-- Seed: policies e…0101 terms 1.0.0, e…0102 privacy 1.0.0, e…0103 health_data 1.0.0 (effective 2026-01-01),
-- e…0104 privacy 1.1.0 (2026-02-15), e…0105 terms 1.1.0 (2026-04-01). The clock is set to "later" = one day
-- after max(T, 2026-04-01), so with either anchor the current versions are terms 1.1.0, privacy 1.1.0,
-- health_data 1.0.0 and new consents are the newest of their user.

BEGIN;

SELECT set_config('test.later', (greatest((SELECT anchor FROM kruxt_internal.seed_anchor), '2026-04-01T00:00:00Z'::timestamptz)
                                 + interval '1 day')::text, true);
SELECT set_config('kruxt.now', current_setting('test.later'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ the seed: every consent carries a binding of its type
SELECT pg_temp.eq((SELECT count(*) FROM public.consents WHERE policy_version_id IS NULL), 0::bigint, 'no seeded consent lacks a policy binding');
SELECT pg_temp.eq((SELECT count(*) FROM public.consents c JOIN public.policy_version_tracking v ON v.id = c.policy_version_id
                   WHERE v.policy_type <> public.consent_policy_type_from_consent_type(c.consent_type)), 0::bigint,
                  'every seeded binding has the policy type of its consent type');

-- ================================================================ record_user_consent: positive
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
INSERT INTO ctx SELECT 'rpc', public.record_user_consent('privacy', true, NULL, '  settings  ', '  it-IT ', NULL, ' 203.0.113.9 ', ' KruxtApp/1.0 ',
                                                         '{"screen":"privacy_center"}');
SELECT pg_temp.eq((SELECT c.user_id || ' ' || v.policy_type || ' ' || v.version || ' ' || c.granted || ' ' || (c.granted_at = public.app_now())
                          || ' ' || coalesce(c.revoked_at::text, '-') || ' ' || c.source || ' ' || c.locale || ' ' || c.ip_address || ' ' || c.user_agent
                          || ' ' || c.evidence::text
                   FROM public.consents c JOIN public.policy_version_tracking v ON v.id = c.policy_version_id
                   WHERE c.id = (SELECT v FROM ctx WHERE k = 'rpc')),
                  '20000000-0000-4000-8000-000000000004 privacy 1.1.0 true true - settings it-IT 203.0.113.9 KruxtApp/1.0 {"screen": "privacy_center"}',
                  'no policy given: bound to the current privacy version; granted now, not revoked, source/locale/ip/agent trimmed, evidence kept');
INSERT INTO ctx SELECT 'rpc_marketing', public.record_user_consent('marketing_email', false);
SELECT pg_temp.eq((SELECT c.policy_version_id::text || ' ' || (c.revoked_at = c.granted_at) || ' ' || c.source || ' ' || coalesce(c.locale, '-')
                   FROM public.consents c WHERE c.id = (SELECT v FROM ctx WHERE k = 'rpc_marketing')),
                  'e0000000-0000-4000-8000-000000000104 true mobile -',
                  'marketing opt-out: bound to the privacy policy, revoked_at = granted_at, default source mobile, blank locale null');
INSERT INTO ctx SELECT 'rpc_explicit', public.record_user_consent('health_data_processing', true, 'e0000000-0000-4000-8000-000000000103');
SELECT pg_temp.eq((SELECT policy_version_id FROM public.consents WHERE id = (SELECT v FROM ctx WHERE k = 'rpc_explicit')),
                  'e0000000-0000-4000-8000-000000000103'::uuid, 'an explicit valid version is kept');

-- service records for a user (p_user_id)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO ctx SELECT 'svc', public.record_user_consent('terms', true, NULL, 'admin', NULL, '20000000-0000-4000-8000-000000000005');
SELECT pg_temp.eq((SELECT c.user_id || ' ' || v.version || ' ' || c.source FROM public.consents c
                   JOIN public.policy_version_tracking v ON v.id = c.policy_version_id WHERE c.id = (SELECT v FROM ctx WHERE k = 'svc')),
                  '20000000-0000-4000-8000-000000000005 1.1.0 admin', 'service records davide''s terms consent, bound to terms 1.1.0');

-- ================================================================ record_user_consent: errors in order
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', NULL, 'e0000000-0000-4000-8000-000000009999', 'mobile', NULL, '20000000-0000-4000-8000-000000000005')$q$,
                     'KX422', 'Consent grant flag is required', 'granted null is the first error');
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true, NULL, 'mobile', NULL, '20000000-0000-4000-8000-000000000005')$q$,
                     'KX403', 'Cannot record consent for another user', 'a user cannot record consent for another user');
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true, 'e0000000-0000-4000-8000-000000009999')$q$,
                     'KX404', 'No active policy version found for consent type terms', 'an unknown policy id');
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true, 'e0000000-0000-4000-8000-000000000104')$q$,
                     'KX422', 'Policy type mismatch for consent type terms', 'a privacy version for a terms consent');
SELECT pg_temp.fails($q$SELECT public.record_user_consent('push_notifications', true, 'e0000000-0000-4000-8000-000000000101')$q$,
                     'KX422', 'Policy type mismatch for consent type push_notifications', 'push consents bind privacy versions, not terms');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true)$q$, 'KX401', 'Authentication required', 'anonymous: Authentication required');
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true, NULL, 'mobile', NULL, '20000000-0000-4000-8000-000000000004')$q$,
                     'KX401', 'Authentication required', 'anonymous naming a user: still Authentication required');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true)$q$, 'KX401', 'Authentication required', 'service without p_user_id: no target');
SELECT pg_temp.fails($q$SELECT public.record_user_consent(NULL, true, NULL, 'mobile', NULL, '20000000-0000-4000-8000-000000000004')$q$,
                     'KX422', 'Consent type is required', 'consent type null');
-- not yet effective / inactive (a new inactive version, published by service)
SELECT public.publish_policy_version('health_data', '0.9.0-retired', 'https://kruxt.app/legal/health_data/0.9.0', '2026-01-01T00:00:00Z',
                                     p_is_active => false);
SELECT set_config('kruxt.now', '2026-03-10T09:00:00Z', true);
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true, 'e0000000-0000-4000-8000-000000000105', 'mobile', NULL, '20000000-0000-4000-8000-000000000004')$q$,
                     'KX409', 'Cannot accept a policy version before its effective date', 'terms 1.1.0 before 2026-04-01');
SELECT pg_temp.fails(format($q$SELECT public.record_user_consent('health_data_processing', true, %L, 'mobile', NULL, '20000000-0000-4000-8000-000000000004')$q$,
                            (SELECT id FROM public.policy_version_tracking WHERE version = '0.9.0-retired')),
                     'KX409', 'Policy version is not active', 'an inactive version cannot be accepted');
SELECT set_config('kruxt.now', '2025-12-01T09:00:00Z', true);
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true, NULL, 'mobile', NULL, '20000000-0000-4000-8000-000000000004')$q$,
                     'KX404', 'No active policy version found for consent type terms', 'no version effective yet (2025-12-01)');
SELECT set_config('kruxt.now', current_setting('test.later'), true);
SELECT pg_temp.eq((SELECT count(*) FROM public.consents WHERE user_id = '20000000-0000-4000-8000-000000000004'), 8::bigint,
                  'sara: 5 seeded + 3 recorded, none of the refused calls left a row');

-- ================================================================ the trigger: every other write path
-- service insert, back-dated: bound to the version current at granted_at
INSERT INTO public.consents (id, user_id, consent_type, granted, granted_at)
VALUES ('e0000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000013', 'privacy', true, '2026-02-01T10:00:00Z');
SELECT pg_temp.eq((SELECT policy_version_id::text || ' ' || granted_at FROM public.consents WHERE id = 'e0000000-0000-4000-8000-0000000f0001'),
                  'e0000000-0000-4000-8000-000000000102 ' || ('2026-02-01T10:00:00Z'::timestamptz)::text,
                  'service back-dates to 2026-02-01: bound to privacy 1.0.0, the version current then');
INSERT INTO public.consents (id, user_id, consent_type, granted, granted_at, revoked_at, source, locale)
VALUES ('e0000000-0000-4000-8000-0000000f0002', '20000000-0000-4000-8000-000000000013', 'terms', false, '2026-03-01T10:00:00Z', NULL, '   ', '  ');
SELECT pg_temp.eq((SELECT policy_version_id::text || ' ' || (revoked_at = granted_at) || ' ' || source || ' ' || coalesce(locale, '-')
                   FROM public.consents WHERE id = 'e0000000-0000-4000-8000-0000000f0002'),
                  'e0000000-0000-4000-8000-000000000101 true mobile -', 'a refusal: revoked_at = granted_at, blank source mobile, blank locale null');
INSERT INTO public.consents (id, user_id, consent_type, granted, granted_at, revoked_at)
VALUES ('e0000000-0000-4000-8000-0000000f0003', '20000000-0000-4000-8000-000000000013', 'terms', true, '2026-03-02T10:00:00Z', '2026-03-03T10:00:00Z');
SELECT pg_temp.eq((SELECT revoked_at FROM public.consents WHERE id = 'e0000000-0000-4000-8000-0000000f0003'), NULL::timestamptz,
                  'a grant is never revoked');
-- refusals of the trigger
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted) VALUES (NULL, 'terms', true)$q$,
                     'KX422', 'Consent user id is required', 'user id null');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted) VALUES ('20000000-0000-4000-8000-000000000013', NULL, true)$q$,
                     'KX422', 'Consent type is required', 'type null');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted) VALUES ('20000000-0000-4000-8000-000000000013', 'terms', NULL)$q$,
                     'KX422', 'Consent grant flag is required', 'granted null');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted, granted_at) VALUES ('20000000-0000-4000-8000-000000000013', 'terms', true, '2025-06-01')$q$,
                     'KX422', 'A valid policy version is required for consent type terms', 'no version current at granted_at');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted, policy_version_id) VALUES ('20000000-0000-4000-8000-000000000013', 'terms', true, 'e0000000-0000-4000-8000-000000009999')$q$,
                     'KX404', 'Policy version not found', 'an unknown version');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted, policy_version_id) VALUES ('20000000-0000-4000-8000-000000000013', 'health_data_processing', true, 'e0000000-0000-4000-8000-000000000102')$q$,
                     'KX422', 'Policy version type mismatch for consent type health_data_processing', 'a privacy version for a health-data consent');
SELECT pg_temp.fails(format($q$INSERT INTO public.consents (user_id, consent_type, granted, policy_version_id) VALUES ('20000000-0000-4000-8000-000000000013', 'health_data_processing', true, %L)$q$,
                            (SELECT id FROM public.policy_version_tracking WHERE version = '0.9.0-retired')),
                     'KX409', 'Policy version is not active', 'an inactive version');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted, granted_at, policy_version_id) VALUES ('20000000-0000-4000-8000-000000000013', 'terms', true, '2026-03-01', 'e0000000-0000-4000-8000-000000000105')$q$,
                     'KX409', 'Policy version cannot be accepted before effective date', 'terms 1.1.0 bound to a 2026-03-01 consent');

-- a user's direct insert: own rows only (RLS), bound automatically, and no back-dating (gap closure)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.consents (id, user_id, consent_type, granted, granted_at, created_at, revoked_at)
    VALUES ('e0000000-0000-4000-8000-0000000f0004', auth.uid(), 'health_data_processing', false, '2020-01-01', '2020-01-01', '2030-01-01')$q$),
                  1::bigint, 'fede inserts a health-data refusal directly');
SELECT pg_temp.eq((SELECT (granted_at = public.app_now()) || ' ' || (created_at = public.app_now()) || ' ' || (revoked_at = public.app_now())
                          || ' ' || policy_version_id::text
                   FROM public.consents WHERE id = 'e0000000-0000-4000-8000-0000000f0004'),
                  'true true true e0000000-0000-4000-8000-000000000103',
                  'gap closure: granted_at, created_at and revoked_at are the clock''s, not 2020/2030; bound to health_data 1.0.0');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted) VALUES ('20000000-0000-4000-8000-000000000004', 'terms', true)$q$,
                     '42501', 'new row violates row-level security policy for table "consents"', 'nobody inserts a consent for someone else');
SELECT pg_temp.fails($q$INSERT INTO public.consents (user_id, consent_type, granted, policy_version_id) VALUES (auth.uid(), 'terms', true, 'e0000000-0000-4000-8000-000000000102')$q$,
                     'KX422', 'Policy version type mismatch for consent type terms', 'a user''s direct insert gets the same validation');

ROLLBACK;
