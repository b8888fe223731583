-- Item 46: admin_list_security_incidents exposes the deadline countdown and breached flags on the simulated
-- clock (kruxt.now), to staff of the gym (GymAdminService.listSecurityIncidents) and the service; boundaries of
-- the countdown and of "breached"; labels; order; filter; limit; errors.

BEGIN;

SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
-- fixtures at BZone, detected 2026-03-01T00:00Z unless said
INSERT INTO public.security_incidents (id, gym_id, title, status, requires_ftc_notice, requires_gdpr_notice, detected_at,
                                       ftc_notice_due_at, gdpr_notice_due_at, resolved_at) VALUES
    ('7f000000-0000-4000-8000-000000004601', '10000000-0000-4000-8000-000000000001', 'gdpr only',     'investigating', false, true,
     '2026-03-01T00:00Z', NULL, '2026-03-10T00:00Z', NULL),
    ('7f000000-0000-4000-8000-000000004602', '10000000-0000-4000-8000-000000000001', 'ftc sooner',    'contained', true, true,
     '2026-03-01T00:00Z', '2026-03-05T00:00Z', '2026-03-20T00:00Z', NULL),
    ('7f000000-0000-4000-8000-000000004603', '10000000-0000-4000-8000-000000000001', 'no notice',     'triaged', false, false,
     '2026-03-02T00:00Z', NULL, NULL, NULL),
    ('7f000000-0000-4000-8000-000000004604', '10000000-0000-4000-8000-000000000001', 'past, resolved', 'resolved', false, true,
     '2026-02-01T00:00Z', NULL, '2026-02-04T00:00Z', '2026-02-03T00:00Z'),
    ('7f000000-0000-4000-8000-000000004605', '10000000-0000-4000-8000-000000000001', 'same instant',  'detected', true, true,
     '2026-03-03T00:00Z', '2026-03-12T00:00Z', '2026-03-12T00:00Z', NULL),
    ('7f000000-0000-4000-8000-000000004606', '10000000-0000-4000-8000-000000000002', 'other gym',     'detected', false, true,
     '2026-03-01T00:00Z', NULL, '2026-03-04T00:00Z', NULL);

-- ---- at 2026-03-09T00:00Z, as giulia (BZone officer)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT set_config('kruxt.now', '2026-03-09T00:00:00Z', true);
SELECT pg_temp.eq((SELECT string_agg(concat_ws('|', title, coalesce(next_deadline_label, '-'), coalesce(seconds_to_next_deadline::text, '-'), is_deadline_breached),
                                     ' ; ' ORDER BY ord)
                   FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001') WITH ORDINALITY AS l(id, gym_id, title, severity, status,
                        drill_mode, detected_at, requires_ftc_notice, requires_gdpr_notice, ftc_notice_due_at, gdpr_notice_due_at, next_deadline_at,
                        next_deadline_label, seconds_to_next_deadline, is_deadline_breached, affected_user_count, affected_gym_count, updated_at, ord)
                   WHERE id::text LIKE '7f000000-%'),
                  'ftc sooner|ftc|-345600|t ; past, resolved|gdpr|-2851200|f ; gdpr only|gdpr|86400|f ; same instant|gdpr|259200|f ; no notice|-|-|f',
                  'breached first, then next deadline asc (nulls last); earliest required due date and its label; countdown in whole seconds; '
                  'resolved past its deadline is not breached');
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001') WHERE gym_id <> '10000000-0000-4000-8000-000000000001'),
                  0::bigint, 'only the requested gym');
SELECT pg_temp.eq((SELECT next_deadline_at FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001')
                   WHERE id = '7f000000-0000-4000-8000-000000004602'), '2026-03-05T00:00Z'::timestamptz, 'next_deadline_at = the earliest required due date');

-- ---- boundaries on the clock: exactly at the deadline, half a second around it
SELECT set_config('kruxt.now', '2026-03-10T00:00:00Z', true);
SELECT pg_temp.eq((SELECT seconds_to_next_deadline || '|' || is_deadline_breached FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001')
                   WHERE id = '7f000000-0000-4000-8000-000000004601'), '0|false', 'at the deadline: 0 s, not breached (deadline < now is false)');
