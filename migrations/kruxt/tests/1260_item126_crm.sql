-- Item 126: gym_crm_leads and gym_crm_lead_activities stay inaccessible to users lacking crm.leads.manage (01 §8).
-- Defaults: leader and officer yes, coach no. Seed: luca (coach) holds an override crm.leads.manage = true;
-- BZone has 2 leads (Valentina Neri, Matteo Fontana) and 2 activities on Matteo.

BEGIN;

-- fixture: remove luca's seeded override so he is a plain coach
DELETE FROM public.gym_user_permission_overrides
WHERE user_id = '20000000-0000-4000-8000-000000000003' AND permission_key = 'crm.leads.manage';

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_crm_leads$q$), 0::bigint, 'coach without crm.leads.manage reads no leads');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_crm_lead_activities$q$), 0::bigint, 'coach without crm.leads.manage reads no activities');
SELECT pg_temp.fails($q$INSERT INTO public.gym_crm_leads (gym_id, full_name) VALUES ('10000000-0000-4000-8000-000000000001', 'Walk In')$q$,
                     '42501', 'new row violates row-level security policy for table "gym_crm_leads"', 'coach cannot create a lead');
SELECT pg_temp.fails($q$INSERT INTO public.gym_crm_lead_activities (lead_id, gym_id, activity_type, summary)
    VALUES ('c0000000-0000-4000-8000-000000000301', '10000000-0000-4000-8000-000000000001', 'note', 'hello')$q$,
                     '42501', 'new row violates row-level security policy for table "gym_crm_lead_activities"', 'coach cannot log an activity');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_crm_leads SET status = 'lost'$q$), 0::bigint, 'coach updates no lead');
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.gym_crm_lead_activities$q$), 0::bigint, 'coach deletes no activity');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_crm_leads$q$), 0::bigint, 'a member reads no leads');
SELECT pg_temp.fails($q$INSERT INTO public.gym_crm_leads (gym_id, full_name) VALUES ('10000000-0000-4000-8000-000000000001', 'Walk In')$q$,
                     '42501', NULL, 'a member cannot create a lead');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000011","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_crm_leads$q$), 0::bigint, 'the other gym''s owner reads no BZone leads');
SELECT pg_temp.fails($q$INSERT INTO public.gym_crm_leads (gym_id, full_name) VALUES ('10000000-0000-4000-8000-000000000001', 'Poached Lead')$q$,
                     '42501', NULL, 'the other gym''s owner cannot create BZone leads');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.gym_crm_leads$q$, '42501', 'permission denied for table gym_crm_leads', 'anonymous cannot read leads');

-- officer giulia has it by role
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_crm_leads$q$), 2::bigint, 'officer reads both leads');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_crm_lead_activities$q$), 2::bigint, 'officer reads both activities');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_crm_leads (id, gym_id, full_name, source, created_by)
    VALUES ('c0000000-0000-4000-8000-000000000399', '10000000-0000-4000-8000-000000000001', 'Giorgio Sala', 'referral', auth.uid())$q$), 1::bigint,
                  'officer creates a lead');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_crm_lead_activities (lead_id, gym_id, actor_user_id, activity_type, summary)
    VALUES ('c0000000-0000-4000-8000-000000000399', '10000000-0000-4000-8000-000000000001', auth.uid(), 'call', 'First call')$q$), 1::bigint,
                  'officer logs an activity');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_crm_leads SET status = 'contacted', last_contacted_at = now() WHERE id = 'c0000000-0000-4000-8000-000000000399'$q$),
                  1::bigint, 'officer updates the lead');
SELECT pg_temp.fails($q$INSERT INTO public.gym_crm_lead_activities (lead_id, gym_id, activity_type, summary)
    VALUES ('c0000000-0000-4000-8000-000000000399', '10000000-0000-4000-8000-000000000001', 'carrier_pigeon', 'coo')$q$,
                     '23514', NULL, 'activity types are a closed list');

-- an activity must belong to its lead's gym (gap closure), whoever writes it
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.gym_crm_lead_activities (lead_id, gym_id, activity_type, summary)
    VALUES ('c0000000-0000-4000-8000-000000000301', '10000000-0000-4000-8000-000000000002', 'note', 'cross-gym')$q$,
                     'KX422', 'lead_id gym does not match gym_id', 'an activity cannot point at another gym''s lead');
SELECT pg_temp.fails($q$UPDATE public.gym_crm_lead_activities SET gym_id = '10000000-0000-4000-8000-000000000002'
    WHERE id = 'c0000000-0000-4000-8000-000000000401'$q$,
                     'KX422', 'lead_id gym does not match gym_id', 'an activity cannot be moved to another gym');

-- an override granting crm.leads.manage opens access at once (item 127)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed, reason)
    VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000003', 'crm.leads.manage', true, 'trial follow-ups')$q$), 1::bigint,
                  'officer grants luca crm.leads.manage');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_crm_leads$q$), 3::bigint, 'luca reads the leads at once');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_crm_lead_activities (lead_id, gym_id, actor_user_id, activity_type, summary)
    VALUES ('c0000000-0000-4000-8000-000000000302', '10000000-0000-4000-8000-000000000001', auth.uid(), 'trial_completed', 'Trial done')$q$), 1::bigint,
                  'luca logs an activity');
-- and an override denying it closes access for an officer
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
INSERT INTO public.gym_user_permission_overrides (gym_id, user_id, permission_key, is_allowed)
VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000002', 'crm.leads.manage', false);
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_crm_leads$q$), 0::bigint, 'giulia reads no leads once denied');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_crm_leads SET notes = 'x'$q$), 0::bigint, 'giulia updates no leads once denied');

ROLLBACK;
