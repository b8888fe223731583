#!/usr/bin/env bash
# Concurrency check of the rank and trials RPCs (07 §2, §3; items 59, 61, 62): concurrent rebuilds of one board never
# collide (gap closure: the board row is locked FOR UPDATE) and readers never see a half-rebuilt board; concurrent
# progress submissions of one participant never lose an update (the participant row is locked FOR UPDATE); concurrent
# joins of the same users create one row and one challenge.joined each.
#
#   migrations/kruxt/tests/concurrency/rank_trials_concurrently.sh postgres://user@host:port/<built KRUXT db> [clients] [rounds] [joiners]
#
# Works on a scratch copy of the given database (CREATE DATABASE ... TEMPLATE; dropped at the end, KEEP_COPY=1 keeps it).
# Build a database first, e.g. KEEP_DB=1 migrations/kruxt/tests/run.sh URL none. Defaults: 8 clients, 25 rounds, 30 joiners.
# Every transaction sets kruxt.now to the database's seed anchor (the seeded challenge 01 runs T-7 d .. T+21 d).
# BREAK_LOCK=1 (negative control): in the scratch copy rebuild_leaderboard_scope loses its board lock and
# submit_challenge_progress its participant lock, each with a 5 ms pause after the unlocked step; the check must then
# report FAILED (duplicate-key errors of colliding rebuilds, lost score updates).
#
# Phase 1 (rebuilds): every client rebuilds the seeded boards 'Global Weekly XP' (as the service) and 'BZone Weekly
#   Volume' (as coach luca, the staff path) `rounds` times, one transaction each, while a monitor counts both boards'
#   entries every 20 ms. Expected: no error, the monitor always sees complete boards, the final entries are the board's
#   ranking, one rank.updated per rebuild.
# Phase 2 (progress): every client submits, as sara, `rounds` deltas of 7 points to challenge 01 (one transaction each).
#   Expected: no error, final score = 15230 + clients x rounds x 7, one challenge.progress_updated per submission, every
#   reported score_total distinct.
# Phase 3 (joins): `joiners` fresh users; every client joins challenge 01 as each of them, in its own shuffled order.
#   Expected: no error, one participant row, one challenge.joined outbox row and one audit row per user, every client got
#   the same participant id for a user.
# Then the audit hash chain must be gap-free and linked. Exit 0 when every check holds, 1 otherwise.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

