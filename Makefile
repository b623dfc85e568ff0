# privaks — the two commands of the README:
#   go run ./cmd/privaks plan     compile the embedded reference design
#   make test                     install what tests need, then run them all

GO ?= go

.PHONY: test test-deps unit build lint bench fuzz tf-validate

# Everything CI checks: the test packages' tools, tidy/gofmt/vet/staticcheck,
# every test, then every fuzz target for 3000 inputs.
test: test-deps lint unit fuzz

unit:
	$(GO) test ./...

# Debian's bind9 (named, dig), cloud-init, shellcheck and chromium: the integration
# tests run the real programs and fail (never skip) when they are missing.
test-deps:
	@bash scripts/install-test-deps.sh

# A static binary: without cgo (privaks uses none; the net package's cgo
# resolver is all it would link) no dynamic loader and libc run at every
# start-up (docs/verify.md, "Start-up").
build:
	CGO_ENABLED=0 $(GO) build -o bin/privaks ./cmd/privaks

lint:
	@GO=$(GO) sh scripts/lint.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# A count, not a duration: with a duration Go 1.26's fuzz coordinator can
# report its own deadline as a failure ("context deadline exceeded", no
# crasher; golang/go#75804, fixed in Go 1.27).
FUZZTIME ?= 3000x
fuzz:
	@GO=$(GO) FUZZTIME=$(FUZZTIME) sh scripts/fuzz-all.sh

# terraform validate on the module `plan --format terraform` writes, with the
# azurerm and azapi providers given as binaries or checkouts (they cannot be
# downloaded here): make tf-validate PROVIDER_BIN=… AZAPI_BIN=… (or
# PROVIDER_SRC=…, AZAPI_SRC=…). Not part of `make test` (docs/terraform.md).
tf-validate:
	@GO=$(GO) PROVIDER_BIN="$(PROVIDER_BIN)" PROVIDER_SRC="$(PROVIDER_SRC)" AZAPI_BIN="$(AZAPI_BIN)" AZAPI_SRC="$(AZAPI_SRC)" \
		SPEC="$(SPEC)" TERRAFORM="$(TERRAFORM)" sh scripts/tf-validate.sh
