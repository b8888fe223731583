-- Item 36: has_active_legal_hold blocks delete fulfillment for held users, with terminal fail when forced final
-- (05 §6.1, §6.2, §7 step 3): the hold window, who may inspect and manage holds (RLS on legal_holds), the
-- processor's forced final failure, and that neither anonymization nor completion gets past an active hold.
-- Gap closures / additions checked: staff cannot place or lift a hold on themselves; created_by/released_by
-- are the caller's, not client-supplied.
-- Seed (T): hanna (15) BZone member with the active litigation hold 7…1301 (since T-9 d) and the queued delete
-- job 7…1201 of her in_progress request 7…0105; giulia (02) BZone officer; marta (12) Wellness Zone coach.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ has_active_legal_hold: who may ask
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000015'), true, 'service: hanna is held');
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000004'), false, 'service: sara is not');
SELECT pg_temp.fails($q$SELECT public.has_active_legal_hold()$q$, 'KX401', 'Authentication required', 'service without a target');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000015","role":"authenticated"}', true);
SELECT pg_temp.eq(public.has_active_legal_hold(), true, 'hanna asks about herself (default target)');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.legal_holds$q$), 1::bigint, 'and reads her hold');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.legal_holds SET is_active = false$q$), 0::bigint, 'but cannot lift it');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000015'), true, 'officer giulia (BZone) may ask about hanna');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.has_active_legal_hold('20000000-0000-4000-8000-000000000015')$q$,
                     'KX403', 'Cannot inspect legal hold status for this user', 'member sara may not ask about hanna');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.legal_holds$q$), 0::bigint, 'nor read her hold');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.has_active_legal_hold('20000000-0000-4000-8000-000000000015')$q$,
                     'KX403', 'Cannot inspect legal hold status for this user', 'a coach of the other gym may not ask');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.has_active_legal_hold('20000000-0000-4000-8000-000000000015')$q$, 'KX401', 'Authentication required', 'anonymous');

-- ================================================================ managing holds (RLS)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
INSERT INTO public.legal_holds (id, user_id, hold_type, reason, created_by, released_by, released_at, created_at)
VALUES ('70000000-0000-4000-8000-0000000f1301', '20000000-0000-4000-8000-000000000004', 'payment_dispute', 'Chargeback under review',
        '20000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000001', '2020-01-01', '2020-01-01');
SELECT pg_temp.eq((SELECT created_by || ' ' || coalesce(released_by::text, '-') || ' ' || coalesce(released_at::text, '-') || ' ' || is_active
                          || ' ' || (starts_at = public.app_now()) || ' ' || (created_at = public.app_now())
                   FROM public.legal_holds WHERE id = '70000000-0000-4000-8000-0000000f1301'),
                  '20000000-0000-4000-8000-000000000002 - - true true true',
                  'giulia places a hold on sara: created_by = giulia (not the supplied owner), no release, starts now');
SELECT pg_temp.fails($q$INSERT INTO public.legal_holds (user_id, hold_type, reason) VALUES ('20000000-0000-4000-8000-000000000002', 'other', 'self')$q$,
                     '42501', 'new row violates row-level security policy for table "legal_holds"', 'gap closure: staff cannot hold themselves');
SELECT pg_temp.fails($q$INSERT INTO public.legal_holds (user_id, hold_type, reason) VALUES ('20000000-0000-4000-8000-000000000013', 'other', 'x')$q$,
                     '42501', 'new row violates row-level security policy for table "legal_holds"', 'nor a member of another gym');
SELECT pg_temp.fails($q$INSERT INTO public.legal_holds (user_id, hold_type, reason) VALUES ('20000000-0000-4000-8000-000000000007', 'other', 'x')$q$,
                     '42501', 'new row violates row-level security policy for table "legal_holds"', 'nor a pending member (not trial/active)');
SELECT pg_temp.fails($q$INSERT INTO public.legal_holds (user_id, hold_type, reason) VALUES ('20000000-0000-4000-8000-000000000004', 'gossip', 'x')$q$,
                     '23514', NULL, 'an unknown hold type');
SELECT pg_temp.fails($q$INSERT INTO public.legal_holds (user_id, hold_type, reason) VALUES ('20000000-0000-4000-8000-000000000004', 'other', '  ')$q$,
                     '23514', NULL, 'a blank reason');
SELECT pg_temp.fails($q$INSERT INTO public.legal_holds (user_id, hold_type, reason, starts_at, ends_at) VALUES ('20000000-0000-4000-8000-000000000004', 'other', 'x', '2026-03-10', '2026-03-09')$q$,
                     '23514', NULL, 'ends before it starts');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.legal_holds (user_id, hold_type, reason) VALUES ('20000000-0000-4000-8000-000000000005', 'other', 'x')$q$,
                     '42501', 'new row violates row-level security policy for table "legal_holds"', 'a member cannot place holds');
