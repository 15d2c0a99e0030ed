# The two commands a newcomer needs (README.md): `make run` and `make test`.
# Both install what is missing (tools/setup-debian.sh), configure and build first.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
# libFuzzer: seconds per target for `make fuzz`, and for the bounded run inside `make test`.
FUZZ_SECONDS    ?= 600
FUZZ_CI_SECONDS ?= 20
FUZZ_TARGETS    := ingest rules normalize
JOBS       ?= $(shell nproc)
DB         ?= baro.db
SAMPLE     ?= data/sample/enquete-2026.csv
BARO       := $(BUILD)/bin/baro

# ccache makes rebuilds much cheaper when it is there. Deferred (`=`): on a fresh machine
# ccache only exists once `setup` has run, which is after this file is read.
LAUNCHER = $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR := $(CURDIR)
# The tests' precompiled header (tests/CMakeLists.txt) is cacheable only with this sloppiness.
export CCACHE_SLOPPINESS := pch_defines,time_macros,include_file_mtime,include_file_ctime

.PHONY: all setup setup-fuzz build build-asan build-fuzz run test test-release test-asan test-fuzz fuzz bench install clean

all: build

setup:
	@tools/setup-debian.sh --with-browser

setup-fuzz:
	@tools/setup-debian.sh --with-browser --with-fuzz

# Optimised as shipped, with line tables only (-g1): enough for backtraces, perf and callgrind
# with file:line, and about a third less compile time than the full -g, which counts twice in
# `make test`'s budget. Configure a tree of your own with -g for a debugger session.
RELEASE_FLAGS := -O2 -g1 -DNDEBUG
$(BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(RELEASE_FLAGS)" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$(RELEASE_FLAGS)" $(LAUNCHER)

build: setup $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(ASAN_BUILD)/CMakeCache.txt: | setup
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DBARO_SANITIZE=ON -DBARO_UNITY_BUILD=ON $(LAUNCHER)

build-asan: setup $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# The libFuzzer targets (tests/fuzz/), built by clang with ASan + UBSan in their own tree.
$(FUZZ_BUILD)/CMakeCache.txt: | setup-fuzz
	CC=clang CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBARO_FUZZ=ON \
	  -DBARO_BUILD_TESTS=OFF $(LAUNCHER)

build-fuzz: setup-fuzz $(FUZZ_BUILD)/CMakeCache.txt
	cmake --build $(FUZZ_BUILD) -j $(JOBS) $(addprefix --target fuzz_,$(FUZZ_TARGETS))

# Runs each target for FUZZ_SECONDS (default 600), one after the other, starting from the
# committed seeds; new inputs go to $(FUZZ_BUILD)/corpus/TARGET, crashes to
# $(FUZZ_BUILD)/artifacts/TARGET/. `make fuzz FUZZ_SECONDS=60 FUZZ_TARGETS=rules` narrows it.
fuzz: build-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  tools/run-fuzzer.sh $(FUZZ_BUILD) $$t $(FUZZ_SECONDS) || exit 1; \
	done

# A bounded run (FUZZ_CI_SECONDS per target, from the committed seeds only), e.g. before a
# release or after a change to a reader: `make test-fuzz`.
test-fuzz: build-fuzz
	@for t in $(FUZZ_TARGETS); do \
	  tools/run-fuzzer.sh --fresh $(FUZZ_BUILD) $$t $(FUZZ_CI_SECONDS) || exit 1; \
	done

# Creates (or reuses) baro.db, imports the bundled sample (a no-op the second time) and
# prints the barometer's summary.
run: build
	$(BARO) init --db $(DB)
	$(BARO) classify --db $(DB) $(SAMPLE)
	$(BARO) report --db $(DB)

# Every test, in the normal build and again under AddressSanitizer + UBSan (which replays the
# committed fuzz corpora too). The fuzzers themselves run in `make fuzz`: their bounded run
# needed a third, clang-built tree, about 5 of the 25 minutes `make test` may take on 2 cores,
# for 20 s of exploration per target (docs/reliability.md, "Fuzzing").
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
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
