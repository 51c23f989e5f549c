# Amnify Deploy: `make run` serves the product on one URL, `make test` runs every suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 5080
# make run creates a demo pipeline (backend/scripts/demo.sh); DEMO=0 make run leaves it out.
DEMO ?= 1
PG := backend/scripts/pg.sh
DATA := $(CURDIR)/.data
API_PROJECT := backend/src/Amnify.Api/Amnify.Api.csproj
API_OUT := backend/src/Amnify.Api/bin/Release/net10.0
NPM_STAMP := frontend/node_modules/.installed

# Without ConnectionStrings__Amnify, the local cluster of backend/scripts/pg.sh is used.
ifdef ConnectionStrings__Amnify
USE_LOCAL_PG :=
else
USE_LOCAL_PG := yes
# Given to the processes make run and make dev start, not exported to every recipe: the test suites make
# databases and roles of their own, and a leaked state connection would point their engines at this one.
LOCAL_DB_ENV := ConnectionStrings__Amnify='$(shell $(PG) url amnify)' Engine__StateConnectionString='$(shell $(PG) state-url amnify)'
endif

.PHONY: help run dev test build openapi compose-check pg-start pg-stop secret-key terraform-check clean

help:
	@echo "make run      build everything, start PostgreSQL and serve API + SPA on http://localhost:$(PORT)"
	@echo "make test     every suite (unit, API on PostgreSQL, SPA, browser e2e); ends with 'N passed, N failed'"
	@echo "make dev      API + Vite dev server with hot reload"
	@echo "make compose-check  start docker-compose.yml's api and two workers natively and check they work"
	@echo "make openapi  rewrite openapi.yaml from the served document and regenerate the SPA's types"
	@echo "make pg-stop  stop the local PostgreSQL"

$(NPM_STAMP): frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

build: $(NPM_STAMP)
	cd frontend && npm run build
	dotnet build backend/Amnify.slnx -c Release --nologo -v quiet

pg-start:
ifdef USE_LOCAL_PG
	@$(PG) start
	@$(PG) createdb amnify
endif

pg-stop:
	@$(PG) stop

# The key that encrypts secrets at rest and the demo admin's password; made once, kept with the local data.
secret-key:
	@mkdir -p $(DATA)
	@[ -s $(DATA)/secret.key ] || (head -c 32 /dev/urandom | base64 > $(DATA)/secret.key && chmod 600 $(DATA)/secret.key)
	@[ -s $(DATA)/admin-password ] || (head -c 12 /dev/urandom | base64 | tr -d '/+=' > $(DATA)/admin-password && chmod 600 $(DATA)/admin-password)

ADMIN_EMAIL ?= admin@amnify.local

terraform-check:
	@command -v $${Engine__Terraform:-terraform} >/dev/null || { echo "The Terraform CLI is required: install terraform (or OpenTofu and set Engine__Terraform=tofu)."; exit 1; }

run: terraform-check build pg-start secret-key
	@echo
	@echo "  Amnify Deploy is starting on http://localhost:$(PORT)  (API docs: http://localhost:$(PORT)/swagger)"
	@echo "  Sign in as $(ADMIN_EMAIL) with password $$(cat $(DATA)/admin-password)"
	@echo
	@# The demo pipeline (with step inputs) is made through the API once it is up; DEMO=0 leaves it out.
	@if [ "$(DEMO)" != 0 ]; then backend/scripts/demo.sh http://localhost:$(PORT) $(ADMIN_EMAIL) "$$(cat $(DATA)/admin-password)" & fi
	cd $(API_OUT) && $(LOCAL_DB_ENV) Secrets__Key=$${Secrets__Key:-$$(cat $(DATA)/secret.key)} Spa__Root=$(CURDIR)/frontend/dist \
		Templates__Source=$${Templates__Source:-$(CURDIR)/backend/examples} Templates__SyncOnStart=true \
		AMNIFY_ADMIN_EMAIL=$(ADMIN_EMAIL) AMNIFY_ADMIN_PASSWORD=$$(cat $(DATA)/admin-password) \
		exec dotnet Amnify.Api.dll --urls http://0.0.0.0:$(PORT)

dev: $(NPM_STAMP) pg-start secret-key
	@trap 'kill 0' EXIT; \
	$(LOCAL_DB_ENV) Secrets__Key=$${Secrets__Key:-$$(cat $(DATA)/secret.key)} Templates__Source=$${Templates__Source:-$(CURDIR)/backend/examples} \
	Templates__SyncOnStart=true AMNIFY_ADMIN_EMAIL=$(ADMIN_EMAIL) AMNIFY_ADMIN_PASSWORD=$$(cat $(DATA)/admin-password) \
	dotnet run --project $(API_PROJECT) -- --urls http://127.0.0.1:5080 & \
	(cd frontend && npm run dev) & wait