SELECT pg_temp.eq(public.has_active_legal_hold(), true, 'sara sees that she is now held');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.legal_holds$q$), 0::bigint, 'and cannot delete the hold');
-- lifting: staff update; released_by = the caller
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '1 hour')::text, true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.legal_holds SET is_active = false, released_by = '20000000-0000-4000-8000-000000000001'
                                      WHERE id = '70000000-0000-4000-8000-0000000f1301'$q$), 1::bigint, 'coach luca lifts the hold');
SELECT pg_temp.eq((SELECT is_active || ' ' || released_by || ' ' || (released_at = public.app_now()) || ' ' || created_by
                   FROM public.legal_holds WHERE id = '70000000-0000-4000-8000-0000000f1301'),
                  'false 20000000-0000-4000-8000-000000000003 true 20000000-0000-4000-8000-000000000002', 'released_by = luca, released now, creator kept');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.legal_holds$q$), 0::bigint, 'staff cannot delete holds (service only)');
SELECT pg_temp.eq(public.can_manage_privacy_user('20000000-0000-4000-8000-000000000004'), true, 'luca manages sara');

-- ================================================================ the hold window
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000004'), false, 'a released hold does not count');
INSERT INTO public.legal_holds (id, user_id, hold_type, reason, starts_at, ends_at) VALUES
    ('70000000-0000-4000-8000-0000000f1302', '20000000-0000-4000-8000-000000000004', 'fraud_investigation', 'x', public.app_now() + interval '1 day', NULL);
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000004'), false, 'a hold starting tomorrow does not count yet');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '1 day 1 hour')::text, true);
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000004'), true, 'from its start it does');
UPDATE public.legal_holds SET ends_at = public.app_now() WHERE id = '70000000-0000-4000-8000-0000000f1302';
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000004'), false, 'ends_at = now: over (ends_at > now required)');
UPDATE public.legal_holds SET ends_at = public.app_now() + interval '1 second' WHERE id = '70000000-0000-4000-8000-0000000f1302';
SELECT pg_temp.eq(public.has_active_legal_hold('20000000-0000-4000-8000-000000000004'), true, 'one second before ends_at: active');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.legal_holds WHERE id = '70000000-0000-4000-8000-0000000f1302'$q$), 1::bigint, 'service deletes holds');
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);

-- ================================================================ the delete pipeline meets hanna's hold
SELECT pg_temp.eq((SELECT string_agg(id::text, ',') FROM public.claim_privacy_delete_jobs()), '70000000-0000-4000-8000-000000001201',
                  'the processor claims hanna''s job');
SELECT pg_temp.fails($q$SELECT public.apply_user_anonymization('20000000-0000-4000-8000-000000000015', '70000000-0000-4000-8000-000000000105')$q$,
                     'KX409', 'Cannot anonymize user with an active legal hold', 'anonymization refuses a held user');
SELECT pg_temp.fails($q$SELECT public.complete_privacy_delete_job('70000000-0000-4000-8000-000000001201', '{}')$q$,
                     'KX409', 'Cannot complete delete job while legal hold is active', 'completion refuses a held user');
-- the processor's step 3 for a held user: forced final failure
SELECT pg_temp.eq(public.fail_privacy_delete_job('70000000-0000-4000-8000-000000001201', 'Active legal hold blocks delete fulfillment.', 900, 5, true),
                  '{"status":"failed","retryCount":1,"finalFailure":true}'::jsonb, 'forced final on the first attempt');
SELECT pg_temp.eq((SELECT status || ' ' || retry_count || ' ' || error_message FROM public.privacy_delete_jobs WHERE id = '70000000-0000-4000-8000-000000001201'),
                  'failed 1 Active legal hold blocks delete fulfillment.', 'job failed with the hold message');
SELECT pg_temp.eq((SELECT status || ' ' || (resolved_at = public.app_now()) FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-000000000105'),
                  'rejected true', 'the request is rejected (terminal)');
SELECT pg_temp.eq((SELECT payload FROM public.event_outbox WHERE event_type = 'privacy.delete_failed'),
                  jsonb_build_object('request_id', '70000000-0000-4000-8000-000000000105', 'job_id', '70000000-0000-4000-8000-000000001201',
                                     'user_id', '20000000-0000-4000-8000-000000000015', 'error', 'Active legal hold blocks delete fulfillment.',
                                     'retry_count', 1, 'final_failure', true), 'privacy.delete_failed with final_failure true');
SELECT pg_temp.eq((SELECT count(*) FROM public.claim_privacy_delete_jobs()) + public.queue_privacy_delete_jobs(), 0::bigint,
                  'terminal: never claimed or queued again');
SELECT pg_temp.eq((SELECT display_name FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000015'), 'Hanna Held', 'hanna''s data is untouched');
-- once the hold is lifted, a new delete request goes through
UPDATE public.legal_holds SET is_active = false WHERE id = '70000000-0000-4000-8000-000000001301';
SELECT pg_temp.eq((SELECT released_at FROM public.legal_holds WHERE id = '70000000-0000-4000-8000-000000001301'), public.app_now(),
                  'a service release is stamped too');
SELECT pg_temp.eq(public.apply_user_anonymization('20000000-0000-4000-8000-000000000015') ->> 'profiles_updated', '1',
                  'without an active hold the anonymization runs');

ROLLBACK;
