-- Items 71-74, the database side of the staff console (09 §2; 01 §2). The flow layer (Rust) maps these
-- outcomes to ADMIN_STAFF_ACCESS_DENIED, ADMIN_MEMBERSHIP_UPDATE_FAILED, ADMIN_ROLE_ASSIGN_FAILED, ...
-- Each block below is what one flow step does in its own transaction, as the acting user.
-- Actors: marco_bianchi (01, owner/leader), giulia_rossi (02, officer), luca_ferrari (03, coach),
-- sara_conti (04, member), paolo_marino (07, pending member), jake_miller (14, no gym),
-- marta_villa (12, coach of the other gym), anna_ricci (11, owner of the other gym).
-- Gym BZone = 10000000-0000-4000-8000-000000000001. paolo's pending membership = a0000000-0000-4000-8000-000000000107.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);

-- ================================================================ item 71: non-staff are denied
SET LOCAL ROLE authenticated;
-- The staff gate (09 §1.4) is the caller's own membership row: trial/active and leader/officer/coach.
-- is_gym_staff(gym) answers the same question.
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq((SELECT role::text || '/' || membership_status::text FROM public.gym_memberships
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND user_id = auth.uid()), 'member/active',
                  'sara''s own membership row: member/active -> ADMIN_STAFF_ACCESS_DENIED');
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001'), false, 'sara is not staff');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_memberships WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint,
                  'a member sees only her own membership of the gym');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active'
                  WHERE id = 'a0000000-0000-4000-8000-000000000107' AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 0::bigint,
                  'a member''s approve attempt changes nothing');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET role = 'coach'
                  WHERE id = 'a0000000-0000-4000-8000-000000000107' AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 0::bigint,
                  'a member''s assign-role attempt changes nothing');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Gym staff access is required', 'a member cannot load the privacy queue');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001')$q$,
                     'KX403', 'Gym staff access is required', 'a member cannot load privacy metrics');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000007","role":"authenticated"}', true);
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001'), false, 'pending paolo is not staff');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000107'$q$,
                     'KX403', 'Members cannot set their own membership role or status', 'paolo cannot approve himself');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_memberships WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND user_id = auth.uid()$q$),
                  0::bigint, 'jake has no membership row -> ADMIN_STAFF_ACCESS_DENIED');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001'), false, 'a coach of the other gym is not BZone staff');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE id = 'a0000000-0000-4000-8000-000000000107'$q$),
                  0::bigint, 'a coach of the other gym changes nothing');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000011","role":"authenticated"}', true);
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001'), false, 'the other gym''s owner is not BZone staff');

SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001')$q$,
                     'KX401', 'Authentication required', 'anonymous gets Authentication required');
SELECT pg_temp.fails($q$SELECT * FROM public.gym_memberships$q$, '42501', NULL, 'anonymous cannot read memberships');

-- staff pass the gate
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001'), true, 'coach luca is staff');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001'), true, 'officer giulia is staff');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001'), true, 'owner marco (leader) is staff');

-- ================================================================ load (as coach luca)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_memberships WHERE gym_id = '10000000-0000-4000-8000-000000000001'$q$), 12::bigint,
                  'staff see all 12 BZone memberships');
SELECT pg_temp.eq((SELECT string_agg(user_id::text, ',' ORDER BY membership_status, role, user_id) FROM public.gym_memberships
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND membership_status = 'pending'),
                  '20000000-0000-4000-8000-000000000007', 'the pending queue holds paolo');
