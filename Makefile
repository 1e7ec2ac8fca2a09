# EcoCredit — two commands on a fresh Debian 12 machine with Swift: `make run` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBS := libgeos-dev libproj-dev proj-data libshp-dev libsqlite3-dev valgrind pkg-config
# `make serve` zips the samples and uploads them; `make load` drives the service with wrk.
DEBS += zip curl wrk sqlite3
# The registry's second back end: a throw-away cluster for the tests (.ci/with-postgres.sh).
DEBS += postgresql postgresql-contrib
# For the annex's PDF and its browser test: headless Chromium, a CJK font, and poppler's pdftotext.
DEBS += chromium fonts-noto-cjk poppler-utils
BUNDLES := $(sort $(wildcard geodata/*/))
# Release builds (bench, load) link the Swift runtime and Foundation statically: a binary that
# needs no Swift installed and starts ≈ 10 ms sooner (60 → 47 shared libraries to load and relocate).
RELEASE := -c release --static-swift-stdlib

.PHONY: deps build test run serve load lint leakcheck fuzz geodata bench clean openapi openapi-check

## deps: install the Debian packages (idempotent; apt-get update only when something is missing)
deps:
	@missing=$$(for p in $(DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "deps: all of $(DEBS) installed"; fi

build: deps
	$(SWIFT) build

## lint: GEOS 3.11 leaks some non-reentrant names through GEOS_USE_ONLY_R_API; keep them out.
lint:
	@bad=$$(grep -rnE '\bGEOS[A-Za-z_]+\(' Sources --include=*.swift | grep -oE '\bGEOS[A-Za-z_]+\(' | sort -u \
	  | grep -vE '_r\($$|^GEOSversion\($$|^GEOSContext\($$|^GEOSGeometry\($$|^GEOSError\($$' || true); \
	if [ -n "$$bad" ]; then echo "lint: non-reentrant GEOS calls found:"; echo "$$bad"; exit 1; else echo "lint: only reentrant GEOS calls"; fi
	@# The registry counts in integers only (fen, base units, centimetres): no floating point.
	@if grep -rnE '\b(Double|Float|CGFloat|Decimal)\b' Sources/8-Registry; then echo "lint: floating point in the registry"; exit 1; \
	  else echo "lint: no floating point in the registry"; fi
	@# The rules know no storage and no geometry: no GRDB, PostgresNIO, GEOS, PROJ or GeoCore in Sources/8-Registry/Registry.
	@if grep -rnE '^import (GRDB|PostgresNIO|CGEOS|CPROJ|CShapelib|GeoCore|Hummingbird)' Sources/8-Registry/Registry; then \
	  echo "lint: the registry's rules import storage or geometry"; exit 1; else echo "lint: the registry's rules import no storage or geometry"; fi

## openapi: regenerate the service's types from its contract (Sources/9-Service/ServiceAPI/openapi.yaml)
## with swift-openapi-generator's command plugin, into ServiceAPI/GeneratedSources/ (committed:
## no build plugin, so a clean build does not build the generator).
openapi: deps
	$(SWIFT) package --allow-writing-to-package-directory generate-code-from-openapi --target ServiceAPI

## openapi-check: regenerate and fail when the committed types are not what the document makes.
openapi-check: openapi
	@git diff --exit-code --stat -- Sources/9-Service/ServiceAPI/GeneratedSources \
	  && test -z "$$(git status --porcelain -- Sources/9-Service/ServiceAPI/GeneratedSources)" \
	  && echo "openapi-check: the committed types are what openapi.yaml generates" \
	  || { echo "openapi-check: openapi.yaml and the committed types differ: run make openapi and commit"; exit 1; }

## test: the whole suite (installs what it needs)
test: deps lint
	$(SWIFT) build --build-tests
	@# The whole suite beside a throw-away PostgreSQL cluster, so the ledger's conformance tests
	@# run on both back ends (the PostgreSQL half fails rather than skips when ECOCREDIT_REQUIRE_PG is set).
	.ci/with-postgres.sh $(SWIFT) test --skip-build --disable-swift-testing
	@# Every geodata/ bundle gives the same findings, values, verdicts and quantities as release
	@# 0.3.0 recorded (tools/results_facts.py; presentation and statuses aside).
	python3 tools/results_facts.py check .build/debug/ecocredit tools/results-0.3.0
	@# The bench workloads (tools/workloads: 10 km of the gentle and the wavy shoreline) against
	@# 0.4.0's facts recorded before the output and crossing changes of issue #19.
	python3 tools/results_facts.py check .build/debug/ecocredit tools/results-0.4.0
	@# The pages in Debian's headless Chromium against a live `ecocredit serve` (upload, officer
	@# desk, public register); screenshots kept in out/browser/ as the test's artifacts.
	python3 tools/browser_test.py .build/debug/ecocredit out/browser
	@# The contract: schemathesis against the live service's own /openapi.yaml.
	tools/contract_test.sh .build/debug/ecocredit
	@# Two instances on one PostgreSQL: sessions across them, 20 uploads each run once, 32
	@# conflicting registry commands (one wins, one chain), an instance killed -9 mid-job.
	.ci/with-postgres.sh python3 tools/multi_instance_test.py .build/debug/ecocredit out/multi

## run: the main job on geodata/, with the binary built once: verify every sample bundle, measure
## each into out/measure/NAME/, write its annex into out/annex/NAME/, then one table of every
## bundle: verdict, quantity and its status. A check that passes under a rulebook not in force,
## or with example coefficients, exits 3 (for reference only): expected for the samples.
ECO := .build/debug/ecocredit
run: build
	$(ECO) verify $(BUNDLES)
	@for b in $(BUNDLES); do n=$$(basename $$b); $(ECO) measure $$b -o out/measure/$$n > out-measure-$$n.log || { cat out-measure-$$n.log; exit 1; }; rm -f out-measure-$$n.log; done
	@for b in $(BUNDLES); do n=$$(basename $$b); $(ECO) annex $$b -o out/annex/$$n || exit 1; done
	$(ECO) split --total-fen 10000000000 --sale inter-city --social-share 0.6 --district 陆丰市
	@printf '\n%-24s %-8s %-16s %s\n' bundle verdict quantity status
	@for b in $(BUNDLES); do n=$$(basename $$b); $(ECO) check $$b --json > out/check-$$n.json; st=$$?; \
	  [ $$st -le 3 ] || exit 1; python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); q=[x for x in d["quantities"] if "[" not in x["id"]]; q=q[-1] if q else {}; print("%-24s %-8s %-16s %s%s" % (sys.argv[2], d["overall"], (q.get("units") is not None and "%s %s" % (("%%.%df" % q["decimals"]) % (q["units"] / 10**q["decimals"]), q["unit"])) or "—", q.get("status","—"), "".join("  [" + r["code"] + "]" for r in d.get("reasons", []))))' out/check-$$n.json $$n; done

## serve: the HTTP service on 127.0.0.1:8080 (SERVE_PORT) on a fresh data folder in out/service/,
## under the bureau test rulebooks (tools/registry-scenario/; nothing official); once it is up,
## tools/serve_demo.py uploads every geodata/ bundle and makes a demo registry through the API (a
## voucher issued and listed, a lot from each Shanwei job, two auctioned), and prints the demo
## accounts and where to open the pages. Stop it with Ctrl-C (graceful shutdown).
SERVE_PORT ?= 8080
serve: build
	@rm -rf out/service && mkdir -p out/service/data
	@python3 tools/serve_demo.py $(ECO) out/service/data $(SERVE_PORT) &
	$(ECO) serve --port $(SERVE_PORT) --data out/service/data \
	  --rulebook tools/registry-scenario/jiangyin-bureau-test.json --rulebook tools/registry-scenario/shanwei-bureau-test.json

## load: a bounded load test of the service on loopback (release build), on SQLite then on
## PostgreSQL (a throw-away cluster): 50 clients reading the
## public register and 4 uploading bundles at once for LOAD_SECONDS (60); throughput, p50/p99,
## errors, jobs done and the server's peak memory (tools/load_test.sh). Not a test.
load: deps
	$(SWIFT) build $(RELEASE) --product ecocredit
	tools/load_test.sh .build/release/ecocredit
	ECOCREDIT_PG_DURABLE=1 .ci/with-postgres.sh sh -c 'LOAD_POSTGRES=$$ECOCREDIT_TEST_PG_URL tools/load_test.sh .build/release/ecocredit'

## geodata: rebuild the synthetic sample bundles
geodata: build
	rm -rf geodata/*/
	$(SWIFT) run ecocredit-geodata geodata

## leakcheck: AddressSanitizer + LeakSanitizer over the whole test suite
leakcheck: deps
	@# The ledger's PostgreSQL half runs in make test; here it skips with its notice.
	@# ECOCREDIT_CORE_ONLY: the service (Hummingbird, SwiftNIO) is left out of this build (Package.swift).
	env -u ECOCREDIT_REQUIRE_PG -u ECOCREDIT_TEST_PG_URL ECOCREDIT_CORE_ONLY=1 LSAN_OPTIONS=suppressions=$(CURDIR)/.ci/lsan.supp:print_suppressions=0 ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0 \
	  $(SWIFT) test --disable-swift-testing --sanitize=address --scratch-path .build-asan

## fuzz: libFuzzer (with AddressSanitizer) over the shapefile, DBF, GeoJSON, manifest and zip
## readers and over whole bundles through verify → measure → check (a sample bundle with one
## file replaced or bit-flipped: manifest, parameters, .prj, .cpg, geometry), from fuzz/corpus
## and fuzz/regressions, for FUZZ_SECONDS (default 60). A crash writes its input to
## .build-fuzz/artifacts/; copy it to fuzz/regressions/ (make test replays every file there).
FUZZ_SECONDS ?= 60
fuzz: deps
	ECOCREDIT_CORE_ONLY=1 $(SWIFT) build -c release --scratch-path .build-fuzz --product EcoCreditFuzz \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DECOCREDIT_FUZZ
	mkdir -p .build-fuzz/corpus .build-fuzz/artifacts
	LSAN_OPTIONS=suppressions=$(CURDIR)/.ci/lsan-fuzz.supp:print_suppressions=0 \
	.build-fuzz/release/EcoCreditFuzz -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
	  -print_final_stats=1 -artifact_prefix=.build-fuzz/artifacts/ .build-fuzz/corpus fuzz/corpus fuzz/regressions

## bench: first what users run — the whole `ecocredit measure` process with its default outputs,
## against the Python peer's fastest whole pipeline (bench/peer_measure.py: shapely 2, an STRtree
## over the beach cut into 200 m cells, pyproj), on the gentle and the wavy shoreline (tight bends,
## most transects crossing) at 100 and 1000 km, BENCH_RUNS interleaved rounds, medians, ranges and
## peak memory (bench/whole.py); the README's performance claims come from that table only.
## Then slices, labelled as slices: phases timed inside ecocredit-bench against bench/peer.py and a
## C floor (bench/cfloor.c), and the parcels workload. Release build. Not a test.
BENCH := .build/bench
BENCH_RUNS ?= 5
bench: deps
	# One product per `swift build`: given two `--product`s, SwiftPM builds only the last.
	$(SWIFT) build $(RELEASE) --product ecocredit
	$(SWIFT) build $(RELEASE) --product ecocredit-bench
	mkdir -p $(BENCH)
	cc -O2 bench/cfloor.c $$(pkg-config --cflags --libs geos shapelib) -lm -o $(BENCH)/cfloor
	cc -O2 bench/startfloor.c $$(pkg-config --cflags --libs geos proj shapelib sqlite3) -o $(BENCH)/startfloor
	[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
	bench/.venv/bin/python -c "import shapely, pyproj, shapefile, numpy" 2>/dev/null || bench/.venv/bin/pip install -q shapely pyproj pyshp numpy
	rm -f $(BENCH)/*.json
	@for km in 1 100 1000; do \
	  .build/release/ecocredit-bench shoreline $$km --keep $(BENCH)/gentle-$$km --generate-only || exit 1; \
	  .build/release/ecocredit-bench wavy $$km --keep $(BENCH)/wavy-$$km --generate-only || exit 1; done; sync
	bench/.venv/bin/python bench/whole.py .build/release/ecocredit bench/.venv/bin/python $(BENCH) $(BENCH_RUNS) $(BENCH)/startfloor | tee $(BENCH)/whole.md
	@echo; echo "## Slices (phases timed inside the programs; not what a user runs)"
	@for km in 1 100 1000; do \
	  .build/release/ecocredit-bench shoreline $$km --keep $(BENCH)/shoreline-$$km --generate-only || exit 1; done; sync
	@for r in $$(seq 1 $(BENCH_RUNS)); do for km in 1 100 1000; do \
	    .build/release/ecocredit-bench shoreline $$km --keep $(BENCH)/shoreline-$$km --existing --json $(BENCH)/ours-shoreline-$$km.$$r.json || exit 1; \
	    bench/.venv/bin/python bench/peer.py shoreline $(BENCH)/shoreline-$$km --json $(BENCH)/peer-shoreline-$$km.$$r.json || exit 1; \
	    $(BENCH)/cfloor $(BENCH)/shoreline-$$km $(BENCH)/cfloor-shoreline-$$km.$$r.json || exit 1; done; done
	@for n in 10000 100000; do \
	  .build/release/ecocredit-bench parcels $$n --keep $(BENCH)/parcels-$$n --generate-only || exit 1; sync; \
	  for r in $$(seq 1 $(BENCH_RUNS)); do \
	    .build/release/ecocredit-bench parcels $$n --keep $(BENCH)/parcels-$$n --existing --json $(BENCH)/ours-parcels-$$n.$$r.json || exit 1; \
	    bench/.venv/bin/python bench/peer.py parcels $(BENCH)/parcels-$$n --json $(BENCH)/peer-parcels-$$n.$$r.json || exit 1; done; done
	bench/.venv/bin/python bench/table.py $(BENCH)

clean:
	rm -rf .build .build-asan .build-fuzz
