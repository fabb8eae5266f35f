#!/usr/bin/env bash
# Builds the Leptos UI into ui/dist: cargo for wasm32, then wasm-bindgen at exactly the version
# Cargo.lock pins (installed once into the tool cache, skipped when present). Nothing is
# downloaded but crates. WENSHU_UI_PROFILE=dev builds faster, unoptimised.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${WENSHU_UI_PROFILE:-release}
target_dir=${CARGO_TARGET_DIR:-$HOME/.cache/wenshu/target}
tools=${WENSHU_TOOLS:-$HOME/.cache/wenshu/tools}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown >&2
fi
version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! "$tools/bin/wasm-bindgen" --version 2>/dev/null | grep -qx "wasm-bindgen $version"; then
    echo "installing wasm-bindgen-cli $version into $tools (once)" >&2
    CARGO_TARGET_DIR="$tools/build" cargo install --quiet wasm-bindgen-cli --version "$version" --root "$tools" >&2
    rm -rf "$tools/build"
fi

cargo build --locked --quiet -p wenshu-ui --target wasm32-unknown-unknown --profile "$profile" >&2
out_profile=$profile
[ "$profile" = dev ] && out_profile=debug
rm -rf ui/dist.new
mkdir -p ui/dist.new
"$tools/bin/wasm-bindgen" --target web --no-typescript --out-dir ui/dist.new --out-name wenshu-ui \
    "$target_dir/wasm32-unknown-unknown/$out_profile/wenshu-ui.wasm"
cp ui/index.html ui/style.css ui/boot.js ui/dist.new/
cp icons/32x32.png ui/dist.new/favicon.png
rm -rf ui/dist
mv ui/dist.new ui/dist
echo ui/dist
