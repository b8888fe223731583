-- Item 53: legal timestamp formatting returns locale- and time-zone-correct output for EU and US zones (06 §4.4),
-- including the DST boundaries of 2026 (US: Mar 8 / Nov 1; EU: Mar 29 / Oct 25), invalid zones -> UTC,
-- unparsable values -> null.

BEGIN;

SET LOCAL ROLE anon;
SELECT set_config('request.jwt.claims', '{"role":"anon"}', true);
CREATE FUNCTION pg_temp.f(p_value text, p_locale text, p_zone text) RETURNS text LANGUAGE sql AS $$
    SELECT coalesce(public.format_legal_timestamp(p_value, p_locale, p_zone), '<null>') $$;

-- ---- the 06 §4.4 table
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'en-US', 'America/New_York'), 'Mar 6, 2026, 8:05 AM', 'en-US New York');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'en-US', 'America/Los_Angeles'), 'Mar 6, 2026, 5:05 AM', 'en-US Los Angeles');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'it-IT', 'Europe/Rome'), '6 mar 2026, 14:05', 'it-IT Rome');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'fr-FR', 'Europe/Paris'), '6 mars 2026, 14:05', 'fr-FR Paris');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'de-DE', 'Europe/Berlin'), '06.03.2026, 14:05', 'de-DE Berlin');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'es-ES', 'Europe/Madrid'), '6 mar 2026, 14:05', 'es-ES Madrid');
SELECT pg_temp.eq(pg_temp.f('2026-03-08T07:30:00Z', 'en-US', 'America/New_York'), 'Mar 8, 2026, 3:30 AM', 'DST check 1 (06 §4.4)');
SELECT pg_temp.eq(pg_temp.f('2026-03-29T01:30:00Z', 'it-IT', 'Europe/Rome'), '29 mar 2026, 03:30', 'DST check 2 (06 §4.4)');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'en-US', 'Mars/Base'), 'Mar 6, 2026, 1:05 PM', 'invalid zone -> UTC');

-- ---- US spring forward, 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z)
SELECT pg_temp.eq(pg_temp.f('2026-03-08T06:59:59Z', 'en-US', 'America/New_York'), 'Mar 8, 2026, 1:59 AM', 'NY: last second of EST');
SELECT pg_temp.eq(pg_temp.f('2026-03-08T07:00:00Z', 'en-US', 'America/New_York'), 'Mar 8, 2026, 3:00 AM', 'NY: first second of EDT (2 AM never shows)');
SELECT pg_temp.eq(pg_temp.f('2026-03-08T09:59:59Z', 'en-US', 'America/Los_Angeles'), 'Mar 8, 2026, 1:59 AM', 'LA: last second of PST');
SELECT pg_temp.eq(pg_temp.f('2026-03-08T10:00:00Z', 'en-US', 'America/Los_Angeles'), 'Mar 8, 2026, 3:00 AM', 'LA: first second of PDT');
-- ---- US fall back, 2026-11-01 02:00 EDT -> 01:00 EST (06:00Z): 1:30 AM happens twice
SELECT pg_temp.eq(pg_temp.f('2026-11-01T05:30:00Z', 'en-US', 'America/New_York'), 'Nov 1, 2026, 1:30 AM', 'NY: 1:30 AM EDT');
SELECT pg_temp.eq(pg_temp.f('2026-11-01T06:30:00Z', 'en-US', 'America/New_York'), 'Nov 1, 2026, 1:30 AM', 'NY: 1:30 AM EST, one hour later');
SELECT pg_temp.eq(pg_temp.f('2026-11-01T07:00:00Z', 'en-US', 'America/New_York'), 'Nov 1, 2026, 2:00 AM', 'NY: 2:00 AM EST');
SELECT pg_temp.eq(pg_temp.f('2026-11-01T09:00:00Z', 'en-US', 'America/Los_Angeles'), 'Nov 1, 2026, 1:00 AM', 'LA: 1:00 AM PST (second time)');
-- ---- EU spring forward, 2026-03-29 02:00 CET -> 03:00 CEST (01:00Z), same instant in every EU zone
SELECT pg_temp.eq(pg_temp.f('2026-03-29T00:59:59Z', 'it-IT', 'Europe/Rome'), '29 mar 2026, 01:59', 'Rome: last second of CET');
SELECT pg_temp.eq(pg_temp.f('2026-03-29T01:00:00Z', 'it-IT', 'Europe/Rome'), '29 mar 2026, 03:00', 'Rome: first second of CEST');
SELECT pg_temp.eq(pg_temp.f('2026-03-29T01:00:00Z', 'fr-FR', 'Europe/Paris'), '29 mars 2026, 03:00', 'Paris');
SELECT pg_temp.eq(pg_temp.f('2026-03-29T00:30:00Z', 'de-DE', 'Europe/Berlin'), '29.03.2026, 01:30', 'Berlin before');
SELECT pg_temp.eq(pg_temp.f('2026-03-29T01:30:00Z', 'es-ES', 'Europe/Madrid'), '29 mar 2026, 03:30', 'Madrid after');
-- ---- EU fall back, 2026-10-25 03:00 CEST -> 02:00 CET (01:00Z): 02:30 happens twice
SELECT pg_temp.eq(pg_temp.f('2026-10-25T00:30:00Z', 'it-IT', 'Europe/Rome'), '25 ott 2026, 02:30', 'Rome: 02:30 CEST');
SELECT pg_temp.eq(pg_temp.f('2026-10-25T01:30:00Z', 'it-IT', 'Europe/Rome'), '25 ott 2026, 02:30', 'Rome: 02:30 CET, one hour later');
SELECT pg_temp.eq(pg_temp.f('2026-10-25T02:00:00Z', 'de-DE', 'Europe/Berlin'), '25.10.2026, 03:00', 'Berlin: 03:00 CET');
-- ---- the US and EU transitions are three weeks apart: on 2026-03-20 New York is 4 h behind Rome, on 03-06 5 h
SELECT pg_temp.eq(pg_temp.f('2026-03-20T12:00:00Z', 'en-US', 'America/New_York') || ' / ' || pg_temp.f('2026-03-20T12:00:00Z', 'it-IT', 'Europe/Rome'),
                  'Mar 20, 2026, 8:00 AM / 20 mar 2026, 13:00', 'between the transitions: NY in EDT, Rome still in CET');

