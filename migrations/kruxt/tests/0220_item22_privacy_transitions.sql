-- Item 22: privacy request transitions are valid (submitted -> triaged -> in_progress -> fulfilled/rejected),
-- 05 §4.2: submit_privacy_request and transition_privacy_request_status (order of checks, allowed table,
-- first-stamp-wins, handled_by, notes, events, no-op).
-- Gap closures checked: users cannot insert privacy_requests directly; one open request per (user, type)
-- also under a direct service insert (partial unique index); staff cannot transition their own request.
-- Seed: sara (04) BZone member/active with a fulfilled access request; giulia (02) officer, luca (03) coach of
-- BZone; marta (12) coach of Wellness Zone; fede (13) WZ member; paolo (07) BZone pending; elena's rectify
-- request 7…0103 is triaged.

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid) ON COMMIT DROP;
GRANT ALL ON ctx TO PUBLIC;

-- ================================================================ submit_privacy_request
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
INSERT INTO ctx SELECT 'export', public.submit_privacy_request('export', '   I want my data   ');
SELECT pg_temp.eq((SELECT user_id || ' ' || request_type || ' ' || status || ' ' || reason || ' ' || (submitted_at = public.app_now())
                          || ' ' || (due_at = public.app_now() + interval '30 days') || ' ' || (resolved_at IS NULL)
                   FROM public.privacy_requests WHERE id = (SELECT v FROM ctx WHERE k = 'export')),
                  '20000000-0000-4000-8000-000000000004 export submitted I want my data true true true',
                  'submitted now, due in 30 days, reason trimmed');
SELECT pg_temp.fails($q$SELECT public.submit_privacy_request('export')$q$, 'KX409', 'An open export request already exists',
                     'a second open export request is refused');
INSERT INTO ctx SELECT 'access', public.submit_privacy_request('access', '   ');
SELECT pg_temp.eq((SELECT reason FROM public.privacy_requests WHERE id = (SELECT v FROM ctx WHERE k = 'access')), NULL::text,
                  'another type is fine (the seeded access request is closed); blank reason is null');
SELECT pg_temp.fails($q$INSERT INTO public.privacy_requests (user_id, request_type) VALUES (auth.uid(), 'delete')$q$,
                     '42501', 'new row violates row-level security policy for table "privacy_requests"',
                     'gap closure: a user cannot insert a request directly (bypassing the checks and events)');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.privacy_requests SET status = 'fulfilled' WHERE user_id = auth.uid()$q$), 0::bigint,
                  'a user cannot update own requests (service only)');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.submit_privacy_request('export')$q$, 'KX401', 'Authentication required', 'anonymous');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$SELECT public.submit_privacy_request('export')$q$, 'KX401', 'Authentication required', 'service claims without a user');
SELECT pg_temp.fails($q$INSERT INTO public.privacy_requests (user_id, request_type) VALUES ('20000000-0000-4000-8000-000000000004', 'export')$q$,
                     '23505', NULL, 'gap closure: even a direct service insert cannot open a second export request for sara');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.privacy_requests (user_id, request_type, status) VALUES ('20000000-0000-4000-8000-000000000004', 'export', 'rejected')$q$),
                  1::bigint, 'closed requests of the same type may coexist');
SELECT pg_temp.eq((SELECT o.aggregate_type || ' ' || o.payload::text FROM public.event_outbox o
                   WHERE o.event_type = 'privacy.request_submitted' AND o.aggregate_id = (SELECT v FROM ctx WHERE k = 'export')),
                  'privacy_request ' || jsonb_build_object('request_id', (SELECT v FROM ctx WHERE k = 'export'),
                                                           'user_id', '20000000-0000-4000-8000-000000000004', 'request_type', 'export',
                                                           'due_at', public.app_now() + interval '30 days')::text,
                  'outbox privacy.request_submitted {request_id, user_id, request_type, due_at}');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs WHERE target_id = (SELECT v FROM ctx WHERE k = 'export')
                     AND action = 'privacy.request_submitted' AND actor_user_id = '20000000-0000-4000-8000-000000000004'), 1::bigint,
                  'audit privacy.request_submitted, actor sara');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs a JOIN public.event_outbox o ON a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE o.event_type = 'privacy.request_submitted'), 2::bigint, 'each submit also has its security.event_outbox audit row');

-- ================================================================ the lifecycle, by officer giulia
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(public.transition_privacy_request_status((SELECT v FROM ctx WHERE k = 'export'), 'triaged', '  Looking into it  '),
                  (SELECT v FROM ctx WHERE k = 'export'), 'submitted -> triaged returns the id');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '1 hour')::text, true);
