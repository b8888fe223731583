-- Item 87 (database side): recordWaiverAcceptance / recordContractAcceptance from the ops console call
-- admin_record_waiver_acceptance / admin_record_contract_acceptance (03 §2.3) and reload the evidence list
-- (accepted_at descending). Errors in order: Authentication required; document inactive; caller not staff
-- of the document's gym; target without a membership row in that gym; membership id not (id, gym, user).

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ errors in order
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000202', '20000000-0000-4000-8000-000000000006')$q$,
                     'KX401', 'Authentication required', '1. anonymous: Authentication required (before anything else)');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000202', '20000000-0000-4000-8000-000000000006')$q$,
                     'KX409', 'Waiver is not active', '2. an inactive waiver: Waiver is not active (before the staff check)');
SELECT pg_temp.fails($q$SELECT public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000006')$q$,
                     'KX403', 'Gym staff access is required', '3. member sara: Gym staff access is required');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.admin_record_contract_acceptance('b0000000-0000-4000-8000-000000000301', '20000000-0000-4000-8000-000000000006')$q$,
                     'KX403', 'Gym staff access is required', '3. staff of another gym: Gym staff access is required');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated","locale":"it-IT"}', true);
SELECT pg_temp.fails($q$SELECT public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000014')$q$,
                     'KX422', 'Target user is not a member of this gym', '4. jake has no BZone membership row');
SELECT pg_temp.fails($q$SELECT public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000013')$q$,
                     'KX422', 'Target user is not a member of this gym', '4. fede is a member of the other gym only');
SELECT pg_temp.fails($q$SELECT public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000006',
                                                                      'a0000000-0000-4000-8000-000000000104')$q$,
                     'KX422', 'Membership id does not match target user and gym', '5. sara''s membership for elena');
SELECT pg_temp.fails($q$SELECT public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000006',
                                                                      'a0000000-0000-4000-8000-000000000213')$q$,
                     'KX422', 'Membership id does not match target user and gym', '5. a membership of another gym');

-- ================================================================ success (officer giulia)
INSERT INTO ctx SELECT 'elena_waiver', public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000006',
                                                                            'a0000000-0000-4000-8000-000000000106', '{"method":"paper_form"}', '   ');
SELECT pg_temp.eq((SELECT user_id || ' ' || gym_membership_id || ' ' || source || ' ' || locale || ' ' || signature_data::text || ' ' || (accepted_at = public.app_now())
                   FROM public.waiver_acceptances WHERE id = (SELECT v FROM ctx WHERE k = 'elena_waiver')),
                  '20000000-0000-4000-8000-000000000006 a0000000-0000-4000-8000-000000000106 admin it-IT {"method": "paper_form"} true',
                  'waiverAcceptanceId: blank source -> admin, locale from the staff claims, signature kept');
-- the refreshed evidence list, newest first
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || a.source, ',' ORDER BY a.accepted_at DESC, a.id DESC) FROM (
                       SELECT * FROM public.waiver_acceptances WHERE waiver_id = 'b0000000-0000-4000-8000-000000000201'
                       ORDER BY accepted_at DESC, id DESC LIMIT 300) a JOIN public.profiles p ON p.id = a.user_id),
                  'elena_greco:admin,davide_romano:admin,sara_conti:mobile', 'waiverAcceptances (accepted_at descending)');
-- recording again: the same id, nothing overwritten, no second audit row
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '1 day')::text, true);
SELECT pg_temp.eq(public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000006',
                                                        NULL, '{"method":"tablet"}', 'kiosk'),
                  (SELECT v FROM ctx WHERE k = 'elena_waiver'), 'recording again returns the existing id');
SELECT pg_temp.eq((SELECT source || ' ' || signature_data::text || ' ' || (accepted_at = current_setting('test.anchor')::timestamptz)
                   FROM public.waiver_acceptances WHERE id = (SELECT v FROM ctx WHERE k = 'elena_waiver')),
                  'admin {"method": "paper_form"} true', 'accepted_at, source and signature are unchanged');
