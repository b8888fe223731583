-- Item 68: US+EU expansion criteria are tracked and require two consecutive passing weekly reviews (08 §5):
-- evaluate_expansion_criteria, record_expansion_review, expansion_allowed, and open_cohort_invites('us_eu_canary').
-- Seed: one passing expansion review for 2026-03-13 only (expansion_allowed() is false); chiara's export request
-- breached its SLA at T-5 d. Tables of later areas (support desk: 10, legal copy: 06) get stand-ins with the spec's
-- columns when they do not exist yet (rolled back).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
DO $stand_in$
BEGIN
    IF to_regclass('public.legal_copy_keys') IS NULL THEN
        CREATE TABLE public.legal_copy_keys (copy_key text PRIMARY KEY, default_text text NOT NULL);
        CREATE TABLE public.legal_copy_translations (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), copy_key text NOT NULL REFERENCES public.legal_copy_keys,
                                                     locale text NOT NULL, translated_text text NOT NULL, UNIQUE (copy_key, locale));
        INSERT INTO public.legal_copy_keys VALUES ('legal.timestamp.not_available', 'Unavailable'), ('legal.error.reconsent_required_action', 'Please accept.');
        INSERT INTO public.legal_copy_translations (copy_key, locale, translated_text)
        VALUES ('legal.timestamp.not_available', 'it-IT', 'Non disponibile'), ('legal.error.reconsent_required_action', 'it-IT', 'Accetta.');
        ALTER TABLE public.legal_copy_keys OWNER TO kruxt_owner;
        ALTER TABLE public.legal_copy_translations OWNER TO kruxt_owner;
        GRANT ALL ON public.legal_copy_keys, public.legal_copy_translations TO service_role;
    END IF;
    IF to_regclass('public.support_tickets') IS NULL THEN
        CREATE TABLE public.support_tickets (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), gym_id uuid, subject text NOT NULL DEFAULT 's',
                                             description text NOT NULL DEFAULT 'd', status text NOT NULL DEFAULT 'open', first_response_due_at timestamptz);
        CREATE TABLE public.support_ticket_messages (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), ticket_id uuid NOT NULL REFERENCES public.support_tickets,
                                                     actor_type text NOT NULL, actor_user_id uuid, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT public.app_now());
        ALTER TABLE public.support_tickets OWNER TO kruxt_owner;
        ALTER TABLE public.support_ticket_messages OWNER TO kruxt_owner;
        GRANT ALL ON public.support_tickets, public.support_ticket_messages TO service_role;
    END IF;
    IF to_regclass('public.security_incidents') IS NULL THEN
        CREATE TABLE public.security_incidents (
            id uuid PRIMARY KEY DEFAULT gen_random_uuid(), gym_id uuid, title text NOT NULL, severity text NOT NULL DEFAULT 'high',
            status text NOT NULL DEFAULT 'detected', drill_mode boolean NOT NULL DEFAULT true, requires_ftc_notice boolean NOT NULL DEFAULT false,
            requires_gdpr_notice boolean NOT NULL DEFAULT true, detected_at timestamptz NOT NULL DEFAULT public.app_now(), resolved_at timestamptz);
        ALTER TABLE public.security_incidents OWNER TO kruxt_owner;
        GRANT ALL ON public.security_incidents TO service_role;
    END IF;
END
$stand_in$;

-- ================================================================ access and the seed
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000011","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.record_expansion_review('2026-03-20')$q$, 'KX403', 'Access denied', 'non-operators cannot record expansion reviews');
SELECT pg_temp.fails($q$SELECT public.evaluate_expansion_criteria('2026-03-20')$q$, 'KX403', 'Access denied', 'nor evaluate them');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT string_agg(criterion_key, ',' ORDER BY sort_order) FROM public.expansion_criteria),
                  'pavia_gate_pass,sync_success_95,no_stale_sla_breach,support_sla_met,no_open_sev1,legal_copy_coverage', 'six criteria');
SELECT pg_temp.eq((SELECT string_agg(week_of || ':' || all_passed, ',') FROM public.expansion_reviews), '2026-03-13:true', 'seed: one passing week');
SELECT pg_temp.eq(public.expansion_allowed(), false, 'one passing week is not enough');
SELECT pg_temp.fails($q$SELECT public.record_expansion_review('2026-03-19')$q$, 'KX422', 'Expansion reviews are recorded per Friday week', 'a Thursday');
SELECT pg_temp.fails($q$SELECT public.evaluate_expansion_criteria(NULL)$q$, 'KX422', 'Expansion reviews are recorded per Friday week', 'no week');

-- ================================================================ the criteria
SELECT pg_temp.eq(public.evaluate_expansion_criteria('2026-03-20'),
                  '{"pavia_gate_pass":false,"sync_success_95":true,"no_stale_sla_breach":true,"support_sla_met":true,"no_open_sev1":true,"legal_copy_coverage":true}'::jsonb,
                  'at T only the Pavia gate is missing (no recorded Pavia review yet)');
SELECT public.record_kpi_weekly_review('pavia', '2026-03-13', '{"repeat_rate":50,"feed_interactions_per_active":3.2,"booking_completion":75,"w4_retention":30,
                                                                "chain_survival":45,"staff_wau":65,"sync_success":97,"sev1_incidents":0}');
SELECT pg_temp.eq((SELECT all_passed || ' ' || (reviewed_at = public.app_now()) || ' ' || notes FROM public.record_expansion_review('2026-03-20', 'Second passing week')),
                  'true true Second passing week', 'with a passing Pavia review every criterion holds: the week passes');
