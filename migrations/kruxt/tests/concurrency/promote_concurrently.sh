#!/usr/bin/env bash
# Concurrency check of promote_waitlist_member (03 §2.2 gap closure: no overbooking under concurrent calls).
#
#   migrations/kruxt/tests/concurrency/promote_concurrently.sh postgres://user@host:port/<built KRUXT db> [clients] [pending] [capacity] [rounds]
#
# Works on a scratch copy of the given database (CREATE DATABASE ... TEMPLATE; dropped at the end,
# KEEP_COPY=1 keeps it). Build a database first, e.g. KEEP_DB=1 migrations/kruxt/tests/run.sh URL none.
# Defaults: 8 clients, 160 pending entries, capacity 12, 15 rounds per client.
# BREAK_LOCK=1 (negative control): in the scratch copy, promote_waitlist_member loses its class-row lock and
# pauses 10 ms between the capacity count and the booking; the check must then report FAILED.
#
# Phase 1 (race to fill): every client calls promote_waitlist_member on the same class, each call its own
#   transaction, as officer giulia. Expected: exactly `capacity` promotions succeed, of the entries at
#   positions 1..capacity, everything else fails with 'Class is still full'.
# Phase 2 (churn): every client repeatedly, in one transaction, cancels one booked seat (staff update,
#   random row, SKIP LOCKED) and promotes; a monitor samples the booked count every 20 ms meanwhile.
# Checks at the end: booked/attended rows never exceeded capacity (monitor) and do not now; promoted
#   entries = waitlist_promotion bookings = class.waitlist_promoted events = waitlist.promoted audit rows;
#   no user promoted twice; the promoted positions are exactly 1..k (lowest first, no gaps); after a final
#   seal_audit_log_chain, every audit row is sealed and the hash chain is gap-free and linked. Exit 0 when every
#   check holds, 1 otherwise.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

