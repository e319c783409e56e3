#!/usr/bin/env bash
# The healthcare story, end to end, with a readable log of every step.
#   scripts/story.sh                      on the embedded in-process sandbox (no node needed)
#   scripts/story.sh ws://127.0.0.1:9944  on a node, against deployments/<network>.json ({"contracts": {"<name>": {"address": SS58}}};
#                                         the deploy script that writes it is still to come, see README)
#                                         (network: $HEALTHCHAIN_NETWORK, default "local")
. "$(dirname "$0")/lib.sh"

ensure_toolchain
url="${1:-}"
args=()
if [ -n "$url" ]; then
    manifest="deployments/${HEALTHCHAIN_NETWORK:-local}.json"
    [ -f "$manifest" ] || fail "no deployment manifest at $manifest: write one with the five contract addresses (see README)"
    check_node "$url"
    args=(-- "$url" "$manifest")
fi
say "building the story (the first run compiles the Substrate runtime the sandbox embeds: allow 30-40 minutes on 2 cores)"
cargo build --quiet --locked -p healthchain-tests --example story || fail "the story did not build: see the compiler output above"
cargo run --quiet --locked -p healthchain-tests --example story "${args[@]}"