SELECT set_config('kruxt.now', '2026-03-09T23:59:59.5Z', true);
SELECT pg_temp.eq((SELECT seconds_to_next_deadline || '|' || is_deadline_breached FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001')
                   WHERE id = '7f000000-0000-4000-8000-000000004601'), '0|false', '0.5 s before: 0 whole seconds left, not breached');
SELECT set_config('kruxt.now', '2026-03-10T00:00:00.5Z', true);
SELECT pg_temp.eq((SELECT seconds_to_next_deadline || '|' || is_deadline_breached FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001')
                   WHERE id = '7f000000-0000-4000-8000-000000004601'), '-1|true', '0.5 s after: negative, breached');
SELECT set_config('kruxt.now', '2026-03-10T00:00:01Z', true);
SELECT pg_temp.eq((SELECT string_agg(title, ',' ORDER BY ord) FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001')
                   WITH ORDINALITY AS l(id, gym_id, title, severity, status, drill_mode, detected_at, requires_ftc_notice, requires_gdpr_notice,
                        ftc_notice_due_at, gdpr_notice_due_at, next_deadline_at, next_deadline_label, seconds_to_next_deadline, is_deadline_breached,
                        affected_user_count, affected_gym_count, updated_at, ord)
                   WHERE is_deadline_breached), 'ftc sooner,gdpr only', 'breached rows first, earliest deadline first');
-- the flag follows the status: resolving a breached incident clears it
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.transition_security_incident_status('7f000000-0000-4000-8000-000000004601', 'resolved');
SELECT pg_temp.eq((SELECT is_deadline_breached FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001')
                   WHERE id = '7f000000-0000-4000-8000-000000004601'), false, 'resolved: no longer breached');

-- ---- the service: null gym lists every gym; filter; limit
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_security_incidents(NULL, 200) WHERE id::text LIKE '7f000000-%'), 6::bigint,
                  'service with a null gym: every gym');
SELECT pg_temp.eq((SELECT string_agg(title, ',') FROM public.admin_list_security_incidents(NULL, 200, '  Detected ') WHERE id::text LIKE '7f000000-%'),
                  'other gym,same instant', 'status filter (trimmed, case-insensitive)');
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_security_incidents(NULL, 0)), 1::bigint, 'limit 0 -> 1');
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001', 2)), 2::bigint, 'limit 2');
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001', 5000)),
                  (SELECT count(*) FROM public.security_incidents WHERE gym_id = '10000000-0000-4000-8000-000000000001'), 'limit clamped to 200 (all 6 here)');
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001', 50, '')),
                  (SELECT count(*) FROM public.security_incidents WHERE gym_id = '10000000-0000-4000-8000-000000000001'), 'a blank filter = none');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_security_incidents(NULL, 50, 'open')$q$, 'KX422', 'Invalid status filter', 'an unknown filter');

-- ---- errors for non-service callers
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001')$q$, 'KX401', 'Authentication required', 'no user');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_security_incidents(NULL)$q$, 'KX422', 'Gym id is required', 'staff must name a gym');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000002')$q$, 'KX403', 'Gym staff access is required',
                     'giulia is not staff of Wellness Zone');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001', 50, 'bogus')$q$, 'KX422', 'Invalid status filter',
                     'staff, bad filter');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001')$q$, 'KX403', 'Gym staff access is required',
                     'a member');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001', 50, 'bogus')$q$, 'KX403',
                     'Gym staff access is required', 'access is checked before the filter');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000002')), 1::bigint,
                  'marta (WZ coach) lists her gym''s incident');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001')$q$, 'KX401', 'Authentication required', 'anon');

-- ---- the seeded drill incident at T (GDPR due T-1 d 10:00 Rome + 72 h)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT set_config('kruxt.now', (SELECT (a.anchor)::text FROM kruxt_internal.seed_anchor a), true);
SELECT set_config('test.expected', 'gdpr|' || floor(extract(epoch FROM (kruxt_internal.seed_at(-1, '10:00') + interval '72 hours' - kruxt_internal.seed_at(0))))::bigint
                                   || '|false|true', true);
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT next_deadline_label || '|' || seconds_to_next_deadline || '|' || is_deadline_breached || '|' || drill_mode
                   FROM public.admin_list_security_incidents('10000000-0000-4000-8000-000000000001') WHERE id = '70000000-0000-4000-8000-000000006001'),
                  current_setting('test.expected'), 'seeded incident: GDPR countdown from T, seen by the owner (leader)');

ROLLBACK;
