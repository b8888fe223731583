-- KRUXT 0002: conventions every area relies on (00 §6): set_updated_at, the immutability triggers,
-- the audit log with its append function, and the event outbox with its security-audit trigger.
-- The audit hash chain (06 §1.2) is built here by sealing (see the audit_logs section); the drift
-- checks (audit_log_integrity_drift / _summary, 06 §1.3) and operator read access come with the
-- compliance area (0061).
SET ROLE kruxt_owner;

-- ---------------------------------------------------------------------------------------------
-- Generic trigger functions
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.set_updated_at() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.updated_at := public.app_now();
    RETURN NEW;
END
$$;

-- 00 §6.3: attach BEFORE UPDATE OR DELETE FOR EACH ROW *and* BEFORE UPDATE OR DELETE OR TRUNCATE FOR
-- EACH STATEMENT, so that every attempt raises even when RLS hides every row.
CREATE FUNCTION public.reject_mutation_immutable_table() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'Table % is immutable; append-only writes only', TG_TABLE_NAME
        USING ERRCODE = 'KX423';
END
$$;

-- 04 §2: integration_webhook_events rejects DELETE only.
CREATE FUNCTION public.prevent_mutation() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'This table is append-only' USING ERRCODE = 'KX423';
END
$$;

-- ---------------------------------------------------------------------------------------------
-- audit_logs (06 §1.1). actor_user_id references profiles; the FK is added with profiles (0003).
--
-- The hash chain (06 §1.2) is built by *sealing*, not at insert time. Departure from reference (the
-- reference took advisory lock (884211, 16) in the BEFORE INSERT trigger and held it until the writer
-- committed, which serialised every audit-writing transaction of the database, could deadlock (40P01)
-- against row locks, and under REPEATABLE READ failed the next append with 23505 on integrity_seq):
--   * An append (append_audit_log, the outbox security trigger, a service insert) only takes
--     append_seq = nextval(audit_logs_append_seq) and leaves integrity_seq / prev_entry_hash /
--     entry_hash null ("unsealed"). It reads nothing and waits for nothing.
--   * Sealing gives unsealed rows integrity_seq = head + 1, head + 2, ... and the 06 §1.2 hashes, in
--     append_seq order, under the row lock of the chain head kruxt_internal.audit_chain_head. Only a
--     sealer ever locks the head or updates audit rows, and only to fill the three integrity fields of
--     an unsealed row (the immutability triggers allow exactly that, nothing else).
--   * Who seals: the writer itself at COMMIT (constraint trigger audit_log_seal_on_commit, DEFERRABLE
--     INITIALLY DEFERRED) when the head is free (FOR UPDATE SKIP LOCKED: never waits; the head lock is
--     held only from the pre-commit seal to the end of the commit), and the explicit
--     seal_audit_log_chain() (the audit_event_ingest job, any scheduler, tests). A writer that finds
--     the head busy, or runs under REPEATABLE READ / SERIALIZABLE (its snapshot may predate a
--     concurrent seal), commits its rows unsealed; the next sealer seals them.
--   * Ordering: a sealer sees every transaction committed before its snapshot plus its own rows and
--     seals the lowest append_seq first. If transaction A committed before transaction B started,
--     A's nextval preceded B's, so A's rows get smaller append_seq, and any snapshot that shows B shows
--     A: A's rows are sealed before B's (real-time order of non-overlapping transactions is kept, and
--     statement order inside a transaction). Overlapping transactions may be sealed in either order.
--     integrity_seq is dense (1, 2, 3, ... with no gaps: rolled-back appends never get one), unique,
--     and increases with commit-consistent order; append_seq may have gaps (rollbacks) and is the
--     insert order. Rows of one transaction are unsealed until it commits: order them by append_seq.
--   * Nothing scans the log: the head is one row, unsealed rows come from the partial index
--     audit_logs_unsealed_idx (only unsealed rows are in it), a seal updates rows by primary key.
--   * The head (last sealed seq and hash) also lets audit_log_integrity_drift notice a truncated tail.
-- ---------------------------------------------------------------------------------------------
CREATE SEQUENCE public.audit_logs_append_seq AS bigint;

