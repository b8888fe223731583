-- KRUXT 0064: legal copy and its localization (06 §4; items 50-53).
--   legal_copy_keys / legal_copy_translations with the catalogue of 99 §6 (28 keys, en-US default text and an
--   it-IT translation each). A catalogue the server loads at startup (06 §4.3), so it ships with the migration
--   (00 §4 "seed catalogues ... legal copy"), not with the demo seed.
--   normalize_legal_locale, legal_locale_fallback_chain, resolve_legal_copy, list_legal_copy_bundle (callable by
--   anon, authenticated and service: pre-signup screens render legal copy), format_legal_timestamp (06 §4.4, a
--   SQL twin of the server's formatter so SQL lists can carry labels; the server keeps its own for flows).
-- Errors: KX422 'Legal copy key is required', KX404 'Unknown legal copy key: <key>'.
SET ROLE kruxt_owner;

CREATE TABLE public.legal_copy_keys (
    copy_key     text        PRIMARY KEY CHECK (copy_key ~ '^[a-z0-9._-]+$'),
    default_text text        NOT NULL,
    description  text,
    created_at   timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at   timestamptz NOT NULL DEFAULT public.app_now()
);

CREATE TABLE public.legal_copy_translations (
    id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    copy_key        text        NOT NULL REFERENCES public.legal_copy_keys (copy_key) ON DELETE CASCADE,
    locale          text        NOT NULL CHECK (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
    translated_text text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT public.app_now(),
    updated_at      timestamptz NOT NULL DEFAULT public.app_now(),
    UNIQUE (copy_key, locale)
);
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.legal_copy_keys
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();
CREATE TRIGGER set_updated_at BEFORE UPDATE ON public.legal_copy_translations
    FOR EACH ROW EXECUTE FUNCTION public.set_updated_at();

ALTER TABLE public.legal_copy_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY legal_copy_keys_select ON public.legal_copy_keys FOR SELECT TO authenticated
    USING (true);
CREATE POLICY legal_copy_keys_service_all ON public.legal_copy_keys FOR ALL TO authenticated
    USING (public.is_service_role()) WITH CHECK (public.is_service_role());
ALTER TABLE public.legal_copy_translations ENABLE ROW LEVEL SECURITY;
CREATE POLICY legal_copy_translations_select ON public.legal_copy_translations FOR SELECT TO authenticated
    USING (true);
CREATE POLICY legal_copy_translations_service_all ON public.legal_copy_translations FOR ALL TO authenticated
    USING (public.is_service_role()) WITH CHECK (public.is_service_role());

-- ---------------------------------------------------------------------------------------------
-- The catalogue (99 §6): copy_key, en-US default text, it-IT translation
-- ---------------------------------------------------------------------------------------------
WITH catalogue (copy_key, en_us, it_it) AS (VALUES
    ('legal.flow.phase2.authenticate_user', 'Sign in or create the account', 'Accedi o crea l''account'),
    ('legal.flow.phase2.ensure_profile_exists', 'Make sure the athlete profile exists', 'Verifica che esista il profilo atleta'),
    ('legal.flow.phase2.capture_baseline_consents', 'Record the required consents', 'Registra i consensi obbligatori'),
    ('legal.flow.phase2.create_or_join_gym', 'Create a gym or ask to join one', 'Crea una palestra o chiedi di entrarci'),
    ('legal.flow.phase2.set_home_gym', 'Save the home gym', 'Salva la palestra di riferimento'),
    ('legal.flow.phase2.load_guild_snapshot', 'Open the Guild Hall', 'Apri la Guild Hall'),
    ('legal.flow.phase3.validate_workout_payload', 'Check the workout details', 'Controlla i dettagli dell''allenamento'),
    ('legal.flow.phase3.validate_required_consents', 'Check that legal consents are current', 'Verifica che i consensi legali siano aggiornati'),
    ('legal.flow.phase3.call_log_workout_atomic', 'Save the whole workout in one step', 'Salva l''intero allenamento in un solo passaggio'),
    ('legal.flow.phase3.confirm_proof_feed_event', 'Confirm the proof card in the feed', 'Conferma la card di prova nel feed'),
    ('legal.flow.phase3.confirm_progress_update', 'Confirm XP, rank and chain progress', 'Conferma i progressi di XP, rank e chain'),
    ('legal.flow.phase8.submit_requests', 'Send access, export or deletion requests from settings', 'Invia richieste di accesso, esportazione o cancellazione dalle impostazioni'),
    ('legal.flow.phase8.load_request_timeline', 'Show each request with its status and deadline', 'Mostra ogni richiesta con stato e scadenza'),
    ('legal.flow.phase8.load_export_receipts', 'List export files and when their links expire', 'Elenca i file esportati e la scadenza dei link'),
    ('legal.flow.phase8.highlight_overdue_requests', 'Flag open requests that are past due', 'Segnala le richieste aperte oltre la scadenza'),
    ('legal.flow.admin.phase8.load_open_requests', 'Load open privacy requests of this gym''s members', 'Carica le richieste privacy aperte dei membri della palestra'),
    ('legal.flow.admin.phase8.highlight_overdue', 'Flag overdue and SLA-breached requests', 'Segnala le richieste scadute o fuori SLA'),
    ('legal.flow.admin.phase8.transition_status_notes', 'Change a request''s status with an audit note', 'Cambia lo stato della richiesta con una nota di audit'),
    ('legal.flow.admin.phase8.load_queue_filters', 'Filter the queue by status, type, SLA and user', 'Filtra la coda per stato, tipo, SLA e utente'),
    ('legal.flow.admin.phase8.show_sla_badges', 'Show SLA badges: breached, at risk, on track', 'Mostra i badge SLA: violata, a rischio, nei tempi'),
    ('legal.flow.admin.phase8.load_policy_versions', 'Show active policy versions and their effective dates', 'Mostra le versioni attive delle policy e le date di validità'),
    ('legal.flow.admin.phase8.load_privacy_metrics', 'Show privacy metrics: open, overdue, average completion time', 'Mostra le metriche privacy: aperte, scadute, tempo medio di chiusura'),
    ('legal.flow.admin.phase8.open_runbook', 'Open the compliance runbook for these actions', 'Apri il runbook di compliance per queste azioni'),
    ('legal.error.reconsent_required_action', 'Please accept the updated legal terms to continue.', 'Accetta i termini legali aggiornati per continuare.'),
    ('legal.error.reconsent_required_workout', 'Please accept the updated legal terms before logging a workout.', 'Accetta i termini legali aggiornati prima di registrare un allenamento.'),
    ('legal.error.policy_baseline_missing', 'The required terms, privacy or health-data policies are not published yet.', 'Le policy obbligatorie su termini, privacy o dati sanitari non sono ancora pubblicate.'),
    ('legal.error.baseline_consent_required', 'You must accept the terms, the privacy notice and health-data processing to continue.', 'Per continuare devi accettare i termini, l''informativa privacy e il trattamento dei dati sanitari.'),
    ('legal.timestamp.not_available', 'Unavailable', 'Non disponibile')
), keys AS (
    INSERT INTO public.legal_copy_keys (copy_key, default_text, description)
    SELECT c.copy_key, c.en_us,
           CASE WHEN c.copy_key LIKE 'legal.flow.admin.phase8.%' THEN 'Checklist step of the admin compliance console (phase 8)'
                WHEN c.copy_key LIKE 'legal.flow.phase2.%' THEN 'Checklist step of onboarding (phase 2)'
                WHEN c.copy_key LIKE 'legal.flow.phase3.%' THEN 'Checklist step of the workout logger (phase 3)'
                WHEN c.copy_key LIKE 'legal.flow.phase8.%' THEN 'Checklist step of the privacy requests screen (phase 8)'
                WHEN c.copy_key LIKE 'legal.error.%' THEN 'Error message shown by key'
                ELSE 'Fallback text for a timestamp that cannot be shown' END
    FROM catalogue c
    RETURNING copy_key
)
INSERT INTO public.legal_copy_translations (copy_key, locale, translated_text)
SELECT c.copy_key, 'it-IT', c.it_it
FROM catalogue c JOIN keys k ON k.copy_key = c.copy_key;

-- ---------------------------------------------------------------------------------------------
-- Locales (06 §4.2; item 50). Supported: en-US, it-IT, fr-FR, de-DE, es-ES.
-- ---------------------------------------------------------------------------------------------
-- trim; null/blank -> en-US; '_' -> '-'; language = first segment lower-cased, region = second segment
-- upper-cased; empty language -> en-US; language-region supported -> it; else by language (en, it, fr, de, es);
-- else en-US. 'it' -> it-IT, 'it_ch' -> it-IT, 'EN-gb' -> en-US, 'pt-BR' -> en-US, 'de-de' -> de-DE.
CREATE FUNCTION public.normalize_legal_locale(p_locale text DEFAULT NULL) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
    WITH t AS (
        SELECT replace(btrim(coalesce(p_locale, ''), E' \t\r\n\f\v'), '_', '-') AS s
    ), parts AS (
        SELECT lower(split_part(t.s, '-', 1)) AS lang, upper(split_part(t.s, '-', 2)) AS region FROM t
    )
    SELECT CASE
        WHEN p.lang = '' THEN 'en-US'
        WHEN p.lang || '-' || p.region IN ('en-US', 'it-IT', 'fr-FR', 'de-DE', 'es-ES') THEN p.lang || '-' || p.region
        WHEN p.lang = 'en' THEN 'en-US'
        WHEN p.lang = 'it' THEN 'it-IT'
        WHEN p.lang = 'fr' THEN 'fr-FR'
        WHEN p.lang = 'de' THEN 'de-DE'
        WHEN p.lang = 'es' THEN 'es-ES'
        ELSE 'en-US'
    END
    FROM parts p
$$;

-- {en-US} for en-US, else {normalized, en-US}: always ends requested -> en-US.
CREATE FUNCTION public.legal_locale_fallback_chain(p_locale text DEFAULT NULL) RETURNS text[]
LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE WHEN n = 'en-US' THEN ARRAY['en-US'] ELSE ARRAY[n, 'en-US'] END
    FROM public.normalize_legal_locale(p_locale) AS n
$$;

-- Every key starting with p_prefix (literal prefix: _ and % are not wildcards; null or '' = all keys), by key:
-- the first translation whose locale is in the chain (chain order), else the default text as en-US.
-- fallback_rank = 1-based position of the matched locale in the chain, chain length + 1 for the default text.
CREATE FUNCTION public.list_legal_copy_bundle(p_locale text DEFAULT NULL, p_prefix text DEFAULT NULL)
RETURNS TABLE (copy_key text, requested_locale text, resolved_locale text, localized_text text, fallback_rank integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    WITH chain AS (
        SELECT public.normalize_legal_locale(p_locale) AS requested,
               public.legal_locale_fallback_chain(p_locale) AS locales
    )
    SELECT k.copy_key, c.requested,
           coalesce(m.locale, 'en-US'),
           coalesce(m.translated_text, k.default_text),
           coalesce(m.rank, cardinality(c.locales) + 1)::integer
    FROM public.legal_copy_keys k
    CROSS JOIN chain c
    LEFT JOIN LATERAL (
        SELECT t.locale, t.translated_text, array_position(c.locales, t.locale) AS rank
        FROM public.legal_copy_translations t
        WHERE t.copy_key = k.copy_key AND t.locale = ANY (c.locales)
        ORDER BY array_position(c.locales, t.locale)
        LIMIT 1
    ) m ON true
    WHERE p_prefix IS NULL OR starts_with(k.copy_key, p_prefix)
    ORDER BY k.copy_key
$$;

-- One key (item 51). Blank key -> 'Legal copy key is required'; unknown -> 'Unknown legal copy key: <key>'
-- (the key trimmed). requested_locale is the normalized locale.
CREATE FUNCTION public.resolve_legal_copy(p_copy_key text, p_locale text DEFAULT NULL)
RETURNS TABLE (copy_key text, requested_locale text, resolved_locale text, localized_text text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_key text := btrim(coalesce(p_copy_key, ''));
BEGIN
    IF v_key = '' THEN
        RAISE EXCEPTION 'Legal copy key is required' USING ERRCODE = 'KX422';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.legal_copy_keys k WHERE k.copy_key = v_key) THEN
        RAISE EXCEPTION 'Unknown legal copy key: %', v_key USING ERRCODE = 'KX404';
    END IF;
    RETURN QUERY
    SELECT b.copy_key, b.requested_locale, b.resolved_locale, b.localized_text
    FROM public.list_legal_copy_bundle(p_locale, v_key) b
    WHERE b.copy_key = v_key;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Timestamp formatting (06 §4.4; item 53)
-- ---------------------------------------------------------------------------------------------
-- The zone names PostgreSQL knows (IANA tz database), captured once: pg_timezone_names reads the zone files on
-- every call (60-200 ms), far too slow for a list. posix/, right/, posixrules and localtime are aliases, not
-- names; left out.
CREATE TABLE kruxt_internal.legal_time_zones (
    name text PRIMARY KEY
);
CREATE INDEX legal_time_zones_lower_idx ON kruxt_internal.legal_time_zones (lower(name));
INSERT INTO kruxt_internal.legal_time_zones (name)
SELECT DISTINCT z.name FROM pg_catalog.pg_timezone_names z
WHERE z.name NOT LIKE 'posix/%' AND z.name NOT LIKE 'right/%' AND z.name NOT IN ('posixrules', 'localtime', 'Factory');

-- Trimmed IANA name (matched case-insensitively, the canonical spelling returned); blank, null or unknown
-- (e.g. 'Mars/Base', a POSIX rule such as 'XYZ3', an abbreviation such as 'PST') -> 'UTC'.
CREATE FUNCTION public.legal_time_zone(p_time_zone text DEFAULT NULL) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT coalesce(
        (SELECT z.name FROM kruxt_internal.legal_time_zones z
         WHERE lower(z.name) = lower(btrim(p_time_zone))
         ORDER BY z.name = btrim(p_time_zone) DESC, z.name
         LIMIT 1),
        'UTC')
$$;

-- Medium date + short time, ASCII spaces only (06 §4.4):
--   en-US  MMM d, yyyy, h:mm AM/PM     Mar 6, 2026, 8:05 AM
--   it-IT  d MMM yyyy, HH:mm           6 mar 2026, 14:05     (gen feb mar apr mag giu lug ago set ott nov dic)
--   fr-FR  d MMM yyyy, HH:mm           6 mars 2026, 14:05    (janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.)
--   de-DE  dd.MM.yyyy, HH:mm           06.03.2026, 14:05
--   es-ES  d MMM yyyy, HH:mm           6 mar 2026, 14:05     (ene feb mar abr may jun jul ago sept oct nov dic)
-- The locale goes through normalize_legal_locale, the zone through legal_time_zone. Null value -> null (the
-- caller shows legal.timestamp.not_available).
CREATE FUNCTION public.format_legal_timestamp(p_value timestamptz, p_locale text DEFAULT NULL, p_time_zone text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_locale text := public.normalize_legal_locale(p_locale);
    v_local timestamp;
    v_month integer;
    v_day text;
    v_time text;
BEGIN
    IF p_value IS NULL THEN
        RETURN NULL;
    END IF;
    v_local := p_value AT TIME ZONE public.legal_time_zone(p_time_zone);
    v_month := extract(month FROM v_local)::integer;
    v_day := extract(day FROM v_local)::integer::text;
    v_time := to_char(v_local, 'HH24:MI');
    RETURN CASE v_locale
        WHEN 'en-US' THEN (ARRAY['Jan','Feb','Mar','Apr','May','Jun','Jul','Aug','Sep','Oct','Nov','Dec'])[v_month]
                          || ' ' || v_day || ', ' || to_char(v_local, 'YYYY') || ', '
                          || to_char(v_local, 'FMHH12:MI') || ' ' || CASE WHEN extract(hour FROM v_local) < 12 THEN 'AM' ELSE 'PM' END
        WHEN 'it-IT' THEN v_day || ' ' || (ARRAY['gen','feb','mar','apr','mag','giu','lug','ago','set','ott','nov','dic'])[v_month]
                          || ' ' || to_char(v_local, 'YYYY') || ', ' || v_time
        WHEN 'fr-FR' THEN v_day || ' ' || (ARRAY['janv.','févr.','mars','avr.','mai','juin','juil.','août','sept.','oct.','nov.','déc.'])[v_month]
                          || ' ' || to_char(v_local, 'YYYY') || ', ' || v_time
        WHEN 'de-DE' THEN to_char(v_local, 'DD.MM.YYYY') || ', ' || v_time
        ELSE v_day || ' ' || (ARRAY['ene','feb','mar','abr','may','jun','jul','ago','sept','oct','nov','dic'])[v_month]
             || ' ' || to_char(v_local, 'YYYY') || ', ' || v_time
    END;
END
$$;

-- Text input: null, blank or unparsable -> null. Accepted: an ISO 8601 date or date-time
-- (YYYY-MM-DD[(T| )HH:MM[:SS[.fraction]]][Z|±HH[:MM]]); without an offset it is read as UTC (not as the
-- session's time zone). Words PostgreSQL would accept ('now', 'today', 'infinity', ...) are refused.
CREATE FUNCTION public.format_legal_timestamp(p_value text, p_locale text DEFAULT NULL, p_time_zone text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = public, pg_temp
SET timezone = 'UTC'
AS $$
DECLARE
    v_text text := btrim(coalesce(p_value, ''));
    v_value timestamptz;
BEGIN
    IF v_text !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)?$' THEN
        RETURN NULL;
    END IF;
    BEGIN
        v_value := v_text::timestamptz;
    EXCEPTION WHEN OTHERS THEN
        RETURN NULL;
    END;
    RETURN public.format_legal_timestamp(v_value, p_locale, p_time_zone);
END
$$;

GRANT EXECUTE ON FUNCTION public.normalize_legal_locale(text), public.legal_locale_fallback_chain(text),
    public.resolve_legal_copy(text, text), public.list_legal_copy_bundle(text, text), public.legal_time_zone(text),
    public.format_legal_timestamp(timestamptz, text, text), public.format_legal_timestamp(text, text, text)
    TO anon, authenticated, service_role;

RESET ROLE;
