#!/usr/bin/env bash
# Every test suite of `make test`, each counted; prints one closing line `N passed, N failed`.
# A suite that fails, cannot start or runs no test makes the whole run fail.
# Expects the local PostgreSQL to be up (the Makefile starts it) and frontend/node_modules installed.
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results=$root/.data/test-results
rm -rf "$results" frontend/test-results && mkdir -p "$results"
passed=0 failed=0 broken=()

count() { # suite passed failed
  echo "== $1: $2 passed, $3 failed"
  passed=$((passed + $2)) failed=$((failed + $3))
  if [ "$3" -gt 0 ] || [ "$2" -eq 0 ]; then broken+=("$1"); fi
}

trx_counts() { # file → "passed failed", from the <Counters> element of a .trx report
  local line; line=$(grep -o '<Counters [^>]*>' "$1" 2>/dev/null)
  local p f
  p=$(grep -o 'passed="[0-9]*"' <<<"$line" | grep -o '[0-9]*'); f=$(grep -o ' failed="[0-9]*"' <<<"$line" | grep -o '[0-9]*')
  echo "${p:-0} ${f:-0}"
}

json_counts() { # file expr-for-passed expr-for-failed
  node -e "const r=require(require('path').resolve(process.argv[1])); console.log(($2)+' '+($3))" "$1" 2>/dev/null || echo "0 0"
}

dotnet_suite() { # name project [filter]: one counted suite from a .trx report
  local args=(test "backend/tests/$2" --no-build --nologo --logger "trx;LogFileName=$results/$1.trx" --logger "console;verbosity=minimal")
  [ -n "${3:-}" ] && args+=(--filter "$3")
  dotnet "${args[@]}"
  read -r p f < <(trx_counts "$results/$1.trx")
  count "$1" "$p" "$f"
}

echo "== backend: build"
if dotnet build backend/Amnify.slnx --nologo -v quiet -clp:ErrorsOnly; then
  dotnet_suite Amnify.UnitTests Amnify.UnitTests
  dotnet_suite Amnify.Api.Tests Amnify.Api.Tests "Category!=Processes"
  # The product as separate OS processes: api + two workers with one killed mid-plan, and docker-compose.yml
  # started natively (make compose-check).
  dotnet_suite topology Amnify.Api.Tests "FullyQualifiedName~Hosting.TopologyTests"
  dotnet_suite compose-check Amnify.Api.Tests "FullyQualifiedName~Hosting.ComposeFileTests"
  # The amnify CLI packed, installed as a .NET tool and run as CI runs it against the product as a process.
  dotnet_suite cli Amnify.Api.Tests "FullyQualifiedName~Amnify.Api.Tests.Cli"
else
  count "backend build" 0 1
fi

echo "== frontend: contract types, lint, type check, unit tests"
(cd frontend && npm run --silent check:api) || count "frontend check:api (schema.d.ts is stale: make openapi)" 0 1
# The contract a client generator reads: Redocly's recommended rules (redocly.yaml), zero errors.
if (cd frontend && npm run --silent lint:api); then count "openapi lint" 1 0; else count "openapi lint (redocly.yaml)" 0 1; fi
# Import boundaries (a feature reaches another only through its api/) and no import cycles.
(cd frontend && npm run --silent lint) || count "frontend lint" 0 1
(cd frontend && npm run --silent build) || count "frontend build" 0 1
(cd frontend && npm test)
read -r p f < <(json_counts frontend/test-results/unit.json r.numPassedTests "r.numFailedTests+(r.numRuntimeErrorTestSuites||0)")
count "frontend unit" "$p" "$f"

echo "== e2e: real API + SPA + PostgreSQL in Chromium"
.ci/e2e.sh
read -r p f < <(json_counts frontend/test-results/e2e.json r.stats.expected+r.stats.flaky r.stats.unexpected)
count "e2e" "$p" "$f"

# The harness (backend/harness/Amnify.Harness), its bench and chaos verbs tiny, so they cannot rot; each run ends
# with its own "N passed, N failed".
for harness in bench-smoke chaos-smoke; do
  echo "== $harness"
  log="$results/$harness.log"
  make --no-print-directory "$harness" >"$log" 2>&1; status=$?
  tail -n 25 "$log"
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
  p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$line"); f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  if [ -z "$line" ]; then p=0 f=1; elif [ $status -ne 0 ] && [ "${f:-0}" -eq 0 ]; then f=1; fi
  count "$harness" "${p:-0}" "${f:-1}"
done

echo
if [ ${#broken[@]} -gt 0 ]; then echo "Suites that failed or ran no test: ${broken[*]}"; fi
echo "$passed passed, $failed failed" | tee "$root/.data/test-summary.txt"
[ ${#broken[@]} -eq 0 ]
