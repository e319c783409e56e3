#!/usr/bin/env bash
# The whole test suite: the locked release builds of the contracts (checked against contracts/code-hashes.json),
# unit tests of every contract, the end-to-end scenarios on the in-process sandbox, and the same scenarios on a
# local substrate-contracts-node when one is installed; then the web app's tests (scripts/web.sh: unit tests, and
# with a node its node and browser tests in Debian's chromium, which it installs when missing).
. "$(dirname "$0")/lib.sh"

ensure_toolchain

say "building the contracts once for the whole run (locked release builds, the bytes that are deployed)"
start=$SECONDS
hashes=0
build_contracts --check-hashes || hashes=$?
[ "$hashes" -eq 0 ] || [ "$hashes" -eq 3 ] || fail "the contract builds failed: see the lines above"
export HEALTHCHAIN_WASM_DIR="$(release_dir)"
say "contracts built in $((SECONDS - start)) s"

features=()
if node="$(find_node)"; then
    export CONTRACTS_NODE="$node"
    features=(--features healthchain-tests/node,healthchain-custodian/node)
    say "substrate-contracts-node found at $node: the end-to-end scenarios and the custodian test also run on it"
else
    say "node tests skipped: substrate-contracts-node not found (install it with scripts/install-node.sh, or set CONTRACTS_NODE)"
fi

# The custodian's S3 blob store runs against a loopback S3 server (moto, installed into a venv on first use).
if s3="$(scripts/s3-server.sh)"; then
    export HEALTHCHAIN_S3_ENDPOINT="$s3"
    stop_s3() { scripts/s3-server.sh stop >/dev/null 2>&1 || true; }
else
    fail "the loopback S3 server did not start: see the line above"
fi

say "building and running the tests (the first run compiles the Substrate runtime for the sandbox: allow 30-40 minutes on 2 cores)"
start=$SECONDS
log="$(mktemp)"
trap 'rm -f "$log"; stop_s3' EXIT
# --all-targets: unit and end-to-end tests, and builds the story example too (there are no doc tests); the feature
# builds the custodian benchmark program, so that it cannot rot unseen.
status=0
cargo test --workspace --all-targets --locked --features healthchain-custodian/bench "${features[@]}" -- --test-threads="${TEST_THREADS:-2}" 2>&1 | tee "$log" || status=$?
passed=$(sed -n 's/^test result: .* \([0-9][0-9]*\) passed; \([0-9][0-9]*\) failed.*/\1/p' "$log" | awk '{s+=$1} END {print s+0}')
failed=$(sed -n 's/^test result: .* \([0-9][0-9]*\) passed; \([0-9][0-9]*\) failed.*/\2/p' "$log" | awk '{s+=$1} END {print s+0}')
say "test run took $((SECONDS - start)) s"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    fail "the tests did not build or run (cargo exited with $status): see the output above"
fi

# The web app, after the cargo tests (its node tests start the custodian binary they built).
say "the web app: installing its dependencies when missing (npm ci; Debian's chromium), then its tests"
web_log="$(mktemp)"
trap 'rm -f "$log" "$web_log"; stop_s3' EXIT
web_status=0
{ scripts/web.sh install && scripts/web.sh test; } 2>&1 | tee "$web_log" || web_status=$?
web_line="$(grep -o 'web: [0-9]* passed, [0-9]* failed' "$web_log" | tail -1)"
if [ -z "$web_line" ]; then
    echo "error: the web tests did not run (scripts/web.sh exited with $web_status): see the output above" >&2
    [ "$status" -ne 0 ] || status=1
else
    passed=$((passed + $(echo "$web_line" | sed 's/web: \([0-9]*\) passed.*/\1/')))
    failed=$((failed + $(echo "$web_line" | sed 's/.* \([0-9]*\) failed/\1/')))
    [ "$web_status" -eq 0 ] || [ "$status" -ne 0 ] || status=$web_status
fi

if [ "$hashes" -eq 3 ]; then
    echo "error: the code hashes differ from contracts/code-hashes.json (see above): run 'scripts/build.sh --write-hashes' and commit the file" >&2
    [ "$status" -ne 0 ] || status=1
fi
echo "$passed passed, $failed failed"
exit "$status"
