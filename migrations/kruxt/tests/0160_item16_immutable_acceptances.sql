-- Item 16: waiver and contract acceptances are immutable evidence records (03 §1.6, §2.3; 00 §6.3).
-- Fixed reference failures: re-accepting never overwrites accepted_at or signature data; UPDATE and DELETE
-- raise for every role, also when RLS hides the row; the only change is the service-side scrub.
-- Seed: waiver b…0201 (Liability Waiver v2026.1, active), b…0202 (v2025.1, inactive), contract b…0301;
-- acceptances: sara waiver …0601 and contract …0701 (T-45 d, mobile), davide waiver …0602 (admin).

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid, t timestamptz, j jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ record_waiver_acceptance
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000006","role":"authenticated","locale":"it-IT"}', true);
INSERT INTO ctx (k, v) SELECT 'elena', public.record_waiver_acceptance('b0000000-0000-4000-8000-000000000201',
                                                                     'a0000000-0000-4000-8000-000000000106', '{"name":"Elena Greco"}');
SELECT pg_temp.eq((SELECT user_id || ' ' || gym_membership_id || ' ' || source || ' ' || locale || ' ' || signature_data::text || ' ' || (accepted_at = public.app_now())
                   FROM public.waiver_acceptances WHERE id = (SELECT v FROM ctx WHERE k = 'elena')),
                  '20000000-0000-4000-8000-000000000006 a0000000-0000-4000-8000-000000000106 mobile it-IT {"name": "Elena Greco"} true',
                  'elena''s acceptance: own user, membership, source mobile, locale from the claims, signature, accepted now');
UPDATE ctx SET (t, j) = (SELECT accepted_at, signature_data FROM public.waiver_acceptances WHERE id = ctx.v) WHERE k = 'elena';
-- re-accepting later with another signature: same id, nothing overwritten
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '3 days')::text, true);
SELECT pg_temp.eq(public.record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', NULL, '{"name":"Someone Else"}'),
                  (SELECT v FROM ctx WHERE k = 'elena'), 're-accepting returns the existing acceptance id');
SELECT pg_temp.eq((SELECT (accepted_at, signature_data)::text FROM public.waiver_acceptances WHERE id = (SELECT v FROM ctx WHERE k = 'elena')),
                  (SELECT (t, j)::text FROM ctx WHERE k = 'elena'), 're-accepting keeps accepted_at and signature_data');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.waiver_acceptances WHERE user_id = auth.uid()$q$), 1::bigint, 'still one acceptance');
-- the seeded acceptance of sara is returned unchanged too
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated","locale":"en-US"}', true);
SELECT pg_temp.eq(public.record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', NULL, '{"name":"X"}'),
                  '30000000-0000-4000-8000-000000000601'::uuid, 'sara re-accepts: her seeded acceptance id');
SELECT pg_temp.eq((SELECT accepted_at < current_setting('test.anchor')::timestamptz - interval '44 days'
                          AND signature_data = '{"method":"typed_name","name":"Sara Conti"}' AND locale = 'it-IT'
                   FROM public.waiver_acceptances WHERE id = '30000000-0000-4000-8000-000000000601'), true,
                  'sara''s evidence still says T-45 d, her typed name, it-IT');
-- errors
SELECT pg_temp.fails($q$SELECT public.record_waiver_acceptance('b0000000-0000-4000-8000-000000000202')$q$,
                     'KX409', 'Waiver is not active', 'an inactive waiver cannot be accepted');
SELECT pg_temp.fails($q$SELECT public.record_waiver_acceptance('b0000000-0000-4000-8000-000000009999')$q$,
                     'KX409', 'Waiver is not active', 'an unknown waiver reads as not active');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000015","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', 'a0000000-0000-4000-8000-000000000104')$q$,
                     'KX422', 'Membership id does not match target user and gym', 'someone else''s membership cannot be attached');
SELECT pg_temp.ok(public.record_waiver_acceptance('b0000000-0000-4000-8000-000000000201') IS NOT NULL, 'hanna accepts without a membership id');
SELECT pg_temp.eq((SELECT locale FROM public.waiver_acceptances WHERE user_id = auth.uid()), 'en', 'no locale claim: locale en');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.record_waiver_acceptance('b0000000-0000-4000-8000-000000000201')$q$,
                     'KX401', 'Authentication required', 'anonymous: Authentication required');
SELECT pg_temp.fails($q$SELECT * FROM public.waiver_acceptances$q$, '42501', NULL, 'anonymous reads no evidence');

