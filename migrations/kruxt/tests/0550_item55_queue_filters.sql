-- Item 55: the compliance queue's filters (status / type / SLA / user) return stable subsets for identical inputs
-- and clock (06 §5.2): normalize_compliance_queue_filters (what filtersApplied echoes) and
-- admin_list_compliance_queue (RPC order kept; legacy in_review only in openRequests).
-- BZone open requests at T: chiara export submitted breached, davide access submitted due T+24 h (at_risk),
-- hanna delete in_progress due T+20 d, elena rectify triaged due T+27 d.

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('test.t', (SELECT a.anchor::text FROM kruxt_internal.seed_anchor a), true);
SELECT set_config('kruxt.now', current_setting('test.t'), true);
-- a legacy in_review request (nico, BZone membership row)
INSERT INTO public.privacy_requests (id, user_id, request_type, status, submitted_at, due_at)
VALUES ('7f000000-0000-4000-8000-000000005501', '20000000-0000-4000-8000-000000000009', 'access', 'in_review',
        public.app_now() - interval '3 days', public.app_now() + interval '27 days');
CREATE FUNCTION pg_temp.q(p_filters jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(string_agg(p.username, ',' ORDER BY ord), '-')
    FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', p_filters, current_setting('test.t')::timestamptz)
         WITH ORDINALITY AS q(id, user_id, request_type, status, submitted_at, due_at, sla_breached_at, is_overdue, sla_badge, hours_to_due,
                              submitted_at_label, due_at_label, sla_breached_at_label, ord)
    JOIN public.profiles p ON p.id = q.user_id $$;
GRANT EXECUTE ON FUNCTION pg_temp.q(jsonb) TO authenticated;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);   -- luca, coach

-- ---- normalization (filtersApplied)
SELECT pg_temp.eq(public.normalize_compliance_queue_filters('{}'),
                  '{"sla": "all", "statuses": ["submitted", "triaged", "in_progress"], "userQuery": "", "requestTypes": ["access", "export", "delete", "rectify", "restrict_processing"]}'::jsonb,
                  'empty filters: all statuses, all types, sla all, no user query');
SELECT pg_temp.eq(public.normalize_compliance_queue_filters('{"statuses":[" IN_PROGRESS ","submitted","bogus","submitted"],"requestTypes":["Export","delete"],"sla":" At_Risk ","userQuery":"  ABC  "}'),
                  '{"sla": "at_risk", "statuses": ["submitted", "in_progress"], "userQuery": "abc", "requestTypes": ["export", "delete"]}'::jsonb,
                  'trimmed, lower-cased, deduplicated, unknown values dropped, canonical order');
SELECT pg_temp.eq(public.normalize_compliance_queue_filters('{"statuses":["in_review","fulfilled"],"requestTypes":"export","sla":"red","userQuery":7}'),
                  public.normalize_compliance_queue_filters(NULL), 'nothing valid -> the defaults (in_review is not a queue status)');

-- ---- subsets
SELECT pg_temp.eq(pg_temp.q('{}'), 'chiara_gallo,davide_romano,hanna_held,elena_greco', 'no filter: the RPC order (breached, due, submitted, id)');
SELECT pg_temp.eq(pg_temp.q('{"statuses":["triaged"]}'), 'elena_greco', 'status triaged');
SELECT pg_temp.eq(pg_temp.q('{"statuses":["SUBMITTED"," in_progress "]}'), 'chiara_gallo,davide_romano,hanna_held', 'status submitted + in_progress');
SELECT pg_temp.eq(pg_temp.q('{"statuses":["in_review"]}'), 'chiara_gallo,davide_romano,hanna_held,elena_greco',
                  'in_review is not selectable: all three statuses, and nico''s legacy row never appears in the queue');
SELECT pg_temp.eq(pg_temp.q('{"requestTypes":["export"]}'), 'chiara_gallo', 'type export (leo''s is fulfilled, not open)');
SELECT pg_temp.eq(pg_temp.q('{"requestTypes":["delete","access"]}'), 'davide_romano,hanna_held', 'two types');
SELECT pg_temp.eq(pg_temp.q('{"sla":"breached"}'), 'chiara_gallo', 'sla breached');
SELECT pg_temp.eq(pg_temp.q('{"sla":"at_risk"}'), 'davide_romano', 'sla at_risk (due in exactly 24 h)');
SELECT pg_temp.eq(pg_temp.q('{"sla":"on_track"}'), 'hanna_held,elena_greco', 'sla on_track');
SELECT pg_temp.eq(pg_temp.q('{"sla":"no_due_date"}'), '-', 'sla no_due_date: none (due_at is never null here)');
SELECT pg_temp.eq(pg_temp.q('{"sla":"bogus"}'), pg_temp.q('{}'), 'an invalid sla means all');
SELECT pg_temp.eq(pg_temp.q('{"userQuery":"000000000015"}'), 'hanna_held', 'user query: substring of the user id');
SELECT pg_temp.eq(pg_temp.q('{"userQuery":"  20000000-0000-4000-8000-00000000000 "}'), 'chiara_gallo,davide_romano,elena_greco', 'trimmed substring');
SELECT pg_temp.eq(pg_temp.q('{"userQuery":"sara"}'), '-', 'usernames are not searched (user id only)');
SELECT pg_temp.eq(pg_temp.q('{"statuses":["submitted"],"requestTypes":["access","export"],"sla":"at_risk"}'), 'davide_romano', 'filters combine (AND)');
SELECT pg_temp.eq(pg_temp.q('{"statuses":["triaged"],"sla":"breached"}'), '-', 'an empty intersection');

-- ---- stable: identical inputs and clock -> identical rows, whatever the database clock says
SELECT pg_temp.eq((SELECT string_agg(q::text, ';') FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', '{"sla":"all"}',
                       current_setting('test.t')::timestamptz, 24, 'it-IT', 'Europe/Rome') q),
                  (SELECT string_agg(q::text, ';') FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001', '{"sla":"all"}',
                       current_setting('test.t')::timestamptz, 24, 'it-IT', 'Europe/Rome') q), 'same inputs, same rows');
SELECT set_config('kruxt.now', '2031-01-01T00:00:00Z', true);
SELECT pg_temp.eq(pg_temp.q('{"sla":"on_track"}'), 'hanna_held,elena_greco', 'the database clock (2031) does not move badges: p_now does');
SELECT set_config('kruxt.now', current_setting('test.t'), true);

-- ---- access
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001')$q$, 'KX403', 'Gym staff access is required', 'members');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000002')), 0::bigint,
                  'Wellness Zone staff: their (empty) queue');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001')$q$, 'KX403', 'Gym staff access is required',
                     'not another gym''s');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_compliance_queue('10000000-0000-4000-8000-000000000001')$q$, 'KX401', 'Authentication required', 'anon');

ROLLBACK;
