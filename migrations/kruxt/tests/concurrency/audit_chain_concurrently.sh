#!/usr/bin/env bash
# Concurrency check of the audit chain (0002: appends unsealed, sealed at commit or by seal_audit_log_chain),
# next to the reference design it replaced (advisory lock (884211, 16) taken by the BEFORE INSERT trigger and held
# until commit). Informal figures; not run by run.sh.
#
#   migrations/kruxt/tests/concurrency/audit_chain_concurrently.sh postgres://user@host:port/<built KRUXT db> [sessions] [transactions] [rows] [work_ms]
#
# Defaults: 8 sessions, 150 transactions per session, 2 audit rows per transaction, 3 ms of other work between
# the first and the second append (what an RPC does after its first audit write). Sessions 1..(n-2) run READ
# COMMITTED, the last two REPEATABLE READ. Each design runs on its own scratch copy (CREATE DATABASE ... TEMPLATE,
# dropped at the end; KEEP_COPY=1 keeps them). Build a database first: KEEP_DB=1 migrations/kruxt/tests/run.sh URL none.
#
# Per design: wall time, committed transactions per second, errors by SQLSTATE, the share of sampled wait
# states (pg_stat_activity every ~10 ms), then the checks:
#   * no lost row: every committed transaction's rows are in the log (count = committed x rows);
#   * no duplicated or missing sequence: after a final seal, integrity_seq is exactly 1..count (unique, dense);
#   * the chain verifies (audit_log_integrity_summary healthy / a window check for the reference design);
#   * order: each session's transactions ran one after the other, so their rows must be sealed in that order
#     (real-time order of non-overlapping transactions, README "Audit chain");
# and a deadlock probe: A appends, then updates a row B holds; B, holding the row, appends. The reference design
# deadlocks (40P01: B waits for A's audit lock, A for B's row); the new one does not.
# BREAK_SEAL=1 (negative control): in the new copy the sealer takes unsealed rows newest first; the order check
# must then report FAILED.
# Exit 0 when the new design passes every check, 1 otherwise (the reference design's failures are expected).
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

