-- KRUXT 0001: cluster roles, schema ownership, identity emulation (the `auth` schema), clock and
-- default privileges. Spec: 00-overview.md §3 (identity emulation), §6.6 (clock).
--
-- Runs as a superuser on a fresh database. Roles are cluster-global: they are created only when
-- missing, and every statement that touches them tolerates a concurrent template build in another
-- database of the same cluster doing the same thing at the same moment. Nothing here drops or
-- weakens an existing role.

-- ---------------------------------------------------------------------------------------------
-- Roles
-- ---------------------------------------------------------------------------------------------
DO $roles$
DECLARE
    spec record;
    attempt int;
BEGIN
    FOR spec IN
        SELECT * FROM (VALUES
            -- request roles (00 §3.1): all NOLOGIN
            ('anon',          'NOLOGIN NOINHERIT NOBYPASSRLS'),
            ('authenticated', 'NOLOGIN NOINHERIT NOBYPASSRLS'),
            ('service_role',  'NOLOGIN NOINHERIT BYPASSRLS'),
            -- owns every KRUXT object; SECURITY DEFINER functions run as it
            ('kruxt_owner',   'NOLOGIN NOINHERIT NOBYPASSRLS'),
            -- the gateway: a member (NOINHERIT) of the three request roles and nothing else
            ('kruxt_gateway', 'NOLOGIN NOINHERIT NOBYPASSRLS NOCREATEDB NOCREATEROLE')
        ) AS t(name, attrs)
    LOOP
        attempt := 0;
        LOOP
            attempt := attempt + 1;
            EXIT WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = spec.name);
            BEGIN
                EXECUTE format('CREATE ROLE %I %s', spec.name, spec.attrs);
                EXIT;
            EXCEPTION
                -- another build created it between our check and our CREATE
                WHEN duplicate_object OR unique_violation THEN EXIT;
                WHEN OTHERS THEN
                    IF attempt >= 5 THEN RAISE; END IF;
                    PERFORM pg_sleep(0.05 * attempt);
            END;
        END LOOP;
    END LOOP;

    -- service_role must bypass RLS (00 §3.1). Only ever *add* the attribute.
    attempt := 0;
    WHILE NOT (SELECT rolbypassrls FROM pg_roles WHERE rolname = 'service_role') LOOP
        attempt := attempt + 1;
        BEGIN
            ALTER ROLE service_role BYPASSRLS;
        EXCEPTION WHEN OTHERS THEN
            IF attempt >= 5 THEN RAISE; END IF;
            PERFORM pg_sleep(0.05 * attempt);
        END;
    END LOOP;

    -- kruxt_gateway may switch to the three request roles (SET ROLE), never inherits their rights.
    FOR spec IN SELECT * FROM (VALUES ('anon', ''), ('authenticated', ''), ('service_role', '')) AS t(name, attrs)
    LOOP
        attempt := 0;
        LOOP
            attempt := attempt + 1;
            EXIT WHEN pg_has_role('kruxt_gateway', spec.name, 'MEMBER');
            BEGIN
                EXECUTE format('GRANT %I TO kruxt_gateway', spec.name);
                EXIT;
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN EXIT;
                WHEN OTHERS THEN
                    IF attempt >= 5 THEN RAISE; END IF;
                    PERFORM pg_sleep(0.05 * attempt);
            END;
        END LOOP;
    END LOOP;
END
$roles$;

-- ---------------------------------------------------------------------------------------------
-- Schemas (per database, so plain statements)
-- ---------------------------------------------------------------------------------------------
ALTER SCHEMA public OWNER TO kruxt_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
CREATE SCHEMA auth AUTHORIZATION kruxt_owner;
-- Build/seed bookkeeping (the seed anchor); not reachable by request roles except service_role.
CREATE SCHEMA kruxt_internal AUTHORIZATION kruxt_owner;

GRANT USAGE ON SCHEMA public, auth TO anon, authenticated, service_role;
GRANT USAGE ON SCHEMA kruxt_internal TO service_role;

-- Everything kruxt_owner creates in public from now on: authenticated and service_role get DML on
-- tables (RLS decides), sequences are usable; anon gets nothing unless a later migration grants it
-- explicitly (00 §3.1). Functions keep PostgreSQL's default EXECUTE for PUBLIC.
ALTER DEFAULT PRIVILEGES FOR ROLE kruxt_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO authenticated, service_role;
ALTER DEFAULT PRIVILEGES FOR ROLE kruxt_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO authenticated, service_role;

-- From here on objects are created by, and owned by, kruxt_owner.
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- The clock (00 §6.6), first: every timestamp default and every function that reads the time uses it.
-- kruxt.now (the sandbox's simulated clock) wins when set. The only direct now() in the database.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.app_now() RETURNS timestamptz
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(nullif(current_setting('kruxt.now', true), '')::timestamptz, now())
$$;

-- ---------------------------------------------------------------------------------------------
-- auth schema (00 §3.2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE auth.users (
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    email              text        UNIQUE,
    encrypted_password text,
    raw_user_meta_data jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at         timestamptz NOT NULL DEFAULT public.app_now(),
    last_sign_in_at    timestamptz
);
COMMENT ON TABLE auth.users IS 'KRUXT identity store (00 §3.2). Request roles cannot read it; service_role can.';
GRANT SELECT, INSERT, UPDATE, DELETE ON auth.users TO service_role;

-- The verified claims of the acting user, carried per transaction in request.jwt.claims.
CREATE FUNCTION auth.jwt() RETURNS jsonb
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb
$$;

CREATE FUNCTION auth.uid() RETURNS uuid
LANGUAGE sql STABLE
AS $$
    SELECT nullif(auth.jwt() ->> 'sub', '')::uuid
$$;

CREATE FUNCTION auth.role() RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT auth.jwt() ->> 'role'
$$;

CREATE FUNCTION public.is_service_role() RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT coalesce(auth.jwt() ->> 'role', '') = 'service_role'
$$;

-- ---------------------------------------------------------------------------------------------
-- Seed anchor (99 §1: "T"). The seed writes one row; scenarios and the sandbox clock can read it.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE kruxt_internal.seed_anchor (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    anchor     timestamptz NOT NULL,
    seeded_at  timestamptz NOT NULL DEFAULT public.app_now()
);
GRANT SELECT ON kruxt_internal.seed_anchor TO service_role;

-- T ± days, optionally at a wall-clock time in a time zone: seed_at(1, '08:00') = tomorrow 08:00 Rome.
CREATE FUNCTION kruxt_internal.seed_at(p_days numeric, p_time time DEFAULT NULL, p_tz text DEFAULT 'Europe/Rome')
RETURNS timestamptz
LANGUAGE sql STABLE
AS $$
    SELECT CASE
        WHEN p_time IS NULL THEN a.anchor + p_days * interval '1 day'
        ELSE (((a.anchor AT TIME ZONE p_tz)::date + p_days::int) + p_time) AT TIME ZONE p_tz
    END
    FROM kruxt_internal.seed_anchor a
$$;
GRANT EXECUTE ON FUNCTION kruxt_internal.seed_at(numeric, time, text) TO service_role;

RESET ROLE;
