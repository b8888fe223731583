-- Item 37: apply_user_anonymization is idempotent and removes/scrubs targeted rows without FK breakage
-- (05 §6.2, 00 §6.3). On sara (04), the most connected seeded user, with an export link, a push token and
-- rows in the tables of later areas: every summary count equals the rows it names; her rows of areas 02/03
-- are gone or scrubbed; rows kept for legal retention (consents, memberships, subscriptions, invoices, audit)
-- are kept; others' rows hanging off hers go with them through their FKs; a second run deletes nothing and
-- leaves an identical state (updated_at included); then every other seeded user is anonymized too, without
-- a single error or orphan row.
-- Gap closure checked: auth.users keeps no e-mail, password hash or metadata (auth_users_anonymized).
-- Tables of later areas: stand-ins with the spec's columns when missing (user_auth_events' stand-in carries an
-- immutability trigger that only lets the service scrub through with kruxt.evidence_scrub = 'on', the
-- contract 12 §5 states).

BEGIN;

SELECT set_config('test.anchor', (SELECT anchor::text FROM kruxt_internal.seed_anchor), true);
SELECT set_config('kruxt.now', current_setting('test.anchor'), true);
CREATE TEMP TABLE ctx (k text PRIMARY KEY, v uuid, j jsonb, t text) ON COMMIT DROP;
CREATE TEMP TABLE expected (k text PRIMARY KEY, n bigint) ON COMMIT DROP;
CREATE TEMP TABLE former_ids (tbl text, id uuid) ON COMMIT DROP;
CREATE TEMP TABLE stubs (t text PRIMARY KEY) ON COMMIT DROP;
GRANT ALL ON ctx, expected, former_ids, stubs TO PUBLIC;
-- rows of an optional table (0 when it does not exist)
CREATE FUNCTION pg_temp.count_if(p_table text, p_where text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    IF to_regclass('public.' || p_table) IS NULL THEN RETURN 0; END IF;
    EXECUTE format('SELECT count(*) FROM public.%I WHERE %s', p_table, p_where) INTO n;
    RETURN n;
END $$;
-- orphans of every single-column foreign key of the database
CREATE FUNCTION pg_temp.fk_orphans() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r record; n bigint; out text := '';
BEGIN
    FOR r IN SELECT c.conrelid::regclass AS child, a.attname AS col, c.confrelid::regclass AS parent, pa.attname AS pcol
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1]
             WHERE c.contype = 'f' AND cardinality(c.conkey) = 1
               AND c.connamespace IN ('public'::regnamespace, 'auth'::regnamespace) LOOP
        EXECUTE format('SELECT count(*) FROM %s x WHERE x.%I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.%I = x.%I)',
                       r.child, r.col, r.parent, r.pcol, r.col) INTO n;
        IF n > 0 THEN out := out || format('%s.%s:%s ', r.child, r.col, n); END IF;
    END LOOP;
    RETURN nullif(out, '');
END $$;
-- everything of one user that anonymization keeps (ids of nulled rows remembered in former_ids)
CREATE FUNCTION pg_temp.fingerprint(u uuid) RETURNS text LANGUAGE sql AS $$
    SELECT md5(concat_ws('|',
        (SELECT to_jsonb(p)::text FROM public.profiles p WHERE p.id = u),
        (SELECT to_jsonb(a)::text FROM auth.users a WHERE a.id = u),
        (SELECT to_jsonb(n)::text FROM public.notification_preferences n WHERE n.user_id = u),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.waiver_acceptances x WHERE x.user_id = u),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.contract_acceptances x WHERE x.user_id = u),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.privacy_requests x WHERE x.user_id = u),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.privacy_export_jobs x WHERE x.user_id = u),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.consents x WHERE x.user_id = u),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.gym_memberships x WHERE x.user_id = u),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.member_subscriptions x WHERE x.user_id = u),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.invoices x WHERE x.user_id = u),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.access_logs x WHERE x.id IN (SELECT id FROM former_ids WHERE tbl = 'access_logs')),
        (SELECT string_agg(to_jsonb(x)::text, ',' ORDER BY x.id) FROM public.payment_transactions x WHERE x.id IN (SELECT id FROM former_ids WHERE tbl = 'payment_transactions'))))
