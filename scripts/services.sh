# Private PostgreSQL and Redis instances for tests: each in a data folder of its own, on a free
# loopback port, stopped when the calling script exits. Source it after lib.sh.
# shellcheck shell=bash

# As root, PostgreSQL runs as the postgres user, which cannot enter root's home (where
# CARGO_TARGET_DIR often lives): the data folders then go to a fresh folder under /tmp that is
# removed again when the services stop.
SERVICES_TEMP=""
if [ -z "${SERVICES_DIR:-}" ]; then
  if [ "$(id -u)" = 0 ]; then
    SERVICES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/crysknife-services.XXXXXX")
    chmod 755 "$SERVICES_DIR"
    SERVICES_TEMP=1
  else
    SERVICES_DIR=$TARGET_DIR/test-services
  fi
fi
STARTED_PG=""
STARTED_REDIS=""

# Runs a command as the postgres user when we are root (PostgreSQL refuses to run as root).
as_pg_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts a throwaway cluster (trust auth, loopback only) and exports DATABASE_URL.
start_postgres() {
  local bin dir port
  bin=$(pg_bin_dir) || die "PostgreSQL server binaries are missing; run scripts/setup"
  dir="$SERVICES_DIR/postgres"
  as_root rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown -R postgres: "$dir"
  port=$(free_port)
  as_pg_user "$bin/initdb" -D "$dir/data" -U crysknife --auth=trust -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log"; die "initdb failed"; }
  as_pg_user "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >/dev/null || { tail -n 20 "$dir/server.log"; die "PostgreSQL did not start"; }
  STARTED_PG="$bin:$dir"
  as_pg_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U crysknife crysknife
  export DATABASE_URL="postgres://crysknife@127.0.0.1:$port/crysknife"
  log "PostgreSQL for tests on port $port"
}

# Starts a throwaway Redis and exports REDIS_URL.
start_redis() {
  local dir="$SERVICES_DIR/redis" port
  command -v redis-server >/dev/null || die "redis-server is missing; run scripts/setup --test"
  rm -rf "$dir" && mkdir -p "$dir"
  port=$(free_port)
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --dir "$dir" --logfile "$dir/redis.log" >/dev/null
  for _ in $(seq 50); do [ -s "$dir/redis.pid" ] && break; sleep 0.1; done
  STARTED_REDIS="$dir/redis.pid"
  export REDIS_URL="redis://127.0.0.1:$port/"
  log "Redis for tests on port $port"
}

stop_services() {
  if [ -n "$STARTED_PG" ]; then
    as_pg_user "${STARTED_PG%%:*}/pg_ctl" stop -D "${STARTED_PG#*:}/data" -m immediate >/dev/null 2>&1 || true
    STARTED_PG=""
  fi
  if [ -n "$STARTED_REDIS" ] && [ -s "$STARTED_REDIS" ]; then
    kill "$(cat "$STARTED_REDIS")" 2>/dev/null || true
    STARTED_REDIS=""
  fi
  if [ -n "$SERVICES_TEMP" ]; then
    rm -rf "$SERVICES_DIR"
    SERVICES_TEMP=""
  fi
}
