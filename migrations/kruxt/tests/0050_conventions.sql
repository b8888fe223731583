-- Conventions (00 §6): set_updated_at, immutability triggers, the audit log and its chain, append_audit_log,
-- the profile and gym guards (01 §1 gap closures), gym visibility.

BEGIN;

-- ---- set_updated_at
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.profiles SET bio = 'Squats and espresso' WHERE id = auth.uid()$q$), 1::bigint, 'sara edits her bio');
SELECT pg_temp.eq((SELECT updated_at FROM public.profiles WHERE id = auth.uid()), now(), 'set_updated_at stamped updated_at');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.profiles SET bio = 'hacked' WHERE id <> auth.uid()$q$), 0::bigint, 'sara cannot edit other profiles');

-- ---- guard_profile_progression
SELECT pg_temp.fails($q$UPDATE public.profiles SET xp_total = 99999 WHERE id = auth.uid()$q$, 'KX403', 'Progression fields are system-managed',
                     'sara cannot edit her XP');
SELECT pg_temp.fails($q$UPDATE public.profiles SET rank_tier = 'legend', level = 50 WHERE id = auth.uid()$q$, 'KX403', 'Progression fields are system-managed',
                     'sara cannot edit her rank');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO auth.users (id, email) VALUES ('20000000-0000-4000-8000-000000000099', 'newbie@demo.kruxt.app');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000099","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.profiles (id, username, display_name, xp_total, level, rank_tier, chain_days)
    VALUES (auth.uid(), 'newbie', 'Newbie', 5000, 20, 'titan', 30)$q$), 1::bigint, 'a new user creates a profile');
SELECT pg_temp.eq((SELECT xp_total || '/' || level || '/' || rank_tier || '/' || chain_days FROM public.profiles WHERE id = auth.uid()),
                  '0/1/initiate/0', 'progression fields are forced to their defaults on insert');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.notification_preferences WHERE user_id = auth.uid()$q$), 1::bigint,
                  'the profile came with default notification preferences');
SELECT pg_temp.fails($q$INSERT INTO public.profiles (id, username, display_name) VALUES ('20000000-0000-4000-8000-000000000098', 'impostor', 'Impostor')$q$,
                     '42501', NULL, 'nobody creates a profile for someone else');
SELECT pg_temp.fails($q$UPDATE public.profiles SET username = 'ab' WHERE id = auth.uid()$q$, '23514', NULL, 'usernames have 3..24 characters');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.profiles SET xp_total = 35, chain_days = 3 WHERE id = '20000000-0000-4000-8000-000000000004'$q$), 1::bigint,
                  'service may set progression fields');

-- ---- gyms: visibility and guard_gym_owner_fields
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gyms$q$), 1::bigint, 'sara sees the public gym only');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gyms$q$), 2::bigint, 'fede sees the private gym he belongs to');
SELECT pg_temp.eq(public.can_view_gym('10000000-0000-4000-8000-000000000002'), true, 'can_view_gym: member of a private gym');
SELECT pg_temp.eq(public.can_view_gym('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000004'), false,
                  'can_view_gym: sara and the private gym');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gyms (slug, name, owner_user_id, is_public) VALUES ('jake-private', 'Jake Private', auth.uid(), false)$q$),
                  1::bigint, 'jake creates a private gym');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gyms WHERE slug = 'jake-private'$q$), 1::bigint,
                  'the owner sees his private gym without a membership (gap closure)');
SELECT pg_temp.eq(public.can_manage_gym_config((SELECT id FROM public.gyms WHERE slug = 'jake-private')), true, 'the owner manages its config');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
    SELECT id, auth.uid(), 'leader', 'active' FROM public.gyms WHERE slug = 'jake-private'$q$), 1::bigint,
                  'the owner inserts his own leader/active membership (onboarding "create gym")');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gyms SET motto = 'Proof counts. Always.' WHERE id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint,
                  'staff edit the gym profile');
SELECT pg_temp.fails($q$UPDATE public.gyms SET payouts_enabled = true WHERE id = '10000000-0000-4000-8000-000000000001'$q$,
                     'KX403', 'Only the gym owner can change ownership or payout settings', 'staff cannot enable payouts');