SELECT public.transition_privacy_request_status((SELECT v FROM ctx WHERE k = 'export'), 'in_progress');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '2 hours')::text, true);
SELECT public.transition_privacy_request_status((SELECT v FROM ctx WHERE k = 'export'), 'fulfilled', 'Sent the file');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT status || ' ' || (triaged_at = a.anchor) || ' ' || (in_progress_at = a.anchor + interval '1 hour')
                          || ' ' || (resolved_at = a.anchor + interval '2 hours') || ' ' || handled_by || ' ' || notes
                   FROM public.privacy_requests , (SELECT current_setting('test.anchor')::timestamptz AS anchor) a WHERE id = (SELECT v FROM ctx WHERE k = 'export')),
                  E'fulfilled true true true 20000000-0000-4000-8000-000000000002 Looking into it\nSent the file',
                  'stamps per step, handled_by giulia, notes appended on a new line (trimmed, blank skipped)');
SELECT pg_temp.eq((SELECT string_agg((o.payload ->> 'previous_status') || '>' || (o.payload ->> 'next_status') || ':' || (o.payload ->> 'handled_by'), ','
                                     ORDER BY o.created_at, o.payload ->> 'previous_status' DESC)
                   FROM public.event_outbox o WHERE o.event_type = 'privacy.request_status_changed' AND o.aggregate_id = (SELECT v FROM ctx WHERE k = 'export')),
                  'submitted>triaged:20000000-0000-4000-8000-000000000002,triaged>in_progress:20000000-0000-4000-8000-000000000002,'
                  'in_progress>fulfilled:20000000-0000-4000-8000-000000000002', 'one outbox row per step');
SELECT pg_temp.eq((SELECT string_agg(a.reason || '|' || (a.metadata ->> 'previous_status') || '>' || (a.metadata ->> 'next_status') || '|'
                                     || (a.metadata ->> 'request_user_id') || '|' || (a.metadata ->> 'service_transition'), ',' ORDER BY a.append_seq)
                   FROM public.audit_logs a WHERE a.action = 'privacy.request_status_changed' AND a.target_id = (SELECT v FROM ctx WHERE k = 'export')),
                  'Looking into it|submitted>triaged|20000000-0000-4000-8000-000000000004|false,'
                  'Privacy request status changed from triaged to in_progress|triaged>in_progress|20000000-0000-4000-8000-000000000004|false,'
                  'Sent the file|in_progress>fulfilled|20000000-0000-4000-8000-000000000004|false',
                  'audit rows: reason = note or a default text, metadata {previous_status, next_status, request_user_id, service_transition}');

-- same status: a no-op (no events, nothing stamped)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(public.transition_privacy_request_status((SELECT v FROM ctx WHERE k = 'export'), 'fulfilled', 'again'),
                  (SELECT v FROM ctx WHERE k = 'export'), 'fulfilled -> fulfilled returns the id');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'privacy.request_status_changed'
                   AND aggregate_id = (SELECT v FROM ctx WHERE k = 'export')), 3::bigint, 'the no-op wrote no event');
SELECT pg_temp.ok((SELECT notes NOT LIKE '%again%' FROM public.privacy_requests WHERE id = (SELECT v FROM ctx WHERE k = 'export')),
                  'the no-op appended no note');

-- ================================================================ invalid transitions (the full matrix)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
CREATE TEMP TABLE matrix ON COMMIT DROP AS
SELECT f.s AS from_status, t.s AS to_status
FROM unnest(enum_range(NULL::public.privacy_request_status)) AS f(s)
CROSS JOIN unnest(enum_range(NULL::public.privacy_request_status)) AS t(s)
WHERE f.s <> t.s;
ALTER TABLE matrix ADD COLUMN outcome text;
DO $$
DECLARE
    m record;
    v_id uuid;
    v_outcome text;
BEGIN
    FOR m IN SELECT * FROM matrix LOOP
        BEGIN
            INSERT INTO public.privacy_requests (user_id, request_type, status)
            VALUES ('20000000-0000-4000-8000-000000000005', 'restrict_processing', m.from_status) RETURNING id INTO v_id;
            PERFORM public.transition_privacy_request_status(v_id, m.to_status);
            v_outcome := 'ok';
            RAISE EXCEPTION 'undo' USING ERRCODE = 'P0003';   -- roll the attempt back
        EXCEPTION
            WHEN SQLSTATE 'P0003' THEN NULL;
            WHEN SQLSTATE 'KX409' THEN v_outcome := SQLERRM;
        END;
        UPDATE matrix SET outcome = v_outcome WHERE from_status = m.from_status AND to_status = m.to_status;
    END LOOP;
END
$$;
SELECT pg_temp.eq((SELECT string_agg(from_status || '>' || to_status, ',' ORDER BY from_status, to_status) FROM matrix WHERE outcome = 'ok'),
                  'submitted>in_review,submitted>rejected,submitted>triaged,in_review>rejected,in_review>in_progress,in_review>fulfilled,'
                  'completed>fulfilled,triaged>rejected,triaged>in_progress,in_progress>rejected,in_progress>fulfilled',
                  'exactly the transitions of 05 §4.2 are allowed (enum order)');
