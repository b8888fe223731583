-- Item 2: a gym member cannot mutate staff-only objects (gym_membership_plans, waivers, contracts).
-- 01 §5: SELECT can_view_gym(gym_id); INSERT/UPDATE/DELETE is_gym_staff(gym_id).
-- Expected for an active member: INSERT raises 42501; UPDATE and DELETE affect 0 rows; rows unchanged.
-- Actors: sara_conti (04, BZone member/active), paolo_marino (07, pending), nico_costa (09, cancelled),
-- fede_lombardi (13, Wellness Zone member), luca_ferrari (03, BZone coach), marco_bianchi (01, owner).

BEGIN;

CREATE TEMP TABLE before_rows ON COMMIT DROP AS
    SELECT 'plan' AS kind, to_jsonb(p) AS row FROM public.gym_membership_plans p
    UNION ALL SELECT 'waiver', to_jsonb(w) FROM public.waivers w
    UNION ALL SELECT 'contract', to_jsonb(c) FROM public.contracts c;
GRANT SELECT ON before_rows TO PUBLIC;

-- ---- sara, active member of BZone
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);

SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_membership_plans WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 2::bigint,
                  'sara can read BZone plans');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.waivers WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 2::bigint,
                  'sara can read BZone waivers');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.contracts$q$), 1::bigint, 'sara can read the BZone contract');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_membership_plans WHERE gym_id = '10000000-0000-4000-8000-000000000002'$q$), 0::bigint,
                  'sara cannot read plans of the private Wellness Zone');

SELECT pg_temp.fails($q$INSERT INTO public.gym_membership_plans (gym_id, name, billing_cycle, price_cents)
                        VALUES ('10000000-0000-4000-8000-000000000001', 'Free Forever', 'monthly', 0)$q$,
                     '42501', 'new row violates row-level security policy for table "gym_membership_plans"',
                     'member insert into gym_membership_plans is refused');
SELECT pg_temp.fails($q$INSERT INTO public.waivers (gym_id, title, policy_version, document_url)
                        VALUES ('10000000-0000-4000-8000-000000000001', 'Fake Waiver', 'v9', 'https://x.example/w.pdf')$q$,
                     '42501', 'new row violates row-level security policy for table "waivers"',
                     'member insert into waivers is refused');
SELECT pg_temp.fails($q$INSERT INTO public.contracts (gym_id, title, policy_version, document_url)
                        VALUES ('10000000-0000-4000-8000-000000000001', 'Fake Contract', 'v9', 'https://x.example/c.pdf')$q$,
                     '42501', 'new row violates row-level security policy for table "contracts"',
                     'member insert into contracts is refused');

SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_membership_plans SET price_cents = 0$q$), 0::bigint, 'member update of plans affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.waivers SET is_active = false$q$), 0::bigint, 'member update of waivers affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.contracts SET document_url = 'https://evil.example'$q$), 0::bigint, 'member update of contracts affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_membership_plans$q$), 0::bigint, 'member delete of plans affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.waivers$q$), 0::bigint, 'member delete of waivers affects 0 rows');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.contracts$q$), 0::bigint, 'member delete of contracts affects 0 rows');

-- ---- a pending and a cancelled member, and a member of the other gym, are refused too
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000007","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.waivers (gym_id, title, policy_version, document_url)
                        VALUES ('10000000-0000-4000-8000-000000000001', 'Fake Waiver', 'v9', 'https://x.example/w.pdf')$q$,
                     '42501', NULL, 'pending member insert into waivers is refused');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000009","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.gym_membership_plans (gym_id, name, billing_cycle, price_cents)
                        VALUES ('10000000-0000-4000-8000-000000000001', 'Free Forever', 'monthly', 0)$q$,
                     '42501', NULL, 'cancelled member insert into plans is refused');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_membership_plans WHERE gym_id = '10000000-0000-4000-8000-000000000002'$q$), 1::bigint,
                  'fede (Wellness Zone member) can read its plans');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_membership_plans SET price_cents = 0$q$), 0::bigint,
                  'fede updates no plan of his own gym either');
SELECT pg_temp.fails($q$INSERT INTO public.contracts (gym_id, title, policy_version, document_url)
                        VALUES ('10000000-0000-4000-8000-000000000002', 'Fake Contract', 'v9', 'https://x.example/c.pdf')$q$,
                     '42501', NULL, 'fede insert into contracts is refused');

-- ---- rows unchanged (read back as the superuser)
RESET ROLE;
SELECT set_config('request.jwt.claims', '', true);
SELECT pg_temp.eq((SELECT count(*) FROM (
        SELECT 'plan' AS kind, to_jsonb(p) AS row FROM public.gym_membership_plans p
        UNION ALL SELECT 'waiver', to_jsonb(w) FROM public.waivers w
        UNION ALL SELECT 'contract', to_jsonb(c) FROM public.contracts c
        EXCEPT SELECT kind, row FROM before_rows) AS changed), 0::bigint,
    'no plan, waiver or contract changed');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_membership_plans) + (SELECT count(*) FROM public.waivers) + (SELECT count(*) FROM public.contracts),
                  (SELECT count(*) FROM before_rows), 'no plan, waiver or contract was added or removed');

-- ---- positive: staff (coach luca) publishes a new waiver version, deactivates the old one, edits a plan
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.waivers (gym_id, title, policy_version, language_code, document_url, created_by)
    VALUES ('10000000-0000-4000-8000-000000000001', 'Liability Waiver', 'v2026.2', 'it', 'https://bzonepavia.example/legal/liability-waiver-v2026.2.pdf',
            '20000000-0000-4000-8000-000000000003')$q$), 1::bigint, 'coach publishes a new waiver version');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.waivers SET is_active = false
    WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND title = 'Liability Waiver' AND policy_version = 'v2026.1'$q$), 1::bigint,
                  'coach deactivates the previous waiver version');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_membership_plans SET price_cents = 7200 WHERE id = 'b0000000-0000-4000-8000-000000000101'$q$), 1::bigint,
                  'coach edits a plan');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.contracts (gym_id, title, policy_version, document_url, contract_type)
    VALUES ('10000000-0000-4000-8000-000000000001', 'PT Agreement', 'v2026.1', 'https://bzonepavia.example/legal/pt.pdf', 'personal_training')$q$), 1::bigint,
                  'coach creates a contract');
SELECT pg_temp.fails($q$INSERT INTO public.waivers (gym_id, title, policy_version, document_url)
                        VALUES ('10000000-0000-4000-8000-000000000002', 'Fake Waiver', 'v9', 'https://x.example/w.pdf')$q$,
                     '42501', NULL, 'BZone coach cannot write Wellness Zone waivers');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.waivers WHERE policy_version = 'v2025.1'$q$), 1::bigint,
                  'owner (leader) deletes an old waiver');

ROLLBACK;
