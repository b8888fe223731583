-- Items 28, 29: list_missing_required_consents returns deterministic gaps for missing/revoked/reconsent-
-- required states, and user_has_required_consents blocks protected actions while re-consent is required
-- (05 §3). Each of the five reasons, the fixed order (terms, privacy, health_data_processing), one row per
-- type, identical output for identical state, the caller rules, the seeded users, and the gate before and
-- after a re-consent (a version with requires_reconsent = false does not block).
-- A fresh user (2f…f1) makes the states explicit. Clock: "later" = one day after max(T, 2026-04-01)
-- (current: terms 1.1.0, privacy 1.1.0, health_data 1.0.0) unless stated.

BEGIN;

SELECT set_config('test.later', (greatest((SELECT anchor FROM kruxt_internal.seed_anchor), '2026-04-01T00:00:00Z'::timestamptz)
                                 + interval '1 day')::text, true);
SELECT set_config('kruxt.now', current_setting('test.later'), true);
CREATE FUNCTION pg_temp.gaps(p_user uuid) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(consent_type || ':' || reason || ':' || coalesce(required_policy_version, '-'), ',' ORDER BY ord), '')
    FROM (SELECT g.*, row_number() OVER () AS ord FROM public.list_missing_required_consents(p_user) g) q
$$;
GRANT EXECUTE ON FUNCTION pg_temp.gaps(uuid) TO PUBLIC;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO auth.users (id, email) VALUES ('2f000000-0000-4000-8000-0000000000f1', 'gaps_f1@demo.kruxt.app');
INSERT INTO public.profiles (id, username, display_name) VALUES ('2f000000-0000-4000-8000-0000000000f1', 'gaps_f1', 'Gaps F1');

-- ================================================================ the five reasons, as the user
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"2f000000-0000-4000-8000-0000000000f1","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.gaps(auth.uid()),
                  'terms:missing_consent_record:1.1.0,privacy:missing_consent_record:1.1.0,health_data_processing:missing_consent_record:1.0.0',
                  'no consents: missing_consent_record for each required type, in the fixed order, with the required version');
SELECT pg_temp.eq((SELECT string_agg(required_policy_version_id::text, ',') FROM public.list_missing_required_consents()),
                  'e0000000-0000-4000-8000-000000000105,e0000000-0000-4000-8000-000000000104,e0000000-0000-4000-8000-000000000103',
                  'required_policy_version_id = the current version ids; default target = the caller');
SELECT pg_temp.eq(public.user_has_required_consents(), false, 'gate closed');
SELECT public.record_user_consent('terms', true);
SELECT public.record_user_consent('privacy', true);
SELECT public.record_user_consent('health_data_processing', false);
SELECT public.record_user_consent('marketing_email', false);
SELECT pg_temp.eq(pg_temp.gaps(auth.uid()), 'health_data_processing:latest_record_revoked:1.0.0',
                  'a refused health-data consent: latest_record_revoked (marketing is not required)');
SELECT pg_temp.eq(pg_temp.gaps(auth.uid()), pg_temp.gaps(auth.uid()), 'identical state, identical output');
SELECT set_config('kruxt.now', (current_setting('test.later')::timestamptz + interval '1 minute')::text, true);
SELECT public.record_user_consent('health_data_processing', true);
SELECT pg_temp.eq(pg_temp.gaps(auth.uid()), '', 'all three granted and current: no rows');
SELECT pg_temp.eq(public.user_has_required_consents(), true, 'gate open');

-- same instant (one transaction, or a standing sandbox clock): the record inserted last is the latest
-- (consent ids are insertion-ordered, so the id tie-break follows the insertion order), 20 times over
DO $$
BEGIN
    FOR i IN 1..20 LOOP
        PERFORM public.record_user_consent('health_data_processing', false);
        PERFORM public.record_user_consent('health_data_processing', true);
        IF NOT public.user_has_required_consents() THEN
            RAISE EXCEPTION 'FAILED: revoke then grant at the same instant must leave the grant latest (round %)', i;
        END IF;
        PERFORM public.record_user_consent('health_data_processing', false);
        IF public.user_has_required_consents() THEN
            RAISE EXCEPTION 'FAILED: grant then revoke at the same instant must leave the revocation latest (round %)', i;
        END IF;
    END LOOP;
END
$$;
SELECT public.record_user_consent('health_data_processing', true);
SELECT pg_temp.eq(public.user_has_required_consents(), true, 'same-instant records: the one inserted last is the latest');

-- missing_policy_binding: only legacy rows can lack a binding (the trigger binds every new row); simulated
-- by an insert with triggers off
RESET ROLE;
SET LOCAL session_replication_role = replica;
INSERT INTO public.consents (user_id, consent_type, policy_version_id, granted, granted_at)
VALUES ('2f000000-0000-4000-8000-0000000000f1', 'privacy', NULL, true, current_setting('test.later')::timestamptz + interval '2 minutes');
SET LOCAL session_replication_role = origin;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"2f000000-0000-4000-8000-0000000000f1","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.gaps(auth.uid()), 'privacy:missing_policy_binding:1.1.0', 'the latest privacy record has no binding: missing_policy_binding');
SELECT set_config('kruxt.now', (current_setting('test.later')::timestamptz + interval '3 minutes')::text, true);
SELECT public.record_user_consent('privacy', true);
SELECT pg_temp.eq(pg_temp.gaps(auth.uid()), '', 'a new bound record closes it');

