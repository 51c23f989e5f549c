#!/usr/bin/env bash
# Browser end-to-end tests: the real API (serving the built SPA) on a fresh database of the local
# PostgreSQL, driven by Playwright in Debian's Chromium. Stops everything it started.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
port=${E2E_PORT:-5091}
db=amnify_e2e_$$
export E2E_ADMIN_EMAIL=admin@e2e.test E2E_ADMIN_PASSWORD="e2e-$(head -c 9 /dev/urandom | base64 | tr -d '/+=')"
api_out=backend/src/Amnify.Api/bin/Debug/net10.0

backend/scripts/pg.sh createdb "$db" >/dev/null
log=$root/.data/test-results/e2e-api.log
mkdir -p "$(dirname "$log")"
(
  cd "$api_out" && exec env ASPNETCORE_ENVIRONMENT=Production \
    ConnectionStrings__Amnify="$(cd "$root" && backend/scripts/pg.sh url "$db")" \
    Engine__StateConnectionString="$(cd "$root" && backend/scripts/pg.sh state-url "$db")" \
    Secrets__Key="$(head -c 32 /dev/urandom | base64)" \
    Spa__Root="$root/frontend/dist" \
    Templates__Source="$root/backend/examples" \
    AMNIFY_ADMIN_EMAIL="$E2E_ADMIN_EMAIL" AMNIFY_ADMIN_PASSWORD="$E2E_ADMIN_PASSWORD" \
    dotnet Amnify.Api.dll --urls "http://127.0.0.1:$port"
) >"$log" 2>&1 &
api=$!
cleanup() { kill "$api" 2>/dev/null; wait "$api" 2>/dev/null; backend/scripts/pg.sh dropdb "$db" >/dev/null 2>&1; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
  kill -0 "$api" 2>/dev/null || { echo "the API did not start; its log:"; cat "$log"; exit 1; }
  sleep 0.5
done

(cd frontend && E2E_BASE_URL="http://127.0.0.1:$port" npm run --silent e2e)
