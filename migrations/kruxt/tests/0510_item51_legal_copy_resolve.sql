-- Item 51: resolve_legal_copy and list_legal_copy_bundle return localized legal strings with a stable fallback
-- rank (06 §4.2); literal prefix match (gap closure); errors; the tables' access rules.

BEGIN;

SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.eq((SELECT copy_key || '|' || requested_locale || '|' || resolved_locale || '|' || localized_text
                   FROM public.resolve_legal_copy('legal.timestamp.not_available', 'it')),
                  'legal.timestamp.not_available|it-IT|it-IT|Non disponibile', 'it -> the Italian text (anon may call it: pre-signup screens)');
SELECT pg_temp.eq((SELECT requested_locale || '|' || resolved_locale || '|' || localized_text FROM public.resolve_legal_copy('legal.timestamp.not_available', 'fr-FR')),
                  'fr-FR|en-US|Unavailable', 'fr-FR has no translation: the default text as en-US');
SELECT pg_temp.eq((SELECT resolved_locale || '|' || localized_text FROM public.resolve_legal_copy(' legal.timestamp.not_available ')),
                  'en-US|Unavailable', 'no locale: en-US; the key is trimmed');
SELECT pg_temp.fails($q$SELECT * FROM public.resolve_legal_copy('  ', 'it')$q$, 'KX422', 'Legal copy key is required', 'blank key');
SELECT pg_temp.fails($q$SELECT * FROM public.resolve_legal_copy(NULL)$q$, 'KX422', 'Legal copy key is required', 'null key');
SELECT pg_temp.fails($q$SELECT * FROM public.resolve_legal_copy('legal.nope', 'it')$q$, 'KX404', 'Unknown legal copy key: legal.nope', 'unknown key');
SELECT pg_temp.fails($q$SELECT * FROM public.legal_copy_keys$q$, '42501', 'permission denied for table legal_copy_keys', 'anon reads the tables only through the functions');

-- ---- the bundle: examples of 06 §4.2
SELECT pg_temp.eq((SELECT count(*) || '|' || min(resolved_locale) || '|' || min(fallback_rank) || '|' || max(fallback_rank)
                   FROM public.list_legal_copy_bundle('it-IT')), '28|it-IT|1|1', 'it-IT: 28 Italian texts, rank 1');
SELECT pg_temp.eq((SELECT count(*) || '|' || min(resolved_locale) || '|' || min(fallback_rank) || '|'
                          || bool_and(localized_text = (SELECT e.localized_text FROM public.list_legal_copy_bundle('en-US') e WHERE e.copy_key = b.copy_key))
                   FROM public.list_legal_copy_bundle('fr-FR') b), '28|en-US|3|true',
                  'fr-FR: default texts, resolved en-US, rank 3 (chain length 2 + 1)');
SELECT pg_temp.eq((SELECT min(fallback_rank) || '|' || max(fallback_rank) || '|' || min(requested_locale) FROM public.list_legal_copy_bundle('en-US')),
                  '2|2|en-US', 'en-US: default text, rank 2 (chain length 1 + 1)');
SELECT pg_temp.eq((SELECT string_agg(copy_key, ',') FROM public.list_legal_copy_bundle(NULL, 'legal.error.')),
                  'legal.error.baseline_consent_required,legal.error.policy_baseline_missing,legal.error.reconsent_required_action,legal.error.reconsent_required_workout',
                  'prefix, ordered by key');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_legal_copy_bundle('it', 'legal.flow.admin.phase8.')), 8::bigint, 'the admin phase 8 checklist: 8 keys');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_legal_copy_bundle('it', 'legal.flow.phase_')), 0::bigint,
                  'gap closure: the prefix is literal ("_" is no wildcard; LIKE would match 15 phase keys)');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_legal_copy_bundle('it', 'legal.%')), 0::bigint, '"%" is no wildcard either');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_legal_copy_bundle('it', '')), 28::bigint, 'an empty prefix matches every key');
SELECT pg_temp.eq((SELECT count(*) FROM public.list_legal_copy_bundle('it', 'LEGAL.')), 0::bigint, 'case-sensitive');

-- ---- ranks follow the chain when more translations exist (service adds fr-FR and en-US rows)
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
INSERT INTO public.legal_copy_translations (copy_key, locale, translated_text) VALUES
    ('legal.timestamp.not_available', 'fr-FR', 'Indisponible'),
    ('legal.error.reconsent_required_action', 'en-US', 'Please accept the updated terms to continue.');
SELECT pg_temp.eq((SELECT string_agg(copy_key || ':' || resolved_locale || ':' || fallback_rank, ',' ORDER BY copy_key)
                   FROM public.list_legal_copy_bundle('fr', 'legal.')
                   WHERE copy_key IN ('legal.timestamp.not_available', 'legal.error.reconsent_required_action', 'legal.error.policy_baseline_missing')),
                  'legal.error.policy_baseline_missing:en-US:3,legal.error.reconsent_required_action:en-US:2,legal.timestamp.not_available:fr-FR:1',
                  'fr: own translation rank 1, an en-US translation rank 2, the default text rank 3');
SELECT pg_temp.eq((SELECT localized_text || '|' || fallback_rank FROM public.list_legal_copy_bundle('en-US') WHERE copy_key = 'legal.error.reconsent_required_action'),
                  'Please accept the updated terms to continue.|1', 'en-US: an en-US translation wins over the default text, rank 1');
SELECT pg_temp.eq((SELECT string_agg(fallback_rank::text, '') FROM (SELECT * FROM public.list_legal_copy_bundle('it-IT') ORDER BY copy_key) q),
                  (SELECT string_agg(fallback_rank::text, '') FROM (SELECT * FROM public.list_legal_copy_bundle('it_it ') ORDER BY copy_key) q),
                  'stable: equivalent tags give the same bundle');

-- ---- tables: every signed-in user reads, only the service writes
SELECT pg_temp.fails($q$INSERT INTO public.legal_copy_translations (copy_key, locale, translated_text) VALUES ('legal.timestamp.not_available', 'it_IT', 'x')$q$,
                     '23514', NULL, 'locale format ll or ll-RR');
SELECT pg_temp.fails($q$INSERT INTO public.legal_copy_translations (copy_key, locale, translated_text) VALUES ('legal.timestamp.not_available', 'it-IT', 'x')$q$,
                     '23505', NULL, 'one translation per key and locale');
SELECT pg_temp.fails($q$INSERT INTO public.legal_copy_keys (copy_key, default_text) VALUES ('Legal.Bad Key', 'x')$q$, '23514', NULL,
                     'keys are lower-case [a-z0-9._-]');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.legal_copy_keys$q$), 28::bigint, 'a member reads the keys');
SELECT pg_temp.eq(pg_temp.row_count($q$SELECT * FROM public.legal_copy_translations$q$), 30::bigint, 'and the translations');
SELECT pg_temp.fails($q$INSERT INTO public.legal_copy_keys (copy_key, default_text) VALUES ('legal.member.key', 'x')$q$, '42501', NULL, 'but writes nothing');
SELECT pg_temp.eq(pg_temp.affected($q$UPDATE public.legal_copy_translations SET translated_text = 'x'$q$), 0::bigint, 'updates affect no row');
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000001","role":"authenticated"}', true);
SELECT pg_temp.eq(pg_temp.affected($q$DELETE FROM public.legal_copy_keys$q$), 0::bigint, 'a gym owner deletes nothing');

ROLLBACK;
