#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests: a temporary data directory and a free port.
#   eval "$(scripts/pg-temp.sh start)"   -> exports ENSEMBLE_TEST_PG_URL and ENSEMBLE_PG_TEMP_DIR
#   scripts/pg-temp.sh stop DIR
set -euo pipefail
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$pgbin/initdb" ] || { echo "pg-temp: PostgreSQL server binaries not found (install postgresql)" >&2; exit 1; }

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/ensemble-pg.XXXXXX)
    chmod 755 "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    as_pg "$pgbin/initdb" -D "$dir/data" -U ensemble --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 300
shared_buffers = 128MB
fsync = on
synchronous_commit = on
log_min_messages = warning
CONF
    as_pg "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U ensemble ensemble_test
    echo "export ENSEMBLE_PG_TEMP_DIR=$dir"
    echo "export ENSEMBLE_TEST_PG_URL=postgresql://ensemble@127.0.0.1:$port/ensemble_test"
    echo "export ENSEMBLE_TEST_PG_ADMIN=postgresql://ensemble@127.0.0.1:$port/postgres"
    ;;
  stop)
    dir=${2:?usage: pg-temp.sh stop DIR}
    as_pg "$pgbin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
