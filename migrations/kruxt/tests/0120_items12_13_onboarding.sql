-- Items 12, 13 (database side of Phase2OnboardingService.run, 02 §7.2): the SQL the run issues as the new
-- user, step by step, and what it must see to confirm persistence:
--   step 3 ensureProfile (insert; username collision = 23505), step 4 five record_user_consent calls
--   (marketing/push bound to the privacy policy), step 5 user_has_required_consents, step 6 the re-read of
--   the returned consent ids (item 12), step 7 create gym + own leader/active membership or join as
--   member/pending (keeping a trial/active row), steps 8-9 the home gym update and its re-read (item 13).
-- Negative cases: POLICY_BASELINE_MISSING (no current version: the RPC raises, nothing persists), a
-- baseline consent recorded as not granted (the re-read and the gate show it), a home gym update that does
-- not persist (0 rows under another user's claims; unknown gym 23503).
-- Item 11 (field validation) is Rust flow logic without SQL.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- step 2 (Rust auth): signup creates the identity row
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO auth.users (id, email) VALUES ('2f000000-0000-4000-8000-0000000000c1', 'new_athlete@example.com'),
                                          ('2f000000-0000-4000-8000-0000000000c2', 'new_member@example.com');

-- ================================================================ run 1: create a gym
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"2f000000-0000-4000-8000-0000000000c1","role":"authenticated","locale":"it-IT"}', true);
-- step 3: ensureProfile
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.profiles WHERE id = auth.uid()$q$), 0::bigint, 'no profile yet');
SELECT pg_temp.fails($q$INSERT INTO public.profiles (id, username, display_name) VALUES (auth.uid(), 'sara_conti', 'New Athlete')$q$,
                     '23505', NULL, 'a taken username: unique violation (the run retries with a suffix)');
INSERT INTO public.profiles (id, username, display_name, locale, preferred_units) VALUES (auth.uid(), 'sara_conti_4821', 'New Athlete', 'it-IT', 'metric');
SELECT pg_temp.eq((SELECT xp_total || ' ' || level || ' ' || rank_tier FROM public.profiles WHERE id = auth.uid()), '0 1 initiate', 'a fresh profile');
-- step 4: the baseline policies exist (POLICY_BASELINE_MISSING otherwise), then five consents
SELECT pg_temp.eq((SELECT count(*) FROM unnest(ARRAY['terms', 'privacy', 'health_data']::public.policy_type[]) t
                   WHERE public.current_policy_version_id(t) IS NOT NULL), 3::bigint, 'a current terms, privacy and health_data version');
INSERT INTO ctx SELECT 'terms', public.record_user_consent('terms', true, NULL, 'mobile', 'it-IT');
INSERT INTO ctx SELECT 'privacy', public.record_user_consent('privacy', true, NULL, 'mobile', 'it-IT');
INSERT INTO ctx SELECT 'health', public.record_user_consent('health_data_processing', true, NULL, 'mobile', 'it-IT');
INSERT INTO ctx SELECT 'marketing', public.record_user_consent('marketing_email', false, NULL, 'mobile', 'it-IT');
INSERT INTO ctx SELECT 'push', public.record_user_consent('push_notifications', true, NULL, 'mobile', 'it-IT');
-- step 5: the gate
SELECT pg_temp.eq(public.user_has_required_consents(), true, 'step 5: user_has_required_consents is true');
-- step 6 (item 12): re-read the returned ids; terms, privacy, health_data_processing present and granted
SELECT pg_temp.eq((SELECT string_agg(c.consent_type || ':' || c.granted || ':' || v.policy_type, ',' ORDER BY c.consent_type)
                   FROM public.consents c JOIN public.policy_version_tracking v ON v.id = c.policy_version_id
                   WHERE c.id IN (SELECT v FROM ctx)),
                  'terms:true:terms,privacy:true:privacy,health_data_processing:true:health_data,marketing_email:false:privacy,push_notifications:true:privacy',
                  'item 12: the five records are readable back, baseline ones granted, marketing/push bound to the privacy policy');
SELECT pg_temp.eq((SELECT count(*) FROM public.consents c WHERE c.id IN (SELECT v FROM ctx)
                   AND c.policy_version_id = public.current_policy_version_id(public.consent_policy_type_from_consent_type(c.consent_type))),
                  5::bigint, 'each bound to the current version of its policy type');
-- step 7: create a gym and the own leader/active membership
INSERT INTO public.gyms (id, slug, name, city, country_code, timezone, is_public, owner_user_id)
VALUES ('1f000000-0000-4000-8000-0000000000c1', 'forge-milano', 'Forge Milano', 'Milano', 'IT', 'Europe/Rome', true, auth.uid());
SELECT pg_temp.fails($q$INSERT INTO public.gyms (slug, name, owner_user_id) VALUES ('bzone-pavia', 'Copy', auth.uid())$q$,
                     '23505', NULL, 'a taken slug: unique violation (GYM_SLUG_CONFLICT after the retries)');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
                                      VALUES ('1f000000-0000-4000-8000-0000000000c1', auth.uid(), 'leader', 'active')$q$), 1::bigint,
                  'the owner''s own leader/active membership');
-- step 8: home gym; step 9 (item 13): re-read
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.profiles SET home_gym_id = '1f000000-0000-4000-8000-0000000000c1' WHERE id = auth.uid()$q$),
                  1::bigint, 'home gym update');
SELECT pg_temp.eq((SELECT home_gym_id FROM public.profiles WHERE id = auth.uid()), '1f000000-0000-4000-8000-0000000000c1'::uuid,
                  'item 13: the re-read profile carries the requested home gym');

