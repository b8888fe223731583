#!/usr/bin/env bash
# Concurrency check of the integration jobs (04 §3, §4; items 17, 18): claims are never handed out twice, concurrent
# dispatchers process every job exactly once, concurrent replays of the same webhook create one row and one job.
#
#   migrations/kruxt/tests/concurrency/sync_jobs_concurrently.sh postgres://user@host:port/<built KRUXT db> [clients] [jobs] [batch]
#
# Works on a scratch copy of the given database (CREATE DATABASE ... TEMPLATE; dropped at the end, KEEP_COPY=1 keeps it).
# Build a database first, e.g. KEEP_DB=1 migrations/kruxt/tests/run.sh URL none. Defaults: 8 clients, 400 jobs, batch 5.
# BREAK_LOCK=1 (negative control): in the scratch copy claim_device_sync_jobs loses FOR UPDATE SKIP LOCKED and pauses
# 20 ms between picking and updating; the check must then report FAILED (jobs handed out twice).
#
# Phase 1 (claims): `jobs` queued jobs; every client claims `batch` jobs per transaction (service role) until nothing is
#   left. Expected: every job claimed exactly once, all of them running.
# Phase 2 (dispatchers): `jobs`/2 webhook events for sara (distinct activities) fan out one job each; every client runs
#   sync_dispatcher_run(batch) until nothing is left. Expected: every job succeeded once (one integration.sync_succeeded
#   per job), every event processed, one import per activity.
# Phase 3 (replays): every client ingests the same 50 webhook events (ids and payloads) in its own order, one transaction
#   each. Expected: 50 event rows, 50 jobs, duplicate:true for every answer but the first per event.
# Exit 0 when every check holds, 1 otherwise.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

[ $# -ge 1 ] || { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
URL=$1
CLIENTS=${2:-8}
JOBS=${3:-400}
BATCH=${4:-5}
EVENTS=$((JOBS / 2))
WORK=$(mktemp -d)
SERVICE='{"role":"service_role"}'

copy_db "$URL"
if [ "${BREAK_LOCK:-0}" = 1 ]; then
  "${PSQL[@]}" "$COPY_URL" -c "DO \$\$
DECLARE d text := pg_get_functiondef('public.claim_device_sync_jobs(integer, public.integration_provider)'::regprocedure);
BEGIN
    d := replace(d, 'FOR UPDATE SKIP LOCKED', '');
    d := replace(d, '), claimed AS (', '), pause AS (SELECT pg_sleep(0.02)), claimed AS (');
    d := replace(d, 'FROM picked', 'FROM picked, pause');
    EXECUTE d;
END \$\$" >/dev/null
  echo "BREAK_LOCK=1: claim_device_sync_jobs runs without FOR UPDATE SKIP LOCKED in this copy"
fi

"${PSQL[@]}" "$COPY_URL" -c "
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '$SERVICE', false);
UPDATE public.device_sync_jobs SET status = 'failed', next_retry_at = NULL WHERE status IN ('queued', 'retry_scheduled');
INSERT INTO public.device_sync_jobs (connection_id, job_type)
SELECT CASE WHEN i % 2 = 0 THEN 'd0000000-0000-4000-8000-000000000101' ELSE 'd0000000-0000-4000-8000-000000000103' END::uuid, 'check_claim'
FROM generate_series(1, $JOBS) AS i;
SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;" >/dev/null
echo "phase 1: $JOBS queued jobs, $CLIENTS clients claiming $BATCH per transaction"

# run_clients PHASE TX REPS: every client runs TX REPS times (one psql session each, ON_ERROR_STOP off)
run_clients() {
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
  printf '%s: %s errors\n' "$phase" "$(cat "$WORK/$phase".*.err | grep -c 'ERROR')"
}

# ---- phase 1
reps=$(( JOBS / (CLIENTS * BATCH) + 3 ))
run_clients claim "BEGIN;
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '$SERVICE', true) \\g /dev/null
SELECT 'CLAIMED ' || id FROM public.claim_device_sync_jobs($BATCH);
COMMIT;" "$reps"
claimed=$(cat "$WORK"/claim.*.out | grep -c '^CLAIMED ')
distinct=$(cat "$WORK"/claim.*.out | grep '^CLAIMED ' | sort -u | wc -l)
left=$("${PSQL[@]}" "$COPY_URL" -tAc "SELECT count(*) FROM public.device_sync_jobs WHERE job_type = 'check_claim' AND status <> 'running'")
echo "phase 1: $claimed claims, $distinct distinct jobs, $left jobs not running"
p1=f; [ "$claimed" = "$JOBS" ] && [ "$distinct" = "$JOBS" ] && [ "$left" = 0 ] && p1=t

# ---- phase 2
"${PSQL[@]}" "$COPY_URL" -c "
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '$SERVICE', false);
UPDATE public.device_sync_jobs SET status = 'failed' WHERE job_type = 'check_claim';
SELECT public.provider_webhook_ingest(jsonb_build_object('provider', 'apple_health', 'providerEventId', 'chk-evt-' || i, 'eventType', 'activities.created',
       'payload', jsonb_build_object('providerUserId', 'ah-sara-0001', 'next_cursor', 'chk-' || lpad(i::text, 5, '0'),
                                     'activities', jsonb_build_array(jsonb_build_object('id', 'chk-act-' || i)))))
