#!/usr/bin/env bash
# Installs substrate-contracts-node 0.42.0 (crate contracts-node) for the node end-to-end tests and deployments.
# Needs Debian's protobuf-compiler and clang (installed with apt-get when missing and we are root or have sudo).
# The node is built with the Rust toolchain pinned in rust-toolchain.toml (1.86.0), which that node version supports.
. "$(dirname "$0")/lib.sh"

NODE_VERSION="0.42.0"

if node="$(find_node)" && "$node" --version 2>/dev/null | grep -q "$NODE_VERSION"; then
    say "substrate-contracts-node $NODE_VERSION already installed at $node"
    exit 0
fi

ensure_toolchain

missing=()
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || missing+=(clang)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
        fail "missing ${missing[*]}: install them with 'apt-get install ${missing[*]}' as root, then re-run"
    fi
    say "installing ${missing[*]} with apt-get"
    "${sudo[@]}" apt-get update -qq >/dev/null || fail "apt-get update failed: check access to the Debian package mirror"
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null \
        || fail "could not install ${missing[*]}: run 'apt-get install ${missing[*]}' and re-run"
fi

say "building contracts-node $NODE_VERSION with cargo install (a Substrate node: 40-70 minutes on 2 cores)"
start=$SECONDS
# Build in a target dir of its own (never the contracts': the node's dependency versions differ), kept between runs
# so that an interrupted install resumes where it stopped.
CARGO_TARGET_DIR="${HEALTHCHAIN_CACHE:-$HOME/.cache/healthchain}/node-target" cargo install contracts-node --version "$NODE_VERSION" --locked --quiet \
    || fail "cargo install contracts-node failed: re-run 'cargo install contracts-node --version $NODE_VERSION --locked' to see why"
say "substrate-contracts-node $NODE_VERSION installed in $((SECONDS - start)) s at $HOME/.cargo/bin/substrate-contracts-node"
