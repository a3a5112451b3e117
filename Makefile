# foidesk: the two set-up commands are `make run` and `make test`; the rest are for developers.
SHELL := /bin/bash
.DEFAULT_GOAL := run

DB        ?= ./foidesk.db
ADDR      ?= 127.0.0.1:8080
BIN       := bin/foidesk
PASSWORDS := .foidesk-demo-passwords
KEYS      ?= ./foidesk.key
GO_FILES  := $(shell git ls-files '*.go' 2>/dev/null)

.PHONY: run test bench fuzz build assets generate check-generated vet fmt-check clean help

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

internal/web/static/dist/VERSIONS: node_modules/.package-lock.json scripts/build-assets.sh
	bash scripts/build-assets.sh

assets: internal/web/static/dist/VERSIONS ## install govuk-frontend from npm and build the embedded assets

build: assets ## build bin/foidesk
	go build -o $(BIN) ./cmd/foidesk

run: build ## migrate, seed the demo and serve on embedded SQLite
	@if [ ! -e "$(DB)" ]; then rm -f $(PASSWORDS); fi
	@$(BIN) seed demo --db "$(DB)" --passwords-file $(PASSWORDS) > /dev/null
	@if [ ! -e "$(KEYS)" ]; then $(BIN) keys generate --key-file "$(KEYS)" > /dev/null; fi
	@echo
	@echo "foidesk: demo sign-ins (email, role, party, password; kept in $(PASSWORDS)):"
	@sed 's/^/  /' $(PASSWORDS)
	@echo
	@echo "Open http://$(ADDR)/ and sign in as any of them. Ctrl-C stops the server."
	@echo
	$(BIN) serve --db "$(DB)" --addr "$(ADDR)" --key-file "$(KEYS)"

generate: ## regenerate the sqlc code from sql/queries and the PostgreSQL migrations
	go tool sqlc generate

check-generated: ## fail when the committed sqlc code is stale
	@go tool sqlc diff || { echo "sqlc output is stale: run 'make generate' and commit internal/store/db"; exit 1; }

vet:
	go vet ./...

fmt-check:
	@out=$$(gofmt -l $(GO_FILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

test: assets chromium check-generated fmt-check vet ## every test, with the race detector, on SQLite and a throwaway PostgreSQL
	bash scripts/with-postgres.sh go test -race -count=1 -timeout 45m ./...
	bash scripts/fuzz.sh $(FUZZ_SMOKE_INPUTS) $(FUZZ_SMOKE)

# The fuzz targets that need no database run briefly in every `make test` (a count of inputs, not a time: Go
# 1.26 can fail a timed run at its end with no failing input, go.dev/issue/75804); the ones over a real store (HTTP
# bodies, the import files) build the whole SQLite engine with fuzzing instrumentation, which takes minutes, so
# only their seed corpora run there (as plain tests) and they fuzz in `make fuzz`.
FUZZ_SMOKE := ./internal/calendar ./internal/foi ./internal/mail ./internal/crypt
FUZZ_SMOKE_INPUTS := 30000x
FUZZTIME   ?= 60s

fuzz: ## run every fuzz target for FUZZTIME (default 60s) each
	bash scripts/fuzz.sh $(FUZZTIME)

chromium: ## install Debian's chromium for the browser tests when it is missing
	bash scripts/install-chromium.sh

bench: assets ## the Go benchmarks (benchstat-friendly output)
	bash scripts/with-postgres.sh go test -run '^$$' -bench . -benchmem -count 5 ./... | tee bench.txt

clean:
	rm -rf bin internal/web/static/dist bench.txt