$$;

-- ================================================================ stand-ins for tables of later areas
SET LOCAL ROLE kruxt_owner;
DO $$
BEGIN
    IF to_regclass('public.challenge_participants') IS NULL THEN
        CREATE TABLE public.challenge_participants (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), challenge_id uuid,
            user_id uuid REFERENCES public.profiles (id) ON DELETE CASCADE, score numeric(12,2) NOT NULL DEFAULT 0,
            completed boolean NOT NULL DEFAULT false, joined_at timestamptz, updated_at timestamptz);
        INSERT INTO stubs VALUES ('challenge_participants');
    END IF;
    IF to_regclass('public.leaderboard_entries') IS NULL THEN
        CREATE TABLE public.leaderboard_entries (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), leaderboard_id uuid,
            user_id uuid REFERENCES public.profiles (id) ON DELETE CASCADE, rank integer NOT NULL, score numeric(14,3) NOT NULL);
        INSERT INTO stubs VALUES ('leaderboard_entries');
    END IF;
    IF to_regclass('public.user_trusted_devices') IS NULL THEN
        CREATE TABLE public.user_trusted_devices (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id uuid REFERENCES public.profiles (id) ON DELETE CASCADE, device_id text NOT NULL, last_ip inet);
        INSERT INTO stubs VALUES ('user_trusted_devices');
    END IF;
    IF to_regclass('public.user_auth_events') IS NULL THEN
        CREATE TABLE public.user_auth_events (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
            user_id uuid REFERENCES public.profiles (id) ON DELETE CASCADE, event_type text NOT NULL, device_id text,
            ip_address inet, user_agent text, occurred_at timestamptz NOT NULL DEFAULT public.app_now());
        CREATE TRIGGER reject_mutation_immutable_table BEFORE UPDATE OR DELETE ON public.user_auth_events FOR EACH ROW
            WHEN (NOT (public.is_service_role() AND coalesce(current_setting('kruxt.evidence_scrub', true), '') = 'on'))
            EXECUTE FUNCTION public.reject_mutation_immutable_table();
        INSERT INTO stubs VALUES ('user_auth_events');
    END IF;
    IF to_regclass('public.user_data_sharing_preferences') IS NULL THEN
        CREATE TABLE public.user_data_sharing_preferences (user_id uuid PRIMARY KEY REFERENCES public.profiles (id) ON DELETE CASCADE,
            allow_aggregated_analytics boolean NOT NULL DEFAULT true, allow_third_party_aggregated_sharing boolean NOT NULL DEFAULT false,
            allow_pseudonymous_research boolean NOT NULL DEFAULT false, revoked_at timestamptz);
        INSERT INTO stubs VALUES ('user_data_sharing_preferences');
    END IF;
END
$$;
RESET ROLE;

-- ================================================================ more of sara's data
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM stubs WHERE t = 'challenge_participants') THEN
        INSERT INTO public.challenge_participants (user_id, score) VALUES ('20000000-0000-4000-8000-000000000004', 15230), ('20000000-0000-4000-8000-000000000005', 15230);
    END IF;
    IF EXISTS (SELECT 1 FROM stubs WHERE t = 'leaderboard_entries') THEN
        INSERT INTO public.leaderboard_entries (user_id, rank, score) VALUES ('20000000-0000-4000-8000-000000000004', 1, 15230), ('20000000-0000-4000-8000-000000000005', 2, 15230);
    END IF;
    IF EXISTS (SELECT 1 FROM stubs WHERE t = 'user_trusted_devices') THEN
        INSERT INTO public.user_trusted_devices (user_id, device_id, last_ip) VALUES ('20000000-0000-4000-8000-000000000004', 'iphone', '203.0.113.5'),
                                                                                  ('20000000-0000-4000-8000-000000000004', 'ipad', NULL);
    END IF;
    IF EXISTS (SELECT 1 FROM stubs WHERE t = 'user_auth_events') THEN
        INSERT INTO public.user_auth_events (user_id, event_type, device_id, ip_address, user_agent) VALUES
            ('20000000-0000-4000-8000-000000000004', 'login_success', 'iphone', '203.0.113.5', 'KRUXT/1.0'),
            ('20000000-0000-4000-8000-000000000004', 'logout', NULL, NULL, NULL);
    END IF;
    IF EXISTS (SELECT 1 FROM stubs WHERE t = 'user_data_sharing_preferences') THEN
        INSERT INTO public.user_data_sharing_preferences (user_id, allow_third_party_aggregated_sharing) VALUES ('20000000-0000-4000-8000-000000000004', true);
    END IF;