SELECT pg_temp.eq(public.expansion_allowed(), true, '2026-03-13 and 2026-03-20 pass, 7 days apart: expansion allowed');
SELECT pg_temp.eq((SELECT jsonb_build_array(s -> 'expansion' -> 'consecutivePassingWeeks', s -> 'expansion' -> 'expansionAllowed')
                   FROM (SELECT public.rollout_console_snapshot() AS s) AS x), '[2, true]'::jsonb, 'the console shows two consecutive passing weeks');
SELECT pg_temp.eq((SELECT status || ' ' || invites_enabled FROM public.open_cohort_invites('us_eu_canary')), 'invites_open true',
                  'us_eu_canary invites may open now');
SELECT pg_temp.eq((SELECT metadata ->> 'all_passed' FROM public.audit_logs WHERE action = 'rollout.expansion_review_recorded'), 'true', 'audited');

-- each criterion can fail
SELECT public.record_kpi_weekly_review('pavia', '2026-03-20', '{"repeat_rate":10,"feed_interactions_per_active":3.2,"booking_completion":75,"w4_retention":30,
                                                                "chain_survival":45,"staff_wau":65,"sync_success":97,"sev1_incidents":0}');
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-20') ->> 'pavia_gate_pass'), 'false', 'pavia_gate_pass: the latest review (03-20) is Fail');
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-13') ->> 'pavia_gate_pass'), 'true', '... the review before it was Pass');
INSERT INTO public.device_sync_jobs (connection_id, status, finished_at)
SELECT 'd0000000-0000-4000-8000-000000000103', CASE WHEN i <= 2 THEN 'failed' ELSE 'succeeded' END::public.sync_job_status, '2026-03-18T10:00:00+01:00'
FROM generate_series(1, 20) AS i;
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-20') ->> 'sync_success_95'), 'false', 'sync_success_95: 18 of 20 jobs = 90 %');
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-27') ->> 'sync_success_95'), 'true', '... another week has none (100)');
INSERT INTO public.legal_copy_keys (copy_key, default_text) VALUES ('legal.kx_test.untranslated', 'Only English');
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-20') ->> 'legal_copy_coverage'), 'false',
                  'legal_copy_coverage: a key without an it-IT translation (us_eu_canary releases en-US and it-IT)');
INSERT INTO public.legal_copy_translations (copy_key, locale, translated_text) VALUES ('legal.kx_test.untranslated', 'it-IT', 'Solo inglese');
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-20') ->> 'legal_copy_coverage'), 'true', '... translated: covered');
INSERT INTO public.support_tickets (id, gym_id, subject, description, status, first_response_due_at)
VALUES ('7f000000-0000-4000-8000-000000000501', '10000000-0000-4000-8000-000000000001', 'Door', 'Door will not open', 'open', public.app_now() - interval '1 hour');
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-20') ->> 'support_sla_met'), 'false', 'support_sla_met: an open BZone ticket past its first-response time');
INSERT INTO public.support_ticket_messages (ticket_id, actor_type, actor_user_id, body) VALUES
    ('7f000000-0000-4000-8000-000000000501', 'staff', '20000000-0000-4000-8000-000000000002', 'Looking into it');
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-20') ->> 'support_sla_met'), 'true', '... a staff message answers it');
INSERT INTO public.security_incidents (gym_id, title, severity, status, drill_mode, requires_ftc_notice, requires_gdpr_notice)
VALUES (NULL, 'Platform outage', 'critical', 'contained', false, false, false);
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-20') ->> 'no_open_sev1'), 'false', 'no_open_sev1: an open non-drill critical incident');
SELECT set_config('kruxt.now', (public.app_now() + interval '3 days')::text, true);
SELECT pg_temp.eq((public.evaluate_expansion_criteria('2026-03-20') ->> 'no_stale_sla_breach'), 'false',
                  'no_stale_sla_breach: at T+3 d chiara''s open request breached 8 days ago');
SELECT pg_temp.eq((SELECT all_passed FROM public.record_expansion_review('2026-03-20')), false, 'the re-recorded week fails');
SELECT pg_temp.eq(public.expansion_allowed(), false, 'a failing latest week: not allowed');
SELECT pg_temp.eq((SELECT count(*) FROM public.expansion_reviews WHERE week_of = '2026-03-20'), 1::bigint, 'one review per week (upsert)');

-- ================================================================ "two consecutive passing weeks", exactly
DELETE FROM public.expansion_reviews;
INSERT INTO public.expansion_reviews (week_of, all_passed, reviewed_at) VALUES ('2026-03-13', true, public.app_now()), ('2026-03-27', true, public.app_now());
SELECT pg_temp.eq(public.expansion_allowed(), false, 'two passing weeks with a gap: not allowed');
INSERT INTO public.expansion_reviews (week_of, all_passed, reviewed_at) VALUES ('2026-03-20', false, public.app_now());
SELECT pg_temp.eq(public.expansion_allowed(), false, 'a failing week between them: not allowed');
UPDATE public.expansion_reviews SET all_passed = true WHERE week_of = '2026-03-20';
SELECT pg_temp.eq(public.expansion_allowed(), true, 'three passing weeks in a row: allowed');
INSERT INTO public.expansion_reviews (week_of, all_passed, reviewed_at) VALUES ('2026-04-03', false, public.app_now());
SELECT pg_temp.eq(public.expansion_allowed(), false, 'the latest week failing revokes it');

ROLLBACK;
