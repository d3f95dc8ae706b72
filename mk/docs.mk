# Docs in the Terraform Registry layout (docs/index.md, docs/resources, docs/data-sources, docs/guides), rendered
# by our generator (src/docgen) from the provider schema, docs/templates/ and examples/. `make test` fails when the
# committed pages differ from the rendered ones (docgen::tests::committed_docs_are_current).

.PHONY: docs docs-check

docs:
	$(CARGO) run --quiet --example docgen

docs-check:
	$(CARGO) run --quiet --example docgen -- --check