SELECT pg_temp.fails($q$UPDATE public.gyms SET owner_user_id = auth.uid() WHERE id = '10000000-0000-4000-8000-000000000001'$q$,
                     'KX403', 'Only the gym owner can change ownership or payout settings', 'staff cannot take ownership');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gyms WHERE id = '10000000-0000-4000-8000-000000000001'$q$), 0::bigint, 'staff cannot delete the gym');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gyms SET motto = 'lol'$q$), 0::bigint, 'members cannot edit the gym');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gyms SET payment_provider = 'stripe', payouts_enabled = true WHERE id = '10000000-0000-4000-8000-000000000001'$q$),
                  1::bigint, 'the owner changes payout settings');

-- ---- immutability: consents, policy versions and audit logs raise for every role (00 §6.3)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.consents SET granted = false WHERE user_id = auth.uid()$q$, 'KX423',
                     'Table consents is immutable; append-only writes only', 'sara cannot update her consents');
SELECT pg_temp.fails($q$DELETE FROM public.consents WHERE user_id <> auth.uid()$q$, 'KX423',
                     'Table consents is immutable; append-only writes only', 'deleting hidden consents raises too');
SELECT pg_temp.fails($q$UPDATE public.policy_version_tracking SET is_active = false$q$, 'KX423',
                     'Table policy_version_tracking is immutable; append-only writes only', 'policy versions are immutable');
SELECT pg_temp.fails($q$DELETE FROM public.audit_logs$q$, 'KX423', 'Table audit_logs is immutable; append-only writes only', 'audit logs are immutable');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.consents (user_id, consent_type, granted, policy_version_id)
    VALUES (auth.uid(), 'marketing_email', true, 'e0000000-0000-4000-8000-000000000104')$q$), 1::bigint, 'sara appends a consent');
SELECT pg_temp.fails($q$INSERT INTO public.policy_version_tracking (policy_type, version, document_url, effective_at)
    VALUES ('terms', '9.9.9', 'https://x.example', now())$q$, '42501', NULL, 'only service publishes policy versions');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.policy_version_tracking$q$), 5::bigint, 'every signed-in user reads policy versions');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$UPDATE public.consents SET granted = false$q$, 'KX423', 'Table consents is immutable; append-only writes only', 'service cannot update consents');
SELECT pg_temp.fails($q$TRUNCATE public.audit_logs$q$, NULL, NULL, 'service cannot truncate audit logs');
RESET ROLE;
SELECT pg_temp.fails($q$DELETE FROM public.consents$q$, 'KX423', 'Table consents is immutable; append-only writes only', 'not even a superuser deletes consents');
SET LOCAL ROLE kruxt_owner;
SELECT pg_temp.fails($q$UPDATE public.audit_logs SET reason = 'tampered'$q$, 'KX423', 'Table audit_logs is immutable; append-only writes only',
                     'the owner cannot update audit logs');
SELECT pg_temp.fails($q$TRUNCATE public.consents$q$, 'KX423', 'Table consents is immutable; append-only writes only', 'the owner cannot truncate consents');

-- ---- append_audit_log and the chain
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.audit_logs (action, integrity_seq, entry_hash) VALUES ('forged', 1, 'x')$q$,
                     '42501', 'new row violates row-level security policy for table "audit_logs"', 'members cannot insert audit rows directly');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.audit_logs$q$), 0::bigint, 'members read no audit rows');
SELECT pg_temp.ok(public.append_audit_log('test.first', 'profiles', auth.uid(), 'first', '{"k":1}') IS NOT NULL, 'append_audit_log returns the id');
SELECT pg_temp.ok(public.append_audit_log('test.second', 'profiles', auth.uid()) IS NOT NULL, 'append_audit_log with defaults');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.ok(public.append_audit_log('test.third', NULL, NULL) IS NOT NULL, 'service appends');
INSERT INTO public.audit_logs (action, integrity_seq, prev_entry_hash, entry_hash, actor_role) VALUES ('test.fourth', 424242, 'bogus', 'bogus', 'service');
SELECT pg_temp.eq((SELECT actor_user_id::text || ' ' || actor_role || ' ' || reason || ' ' || metadata::text FROM public.audit_logs WHERE action = 'test.first'),
                  '20000000-0000-4000-8000-000000000004 authenticated first {"k": 1}', 'actor, role, reason and metadata are recorded');
