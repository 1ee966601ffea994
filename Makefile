# countyhub: `make run` starts the hub, `make test` runs every test.
# Both honour the COUNTYHUB_* environment variables (see README.md).

GO ?= go
BIN := bin/countyhub

PLUGINS := bin/plugins

.PHONY: run build plugins test test-unit test-mongodb test-postgresql fuzz lint bench bench-scale generate web load check-generated clean

## run: build the hub and its importers, pin them, and start the hub with
## the embedded database in ./data; on an empty database it loads the demo
## data set (the Anqing bulletin's six counties and the city)
run: build plugins
	./$(BIN) serve --plugins "$${COUNTYHUB_PLUGINS:-$(PLUGINS)}" --demo="$${COUNTYHUB_DEMO:-true}" --anonymous-read="$${COUNTYHUB_ANONYMOUS_READ:-true}"

## build: build the countyhub binary into bin/
build:
	$(GO) build -o $(BIN) .

## plugins: build every importer under importers/ into bin/plugins and pin them
plugins: build
	@mkdir -p $(PLUGINS)
	$(GO) build -o $(PLUGINS)/ ./importers/...
	./$(BIN) plugins pin --plugins $(PLUGINS)

## bench: benchmarks that print ratios measured side by side in one run:
## the plugin stream against in-process records and plugin start against a
## trivial binary; a 200,000-row import through a plugin against a plain
## InsertMany loop (a few minutes on the embedded database); compare with
## 10,000 against 1,000,000 observations behind it, and through GraphQL
## against the direct call; page 400 of the stations against page 1; the
## whole path of `countyhub import --publish` of a stations CSV against a
## plain encoding/csv + InsertMany loader on one embedded-db server
## (BENCH_ROWS rows, default 100000)
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./importers/example
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 30m ./pipeline
	$(GO) test -run '^$$' -bench . -benchtime 1x -timeout 30m ./analytics
	$(GO) test -run '^$$' -bench StationPages -benchtime 1x ./graph
	COUNTYHUB_BENCH_ROWS=$${BENCH_ROWS:-100000} $(GO) test -run '^$$' -bench ImportPathVsPlainLoader -benchtime 1x -timeout 60m ./e2e

## bench-scale: province-scale ratios measured side by side in one run:
## publishing one county, and the first comparisons after it, in a hub
## that holds all 104 counties of Anhui against one that holds that county
## alone (about 15 minutes on the embedded database)
bench-scale:
	$(GO) test -run '^$$' -bench PublishAtProvinceScale -benchtime 1x -timeout 60m ./pipeline

## load: start a demo hub and replay the dashboard's queries against it
## from CLIENTS (20) clients for DURATION (60s); prints throughput, p50 and
## p99 latency and the error count. HOSTILE=N runs the replay again beside
## N hostile clients and prints the dashboard clients' p50 and p99 without
## and with them, side by side
load: build plugins
	scripts/load.sh ./$(BIN) $(PLUGINS)

## test: vet, lint, every test on the embedded database, then the store,
## GraphQL and command tests again against a MongoDB given by MONGODB_URI
## (a second embedded server, started by scripts/test-mongodb-uri.sh) and on
## FerretDB over PostgreSQL (scripts/test-postgresql.sh), then every fuzz
## target for a few seconds
test: lint test-unit test-mongodb test-postgresql fuzz

test-unit:
	$(GO) test -count=1 ./...

test-mongodb: build
	scripts/test-mongodb-uri.sh ./$(BIN)

## test-postgresql: the same tests against FerretDB on PostgreSQL: a
## throwaway PostgreSQL server from the system's packages (Debian:
## postgresql), or the database POSTGRESQL_URL names
test-postgresql: build
	scripts/test-postgresql.sh ./$(BIN)

## fuzz: run every fuzz target of the module for FUZZTIME each (default 5s),
## one after the other; FUZZ=regexp picks some
fuzz:
	GO="$(GO)" scripts/fuzz.sh

## lint: go.mod tidy, third_party/go-plugin as its script writes it, go vet
## and staticcheck (pinned in go.mod); generated code is skipped
lint:
	$(GO) mod tidy -diff || { echo "go.mod is not tidy: run go mod tidy and commit"; exit 1; }
	GO="$(GO)" scripts/go-plugin-fork.sh --check
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

## generate: regenerate the GraphQL executor and models, the protocol
## code and the web bundle (web/dist, from web/ui's npm lockfile)
generate:
	$(GO) generate ./...

## web: rebuild only the web bundle (needs Node.js and npm)
web:
	$(GO) generate ./web

## check-generated: fail when regeneration changes a committed file
check-generated: generate
	git diff --exit-code -- . || { echo "generated code is out of date: run make generate and commit"; exit 1; }

clean:
	rm -rf bin
