#!/usr/bin/env bash
# 测评 benchmark: the built-in suite on the default model and on the larger model of the same
# family (fetched once by `scripts/setup.sh --larger`), side by side in one run, and the drafting
# dimension once more without the facts guard (`draft.guard = false`, the reference the pipeline
# is measured against). Writes the reports to $EVAL_OUT (eval-results/): after.html and
# after.json for both models, before.json for drafting without the guard.
#
# Environment: ONLY (dimensions for the two-model run, default all), MODELS (default "both";
# "default" runs the default model only), WENSHU_BIN (release build), CARGO_TARGET_DIR.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
out=${EVAL_OUT:-$here/eval-results}
target=${CARGO_TARGET_DIR:-$HOME/.cache/wenshu/target}
wenshu=${WENSHU_BIN:-$target/release/wenshu}
only=${ONLY:-}
models=${MODELS:-both}

say() { printf 'bench-eval: %s\n' "$*" >&2; }

paths=$("$here/scripts/setup.sh" --larger)
larger=$(printf '%s\n' "$paths" | tail -n 2 | head -n 1)
default=$(printf '%s\n' "$paths" | tail -n 1)
if [ ! -x "$wenshu" ]; then
    say "building wenshu (release)"
    (cd "$here" && CARGO_TARGET_DIR=$target cargo build --release --locked -p wenshu-cli >&2)
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export WENSHU_HOME=$home
"$wenshu" model import --link --name qwen2.5-0.5b "$default" >/dev/null
args=(--model qwen2.5-0.5b)
if [ "$models" = both ]; then
    "$wenshu" model import --link --name qwen2.5-1.5b "$larger" >/dev/null
    args+=(--model qwen2.5-1.5b)
fi
mkdir -p "$out"
run() {
    local name=$1
    shift
    local start=$SECONDS
    # Exit status 1 means a case failed, which the report shows; anything else is an error.
    "$wenshu" --json eval "$@" > "$out/$name.json" || [ $? -eq 1 ]
    say "$name: $((SECONDS - start)) s"
}
run after "${args[@]}" ${only:+--only "$only"} -o "$out/after.html"
WENSHU_DRAFT__GUARD=false run before "${args[@]}" --only drafting
say "reports in $out"
