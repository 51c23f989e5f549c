#!/bin/sh
# Run once by the postgres image when its volume is new (/docker-entrypoint-initdb.d), and by
# `make compose-check` against the local cluster. It makes the two roles the product needs, neither a
# superuser: the app's role, which owns the database (migrations need no more), and Terraform's state
# role, which gets only what the engine grants it on the tfstate_* schemas.
set -eu
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v app_role="${AMNIFY_DB_USER:-amnify}" -v app_password="${AMNIFY_DB_PASSWORD:?set AMNIFY_DB_PASSWORD}" \
  -v state_role="${AMNIFY_STATE_DB_USER:-amnify_tfstate}" -v state_password="${AMNIFY_STATE_DB_PASSWORD:?set AMNIFY_STATE_DB_PASSWORD}" \
  -v db="${AMNIFY_DB:-amnify}" <<'SQL'
CREATE ROLE :"app_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
CREATE ROLE :"state_role" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'state_password';
CREATE DATABASE :"db" OWNER :"app_role";
SQL