FROM generate_series(1, $EVENTS) AS i;
SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;" >/dev/null
echo "phase 2: $EVENTS webhook jobs, $CLIENTS dispatchers of $BATCH"
reps=$(( EVENTS / (CLIENTS * BATCH) + 3 ))
run_clients dispatch "BEGIN;
SET LOCAL ROLE service_role;
SELECT set_config('request.jwt.claims', '$SERVICE', true) \\g /dev/null
SELECT 'RUN ' || public.sync_dispatcher_run($BATCH)::text;
COMMIT;" "$reps"
p2=$("${PSQL[@]}" "$COPY_URL" -tA -F ' ' -c "
WITH jobs AS (SELECT j.id, j.status FROM public.device_sync_jobs j JOIN public.integration_webhook_events e ON e.id = j.source_webhook_event_id
              WHERE e.provider_event_id LIKE 'chk-evt-%'),
ok AS (SELECT count(*) AS n FROM public.event_outbox WHERE event_type = 'integration.sync_succeeded' AND aggregate_id IN (SELECT id FROM jobs)),
dup AS (SELECT count(*) AS n FROM (SELECT aggregate_id FROM public.event_outbox WHERE event_type LIKE 'integration.sync_%' GROUP BY aggregate_id HAVING count(*) > 1) d),
ev AS (SELECT count(*) FILTER (WHERE processing_status = 'processed') AS processed, count(*) AS n FROM public.integration_webhook_events WHERE provider_event_id LIKE 'chk-evt-%'),
imp AS (SELECT count(*) AS n, count(DISTINCT external_activity_id) AS d FROM public.external_activity_imports WHERE external_activity_id LIKE 'chk-act-%')
SELECT 'jobs', (SELECT count(*) FROM jobs), 'succeeded', (SELECT count(*) FROM jobs WHERE status = 'succeeded'), 'sync_succeeded_events', ok.n,
       'jobs_with_two_outcomes', dup.n, 'events_processed', ev.processed, 'imports', imp.n,
       'VERDICT', ((SELECT count(*) FROM jobs) = $EVENTS AND (SELECT count(*) FROM jobs WHERE status = 'succeeded') = $EVENTS AND ok.n = $EVENTS
                   AND dup.n = 0 AND ev.processed = $EVENTS AND imp.n = $EVENTS AND imp.d = $EVENTS)
FROM ok, dup, ev, imp")
echo "phase 2: $p2"

# ---- phase 3
for c in $(seq 1 "$CLIENTS"); do
  for i in $(seq 1 50 | shuf); do
    printf "BEGIN;\nSET LOCAL ROLE service_role;\nSELECT set_config('request.jwt.claims', '%s', true) \\\\g /dev/null\nSELECT 'INGEST ' || public.provider_webhook_ingest('{\"provider\":\"garmin\",\"providerEventId\":\"rep-%s\",\"eventType\":\"activities.created\",\"payload\":{\"providerUserId\":\"gm-davide-0001\",\"n\":%s}}')::text;\nCOMMIT;\n" "$SERVICE" "$i" "$i"
  done >"$WORK/replay.$c.sql"
done
pids=()
for c in $(seq 1 "$CLIENTS"); do
  psql -X -q -t -A -v ON_ERROR_STOP=0 "$COPY_URL" -f "$WORK/replay.$c.sql" >"$WORK/replay.$c.out" 2>"$WORK/replay.$c.err" &
  pids+=($!)
done
wait "${pids[@]}"
fresh=$(cat "$WORK"/replay.*.out | grep -c '"duplicate": false')
dups=$(cat "$WORK"/replay.*.out | grep -c '"duplicate": true')
errors=$(cat "$WORK"/replay.*.err | grep -c 'ERROR')
rows=$("${PSQL[@]}" "$COPY_URL" -tAc "SELECT count(*) || ' ' || (SELECT count(*) FROM public.device_sync_jobs j JOIN public.integration_webhook_events e ON e.id = j.source_webhook_event_id WHERE e.provider_event_id LIKE 'rep-%') FROM public.integration_webhook_events WHERE provider_event_id LIKE 'rep-%'")
echo "phase 3: $fresh fresh answers, $dups duplicates, $errors errors; rows and jobs: $rows"
p3=f; [ "$fresh" = 50 ] && [ "$dups" = $((50 * CLIENTS - 50)) ] && [ "$errors" = 0 ] && [ "$rows" = "50 50" ] && p3=t

if [ "$p1" = t ] && echo "$p2" | grep -q 'VERDICT t' && [ "$p3" = t ]; then
  echo "OK: no job claimed twice, every job processed once, replays idempotent"
  rm -rf "$WORK"; exit 0
else
  echo "FAILED (phase 1: $p1, phase 3: $p3; client output in $WORK)"; exit 1
fi