CREATE TABLE public.audit_logs (
    id                uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    actor_user_id     uuid,
    actor_role        text,
    action            text        NOT NULL,
    target_table      text,
    target_id         uuid,
    reason            text,
    ip_address        text,
    user_agent        text,
    metadata          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    created_at        timestamptz NOT NULL DEFAULT public.app_now(),
    -- insert order: always nextval(audit_logs_append_seq), assigned by assign_audit_log_integrity
    append_seq        bigint      NOT NULL UNIQUE,
    -- null until sealed (see above); then dense and unique
    integrity_seq     bigint      UNIQUE,
    prev_entry_hash   text,
    entry_hash        text,
    integrity_version smallint    NOT NULL DEFAULT 1,
    CONSTRAINT audit_logs_sealed_fields CHECK ((integrity_seq IS NULL) = (entry_hash IS NULL)
                                               AND (integrity_seq IS NOT NULL OR prev_entry_hash IS NULL))
);
ALTER SEQUENCE public.audit_logs_append_seq OWNED BY public.audit_logs.append_seq;
CREATE INDEX audit_logs_actor_created_idx ON public.audit_logs (actor_user_id, created_at DESC);
CREATE INDEX audit_logs_action_created_idx ON public.audit_logs (action, created_at DESC);
CREATE INDEX audit_logs_event_outbox_id_idx ON public.audit_logs ((metadata ->> 'event_outbox_id'))
    WHERE action = 'security.event_outbox';
CREATE INDEX audit_logs_unsealed_idx ON public.audit_logs (append_seq) WHERE integrity_seq IS NULL;

-- The chain head: the last sealed integrity_seq and its entry_hash. Its row lock is the sealers' lock.
CREATE TABLE kruxt_internal.audit_chain_head (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    last_seq   bigint      NOT NULL DEFAULT 0 CHECK (last_seq >= 0),
    last_hash  text,
    updated_at timestamptz NOT NULL DEFAULT public.app_now()
);
INSERT INTO kruxt_internal.audit_chain_head (singleton, last_seq, last_hash) VALUES (true, 0, NULL);
GRANT SELECT ON kruxt_internal.audit_chain_head TO service_role;

-- 06 §1.2: lowercase hex SHA-256 of the fields joined with '|'; null text -> '', metadata as its
-- jsonb::text ('{}' when null), created_at in UTC as YYYY-MM-DDTHH:MM:SS.ffffffZ.
CREATE FUNCTION public.audit_log_compute_hash(
    p_integrity_seq bigint, p_prev_entry_hash text, p_actor_user_id uuid, p_actor_role text,
    p_action text, p_target_table text, p_target_id uuid, p_reason text, p_ip_address text,
    p_user_agent text, p_metadata jsonb, p_created_at timestamptz
) RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
    SELECT encode(sha256(convert_to(
        coalesce(p_integrity_seq::text, '') || '|' ||
        coalesce(p_prev_entry_hash, '') || '|' ||
        coalesce(p_actor_user_id::text, '') || '|' ||
        coalesce(p_actor_role, '') || '|' ||
        coalesce(p_action, '') || '|' ||
        coalesce(p_target_table, '') || '|' ||
        coalesce(p_target_id::text, '') || '|' ||
        coalesce(p_reason, '') || '|' ||
        coalesce(p_ip_address, '') || '|' ||
        coalesce(p_user_agent, '') || '|' ||
        coalesce(p_metadata, '{}'::jsonb)::text || '|' ||
        coalesce(to_char(p_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), ''),
        'UTF8')), 'hex')
$$;

-- BEFORE INSERT (06 §1.2 step 1; steps 2-4 moved to sealing): defaults, the insert order, and
-- caller-supplied integrity values are always discarded (a new row is always unsealed).
CREATE FUNCTION public.assign_audit_log_integrity() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    NEW.created_at := coalesce(NEW.created_at, public.app_now());
    NEW.metadata := coalesce(NEW.metadata, '{}'::jsonb);
    NEW.append_seq := nextval('public.audit_logs_append_seq');
    NEW.integrity_seq := NULL;
    NEW.prev_entry_hash := NULL;
    NEW.entry_hash := NULL;
    NEW.integrity_version := 1;
    RETURN NEW;
END
$$;

