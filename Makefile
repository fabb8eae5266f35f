# Wenshu: `make run` sets everything up and starts the desktop app (or, without a display, the
# terminal assistant); `make test` sets everything up and runs every check CI runs. Builds and
# tools are cached outside the source tree.

CARGO_TARGET_DIR ?= $(HOME)/.cache/wenshu/target
export CARGO_TARGET_DIR
WENSHU_TOOLS ?= $(HOME)/.cache/wenshu/tools
export WENSHU_TOOLS
WENSHU := $(CARGO_TARGET_DIR)/release/wenshu
DESKTOP := $(CARGO_TARGET_DIR)/release/wenshu-desktop
FIRST_QUESTION ?= 请用三句话介绍你能帮助公务员做哪些工作。
TAURI_CLI := $(WENSHU_TOOLS)/npm/node_modules/.bin/tauri

.PHONY: run test setup build ui bench bench-docs bench-kb bench-desktop bench-eval bench-long bench-packs bench-governance bench-remote lint package

setup:
	@scripts/setup.sh >/dev/null

# The Leptos UI, compiled to WebAssembly into ui/dist (the desktop app embeds it).
ui: setup
	@scripts/build-ui.sh >/dev/null

build: setup ui
	cargo build --release --locked -p wenshu-cli -p wenshu-desktop

run: build
	@scripts/setup.sh --import $(WENSHU) >/dev/null
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		echo "starting the desktop app: $(DESKTOP)"; exec $(DESKTOP); \
	else \
		$(WENSHU) ask "$(FIRST_QUESTION)" && if [ -t 0 ]; then $(WENSHU) chat; fi; \
	fi

# A .deb of the desktop app, built by the Tauri CLI (from npm, installed once into the tool cache).
package: setup ui
	@[ -x $(TAURI_CLI) ] || npm install --silent --no-fund --no-audit --prefix $(WENSHU_TOOLS)/npm @tauri-apps/cli@2
	cd src-tauri && $(TAURI_CLI) build --bundles deb
	@ls $(CARGO_TARGET_DIR)/release/bundle/deb/*.deb

# Only what clippy and rustdoc need (packages, toolchain, ui/dist for the desktop crate): the
# model and the test tools are for `make test`.
lint:
	@scripts/setup.sh --no-model >/dev/null
	@scripts/build-ui.sh >/dev/null
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps

# The terminal's end-to-end suite runs in a network namespace with only loopback
# (scripts/offline.sh): it passes with no way off the machine.
# The remote backend's suite runs against llama.cpp's llama-server, built once into the cache
# from the pinned source (scripts/llama-cpp.sh), on 127.0.0.1 in the same namespace.
test: lint
	WENSHU_TEST_MODEL=$$(scripts/setup.sh --test) && export WENSHU_TEST_MODEL && \
	WENSHU_LLAMA_SERVER=$$(scripts/llama-cpp.sh llama-server) && export WENSHU_LLAMA_SERVER && \
	cargo test --locked --workspace --exclude wenshu-cli && \
	cargo test --locked -p wenshu-cli --bins && \
	cargo test --locked -p wenshu-cli --test e2e --test remote --no-run && \
	WENSHU_OFFLINE=1 scripts/offline.sh cargo test --locked --offline -p wenshu-cli --test e2e && \
	WENSHU_OFFLINE=1 scripts/offline.sh cargo test --locked --offline -p wenshu-cli --test remote

bench: build
	scripts/bench.sh

# The desktop app: cold start to an interactive window, and input-to-paint latency while the
# model generates, against the same with the model idle.
bench-desktop: setup ui
	@scripts/setup.sh --test >/dev/null
	cargo build --release --locked -p wenshu-desktop
	cargo run --release --locked -p wenshu-desktop --example desktop_bench -- $$(scripts/setup.sh) $(DESKTOP)

# 公文: render and check a ten-page document, then draft one document of each of the 15 types
# with the default model.
bench-docs: setup
	cargo run --release --locked -p wenshu-docs --example layout_bench
	cargo run --release --locked -p wenshu-app --example draft_bench -- $$(scripts/setup.sh)

# 测评: the built-in suite on the default and the larger model, with and without the facts guard.
bench-eval:
	scripts/bench-eval.sh

# Minutes and summaries beyond the context: seconds per 1,000 input tokens with and without
# prompt reuse, peak memory at 20k and 100k tokens, decisions kept against a single pass.
bench-long: setup
	@scripts/setup.sh --test >/dev/null
	cargo build --release --locked -p wenshu-cli
	cargo run --release --locked -p wenshu-app --example long_bench -- $$(scripts/setup.sh) $(WENSHU) eval-results/long-bench.json

# Apps as packs: the first streamed token of the 通知 app against `wenshu draft` on the same
# input, installing and verifying a 1 MB and a 50 MB signed pack, the catalogue with 200 packs.
bench-packs: setup
	@scripts/setup.sh --test >/dev/null
	cargo run --release --locked -p wenshu-app --example packs_bench -- $$(scripts/setup.sh)

# Governance: the audit log's cost per model call against the call, `audit verify` on a million
# entries against sha256sum over the same file, the 密级 screen of a 100-page PDF.
# The remote backend against curl straight to llama-server (same model, same request), and 1, 4
# and 8 clients against one llama-server --parallel 8.
bench-remote: setup
	cargo build --release --locked -p wenshu-app --example remote_bench
	$(CARGO_TARGET_DIR)/release/examples/remote_bench $$(scripts/setup.sh) $$(scripts/llama-cpp.sh llama-server)

bench-governance: setup
	@scripts/setup.sh --test >/dev/null
	cargo run --release --locked -p wenshu-app --example governance_bench -- $$(scripts/setup.sh)

# Knowledge base against SQLite FTS5 (trigram) on the same chunks: recall on tests/kb, ingestion
# and query latency at 100,000 chunks, PDF extraction against pdftotext.
bench-kb:
	@scripts/setup.sh --test >/dev/null
	cargo run --release --locked -p wenshu-kb --example kb_bench -- tests/kb 100000
