# foidesk: the two set-up commands are `make run` and `make test`; the rest are for developers.
SHELL := /bin/bash
.DEFAULT_GOAL := run

DB        ?= ./foidesk.db
ADDR      ?= 127.0.0.1:8080
BIN       := bin/foidesk
PASSWORDS := .foidesk-demo-passwords
GO_FILES  := $(shell git ls-files '*.go' 2>/dev/null)

.PHONY: run test bench build assets generate check-generated vet fmt-check clean help

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
	@echo
	@echo "foidesk: demo sign-ins (email, role, party, password; kept in $(PASSWORDS)):"
	@sed 's/^/  /' $(PASSWORDS)
	@echo
	@echo "Open http://$(ADDR)/ and sign in as any of them. Ctrl-C stops the server."
	@echo
	$(BIN) serve --db "$(DB)" --addr "$(ADDR)"

generate: ## regenerate the sqlc code from sql/queries and the PostgreSQL migrations
	go tool sqlc generate

check-generated: ## fail when the committed sqlc code is stale
	@go tool sqlc diff || { echo "sqlc output is stale: run 'make generate' and commit internal/store/db"; exit 1; }

vet:
	go vet ./...

fmt-check:
	@out=$$(gofmt -l $(GO_FILES)); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

test: assets check-generated fmt-check vet ## every test, with the race detector, on SQLite and a throwaway PostgreSQL
	bash scripts/with-postgres.sh go test -race -count=1 ./...

bench: assets ## the Go benchmarks (benchstat-friendly output)
	bash scripts/with-postgres.sh go test -run '^$$' -bench . -benchmem -count 5 ./... | tee bench.txt

clean:
	rm -rf bin internal/web/static/dist bench.txt
