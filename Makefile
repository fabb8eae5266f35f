# Wenshu: `make run` sets everything up and starts the assistant; `make test` sets everything up
# and runs every check CI runs. Builds are cached outside the source tree.

CARGO_TARGET_DIR ?= $(HOME)/.cache/wenshu/target
export CARGO_TARGET_DIR
WENSHU := $(CARGO_TARGET_DIR)/release/wenshu
FIRST_QUESTION ?= 请用三句话介绍你能帮助公务员做哪些工作。

.PHONY: run test setup build bench bench-docs bench-kb lint

setup:
	@scripts/setup.sh >/dev/null

build: setup
	cargo build --release --locked -p wenshu-cli

run: build
	@scripts/setup.sh --import $(WENSHU) >/dev/null
	$(WENSHU) ask "$(FIRST_QUESTION)"
	@if [ -t 0 ]; then $(WENSHU) chat; fi

lint:
	@scripts/setup.sh --test >/dev/null
	cargo fmt --all --check
	cargo clippy --locked --workspace --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" cargo doc --locked --workspace --no-deps

test: lint
	WENSHU_TEST_MODEL=$$(scripts/setup.sh --test) cargo test --locked --workspace

bench: build
	scripts/bench.sh

# 公文: render and check a ten-page document, then draft one document of each of the 15 types
# with the default model.
bench-docs: setup
	cargo run --release --locked -p wenshu-docs --example layout_bench
	cargo run --release --locked -p wenshu-app --example draft_bench -- $$(scripts/setup.sh)

# Knowledge base against SQLite FTS5 (trigram) on the same chunks: recall on tests/kb, ingestion
# and query latency at 100,000 chunks, PDF extraction against pdftotext.
bench-kb:
	@scripts/setup.sh --test >/dev/null
	cargo run --release --locked -p wenshu-kb --example kb_bench -- tests/kb 100000
