#!/usr/bin/env bash
# The whole test suite: unit tests of every contract, the end-to-end scenarios on the in-process sandbox, and the
# same scenarios on a local substrate-contracts-node when one is installed.
. "$(dirname "$0")/lib.sh"

ensure_toolchain

features=()
if node="$(find_node)"; then
    export CONTRACTS_NODE="$node"
    features=(--features healthchain-tests/node)
    say "substrate-contracts-node found at $node: the end-to-end scenarios also run on it"
else
    say "node tests skipped: substrate-contracts-node not found (install it with scripts/install-node.sh, or set CONTRACTS_NODE)"
fi

say "building and running the tests (the first run compiles the Substrate runtime for the sandbox: allow 30-40 minutes on 2 cores)"
start=$SECONDS
cargo test --workspace --locked "${features[@]}" -- --test-threads="${TEST_THREADS:-2}"
say "all tests passed in $((SECONDS - start)) s"
