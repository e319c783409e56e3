#!/usr/bin/env bash
# The healthcare story, end to end, with a readable log of every step.
#   scripts/story.sh                      on the embedded in-process sandbox (no node needed)
#   scripts/story.sh ws://127.0.0.1:9944  on a node, against the contracts of deployments/<network>.json, written by
#                                         scripts/deploy.sh (network: $HEALTHCHAIN_NETWORK, default "local"); dev
#                                         accounts sign, so a development chain
. "$(dirname "$0")/lib.sh"

ensure_toolchain
url="${1:-}"
args=()
if [ -n "$url" ]; then
    manifest="deployments/${HEALTHCHAIN_NETWORK:-local}.json"
    [ -f "$manifest" ] || fail "no deployment manifest at $manifest: deploy first with 'scripts/build.sh && scripts/deploy.sh --url $url'"
    check_node "$url"
    args=(-- "$url" "$manifest")
fi
if [ -z "$url" ]; then
    build_contracts
    export HEALTHCHAIN_WASM_DIR="$(release_dir)"
fi
log="$(cargo_target_dir)/story-build.log"
mkdir -p "$(dirname "$log")"
say "building the story (compiler output in $log; the first run compiles the Substrate runtime the sandbox embeds)"
cargo build --locked -p healthchain-tests --example story >"$log" 2>&1 \
    || { tail -n 30 "$log" >&2; fail "the story did not build: see the compiler output above (all of it in $log)"; }
cargo run --quiet --locked -p healthchain-tests --example story "${args[@]}"
