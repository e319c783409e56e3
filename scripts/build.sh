#!/usr/bin/env bash
# Release-builds every contract with cargo-contract and prints each optimized .wasm size.
# Artifacts (.contract bundle with metadata, .wasm, .json) stay where cargo-contract writes them:
# <target dir>/ink/<contract>/.
# Usage: scripts/build.sh [contract ...]   (default: all five)
. "$(dirname "$0")/lib.sh"

ensure_toolchain
ensure_cargo_contract

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${CONTRACTS[@]}")

rows=()
for contract in "${selected[@]}"; do
    manifest="contracts/$contract/Cargo.toml"
    [ -f "$manifest" ] || fail "no contract named '$contract' (expected $manifest)"
    say "building $contract (release)"
    start=$SECONDS
    json="$(cargo contract build --release --quiet --output-json --manifest-path "$manifest")" \
        || fail "cargo contract build failed for $contract: run 'cargo contract build --release --manifest-path $manifest' to see why"
    wasm="$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dest_wasm"])')"
    size=$(stat -c %s "$wasm")
    rows+=("$(printf '%-14s %9d B %7.1f KiB  %4d s  %s' "$contract" "$size" "$(awk "BEGIN{print $size/1024}")" $((SECONDS - start)) "$wasm")")
done

printf '\n%-14s %11s %11s  %6s  %s\n' contract "wasm size" "" time artifact
printf '%s\n' "${rows[@]}"
