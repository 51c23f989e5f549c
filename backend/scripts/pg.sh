#!/usr/bin/env bash
# Local PostgreSQL for `make run` and the tests:
#   start | stop | status | createdb NAME | dropdb NAME | url [NAME] | state-url [NAME] | admin-url [NAME]
# The cluster lives in $AMNIFY_PGDATA (default <repo>/.data/pg, git-ignored) so a restart keeps the data,
# and listens on 127.0.0.1:$AMNIFY_PGPORT only. It is set up the way a managed database is: TLS with a CA of
# its own (<data>-tls/ca.crt), and the product connects as `amnify`, a password-protected (scram-sha-256)
# role that is not a superuser and owns its databases; Terraform's pg backend connects as `amnify_tfstate`,
# which gets only what the engine grants it. Only the `postgres` superuser, used by this script and the
# test setup to create databases and roles, is trusted without a password.
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` OS user.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
data=${AMNIFY_PGDATA:-$repo/.data/pg}
port=${AMNIFY_PGPORT:-5433}
tls=$data-tls
app_role=amnify
state_role=amnify_tfstate

bindir=$(pg_config --bindir 2>/dev/null || true)
for candidate in "$bindir" /usr/lib/postgresql/*/bin /usr/local/bin /usr/bin; do
  if [ -n "$candidate" ] && [ -x "$candidate/pg_ctl" ] && [ -x "$candidate/initdb" ]; then bindir=$candidate; break; fi
done
[ -x "$bindir/pg_ctl" ] || { echo "pg.sh: PostgreSQL server binaries (initdb, pg_ctl) not found; install postgresql-15" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

psql_admin() { "$bindir/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# A role's password: made once, kept beside the cluster (readable by this user only).
password_of() {
  local file=$data-$1.password
  if [ ! -s "$file" ]; then
    mkdir -p "$(dirname "$file")"
    (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$file")
  fi
  cat "$file"
}

# A CA and a server certificate for 127.0.0.1/localhost, so clients can verify the server (SSL Mode=VerifyFull).
make_tls() {
  [ -s "$tls/server.crt" ] && [ -s "$tls/ca.crt" ] && return
  command -v openssl >/dev/null || { echo "pg.sh: openssl is needed to give the local PostgreSQL a TLS certificate" >&2; exit 1; }
  mkdir -p "$tls"
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Amnify local PostgreSQL CA" \
    -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$tls/server.ext"
  openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 3650 \
    -extfile "$tls/server.ext" -out "$tls/server.crt" 2>/dev/null
  rm -f "$tls/server.csr" "$tls/server.ext" "$tls/ca.key" "$tls/ca.srl"
  chmod 755 "$tls"; chmod 644 "$tls/ca.crt" "$tls/server.crt"; chmod 600 "$tls/server.key"
  if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$tls/server.key" "$tls/server.crt"; fi
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
  echo "include_if_exists = 'amnify.conf'" >>"$data/postgresql.conf"
}

# Written at every start, so a cluster made by an older version of this script gets TLS and passwords too.
configure_cluster() {
  make_tls
  as_owner tee "$data/amnify.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data'
max_connections = 500
fsync = ${AMNIFY_PGFSYNC:-on}
password_encryption = 'scram-sha-256'
ssl = on
ssl_cert_file = '$tls/server.crt'
ssl_key_file = '$tls/server.key'
CONF
  grep -q "include_if_exists = 'amnify.conf'" "$data/postgresql.conf" || echo "include_if_exists = 'amnify.conf'" | as_owner tee -a "$data/postgresql.conf" >/dev/null
  as_owner tee "$data/pg_hba.conf" >/dev/null <<HBA
# The superuser only from this machine (scripts and test setup); everyone else with a password.
local all postgres                trust
host  all postgres  127.0.0.1/32  trust
host  all all       127.0.0.1/32  scram-sha-256
HBA
}

ensure_role() {
  psql_admin -v role="$1" -v password="$(password_of "$1")" <<'SQL' >/dev/null
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" PASSWORD :'password';
SQL
}

ensure_roles() { ensure_role "$app_role"; ensure_role "$state_role"; }

url_of() { # role database
  echo "Host=127.0.0.1;Port=$port;Username=$1;Password=$(password_of "$1");Database=$2;SSL Mode=VerifyFull;Root Certificate=$tls/ca.crt"
}

case "${1:-}" in
  start)
    [ -f "$data/PG_VERSION" ] || init_cluster
    if as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
      echo "PostgreSQL already running on 127.0.0.1:$port"
    else
      configure_cluster
      as_owner "$bindir/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null
      echo "PostgreSQL started on 127.0.0.1:$port (data in $data, TLS CA $tls/ca.crt)"
    fi
    ensure_roles ;;
  stop)
    if [ -f "$data/PG_VERSION" ]; then as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true; fi
    echo "PostgreSQL stopped" ;;
  status)
    as_owner "$bindir/pg_ctl" -D "$data" status ;;
  createdb|dropdb)
    name=${2:?database name}
    exists=$(psql_admin -v name="$name" -c "SELECT 1 FROM pg_database WHERE datname = '$name'")
    if [ "$1" = createdb ] && [ -z "$exists" ]; then ensure_roles; psql_admin -c "CREATE DATABASE \"$name\" OWNER $app_role"; fi
    if [ "$1" = dropdb ] && [ -n "$exists" ]; then psql_admin -c "DROP DATABASE \"$name\" WITH (FORCE)"; fi ;;
  url)
    # What the product uses: the password role, over TLS with the server's certificate checked.
    url_of "$app_role" "${2:-amnify}" ;;
  state-url)
    # What Terraform's state backend uses (Engine__StateConnectionString).
    url_of "$state_role" "${2:-amnify}" ;;
  admin-url)
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=${2:-postgres}" ;;
  *)
    echo "usage: $0 start|stop|status|createdb NAME|dropdb NAME|url [NAME]|state-url [NAME]|admin-url [NAME]" >&2; exit 2 ;;
esac