[ $# -ge 1 ] || { sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
URL=$1
CLIENTS=${2:-8}
ROUNDS=${3:-25}
JOINERS=${4:-30}
WORK=$(mktemp -d)
SERVICE='{"role":"service_role"}'
LUCA='{"sub":"20000000-0000-4000-8000-000000000003","role":"authenticated"}'
SARA='{"sub":"20000000-0000-4000-8000-000000000004","role":"authenticated"}'
XP_BOARD=60000000-0000-4000-8000-000000000301
GYM_BOARD=60000000-0000-4000-8000-000000000302
CHALLENGE=60000000-0000-4000-8000-000000000101
DELTA=7

copy_db "$URL"
ANCHOR=$("${PSQL[@]}" "$COPY_URL" -tAc "SELECT anchor FROM kruxt_internal.seed_anchor")
[ -n "$ANCHOR" ] || { echo "no seed anchor in $URL" >&2; exit 2; }
if [ "${BREAK_LOCK:-0}" = 1 ]; then
  "${PSQL[@]}" "$COPY_URL" -c "DO \$\$
DECLARE d text;
BEGIN
    d := pg_get_functiondef('public.rebuild_leaderboard_scope(uuid)'::regprocedure);
    d := replace(d, 'WHERE l.id = p_leaderboard_id FOR UPDATE;', 'WHERE l.id = p_leaderboard_id;');
    d := replace(d, 'DELETE FROM public.leaderboard_entries e WHERE e.leaderboard_id = b.id;',
                    'DELETE FROM public.leaderboard_entries e WHERE e.leaderboard_id = b.id; PERFORM pg_sleep(0.005);');
    EXECUTE d;
    d := pg_get_functiondef('public.submit_challenge_progress(uuid, numeric, boolean)'::regprocedure);
    d := regexp_replace(d, 'p\.user_id = v_uid\s+FOR UPDATE;', 'p.user_id = v_uid;');
    d := replace(d, 'v_points := round(', 'PERFORM pg_sleep(0.005); v_points := round(');
    EXECUTE d;
END \$\$" >/dev/null
  echo "BREAK_LOCK=1: rebuild_leaderboard_scope and submit_challenge_progress run without their row locks in this copy"
fi

BASE=$("${PSQL[@]}" "$COPY_URL" -tA -F ' ' -c "
SELECT (SELECT count(*) FROM public.leaderboard_entries WHERE leaderboard_id = '$XP_BOARD'),
       (SELECT count(*) FROM public.leaderboard_entries WHERE leaderboard_id = '$GYM_BOARD'),
       (SELECT count(*) FROM public.event_outbox WHERE event_type = 'rank.updated' AND aggregate_id = '$XP_BOARD'),
       (SELECT count(*) FROM public.event_outbox WHERE event_type = 'rank.updated' AND aggregate_id = '$GYM_BOARD'),
       (SELECT score FROM public.challenge_participants WHERE challenge_id = '$CHALLENGE' AND user_id = '20000000-0000-4000-8000-000000000004')")
read -r XP_ROWS GYM_ROWS XP_EVENTS GYM_EVENTS SCORE0 <<<"$BASE"
echo "boards: global XP $XP_ROWS entries, BZone volume $GYM_ROWS entries; sara's score $SCORE0; $CLIENTS clients x $ROUNDS rounds"

tx() {   # tx CLAIMS SQL: one transaction as the actor with the anchored clock
  printf "BEGIN;\nSET LOCAL ROLE %s;\nSELECT set_config('request.jwt.claims', '%s', true), set_config('kruxt.now', '%s', true) \\\\g /dev/null\n%s\nCOMMIT;\n" \
    "$([ "$1" = "$SERVICE" ] && echo service_role || echo authenticated)" "$1" "$ANCHOR" "$2"
}

run_clients() {   # run_clients PHASE: runs $WORK/PHASE.<c>.sql for every client in parallel
  local phase=$1 c pids=()
  for c in $(seq 1 "$CLIENTS"); do
    psql -X -q -t -A -v ON_ERROR_STOP=0 "$COPY_URL" -f "$WORK/$phase.$c.sql" >"$WORK/$phase.$c.out" 2>"$WORK/$phase.$c.err" &
    pids+=($!)
  done
  wait "${pids[@]}"
  printf '%s: %s errors' "$phase" "$(cat "$WORK/$phase".*.err | grep -c 'ERROR')"
  cat "$WORK/$phase".*.err | grep 'ERROR' | sed 's/^.*ERROR: *//' | sort | uniq -c | sort -rn | head -3 | sed 's/^ */; /' | tr -d '\n'
  echo
}

# ---- phase 1
for c in $(seq 1 "$CLIENTS"); do
  for _ in $(seq 1 "$ROUNDS"); do
    tx "$SERVICE" "SELECT 'XP ' || public.rebuild_leaderboard_scope('$XP_BOARD');"
    tx "$LUCA" "SELECT 'GYM ' || public.rebuild_leaderboard_scope('$GYM_BOARD');"
  done >"$WORK/rebuild.$c.sql"
done
"${PSQL[@]}" "$COPY_URL" -c "CREATE TABLE public.check_samples (xp integer, gym integer)" >/dev/null
(
  while [ ! -e "$WORK/stop" ]; do
    "${PSQL[@]}" "$COPY_URL" -c "INSERT INTO public.check_samples
      SELECT count(*) FILTER (WHERE leaderboard_id = '$XP_BOARD'), count(*) FILTER (WHERE leaderboard_id = '$GYM_BOARD')
      FROM public.leaderboard_entries WHERE leaderboard_id IN ('$XP_BOARD', '$GYM_BOARD')" >/dev/null 2>&1
    sleep 0.02
  done
) &
monitor=$!
run_clients rebuild
touch "$WORK/stop"; wait "$monitor" 2>/dev/null
xp_ok=$(cat "$WORK"/rebuild.*.out | grep -c "^XP $XP_ROWS\$")
gym_ok=$(cat "$WORK"/rebuild.*.out | grep -c "^GYM $GYM_ROWS\$")
p1=$("${PSQL[@]}" "$COPY_URL" -tA -F ' ' -c "
WITH s AS (SELECT count(*) AS n, count(*) FILTER (WHERE xp <> $XP_ROWS OR gym <> $GYM_ROWS) AS partial FROM public.check_samples),
xp AS (SELECT array_agg(e.user_id ORDER BY e.rank) = (SELECT array_agg(t.id ORDER BY t.xp_total DESC, t.id)
                                                      FROM (SELECT p.id, p.xp_total FROM public.profiles p ORDER BY p.xp_total DESC, p.id LIMIT 500) AS t)
              AND max(e.rank) = count(*) AS ranking_ok
       FROM public.leaderboard_entries e WHERE e.leaderboard_id = '$XP_BOARD'),
ev AS (SELECT count(*) FILTER (WHERE aggregate_id = '$XP_BOARD') - $XP_EVENTS AS xp, count(*) FILTER (WHERE aggregate_id = '$GYM_BOARD') - $GYM_EVENTS AS gym
       FROM public.event_outbox WHERE event_type = 'rank.updated')
SELECT 'samples', s.n, 'partial_samples', s.partial, 'xp_ranking_ok', xp.ranking_ok, 'rank_updated_xp', ev.xp, 'rank_updated_gym', ev.gym,
       'VERDICT', (s.partial = 0 AND xp.ranking_ok AND ev.xp = $xp_ok AND ev.gym = $gym_ok AND $xp_ok = $CLIENTS * $ROUNDS AND $gym_ok = $CLIENTS * $ROUNDS)
FROM s, xp, ev")
echo "phase 1: $xp_ok + $gym_ok successful rebuilds of $((2 * CLIENTS * ROUNDS)); $p1"

# ---- phase 2
for c in $(seq 1 "$CLIENTS"); do
  for _ in $(seq 1 "$ROUNDS"); do
    tx "$SARA" "SELECT 'SCORE ' || public.submit_challenge_progress('$CHALLENGE', $DELTA);"
  done >"$WORK/progress.$c.sql"
done
run_clients progress
submitted=$(cat "$WORK"/progress.*.out | grep -c '^SCORE ')
distinct=$(cat "$WORK"/progress.*.out | grep '^SCORE ' | sort -u | wc -l)
p2=$("${PSQL[@]}" "$COPY_URL" -tA -F ' ' -c "
WITH p AS (SELECT score FROM public.challenge_participants WHERE challenge_id = '$CHALLENGE' AND user_id = '20000000-0000-4000-8000-000000000004'),
ev AS (SELECT count(*) AS n, count(DISTINCT payload ->> 'score_total') AS totals FROM public.event_outbox
       WHERE event_type = 'challenge.progress_updated' AND payload ->> 'user_id' = '20000000-0000-4000-8000-000000000004')
SELECT 'final_score', p.score, 'expected', $SCORE0 + $CLIENTS * $ROUNDS * $DELTA, 'events', ev.n, 'distinct_totals', ev.totals,
       'VERDICT', (p.score = $SCORE0 + $CLIENTS * $ROUNDS * $DELTA AND ev.n = $CLIENTS * $ROUNDS AND ev.totals = ev.n
                   AND $submitted = $CLIENTS * $ROUNDS AND $distinct = $submitted)
FROM p, ev")
echo "phase 2: $submitted submissions answered, $distinct distinct scores; $p2"

# ---- phase 3 (the joiners: fresh profiles 2f2..., created after phase 1 so that the XP board keeps its size there)
"${PSQL[@]}" "$COPY_URL" -c "
INSERT INTO auth.users (id, email)
SELECT format('2f200000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, format('join_%s@demo.kruxt.app', i) FROM generate_series(1, $JOINERS) AS i;
INSERT INTO public.profiles (id, username, display_name)
SELECT format('2f200000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, format('chk_join_%s', i), format('Join %s', i) FROM generate_series(1, $JOINERS) AS i;" >/dev/null
for c in $(seq 1 "$CLIENTS"); do
  for i in $(seq 1 "$JOINERS" | shuf); do
    user=$(printf '2f200000-0000-4000-8000-%012x' "$i")
    tx "{\"sub\":\"$user\",\"role\":\"authenticated\"}" "SELECT 'JOINED $user ' || public.join_challenge('$CHALLENGE');"
  done >"$WORK/join.$c.sql"
done
run_clients join
answers=$(cat "$WORK"/join.*.out | grep -c '^JOINED ')
pairs=$(cat "$WORK"/join.*.out | grep '^JOINED ' | sort -u | wc -l)
p3=$("${PSQL[@]}" "$COPY_URL" -tA -F ' ' -c "
WITH r AS (SELECT count(*) AS n FROM public.challenge_participants WHERE challenge_id = '$CHALLENGE' AND user_id::text LIKE '2f200000-%'),
ev AS (SELECT count(*) AS n, count(DISTINCT payload ->> 'user_id') AS users FROM public.event_outbox
       WHERE event_type = 'challenge.joined' AND payload ->> 'user_id' LIKE '2f200000-%'),
au AS (SELECT count(*) AS n FROM public.audit_logs WHERE action = 'challenge.joined' AND metadata ->> 'user_id' LIKE '2f200000-%'),
chain AS (SELECT count(*) AS breaks FROM (SELECT integrity_seq - lag(integrity_seq) OVER (ORDER BY integrity_seq) AS step,
                                                 prev_entry_hash IS DISTINCT FROM lag(entry_hash) OVER (ORDER BY integrity_seq) AS unlinked
                                          FROM public.audit_logs) q WHERE step <> 1 OR (step IS NOT NULL AND unlinked))
SELECT 'rows', r.n, 'joined_events', ev.n, 'audit_rows', au.n, 'chain_breaks', chain.breaks,
       'VERDICT', (r.n = $JOINERS AND ev.n = $JOINERS AND ev.users = $JOINERS AND au.n = $JOINERS AND chain.breaks = 0
                   AND $answers = $CLIENTS * $JOINERS AND $pairs = $JOINERS)
FROM r, ev, au, chain")
echo "phase 3: $answers join answers, $pairs distinct (user, participant id) pairs; $p3"

if echo "$p1" | grep -q 'VERDICT t' && echo "$p2" | grep -q 'VERDICT t' && echo "$p3" | grep -q 'VERDICT t'; then
  echo "OK: rebuilds serialized and never half-visible, no lost score update, one row and one event per join"
  rm -rf "$WORK"; exit 0
else
  echo "FAILED (client output in $WORK)"; exit 1
fi