-- ---- 12-hour clock edges, day and year changes by zone, month names
SELECT pg_temp.eq(pg_temp.f('2026-07-04T04:05:00Z', 'en-US', 'America/New_York'), 'Jul 4, 2026, 12:05 AM', 'midnight is 12 AM');
SELECT pg_temp.eq(pg_temp.f('2026-07-04T16:05:00Z', 'en-US', 'America/New_York'), 'Jul 4, 2026, 12:05 PM', 'noon is 12 PM');
SELECT pg_temp.eq(pg_temp.f('2027-01-01T03:00:00Z', 'en-US', 'America/Los_Angeles'), 'Dec 31, 2026, 7:00 PM', 'LA is still in the old year');
SELECT pg_temp.eq(pg_temp.f('2026-12-31T23:30:00Z', 'it-IT', 'Europe/Rome'), '1 gen 2027, 00:30', 'Rome is already in the new year');
SELECT pg_temp.eq((SELECT string_agg(pg_temp.f(format('2026-%s-15T12:00:00Z', lpad(m::text, 2, '0')), l, 'UTC'), ';' ORDER BY m)
                   FROM generate_series(1, 12) AS m, (VALUES ('fr-FR')) AS v(l)),
                  '15 janv. 2026, 12:00;15 févr. 2026, 12:00;15 mars 2026, 12:00;15 avr. 2026, 12:00;15 mai 2026, 12:00;15 juin 2026, 12:00;'
                  '15 juil. 2026, 12:00;15 août 2026, 12:00;15 sept. 2026, 12:00;15 oct. 2026, 12:00;15 nov. 2026, 12:00;15 déc. 2026, 12:00',
                  'French months');
SELECT pg_temp.eq((SELECT string_agg(split_part(pg_temp.f(format('2026-%s-15T12:00:00Z', lpad(m::text, 2, '0')), 'es', 'UTC'), ' ', 2), ',' ORDER BY m)
                   FROM generate_series(1, 12) AS m), 'ene,feb,mar,abr,may,jun,jul,ago,sept,oct,nov,dic', 'Spanish months');
SELECT pg_temp.eq((SELECT string_agg(split_part(pg_temp.f(format('2026-%s-15T12:00:00Z', lpad(m::text, 2, '0')), 'it', 'UTC'), ' ', 2), ',' ORDER BY m)
                   FROM generate_series(1, 12) AS m), 'gen,feb,mar,apr,mag,giu,lug,ago,set,ott,nov,dic', 'Italian months');