SELECT pg_temp.eq(public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000004'),
                  '30000000-0000-4000-8000-000000000601'::uuid, 'sara''s seeded (mobile) acceptance is returned, not replaced');
-- a cancelled member still has a membership row: evidence can be recorded
INSERT INTO ctx SELECT 'nico_contract', public.admin_record_contract_acceptance('b0000000-0000-4000-8000-000000000301', '20000000-0000-4000-8000-000000000009',
                                                                              p_source => 'frontdesk');
SELECT pg_temp.eq((SELECT source || ' ' || locale || ' ' || signature_data::text || ' ' || (gym_membership_id IS NULL) FROM public.contract_acceptances
                   WHERE id = (SELECT v FROM ctx WHERE k = 'nico_contract')),
                  'frontdesk it-IT {} true', 'contractAcceptanceId for nico (source kept, signature {}, no membership link)');
SELECT pg_temp.eq((SELECT string_agg(user_id::text, ',' ORDER BY accepted_at DESC, id DESC) FROM public.contract_acceptances
                   WHERE contract_id = 'b0000000-0000-4000-8000-000000000301'),
                  '20000000-0000-4000-8000-000000000009,20000000-0000-4000-8000-000000000004', 'contractAcceptances (accepted_at descending)');
-- a coach is staff too (03: staff; ops.waivers.manage is not consulted, see README)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.ok(public.admin_record_contract_acceptance('b0000000-0000-4000-8000-000000000301', '20000000-0000-4000-8000-000000000015') IS NOT NULL,
                  'coach luca records hanna''s contract acceptance');
SELECT pg_temp.eq((SELECT locale FROM public.contract_acceptances WHERE user_id = '20000000-0000-4000-8000-000000000015'), 'en',
                  'no locale claim: en');
-- deactivated documents refuse new evidence
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.contracts SET is_active = false WHERE id = 'b0000000-0000-4000-8000-000000000301'$q$), 1::bigint,
                  'the contract is deactivated');
SELECT pg_temp.fails($q$SELECT public.admin_record_contract_acceptance('b0000000-0000-4000-8000-000000000301', '20000000-0000-4000-8000-000000000016')$q$,
                     'KX409', 'Contract is not active', 'an inactive contract: Contract is not active');
SELECT pg_temp.fails($q$SELECT public.admin_record_contract_acceptance('b0000000-0000-4000-8000-000000000399', '20000000-0000-4000-8000-000000000016')$q$,
                     'KX409', 'Contract is not active', 'an unknown contract reads as not active');

-- ================================================================ audit
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(action || ' ' || target_table || ' ' || metadata::text || ' ' || actor_user_id, ' | ' ORDER BY append_seq)
                   FROM public.audit_logs WHERE action IN ('waiver.accepted_admin', 'contract.accepted_admin')),
                  'waiver.accepted_admin waiver_acceptances {"user_id": "20000000-0000-4000-8000-000000000006", "waiver_id": "b0000000-0000-4000-8000-000000000201"} 20000000-0000-4000-8000-000000000002'
                  || ' | contract.accepted_admin contract_acceptances {"user_id": "20000000-0000-4000-8000-000000000009", "contract_id": "b0000000-0000-4000-8000-000000000301"} 20000000-0000-4000-8000-000000000002'
                  || ' | contract.accepted_admin contract_acceptances {"user_id": "20000000-0000-4000-8000-000000000015", "contract_id": "b0000000-0000-4000-8000-000000000301"} 20000000-0000-4000-8000-000000000003',
                  'one audit row per created acceptance, none for the repeats');
-- service may record too (workers); it passes the staff check
SELECT pg_temp.ok(public.admin_record_waiver_acceptance('b0000000-0000-4000-8000-000000000201', '20000000-0000-4000-8000-000000000016') IS NOT NULL,
                  'service records leo''s waiver acceptance');

ROLLBACK;
