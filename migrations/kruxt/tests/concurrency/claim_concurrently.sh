#!/usr/bin/env bash
# Concurrency check of the privacy job queues (05 §5.2, §6.2; items 30, 31, 35): no job is queued twice, claimed
# twice or completed twice while several workers run privacy_request_processor's SQL at the same time.
#
#   migrations/kruxt/tests/concurrency/claim_concurrently.sh postgres://user@host:port/<built KRUXT db> [clients] [users] [limit]
#
# Works on a scratch copy of the given database (CREATE DATABASE ... TEMPLATE; dropped at the end, KEEP_COPY=1
# keeps it). Build a database first, e.g. KEEP_DB=1 migrations/kruxt/tests/run.sh URL none.
# Defaults: 8 clients, 240 users, claim limit 3. Fixture: `users` fresh users (2c1…), each with one open export
# request and one open delete request. Every client is a separate psql session; each call is its own transaction,
# as the service role, with the same sandbox clock (kruxt.now), so every job is due for every client.
# BREAK_LOCK=1 (negative control): in the scratch copy both claim functions are replaced by a naive claim (read
# the due jobs without a lock, pause 10 ms, update them by id); the check must then report FAILED.
#
# Phase 1 (queue): all clients call queue_privacy_export_jobs(200) and queue_privacy_delete_jobs(200) 3 times.
#   Expected: exactly one export and one delete job per request, no error.
# Phase 2 (claim): all clients repeatedly claim export and delete jobs (limit `limit`) until the queues are empty.
#   Expected: every job handed out exactly once (claimed ids = jobs, no id twice), every job running, no error.
# Phase 3 (claim and finish, as the Rust job does it): jobs are reset to queued; all clients repeatedly call a
#   procedure (created in the copy) that claims export jobs (one transaction), completes each claimed job in its
#   own transaction, then claims delete jobs and runs apply_user_anonymization + complete_privacy_delete_job per
#   job in one transaction each; every outcome is recorded in a table.
#   Expected: every job succeeded exactly once (one privacy.export_ready / privacy.delete_completed /
#   privacy.user_anonymized per job and user), every request fulfilled with exactly 3 status events
#   (triaged, in_progress, fulfilled), no 'must be running', deadlock or other error, the audit hash chain unbroken.
# The users' requests are the only open ones besides the seed's (davide's and chiara's export/access requests,
# hanna's delete job), which the phases handle too (hanna's job fails in phase 3: she is under a legal hold).
# Exit 0 when every check holds, 1 otherwise.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=common.sh
. "$HERE/common.sh"

