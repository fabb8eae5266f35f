#!/usr/bin/env bash
# Compares `wenshu bench` with llama.cpp's own `llama-bench` on the default model: same model,
# same threads, prompt processing of 512 tokens and generation of 128, runs interleaved (wenshu,
# llama-bench, wenshu, ...), medians reported, first with the machine idle and then with another
# process keeping one core busy. Two references: llama-bench from the llama-cpp-python release
# closest to our llama.cpp (the yardstick), and llama-bench built on the exact llama.cpp tree our
# runtime links (which shows the runtime's own overhead, free of llama.cpp version differences).
# Writes medians and every run as JSON to $BENCH_OUT (bench-results.json).
#
# Environment: THREADS (2), ROUNDS (5), WENSHU_BIN (release build), CARGO_TARGET_DIR.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
threads=${THREADS:-2}
rounds=${ROUNDS:-5}
out=${BENCH_OUT:-$here/bench-results.json}
target=${CARGO_TARGET_DIR:-$HOME/.cache/wenshu/target}
wenshu=${WENSHU_BIN:-$target/release/wenshu}

say() { printf 'bench: %s\n' "$*" >&2; }

model=$("$here/scripts/setup.sh")
if [ ! -x "$wenshu" ]; then
    say "building wenshu (release)"
    (cd "$here" && CARGO_TARGET_DIR=$target cargo build --release --locked -p wenshu-cli >&2)
fi
llama_bench=$("$here/scripts/llama-cpp.sh" llama-bench)
llama_bench_vendored=$("$here/scripts/llama-cpp.sh" llama-bench --vendored)

home=$(mktemp -d)
busy_pid=
cleanup() {
    [ -n "$busy_pid" ] && kill "$busy_pid" 2>/dev/null || true
    rm -rf "$home"
}
trap cleanup EXIT
WENSHU_HOME=$home "$wenshu" model import --link --name bench "$model" >/dev/null 2>&1

raw=$(mktemp)
for load in idle busy; do
    if [ "$load" = busy ]; then
        # Another program wanting a whole core, as on a desktop where a browser or office suite runs.
        sh -c 'while :; do :; done' &
        busy_pid=$!
    fi
    for round in $(seq "$rounds"); do
        say "$load, round $round/$rounds: wenshu"
        WENSHU_HOME=$home "$wenshu" bench --json --threads "$threads" --pp 512 --tg 128 --repetitions 1 \
            | python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps({"load": sys.argv[1], "tool": "wenshu", "pp": d["pp_tokens_per_s"], "tg": d["tg_tokens_per_s"], "rss": d["peak_rss_bytes"], "file": d["model_file_bytes"], "sha": d["model_sha256"], "ctx": d["context_tokens"]}))' "$load" >> "$raw"
        for tool in llama-bench llama-bench-vendored; do
            bin=$llama_bench
            [ "$tool" = llama-bench-vendored ] && bin=$llama_bench_vendored
            say "$load, round $round/$rounds: $tool"
            "$bin" -m "$model" -t "$threads" -p 512 -n 128 -r 1 -o json 2>/dev/null \
                | python3 -c 'import json,sys
rows=json.load(sys.stdin)
pp=[r["avg_ts"] for r in rows if r["n_prompt"]>0][0]
tg=[r["avg_ts"] for r in rows if r["n_gen"]>0][0]
print(json.dumps({"load": sys.argv[1], "tool": sys.argv[2], "pp": pp, "tg": tg}))' "$load" "$tool" >> "$raw"
        done
    done
    if [ -n "$busy_pid" ]; then
        kill "$busy_pid" 2>/dev/null || true
        busy_pid=
    fi
done

python3 - "$raw" "$out" "$threads" "$rounds" <<'PY'
import json, statistics, sys
raw, out, threads, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = [json.loads(line) for line in open(raw)]
result = {"threads": threads, "rounds": rounds, "prompt_tokens": 512, "generated_tokens": 128,
          "references": {"llama-bench": "llama-cpp-python 0.3.36 vendor/llama.cpp",
                         "llama-bench-vendored": "llama-cpp-sys-2's own llama.cpp tree"}}
def med(load, tool, test):
    return statistics.median(r[test] for r in rows if r["load"] == load and r["tool"] == tool)
print(f"{'load':<6} {'test':<6} {'wenshu':>8} {'llama-bench':>12} {'ratio':>6} {'vendored':>9} {'ratio':>6}")
for load in ("idle", "busy"):
    entry = {}
    for test in ("pp", "tg"):
        ours, ref, same = med(load, "wenshu", test), med(load, "llama-bench", test), med(load, "llama-bench-vendored", test)
        entry[test] = {"wenshu": round(ours, 2), "llama_bench": round(ref, 2), "ratio": round(ours / ref, 3),
                       "llama_bench_vendored": round(same, 2), "ratio_vendored": round(ours / same, 3)}
        name = "pp512" if test == "pp" else "tg128"
        print(f"{load:<6} {name:<6} {ours:>8.2f} {ref:>12.2f} {ours / ref:>6.3f} {same:>9.2f} {ours / same:>6.3f}")
    result[load] = entry
w = [r for r in rows if r["tool"] == "wenshu"]
rss = max(r["rss"] or 0 for r in w)
result.update({
    "model_sha256": w[0]["sha"], "model_file_bytes": w[0]["file"], "context_tokens": w[0]["ctx"],
    "peak_rss_bytes": rss, "rss_budget_bytes": w[0]["file"] + 400_000_000, "runs": rows,
})
print(f"peak RSS {rss / 1e6:.0f} MB at {w[0]['ctx']} context; budget {result['rss_budget_bytes'] / 1e6:.0f} MB (model file + 400 MB)")
json.dump(result, open(out, "w"), indent=2)
print(f"results written to {out}")
PY
rm -f "$raw"
