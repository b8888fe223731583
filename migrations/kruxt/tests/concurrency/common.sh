# Shared by the concurrency/timing checks (sourced, not run). Not a test file: run.sh only runs
# tests/[0-9]*.sql.
#
# copy_db URL -> sets COPY_URL: a scratch copy (CREATE DATABASE ... TEMPLATE) of the built KRUXT database
# named by URL, dropped again on exit. The source database must have no other connections while it is copied.

PSQL=(psql -X -q -v ON_ERROR_STOP=1)
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

# URL of the same cluster with another database name (query string kept).
with_db() {
  local url=$1 db=$2 base query prefix
  base=${url%%\?*}
  query=${url#"$base"}
  if [[ $base =~ ^[a-zA-Z0-9+.-]+://[^/]*$ ]]; then prefix=$base; else prefix=${base%/*}; fi
  printf '%s/%s%s' "$prefix" "$db" "$query"
}

copy_db() {
  local url=$1 src base
  base=${url%%\?*}
  src=${base##*/}
  COPY_DB="kruxt_check_$(date +%s)_$$"
  ADMIN_URL=$(with_db "$url" template1)
  COPY_URL=$(with_db "$url" "$COPY_DB")
  if ! "${PSQL[@]}" "$url" -tAc "SELECT to_regclass('public.gym_classes') IS NOT NULL" | grep -qx t; then
    echo "$src is not a built KRUXT database with area 03 (build one with KEEP_DB=1 tests/run.sh URL nothing)" >&2
    exit 2
  fi
  "${PSQL[@]}" "$ADMIN_URL" -c "CREATE DATABASE \"$COPY_DB\" TEMPLATE \"$src\"" >/dev/null
  trap 'if [ "${KEEP_COPY:-0}" = 1 ]; then echo "kept $COPY_URL"; else "${PSQL[@]}" "$ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$COPY_DB\"" >/dev/null 2>&1; fi' EXIT
}

# The staff actor of every promotion: giulia_rossi (BZone officer).
GIULIA='{"sub":"20000000-0000-4000-8000-000000000002","role":"authenticated"}'
BZONE=10000000-0000-4000-8000-000000000001

# fixture CLASS_ID CAPACITY PENDING [PREFIX]: a BZone class with CAPACITY seats, no bookings, and PENDING
# waitlist entries (positions 1..PENDING) of fresh active members. PREFIX (2 hex digits) keeps the users of
# several fixtures apart.
fixture() {
  local class=$1 capacity=$2 pending=$3 prefix=${4:-f0}
  "${PSQL[@]}" "$COPY_URL" -c "
SET ROLE service_role;
SELECT set_config('request.jwt.claims', '{\"role\":\"service_role\"}', false);
INSERT INTO auth.users (id, email)
SELECT format('2${prefix}00000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, format('check_${prefix}_%s@demo.kruxt.app', i)
FROM generate_series(1, $pending) AS i;
INSERT INTO public.profiles (id, username, display_name)
SELECT format('2${prefix}00000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, format('chk_${prefix}_%s', i), format('Check ${prefix} %s', i)
FROM generate_series(1, $pending) AS i;
INSERT INTO public.gym_memberships (gym_id, user_id, role, membership_status)
SELECT '$BZONE', format('2${prefix}00000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, 'member', 'active'
FROM generate_series(1, $pending) AS i;
INSERT INTO public.gym_classes (id, gym_id, title, capacity, starts_at, ends_at)
VALUES ('$class', '$BZONE', 'Check $class', $capacity, public.app_now() + interval '1 day', public.app_now() + interval '1 day 1 hour');
INSERT INTO public.class_waitlist (class_id, user_id, position)
SELECT '$class', format('2${prefix}00000-0000-4000-8000-%s', lpad(to_hex(i), 12, '0'))::uuid, i
FROM generate_series(1, $pending) AS i;
SELECT set_config('request.jwt.claims', '', false);
RESET ROLE;" >/dev/null
}