[ $# -ge 1 ] || { sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
URL=$1
SESSIONS=${2:-8}
TX=${3:-150}
ROWS=${4:-2}
WORK_MS=${5:-3}
WORK=$(mktemp -d)
SERVICE='{"role":"service_role"}'

# copy_db only keeps one copy per call (its trap); make two copies by hand with the same helpers.
SRC_BASE=${URL%%\?*}
SRC=${SRC_BASE##*/}
ADMIN_URL=$(with_db "$URL" template1)
NEW_DB="kruxt_chain_new_$(date +%s)_$$"
OLD_DB="kruxt_chain_old_$(date +%s)_$$"
NEW_URL=$(with_db "$URL" "$NEW_DB")
OLD_URL=$(with_db "$URL" "$OLD_DB")
cleanup() {
  if [ "${KEEP_COPY:-0}" = 1 ]; then echo "kept $NEW_URL and $OLD_URL"; else
    "${PSQL[@]}" "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$NEW_DB\"" >/dev/null 2>&1
    "${PSQL[@]}" "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$OLD_DB\"" >/dev/null 2>&1
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
if ! "${PSQL[@]}" "$URL" -tAc "SELECT to_regclass('kruxt_internal.audit_chain_head') IS NOT NULL" | grep -qx t; then
  echo "$SRC is not a built KRUXT database with the sealed audit chain (0002)" >&2; exit 2
fi
"${PSQL[@]}" "$ADMIN_URL" -c "CREATE DATABASE \"$NEW_DB\" TEMPLATE \"$SRC\"" >/dev/null || exit 2
"${PSQL[@]}" "$ADMIN_URL" -c "CREATE DATABASE \"$OLD_DB\" TEMPLATE \"$SRC\"" >/dev/null || exit 2

# ---- scaffolding in both copies: wait sampler, probe row
for u in "$NEW_URL" "$OLD_URL"; do
  "${PSQL[@]}" "$u" -c "
CREATE TABLE kruxt_internal.chain_samples (phase text, state text);
CREATE TABLE kruxt_internal.chain_stop (phase text);
CREATE TABLE kruxt_internal.chain_probe (id int PRIMARY KEY, v int);
INSERT INTO kruxt_internal.chain_probe VALUES (1, 0);
CREATE PROCEDURE kruxt_internal.sample_waits(p_phase text)
LANGUAGE plpgsql AS \$p\$
BEGIN
    LOOP
        EXIT WHEN EXISTS (SELECT 1 FROM kruxt_internal.chain_stop s WHERE s.phase = p_phase);
        INSERT INTO kruxt_internal.chain_samples
        SELECT p_phase, coalesce(a.wait_event_type || ':' || a.wait_event, 'running')
        FROM pg_stat_activity a
        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.state = 'active'
          AND a.query LIKE '%append_audit_log%';
        COMMIT;
        PERFORM pg_sleep(0.01);
    END LOOP;
END
\$p\$;" >/dev/null || exit 2
done

# ---- the reference design in the OLD copy: lock until commit, chain at insert time, no commit-time seal
"${PSQL[@]}" "$OLD_URL" -c "
SET ROLE kruxt_owner;
CREATE OR REPLACE FUNCTION public.assign_audit_log_integrity() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS \$f\$
DECLARE
    prev record;
BEGIN
    NEW.created_at := coalesce(NEW.created_at, public.app_now());
    NEW.metadata := coalesce(NEW.metadata, '{}'::jsonb);
    NEW.append_seq := nextval('public.audit_logs_append_seq');
    PERFORM pg_advisory_xact_lock(884211, 16);
    SELECT a.integrity_seq, a.entry_hash INTO prev
    FROM public.audit_logs a WHERE a.integrity_seq IS NOT NULL
    ORDER BY a.integrity_seq DESC LIMIT 1;
    NEW.integrity_seq := coalesce(prev.integrity_seq, 0) + 1;
    NEW.prev_entry_hash := prev.entry_hash;
    NEW.integrity_version := 1;
    NEW.entry_hash := public.audit_log_compute_hash(NEW.integrity_seq, NEW.prev_entry_hash, NEW.actor_user_id, NEW.actor_role,
        NEW.action, NEW.target_table, NEW.target_id, NEW.reason, NEW.ip_address, NEW.user_agent, NEW.metadata, NEW.created_at);
    RETURN NEW;
END
\$f\$;
DROP TRIGGER audit_log_seal_on_commit ON public.audit_logs;
RESET ROLE;" >/dev/null || exit 2

if [ "${BREAK_SEAL:-0}" = 1 ]; then
  "${PSQL[@]}" "$NEW_URL" -c "SET ROLE kruxt_owner; DO \$\$
DECLARE d text := pg_get_functiondef('kruxt_internal.seal_audit_log_batch(integer, boolean)'::regprocedure);
BEGIN
    d := replace(d, 'ORDER BY a.append_seq LIMIT', 'ORDER BY a.append_seq DESC LIMIT');
    EXECUTE d;
END \$\$" >/dev/null || exit 2
  echo "BREAK_SEAL=1: the sealer of the new copy seals newest first"
fi

# ---- the load: per session one file of TX transactions
make_files() {   # $1 = tag
  local tag=$1 s t i iso sleep_s
  sleep_s=$(echo "scale=4; $WORK_MS / 1000" | bc)
  for s in $(seq 1 "$SESSIONS"); do
    if [ "$s" -gt $((SESSIONS - 2)) ]; then iso="REPEATABLE READ"; else iso="READ COMMITTED"; fi
    for t in $(seq 1 "$TX"); do
      printf 'BEGIN ISOLATION LEVEL %s;\nSET LOCAL ROLE service_role;\nSELECT set_config(%s, %s, true);\n' "$iso" "'request.jwt.claims'" "'$SERVICE'"
      for i in $(seq 1 "$ROWS"); do
        printf "SELECT public.append_audit_log('chk.append', 'check', NULL, NULL, '{\"s\":%d,\"t\":%d,\"i\":%d}');\n" "$s" "$t" "$i"
        [ "$i" -lt "$ROWS" ] && printf 'SELECT pg_sleep(%s);\n' "$sleep_s"
      done
      printf "SELECT 'COMMITTED %d %d';\nCOMMIT;\n" "$s" "$t"
    done >"$WORK/$tag.$s.sql"
  done
}

run_phase() {   # $1 = url, $2 = tag; prints a summary line, leaves outputs in $WORK
  local url=$1 tag=$2 s pids=() start end
  make_files "$tag"
  "${PSQL[@]}" "$url" -c "CALL kruxt_internal.sample_waits('$tag')" >/dev/null 2>&1 &
  local sampler=$!
  sleep 0.2
  start=$(date +%s.%N)
  for s in $(seq 1 "$SESSIONS"); do
    psql -X -q -t -A -v ON_ERROR_STOP=0 "$url" -f "$WORK/$tag.$s.sql" >"$WORK/$tag.$s.out" 2>"$WORK/$tag.$s.err" &
    pids+=($!)
  done
  wait "${pids[@]}"
  end=$(date +%s.%N)
  "${PSQL[@]}" "$url" -c "INSERT INTO kruxt_internal.chain_stop VALUES ('$tag')" >/dev/null
  wait "$sampler" 2>/dev/null
  local committed errors
  committed=$(cat "$WORK/$tag".*.out | grep -c '^COMMITTED ')
  # the COMMITTED marker is printed before COMMIT: a failed COMMIT (none expected) would show in the errors
  errors=$(cat "$WORK/$tag".*.err | grep -c 'ERROR')
  printf '%s: %d of %d transactions committed in %.2f s (%.0f tx/s, %.0f audit rows/s); %d errors' "$tag" "$committed" $((SESSIONS * TX)) \
    "$(echo "$end - $start" | bc)" "$(echo "$committed / ($end - $start)" | bc -l)" "$(echo "$committed * $ROWS / ($end - $start)" | bc -l)" "$errors"
  if [ "$errors" -gt 0 ]; then
    printf ' (%s)' "$(cat "$WORK/$tag".*.err | grep -o 'ERROR: .*' | sed 's/ERROR: *//' | cut -c1-60 | sort | uniq -c | sed 's/^ *//' | paste -sd ';' -)"
  fi
  printf '\n'
  "${PSQL[@]}" "$url" -tA -c "
SELECT '  wait states sampled (' || sum(n) || '): ' || string_agg(state || ' ' || pct || '%', ', ' ORDER BY n DESC)
FROM (SELECT state, count(*) AS n, round(100.0 * count(*) / sum(count(*)) OVER (), 0) AS pct
      FROM kruxt_internal.chain_samples WHERE phase = '$tag' GROUP BY state) q"
  echo "$committed" >"$WORK/$tag.committed"
}

# ---- checks
check_new() {
  local url=$1 committed
  committed=$(cat "$WORK/new.committed")
  "${PSQL[@]}" "$url" -tA -c "
SELECT '  unsealed after the run (left by busy heads / REPEATABLE READ writers): ' || count(*) FILTER (WHERE integrity_seq IS NULL)
       || ' of ' || count(*) || ' check rows'
FROM public.audit_logs WHERE action = 'chk.append'"
  "${PSQL[@]}" "$url" -tA -c "
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '$SERVICE', false);
DO \$\$ DECLARE r jsonb; BEGIN
    LOOP   -- until nothing is left (or a round seals nothing: never spin)
        r := public.seal_audit_log_chain(100000, true);
        EXIT WHEN (r ->> 'unsealed_rows')::int = 0 OR (r ->> 'sealed_rows')::int = 0;
    END LOOP;
END \$\$;" >/dev/null
  "${PSQL[@]}" "$url" -tA -F ' ' -c "
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '$SERVICE', false);
WITH chk AS (SELECT * FROM public.audit_logs WHERE action = 'chk.append'),
per_session AS (
    SELECT count(*) AS inversions FROM (
        SELECT integrity_seq < lag(integrity_seq) OVER (PARTITION BY metadata ->> 's'
                                   ORDER BY (metadata ->> 't')::int, (metadata ->> 'i')::int) AS inverted
        FROM chk) q WHERE inverted),
summary AS (SELECT public.audit_log_integrity_summary(5000) AS s)
SELECT 'rows', (SELECT count(*) FROM chk), 'expected', $committed * $ROWS,
       'all_rows', (SELECT count(*) FROM public.audit_logs), 'distinct_seq', (SELECT count(DISTINCT integrity_seq) FROM public.audit_logs),
       'max_seq', (SELECT max(integrity_seq) FROM public.audit_logs), 'unsealed', (SELECT count(*) FROM public.audit_logs WHERE integrity_seq IS NULL),
       'healthy', (SELECT (s ->> 'healthy') FROM summary), 'drift', (SELECT (s ->> 'drift_count') FROM summary),
       'session_order_inversions', (SELECT inversions FROM per_session),
       'VERDICT', ((SELECT count(*) FROM chk) = $committed * $ROWS
                   AND (SELECT count(DISTINCT integrity_seq) FROM public.audit_logs) = (SELECT count(*) FROM public.audit_logs)
                   AND (SELECT max(integrity_seq) FROM public.audit_logs) = (SELECT count(*) FROM public.audit_logs)
                   AND (SELECT count(*) FROM public.audit_logs WHERE integrity_seq IS NULL) = 0
                   AND (SELECT (s ->> 'healthy')::boolean FROM summary)
                   AND (SELECT inversions FROM per_session) = 0
                   AND $committed = $SESSIONS * $TX)" | tail -n 1 >"$WORK/new.verdict"
  sed 's/ \([a-zA-Z_]*\) /\n\1 /g' "$WORK/new.verdict" | sed 's/^/  /'
}

check_old() {
  local url=$1 committed
  committed=$(cat "$WORK/old.committed")
  "${PSQL[@]}" "$url" -tA -F ' ' -c "
WITH chk AS (SELECT * FROM public.audit_logs WHERE action = 'chk.append'),
chain AS (SELECT count(*) FILTER (WHERE integrity_seq <> coalesce(prev_seq, 0) + 1 OR prev_entry_hash IS DISTINCT FROM prev_hash
                                   OR entry_hash <> public.audit_log_compute_hash(integrity_seq, prev_entry_hash, actor_user_id, actor_role, action,
                                        target_table, target_id, reason, ip_address, user_agent, metadata, created_at)) AS breaks
          FROM (SELECT a.*, lag(integrity_seq) OVER w AS prev_seq, lag(entry_hash) OVER w AS prev_hash
                FROM public.audit_logs a WINDOW w AS (ORDER BY integrity_seq)) q)
SELECT 'rows', (SELECT count(*) FROM chk), 'expected', $committed * $ROWS, 'chain_breaks', (SELECT breaks FROM chain),
       'lost_transactions', $SESSIONS * $TX - $committed" | tail -n 1 | sed 's/ \([a-zA-Z_]*\) /\n\1 /g' | sed 's/^/  /'
}

deadlock_probe() {   # $1 = url, $2 = tag
  local url=$1 tag=$2
  # A: append (t=0), sleep, then update the probe row B holds (t=0.3 s). B: lock the row (t=0.05 s), sleep, append (t=0.15 s), sleep, commit.
  psql -X -q -t -A -v ON_ERROR_STOP=1 "$url" >"$WORK/$tag.A.out" 2>"$WORK/$tag.A.err" <<SQL &
BEGIN;
SELECT set_config('request.jwt.claims', '$SERVICE', true);
SELECT public.append_audit_log('chk.deadlock.a', NULL, NULL);
SELECT pg_sleep(0.3);
UPDATE kruxt_internal.chain_probe SET v = v + 1 WHERE id = 1;
COMMIT;
SELECT 'A COMMITTED';
SQL
  local a=$!
  sleep 0.05
  psql -X -q -t -A -v ON_ERROR_STOP=1 "$url" >"$WORK/$tag.B.out" 2>"$WORK/$tag.B.err" <<SQL &
BEGIN;
SELECT set_config('request.jwt.claims', '$SERVICE', true);
UPDATE kruxt_internal.chain_probe SET v = v + 10 WHERE id = 1;
SELECT pg_sleep(0.1);
SELECT public.append_audit_log('chk.deadlock.b', NULL, NULL);
SELECT pg_sleep(0.4);
COMMIT;
SELECT 'B COMMITTED';
SQL
  local b=$!
  wait "$a" "$b"
  printf '%s deadlock probe: A %s, B %s\n' "$tag" \
    "$(grep -q 'A COMMITTED' "$WORK/$tag.A.out" && echo committed || grep -o 'ERROR: .*' "$WORK/$tag.A.err" | head -n 1)" \
    "$(grep -q 'B COMMITTED' "$WORK/$tag.B.out" && echo committed || grep -o 'ERROR: .*' "$WORK/$tag.B.err" | head -n 1)"
  grep -q 'A COMMITTED' "$WORK/$tag.A.out" && grep -q 'B COMMITTED' "$WORK/$tag.B.out"
}

echo "audit chain: $SESSIONS sessions ($((SESSIONS - 2)) READ COMMITTED, 2 REPEATABLE READ) x $TX transactions x $ROWS rows, ${WORK_MS} ms between appends"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?'); cores: $(nproc 2>/dev/null || echo '?')"
echo "== reference design (advisory lock held until commit)"
run_phase "$OLD_URL" old
check_old "$OLD_URL"
deadlock_probe "$OLD_URL" old || true
echo "== sealed chain (0002)"
run_phase "$NEW_URL" new
check_new "$NEW_URL"
deadlock_probe "$NEW_URL" new
probe_ok=$?
"${PSQL[@]}" "$NEW_URL" -tA -c "
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '$SERVICE', false);
SELECT public.seal_audit_log_chain(1000, true) IS NOT NULL;
SELECT '  after the probe: ' || (public.audit_log_integrity_summary() - 'first_drift')::text;" | tail -n 1

if grep -q 'VERDICT t' "$WORK/new.verdict" && [ "$probe_ok" = 0 ]; then
  echo "OK: no lost or duplicated sequence, dense 1..n, chain verifies, per-session order kept, no deadlock"
  exit 0
fi
echo "FAILED"
exit 1
