#!/usr/bin/env bash
# Builds one of llama.cpp's own tools from a pinned source: `llama-bench`, the reference benchmark
# for Wenshu's runtime, or `llama-server`, the OpenAI-compatible inference server that Wenshu's
# remote backend is tested and measured against (as a department would run it).
#
# Source: the llama.cpp tree vendored in the llama-cpp-python sdist on PyPI (vendor/llama.cpp).
#   Pinned:  llama-cpp-python 0.3.36 (sdist uploaded 2026-10-01), which vendors
#            ggml-org/llama.cpp@0c1e57098 (per its CHANGELOG): ggml 0.25.3,
#            LLAMA_SESSION_VERSION 10, LLAMA_STATE_SEQ_VERSION 3.
#   Ours:    llama-cpp-sys-2 0.1.160 (llama-cpp-rs git 0dd5814c9b06, crate published
#            2026-10-15; 0.1.161 vendors the identical tree) vendors a slightly newer
#            llama.cpp: ggml 0.26.0, LLAMA_SESSION_VERSION 11, LLAMA_STATE_SEQ_VERSION 4,
#            plus files 0.3.36 lacks (src/models/clef.cpp, common/parsers/llm-jp-harmony.cpp,
#            ggml-metal mul_mv_mma.metal, ...).
#   Why 0.3.36: it is the newest llama-cpp-python release and our tree is newer still, so
#            every older release is further away. Its include/llama.h differs from ours only
#            in the two state-version #defines above (same 1739 lines, same API).
#
# Built like our runtime builds llama.cpp: Release, static, GGML_NATIVE=OFF, no OpenMP.
# Usage: scripts/llama-cpp.sh llama-bench|llama-server [--vendored]
#   --vendored (llama-bench only): also build llama-bench against the exact llama.cpp tree that llama-cpp-sys-2
#   vendors (its tools/ ship without sources, so llama-bench's come from the pinned release).
# Cache: ${WENSHU_CACHE:-$HOME/.cache/wenshu}/llama-cpp. A binary is reused only while the
#   llama.cpp it was built from is the same: the pinned llama-cpp-python release, and for
#   --vendored the llama-cpp-sys-2 version in Cargo.lock too; each build records its versions in
#   a file `version` beside it.
#   The server is built without its web UI and without OpenSSL (LLAMA_USE_PREBUILT_UI=OFF,
#   LLAMA_BUILD_UI=OFF, LLAMA_OPENSSL=OFF): nothing is downloaded at build time.
# Prints the path of the binary as its last line of stdout; progress goes to stderr.
set -euo pipefail

pinned=0.3.36
cache=${WENSHU_CACHE:-$HOME/.cache/wenshu}/llama-cpp
tool=${1:-}
case "$tool" in
    llama-bench|llama-server) ;;
    *) printf 'usage: %s llama-bench|llama-server [--vendored]\n' "$0" >&2; exit 2 ;;
esac
bin="$cache/build/bin/$tool"

say() { printf '%s: %s\n' "$tool" "$*" >&2; }

here=$(cd "$(dirname "$0")/.." && pwd)
mode=pypi
[ "${2:-}" = "--vendored" ] && mode=vendored
if [ "$mode" = vendored ] && [ "$tool" != llama-bench ]; then
    say "--vendored builds llama-bench only"
    exit 2
fi
vendored_bin="$cache/vendored-build/bin/llama-bench"
src="$cache/src"
sys_version=$(sed -n '/^name = "llama-cpp-sys-2"$/{n;s/^version = "\(.*\)"$/\1/p}' "$here/Cargo.lock")
# What each tree and build was made from, recorded beside it: a change rebuilds.
pypi_version="llama-cpp-python $pinned"
vendored_version="llama-cpp-sys-2 $sys_version, llama-bench sources from llama-cpp-python $pinned"
src_stamp="$src/.wenshu-version"
pypi_stamp="$cache/build/version-$tool"
vendored_stamp="$cache/vendored-build/version"

# Whether $1 exists and its version file $2 says $3.
current() { [ -e "$1" ] && [ -f "$2" ] && [ "$(cat "$2")" = "$3" ]; }

if [ "$mode" = vendored ] && [ -z "$sys_version" ]; then
    say "llama-cpp-sys-2 not found in $here/Cargo.lock"
    exit 1
