#!/usr/bin/env bash
# Local PostgreSQL for `make run` and the tests: start | stop | status | createdb | dropdb | url.
# The cluster lives in $AMNIFY_PGDATA (default <repo>/.data/pg, git-ignored) so a restart keeps
# the data, listens on 127.0.0.1:$AMNIFY_PGPORT only, and trusts local connections.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` OS user.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
data=${AMNIFY_PGDATA:-$repo/.data/pg}
port=${AMNIFY_PGPORT:-5433}

bindir=$(pg_config --bindir 2>/dev/null || true)
for candidate in "$bindir" /usr/lib/postgresql/*/bin /usr/local/bin /usr/bin; do
  if [ -n "$candidate" ] && [ -x "$candidate/pg_ctl" ] && [ -x "$candidate/initdb" ]; then bindir=$candidate; break; fi
done
[ -x "$bindir/pg_ctl" ] || { echo "pg.sh: PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql-15" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

init_cluster() {
  mkdir -p "$data"
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$data"
    # postgres must be able to reach the data folder through every parent.
    d=$(dirname "$data"); while [ "$d" != / ]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
  fi
  chmod 700 "$data"
  as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --no-locale >/dev/null
  cat >>"$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 300
fsync = ${AMNIFY_PGFSYNC:-on}
CONF
}

case "${1:-}" in
  start)
    [ -f "$data/PG_VERSION" ] || init_cluster
    if as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "PostgreSQL already running on 127.0.0.1:$port"
    else
      as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
      echo "PostgreSQL started on 127.0.0.1:$port (data in $data)"
    fi ;;
  stop)
    if [ -f "$data/PG_VERSION" ]; then as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true; fi
    echo "PostgreSQL stopped" ;;
  status)
    as_owner "$bindir/pg_ctl" -D "$data" status ;;
  createdb|dropdb)
    name=${2:?database name}
    psql=("$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
    exists=$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$name'")
    if [ "$1" = createdb ] && [ -z "$exists" ]; then "${psql[@]}" -c "CREATE DATABASE \"$name\""; fi
    if [ "$1" = dropdb ] && [ -n "$exists" ]; then "${psql[@]}" -c "DROP DATABASE \"$name\" WITH (FORCE)"; fi ;;
  url)
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=${2:-amnify}" ;;
  *)
    echo "usage: $0 start|stop|status|createdb NAME|dropdb NAME|url [NAME]" >&2; exit 2 ;;
esac
