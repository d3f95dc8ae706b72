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
FUZZ_LIBFUZZER   ?= -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20 -max_len=16384
FUZZ_ENV         := RUSTC_BOOTSTRAP=1 ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0
FUZZ_DIR         := $(CURDIR)/fuzz

.PHONY: fuzz fuzz-tools fuzz-build fuzz-ci fuzz-seeds

# Installs cargo-fuzz into ~/.cargo/bin when missing (CI included); a no-op afterwards.
fuzz-tools:
	@$(CARGO) fuzz --version >/dev/null 2>&1 || $(CARGO) install --locked cargo-fuzz --version $(CARGO_FUZZ_PIN)

# One cargo invocation builds every target (shared dependency build).
fuzz-build: fuzz-tools
	$(FUZZ_ENV) $(CARGO) fuzz build --sanitizer $(FUZZ_SANITIZER)

# Each target runs FUZZ_SECONDS on its committed seeds plus the local corpus (fuzz/corpus/, not committed).
# A crash, leak-free panic, timeout or OOM fails the run; the reproducer lands in fuzz/artifacts/<target>/.
fuzz: fuzz-build
	@mkdir -p $(FUZZ_DIR)/logs
	@set -e; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t; \
		if ! $(FUZZ_ENV) $(CARGO) fuzz run --sanitizer $(FUZZ_SANITIZER) $$t \
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

# The bounded run `make test` uses.
fuzz-ci:
	$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(or $(FUZZ_CI_SECONDS),20)

# Regenerates the committed seed corpus (deterministic).
fuzz-seeds:
	python3 $(FUZZ_DIR)/seeds/make_seeds.py