-- reconsent_required: a new privacy version that requires re-consent becomes effective
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.publish_policy_version('privacy', '2.0.0', 'https://kruxt.app/legal/privacy/2.0.0',
                                     current_setting('test.later')::timestamptz + interval '1 day');
SELECT public.publish_policy_version('health_data', '1.0.1', 'https://kruxt.app/legal/health_data/1.0.1',
                                     current_setting('test.later')::timestamptz + interval '1 day', p_requires_reconsent => false);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"2f000000-0000-4000-8000-0000000000f1","role":"authenticated"}', true);
SELECT pg_temp.eq(public.user_has_required_consents(), true, 'before the new versions are effective: still open');
SELECT set_config('kruxt.now', (current_setting('test.later')::timestamptz + interval '1 day 1 hour')::text, true);
SELECT pg_temp.eq(pg_temp.gaps(auth.uid()), 'privacy:reconsent_required:2.0.0',
                  'privacy 2.0.0 effective and requiring re-consent: reconsent_required; health_data 1.0.1 (no re-consent) does not block');
SELECT pg_temp.eq(public.user_has_required_consents(), false, 'item 29: the gate blocks the protected action');
SELECT public.record_user_consent('privacy', true);
SELECT pg_temp.eq(public.user_has_required_consents(), true, 'after re-consenting to 2.0.0 the gate opens');
SELECT pg_temp.eq((SELECT v.version FROM public.consents c JOIN public.policy_version_tracking v ON v.id = c.policy_version_id
                   WHERE c.user_id = auth.uid() AND c.consent_type = 'privacy' ORDER BY c.granted_at DESC LIMIT 1), '2.0.0', 'bound to 2.0.0');

-- missing_active_policy: before any version is effective
SELECT set_config('kruxt.now', '2025-12-01T00:00:00Z', true);
SELECT pg_temp.eq(pg_temp.gaps(auth.uid()),
                  'terms:missing_active_policy:-,privacy:missing_active_policy:-,health_data_processing:missing_active_policy:-',
                  '2025-12-01: no current version of any type: missing_active_policy with null version');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_missing_required_consents() WHERE required_policy_version_id IS NULL), 3::bigint,
                  'null required_policy_version_id');

-- ================================================================ seeded users (anchor-independent dates)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('kruxt.now', '2026-03-20T12:00:00Z', true);
SELECT pg_temp.eq(pg_temp.gaps('20000000-0000-4000-8000-000000000004'), '', '2026-03-20: sara has complete consents');
SELECT pg_temp.eq(pg_temp.gaps('20000000-0000-4000-8000-000000000005'), 'privacy:reconsent_required:1.1.0',
                  'davide consented to privacy 1.0.0 only: reconsent_required (99 §3)');
SELECT pg_temp.eq(pg_temp.gaps('20000000-0000-4000-8000-000000000006'), 'health_data_processing:latest_record_revoked:1.0.0',
                  'elena revoked health-data processing: latest_record_revoked');
SELECT pg_temp.eq(public.user_has_required_consents('20000000-0000-4000-8000-000000000005'), false, 'davide is blocked');
SELECT pg_temp.eq((SELECT string_agg(p.username, ',' ORDER BY p.username) FROM public.profiles p
                   WHERE p.username NOT LIKE '%\_f1' AND NOT public.user_has_required_consents(p.id)),
                  'andy_analyst,carla_compliance,davide_romano,elena_greco,fra_founder,olga_ops,rita_inactive,rita_readonly,sam_support',
                  'blocked on 2026-03-20: davide, elena and the operators (who have no consents)');
SELECT set_config('kruxt.now', '2026-04-02T12:00:00Z', true);
SELECT pg_temp.eq(pg_temp.gaps('20000000-0000-4000-8000-000000000004'), 'terms:reconsent_required:1.1.0',
                  'once terms 1.1.0 is effective (2026-04-01) sara must re-consent to the terms');
SELECT pg_temp.eq(pg_temp.gaps('20000000-0000-4000-8000-000000000005'), 'terms:reconsent_required:1.1.0,privacy:reconsent_required:1.1.0',
                  'davide: two rows, terms before privacy');

-- ================================================================ callers
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.list_missing_required_consents('20000000-0000-4000-8000-000000000005')$q$,
                     'KX403', 'Cannot inspect consent gaps for another user', 'sara cannot inspect davide''s gaps');
SELECT pg_temp.fails($q$SELECT public.user_has_required_consents('20000000-0000-4000-8000-000000000005')$q$,
                     'KX403', 'Cannot inspect consent gaps for another user', 'nor through the gate function');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.list_missing_required_consents('20000000-0000-4000-8000-000000000004')$q$,
                     'KX403', 'Cannot inspect consent gaps for another user', 'staff neither (no staff exception in 05 §3)');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.list_missing_required_consents()$q$, 'KX401', 'Authentication required', 'anonymous');
SELECT pg_temp.fails($q$SELECT public.user_has_required_consents('20000000-0000-4000-8000-000000000004')$q$,
                     'KX401', 'Authentication required', 'anonymous naming a user');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.list_missing_required_consents()$q$, 'KX401', 'Authentication required', 'service without a target');

ROLLBACK;
