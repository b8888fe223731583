-- KRUXT 0061: audit log read scope, integrity checks and the service pipeline (06 §1; items 23, 40, 41, 43).
--   * audit_logs SELECT for platform operators with platform.compliance.read (06 §1.1; departure from
--     reference: no gym staff read, no cross-tenant read).
--   * audit_log_integrity_drift / audit_log_integrity_summary (06 §1.3) over the sealed chain (0002 seals
--     rows; unsealed rows are not part of the chain yet and are counted separately), plus one check the
--     reference lacked: the sealed tail must match the chain head (kruxt_internal.audit_chain_head), so a
--     deleted or rewritten last row is reported as 'chain_head_mismatch'.
--   * audit_event_ingest: the SQL of the edge job of 06 §1.5 (the "service pipeline" of item 43); the Rust
--     handler passes the request body and returns the {status, body} this function answers.
SET ROLE kruxt_owner;

CREATE POLICY audit_logs_select_compliance_operator ON public.audit_logs
    FOR SELECT TO authenticated
    USING (public.is_service_role() OR public.platform_operator_has_permission('platform.compliance.read'));

-- Service or platform.compliance.read, else KX403 'Access denied' (06 §1.3 gap closure).
CREATE FUNCTION kruxt_internal.require_compliance_reader() RETURNS void
LANGUAGE plpgsql STABLE
AS $$
BEGIN
    IF NOT (public.is_service_role() OR public.platform_operator_has_permission('platform.compliance.read')) THEN
        RAISE EXCEPTION 'Access denied' USING ERRCODE = 'KX403';
    END IF;
END
$$;

-- The issues of the sealed chain, in one statement (one snapshot: rows and head agree). Each sealed row is
-- compared with its predecessor in integrity_seq order (the first with a virtual predecessor seq 0, hash
-- null); at most one issue per row, first match of: sequence_gap (expected previous + 1, actual seq),
-- previous_hash_mismatch (expected the previous row's entry_hash, actual the stored prev_entry_hash; nulls
-- '<null>'), entry_hash_mismatch (expected the recomputed hash, actual the stored one). Then, unless the last
-- row already has an issue, chain_head_mismatch when the last sealed row is not (head.last_seq,
-- head.last_hash) (expected/actual '<seq>:<hash>', integrity_seq = head.last_seq, audit_log_id = that row
-- when it exists). Ordered by integrity_seq, at most p_limit.
CREATE FUNCTION kruxt_internal.audit_log_drift_issues(p_limit integer)
RETURNS TABLE (integrity_seq bigint, audit_log_id uuid, issue text, expected text, actual text)
LANGUAGE sql STABLE
AS $$
    WITH chain AS (
        SELECT a.id, a.integrity_seq AS seq, a.prev_entry_hash, a.entry_hash,
               lag(a.integrity_seq) OVER w AS prev_seq,
               lag(a.entry_hash) OVER w AS prev_hash,
               lead(a.integrity_seq) OVER w IS NULL AS is_last,
               public.audit_log_compute_hash(a.integrity_seq, a.prev_entry_hash, a.actor_user_id, a.actor_role, a.action,
                   a.target_table, a.target_id, a.reason, a.ip_address, a.user_agent, a.metadata, a.created_at) AS recomputed
        FROM public.audit_logs a
        WHERE a.integrity_seq IS NOT NULL
        WINDOW w AS (ORDER BY a.integrity_seq)
    ), judged AS (
        SELECT c.*,
               CASE WHEN c.seq <> coalesce(c.prev_seq, 0) + 1 THEN 'sequence_gap'
                    WHEN c.prev_entry_hash IS DISTINCT FROM c.prev_hash THEN 'previous_hash_mismatch'
                    WHEN c.entry_hash IS DISTINCT FROM c.recomputed THEN 'entry_hash_mismatch'
               END AS issue
        FROM chain c
    ), row_issues AS (
        SELECT j.seq, j.id, j.issue,
               CASE j.issue WHEN 'sequence_gap' THEN (coalesce(j.prev_seq, 0) + 1)::text
                            WHEN 'previous_hash_mismatch' THEN coalesce(j.prev_hash, '<null>')
                            ELSE j.recomputed END AS expected,
               CASE j.issue WHEN 'sequence_gap' THEN j.seq::text
                            WHEN 'previous_hash_mismatch' THEN coalesce(j.prev_entry_hash, '<null>')
                            ELSE coalesce(j.entry_hash, '<null>') END AS actual,
               1 AS rank
        FROM judged j
        WHERE j.issue IS NOT NULL
    ), head_issue AS (
        SELECT h.last_seq AS seq,
               CASE WHEN t.seq = h.last_seq THEN t.id END AS id,
               'chain_head_mismatch'::text AS issue,
               h.last_seq::text || ':' || coalesce(h.last_hash, '<null>') AS expected,
               coalesce(t.seq, 0)::text || ':' || coalesce(t.entry_hash, '<null>') AS actual,
               2 AS rank
        FROM kruxt_internal.audit_chain_head h
        LEFT JOIN judged t ON t.is_last
        WHERE h.singleton
          AND (coalesce(t.seq, 0) <> h.last_seq OR t.entry_hash IS DISTINCT FROM h.last_hash)
          AND t.issue IS NULL
    )
    SELECT q.seq, q.id, q.issue, q.expected, q.actual
    FROM (SELECT * FROM row_issues UNION ALL SELECT * FROM head_issue) q
    ORDER BY q.seq, q.rank
    LIMIT least(5000, greatest(1, coalesce(p_limit, 200)))