-- The only permitted change of an audit row: a sealer (SECURITY DEFINER code running as kruxt_owner
-- with kruxt.audit_sealing = 'on', set transaction-locally by seal_audit_log_batch only) filling the
-- integrity fields of an unsealed row, every other column unchanged.
CREATE FUNCTION public.audit_log_sealing_active() RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT current_user::text = 'kruxt_owner' AND coalesce(current_setting('kruxt.audit_sealing', true), '') = 'on'
$$;

CREATE FUNCTION public.audit_log_seal_update_allowed(p_old jsonb, p_new jsonb) RETURNS boolean
LANGUAGE sql STABLE
AS $$
    SELECT public.audit_log_sealing_active()
       AND (p_old ->> 'integrity_seq') IS NULL
       AND (p_new ->> 'integrity_seq') IS NOT NULL
       AND (p_new ->> 'entry_hash') IS NOT NULL
       AND (p_old - 'integrity_seq' - 'prev_entry_hash' - 'entry_hash')
         = (p_new - 'integrity_seq' - 'prev_entry_hash' - 'entry_hash')
$$;

CREATE TRIGGER assign_audit_log_integrity
    BEFORE INSERT ON public.audit_logs
    FOR EACH ROW EXECUTE FUNCTION public.assign_audit_log_integrity();
-- Items 23, 40 (00 §6.3): UPDATE, DELETE and TRUNCATE raise for every role, at row and statement level,
-- except the seal (row: only the integrity fields of an unsealed row; statement: only inside a sealer).
CREATE TRIGGER reject_mutation_immutable_table_update
    BEFORE UPDATE ON public.audit_logs
    FOR EACH ROW WHEN (NOT public.audit_log_seal_update_allowed(to_jsonb(OLD), to_jsonb(NEW)))
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_delete
    BEFORE DELETE ON public.audit_logs
    FOR EACH ROW EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_update_statement
    BEFORE UPDATE ON public.audit_logs
    FOR EACH STATEMENT WHEN (NOT public.audit_log_sealing_active())
    EXECUTE FUNCTION public.reject_mutation_immutable_table();
CREATE TRIGGER reject_mutation_immutable_table_statement
    BEFORE DELETE OR TRUNCATE ON public.audit_logs
    FOR EACH STATEMENT EXECUTE FUNCTION public.reject_mutation_immutable_table();

-- One seal: lock the head (p_wait: wait for it; else FOR UPDATE SKIP LOCKED and give up when busy),
-- then seal at most p_limit unsealed rows visible to this transaction, lowest append_seq first. The rows
-- are locked NOWAIT unless p_wait (a service session holding FOR UPDATE on an audit row must not make a
-- committing writer wait); a locked row ends the attempt with nothing sealed. Returns
-- {sealed_rows, last_seq, skipped} with skipped null, 'busy', 'isolation' or 'row_locked'. Raises on
-- anything else (the commit-time caller catches). Runs as kruxt_owner; not executable by request roles.
CREATE FUNCTION kruxt_internal.seal_audit_log_batch(p_limit integer, p_wait boolean)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_limit integer := least(100000, greatest(1, coalesce(p_limit, 1000)));
    v_seq bigint;
    v_prev text;
    v_hash text;
    v_ids uuid[] := '{}';
    v_seqs bigint[] := '{}';
    v_prevs text[] := '{}';
    v_hashes text[] := '{}';
    r record;
