-- Item 24: admin consent/privacy RPCs only return members linked to the requested gym (05 §4.2):
-- admin_list_open_privacy_requests (0008) and admin_list_user_consents (0050): caller checks, gym scope
-- ("any membership row"), order.
-- Seed: BZone (gym 01) staff giulia (02); Wellness Zone (gym 02) owner anna (11), member fede (13); jake (14) has
-- no membership; paolo (07) is pending at BZone; open requests: davide, elena, chiara, hanna (all BZone).

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

-- open requests of a WZ member and of a user without any gym
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000013","role":"authenticated"}', true);
SELECT public.submit_privacy_request('access');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT public.submit_privacy_request('export');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000007","role":"authenticated"}', true);
SELECT public.submit_privacy_request('delete');

-- ================================================================ admin_list_open_privacy_requests
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(p.username || ':' || r.request_type, ',' ORDER BY r.ord)
                   FROM (SELECT l.*, row_number() OVER () AS ord FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001') l) r
                   JOIN public.profiles p ON p.id = r.user_id),
                  'chiara_gallo:export,davide_romano:access,hanna_held:delete,elena_greco:rectify,paolo_marino:delete',
                  'BZone: its members'' open requests only (paolo''s pending membership row counts), breached first, then by due date');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000002')$q$,
                     'KX403', 'Gym staff access is required', 'giulia cannot list Wellness Zone requests');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000011","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(user_id::text || ':' || request_type, ',') FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000002')),
                  '20000000-0000-4000-8000-000000000013:access', 'Wellness Zone: fede''s request only (not jake''s, who has no gym)');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Gym staff access is required', 'anna (owner of the other gym) cannot list BZone requests');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Gym staff access is required', 'a non-member is refused');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001')), 5::bigint,
                  'service gets the same gym-scoped list');

-- ================================================================ admin_list_user_consents
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT string_agg(consent_type::text || ':' || granted, ',')
                   FROM public.admin_list_user_consents('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000006')),
                  'health_data_processing:false,terms:true,privacy:true,health_data_processing:true,marketing_email:false,push_notifications:true',
                  'elena''s consents for BZone staff: newest first (her revocation), then by created_at desc, id');
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_user_consents('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000007')),
                  5::bigint, 'any membership row links a user to the gym (paolo, pending)');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_user_consents('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000013')$q$,
                     'KX422', 'Target user is not a member of this gym', 'fede (Wellness Zone) is not a BZone member');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_user_consents('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000014')$q$,
                     'KX422', 'Target user is not a member of this gym', 'jake has no gym');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_user_consents('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000013')$q$,
                     'KX403', 'Gym staff access is required', 'giulia cannot read Wellness Zone consents');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_user_consents('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000005')$q$,
                     'KX403', 'Gym staff access is required', 'member sara cannot read another member''s consents');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT count(*) FROM public.admin_list_user_consents('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000013')),
                  5::bigint, 'coach marta reads fede''s consents at Wellness Zone');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_user_consents('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004')$q$,
                     'KX401', 'Authentication required', 'anonymous');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_user_consents('10000000-0000-4000-8000-000000000002', '20000000-0000-4000-8000-000000000004')$q$,
                     'KX422', 'Target user is not a member of this gym', 'service too is scoped to the gym''s members');

ROLLBACK;
