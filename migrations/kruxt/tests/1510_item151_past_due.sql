-- Item 151 (database side): setStatus / bulkSetStatus with past_due (03 §5.2). past_due is not a
-- membership status: the flow upserts the member's subscription (B2BOpsService.upsertMemberSubscription)
-- with status past_due, copying the existing row's fields, plan = membership plan or the existing plan,
-- metadata = existing || {"marked_past_due_by_ui": true}; the membership row is unchanged.

BEGIN;

SELECT set_config('kruxt.now', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
CREATE TEMP TABLE before_membership ON COMMIT DROP AS SELECT * FROM public.gym_memberships;
GRANT SELECT ON before_membership TO PUBLIC;

SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);

-- the membership enum has no past_due: the flow must not write it there
SELECT pg_temp.fails($q$UPDATE public.gym_memberships SET membership_status = 'past_due' WHERE id = 'a0000000-0000-4000-8000-000000000104'$q$,
                     '22P02', NULL, 'past_due is not a membership status');

-- ---- sara has an active subscription: update it by id, same gym (upsertMemberSubscription with subscriptionId)
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.member_subscriptions s
    SET status = 'past_due',
        membership_plan_id = coalesce((SELECT m.membership_plan_id FROM public.gym_memberships m WHERE m.id = 'a0000000-0000-4000-8000-000000000104'), s.membership_plan_id),
        metadata = s.metadata || '{"marked_past_due_by_ui": true}'
    WHERE s.id = '30000000-0000-4000-8000-000000000801' AND s.gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint,
                  'officer marks sara past_due through her subscription');
SELECT pg_temp.eq((SELECT status || ' ' || provider_subscription_id || ' ' || payment_method_last4 || ' ' || metadata::text || ' ' || (updated_at > created_at)
                   FROM public.member_subscriptions WHERE id = '30000000-0000-4000-8000-000000000801'),
                  'past_due sub_demo_sara 4242 {"marked_past_due_by_ui": true} true', 'provider ids and card kept, metadata flagged, updated_at moved');
SELECT pg_temp.eq((SELECT count(*) FROM public.gym_memberships m JOIN before_membership b USING (id) WHERE to_jsonb(m) <> to_jsonb(b)), 0::bigint,
                  'no membership row changed');
SELECT pg_temp.eq((SELECT CASE WHEN s.status IN ('past_due', 'unpaid') THEN 'past_due' ELSE m.membership_status::text END
                   FROM public.gym_memberships m JOIN LATERAL (SELECT * FROM public.member_subscriptions x WHERE x.gym_id = m.gym_id AND x.user_id = m.user_id
                                                               ORDER BY x.created_at DESC, x.id DESC LIMIT 1) s ON true
                   WHERE m.id = 'a0000000-0000-4000-8000-000000000104'), 'past_due', 'the refreshed row shows effectiveStatus past_due');

-- ---- troll_tom has no subscription: insert one (upsertMemberSubscription without subscriptionId)
SELECT pg_temp.eq(pg_temp.affected($q$INSERT INTO public.member_subscriptions (gym_id, user_id, membership_plan_id, status, metadata)
    SELECT m.gym_id, m.user_id, m.membership_plan_id, 'past_due', '{"marked_past_due_by_ui": true}' FROM public.gym_memberships m
    WHERE m.id = 'a0000000-0000-4000-8000-000000000110' AND m.gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint,
                  'a new past_due subscription for troll_tom');
SELECT pg_temp.eq((SELECT provider || ' ' || status || ' ' || (created_at = public.app_now()) FROM public.member_subscriptions
                   WHERE user_id = '20000000-0000-4000-8000-000000000010'), 'stripe past_due true', 'defaults: provider stripe, created now');
-- an update scoped to another gym changes nothing (ADMIN_SUBSCRIPTION_UPDATE_FAILED)
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.member_subscriptions SET status = 'past_due'
    WHERE id = '30000000-0000-4000-8000-000000000803' AND gym_id = '10000000-0000-4000-8000-000000000002'$q$), 0::bigint,
                  'wrong gym: 0 rows');
-- bulkSetStatus mixes both kinds: cancelled for nico is a membership update
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.gym_memberships SET membership_status = 'paused'
    WHERE id = 'a0000000-0000-4000-8000-000000000116' AND gym_id = '10000000-0000-4000-8000-000000000001'$q$), 1::bigint,
                  'paused is a membership status (leo)');

-- ---- negative: members and other gyms' staff
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.member_subscriptions SET status = 'active' WHERE user_id = auth.uid()$q$), 0::bigint,
                  'davide cannot change his own subscription (SELECT only)');
SELECT pg_temp.fails($q$INSERT INTO public.member_subscriptions (gym_id, user_id, status) VALUES ('10000000-0000-4000-8000-000000000001', auth.uid(), 'active')$q$,
                     '42501', 'new row violates row-level security policy for table "member_subscriptions"', 'nor create one');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000012","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.member_subscriptions SET status = 'past_due'$q$), 0::bigint, 'Wellness Zone staff change no BZone subscription');
SELECT pg_temp.fails($q$INSERT INTO public.invoices (gym_id, subscription_id, status) VALUES ('10000000-0000-4000-8000-000000000002', '30000000-0000-4000-8000-000000000801', 'open')$q$,
                     'KX422', 'subscription_id gym does not match gym_id', 'nor hang an invoice of their gym on a BZone subscription');

-- ---- can_manage_subscription
SELECT pg_temp.eq(public.can_manage_subscription('30000000-0000-4000-8000-000000000802', '20000000-0000-4000-8000-000000000008'), true, 'the owner (chiara)');
SELECT pg_temp.eq(public.can_manage_subscription('30000000-0000-4000-8000-000000000802', '20000000-0000-4000-8000-000000000003'), true, 'staff of its gym (luca)');
SELECT pg_temp.eq(public.can_manage_subscription('30000000-0000-4000-8000-000000000802', '20000000-0000-4000-8000-000000000004'), false, 'another member (sara)');
SELECT pg_temp.eq(public.can_manage_subscription('30000000-0000-4000-8000-000000000802', '20000000-0000-4000-8000-000000000012'), false, 'staff of another gym');
SELECT pg_temp.eq(public.can_manage_subscription('30000000-0000-4000-8000-000000000802'), false, 'the caller (marta) by default');

ROLLBACK;
