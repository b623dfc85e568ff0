# privaks — the two commands of the README:
#   go run ./cmd/privaks plan     compile the embedded reference design
#   make test                     install what tests need, then run them all

GO ?= go

.PHONY: test test-deps build lint bench fuzz

test: test-deps
	$(GO) vet ./...
	$(GO) test ./...

# Debian's bind9 (named, dig), cloud-init and shellcheck: the integration
# tests run the real programs and fail (never skip) when they are missing.
test-deps:
	@bash scripts/install-test-deps.sh

build:
	$(GO) build -o bin/privaks ./cmd/privaks

lint:
	@command -v staticcheck >/dev/null || $(GO) install honnef.co/go/tools/cmd/staticcheck@latest
	gofmt -l . | (! grep .)
	$(GO) vet ./...
	staticcheck ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test ./internal/spec -run '^$$' -fuzz FuzzParse -fuzztime 30s
