#!/usr/bin/env bash
# Release-builds the contracts with cargo-contract and prints each optimized .wasm size.
# cargo-contract writes its artifacts (.contract bundle with metadata, .wasm, .json) to <target dir>/ink/<contract>/;
# ink_e2e writes its debug builds to the same files on every test run, so each release build is also copied to
# <target dir>/release/contracts/<contract>/, where scripts/deploy.sh and scripts/bench.sh take them from.
# Usage: scripts/build.sh [contract ...]   (default: the five; also erc20, the benchmark's baseline in bench/erc20)
. "$(dirname "$0")/lib.sh"

ensure_toolchain
ensure_cargo_contract

selected=("$@")
[ ${#selected[@]} -gt 0 ] || selected=("${CONTRACTS[@]}")

release_dir="$(release_dir)"
rows=()
for contract in "${selected[@]}"; do
    manifest="contracts/$contract/Cargo.toml"
    [ "$contract" = erc20 ] && manifest="bench/erc20/Cargo.toml"
    [ -f "$manifest" ] || fail "no contract named '$contract' (expected $manifest)"
    say "building $contract (release)"
    start=$SECONDS
    json="$(cargo contract build --release --quiet --output-json --manifest-path "$manifest")" \
        || fail "cargo contract build failed for $contract: run 'cargo contract build --release --manifest-path $manifest' to see why"
    wasm="$(printf '%s' "$json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["dest_wasm"])')"
    mkdir -p "$release_dir/$contract"
    for artifact in "${wasm%.wasm}".{contract,json,wasm}; do
        cp "$artifact" "$release_dir/$contract/" || fail "cargo-contract wrote no $artifact"
    done
    size=$(stat -c %s "$wasm")
    rows+=("$(printf '%-14s %9d B %7.1f KiB  %4d s' "$contract" "$size" "$(awk "BEGIN{print $size/1024}")" $((SECONDS - start)))")
done

printf '\n%-14s %11s %11s  %6s\n' contract "wasm size" "" time
printf '%s\n' "${rows[@]}"
say "artifacts (.contract, .json, .wasm) in $release_dir/<contract>/"
