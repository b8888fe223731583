#!/usr/bin/env bash
# Builds a fresh KRUXT database from migrations/kruxt and runs the SQL verification scripts against it.
#
#   migrations/kruxt/tests/run.sh postgres://user@host:port/anydb [test-file-pattern]
#
# The URL names any database of a cluster where the user is a superuser (roles are created if missing).
# Steps: create a database named kruxt_test_<time>_<pid>; apply migrations/kruxt/NNNN_*.sql, then
# migrations/kruxt/seed/NNNN_*.sql, each file once, in filename order, each as ONE multi-statement
# simple-query call (psql -c), exactly as the server builds its template; then run every
# migrations/kruxt/tests/NNNN_*.sql (each is BEGIN ... ROLLBACK and raises on a failed expectation).
# The database is dropped at the end unless KEEP_DB=1.
#
# Environment:
#   KRUXT_ANCHOR  seed anchor T (sets kruxt.now while seeding). Default: the frozen test anchor
#                 2026-03-09T09:00:00+01:00 (99 §1). KRUXT_ANCHOR=now seeds at the real time.
#   KEEP_DB=1     keep the database (its URL is printed).
# Exit status: 0 all green, 1 a test failed, 2 the build (a migration or seed file) failed or bad usage.
set -uo pipefail

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
[ $# -ge 1 ] || usage
case "$1" in -h|--help) usage ;; esac

URL=$1
PATTERN=${2:-}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
ANCHOR=${KRUXT_ANCHOR:-2026-03-09T09:00:00+01:00}
DB="kruxt_test_$(date +%s)_$$"

# URL of the same cluster with another database name (query string kept).
with_db() {
  local url=$1 db=$2 base query prefix
  base=${url%%\?*}
  query=${url#"$base"}
  if [[ $base =~ ^[a-zA-Z0-9+.-]+://[^/]*$ ]]; then prefix=$base; else prefix=${base%/*}; fi
  printf '%s/%s%s' "$prefix" "$db" "$query"
}
DB_URL=$(with_db "$URL" "$DB")

PSQL=(psql -X -q -v ON_ERROR_STOP=1)
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

cleanup() {
  if [ "${KEEP_DB:-0}" = 1 ]; then
    echo "kept database: $DB_URL"
  else
    "${PSQL[@]}" "$URL" -c "DROP DATABASE IF EXISTS \"$DB\"" >/dev/null 2>&1 || true
  fi
}

# No psql meta-commands in build files: the server sends each file as one simple-query call.
lint() {
  local f bad=0
  for f in "$ROOT"/[0-9]*.sql "$ROOT"/seed/[0-9]*.sql; do
    [ -e "$f" ] || continue
    if grep -nE '^[[:space:]]*\\' "$f"; then echo "psql meta-command in $f" >&2; bad=1; fi
  done
  for f in "$HERE"/[0-9]*.sql; do
    if ! grep -qxE 'BEGIN;' "$f" || [ "$(grep -vE '^[[:space:]]*$' "$f" | tail -n 1)" != "ROLLBACK;" ]; then
      echo "$f must open with BEGIN; and end with ROLLBACK;" >&2; bad=1
    fi
  done
  return $bad
}

# One file, one simple-query call, one implicit transaction (falls back to psql -1 -f for huge files).
apply() {
  local f=$1 size
  size=$(wc -c <"$f")
  if [ "$size" -lt 120000 ]; then
    "${PSQL[@]}" "$DB_URL" -c "$(cat "$f")" >/dev/null
  else
    "${PSQL[@]}" -1 "$DB_URL" -f "$f" >/dev/null
  fi
}

lint || exit 2
"${PSQL[@]}" "$URL" -c "CREATE DATABASE \"$DB\"" >/dev/null || { echo "cannot create database $DB" >&2; exit 2; }
trap cleanup EXIT

start=$(date +%s.%N)
for f in "$ROOT"/[0-9]*.sql; do
  if ! apply "$f"; then echo "BUILD FAILED in migration $(basename "$f")" >&2; exit 2; fi
done
for f in "$ROOT"/seed/[0-9]*.sql; do
  [ -e "$f" ] || continue
  if [ "$ANCHOR" = now ]; then
    apply "$f"
  else
    PGOPTIONS="$PGOPTIONS -c kruxt.now=$ANCHOR" apply "$f"
  fi || { echo "BUILD FAILED in seed $(basename "$f")" >&2; exit 2; }
done
built=$(date +%s.%N)
printf 'built %s in %.2fs (anchor %s)\n' "$DB" "$(echo "$built - $start" | bc)" "$ANCHOR"

pass=0 fail=0 failed=()
for f in "$HERE"/[0-9]*.sql; do
  name=$(basename "$f" .sql)
  if [ -n "$PATTERN" ] && [[ $name != *$PATTERN* ]]; then continue; fi
  if err=$("${PSQL[@]}" "$DB_URL" -f "$HERE/helpers.sql" -f "$f" 2>&1 >/dev/null); then
    pass=$((pass + 1)); echo "ok   $name"
  else
    fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name"; echo "$err" | sed 's/^/     /'
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] || { printf 'failed: %s\n' "${failed[*]}"; exit 1; }
