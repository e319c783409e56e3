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

# The node's runtimes are built to Wasm by substrate-wasm-builder in a workspace of its own. Without a Cargo.lock to
# copy it resolves the newest crates, some of which need a newer Rust (substrate-bip39 0.6.1 needs 1.87), so we
# unpack the published crate (which carries its Cargo.lock) and point WASM_BUILD_WORKSPACE_HINT at it.
cache="${HEALTHCHAIN_CACHE:-$HOME/.cache/healthchain}"
source_dir="$cache/contracts-node-$NODE_VERSION"
if [ ! -f "$source_dir/Cargo.lock" ]; then
    command -v curl >/dev/null 2>&1 || fail "curl not found: install it with 'apt-get install curl'"
    say "downloading contracts-node $NODE_VERSION from crates.io"
    mkdir -p "$cache"
    curl -sSfL "https://static.crates.io/crates/contracts-node/contracts-node-$NODE_VERSION.crate" | tar -xz -C "$cache" \
        || fail "could not download contracts-node $NODE_VERSION from static.crates.io: check network access to crates.io"
fi

say "building contracts-node $NODE_VERSION with cargo install (a Substrate node: 60-90 minutes on 2 cores)"
start=$SECONDS
# Build in a target dir of its own (never the contracts': the node's dependency versions differ), kept between runs
# so that an interrupted install resumes where it stopped.
WASM_BUILD_WORKSPACE_HINT="$source_dir" CARGO_TARGET_DIR="$cache/node-target" \
    cargo install --path "$source_dir" --locked --quiet \
    || fail "cargo install contracts-node failed: re-run 'scripts/install-node.sh' to resume, or see the compiler output above"
say "substrate-contracts-node $NODE_VERSION installed in $((SECONDS - start)) s at $HOME/.cargo/bin/substrate-contracts-node"
