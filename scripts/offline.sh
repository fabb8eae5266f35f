#!/usr/bin/env bash
# Runs a command in a network namespace of its own whose only interface is loopback: nothing it
# starts can reach another machine (数据不出域, shown rather than promised). As root this is
# `unshare -n`; otherwise a user namespace maps the caller to root inside it (`unshare -rn`).
# Usage: scripts/offline.sh COMMAND [ARG…]
set -euo pipefail
inner='ip link set lo up && exec "$@"'
if unshare -n true 2>/dev/null; then
    exec unshare -n sh -c "$inner" sh "$@"
elif unshare -rn true 2>/dev/null; then
    exec unshare -rn sh -c "$inner" sh "$@"
fi
echo "offline: this machine cannot make a network namespace (unshare -n or unshare -rn)" >&2
exit 1