END
$$;
INSERT INTO public.push_notification_tokens (user_id, device_id, platform, push_token) VALUES
    ('20000000-0000-4000-8000-000000000004', 'iphone', 'ios', 'tok-sara-1'), ('20000000-0000-4000-8000-000000000004', 'web', 'web', 'tok-sara-2');
UPDATE public.notification_preferences SET quiet_hours_start = '22:00', quiet_hours_end = '07:00' WHERE user_id = '20000000-0000-4000-8000-000000000004';
UPDATE auth.users SET encrypted_password = '$argon2id$v=19$sara', last_sign_in_at = public.app_now() WHERE id = '20000000-0000-4000-8000-000000000004';
-- sara gets an export (with its link) and then asks for deletion
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}', true);
SELECT public.submit_privacy_request('export', 'Before I leave');
INSERT INTO ctx (k, v) SELECT 'delete_request', public.submit_privacy_request('delete', 'Please erase me');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);
SELECT public.queue_privacy_export_jobs();
SELECT public.complete_privacy_export_job(j.id, 'privacy-exports', 'sara/x.json', '/storage/v1/object/sign/privacy-exports/sara/x.json?token=t',
                                          public.app_now() + interval '1 day', 100, 10)
FROM public.claim_privacy_export_jobs(10) j WHERE j.user_id = '20000000-0000-4000-8000-000000000004';
SELECT public.transition_privacy_request_status((SELECT v FROM ctx WHERE k = 'delete_request'), 'triaged', 'Identity verified');
SELECT pg_temp.ok((SELECT count(*) FROM public.social_interactions i JOIN public.workouts w ON w.id = i.workout_id
                   WHERE w.user_id = '20000000-0000-4000-8000-000000000004' AND i.actor_user_id <> w.user_id) >= 3,
                  'sanity: others reacted to / commented on sara''s workouts');

-- ================================================================ expected counts, taken before
INSERT INTO former_ids SELECT 'access_logs', id FROM public.access_logs WHERE user_id = '20000000-0000-4000-8000-000000000004';
INSERT INTO former_ids SELECT 'payment_transactions', id FROM public.payment_transactions WHERE user_id = '20000000-0000-4000-8000-000000000004';
INSERT INTO former_ids SELECT 'social_interactions_on_hers', i.id FROM public.social_interactions i JOIN public.workouts w ON w.id = i.workout_id
    WHERE w.user_id = '20000000-0000-4000-8000-000000000004';
INSERT INTO former_ids SELECT 'checkin_logs', a.id FROM public.access_logs a JOIN public.gym_checkins c ON c.id = a.checkin_id
    WHERE c.user_id = '20000000-0000-4000-8000-000000000004';
