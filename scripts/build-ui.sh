#!/usr/bin/env bash
# Builds the Leptos UI into ui/dist: cargo for wasm32, then wasm-bindgen at exactly the version
# Cargo.lock pins (installed once into the tool cache, skipped when present). Nothing is
# downloaded but crates. WENSHU_UI_PROFILE=dev builds faster, unoptimised.
# ui/dist is written only where its bytes change: the desktop app embeds every file in it, so a
# rewritten but identical file would rebuild the app for nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
profile=${WENSHU_UI_PROFILE:-release}
# Exported, so cargo builds where wasm-bindgen reads below (the Makefile's default too): a build
# into another folder would leave wasm-bindgen an older UI.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/wenshu/target}
target_dir=$CARGO_TARGET_DIR
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
# Staged in this tree (the target folder may be shared), then synced into ui/dist.
stage=ui/dist.new
rm -rf "$stage"
mkdir -p "$stage"
"$tools/bin/wasm-bindgen" --target web --no-typescript --out-dir "$stage" --out-name wenshu-ui \
    "$target_dir/wasm32-unknown-unknown/$out_profile/wenshu-ui.wasm"
cp ui/index.html ui/style.css ui/boot.js "$stage/"
cp icons/32x32.png "$stage/favicon.png"

# Copy what is new or different, keeping the files (and their times) that are the same; drop
# what the build no longer makes.
mkdir -p ui/dist
(cd "$stage" && find . -type f -print0) | while IFS= read -r -d '' file; do
    if ! cmp -s "$stage/$file" "ui/dist/$file"; then
        mkdir -p "$(dirname "ui/dist/$file")"
        cp "$stage/$file" "ui/dist/$file"
    fi
done
(cd ui/dist && find . -type f -print0) | while IFS= read -r -d '' file; do
    [ -f "$stage/$file" ] || rm -f "ui/dist/$file"
done
find ui/dist -mindepth 1 -type d -empty -delete
rm -rf "$stage"
echo ui/dist