[ $# -ge 1 ] || { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
URL=$1
CLIENTS=${2:-8}
PENDING=${3:-160}
CAPACITY=${4:-12}
ROUNDS=${5:-15}
CLASS=3f000000-0000-4000-8000-000000000001
WORK=$(mktemp -d)

copy_db "$URL"
fixture "$CLASS" "$CAPACITY" "$PENDING" f0
if [ "${BREAK_LOCK:-0}" = 1 ]; then
  "${PSQL[@]}" "$COPY_URL" -c "DO \$\$
DECLARE d text := pg_get_functiondef('public.promote_waitlist_member(uuid)'::regprocedure);
BEGIN
    d := replace(d, 'WHERE c.id = p_class_id FOR UPDATE;', 'WHERE c.id = p_class_id;');
    d := replace(d, 'IF v_taken >= v_capacity THEN', 'PERFORM pg_sleep(0.01); IF v_taken >= v_capacity THEN');
    EXECUTE d;
END \$\$" >/dev/null
  echo "BREAK_LOCK=1: promote_waitlist_member runs without the class lock in this copy"
fi
echo "class $CLASS: capacity $CAPACITY, $PENDING pending; $CLIENTS clients"

promote_tx="BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '$GIULIA', true);
SELECT 'PROMOTED ' || public.promote_waitlist_member('$CLASS');
COMMIT;"

churn_tx="BEGIN;
SET LOCAL ROLE authenticated;
SELECT set_config('request.jwt.claims', '$GIULIA', true);
UPDATE public.class_bookings SET status = 'cancelled'
WHERE id = (SELECT id FROM public.class_bookings WHERE class_id = '$CLASS' AND status = 'booked'
            ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED);
SELECT 'PROMOTED ' || public.promote_waitlist_member('$CLASS');
COMMIT;"

run_clients() {   # $1 = phase name, $2 = transaction text, $3 = repetitions per client
  local phase=$1 tx=$2 n=$3 c
  for c in $(seq 1 "$CLIENTS"); do
    for _ in $(seq 1 "$n"); do printf '%s\n' "$tx"; done >"$WORK/$phase.$c.sql"
  done
  local pids=()
  for c in $(seq 1 "$CLIENTS"); do
    psql -X -q -t -A -v ON_ERROR_STOP=0 "$COPY_URL" -f "$WORK/$phase.$c.sql" >"$WORK/$phase.$c.out" 2>"$WORK/$phase.$c.err" &
    pids+=($!)
  done
  wait "${pids[@]}"
  printf '%s: %s promotions, %s "Class is still full", %s "No pending waitlist members", %s deadlocks, %s other errors\n' "$phase" \
    "$(cat "$WORK/$phase".*.out | grep -c '^PROMOTED ')" \
    "$(cat "$WORK/$phase".*.err | grep -c 'Class is still full')" \
    "$(cat "$WORK/$phase".*.err | grep -c 'No pending waitlist members')" \
    "$(cat "$WORK/$phase".*.err | grep -c 'deadlock')" \
    "$(cat "$WORK/$phase".*.err | grep 'ERROR' | grep -vc 'Class is still full\|No pending waitlist members\|current transaction is aborted')"
}

# ---- phase 1
rounds1=$(( (CAPACITY + CLIENTS - 1) / CLIENTS + 2 ))
run_clients fill "$promote_tx" "$rounds1"
fill_ok=$("${PSQL[@]}" "$COPY_URL" -tAc "
SELECT (SELECT count(*) FROM public.class_bookings WHERE class_id = '$CLASS' AND status IN ('booked', 'attended')) = $CAPACITY
   AND (SELECT array_agg(position ORDER BY position) FROM public.class_waitlist WHERE class_id = '$CLASS' AND status = 'promoted')
       = (SELECT array_agg(i) FROM generate_series(1, $CAPACITY) AS i)")
echo "phase 1: class filled to exactly capacity with positions 1..$CAPACITY: $fill_ok"

# ---- phase 2 with a monitor
"${PSQL[@]}" "$COPY_URL" -c "CREATE TABLE public.check_samples (n integer)" >/dev/null 2>&1 || true
(
  while [ ! -e "$WORK/stop" ]; do
    "${PSQL[@]}" "$COPY_URL" -c "INSERT INTO public.check_samples SELECT count(*) FROM public.class_bookings WHERE class_id = '$CLASS' AND status IN ('booked', 'attended')" >/dev/null 2>&1
    sleep 0.02
  done
) &
monitor=$!
run_clients churn "$churn_tx" "$ROUNDS"
touch "$WORK/stop"; wait "$monitor" 2>/dev/null

# ---- checks (first seal what the writers left unsealed: busy head at their commit, see README "Audit chain")
"${PSQL[@]}" "$COPY_URL" -c "SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{\"role\":\"service_role\"}', false);
DO \$\$ DECLARE r jsonb; BEGIN LOOP r := public.seal_audit_log_chain(100000, true);
    EXIT WHEN (r ->> 'unsealed_rows')::int = 0 OR (r ->> 'sealed_rows')::int = 0; END LOOP; END \$\$;" >/dev/null
"${PSQL[@]}" "$COPY_URL" -tA -F ' ' -c "
WITH c AS (SELECT capacity FROM public.gym_classes WHERE id = '$CLASS'),
s AS (SELECT count(*) AS samples, max(n) AS max_seen FROM public.check_samples),
promoted AS (SELECT count(*) AS n, count(DISTINCT user_id) AS users, coalesce(max(position), 0) AS max_pos
             FROM public.class_waitlist WHERE class_id = '$CLASS' AND status = 'promoted'),
gaps AS (SELECT count(*) AS n FROM public.class_waitlist w WHERE w.class_id = '$CLASS' AND w.status = 'pending'
         AND w.position < (SELECT max_pos FROM promoted)),
bookings AS (SELECT count(*) FILTER (WHERE status IN ('booked', 'attended')) AS taken,
                    count(*) FILTER (WHERE source_channel = 'waitlist_promotion') AS via_promotion,
                    count(*) - count(DISTINCT user_id) AS dup_users
             FROM public.class_bookings WHERE class_id = '$CLASS'),
events AS (SELECT count(*) AS n, count(DISTINCT payload ->> 'user_id') AS users FROM public.event_outbox
           WHERE event_type = 'class.waitlist_promoted' AND aggregate_id = '$CLASS'),
audits AS (SELECT count(*) AS n FROM public.audit_logs WHERE action = 'waitlist.promoted' AND metadata ->> 'class_id' = '$CLASS'),
chain AS (SELECT (SELECT count(*) FROM (SELECT integrity_seq - lag(integrity_seq) OVER (ORDER BY integrity_seq) AS step,
                                                  prev_entry_hash IS DISTINCT FROM lag(entry_hash) OVER (ORDER BY integrity_seq) AS unlinked
                                           FROM public.audit_logs WHERE integrity_seq IS NOT NULL) q WHERE step <> 1 OR (step IS NOT NULL AND unlinked))
                + (SELECT count(*) FROM public.audit_logs WHERE integrity_seq IS NULL) AS breaks)
SELECT 'capacity', c.capacity, 'now_taken', b.taken, 'max_sampled', s.max_seen, 'samples', s.samples,
       'promoted', p.n, 'via_promotion', b.via_promotion, 'events', e.n, 'audits', a.n, 'dup_users', b.dup_users + (p.n - p.users) + (e.n - e.users),
       'pending_below_max_promoted', g.n, 'max_promoted_position', p.max_pos, 'chain_breaks', ch.breaks,
       'VERDICT', (b.taken <= c.capacity AND coalesce(s.max_seen, 0) <= c.capacity AND p.n = b.via_promotion AND p.n = e.n AND p.n = a.n
                   AND b.dup_users = 0 AND p.n = p.users AND e.n = e.users AND g.n = 0 AND p.max_pos = p.n AND ch.breaks = 0)
FROM c, s, promoted p, gaps g, bookings b, events e, audits a, chain ch" >"$WORK/verdict"
sed 's/ \([a-zA-Z_]*\) /\n\1 /g' "$WORK/verdict" | sed 's/^/  /'
if grep -q 'VERDICT t' "$WORK/verdict" && [ "$fill_ok" = t ]; then
  echo "OK: no double booking, no overbooking, strict position order"
  rm -rf "$WORK"; exit 0
else
  echo "FAILED (client errors in $WORK)"; exit 1
fi
