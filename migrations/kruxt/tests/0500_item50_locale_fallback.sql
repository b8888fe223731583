-- Item 50: normalize_legal_locale + legal_locale_fallback_chain always produce a deterministic fallback
-- (requested -> en-US), for anon, authenticated and service (06 §4.2).

BEGIN;

SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
SELECT pg_temp.eq((SELECT string_agg(coalesce(i, '<null>') || '=' || public.normalize_legal_locale(i), ' ' ORDER BY n)
                   FROM unnest(ARRAY['it', 'it_ch', 'EN-gb', 'pt-BR', 'de-de', NULL, '', '   ', ' fr ', 'es_MX', 'ES-es', 'en', 'en-US', 'EN_us',
                                     '-US', '_', 'xx-IT', 'it-IT-x-foo', 'zh-Hant-TW', 'De', 'it-it', E'\tde-AT\n'])
                        WITH ORDINALITY AS u(i, n)),
                  'it=it-IT it_ch=it-IT EN-gb=en-US pt-BR=en-US de-de=de-DE <null>=en-US =en-US    =en-US  fr =fr-FR es_MX=es-ES ES-es=es-ES en=en-US '
                  'en-US=en-US EN_us=en-US -US=en-US _=en-US xx-IT=en-US it-IT-x-foo=it-IT zh-Hant-TW=en-US De=de-DE it-it=it-IT '
                  || E'\tde-AT\n' || '=de-DE',
                  'normalization (06 §4.2 examples and edges)');
SELECT pg_temp.eq(public.normalize_legal_locale(), 'en-US', 'no argument -> en-US');
SELECT pg_temp.eq((SELECT string_agg(coalesce(i, '<null>') || '=' || array_to_string(public.legal_locale_fallback_chain(i), '>'), ' ' ORDER BY n)
                   FROM unnest(ARRAY['it-IT', 'it', 'fr_FR', 'de', 'es-ES', 'en-US', 'en-GB', 'pt-BR', NULL, 'xx'])
                        WITH ORDINALITY AS u(i, n)),
                  'it-IT=it-IT>en-US it=it-IT>en-US fr_FR=fr-FR>en-US de=de-DE>en-US es-ES=es-ES>en-US en-US=en-US en-GB=en-US pt-BR=en-US <null>=en-US xx=en-US',
                  'chains: {requested, en-US}, or {en-US} when the request is (or falls back to) en-US');
SELECT pg_temp.ok((SELECT bool_and(c[array_upper(c, 1)] = 'en-US' AND cardinality(c) BETWEEN 1 AND 2
                                   AND cardinality(c) = cardinality(ARRAY(SELECT DISTINCT unnest(c))))
                   FROM (SELECT public.legal_locale_fallback_chain(x) AS c
                         FROM (SELECT chr(97 + (i % 26)) || chr(97 + (i / 26 % 26)) || CASE WHEN i % 3 = 0 THEN '-' || upper(chr(97 + i % 26)) || 'X' ELSE '' END AS x
                               FROM generate_series(0, 2000) AS i) g) q),
                  'every chain of 2001 generated tags ends with en-US, has 1 or 2 distinct entries');
SELECT pg_temp.ok((SELECT bool_and(public.normalize_legal_locale(n) = n)
                   FROM unnest(ARRAY['en-US', 'it-IT', 'fr-FR', 'de-DE', 'es-ES']) AS n), 'normalization is idempotent on the supported locales');
SELECT pg_temp.ok((SELECT provolatile = 'i' FROM pg_proc WHERE oid = 'public.normalize_legal_locale(text)'::regprocedure)
                  AND (SELECT provolatile = 'i' FROM pg_proc WHERE oid = 'public.legal_locale_fallback_chain(text)'::regprocedure),
                  'both are IMMUTABLE (same input, same output)');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT pg_temp.eq(public.legal_locale_fallback_chain('it'), ARRAY['it-IT', 'en-US'], 'authenticated callers too');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT pg_temp.eq(public.legal_locale_fallback_chain('de'), ARRAY['de-DE', 'en-US'], 'and the service');

ROLLBACK;
