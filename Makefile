# n64 — see README.md. Every target works on a fresh Debian machine after
# .ci/run's installs; `make test` is the gate CI runs.

GO       ?= go
BIN      := bin/n64
SHARED   ?= ../shared
ROM      ?=
BENCH_ROM ?= $(SHARED)/roms/krom/CPUTest/CPU/ADD/CPUADD.N64.gz
FRAMES   ?= 120
STATICCHECK_VERSION := v0.8.2

# krom kinds `make test` runs as a regression gate: every ROM must pass
# except those in internal/harness/known_failures.tsv (each with its
# reason). `make test-long` runs every kind and n64-systemtest.
GATE_KINDS ?= cpu,cpu-cop0,cpu-cop1,cpu-system,rsp,rdp-test,input,sound,video,interrupt,system,rdp,rsp-demo,rsp-xbus

.PHONY: build run run-headless test test-long test-arm64 bench bench-netplay lint check-imports fuzz-short

build:
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./cmd/n64

# `make run` opens the player: the built-in demo, or ROM=path/to/game.z64.
run: build
	./$(BIN) play $(ROM)

# Without a display: run ROM for FRAMES frames and write out.png.
run-headless: build
	./$(BIN) run --headless --frames $(FRAMES) --screenshot out.png $(or $(ROM),$(BENCH_ROM))
	@echo "wrote out.png"

test: check-imports
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	CGO_ENABLED=0 $(GO) test $$($(GO) list ./... | grep -v /internal/harness)
	$(GO) test -race ./core/...
	N64_NETPLAY_LONG=1 CGO_ENABLED=0 $(GO) test -count=1 -timeout 15m -run 'TestCPU2PlayerLong' ./netplay/client
	$(MAKE) --no-print-directory fuzz-short
	N64_KROM_KINDS=$(GATE_KINDS) $(GO) test -count=1 -v -run 'TestKrom$$|TestKromSound|TestSystemtest' ./internal/harness

test-long: test test-arm64
	N64_KROM_KINDS=all N64_KROM_REPORT=1 $(GO) test -count=1 -timeout 60m -v -run 'TestKrom$$|TestSystemtest' ./internal/harness

# The CPU tests (FPU results included) on arm64 under qemu-user, so an
# amd64 and an arm64 player are proven to compute the same bits (DESIGN.md
# §7). Needs Debian's qemu-user.
test-arm64:
	@command -v qemu-aarch64 >/dev/null || { echo "test-arm64 needs qemu-aarch64 (apt-get install qemu-user)"; exit 1; }
	CGO_ENABLED=0 GOARCH=arm64 $(GO) test -c -o bin/cpu.arm64 ./core/cpu
	qemu-aarch64 bin/cpu.arm64

bench:
	$(GO) test -run NONE -bench . -benchtime 2s ./core/cpu ./core/memory ./core/rsp ./core/rdp
	$(MAKE) --no-print-directory build
	./$(BIN) bench --frames 300 $(BENCH_ROM)

# NETPLAY.md §8's load: 10 rooms × 4 players × 120 input events/s for
# NETPLAY_SECONDS against a server in its own process (CPU, RSS,
# allocations per datagram, request→reply p50/p99), then the protocol
# path's allocations per packet in-process.
NETPLAY_SECONDS ?= 30
bench-netplay:
	N64_NETPLAY_LOAD=1 N64_NETPLAY_LOAD_SECONDS=$(NETPLAY_SECONDS) $(GO) test -count=1 -timeout 10m -run '^TestLoad$$' -v ./netplay/server
	$(GO) test -run NONE -bench 'HandleRequest|HandleLoadMix' -benchmem ./netplay/server

lint: check-imports
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

# DESIGN.md §1, §7: the core never touches a window, the network, a
# subprocess, the wall clock or a random source.
check-imports:
	@bad=$$($(GO) list -f '{{.ImportPath}}: {{join .Imports " "}}' ./core/... | \
		grep -E ' (net|net/[a-z/]+|os/exec|math/rand|math/rand/v2|github.com/hajimehoshi/ebiten[^ ]*)( |$$)'); \
	if [ -n "$$bad" ]; then echo "forbidden import under core/:"; echo "$$bad"; exit 1; fi
	@bad=$$(grep -rn --include='*.go' --exclude='*_test.go' 'time\.Now' core); \
	if [ -n "$$bad" ]; then echo "time.Now under core/:"; echo "$$bad"; exit 1; fi
	@echo "check-imports: core/ is clean"

# Each fuzz target runs briefly (a fixed number of inputs, so a loaded
# machine is not a reason to fail); longer campaigns:
#   go test -run NONE -fuzz NAME -fuzztime 10m PKG
# FUZZ_HEAVY targets build and run a whole machine per input (about 15 ms
# each), so they get FUZZTIME_HEAVY inputs instead.
FUZZTIME ?= 20000x
FUZZTIME_HEAVY ?= 1000x
FUZZ_HEAVY := FuzzLoadState
fuzz-short:
	@set -e; for dir in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for f in $$(grep -h '^func Fuzz' $$dir/*_test.go | sed 's/func \(Fuzz[A-Za-z0-9_]*\).*/\1/'); do \
			n=$(FUZZTIME); case " $(FUZZ_HEAVY) " in *" $$f "*) n=$(FUZZTIME_HEAVY);; esac; \
			echo "fuzz $$dir $$f ($$n)"; \
			$(GO) test -run NONE -fuzz "^$$f$$" -fuzztime $$n -parallel 1 $$dir > .fuzz.log 2>&1 || { cat .fuzz.log; rm -f .fuzz.log; exit 1; }; \
		done; \
	done; rm -f .fuzz.log