$$;

-- 06 §1.3 (item 41). p_limit 200 [1..5000].
CREATE FUNCTION public.audit_log_integrity_drift(p_limit integer DEFAULT 200)
RETURNS TABLE (integrity_seq bigint, audit_log_id uuid, issue text, expected text, actual text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    PERFORM kruxt_internal.require_compliance_reader();
    RETURN QUERY SELECT d.integrity_seq, d.audit_log_id, d.issue, d.expected, d.actual
                 FROM kruxt_internal.audit_log_drift_issues(p_limit) d;
END
$$;

-- 06 §1.3: {checked_rows (sealed rows examined; gap closure), drift_count (issues found, at most p_limit, as the
-- drift function returns them), healthy (drift_count = 0), first_drift (first issue as an object or null)} plus
-- unsealed_rows (rows appended but not sealed yet, see 0002; not drift).
CREATE FUNCTION public.audit_log_integrity_summary(p_limit integer DEFAULT 200)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    v_checked bigint;
    v_unsealed bigint;
    v_count bigint;
    v_first jsonb;
BEGIN
    PERFORM kruxt_internal.require_compliance_reader();
    SELECT count(*) FILTER (WHERE a.integrity_seq IS NOT NULL), count(*) FILTER (WHERE a.integrity_seq IS NULL)
    INTO v_checked, v_unsealed
    FROM public.audit_logs a;
    SELECT count(*), (array_agg(to_jsonb(d) ORDER BY d.integrity_seq, d.issue = 'chain_head_mismatch'))[1]
    INTO v_count, v_first
    FROM kruxt_internal.audit_log_drift_issues(p_limit) d;
    RETURN jsonb_build_object(
        'checked_rows', v_checked,
        'drift_count', v_count,
        'healthy', v_count = 0,
        'first_drift', v_first,
        'unsealed_rows', v_unsealed);
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Edge job audit_event_ingest (06 §1.5): POST body {action, targetTable?, targetId?, reason?, metadata?,
-- actorUserId?, actorRole?}. Inserts directly into audit_logs as the service (the row is sealed when the
-- caller's transaction commits, 0002). Answers the job's HTTP reply:
--   {"status":200,"body":{"inserted":true,"id":"<uuid>"}}
--   {"status":400,"body":{"inserted":false,"error":"action is required"}}   (missing, null or blank action,
--                                                                            or a body that is not an object)
--   {"status":500,"body":{"inserted":false,"error":"<database message>"}}   (anything else: bad uuid, unknown
--                                                                            actorUserId (FK), ...; nothing written)
-- action, targetTable, reason, actorRole are trimmed (blank -> null; actorRole default 'service'); metadata:
-- absent or JSON null -> {}. EXECUTE for service_role only.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.audit_event_ingest(p_body jsonb)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = public, pg_temp
AS $$
DECLARE
    v_action text;
    v_id uuid;
    v_msg text;
BEGIN
    IF jsonb_typeof(p_body) IS DISTINCT FROM 'object' THEN
        RETURN jsonb_build_object('status', 400, 'body', jsonb_build_object('inserted', false, 'error', 'action is required'));
    END IF;
    v_action := nullif(btrim(CASE WHEN jsonb_typeof(p_body -> 'action') = 'string' THEN p_body ->> 'action' END), '');
    IF v_action IS NULL THEN
        RETURN jsonb_build_object('status', 400, 'body', jsonb_build_object('inserted', false, 'error', 'action is required'));
    END IF;
    BEGIN
        INSERT INTO public.audit_logs (actor_user_id, actor_role, action, target_table, target_id, reason, metadata)
        VALUES (nullif(btrim(p_body ->> 'actorUserId'), '')::uuid,
                coalesce(nullif(btrim(p_body ->> 'actorRole'), ''), 'service'),
                v_action,
                nullif(btrim(p_body ->> 'targetTable'), ''),
                nullif(btrim(p_body ->> 'targetId'), '')::uuid,
                nullif(btrim(p_body ->> 'reason'), ''),
                CASE WHEN p_body -> 'metadata' IS NULL OR jsonb_typeof(p_body -> 'metadata') = 'null' THEN '{}'::jsonb
                     ELSE p_body -> 'metadata' END)
        RETURNING id INTO v_id;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT;
        RETURN jsonb_build_object('status', 500, 'body', jsonb_build_object('inserted', false, 'error', v_msg));
    END;
    RETURN jsonb_build_object('status', 200, 'body', jsonb_build_object('inserted', true, 'id', v_id));
END
$$;
REVOKE EXECUTE ON FUNCTION public.audit_event_ingest(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.audit_event_ingest(jsonb) TO service_role;

RESET ROLE;
