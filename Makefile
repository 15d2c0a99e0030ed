# The two commands a newcomer needs (README.md): `make run` and `make test`.
# Both install what is missing (tools/setup-debian.sh), configure and build first.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
DB         ?= baro.db
SAMPLE     ?= data/sample/enquete-2026.csv
BARO       := $(BUILD)/bin/baro

# ccache makes rebuilds (and the second, sanitized tree) much cheaper when it is there.
LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR := $(CURDIR)

.PHONY: all setup build build-asan run test test-release test-asan bench install clean

all: build

setup:
	@tools/setup-debian.sh --with-browser

$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(LAUNCHER)

build: setup $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBARO_SANITIZE=ON $(LAUNCHER)

build-asan: setup $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# Creates (or reuses) baro.db, imports the bundled sample (a no-op the second time) and
# prints the barometer's summary.
run: build
	$(BARO) init --db $(DB)
	$(BARO) classify --db $(DB) $(SAMPLE)
	$(BARO) report --db $(DB)

# Every test, in the normal build and again under AddressSanitizer + UBSan.
test: test-release test-asan

test-release: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

test-asan: build-asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# Performance: generates 100k and 1M-initiative batches, then times `baro classify` end to end
# next to each stage alone and the Python `re` baseline (docs/performance.md). Never part of
# `make test`. BENCH_ARGS passes options to bench/run_bench.py (e.g. --rows 100000 --reps 1).
bench: setup $(BUILD)/CMakeCache.txt
	cmake -S . -B $(BUILD) -DBARO_BUILD_BENCHMARKS=ON
	cmake --build $(BUILD) -j $(JOBS) --target baro baro_bench_stages
	python3 bench/run_bench.py --build $(BUILD) $(BENCH_ARGS)

install: build
	cmake --install $(BUILD) --prefix $(or $(PREFIX),/usr/local)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