BEGIN
    -- Under REPEATABLE READ / SERIALIZABLE the snapshot may predate a concurrent seal: locking the head
    -- would raise 40001 and the unsealed set would be stale. Leave the rows to a READ COMMITTED sealer.
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RETURN jsonb_build_object('sealed_rows', 0, 'last_seq', NULL, 'skipped', 'isolation');
    END IF;
    IF coalesce(p_wait, false) THEN
        SELECT h.last_seq, h.last_hash INTO v_seq, v_prev
        FROM kruxt_internal.audit_chain_head h WHERE h.singleton FOR UPDATE;
    ELSE
        SELECT h.last_seq, h.last_hash INTO v_seq, v_prev
        FROM kruxt_internal.audit_chain_head h WHERE h.singleton FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            RETURN jsonb_build_object('sealed_rows', 0, 'last_seq', NULL, 'skipped', 'busy');
        END IF;
    END IF;
    BEGIN
        -- READ COMMITTED: this statement's snapshot is taken after the head lock, so it shows every seal
        -- committed before ours and every committed unsealed row (plus our own). The hashes are chained in
        -- the loop; the rows are then written by one UPDATE (a statement per row cost ~3x as much).
        IF coalesce(p_wait, false) THEN
            FOR r IN
                SELECT a.* FROM public.audit_logs a WHERE a.integrity_seq IS NULL
                ORDER BY a.append_seq LIMIT v_limit FOR UPDATE
            LOOP
                v_seq := v_seq + 1;
                v_hash := public.audit_log_compute_hash(v_seq, v_prev, r.actor_user_id, r.actor_role, r.action,
                    r.target_table, r.target_id, r.reason, r.ip_address, r.user_agent, r.metadata, r.created_at);
                v_ids := v_ids || r.id; v_seqs := v_seqs || v_seq; v_prevs := v_prevs || v_prev; v_hashes := v_hashes || v_hash;
                v_prev := v_hash;
            END LOOP;
        ELSE
            FOR r IN
                SELECT a.* FROM public.audit_logs a WHERE a.integrity_seq IS NULL
                ORDER BY a.append_seq LIMIT v_limit FOR UPDATE NOWAIT
            LOOP
                v_seq := v_seq + 1;
                v_hash := public.audit_log_compute_hash(v_seq, v_prev, r.actor_user_id, r.actor_role, r.action,
                    r.target_table, r.target_id, r.reason, r.ip_address, r.user_agent, r.metadata, r.created_at);
                v_ids := v_ids || r.id; v_seqs := v_seqs || v_seq; v_prevs := v_prevs || v_prev; v_hashes := v_hashes || v_hash;
                v_prev := v_hash;
            END LOOP;
        END IF;
        IF cardinality(v_ids) > 0 THEN
            PERFORM set_config('kruxt.audit_sealing', 'on', true);
            UPDATE public.audit_logs a
            SET integrity_seq = u.seq, prev_entry_hash = u.prev, entry_hash = u.hash
            FROM unnest(v_ids, v_seqs, v_prevs, v_hashes) AS u(id, seq, prev, hash)
            WHERE a.id = u.id;
            PERFORM set_config('kruxt.audit_sealing', '', true);
            UPDATE kruxt_internal.audit_chain_head
            SET last_seq = v_seq, last_hash = v_prev, updated_at = public.app_now()
            WHERE singleton;
        END IF;
    EXCEPTION WHEN lock_not_available THEN
        -- raised by the NOWAIT row locks, before anything was written; the head lock stays
        RETURN jsonb_build_object('sealed_rows', 0, 'last_seq', NULL, 'skipped', 'row_locked');
    END;
    RETURN jsonb_build_object('sealed_rows', cardinality(v_ids), 'last_seq', v_seq, 'skipped', NULL);
END
$$;
REVOKE EXECUTE ON FUNCTION kruxt_internal.seal_audit_log_batch(integer, boolean) FROM PUBLIC;

-- Commit-time seal (DEFERRABLE INITIALLY DEFERRED constraint trigger, one event per inserted row; the
-- first event of a commit seals up to 500 rows, the later ones find their row sealed). Never waits,
-- never fails the writer's commit: busy head, REPEATABLE READ and any error leave the rows unsealed.
CREATE FUNCTION public.audit_log_seal_on_commit() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_state text;
    v_msg text;
BEGIN
    IF current_setting('transaction_isolation') <> 'read committed' THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM public.audit_logs a WHERE a.id = NEW.id AND a.integrity_seq IS NULL) THEN
        RETURN NULL;
    END IF;
    BEGIN
        PERFORM kruxt_internal.seal_audit_log_batch(500, false);
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        RAISE WARNING 'audit chain: rows left unsealed (% %)', v_state, v_msg;
    END;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER audit_log_seal_on_commit
    AFTER INSERT ON public.audit_logs
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION public.audit_log_seal_on_commit();