[ $# -ge 1 ] || { sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
URL=$1
CLIENTS=${2:-8}
USERS=${3:-240}
LIMIT=${4:-3}
WORK=$(mktemp -d)
NOW=2026-03-09T09:00:00+01:00

copy_db "$URL"
if ! "${PSQL[@]}" "$COPY_URL" -tAc "SELECT to_regclass('public.privacy_export_jobs') IS NOT NULL" | grep -qx t; then
  echo "the database has no area 05 (privacy_export_jobs)" >&2; exit 2
fi

# ---- fixture
"${PSQL[@]}" "$COPY_URL" -c "
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{\"role\":\"service_role\"}', false);
SELECT set_config('kruxt.now', '$NOW', false);
INSERT INTO auth.users (id, email)
SELECT format('2c100000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, format('claim_%s@demo.kruxt.app', i) FROM generate_series(1, $USERS) AS i;
INSERT INTO public.profiles (id, username, display_name)
SELECT format('2c100000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, format('claim_%s', i), format('Claim %s', i) FROM generate_series(1, $USERS) AS i;
INSERT INTO public.privacy_requests (user_id, request_type, submitted_at)
SELECT format('2c100000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, t::public.privacy_request_type,
       public.app_now() - make_interval(mins => i)
FROM generate_series(1, $USERS) AS i, unnest(ARRAY['export', 'delete']) AS t;
SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;" >/dev/null

if [ "${BREAK_LOCK:-0}" = 1 ]; then
  for kind in export delete; do
    types=$([ $kind = export ] && echo "('access', 'export')" || echo "('delete')")
    "${PSQL[@]}" "$COPY_URL" -c "SET ROLE kruxt_owner;
CREATE OR REPLACE FUNCTION public.claim_privacy_${kind}_jobs(p_limit integer DEFAULT 5) RETURNS SETOF public.privacy_${kind}_jobs
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS \$f\$
DECLARE v_ids uuid[];
BEGIN
    SELECT array_agg(j.id) INTO v_ids FROM (SELECT j.id FROM public.privacy_${kind}_jobs j JOIN public.privacy_requests r ON r.id = j.privacy_request_id
        WHERE j.status IN ('queued', 'retry_scheduled') AND coalesce(j.next_retry_at, j.created_at) <= public.app_now()
          AND public.is_privacy_request_open_status(r.status) AND r.request_type IN $types
        ORDER BY coalesce(j.next_retry_at, j.created_at), j.created_at, j.id LIMIT least(50, greatest(1, coalesce(p_limit, 5)))) j;
    PERFORM pg_sleep(0.01);
    RETURN QUERY UPDATE public.privacy_${kind}_jobs j SET status = 'running', started_at = public.app_now() WHERE j.id = ANY (v_ids) RETURNING j.*;
END \$f\$;
RESET ROLE;" >/dev/null
  done
  echo "BREAK_LOCK=1: the claim functions read without a lock and pause before the update in this copy"
fi
echo "$USERS users with an export and a delete request each; $CLIENTS clients, claim limit $LIMIT"

HEAD="BEGIN; SET LOCAL ROLE service_role; SELECT set_config('request.jwt.claims', '{\"role\":\"service_role\"}', true); SELECT set_config('kruxt.now', '$NOW', true);"

run_clients() {   # $1 = phase, $2 = transaction text, $3 = repetitions per client
  local phase=$1 tx=$2 n=$3 c pids=()
  for c in $(seq 1 "$CLIENTS"); do
    for _ in $(seq 1 "$n"); do printf '%s\n' "$tx"; done >"$WORK/$phase.$c.sql"
  done
  for c in $(seq 1 "$CLIENTS"); do
    psql -X -q -t -A -v ON_ERROR_STOP=0 "$COPY_URL" -f "$WORK/$phase.$c.sql" >"$WORK/$phase.$c.out" 2>"$WORK/$phase.$c.err" &
    pids+=($!)
  done
  wait "${pids[@]}"
  cat "$WORK/$phase".*.out | grep -E '^(EXPORT|DELETE|QUEUED) ' >"$WORK/$phase.lines"
  grep -h 'ERROR' "$WORK/$phase".*.err >"$WORK/$phase.errors"
  [ "$phase" = finish ] && return
  [ "$phase" = queue ] && { printf 'queue: %s calls, %s errors\n' "$(grep -c . "$WORK/$phase.lines")" "$(grep -c . "$WORK/$phase.errors")"; return; }
  printf '%s: %s export claims, %s delete claims, %s errors\n' "$phase" \
    "$(grep -c '^EXPORT ' "$WORK/$phase.lines")" "$(grep -c '^DELETE ' "$WORK/$phase.lines")" "$(grep -c . "$WORK/$phase.errors")"
}
q() { "${PSQL[@]}" "$COPY_URL" -tAc "$1"; }

# ---- phase 1: queue
run_clients queue "$HEAD SELECT 'QUEUED ' || public.queue_privacy_export_jobs(200) || ' ' || public.queue_privacy_delete_jobs(200); COMMIT;" 3
queue_ok=$(q "SELECT (SELECT count(*) FROM public.privacy_export_jobs WHERE user_id::text LIKE '2c1%') = $USERS
              AND (SELECT count(*) FROM public.privacy_delete_jobs WHERE user_id::text LIKE '2c1%') = $USERS")
queued_sum=$(awk '{e += $2; d += $3} END {print e "+" d}' "$WORK/queue.lines")
echo "phase 1: one job per request ($USERS export, $USERS delete): $queue_ok; returned counts summed over all calls: $queued_sum"
[ -s "$WORK/queue.errors" ] && queue_ok=f

# ---- phase 2: claim only
rounds=$(( USERS / (CLIENTS * LIMIT) + 4 ))
run_clients claim "$HEAD SELECT 'EXPORT ' || id FROM public.claim_privacy_export_jobs($LIMIT); SELECT 'DELETE ' || id FROM public.claim_privacy_delete_jobs($LIMIT); COMMIT;" "$rounds"
claim_total=$(grep -c . "$WORK/claim.lines")
claim_distinct=$(sort -u "$WORK/claim.lines" | grep -c .)
jobs=$(q "SELECT (SELECT count(*) FROM public.privacy_export_jobs WHERE status <> 'succeeded') + (SELECT count(*) FROM public.privacy_delete_jobs)")
claim_ok=$(q "SELECT NOT EXISTS (SELECT 1 FROM public.privacy_export_jobs WHERE status IN ('queued', 'retry_scheduled'))
              AND NOT EXISTS (SELECT 1 FROM public.privacy_delete_jobs WHERE status IN ('queued', 'retry_scheduled'))")
echo "phase 2: $claim_total ids handed out, $claim_distinct distinct (claimable jobs: $jobs); none left queued: $claim_ok"
if [ "$claim_total" != "$jobs" ] || [ "$claim_distinct" != "$claim_total" ] || [ -s "$WORK/claim.errors" ]; then claim_ok=f; fi

# ---- phase 3: claim and finish (one transaction per claim and per job, like the Rust job)
q "SET ROLE service_role; SELECT set_config('request.jwt.claims', '{\"role\":\"service_role\"}', false);
   UPDATE public.privacy_export_jobs SET status = 'queued', started_at = NULL WHERE status = 'running';
   UPDATE public.privacy_delete_jobs SET status = 'queued', started_at = NULL WHERE status = 'running';" >/dev/null
"${PSQL[@]}" "$COPY_URL" -c "SET ROLE kruxt_owner;
CREATE TABLE public.check_finished (kind text, job_id uuid, outcome text, at timestamptz DEFAULT clock_timestamp());
GRANT INSERT, SELECT ON public.check_finished TO service_role;
CREATE PROCEDURE public.check_finish_round(p_limit integer) LANGUAGE plpgsql AS \$p\$
DECLARE v_ids uuid[]; v_job record; v_outcome text; v_detail text; v_context text;
BEGIN
    SELECT coalesce(array_agg(j.id), '{}') INTO v_ids FROM public.claim_privacy_export_jobs(p_limit) j;
    COMMIT;
    FOR v_job IN SELECT j.* FROM public.privacy_export_jobs j WHERE j.id = ANY (v_ids) ORDER BY j.id LOOP
        BEGIN
            PERFORM public.complete_privacy_export_job(v_job.id, 'privacy-exports', v_job.user_id || '/' || v_job.privacy_request_id || '/' || v_job.id || '.json',
                '/storage/v1/object/sign/privacy-exports/' || v_job.id || '.json?token=t', public.app_now() + interval '1 day', 10, 1);
            v_outcome := 'ok';
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL, v_context = PG_EXCEPTION_CONTEXT;
            v_outcome := replace(SQLERRM || ' [' || coalesce(v_detail, '') || '] [' || coalesce(v_context, '') || ']', E'\\n', ' / ');
        END;
        INSERT INTO public.check_finished (kind, job_id, outcome) VALUES ('EXPORT', v_job.id, v_outcome);
        COMMIT;
    END LOOP;
    SELECT coalesce(array_agg(j.id), '{}') INTO v_ids FROM public.claim_privacy_delete_jobs(p_limit) j;
    COMMIT;
    FOR v_job IN SELECT j.* FROM public.privacy_delete_jobs j WHERE j.id = ANY (v_ids) ORDER BY j.id LOOP
        BEGIN
            PERFORM public.apply_user_anonymization(v_job.user_id, v_job.privacy_request_id);
            PERFORM public.complete_privacy_delete_job(v_job.id, '{}');
            v_outcome := 'ok';
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_detail = PG_EXCEPTION_DETAIL, v_context = PG_EXCEPTION_CONTEXT;
            v_outcome := replace(SQLERRM || ' [' || coalesce(v_detail, '') || '] [' || coalesce(v_context, '') || ']', E'\\n', ' / ');
        END;
        INSERT INTO public.check_finished (kind, job_id, outcome) VALUES ('DELETE', v_job.id, v_outcome);
        COMMIT;
    END LOOP;
END \$p\$;
RESET ROLE;" >/dev/null
run_clients finish "SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{\"role\":\"service_role\"}', false);
SELECT set_config('kruxt.now', '$NOW', false);
CALL public.check_finish_round($LIMIT);" "$rounds"
q "SELECT kind || ' ' || job_id || ' ' || outcome FROM public.check_finished ORDER BY at" >"$WORK/finish.lines"
grep -v ' ok$' "$WORK/finish.lines" | grep -v 'Cannot anonymize user with an active legal hold' >>"$WORK/finish.errors"
printf 'finish: %s export completions, %s delete completions, %s errors (hanna under legal hold: %s)\n' \
  "$(grep -c '^EXPORT .* ok$' "$WORK/finish.lines")" "$(grep -c '^DELETE .* ok$' "$WORK/finish.lines")" "$(grep -c . "$WORK/finish.errors")" \
  "$(grep -c 'active legal hold' "$WORK/finish.lines")"
finish_total=$(grep -c ' ok$' "$WORK/finish.lines")
finish_distinct=$(grep ' ok$' "$WORK/finish.lines" | cut -d' ' -f1,2 | sort -u | grep -c .)
expected_finished=$((jobs - 1))   # every claimable job but hanna's
"${PSQL[@]}" "$COPY_URL" -tA -F ' ' -c "
WITH ej AS (SELECT count(*) FILTER (WHERE status = 'succeeded') AS ok, count(*) AS n FROM public.privacy_export_jobs WHERE user_id::text LIKE '2c1%'),
dj AS (SELECT count(*) FILTER (WHERE status = 'succeeded') AS ok, count(*) AS n FROM public.privacy_delete_jobs WHERE user_id::text LIKE '2c1%'),
rq AS (SELECT count(*) FILTER (WHERE status = 'fulfilled') AS fulfilled, count(*) AS n FROM public.privacy_requests WHERE user_id::text LIKE '2c1%'),
ev AS (SELECT count(*) FILTER (WHERE event_type = 'privacy.export_ready') AS ready,
              count(DISTINCT payload ->> 'job_id') FILTER (WHERE event_type = 'privacy.export_ready') AS ready_jobs,
              count(*) FILTER (WHERE event_type = 'privacy.delete_completed') AS completed,
              count(DISTINCT payload ->> 'job_id') FILTER (WHERE event_type = 'privacy.delete_completed') AS completed_jobs,
              count(*) FILTER (WHERE event_type = 'privacy.user_anonymized') AS anonymized,
              count(DISTINCT aggregate_id) FILTER (WHERE event_type = 'privacy.user_anonymized') AS anonymized_users
       FROM public.event_outbox WHERE payload ->> 'user_id' LIKE '2c1%'),
st AS (SELECT count(*) AS requests_with_3 FROM (SELECT aggregate_id FROM public.event_outbox WHERE event_type = 'privacy.request_status_changed'
       AND payload ->> 'user_id' LIKE '2c1%' GROUP BY aggregate_id HAVING count(*) = 3
       AND array_agg(payload ->> 'next_status' ORDER BY payload ->> 'next_status') = ARRAY['fulfilled', 'in_progress', 'triaged']) q),
chain AS (SELECT count(*) AS breaks FROM (SELECT integrity_seq - lag(integrity_seq) OVER (ORDER BY integrity_seq) AS step,
                                                 prev_entry_hash IS DISTINCT FROM lag(entry_hash) OVER (ORDER BY integrity_seq) AS unlinked
                                          FROM public.audit_logs) q WHERE step <> 1 OR (step IS NOT NULL AND unlinked))
SELECT 'export_jobs_succeeded', ej.ok, 'delete_jobs_succeeded', dj.ok, 'requests_fulfilled', rq.fulfilled, 'of', rq.n,
       'export_ready', ev.ready, 'for_jobs', ev.ready_jobs, 'delete_completed', ev.completed, 'for_jobs', ev.completed_jobs,
       'user_anonymized', ev.anonymized, 'for_users', ev.anonymized_users, 'requests_with_three_status_events', st.requests_with_3,
       'chain_breaks', chain.breaks,
       'VERDICT', (ej.ok = $USERS AND dj.ok = $USERS AND rq.fulfilled = 2 * $USERS AND ev.ready = $USERS AND ev.ready_jobs = $USERS
                   AND ev.completed = $USERS AND ev.completed_jobs = $USERS AND ev.anonymized = $USERS AND ev.anonymized_users = $USERS
                   AND st.requests_with_3 = 2 * $USERS AND chain.breaks = 0)
FROM ej, dj, rq, ev, st, chain" >"$WORK/verdict"
echo "phase 3: $finish_total jobs finished by the clients, $finish_distinct distinct (expected $expected_finished: all claimable jobs but hanna's)"
sed 's/ \([a-zA-Z_]*\) /\n\1 /g' "$WORK/verdict" | sed 's/^/  /'
finish_ok=t
if [ "$finish_total" != "$expected_finished" ] || [ "$finish_distinct" != "$finish_total" ] || [ -s "$WORK/finish.errors" ]; then finish_ok=f; fi
for phase in queue claim finish; do
  [ -s "$WORK/$phase.errors" ] && { echo "$phase errors (first 5):"; head -5 "$WORK/$phase.errors" | sed 's/^/  /'; }
done

if [ "$queue_ok" = t ] && [ "$claim_ok" = t ] && [ "$finish_ok" = t ] && grep -q 'VERDICT t' "$WORK/verdict"; then
  echo "OK: every job queued once, claimed once, finished once"
  rm -rf "$WORK"; exit 0
else
  echo "FAILED (client output in $WORK)"; exit 1
fi