SELECT pg_temp.eq((SELECT actor_user_id::text || '|' || actor_role FROM public.audit_logs WHERE action = 'test.third'), NULL::text,
                  'service rows have no actor user');
SELECT pg_temp.eq((SELECT actor_role FROM public.audit_logs WHERE action = 'test.third'), 'service_role', 'service rows carry the service role');
-- appends are unsealed until their transaction commits (or an explicit seal), caller-supplied integrity values discarded.
-- This transaction appended six rows: sara's consent above wrote its outbox row's security.event_outbox audit row and consent.recorded
-- (item 27, trigger emit_consent_recorded_event), then the four test.* appends. The seed's rows are all sealed (committed).
SELECT pg_temp.eq((SELECT string_agg(action, ',' ORDER BY append_seq) FROM public.audit_logs
                   WHERE integrity_seq IS NULL AND prev_entry_hash IS NULL AND entry_hash IS NULL),
                  'security.event_outbox,consent.recorded,test.first,test.second,test.third,test.fourth',
                  'rows of an open transaction are unsealed (caller-supplied 424242/bogus discarded)');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'consent.recorded' AND integrity_seq IS NULL
                   AND target_table = 'consents' AND metadata ->> 'user_id' = '20000000-0000-4000-8000-000000000004'), 1::bigint,
                  'the unsealed consent.recorded row is sara''s consent of this transaction');
SELECT pg_temp.eq((SELECT string_agg(action, ',' ORDER BY append_seq) FROM public.audit_logs WHERE action LIKE 'test.%'), 'test.first,test.second,test.third,test.fourth',
                  'append_seq is the insert order');
SELECT pg_temp.eq((SELECT public.seal_audit_log_chain(1000, true) ->> 'sealed_rows'), '6',
                  'the explicit seal seals the six rows of the transaction (the consent''s two and the four appends)');
SELECT pg_temp.eq((SELECT string_agg(action, ',' ORDER BY integrity_seq) FROM public.audit_logs WHERE action LIKE 'test.%'), 'test.first,test.second,test.third,test.fourth',
                  'sealed in append order');
SELECT pg_temp.eq((SELECT count(*) FROM (
        SELECT integrity_seq, lag(integrity_seq) OVER w AS prev_seq, prev_entry_hash, lag(entry_hash) OVER w AS prev_hash, entry_hash,
               public.audit_log_compute_hash(integrity_seq, prev_entry_hash, actor_user_id, actor_role, action, target_table, target_id,
                                             reason, ip_address, user_agent, metadata, created_at) AS recomputed
        FROM public.audit_logs WINDOW w AS (ORDER BY integrity_seq)) q
        WHERE (prev_seq IS NOT NULL AND integrity_seq <> prev_seq + 1)
           OR prev_entry_hash IS DISTINCT FROM prev_hash
           OR entry_hash <> recomputed
           OR (prev_seq IS NULL AND integrity_seq <> 1) OR integrity_seq IS NULL), 0::bigint,
    'the chain is gap-free, linked and every hash recomputes (caller-supplied integrity values were overwritten)');
SELECT pg_temp.eq((SELECT max(integrity_seq) FROM public.audit_logs), (SELECT count(*) FROM public.audit_logs), 'sequence numbers count from 1');
SELECT pg_temp.eq(public.audit_log_compute_hash(1, NULL, NULL, NULL, 'a', NULL, NULL, NULL, NULL, NULL, NULL, '2026-03-09T08:00:00Z'),
                  encode(sha256(convert_to('1||||a||||||{}|2026-03-09T08:00:00.000000Z', 'UTF8')), 'hex'), 'hash input format');

ROLLBACK;