-- Explicit seal (EXECUTE for service_role only: the audit_event_ingest job, a scheduler, tests). p_limit 1000
-- [1..100000]; p_wait false: give up when another sealer holds the head ('busy'). Returns
-- {sealed_rows, unsealed_rows (still unsealed and visible), last_seq (the head after this call), skipped}.
CREATE FUNCTION public.seal_audit_log_chain(p_limit integer DEFAULT 1000, p_wait boolean DEFAULT false)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_result jsonb;
BEGIN
    v_result := kruxt_internal.seal_audit_log_batch(p_limit, p_wait);
    RETURN v_result
        || jsonb_build_object(
               'unsealed_rows', (SELECT count(*) FROM public.audit_logs a WHERE a.integrity_seq IS NULL),
               'last_seq', (SELECT h.last_seq FROM kruxt_internal.audit_chain_head h WHERE h.singleton));
END
$$;
REVOKE EXECUTE ON FUNCTION public.seal_audit_log_chain(integer, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.seal_audit_log_chain(integer, boolean) TO service_role;

ALTER TABLE public.audit_logs ENABLE ROW LEVEL SECURITY;
-- 06 §1.1: insert service only; select service (platform operators with platform.compliance.read
-- are added by 0061); no update/delete policies (the triggers raise anyway).
CREATE POLICY audit_logs_select_service ON public.audit_logs
    FOR SELECT TO authenticated USING (public.is_service_role());
CREATE POLICY audit_logs_insert_service ON public.audit_logs
    FOR INSERT TO authenticated WITH CHECK (public.is_service_role());

-- 00 §6.4. actor_user_id = auth.uid() when that user has a profile (the FK targets profiles),
-- otherwise null; actor_role = the role claim or 'authenticated'.
CREATE FUNCTION public.append_audit_log(
    _action text,
    _target_table text,
    _target_id uuid,
    _reason text DEFAULT NULL,
    _metadata jsonb DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_uid uuid := auth.uid();
    v_id uuid;
BEGIN
    IF v_uid IS NOT NULL AND NOT EXISTS (SELECT 1 FROM public.profiles p WHERE p.id = v_uid) THEN
        v_uid := NULL;
    END IF;
    INSERT INTO public.audit_logs (actor_user_id, actor_role, action, target_table, target_id, reason, metadata)
    VALUES (v_uid, coalesce(nullif(auth.jwt() ->> 'role', ''), 'authenticated'), _action, _target_table,
            _target_id, _reason, coalesce(_metadata, '{}'::jsonb))
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- event_outbox (06 §2)
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.event_outbox (
    id             uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    event_type     text        NOT NULL,
    aggregate_type text        NOT NULL,
    aggregate_id   uuid,
    payload        jsonb       NOT NULL,
    published      boolean     NOT NULL DEFAULT false,
    created_at     timestamptz NOT NULL DEFAULT public.app_now(),
    published_at   timestamptz
);
CREATE INDEX event_outbox_published_created_idx ON public.event_outbox (published, created_at);

ALTER TABLE public.event_outbox ENABLE ROW LEVEL SECURITY;
-- Item 3: one service-only policy for every command.
CREATE POLICY event_outbox_service_all ON public.event_outbox
    FOR ALL TO authenticated
    USING (public.is_service_role())
    WITH CHECK (public.is_service_role());

CREATE FUNCTION public.is_security_relevant_event_type(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
    SELECT coalesce(t LIKE 'privacy.%' OR t LIKE 'consent.%' OR t LIKE 'policy.%'
                    OR t IN ('integration.sync_failed', 'membership.status_changed'), false)
$$;

CREATE FUNCTION public.audit_security_event_outbox_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF NOT public.is_security_relevant_event_type(NEW.event_type) THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM public.audit_logs a
               WHERE a.action = 'security.event_outbox'
                 AND a.metadata ->> 'event_outbox_id' = NEW.id::text) THEN
        RETURN NULL;
    END IF;
    PERFORM public.append_audit_log(
        'security.event_outbox', 'event_outbox', NEW.id, NULL,
        jsonb_build_object(
            'event_outbox_id', NEW.id,
            'event_type', NEW.event_type,
            'aggregate_type', NEW.aggregate_type,
            'aggregate_id', NEW.aggregate_id,
            'payload_checksum', encode(sha256(convert_to(NEW.payload::text, 'UTF8')), 'hex'),
            'published', NEW.published,
            'created_at', NEW.created_at));
    RETURN NULL;
END
$$;

CREATE TRIGGER audit_security_event_outbox_insert
    AFTER INSERT ON public.event_outbox
    FOR EACH ROW EXECUTE FUNCTION public.audit_security_event_outbox_insert();

RESET ROLE;
