# Release archives in the layout registries and provider mirrors expect (scripts/package.sh):
#   dist/terraform-provider-modelarts_$(PROVIDER_VERSION)_$(PLATFORM).zip, ..._SHA256SUMS, ..._manifest.json
#   dist/mirror/terraform.local/local/modelarts/<zip>   (a packed filesystem mirror)

DIST_DIR ?= $(CURDIR)/dist

.PHONY: release

release:
	$(CARGO) build --release --bin terraform-provider-$(PROVIDER_TYPE)
	scripts/package.sh $(RELEASE_BIN) $(PROVIDER_VERSION) $(DIST_DIR) $(PLATFORM)