test: terraform-check $(NPM_STAMP) pg-start
	@.ci/suites.sh

# docker-compose.yml started natively (no Docker engine here): its api and two workers, its environment, its roles.
compose-check: terraform-check pg-start
	dotnet build backend/tests/Amnify.Api.Tests --nologo -v quiet -clp:ErrorsOnly
	dotnet test backend/tests/Amnify.Api.Tests --no-build --nologo --filter "FullyQualifiedName~Hosting.ComposeFileTests"

openapi: $(NPM_STAMP) pg-start
	UPDATE_OPENAPI=1 dotnet test backend/tests/Amnify.Api.Tests --nologo -v quiet --filter "FullyQualifiedName~Contract"
	cd frontend && npm run gen:api

clean:
	rm -rf frontend/dist frontend/test-results backend/*/*/bin backend/*/*/obj

# The harnesses (backend/harness, one program Amnify.Harness with the verbs bench, chaos and load), against real
# processes; reports in backend/harness/results/{bench,chaos,load}/ (git-ignored).
#   bench: figures against baselines measured in the same run; own PostgreSQL (.data/pg-bench, port AMNIFY_BENCH_PORT,
#          5477 unless set; the bench's processes listen on the next 15 ports).
#   chaos: trials with faults injected into PostgreSQL, the API and two workers; load: concurrent clients. Both use
#          their own PostgreSQL (.data/pg-chaos, port 5499).
# Each stops its PostgreSQL and every process it started at the end, even on failure.
# Extra arguments through HARNESS_ARGS, e.g. `make load HARNESS_ARGS=--smoke` (5 s, 20 clients),
# `make chaos HARNESS_ARGS="--trials 20 --seed 7"`.
HARNESS := backend/harness/Amnify.Harness
HARNESS_API ?= /tmp/amnify-harness-api
export AMNIFY_BENCH_PORT ?= 5477
BENCH_PG := AMNIFY_PGDATA=$(CURDIR)/.data/pg-bench AMNIFY_PGPORT=$(AMNIFY_BENCH_PORT)
CHAOS_PG := AMNIFY_PGDATA=$(CURDIR)/.data/pg-chaos AMNIFY_PGPORT=5499
.PHONY: bench bench-smoke chaos chaos-smoke load

bench: terraform-check
	dotnet publish $(API_PROJECT) -c Release -o $(HARNESS_API) --nologo -v quiet
	dotnet build $(HARNESS) -c Release --nologo -v quiet -clp:ErrorsOnly
	@dotnet $(HARNESS)/bin/Release/net10.0/Amnify.Harness.dll bench $(HARNESS_ARGS) \
		--repo $(CURDIR) --api $(HARNESS_API)/Amnify.Api.dll; status=$$?; $(BENCH_PG) $(PG) stop >/dev/null; exit $$status

chaos load: terraform-check
	dotnet publish $(API_PROJECT) -c Release -o $(HARNESS_API) --nologo -v quiet
	dotnet build $(HARNESS) -c Release --nologo -v quiet -clp:ErrorsOnly
	@dotnet $(HARNESS)/bin/Release/net10.0/Amnify.Harness.dll $@ $(HARNESS_ARGS) \
		--repo $(CURDIR) --api $(HARNESS_API)/Amnify.Api.dll; status=$$?; $(CHAOS_PG) $(PG) stop >/dev/null; exit $$status

# The smoke runs (part of make test) reuse the Debug builds make test already made: they check the harness, not speed.
DEBUG_API := $(CURDIR)/backend/src/Amnify.Api/bin/Debug/net10.0/Amnify.Api.dll

bench-smoke: terraform-check
	dotnet build $(HARNESS) --nologo -v quiet -clp:ErrorsOnly
	@dotnet $(HARNESS)/bin/Debug/net10.0/Amnify.Harness.dll bench --smoke $(HARNESS_ARGS) \
		--repo $(CURDIR) --api $(DEBUG_API); status=$$?; $(BENCH_PG) $(PG) stop >/dev/null; exit $$status

chaos-smoke: terraform-check
	dotnet build $(HARNESS) --nologo -v quiet -clp:ErrorsOnly
	@dotnet $(HARNESS)/bin/Debug/net10.0/Amnify.Harness.dll chaos --smoke $(HARNESS_ARGS) \
		--repo $(CURDIR) --api $(DEBUG_API); status=$$?; $(CHAOS_PG) $(PG) stop >/dev/null; exit $$status