-- a new document version is a new waiver row and gets a new acceptance
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
INSERT INTO public.waivers (id, gym_id, title, policy_version, language_code, document_url)
VALUES ('b0000000-0000-4000-8000-000000000299', '10000000-0000-4000-8000-000000000001', 'Liability Waiver', 'v2026.2', 'it',
        'https://bzonepavia.example/legal/liability-waiver-v2026.2.pdf');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.ok(public.record_waiver_acceptance('b0000000-0000-4000-8000-000000000299') NOT IN ('30000000-0000-4000-8000-000000000601'),
                  'sara accepts v2026.2: a new acceptance');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.waiver_acceptances WHERE user_id = auth.uid()$q$), 2::bigint,
                  'sara now has one acceptance per version');

-- ================================================================ contracts: direct insert by the member
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000006","role":"authenticated","locale":"it-IT"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.contract_acceptances (contract_id, user_id, gym_membership_id, accepted_at, signature_data)
    VALUES ('b0000000-0000-4000-8000-000000000301', auth.uid(), 'a0000000-0000-4000-8000-000000000106', '2020-01-01', '{"name":"Elena Greco"}')$q$),
                  1::bigint, 'elena accepts the membership agreement by direct insert');
SELECT pg_temp.eq((SELECT (accepted_at = public.app_now()) || ' ' || source || ' ' || locale FROM public.contract_acceptances WHERE user_id = auth.uid()),
                  'true mobile it-IT', 'a direct insert cannot back-date accepted_at; source mobile, locale from the claims');
SELECT pg_temp.fails($q$INSERT INTO public.contract_acceptances (contract_id, user_id) VALUES ('b0000000-0000-4000-8000-000000000301', auth.uid())$q$,
                     '23505', NULL, 'a second direct acceptance of the same contract is refused (unique), nothing overwritten');
SELECT pg_temp.fails($q$INSERT INTO public.contract_acceptances (contract_id, user_id) VALUES ('b0000000-0000-4000-8000-000000000301', '20000000-0000-4000-8000-000000000005')$q$,
                     '42501', 'new row violates row-level security policy for table "contract_acceptances"', 'nobody accepts for someone else');
SELECT pg_temp.fails($q$INSERT INTO public.waiver_acceptances (waiver_id, user_id) VALUES ('b0000000-0000-4000-8000-000000000202', auth.uid())$q$,
                     'KX409', 'Waiver is not active', 'a direct insert for an inactive waiver is refused');
SELECT pg_temp.fails($q$INSERT INTO public.waiver_acceptances (waiver_id, user_id, gym_membership_id)
    VALUES ('b0000000-0000-4000-8000-000000000299', auth.uid(), 'a0000000-0000-4000-8000-000000000104')$q$,
                     'KX422', 'Membership id does not match target user and gym', 'a direct insert with someone else''s membership is refused');

-- ================================================================ immutability, every role
-- member: own rows, hidden rows
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.waiver_acceptances SET accepted_at = now(), signature_data = '{}' WHERE user_id = auth.uid()$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'sara cannot rewrite her waiver acceptance');
SELECT pg_temp.fails($q$UPDATE public.contract_acceptances SET signature_data = '{"name":"Forged"}' WHERE user_id <> auth.uid()$q$,
                     'KX423', 'Table contract_acceptances is immutable; append-only writes only', 'updating rows RLS hides raises too');
SELECT pg_temp.fails($q$DELETE FROM public.waiver_acceptances WHERE user_id = auth.uid()$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'sara cannot delete her acceptance');
SELECT pg_temp.fails($q$DELETE FROM public.contract_acceptances WHERE user_id <> auth.uid()$q$,
                     'KX423', 'Table contract_acceptances is immutable; append-only writes only', 'deleting hidden rows raises');
SELECT set_config('kruxt.evidence_scrub', 'on', true);
SELECT pg_temp.fails($q$UPDATE public.waiver_acceptances SET ip_address = NULL, user_agent = NULL, signature_data = '{}' WHERE user_id = auth.uid()$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'the scrub flag does not help a member');
SELECT set_config('kruxt.evidence_scrub', '', true);
-- staff (officer) and the owner
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.waiver_acceptances SET source = 'admin' WHERE id = '30000000-0000-4000-8000-000000000601'$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'staff cannot update evidence');
SELECT pg_temp.fails($q$DELETE FROM public.contract_acceptances$q$,
                     'KX423', 'Table contract_acceptances is immutable; append-only writes only', 'staff cannot delete evidence');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.fails($q$DELETE FROM public.waivers WHERE id = 'b0000000-0000-4000-8000-000000000201'$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only',
                     'the owner cannot delete an accepted waiver (the cascade would remove evidence)');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.waivers WHERE id = 'b0000000-0000-4000-8000-000000000202'$q$), 1::bigint,
                  'a waiver nobody accepted can still be deleted');
