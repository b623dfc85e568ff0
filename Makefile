# privaks — the two commands of the README:
#   go run ./cmd/privaks plan     compile the embedded reference design
#   make test                     install what tests need, then run them all

GO ?= go

.PHONY: test test-deps unit build lint bench fuzz

# Everything CI checks: the test packages' tools, tidy/gofmt/vet/staticcheck,
# every test, then every fuzz target for 10 s.
test: test-deps lint unit fuzz

unit:
	$(GO) test ./...

# Debian's bind9 (named, dig), cloud-init, shellcheck and chromium: the integration
# tests run the real programs and fail (never skip) when they are missing.
test-deps:
	@bash scripts/install-test-deps.sh

build:
	$(GO) build -o bin/privaks ./cmd/privaks

lint:
	@GO=$(GO) sh scripts/lint.sh

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

FUZZTIME ?= 10s
fuzz:
	@GO=$(GO) FUZZTIME=$(FUZZTIME) sh scripts/fuzz-all.sh