fi
if [ "$mode" = pypi ] && current "$bin" "$pypi_stamp" "$pypi_version"; then
    say "already built ($pypi_version)"
    printf '%s\n' "$bin"
    exit 0
fi
if [ "$mode" = vendored ] && current "$vendored_bin" "$vendored_stamp" "$vendored_version"; then
    say "already built ($vendored_version)"
    printf '%s\n' "$vendored_bin"
    exit 0
fi

for need in pip cmake tar; do
    command -v "$need" >/dev/null || { say "missing required tool: $need"; exit 1; }
done

mkdir -p "$cache"
if ! current "$src/CMakeLists.txt" "$src_stamp" "$pypi_version"; then
    work=$(mktemp -d "$cache/tmp.XXXXXX")
    trap 'rm -rf "$work"' EXIT

    say "downloading llama-cpp-python $pinned sdist"
    pip download --quiet --no-deps --no-binary :all: "llama-cpp-python==$pinned" -d "$work/dl" >&2
    sdist=$(find "$work/dl" -maxdepth 1 -name "llama_cpp_python-$pinned.tar.gz" | head -n1)
    [ -n "$sdist" ] || { say "sdist not found after download"; exit 1; }

    say "extracting vendor/llama.cpp"
    tar -xzf "$sdist" -C "$work" "llama_cpp_python-$pinned/vendor/llama.cpp"
    rm -rf "$src" "$cache/build"
    mv "$work/llama_cpp_python-$pinned/vendor/llama.cpp" "$src"
    # the sdist keeps the submodule's dangling .git file; drop it so build-info does not call git on it
    rm -f "$src/.git"
    echo "$pypi_version" > "$src_stamp"
fi

build_tool() {
    local src=$1 build=$2 target=$3
    say "configuring $src"
    cmake -S "$src" -B "$build" \
        -DCMAKE_BUILD_TYPE=Release \
        -DGGML_NATIVE=OFF \
        -DGGML_OPENMP=OFF \
        -DLLAMA_CURL=OFF \
        -DLLAMA_OPENSSL=OFF \
        -DBUILD_SHARED_LIBS=OFF \
        -DLLAMA_BUILD_COMMON=ON \
        -DLLAMA_BUILD_TOOLS=ON \
        -DLLAMA_BUILD_TESTS=OFF \
        -DLLAMA_BUILD_EXAMPLES=OFF \
        -DLLAMA_BUILD_SERVER=ON \
        -DLLAMA_BUILD_UI=OFF \
        -DLLAMA_USE_PREBUILT_UI=OFF \
        -DLLAMA_BUILD_APP=OFF \
        -DGGML_CCACHE=OFF \
        --no-warn-unused-cli >&2
    say "building $target"
    cmake --build "$build" --target "$target" -j"$(nproc)" >&2
    [ -x "$build/bin/$target" ] || { say "build finished but $build/bin/$target is missing"; exit 1; }
}

if ! current "$bin" "$pypi_stamp" "$pypi_version"; then
    build_tool "$src" "$cache/build" "$tool"
    echo "$pypi_version" > "$pypi_stamp"
    say "built ($pypi_version)"
fi
if [ "$mode" = vendored ]; then
    # The exact llama.cpp our runtime links: llama-cpp-sys-2's tree (which ships tools/ without
    # their sources) plus the llama-bench sources of the pinned release (same llama.h API).
    sys_src=$(ls -d "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"llama-cpp-sys-2-$sys_version"/llama.cpp 2>/dev/null | head -n1)
    [ -n "$sys_src" ] || { say "llama-cpp-sys-2 $sys_version sources not found: run a cargo build first"; exit 1; }
    vsrc="$cache/vendored-src"
    rm -rf "$vsrc" "$cache/vendored-build"
    cp -r "$sys_src" "$vsrc"
    rm -f "$vsrc/.git"
    cp "$src"/tools/llama-bench/* "$vsrc/tools/llama-bench/"
    echo 'add_subdirectory(llama-bench)' > "$vsrc/tools/CMakeLists.txt"
    build_tool "$vsrc" "$cache/vendored-build" llama-bench
    echo "$vendored_version" > "$vendored_stamp"
    say "built ($vendored_version)"
    printf '%s\n' "$vendored_bin"
else
    printf '%s\n' "$bin"
fi