-- ================================================================ run 2: join BZone
SELECT set_config('request.jwt.claims', '{"sub":"2f000000-0000-4000-8000-0000000000c2","role":"authenticated"}', true);
INSERT INTO public.profiles (id, username, display_name) VALUES (auth.uid(), 'new_member', 'New Member');
-- POLICY_BASELINE_MISSING: before any version is effective the RPC raises and nothing persists
SELECT set_config('kruxt.now', '2025-12-01T00:00:00Z', true);
SELECT pg_temp.eq(public.current_policy_version_id('terms'), NULL::uuid, '2025-12-01: no current terms version');
SELECT pg_temp.fails($q$SELECT public.record_user_consent('terms', true)$q$, 'KX404', 'No active policy version found for consent type terms',
                     'POLICY_BASELINE_MISSING: record_user_consent raises');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.consents WHERE user_id = auth.uid()$q$), 0::bigint, 'nothing persisted');
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
-- item 12 negative: the health-data consent comes back not granted
SELECT public.record_user_consent('terms', true);
SELECT public.record_user_consent('privacy', true);
INSERT INTO ctx SELECT 'health2', public.record_user_consent('health_data_processing', false);
SELECT pg_temp.eq((SELECT granted FROM public.consents WHERE id = (SELECT v FROM ctx WHERE k = 'health2')), false,
                  'item 12: the re-read shows health_data_processing not granted (ONBOARDING_CONSENT_CAPTURE_INCOMPLETE)');
SELECT pg_temp.eq(public.user_has_required_consents(), false, 'and the gate is closed (RECONSENT_REQUIRED)');
SELECT pg_temp.eq((SELECT string_agg(consent_type || ':' || reason, ',') FROM public.list_missing_required_consents()),
                  'health_data_processing:latest_record_revoked', 'its gap');
SELECT pg_temp.fails($q$SELECT public.record_user_consent('health_data_processing', true, NULL, 'mobile', NULL, '2f000000-0000-4000-8000-0000000000c1')$q$,
                     'KX403', 'Cannot record consent for another user', 'the run cannot write consents of another user');
SELECT public.record_user_consent('health_data_processing', true);
SELECT pg_temp.eq(public.user_has_required_consents(), true, 'granted: the gate opens');
-- step 7, join: upsert member/pending, keeping a trial/active row
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
    VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'member', 'pending')
    ON CONFLICT (gym_id, user_id) DO UPDATE SET membership_status = 'pending', role = 'member'
    WHERE gym_memberships.membership_status NOT IN ('trial', 'active')$q$), 1::bigint, 'join BZone as member/pending');
SELECT pg_temp.eq((SELECT role || '/' || membership_status FROM public.gym_memberships WHERE user_id = auth.uid()), 'member/pending', 'pending request');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
UPDATE public.gym_memberships SET membership_status = 'active' WHERE user_id = '2f000000-0000-4000-8000-0000000000c2';
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"2f000000-0000-4000-8000-0000000000c2","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
    VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'member', 'pending')
    ON CONFLICT (gym_id, user_id) DO UPDATE SET membership_status = 'pending', role = 'member'
    WHERE gym_memberships.membership_status NOT IN ('trial', 'active')$q$), 0::bigint, 'joining again keeps the active membership');
SELECT pg_temp.eq((SELECT membership_status::text FROM public.gym_memberships WHERE user_id = auth.uid()), 'active', 'still active');
-- steps 8-9 (item 13)
UPDATE public.profiles SET home_gym_id = '10000000-0000-4000-8000-000000000001' WHERE id = auth.uid();
SELECT pg_temp.eq((SELECT home_gym_id FROM public.profiles WHERE id = auth.uid()), '10000000-0000-4000-8000-000000000001'::uuid, 'home gym persisted');
-- item 13 negative: updates that do not persist are visible to the re-read
SELECT pg_temp.fails($q$UPDATE public.profiles SET home_gym_id = '1f000000-0000-4000-8000-00000000dead' WHERE id = auth.uid()$q$,
                     '23503', NULL, 'an unknown gym: foreign key violation (PROFILE_HOME_GYM_UPDATE_FAILED)');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.profiles SET home_gym_id = '1f000000-0000-4000-8000-0000000000c1' WHERE id = '2f000000-0000-4000-8000-0000000000c1'$q$),
                  0::bigint, 'an update of another user''s profile affects 0 rows');
SELECT set_config('request.jwt.claims', '{"sub":"2f000000-0000-4000-8000-0000000000c1","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT home_gym_id FROM public.profiles WHERE id = auth.uid()), '1f000000-0000-4000-8000-0000000000c1'::uuid,
                  'the other user''s home gym is unchanged');
-- an update run under the wrong claims (no row) leaves the profile as it was: the re-read differs from the request
SELECT set_config('request.jwt.claims', '{"sub":"2f000000-0000-4000-8000-0000000000c2","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.profiles SET home_gym_id = '10000000-0000-4000-8000-000000000002' WHERE id = '2f000000-0000-4000-8000-0000000000c1'$q$),
                  0::bigint, '0 rows');
SELECT set_config('request.jwt.claims', '{"sub":"2f000000-0000-4000-8000-0000000000c1","role":"authenticated"}', true);
SELECT pg_temp.ok((SELECT home_gym_id FROM public.profiles WHERE id = auth.uid()) IS DISTINCT FROM '10000000-0000-4000-8000-000000000002'::uuid,
                  'item 13: the re-read shows that the requested home gym was not persisted (ONBOARDING_HOME_GYM_NOT_PERSISTED)');

ROLLBACK;