SELECT pg_temp.eq((SELECT string_agg(split_part(pg_temp.f(format('2026-%s-15T12:00:00Z', lpad(m::text, 2, '0')), 'en-US', 'UTC'), ' ', 1), ',' ORDER BY m)
                   FROM generate_series(1, 12) AS m), 'Jan,Feb,Mar,Apr,May,Jun,Jul,Aug,Sep,Oct,Nov,Dec', 'English months');
SELECT pg_temp.ok((SELECT bool_and(pg_temp.f('2026-03-06T13:05:00Z', l, z) !~ '[\u00a0\u202f\t]')
                   FROM unnest(ARRAY['en-US', 'it-IT', 'fr-FR', 'de-DE', 'es-ES']) l, unnest(ARRAY['UTC', 'America/New_York', 'Europe/Rome']) z),
                  'ASCII spaces only (no NBSP / narrow NBSP)');

-- ---- locale and zone inputs
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'it_ch', '  Europe/Rome  '), '6 mar 2026, 14:05', 'locale normalized (it_ch -> it-IT), zone trimmed');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'pt-BR', 'America/Sao_Paulo'), 'Mar 6, 2026, 10:05 AM', 'unsupported locale -> en-US');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', NULL, NULL), 'Mar 6, 2026, 1:05 PM', 'no locale, no zone: en-US in UTC');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'de', '   '), '06.03.2026, 13:05', 'blank zone -> UTC');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'it', 'europe/rome'), '6 mar 2026, 14:05', 'zone names match case-insensitively');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'it', 'XYZ3'), '6 mar 2026, 13:05', 'a POSIX rule is no IANA name -> UTC (PostgreSQL alone would shift 3 h)');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'en-US', 'PST'), 'Mar 6, 2026, 1:05 PM', 'an abbreviation is no IANA name -> UTC');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00Z', 'en-US', 'Etc/GMT+5'), 'Mar 6, 2026, 8:05 AM', 'Etc/GMT+5 is an IANA name (UTC-5)');
SELECT pg_temp.eq(public.legal_time_zone('europe/ROME') || ',' || public.legal_time_zone('Mars/Base') || ',' || public.legal_time_zone(NULL),
                  'Europe/Rome,UTC,UTC', 'legal_time_zone: canonical name or UTC');

-- ---- values: offsets, no offset (UTC, whatever the session zone), unparsable -> null
SET LOCAL timezone = 'Asia/Tokyo';
SELECT pg_temp.eq(pg_temp.f('2026-03-06T14:05:00+01:00', 'it', 'Europe/Rome'), '6 mar 2026, 14:05', 'an offset is honoured');
SELECT pg_temp.eq(pg_temp.f('2026-03-06 13:05', 'it', 'Europe/Rome'), '6 mar 2026, 14:05', 'no offset: read as UTC, not as the session zone (Tokyo)');
SELECT pg_temp.eq(pg_temp.f('2026-03-06', 'de', 'Europe/Berlin'), '06.03.2026, 01:00', 'a date alone is midnight UTC');
SELECT pg_temp.eq(pg_temp.f('2026-03-06T13:05:00.123456z', 'de', 'UTC'), '06.03.2026, 13:05', 'fractions and lower-case z');
SELECT pg_temp.eq(public.format_legal_timestamp('2026-03-06T13:05:00Z'::timestamptz, 'it', 'Europe/Rome'), '6 mar 2026, 14:05', 'the timestamptz form');
SELECT pg_temp.eq((SELECT string_agg(pg_temp.f(v, 'en-US', 'UTC'), ',')
                   FROM unnest(ARRAY['now', 'today', 'infinity', 'yesterday', 'garbage', '2026-13-01', '2026-02-30T10:00:00Z', '06/03/2026', '', '   ']) AS v),
                  '<null>,<null>,<null>,<null>,<null>,<null>,<null>,<null>,<null>,<null>', 'unparsable (and clock words) -> null');
SELECT pg_temp.eq(public.format_legal_timestamp(NULL::text), NULL::text, 'null text -> null');
SELECT pg_temp.eq(public.format_legal_timestamp(NULL::timestamptz, 'it'), NULL::text, 'null timestamptz -> null');
SELECT pg_temp.eq((SELECT localized_text FROM public.resolve_legal_copy('legal.timestamp.not_available', 'it-IT')), 'Non disponibile',
                  'what callers show instead (legal.timestamp.not_available)');

ROLLBACK;
