-- Item 25: consent rows are immutable: UPDATE/DELETE attempts fail for all roles (05 §2.1, 00 §6.3).
-- Departure from reference checked: with the statement-level trigger an authenticated UPDATE/DELETE raises
-- even when RLS hides every row (the reference silently affected 0 rows); service and the table owner are
-- refused too; TRUNCATE as well. A change of mind is a new row (append-only), the history stays.
-- Seed: 5 consents per user 01-16 (ids e…0002UUNN), elena's (06) later health-data refusal e…00020606.

BEGIN;

SELECT set_config('kruxt.now', (greatest((SELECT anchor FROM kruxt_internal.seed_anchor), '2026-04-01T00:00:00Z'::timestamptz)
                                + interval '1 day')::text, true);

-- ---- a member, own rows and others' rows
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.consents SET granted = false WHERE id = 'e0000000-0000-4000-8000-000000020403'$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'sara cannot update her own consent');
SELECT pg_temp.fails($q$DELETE FROM public.consents WHERE id = 'e0000000-0000-4000-8000-000000020403'$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'sara cannot delete her own consent');
SELECT pg_temp.fails($q$UPDATE public.consents SET granted = true WHERE id = 'e0000000-0000-4000-8000-000000020606'$q$,
                     'KX423', 'Table consents is immutable; append-only writes only',
                     'departure: an update of a row RLS hides from her (elena''s) raises instead of affecting 0 rows');
SELECT pg_temp.fails($q$DELETE FROM public.consents WHERE user_id <> auth.uid()$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'departure: a delete of invisible rows raises');
SELECT pg_temp.fails($q$UPDATE public.consents SET source = 'x' WHERE false$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'even a statement matching nothing raises');
SELECT pg_temp.fails($q$TRUNCATE public.consents$q$, '42501', NULL, 'members have no TRUNCATE privilege');
-- staff (officer giulia) on a member's consent
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}', true);
SELECT pg_temp.fails($q$UPDATE public.consents SET granted = false WHERE user_id = '20000000-0000-4000-8000-000000000004'$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'staff cannot update a member''s consent');

-- ---- service (BYPASSRLS) and the table owner
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.fails($q$UPDATE public.consents SET granted = false WHERE id = 'e0000000-0000-4000-8000-000000020403'$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'service cannot update a consent');
SELECT pg_temp.fails($q$DELETE FROM public.consents WHERE id = 'e0000000-0000-4000-8000-000000020403'$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'service cannot delete a consent');
SELECT pg_temp.fails($q$DELETE FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000004'$q$,
                     'KX423', NULL, 'deleting a profile would cascade into its consents: refused (users are anonymized, never deleted)');
RESET ROLE;
SET LOCAL ROLE kruxt_owner;
SELECT pg_temp.fails($q$UPDATE public.consents SET granted = false$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'the owner cannot update consents');
SELECT pg_temp.fails($q$DELETE FROM public.consents$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'the owner cannot delete consents');
SELECT pg_temp.fails($q$TRUNCATE public.consents$q$,
                     'KX423', 'Table consents is immutable; append-only writes only', 'the owner cannot truncate consents');
RESET ROLE;
SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.fails($q$UPDATE public.consents SET granted = false$q$, '42501', 'permission denied for table consents', 'anonymous has no access at all');
RESET ROLE;
SELECT pg_temp.eq((SELECT count(*) FROM public.consents), 81::bigint, 'nothing changed: 81 seeded consents');
SELECT pg_temp.eq((SELECT count(*) FROM public.consents WHERE updated_at <> created_at), 0::bigint, 'no consent row was ever updated');

-- ---- positive: changing one's mind appends
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT public.record_user_consent('marketing_email', true);
SELECT public.record_user_consent('marketing_email', false);
SELECT pg_temp.eq((SELECT string_agg(granted::text, ',' ORDER BY granted_at, created_at, id) FROM public.consents
                   WHERE user_id = auth.uid() AND consent_type = 'marketing_email'),
                  'false,true,false', 'opt-in then opt-out: two new rows, the seeded one untouched');

ROLLBACK;
