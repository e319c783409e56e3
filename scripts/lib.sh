# Shared helpers for the healthchain scripts. Source it: `. "$(dirname "$0")/lib.sh"`.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The toolchain rust-toolchain.toml pins, with the components contract-build needs (rustup installs a pinned
# toolchain on first use but does not add components to one that is already installed).
ensure_toolchain() {
    command -v rustup >/dev/null 2>&1 || fail "rustup not found: install it from your distribution or rustup.rs, then re-run"
    local channel
    channel="$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)"
    if ! rustup run "$channel" rustc --version >/dev/null 2>&1; then
        say "installing Rust $channel (pinned by rust-toolchain.toml)"
        rustup toolchain install "$channel" --profile minimal >/dev/null || fail "could not install Rust $channel: check access to the Rust distribution server"
    fi
    rustup component add --toolchain "$channel" rust-src clippy rustfmt >/dev/null 2>&1 \
        || fail "could not add rust-src, clippy and rustfmt to Rust $channel: run 'rustup component add --toolchain $channel rust-src clippy rustfmt'"
    rustup target add --toolchain "$channel" wasm32-unknown-unknown >/dev/null 2>&1 \
        || fail "could not add the wasm32-unknown-unknown target: run 'rustup target add --toolchain $channel wasm32-unknown-unknown'"
}

# The substrate-contracts-node binary, if there is one: $CONTRACTS_NODE, then PATH, then ~/.cargo/bin.
find_node() {
    if [ -n "${CONTRACTS_NODE:-}" ]; then
        [ -x "$CONTRACTS_NODE" ] || command -v "$CONTRACTS_NODE" >/dev/null 2>&1 || return 1
        command -v "$CONTRACTS_NODE"
        return 0
    fi
    command -v substrate-contracts-node 2>/dev/null && return 0
    [ -x "$HOME/.cargo/bin/substrate-contracts-node" ] && { echo "$HOME/.cargo/bin/substrate-contracts-node"; return 0; }
    return 1
}

CARGO_CONTRACT_VERSION="5.0.3"

# cargo-contract 5.0.3, installed when missing or of another version.
ensure_cargo_contract() {
    if cargo contract --version 2>/dev/null | grep -q " $CARGO_CONTRACT_VERSION"; then
        return 0
    fi
    say "installing cargo-contract $CARGO_CONTRACT_VERSION (takes several minutes once)"
    local start=$SECONDS
    cargo install cargo-contract --version "$CARGO_CONTRACT_VERSION" --locked --quiet \
        || fail "could not install cargo-contract: run 'cargo install cargo-contract --version $CARGO_CONTRACT_VERSION --locked'"
    say "cargo-contract installed in $((SECONDS - start)) s"
}

CONTRACTS=(participants consent records claims custody council)

# build_contracts [healthchain-build options and contracts]: locked release builds (see builder/src/lib.rs). Fetches
# every crate Cargo.lock pins first (the builds run offline), builds the builder, then the contracts.
build_contracts() {
    say "fetching the crates Cargo.lock pins (once; the contract builds then run offline)"
    cargo fetch --locked --quiet || fail "cargo fetch --locked failed: check access to crates.io (or that Cargo.lock is committed)"
    say "building healthchain-build (contract-build; the first time compiles binaryen: several minutes)"
    cargo build --quiet --locked -p healthchain-builder --bin healthchain-build \
        || fail "healthchain-build did not build: see the compiler output above"
    "$(cargo_target_dir)/debug/healthchain-build" --root "$ROOT" --out "$(release_dir)" "$@"
}

# The node's HTTP JSON-RPC endpoint for a ws:// URL (Substrate serves both on one port).
http_url() { printf '%s' "$1" | sed -e 's#^ws://#http://#' -e 's#^wss://#https://#'; }

# rpc URL METHOD [PARAMS_JSON]: the "result" of a JSON-RPC call, or nothing.
rpc() {
    curl -s --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":${3:-[]}}" "$(http_url "$1")" \
        | python3 -c 'import json,sys; r=json.load(sys.stdin).get("result"); print(r if isinstance(r,str) else json.dumps(r))' 2>/dev/null
}

# Fails with one line when no node answers at URL.
check_node() {
    command -v curl >/dev/null 2>&1 || fail "curl not found: install it with 'apt-get install curl'"
    [ -n "$(rpc "$1" system_chain)" ] \
        || fail "node unreachable at $1: start one (e.g. 'substrate-contracts-node --dev', installed by scripts/install-node.sh) or pass its URL"
}

# The cargo target directory of this workspace ($CARGO_TARGET_DIR, or target/).
cargo_target_dir() {
    cargo metadata --no-deps --format-version 1 --locked 2>/dev/null \
        | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])' \
        || fail "cargo metadata failed: run 'cargo metadata --no-deps' to see why"
}

# Where scripts/build.sh keeps the release builds: <cargo target dir>/release/contracts (beside cargo's own
# release/ output).
release_dir() {
    printf '%s/release/contracts' "$(cargo_target_dir)"
}