SELECT pg_temp.eq((SELECT outcome FROM matrix WHERE from_status = 'submitted' AND to_status = 'fulfilled'),
                  'Invalid status transition: submitted -> fulfilled', 'every other one raises KX409 "Invalid status transition: <from> -> <to>"');
SELECT pg_temp.eq((SELECT count(*) FROM matrix WHERE outcome IS DISTINCT FROM 'ok'
                   AND outcome IS DISTINCT FROM format('Invalid status transition: %s -> %s', from_status, to_status)), 0::bigint,
                  'every refused pair names from and to');

-- legacy stamps: in_review stamps triaged_at; first stamp wins
INSERT INTO public.privacy_requests (id, user_id, request_type, status) VALUES ('70000000-0000-4000-8000-0000000f0001', '20000000-0000-4000-8000-000000000010', 'rectify', 'submitted');
SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-0000000f0001', 'in_review');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '5 hours')::text, true);
SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-0000000f0001', 'in_progress');
SELECT pg_temp.eq((SELECT (triaged_at = a.anchor + interval '2 hours') || ' ' || (in_progress_at = a.anchor + interval '5 hours') || ' ' || coalesce(handled_by::text, '-')
                   FROM public.privacy_requests , (SELECT current_setting('test.anchor')::timestamptz AS anchor) a WHERE id = '70000000-0000-4000-8000-0000000f0001'),
                  'true true -', 'in_review stamps triaged_at; service leaves handled_by null');
SELECT pg_temp.eq((SELECT (metadata ->> 'service_transition') || ' ' || coalesce(actor_user_id::text, '-') || ' ' || actor_role
                   FROM public.audit_logs WHERE action = 'privacy.request_status_changed' AND target_id = '70000000-0000-4000-8000-0000000f0001'
                   ORDER BY append_seq DESC LIMIT 1), 'true - service_role', 'service transitions are flagged in the audit row');

-- ================================================================ who may transition
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(public.transition_privacy_request_status((SELECT v FROM ctx WHERE k = 'access'), 'triaged'),
                  (SELECT v FROM ctx WHERE k = 'access'), 'coach luca may transition a BZone member''s request');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-000000000103', 'in_progress')$q$,
                     'KX403', 'Gym staff access is required', 'member sara cannot transition elena''s request');
SELECT pg_temp.fails(format($q$SELECT public.transition_privacy_request_status(%L, 'in_progress')$q$, (SELECT v FROM ctx WHERE k = 'access')),
                     'KX403', 'Gym staff access is required', 'nor her own');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-000000000103', 'in_progress')$q$,
                     'KX403', 'Gym staff access is required', 'marta (Wellness Zone coach) cannot touch a BZone member''s request');
SELECT pg_temp.fails($q$SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-000000000103', 'bogus_status')$q$,
                     '22P02', NULL, 'an unknown status is not a privacy_request_status');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-0000000f9999', 'triaged')$q$,
                     'KX404', 'Privacy request not found', 'unknown request');
SELECT pg_temp.fails(format($q$SELECT public.transition_privacy_request_status(%L, 'fulfilled')$q$, (SELECT v FROM ctx WHERE k = 'access')),
                     'KX409', 'Invalid status transition: triaged -> fulfilled', 'triaged cannot skip in_progress');
-- paolo is pending at BZone: staff of BZone may not manage his data (requester must be trial/active)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.privacy_requests (id, user_id, request_type) VALUES ('70000000-0000-4000-8000-0000000f0002', '20000000-0000-4000-8000-000000000007', 'access');
INSERT INTO public.privacy_requests (id, user_id, request_type) VALUES ('70000000-0000-4000-8000-0000000f0003', '20000000-0000-4000-8000-000000000002', 'access');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-0000000f0002', 'triaged')$q$,
                     'KX403', 'Gym staff access is required', 'a pending member''s request is not the staff''s to transition');
SELECT pg_temp.fails($q$SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-0000000f0003', 'triaged')$q$,
                     'KX403', 'Gym staff access is required', 'gap closure: giulia cannot transition her own request');
SELECT pg_temp.eq(public.can_staff_manage_privacy_user('20000000-0000-4000-8000-000000000004', '20000000-0000-4000-8000-000000000003'), false,
                  'can_staff_manage_privacy_user answers a non-service caller only about itself');
SELECT pg_temp.eq(public.can_staff_manage_privacy_user('20000000-0000-4000-8000-000000000004'), true, 'giulia manages sara');
SELECT pg_temp.eq(public.can_manage_privacy_user('20000000-0000-4000-8000-000000000002'), true, 'can_manage_privacy_user: self');
SELECT pg_temp.eq(public.can_staff_manage_privacy_user('20000000-0000-4000-8000-000000000002'), false, 'can_staff_manage_privacy_user: not self');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.transition_privacy_request_status('70000000-0000-4000-8000-000000000103', 'in_progress')$q$,
                     'KX401', 'Authentication required', 'anonymous');

ROLLBACK;
