#!/usr/bin/env bash
# Benchmarks (issue #9): ref_time, proof_size and storage deposit of every message of the contracts beside an
# ERC-20 baseline, and their scaling with stored data. Release-builds the contracts and the baseline, runs
# healthchain-bench on the in-process sandbox, then on a substrate-contracts-node when one is installed (started
# here on a free port with a temporary chain, stopped afterwards). Writes BENCHMARKS.md and bench/results/<backend>.json.
# Usage: scripts/bench.sh [healthchain-bench options: --count N (default 10000), --node-count N (default 1000),
#                          --compare FILE, --quiet]
#        scripts/bench.sh --custodian [options of custodian/src/bin/bench.rs: --releases N, --keys N, --dir DIR]
#   --custodian: only the custodian (issue #17): release throughput and latency, encryption throughput and resident
#   memory; writes bench/results/custodian.md and renders BENCHMARKS.md again (the contract figures unchanged).
. "$(dirname "$0")/lib.sh"

ensure_toolchain

if [ "${1:-}" = "--custodian" ]; then
    shift
    say "building and running the custodian benchmark (a release build of the custodian: a few minutes the first time)"
    start=$SECONDS
    cargo run --quiet --locked --release -p healthchain-custodian --features bench --bin healthchain-custodian-bench -- "$@" \
        || fail "the custodian benchmark failed: see the message above"
    say "custodian benchmark done in $((SECONDS - start)) s"
    say "rendering BENCHMARKS.md from bench/results (a debug build of healthchain-bench, as below)"
    cargo run --quiet --locked -p healthchain-bench -- --render || fail "could not render BENCHMARKS.md: see above"
    exit 0
fi

# 1. Release builds: the contracts and the ERC-20 baseline, locked, kept in <target>/release/contracts.
say "release-building the contracts and the ERC-20 baseline"
start=$SECONDS
build_contracts "${CONTRACTS[@]}" erc20 || fail "the release builds failed: see above, or run 'scripts/build.sh' alone"
wasm_dir="$(release_dir)"
say "release builds done in $((SECONDS - start)) s"

# 2. The benchmark program (a debug build, like the test harness: the first build compiles the sandbox's runtime).
say "building healthchain-bench (the first build compiles the Substrate runtime the sandbox embeds: allow 30-40 minutes on 2 cores)"
start=$SECONDS
cargo build --quiet --locked -p healthchain-bench || fail "healthchain-bench did not build: see the compiler output above"
say "healthchain-bench built in $((SECONDS - start)) s"
run_bench() { cargo run --quiet --locked -p healthchain-bench -- --wasm-dir "$wasm_dir" "$@"; }

# 3. The sandbox.
say "benchmarking on the in-process sandbox (populating 10,000 entries of each kind takes about 15 minutes; --count N for fewer)"
start=$SECONDS
run_bench "$@" || fail "the sandbox benchmark failed: see the message above"
say "sandbox benchmark done in $((SECONDS - start)) s"

# 4. A node, if there is one.
if ! node="$(find_node)"; then
    say "node benchmark skipped: substrate-contracts-node not found (install it with scripts/install-node.sh, or set CONTRACTS_NODE)"
    [ -f bench/results/node.json ] && say "note: BENCHMARKS.md still shows the node figures of an earlier run (bench/results/node.json)"
    exit 0
fi
command -v curl >/dev/null 2>&1 || fail "curl not found: install it with 'apt-get install curl'"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
url="ws://127.0.0.1:$port"
log="$(mktemp)"
say "starting $node --dev --tmp on port $port (log: $log)"
"$node" --dev --tmp --rpc-port "$port" >"$log" 2>&1 &
node_pid=$!
stop_node() {
    if kill -0 "$node_pid" 2>/dev/null; then
        kill "$node_pid" 2>/dev/null || true
        wait "$node_pid" 2>/dev/null || true
    fi
}
trap stop_node EXIT
for _ in $(seq 1 60); do
    [ -n "$(rpc "$url" system_chain)" ] && break
    kill -0 "$node_pid" 2>/dev/null || fail "the node exited at start: see $log"
    sleep 1
done
[ -n "$(rpc "$url" system_chain)" ] || fail "the node did not answer on $url within 60 s: see $log"
say "benchmarking on the node at $url (every populated entry is a block: --node-count N to change how many, default 1000)"
start=$SECONDS
run_bench --node "$url" "$@" || fail "the node benchmark failed: see the message above and the node's log $log"
say "node benchmark done in $((SECONDS - start)) s"
stop_node
rm -f "$log"