SELECT pg_temp.eq((SELECT string_agg(id::text, ',' ORDER BY ord) FROM (
                       SELECT id, row_number() OVER () AS ord FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001')) q),
                  '70000000-0000-4000-8000-000000000104,70000000-0000-4000-8000-000000000102,70000000-0000-4000-8000-000000000105,70000000-0000-4000-8000-000000000103',
                  'open privacy requests: breached first, then by due date (chiara, davide, hanna, elena)');
SELECT pg_temp.eq((SELECT count(*) FILTER (WHERE is_overdue) FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000001')),
                  1::bigint, 'exactly one open request is overdue (chiara)');
SELECT pg_temp.eq((SELECT to_jsonb(m) - 'gym_id' FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001') m),
                  '{"open_requests":4,"overdue_requests":1,"avg_completion_hours":32.00,"fulfilled_requests_window":2,"rejected_requests_window":1,"measured_window_days":30}'::jsonb,
                  'privacy metrics for BZone');
SELECT pg_temp.eq((SELECT measured_window_days FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001', 9999)), 365,
                  'window days are clamped to 365');
SELECT pg_temp.eq((SELECT measured_window_days FROM public.admin_get_privacy_ops_metrics('10000000-0000-4000-8000-000000000001', 0)), 1,
                  'window days are clamped to 1');
SELECT pg_temp.fails($q$SELECT * FROM public.admin_list_open_privacy_requests('10000000-0000-4000-8000-000000000002')$q$,
                     'KX403', 'Gym staff access is required', 'BZone staff cannot load the other gym''s queue');

-- ================================================================ item 72: approve (coach luca)
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active'
                  WHERE id = 'a0000000-0000-4000-8000-000000000107' AND gym_id = '10000000-0000-4000-8000-000000000001'
                    AND membership_status = 'pending'$q$), 1::bigint, 'coach approves paolo');
SELECT pg_temp.eq((SELECT membership_status::text FROM public.gym_memberships WHERE id = 'a0000000-0000-4000-8000-000000000107'), 'active',
                  'paolo is active');
SELECT pg_temp.eq((SELECT started_at FROM public.gym_memberships WHERE id = 'a0000000-0000-4000-8000-000000000107'),
                  public.app_now(), 'started_at is stamped with app_now() (kruxt.now = the seed anchor)');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_memberships WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND membership_status = 'pending'$q$),
                  0::bigint, 'the refreshed pending queue is empty');
SELECT pg_temp.eq(public.is_gym_member('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000007'), true,
                  'paolo now counts as a gym member');
-- approving again: nothing is pending any more (the flow reports ADMIN_MEMBERSHIP_NOT_PENDING)
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'active'
                  WHERE id = 'a0000000-0000-4000-8000-000000000107' AND gym_id = '10000000-0000-4000-8000-000000000001'
                    AND membership_status = 'pending'$q$), 0::bigint, 'a second approval changes nothing');
-- scoping: another gym's membership (fede's, Wellness Zone; it exists, see below) is out of reach
-- (ADMIN_MEMBERSHIP_UPDATE_FAILED)
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'paused'
                  WHERE id = 'a0000000-0000-4000-8000-000000000213' AND gym_id = '10000000-0000-4000-8000-000000000002'$q$), 0::bigint,
                  'an update of another gym''s membership changes nothing');

-- the status change is in the outbox and audited as a security event (service reads them)
SET LOCAL ROLE service_role;
SELECT pg_temp.eq((SELECT membership_status::text FROM public.gym_memberships
                   WHERE id = 'a0000000-0000-4000-8000-000000000213' AND gym_id = '10000000-0000-4000-8000-000000000002'), 'active',
                  'fede''s Wellness Zone membership exists and is still active');
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT payload FROM public.event_outbox WHERE event_type = 'membership.status_changed'
                   AND aggregate_id = 'a0000000-0000-4000-8000-000000000107'),
                  '{"membership_id":"a0000000-0000-4000-8000-000000000107","gym_id":"10000000-0000-4000-8000-000000000001","user_id":"20000000-0000-4000-8000-000000000007","previous_status":"pending","next_status":"active","changed_by":"20000000-0000-4000-8000-000000000003"}'::jsonb,
                  'outbox membership.status_changed payload');
SELECT pg_temp.eq((SELECT count(*) FROM public.audit_logs a JOIN public.event_outbox o ON a.metadata ->> 'event_outbox_id' = o.id::text
                   WHERE a.action = 'security.event_outbox' AND o.aggregate_id = 'a0000000-0000-4000-8000-000000000107'), 1::bigint,
                  'one security.event_outbox audit row for the status change');
SELECT pg_temp.eq((SELECT actor_user_id FROM public.audit_logs WHERE action = 'security.event_outbox' ORDER BY append_seq DESC LIMIT 1),
                  '20000000-0000-4000-8000-000000000003'::uuid, 'the audit row names the acting coach');

-- ================================================================ item 73: reject (officer giulia)
-- fixture: jake asks to join BZone (own row, member/pending is the only allowed shape)
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.fails($q$INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
                        VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'leader', 'pending')$q$,
                     'KX403', 'Members cannot set their own membership role or status', 'jake cannot join as leader');
SELECT pg_temp.fails($q$INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
                        VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'member', 'active')$q$,
                     'KX403', 'Members cannot set their own membership role or status', 'jake cannot join as active');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_memberships (gym_id, user_id) VALUES ('10000000-0000-4000-8000-000000000001', auth.uid())$q$),
                  1::bigint, 'jake asks to join BZone (member/pending)');
SELECT pg_temp.fails($q$INSERT INTO public.gym_memberships (gym_id, user_id) VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000009')$q$,
                     '42501', NULL, 'jake cannot create a membership for someone else');

SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'cancelled'
                  WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND user_id = '20000000-0000-4000-8000-000000000014'
                    AND membership_status = 'pending'$q$), 1::bigint, 'officer rejects jake');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.gym_memberships WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND membership_status = 'pending'$q$),
                  0::bigint, 'jake left the pending queue');
