# Ensemble: `make run` serves the demo on http://127.0.0.1:8080; `make test` runs every suite.
.PHONY: run build build-server test test-fast test-tsan bench deps web-deps docs-deps clean fuzz nightly

JOBS ?= 2
.DEFAULT_GOAL := build

# `make run` needs the server alone; `make build` adds the test programs.
build-server:
	scripts/deps.sh build
	cmake --preset default
	cmake --build --preset default -j$(JOBS) --target ensemble

build: build-server
	cmake --build --preset default -j$(JOBS)

web-deps:
	cd web && (test -d node_modules && test node_modules/.package-lock.json -nt package-lock.json || npm ci --no-audit --no-fund)

# The OpenAPI validator of docs/openapi.yaml (tests/http/test_openapi.py runs it when installed).
docs-deps:
	test -d docs/node_modules && test docs/node_modules/.package-lock.json -nt docs/package-lock.json || npm ci --prefix docs --no-audit --no-fund

run: build-server web-deps
	mkdir -p data
	build/bin/ensemble serve --demo

# Every suite (Boost.Test on SQLite and PostgreSQL, HTTP, browser, a short libFuzzer run of each target)
# against the ASan+UBSan build: any memory error, leak or undefined behaviour fails the run.
test:
	scripts/deps.sh test
	cmake --preset asan && cmake --build --preset asan -j$(JOBS)
	cmake --preset fuzz && cmake --build --preset fuzz -j$(JOBS) --target fuzzers
	$(MAKE) web-deps
	$(MAKE) docs-deps
	ENSEMBLE_BUILD_DIR=build-asan scripts/test.sh

# The same suites (without fuzzing) against the optimised build, quicker while developing.
test-fast:
	scripts/deps.sh test
	$(MAKE) build
	$(MAKE) web-deps
	$(MAKE) docs-deps
	ENSEMBLE_SUITES="unit http browser" scripts/test.sh

test-tsan:
	scripts/deps.sh test
	cmake --preset tsan && cmake --build --preset tsan -j$(JOBS)
	ENSEMBLE_BUILD_DIR=build-tsan ENSEMBLE_SUITES="unit http" scripts/test.sh

nightly:
	ENSEMBLE_LONG=1 $(MAKE) test

bench:
	scripts/deps.sh bench
	bench/run

# A long fuzzing run (ENSEMBLE_LONG=1: 10 minutes per target).
fuzz:
	scripts/deps.sh test
	cmake --preset fuzz && cmake --build --preset fuzz -j$(JOBS) --target fuzzers
	scripts/fuzz.sh

clean:
	rm -rf build build-asan build-tsan build-release build-fuzz
