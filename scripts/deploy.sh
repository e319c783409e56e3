#!/usr/bin/env bash
# Deploys the council and the five contracts it governs onto a node and writes deployments/<network>.json (address,
# code hash and metadata path per contract; the node's genesis hash and the block). Re-running checks the manifest
# against the chain and skips what is already there.
#   scripts/deploy.sh [--url ws://127.0.0.1:9944] [--network local] [--council SS58,SS58,... --threshold M
#                     --delay-ms D] [--issuer SS58 [--issuer-roles Provider,Payer,...]]
# Signer: $HEALTHCHAIN_SURI (a secret URI), or //Alice on a development chain.
# Needs the release builds of scripts/build.sh.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null 2>&1 || fail "python3 not found: install it with 'apt-get install python3'"
ensure_toolchain
exec python3 "$ROOT/scripts/deploy.py" "$@"