SELECT pg_temp.eq((SELECT membership_status::text FROM public.gym_memberships
                   WHERE gym_id = '10000000-0000-4000-8000-000000000001' AND user_id = '20000000-0000-4000-8000-000000000014'), 'cancelled',
                  'jake''s membership is cancelled');
-- jake may re-request (cancelled -> pending) but not reactivate himself
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000014","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'active' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Members cannot set their own membership role or status', 'jake cannot reactivate himself');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'pending' WHERE user_id = auth.uid()$q$), 1::bigint,
                  'jake re-requests membership');

-- ================================================================ item 74: assign role
-- officer giulia holds admin.roles.manage: sara becomes coach
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET role = 'coach'
                  WHERE id = 'a0000000-0000-4000-8000-000000000104' AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint,
                  'officer assigns sara the coach role');
SELECT pg_temp.eq((SELECT role::text FROM public.gym_memberships WHERE id = 'a0000000-0000-4000-8000-000000000104'), 'coach',
                  'the refreshed list shows sara as coach');
SELECT pg_temp.eq(public.is_gym_staff('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000004'), true,
                  'sara is staff now');
-- the coach luca lacks admin.roles.manage (ADMIN_ROLE_ASSIGN_FAILED in the flow)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET role = 'officer'
                        WHERE id = 'a0000000-0000-4000-8000-000000000105' AND gym_id = '10000000-0000-4000-8000-000000000001'$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'a coach cannot assign roles');
SELECT pg_temp.fails($q$INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
                        VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000013', 'coach', 'active')$q$,
                     'KX403', 'Permission admin.roles.manage is required to change membership roles', 'a coach cannot add a coach');
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
                        VALUES ('10000000-0000-4000-8000-000000000001', '20000000-0000-4000-8000-000000000013', 'member', 'trial')$q$), 1::bigint,
                  'a coach may add a plain member with any status');
-- members cannot change their own role (departure from reference)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET role = 'leader' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Members cannot change their own membership role', 'davide cannot promote himself');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET ends_at = now() + interval '10 years' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Members cannot set their own membership role or status', 'davide cannot edit his membership dates');
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'paused' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Members cannot set their own membership role or status', 'davide cannot pause himself');
-- staff cannot promote themselves either (giulia -> leader)
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET role = 'leader' WHERE user_id = auth.uid()$q$,
                     'KX403', 'Members cannot change their own membership role', 'officer giulia cannot promote herself');
-- staff cannot move a membership to another user
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET user_id = '20000000-0000-4000-8000-000000000014' WHERE id = 'a0000000-0000-4000-8000-000000000110'$q$,
                     'KX403', 'Membership gym and user cannot be changed', 'a membership cannot change hands');

-- admin_assign_membership_role: errors in order, then success with the audit note
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000105', 'coach', ' ab ')$q$,
                     'KX422', 'Audit note is required for role changes', 'a short audit note is refused');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000105', 'coach', NULL)$q$,
                     'KX422', 'Audit note is required for role changes', 'a missing audit note is refused');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000009999', 'coach', 'promotion after review')$q$,
                     'KX404', 'Membership not found', 'an unknown membership is not found');
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000213', 'coach', 'promotion after review')$q$,
                     'KX404', 'Membership not found', 'another gym''s membership is not found');
SELECT pg_temp.eq((SELECT (public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000105', 'coach', '  Promotion after review  ')).role::text),
                  'coach', 'admin_assign_membership_role returns the updated row');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq((SELECT reason || ' ' || (metadata - 'gym_id' - 'user_id')::text || ' ' || actor_user_id::text FROM public.audit_logs
                   WHERE action = 'membership.role_changed' AND target_id = 'a0000000-0000-4000-8000-000000000105'),
                  'Promotion after review {"next_role": "coach", "previous_role": "member"} 20000000-0000-4000-8000-000000000002',
                  'the role change is audited with the trimmed note and the acting officer');
SELECT pg_temp.eq((SELECT reason FROM public.audit_logs WHERE action = 'membership.role_changed' AND target_id = 'a0000000-0000-4000-8000-000000000104'),
                  NULL::text, 'a role change without a note is audited with a null reason');
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$SELECT public.admin_assign_membership_role('a0000000-0000-4000-8000-000000000105', 'member', 'demotion for test')$q$,
                     'KX401', 'Authentication required', 'anonymous gets Authentication required');

-- the owner may do anything to memberships of his gym, his own row included
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET role = 'officer' WHERE id = 'a0000000-0000-4000-8000-000000000103'$q$), 1::bigint,
                  'the owner promotes luca to officer');

ROLLBACK;
