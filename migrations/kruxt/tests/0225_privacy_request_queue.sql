-- process_privacy_request_queue (05 §4.2, step 1 of privacy_request_processor, §7): triage the oldest
-- submitted requests, then mark open requests past due once (sla_breached_at + privacy.request_overdue);
-- limits clamped; service only; a second run finds nothing to do.
-- Seed (T = anchor): chiara's export 7…0104 submitted T-35 d (due T-5 d, already breached), davide's access
-- 7…0102 submitted T-29 d (due T+1 d), elena's rectify 7…0103 triaged (due T+27 d), hanna's delete 7…0105
-- in_progress (due T+20 d); the other three are closed.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, j jsonb) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ---- refused for everyone but service
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.process_privacy_request_queue()$q$, 'KX403', 'Service role required', 'staff cannot run the queue job');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.process_privacy_request_queue()$q$, 'KX403', 'Service role required', 'anonymous cannot run the queue job');

-- ---- triage limit clamped to 1 (0 -> 1): the oldest submitted request only
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO ctx SELECT 'first', public.process_privacy_request_queue(0, 0);
SELECT pg_temp.eq((SELECT j FROM ctx WHERE k = 'first'),
                  '{"triagedCount":1,"overdueMarkedCount":0,"triagedRequestIds":["70000000-0000-4000-8000-000000000104"],"overdueRequestIds":[]}'::jsonb,
                  'limit 0 is clamped to 1: chiara''s (oldest) request triaged; nothing newly overdue (hers is already breached)');
SELECT pg_temp.eq((SELECT status || ' ' || (triaged_at = public.app_now()) || ' ' || notes || ' ' || coalesce(handled_by::text, '-')
                   FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-000000000104'),
                  'triaged true Queued by privacy_request_processor -', 'triaged now with the processor''s note, no handler');

-- ---- defaults: the rest
INSERT INTO ctx SELECT 'second', public.process_privacy_request_queue();
SELECT pg_temp.eq((SELECT j FROM ctx WHERE k = 'second'),
                  '{"triagedCount":1,"overdueMarkedCount":0,"triagedRequestIds":["70000000-0000-4000-8000-000000000102"],"overdueRequestIds":[]}'::jsonb,
                  'davide''s access request triaged next; it is not due yet');
SELECT pg_temp.eq(public.process_privacy_request_queue(),
                  '{"triagedCount":0,"overdueMarkedCount":0,"triagedRequestIds":[],"overdueRequestIds":[]}'::jsonb, 'a further run finds nothing');

-- ---- two days later davide's request is past due: marked once
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '2 days')::text, true);
SELECT pg_temp.eq(public.process_privacy_request_queue(),
                  '{"triagedCount":0,"overdueMarkedCount":1,"triagedRequestIds":[],"overdueRequestIds":["70000000-0000-4000-8000-000000000102"]}'::jsonb,
                  'T+2 d: davide''s request (due T+1 d) is marked overdue');
SELECT pg_temp.eq((SELECT sla_breached_at FROM public.privacy_requests WHERE id = '70000000-0000-4000-8000-000000000102'), public.app_now(),
                  'sla_breached_at = now');
SELECT pg_temp.eq((SELECT payload FROM public.event_outbox WHERE event_type = 'privacy.request_overdue'),
                  jsonb_build_object('request_id', '70000000-0000-4000-8000-000000000102', 'user_id', '20000000-0000-4000-8000-000000000005',
                                     'due_at', current_setting('test.anchor')::timestamptz + interval '1 day', 'breached_at', public.app_now()),
                  'outbox privacy.request_overdue {request_id, user_id, due_at, breached_at}');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE action = 'privacy.request_overdue' AND target_id = '70000000-0000-4000-8000-000000000102'),
                  1::bigint, 'audit privacy.request_overdue');
SELECT pg_temp.eq((public.process_privacy_request_queue() ->> 'overdueMarkedCount')::int, 0, 'marked only once');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'privacy.request_status_changed'
                   AND payload ->> 'next_status' = 'triaged'), 2::bigint, 'one status event per triaged request');
-- closed requests are never marked, even when long past due
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '400 days')::text, true);
SELECT pg_temp.eq((SELECT array_agg(x ORDER BY x) FROM jsonb_array_elements_text(public.process_privacy_request_queue() -> 'overdueRequestIds') AS x),
                  ARRAY['70000000-0000-4000-8000-000000000103', '70000000-0000-4000-8000-000000000105'],
                  'T+400 d: only the open ones (elena triaged, hanna in progress), not leo/sara/nico''s closed requests');

ROLLBACK;
