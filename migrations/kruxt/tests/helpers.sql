-- Assertion helpers shared by every test file: run.sh runs this file first in the same psql
-- session, so the functions live in pg_temp for that session only. Each raises 'FAILED: ...' on a
-- failed expectation.
-- ok(cond, what): cond must be true.
CREATE FUNCTION pg_temp.ok(p_cond boolean, p_what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_cond IS NOT TRUE THEN
        RAISE EXCEPTION 'FAILED: %', p_what;
    END IF;
END $$;
-- eq(actual, expected, what): IS NOT DISTINCT FROM.
CREATE FUNCTION pg_temp.eq(p_actual anycompatible, p_expected anycompatible, p_what text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_actual IS DISTINCT FROM p_expected THEN
        RAISE EXCEPTION 'FAILED: % (expected %, got %)', p_what, p_expected, p_actual;
    END IF;
END $$;
-- row_count(sql): rows returned by a query, run as the current role with the current claims.
CREATE FUNCTION pg_temp.row_count(p_sql text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM (%s) AS q', p_sql) INTO n;
    RETURN n;
END $$;
-- affected(sql): rows changed by an INSERT/UPDATE/DELETE, run as the current role.
CREATE FUNCTION pg_temp.affected(p_sql text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    EXECUTE p_sql;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;
-- fails(sql, sqlstate, message, what): the statement must raise; sqlstate and message (a LIKE pattern)
-- are checked when not null. The statement's effects are rolled back (subtransaction).
CREATE FUNCTION pg_temp.fails(p_sql text, p_sqlstate text, p_message text, p_what text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE v_state text; v_msg text;
BEGIN
    BEGIN
        EXECUTE p_sql;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
    END;
    IF v_state IS NULL THEN
        RAISE EXCEPTION 'FAILED: % (expected an error [%] "%", but the statement succeeded)', p_what, p_sqlstate, p_message;
    END IF;
    IF p_sqlstate IS NOT NULL AND v_state <> p_sqlstate THEN
        RAISE EXCEPTION 'FAILED: % (expected SQLSTATE %, got % "%")', p_what, p_sqlstate, v_state, v_msg;
    END IF;
    IF p_message IS NOT NULL AND v_msg NOT LIKE p_message THEN
        RAISE EXCEPTION 'FAILED: % (expected message "%", got "%")', p_what, p_message, v_msg;
    END IF;
END $$;