-- service without the scrub, the owner, a superuser
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$UPDATE public.waiver_acceptances SET accepted_at = now() WHERE id = '30000000-0000-4000-8000-000000000601'$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'service cannot change accepted_at');
SELECT pg_temp.fails($q$UPDATE public.waiver_acceptances SET signature_data = '{}' WHERE id = '30000000-0000-4000-8000-000000000601'$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'service cannot scrub without kruxt.evidence_scrub');
SELECT pg_temp.fails($q$TRUNCATE public.contract_acceptances$q$, '42501', NULL, 'service cannot truncate evidence (no privilege)');
RESET ROLE;
SELECT set_config('request.jwt.claims', '', true);
SELECT pg_temp.fails($q$UPDATE public.contract_acceptances SET locale = 'xx'$q$,
                     'KX423', 'Table contract_acceptances is immutable; append-only writes only', 'not even a superuser updates evidence');
SET LOCAL ROLE kruxt_owner;
SELECT pg_temp.fails($q$DELETE FROM public.waiver_acceptances$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'the owner role cannot delete evidence');
SELECT pg_temp.fails($q$TRUNCATE public.waiver_acceptances$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'the owner role cannot truncate evidence');

-- the scrub exception (service + kruxt.evidence_scrub = 'on', only ip/user agent/signature)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('kruxt.evidence_scrub', 'on', true);
SELECT pg_temp.fails($q$UPDATE public.waiver_acceptances SET ip_address = NULL, user_agent = NULL, signature_data = '{}', locale = NULL
    WHERE id = '30000000-0000-4000-8000-000000000601'$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'a scrub that touches other columns raises');
SELECT pg_temp.fails($q$UPDATE public.waiver_acceptances SET signature_data = '{"redacted":true}' WHERE id = '30000000-0000-4000-8000-000000000601'$q$,
                     'KX423', 'Table waiver_acceptances is immutable; append-only writes only', 'a scrub must set signature_data to {}');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.waiver_acceptances SET ip_address = NULL, user_agent = NULL, signature_data = '{}'
    WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 2::bigint, 'the anonymization scrub of sara''s waiver evidence');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.contract_acceptances SET ip_address = NULL, user_agent = NULL, signature_data = '{}'
    WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$), 1::bigint, 'and of her contract evidence');
SELECT pg_temp.eq((SELECT (ip_address, user_agent, signature_data, source, locale)::text FROM public.contract_acceptances WHERE id = '30000000-0000-4000-8000-000000000701'),
                  '(,,{},mobile,it-IT)', 'what was accepted, when and how stays; the personal data is gone');
SELECT set_config('kruxt.evidence_scrub', '', true);
-- service purges: membership set-null, delete
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_memberships WHERE id = 'a0000000-0000-4000-8000-000000000105'$q$), 1::bigint,
                  'service deletes davide''s membership');
SELECT pg_temp.eq((SELECT gym_membership_id FROM public.waiver_acceptances WHERE id = '30000000-0000-4000-8000-000000000602'), NULL::uuid,
                  'his acceptance stays, unlinked (the FK''s set null is the one other permitted change)');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.waiver_acceptances WHERE id = '30000000-0000-4000-8000-000000000602'$q$), 1::bigint,
                  'service may delete evidence (purges)');

-- ================================================================ visibility
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.waiver_acceptances$q$) || '/' || pg_temp.row_count($q$SELECT * FROM public.contract_acceptances$q$),
                  '4/2', 'staff of the document''s gym see every acceptance (waivers: sara x2, elena, hanna; contracts: sara, elena)');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.waiver_acceptances$q$) + pg_temp.row_count($q$SELECT * FROM public.contract_acceptances$q$),
                  0::bigint, 'staff of another gym see none');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000015","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.waiver_acceptances$q$), 1::bigint, 'a member sees only her own acceptances');

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'waiver.accepted'), 3::bigint,
                  'waiver.accepted audited once per created acceptance (elena, hanna, sara v2026.2), never for a re-accept');
SELECT pg_temp.eq((SELECT metadata FROM public.audit_logs WHERE action = 'waiver.accepted' AND target_id = (SELECT v FROM ctx WHERE k = 'elena')),
                  '{"waiver_id":"b0000000-0000-4000-8000-000000000201"}'::jsonb, 'waiver.accepted metadata {waiver_id}');

ROLLBACK;
