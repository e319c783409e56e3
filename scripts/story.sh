#!/usr/bin/env bash
# The healthcare story, end to end, with a readable log of every step.
#   scripts/story.sh                      on the embedded in-process sandbox (no node needed)
#   scripts/story.sh ws://127.0.0.1:9944  on a node, against the contracts of deployments/<network>.json, written by
#                                         scripts/deploy.sh (network: $HEALTHCHAIN_NETWORK, default "local"); dev
#                                         accounts sign, so a development chain. Beside it runs a
#                                         healthchain-custodian (data in target/story-custodian/<network>-<chain>-<records>) for the
#                                         chapter on encrypted records read under consent, erased and shredded.
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
if [ -n "$url" ]; then
    say "building and starting the custodian (its log: $(cargo_target_dir)/story-custodian.log)"
    cargo build --locked -p healthchain-custodian >>"$log" 2>&1 \
        || { tail -n 30 "$log" >&2; fail "the custodian did not build: see the compiler output above (all of it in $log)"; }
    port="${HEALTHCHAIN_CUSTODIAN_PORT:-8420}"
    # One data dir per chain and records contract: a custodian's key store is bound to them (a restarted dev chain
    # is a new chain).
    binding="$(python3 -c 'import json, sys; m = json.load(open(sys.argv[1])); print(m["genesis_hash"][2:14] + "-" + m["contracts"]["records"]["address"][:12])' "$manifest")" \
        || fail "the manifest $manifest has no genesis_hash or records address: deploy again with scripts/deploy.sh"
    data="$(cargo_target_dir)/story-custodian/${HEALTHCHAIN_NETWORK:-local}-$binding"
    mkdir -p "$data"
    "$(cargo_target_dir)/debug/healthchain-custodian" --listen "127.0.0.1:$port" --node "$url" --deployment "$manifest" \
        --data-dir "$data" >"$(cargo_target_dir)/story-custodian.log" 2>&1 &
    custodian_pid=$!
    trap 'kill "$custodian_pid" 2>/dev/null || true' EXIT
    for _ in $(seq 1 100); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/health" 2>/dev/null && break
        kill -0 "$custodian_pid" 2>/dev/null \
            || { tail -n 5 "$(cargo_target_dir)/story-custodian.log" >&2; fail "the custodian stopped: see its last lines above (if port $port is taken, set HEALTHCHAIN_CUSTODIAN_PORT)"; }
        sleep 0.2
    done
    curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/health" || fail "the custodian did not answer on port $port within 20 s: see $(cargo_target_dir)/story-custodian.log"
    export HEALTHCHAIN_CUSTODIAN="http://127.0.0.1:$port"
fi
status=0
cargo run --quiet --locked -p healthchain-tests --example story "${args[@]}" || status=$?
exit "$status"
