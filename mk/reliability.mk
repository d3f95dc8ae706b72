# Reliability suite (issue 9): fuzzing with cargo-fuzz/libFuzzer, and the bounded soak run of the fault tests.
# Included by the Makefile; usable alone too: `make -f mk/reliability.mk fuzz`.
#
# Only the stable toolchain is assumed. cargo-fuzz passes nightly-only flags (-Zsanitizer=address); a stable
# rustc accepts them with RUSTC_BOOTSTRAP=1, and the sanitizer runtimes ship with the stable toolchain.
# FUZZ_SANITIZER=none builds plain libFuzzer targets (coverage only, no ASan) without any -Z flag.

CARGO            ?= cargo
CARGO_FUZZ_PIN   := 0.13.2
FUZZ_TARGETS     ?= tf_msgpack tf_json tf_rpc emulator_request signing_verify
FUZZ_SECONDS     ?= 60
FUZZ_SANITIZER   ?= address
FUZZ_LIBFUZZER   ?= -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20 -max_len=16384 -detect_leaks=0
# Leak detection off: Rust leaks nothing unsafe here, and LSan's per-input scans cost 6x the throughput.
# Extra cargo profile settings; fuzz-ci builds at opt-level 1 without debug info (much quicker to build than
# the default opt-level 3 + debug info; the bounded CI run needs coverage, not peak execs per second).
FUZZ_PROFILE_ENV ?=
FUZZ_ENV         = RUSTC_BOOTSTRAP=1 ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0 $(FUZZ_PROFILE_ENV)
# Extra `cargo fuzz build/run` flags; fuzz-ci uses 16 codegen units (much quicker to build, a little slower to run).
FUZZ_BUILD_FLAGS ?=
FUZZ_DIR         := $(CURDIR)/fuzz
SOAK_ROUNDS      ?= 3

.PHONY: fuzz fuzz-tools fuzz-build fuzz-ci fuzz-seeds soak

# Installs cargo-fuzz into ~/.cargo/bin when missing (CI included); a no-op afterwards.
fuzz-tools:
	@$(CARGO) fuzz --version >/dev/null 2>&1 || $(CARGO) install --locked cargo-fuzz --version $(CARGO_FUZZ_PIN)

# One cargo invocation builds every target (shared dependency build).
fuzz-build: fuzz-tools
	$(FUZZ_ENV) $(CARGO) fuzz build --sanitizer $(FUZZ_SANITIZER) $(FUZZ_BUILD_FLAGS)

# Each target runs FUZZ_SECONDS on its committed seeds plus the local corpus (fuzz/corpus/, not committed).
# A crash, leak-free panic, timeout or OOM fails the run; the reproducer lands in fuzz/artifacts/<target>/.
fuzz: fuzz-build
	@mkdir -p $(FUZZ_DIR)/logs
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t; \
		if ! $(FUZZ_ENV) $(CARGO) fuzz run --sanitizer $(FUZZ_SANITIZER) $(FUZZ_BUILD_FLAGS) $$t \
			$(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/seeds/$$t -- \
			-max_total_time=$(FUZZ_SECONDS) $(FUZZ_LIBFUZZER) -print_final_stats=1 \
			> $(FUZZ_DIR)/logs/$$t.log 2>&1; then \
			tail -n 60 $(FUZZ_DIR)/logs/$$t.log; echo "fuzz target $$t FAILED (log: fuzz/logs/$$t.log)"; exit 1; \
		fi; \
		execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $(FUZZ_DIR)/logs/$$t.log | tail -n 1); \
		cov=$$(grep -o 'cov: [0-9]*' $(FUZZ_DIR)/logs/$$t.log | tail -n 1); \
		printf 'fuzz %-17s %10s execs in %ss, %s, corpus %s files, 0 crashes\n' \
			"$$t" "$$execs" "$(FUZZ_SECONDS)" "$$cov" "$$(ls $(FUZZ_DIR)/corpus/$$t | wc -l)"; \
	done

# The bounded run `make test` uses: FUZZ_CI_SECONDS per target (default 15; 0 skips).
FUZZ_CI_SECONDS ?= 15
fuzz-ci:
	@if [ "$(FUZZ_CI_SECONDS)" = "0" ]; then echo "fuzz-ci skipped (FUZZ_CI_SECONDS=0)"; else \
		$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_CI_SECONDS) \
			FUZZ_BUILD_FLAGS="$(or $(FUZZ_BUILD_FLAGS),--codegen-units 16)" \
			FUZZ_PROFILE_ENV="$(or $(FUZZ_PROFILE_ENV),CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_DEBUG=0)"; fi

# Regenerates the committed seed corpus (deterministic).
fuzz-seeds:
	python3 $(FUZZ_DIR)/seeds/make_seeds.py

# The fault suite (20 notebooks, ~30 % failing requests; create, update, destroy) over SOAK_ROUNDS more seeds,
# one after another, with the figures on stderr. `make test` runs it once with the default seed.
soak: tools
	@set -e; for i in $$(seq 1 $(SOAK_ROUNDS)); do \
		seed=$$((1000 * i + 9)); echo "soak round $$i/$(SOAK_ROUNDS): RELIABILITY_SEED=$$seed"; \
		RELIABILITY_SEED=$$seed $(CARGO) test --test acceptance reliability_ -- --nocapture --test-threads=1 2>&1 \
			| grep -E '^reliability:|^test |test result' ; \
	done