INSERT INTO expected
SELECT k, n FROM (VALUES
    ('social_connections_deleted', (SELECT count(*) FROM public.social_connections WHERE '20000000-0000-4000-8000-000000000004' IN (follower_user_id, followed_user_id))),
    ('user_blocks_deleted', (SELECT count(*) FROM public.user_blocks WHERE '20000000-0000-4000-8000-000000000004' IN (blocker_user_id, blocked_user_id))),
    ('user_reports_deleted', (SELECT count(*) FROM public.user_reports WHERE reporter_user_id = '20000000-0000-4000-8000-000000000004')),
    ('social_interactions_deleted', (SELECT count(*) FROM public.social_interactions WHERE actor_user_id = '20000000-0000-4000-8000-000000000004')),
    ('feed_events_deleted', (SELECT count(*) FROM public.feed_events WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('workouts_deleted', (SELECT count(*) FROM public.workouts WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('challenge_participants_deleted', pg_temp.count_if('challenge_participants', 'user_id = ''20000000-0000-4000-8000-000000000004''')),
    ('leaderboard_entries_deleted', pg_temp.count_if('leaderboard_entries', 'user_id = ''20000000-0000-4000-8000-000000000004''')),
    ('class_waitlist_deleted', (SELECT count(*) FROM public.class_waitlist WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('class_bookings_deleted', (SELECT count(*) FROM public.class_bookings WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('gym_checkins_deleted', (SELECT count(*) FROM public.gym_checkins WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('push_tokens_deleted', (SELECT count(*) FROM public.push_notification_tokens WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('device_connections_deleted', (SELECT count(*) FROM public.device_connections WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('user_trusted_devices_deleted', pg_temp.count_if('user_trusted_devices', 'user_id = ''20000000-0000-4000-8000-000000000004''')),
    ('access_logs_anonymized', (SELECT count(*) FROM former_ids WHERE tbl = 'access_logs')),
    ('payment_transactions_anonymized', (SELECT count(*) FROM former_ids WHERE tbl = 'payment_transactions')),
    ('notification_preferences_anonymized', 1::bigint),
    ('waiver_acceptances_anonymized', (SELECT count(*) FROM public.waiver_acceptances WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('contract_acceptances_anonymized', (SELECT count(*) FROM public.contract_acceptances WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('user_auth_events_anonymized', pg_temp.count_if('user_auth_events', 'user_id = ''20000000-0000-4000-8000-000000000004'' AND (ip_address IS NOT NULL OR user_agent IS NOT NULL OR device_id IS NOT NULL)')),
    ('data_sharing_preferences_revoked', pg_temp.count_if('user_data_sharing_preferences', 'user_id = ''20000000-0000-4000-8000-000000000004''')),
    ('privacy_requests_redacted', (SELECT count(*) FROM public.privacy_requests WHERE user_id = '20000000-0000-4000-8000-000000000004')),
    ('privacy_export_links_revoked', 1::bigint),
    ('profiles_updated', 1::bigint),
    ('auth_users_anonymized', 1::bigint)) AS e(k, n);
SELECT pg_temp.ok((SELECT n FROM expected WHERE k = 'workouts_deleted') = 3 AND (SELECT n FROM expected WHERE k = 'gym_checkins_deleted') >= 1
                  AND (SELECT n FROM expected WHERE k = 'access_logs_anonymized') >= 1 AND (SELECT n FROM expected WHERE k = 'class_bookings_deleted') >= 1
                  AND (SELECT n FROM expected WHERE k = 'payment_transactions_anonymized') >= 1 AND (SELECT n FROM expected WHERE k = 'social_connections_deleted') = 2,
                  'sanity: sara has rows in every area (3 workouts, bookings, a check-in, logs, a payment, 2 follow edges)');
CREATE TEMP TABLE kept_before ON COMMIT DROP AS
SELECT (SELECT count(*) FROM public.consents WHERE user_id = '20000000-0000-4000-8000-000000000004') AS consents,
       (SELECT count(*) FROM public.gym_memberships WHERE user_id = '20000000-0000-4000-8000-000000000004') AS memberships,
       (SELECT count(*) FROM public.member_subscriptions WHERE user_id = '20000000-0000-4000-8000-000000000004') AS subscriptions,
       (SELECT count(*) FROM public.invoices WHERE user_id = '20000000-0000-4000-8000-000000000004') AS invoices,
       (SELECT count(*) FROM public.refunds) AS refunds,
       (SELECT count(*) FROM public.audit_logs) AS audit,
       (SELECT count(*) FROM public.workouts WHERE user_id <> '20000000-0000-4000-8000-000000000004') AS others_workouts;
GRANT ALL ON kept_before TO PUBLIC;
-- everybody else's challenge participations and board entries (davide's stand-in rows, or area 07's seeded ones)
CREATE FUNCTION pg_temp.rank_rows_of_others() RETURNS text LANGUAGE sql AS $$
    SELECT count(*) || ':' || md5(coalesce(string_agg(r, ',' ORDER BY r), ''))
    FROM (SELECT 'cp' || to_jsonb(x)::text AS r FROM public.challenge_participants x WHERE x.user_id IS DISTINCT FROM '20000000-0000-4000-8000-000000000004'
          UNION ALL
          SELECT 'le' || to_jsonb(x)::text FROM public.leaderboard_entries x WHERE x.user_id IS DISTINCT FROM '20000000-0000-4000-8000-000000000004') q
$$;
INSERT INTO ctx (k, t) VALUES ('rank_rows_of_others', pg_temp.rank_rows_of_others());
SELECT pg_temp.ok((SELECT split_part(t, ':', 1)::int FROM ctx WHERE k = 'rank_rows_of_others') >= 2,
                  'sanity: others have challenge participations and board entries');

-- ================================================================ run 1
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '1 hour')::text, true);
SELECT set_config('kruxt.evidence_scrub', 'probe', true);
INSERT INTO ctx (k, j) SELECT 'run1', public.apply_user_anonymization('20000000-0000-4000-8000-000000000004', (SELECT v FROM ctx WHERE k = 'delete_request'));
SELECT pg_temp.eq(current_setting('kruxt.evidence_scrub', true), 'probe', 'the scrub switch is restored after the run');
SELECT pg_temp.eq((SELECT string_agg(e.k || '=' || e.n || '/' || coalesce(r.j ->> e.k, 'MISSING'), ', ' ORDER BY e.k)
                   FROM expected e, ctx r WHERE r.k = 'run1' AND (r.j ->> e.k)::bigint IS DISTINCT FROM e.n), NULL::text,
                  'every summary count equals the rows it names');
SELECT pg_temp.eq((SELECT (j ->> 'user_id') || ' ' || (j ->> 'privacy_request_id') || ' ' || ((j ->> 'anonymized_at')::timestamptz = public.app_now())
                          || ' ' || (j ->> 'anonymized_username') FROM ctx WHERE k = 'run1'),
                  '20000000-0000-4000-8000-000000000004 ' || (SELECT v FROM ctx WHERE k = 'delete_request') || ' true deleted_2000000000004000',
                  'summary: user_id, privacy_request_id, anonymized_at, anonymized_username (deleted_ + the id''s hex, 24 characters)');
SELECT pg_temp.eq((SELECT count(*) FROM ctx, jsonb_object_keys(j) WHERE k = 'run1'), (SELECT count(*) + 4 FROM expected), '25 counts + 4 identifying keys');

-- ---- her rows are gone
SELECT pg_temp.eq((SELECT count(*) FROM public.social_connections WHERE '20000000-0000-4000-8000-000000000004' IN (follower_user_id, followed_user_id))
                + (SELECT count(*) FROM public.user_blocks WHERE '20000000-0000-4000-8000-000000000004' IN (blocker_user_id, blocked_user_id))
                + (SELECT count(*) FROM public.user_reports WHERE reporter_user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.social_interactions WHERE actor_user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.feed_events WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.workouts WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.workout_sets WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.class_waitlist WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.class_bookings WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.gym_checkins WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.push_notification_tokens WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.device_connections WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.access_logs WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + (SELECT count(*) FROM public.payment_transactions WHERE user_id = '20000000-0000-4000-8000-000000000004')
                + pg_temp.count_if('challenge_participants', 'user_id = ''20000000-0000-4000-8000-000000000004''')
                + pg_temp.count_if('leaderboard_entries', 'user_id = ''20000000-0000-4000-8000-000000000004''')
                + pg_temp.count_if('user_trusted_devices', 'user_id = ''20000000-0000-4000-8000-000000000004'''), 0::bigint,
                  'no row of hers is left in the deleted tables, none of the kept logs/payments points at her');
SELECT pg_temp.eq((SELECT count(*) FROM public.social_interactions WHERE id IN (SELECT id FROM former_ids WHERE tbl = 'social_interactions_on_hers')), 0::bigint,
                  'others'' reactions and comments on her workouts went with the workouts (cascade)');
SELECT pg_temp.eq((SELECT count(*) FROM public.workouts WHERE user_id <> '20000000-0000-4000-8000-000000000004'), (SELECT others_workouts FROM kept_before),
                  'nobody else''s workout was touched (jake''s W07 lost only her crown reaction)');
SELECT pg_temp.eq((SELECT count(*) FROM public.access_logs WHERE id IN (SELECT id FROM former_ids WHERE tbl = 'checkin_logs') AND checkin_id IS NULL AND user_id IS NULL),
                  (SELECT count(*) FROM former_ids WHERE tbl = 'checkin_logs'), 'the access logs of her check-ins are kept, without user and check-in');
SELECT pg_temp.eq(pg_temp.rank_rows_of_others(), (SELECT t FROM ctx WHERE k = 'rank_rows_of_others'),
                  'everybody else''s challenge participations and board entries are kept unchanged (davide''s stand-ins or the area 07 seed)');

-- ---- scrubbed in place
SELECT pg_temp.eq((SELECT username || ' ' || display_name || ' ' || coalesce(avatar_url, '-') || ' ' || coalesce(bio, '-') || ' ' || coalesce(home_gym_id::text, '-')
                          || ' ' || coalesce(locale, '-') || ' ' || is_public || ' ' || xp_total || ' ' || level || ' ' || rank_tier || ' ' || chain_days
                          || ' ' || coalesce(last_workout_at::text, '-') || ' ' || preferred_units
                   FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000004'),
                  'deleted_2000000000004000 Deleted User - - - - false 0 1 initiate 0 - metric', 'profile anonymized and progression reset');
SELECT pg_temp.eq((SELECT email || ' ' || coalesce(encrypted_password, '-') || ' ' || raw_user_meta_data::text || ' ' || coalesce(last_sign_in_at::text, '-')
                   FROM auth.users WHERE id = '20000000-0000-4000-8000-000000000004'),
                  '20000000000040008000000000000004@deleted.kruxt.invalid - {} -', 'gap closure: no e-mail, password hash or metadata left in auth.users');
SELECT pg_temp.eq((SELECT (push_enabled OR email_enabled OR in_app_enabled OR marketing_enabled OR workout_reactions_enabled OR comments_enabled
                           OR challenge_updates_enabled OR class_reminders_enabled)::text || ' ' || coalesce(quiet_hours_start::text, '-') || ' '
                          || coalesce(quiet_hours_end::text, '-') || ' ' || timezone
                   FROM public.notification_preferences WHERE user_id = '20000000-0000-4000-8000-000000000004'),
                  'false - - UTC', 'notification preferences all off, no quiet hours, UTC');
SELECT pg_temp.eq((SELECT string_agg(coalesce(ip_address, '-') || ' ' || coalesce(user_agent, '-') || ' ' || signature_data::text || ' ' || source, ',')
                   FROM (SELECT * FROM public.waiver_acceptances UNION ALL SELECT * FROM public.contract_acceptances) a
                   WHERE user_id = '20000000-0000-4000-8000-000000000004'),
                  '- - {} mobile,- - {} mobile', 'acceptances kept as evidence without ip, user agent, signature (the scrub exception)');
SELECT pg_temp.eq((SELECT string_agg(request_type || ':' || coalesce(reason, '-') || ':' || coalesce(notes, '-') || ':' || coalesce(response_location, '-')
                                     || ':' || coalesce(response_expires_at::text, '-') || ':' || coalesce(response_content_type, '-') || ':'
                                     || coalesce(response_bytes::text, '-'), ',' ORDER BY request_type)
                   FROM public.privacy_requests WHERE user_id = '20000000-0000-4000-8000-000000000004'),
                  'access:-:-:-:-:-:-,export:-:-:-:-:-:-,delete:-:Identity verified:-:-:-:-',
                  'privacy requests: reason and response fields null; notes kept only on the delete request being fulfilled');
SELECT pg_temp.eq((SELECT coalesce(signed_url, '-') || ' ' || (signed_url_expires_at = public.app_now()) || ' ' || storage_path
                   FROM public.privacy_export_jobs WHERE user_id = '20000000-0000-4000-8000-000000000004'),
                  '- true sara/x.json', 'the export link is revoked (expires now)');
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM stubs WHERE t = 'user_auth_events') THEN
        PERFORM pg_temp.eq((SELECT count(*) FROM public.user_auth_events WHERE user_id = '20000000-0000-4000-8000-000000000004'
                            AND ip_address IS NULL AND user_agent IS NULL AND device_id IS NULL), 2::bigint,
                           'auth events kept, ip/user agent/device id scrubbed through the immutability trigger''s scrub exception');
    END IF;
    IF EXISTS (SELECT 1 FROM stubs WHERE t = 'user_data_sharing_preferences') THEN
        PERFORM pg_temp.eq((SELECT (allow_aggregated_analytics OR allow_third_party_aggregated_sharing OR allow_pseudonymous_research)::text
                                   || ' ' || (revoked_at = public.app_now())
                            FROM public.user_data_sharing_preferences WHERE user_id = '20000000-0000-4000-8000-000000000004'),
                           'false true', 'data sharing all false, revoked now');
    END IF;
END
$$;

-- ---- kept
SELECT pg_temp.eq((SELECT count(*) FROM public.consents WHERE user_id = '20000000-0000-4000-8000-000000000004')
                  || '/' || (SELECT count(*) FROM public.gym_memberships WHERE user_id = '20000000-0000-4000-8000-000000000004')
                  || '/' || (SELECT count(*) FROM public.member_subscriptions WHERE user_id = '20000000-0000-4000-8000-000000000004')
                  || '/' || (SELECT count(*) FROM public.invoices WHERE user_id = '20000000-0000-4000-8000-000000000004')
                  || '/' || (SELECT count(*) FROM public.refunds),
                  (SELECT consents || '/' || memberships || '/' || subscriptions || '/' || invoices || '/' || refunds FROM kept_before),
                  'kept for legal retention: consents, memberships, subscriptions, invoices (and refunds)');
SELECT pg_temp.ok((SELECT count(*) FROM public.audit_logs) > (SELECT audit FROM kept_before), 'audit logs kept (and grown)');
SELECT pg_temp.eq((SELECT o.aggregate_type || ' ' || (o.payload = r.j) FROM public.event_outbox o, ctx r
                   WHERE r.k = 'run1' AND o.event_type = 'privacy.user_anonymized'), 'profile true', 'outbox privacy.user_anonymized (aggregate profile) with the summary');
SELECT pg_temp.eq((SELECT a.target_table || ' ' || (a.metadata = r.j) FROM public.audit_logs a, ctx r
                   WHERE r.k = 'run1' AND a.action = 'privacy.user_anonymized'), 'profiles true', 'audit privacy.user_anonymized with the summary');
SELECT pg_temp.eq(pg_temp.fk_orphans(), NULL::text, 'no foreign key of the database has an orphan row');

-- ================================================================ run 2: idempotent
INSERT INTO ctx (k, t) SELECT 'fp1', pg_temp.fingerprint('20000000-0000-4000-8000-000000000004');
SELECT set_config('kruxt.now', (current_setting('test.anchor')::timestamptz + interval '2 hours')::text, true);
INSERT INTO ctx (k, j) SELECT 'run2', public.apply_user_anonymization('20000000-0000-4000-8000-000000000004', (SELECT v FROM ctx WHERE k = 'delete_request'));
SELECT pg_temp.eq((SELECT string_agg(key, ',') FROM ctx, jsonb_each(j) WHERE k = 'run2' AND key LIKE '%\_deleted' AND value <> '0'::jsonb), NULL::text,
                  'second run: every *_deleted count is 0');
SELECT pg_temp.eq((SELECT string_agg(key, ',') FROM ctx, jsonb_each(j) WHERE k = 'run2' AND jsonb_typeof(value) = 'number' AND value <> '0'::jsonb), NULL::text,
                  'and nothing else changed either (every count 0)');
SELECT pg_temp.eq(pg_temp.fingerprint('20000000-0000-4000-8000-000000000004'), (SELECT t FROM ctx WHERE k = 'fp1'),
                  'identical resulting state (profile, identity, preferences, evidence, requests, jobs, consents, memberships, billing, logs; updated_at included)');
SELECT pg_temp.eq((SELECT j ->> 'anonymized_username' FROM ctx WHERE k = 'run2'), 'deleted_2000000000004000', 'same username');
SELECT pg_temp.eq((SELECT count(*) FROM public.event_outbox WHERE event_type = 'privacy.user_anonymized'), 2::bigint, 'each run is recorded');

-- ================================================================ errors
SELECT pg_temp.fails($q$SELECT public.apply_user_anonymization(NULL)$q$, 'KX422', 'User id is required', 'no user id');
SELECT pg_temp.fails($q$SELECT public.apply_user_anonymization('2f000000-0000-4000-8000-00000000dead')$q$,
                     'KX404', 'Profile not found for user 2f000000-0000-4000-8000-00000000dead', 'unknown user');
SELECT pg_temp.fails($q$SELECT public.apply_user_anonymization('20000000-0000-4000-8000-000000000015')$q$,
                     'KX409', 'Cannot anonymize user with an active legal hold', 'held user (hanna)');
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '{"sub":"20000000-0000-4000-8000-000000000005","role":"authenticated"}', true);
SELECT pg_temp.fails($q$SELECT public.apply_user_anonymization('20000000-0000-4000-8000-000000000005')$q$,
                     'KX403', 'Service role required', 'a user cannot anonymize (not even himself directly)');
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '{"role":"service_role"}', true);

-- ================================================================ everybody else (staff, owners, operators), no hold
SELECT pg_temp.eq((SELECT count(*) FROM public.profiles p WHERE p.id <> '20000000-0000-4000-8000-000000000015'
                   AND (public.apply_user_anonymization(p.id) ->> 'profiles_updated') IS NOT NULL),
                  (SELECT count(*) - 1 FROM public.profiles), 'every other seeded user (owners, staff, members, operators) is anonymized without error');
SELECT pg_temp.eq((SELECT count(*) FROM public.profiles WHERE username LIKE 'deleted\_%' AND char_length(username) <= 24), (SELECT count(*) - 1 FROM public.profiles),
                  'unique anonymized usernames within the 24-character limit (seed ids share their first hex digits: fallback used)');
SELECT pg_temp.eq((SELECT username FROM public.profiles WHERE id = '20000000-0000-4000-8000-000000000005'), 'deleted_8000000000000005',
                  'davide''s first candidate was taken by sara: the id''s last 16 hex digits');
SELECT pg_temp.eq((SELECT count(*) FROM public.workouts) + (SELECT count(*) FROM public.feed_events) + (SELECT count(*) FROM public.social_interactions)
                  + (SELECT count(*) FROM public.class_bookings WHERE user_id <> '20000000-0000-4000-8000-000000000015')
                  + (SELECT count(*) FROM public.gym_checkins), 0::bigint,
                  'no workout, card, interaction, booking or check-in left but held hanna''s booking');
SELECT pg_temp.eq((SELECT count(*) FROM public.gyms), 2::bigint, 'the gyms stay (their owners are anonymized, not deleted)');
SELECT pg_temp.eq(pg_temp.fk_orphans(), NULL::text, 'still no orphan row anywhere');

ROLLBACK;
