#!/usr/bin/env bash
# Locked release builds of the contracts (healthchain-builder: contract-build against the committed Cargo.lock,
# offline), one progress line per contract, the compiler's output in <out>/build.log. The artifacts (.wasm, .json
# metadata, .contract bundle) go to <target dir>/release/contracts/<contract>/, where the tests, the story,
# scripts/deploy.sh and scripts/bench.sh take them from.
# Usage: scripts/build.sh [--write-hashes | --check-hashes] [contract ...]
#   (default: the six; also erc20, the benchmark's baseline in bench/erc20)
#   --write-hashes  write the code hashes of the six to contracts/code-hashes.json (commit it with the source)
#   --check-hashes  fail unless the builds have the code hashes of contracts/code-hashes.json
. "$(dirname "$0")/lib.sh"

ensure_toolchain
build_contracts "$@"
