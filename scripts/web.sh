#!/usr/bin/env bash
# The web app (web/): typed TypeScript client, React pages, tests in headless Chromium.
#   scripts/web.sh install        npm ci in web/; Debian's chromium (apt-get) when /usr/bin/chromium is missing
#   scripts/web.sh types          regenerate web/client/src/generated from the contracts' release metadata
#   scripts/web.sh check-types    fail when the committed types differ from what the metadata gives
#   scripts/web.sh test           unit tests; with substrate-contracts-node: a node on a free port, the suite
#                                 deployed, a custodian (when its binary exists), node and browser tests
#   scripts/web.sh serve [--url ws://127.0.0.1:9944] [--manifest deployments/local.json] [--port 5173]
#                        [--custodian http://127.0.0.1:8420] [--production]
#                                 build and serve the app against a node (dev accounts unless --production)
#   scripts/web.sh bench          patient page load time on a local node (a node is started as for `test`)
# Metadata: $HEALTHCHAIN_METADATA_DIR, else <cargo target dir>/release/contracts (scripts/build.sh).
. "$(dirname "$0")/lib.sh"

WEB="$ROOT/web"
RESULTS="$WEB/test-results"
CHROMIUM="${HEALTHCHAIN_CHROMIUM:-/usr/bin/chromium}"
BOB=5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty   # //Bob: the issuer the tests' deployment appoints

require_node() {
    command -v node >/dev/null 2>&1 || fail "Node.js not found: install Node.js 20 or newer (e.g. 'apt-get install nodejs npm')"
    command -v npm >/dev/null 2>&1 || fail "npm not found: install it (e.g. 'apt-get install npm')"
    local major
    major="$(node -p 'process.versions.node.split(".")[0]')"
    [ "$major" -ge 20 ] || fail "Node.js $(node -v) is too old: install Node.js 20 or newer"
}

npm_ci() {
    say "installing the web dependencies (npm ci in web/)"
    (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) \
        || fail "npm ci failed in web/: check access to the npm registry (if the lock is out of date: cd web && npm install, and commit package-lock.json)"
}

# npm ci when node_modules is missing or older than the lock file.
ensure_deps() {
    require_node
    if [ ! -f "$WEB/node_modules/.package-lock.json" ] || [ "$WEB/package-lock.json" -nt "$WEB/node_modules/.package-lock.json" ]; then
        npm_ci
    fi
}

ensure_chromium() {
    [ -x "$CHROMIUM" ] && return 0
    [ "$CHROMIUM" = /usr/bin/chromium ] || fail "no Chromium at HEALTHCHAIN_CHROMIUM=$CHROMIUM: point it at a chromium binary or unset it"
    command -v apt-get >/dev/null 2>&1 || fail "chromium not found and no apt-get: install Chromium and set HEALTHCHAIN_CHROMIUM to its binary"
    local sudo=""
    [ "$(id -u)" = 0 ] || { command -v sudo >/dev/null 2>&1 && sudo="sudo"; } || fail "chromium not found: install it with 'apt-get install chromium' as root"
    say "installing Debian's chromium with apt-get (once; the browser tests drive it, no browser is downloaded)"
    { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >"${TMPDIR:-/tmp}/healthchain-chromium-install.log" 2>&1 \
        || fail "apt-get could not install chromium: see ${TMPDIR:-/tmp}/healthchain-chromium-install.log"
}

metadata_dir() {
    if [ -n "${HEALTHCHAIN_METADATA_DIR:-}" ]; then
        printf '%s' "$HEALTHCHAIN_METADATA_DIR"
    else
        release_dir
    fi
}

# gen_types OUT: the generated types of the metadata in OUT (dedot's progress output only on failure).
gen_types() {
    local dir log
    dir="$(metadata_dir)"
    [ -f "$dir/records/records.json" ] || fail "no contract metadata in $dir: build the contracts with scripts/build.sh (or set HEALTHCHAIN_METADATA_DIR)"
    log="$(mktemp)"
    node "$WEB/scripts/gen-types.mjs" "$dir" "$1" >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; fail "type generation failed: see dedot's output above"; }
    rm -f "$log"
}

cmd_types() {
    ensure_deps
    say "generating web/client/src/generated from $(metadata_dir)"
    gen_types "$WEB/client/src/generated"
    say "done: review with 'git diff web/client/src/generated' and commit"
}

# check_types: 0 when the committed types are what the metadata gives.
check_types() {
    local tmp status=0
    tmp="$(mktemp -d)"
    gen_types "$tmp"
    diff -r -q "$tmp" "$WEB/client/src/generated" >"$tmp.diff" 2>&1 || status=1
    if [ "$status" -ne 0 ]; then
        sed 's/^/    /' "$tmp.diff" >&2
    fi
    rm -rf "$tmp" "$tmp.diff"
    return "$status"
}

cmd_check_types() {
    ensure_deps
    check_types || fail "the committed types in web/client/src/generated differ from the contracts' metadata: run scripts/web.sh types and commit"
    say "the committed types match the contracts' metadata"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

custodian_bin() {
    if [ -n "${HEALTHCHAIN_CUSTODIAN_BIN:-}" ]; then printf '%s' "$HEALTHCHAIN_CUSTODIAN_BIN"; return 0; fi
    local target
    target="$(cargo_target_dir)"
    for candidate in "$target/debug/healthchain-custodian" "$target/release/healthchain-custodian"; do
        [ -x "$candidate" ] && { printf '%s' "$candidate"; return 0; }
    done
    command -v healthchain-custodian 2>/dev/null && return 0
    return 1
}

PIDS=()
STACK_NETWORK=""
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    if [ -n "$STACK_NETWORK" ]; then
        rm -rf "$ROOT/deployments/$STACK_NETWORK.json" "$ROOT/deployments/$STACK_NETWORK"
    fi
    [ -z "${STACK_TMP:-}" ] || rm -rf "$STACK_TMP"
}

# start_stack: a dev node on a free port, the suite deployed, a custodian when its binary exists. Sets NODE_URL,
# MANIFEST, CUSTODIAN_URL (empty when skipped) and SKIPPED_CUSTODIAN; returns 1 (with SKIP_REASON) when no node.
start_stack() {
    local node port cport bin
    node="$(find_node)" || { SKIP_REASON="substrate-contracts-node not found (install it with scripts/install-node.sh)"; return 1; }
    [ -f "$(release_dir)/council/council.contract" ] || { SKIP_REASON="the contracts' release builds are missing in $(release_dir) (run scripts/build.sh)"; return 1; }
    mkdir -p "$RESULTS"
    STACK_TMP="$(mktemp -d)"
    trap cleanup EXIT
    port="$(free_port)"
    say "starting substrate-contracts-node --dev on port $port (log: web/test-results/node.log)"
    "$node" --dev --tmp --rpc-port "$port" --port 0 --no-prometheus --no-telemetry >"$RESULTS/node.log" 2>&1 &
    PIDS+=($!)
    NODE_URL="ws://127.0.0.1:$port"
    for _ in $(seq 1 120); do
        [ -n "$(rpc "$NODE_URL" system_chain)" ] && break
        kill -0 "${PIDS[-1]}" 2>/dev/null || fail "the node stopped: see web/test-results/node.log"
        sleep 0.5
    done
    [ -n "$(rpc "$NODE_URL" system_chain)" ] || fail "the node did not answer within 60 s: see web/test-results/node.log"
    STACK_NETWORK="web-test-$port"
    MANIFEST="$ROOT/deployments/$STACK_NETWORK.json"
    say "deploying the suite (scripts/deploy.sh --network $STACK_NETWORK; log: web/test-results/deploy.log)"
    "$ROOT/scripts/deploy.sh" --url "$NODE_URL" --network "$STACK_NETWORK" --issuer "$BOB" >"$RESULTS/deploy.log" 2>&1 \
        || { tail -n 5 "$RESULTS/deploy.log" >&2; fail "the deployment failed: see web/test-results/deploy.log"; }
    CUSTODIAN_URL=""
    SKIPPED_CUSTODIAN=""
    if bin="$(custodian_bin)"; then
        cport="$(free_port)"
        say "starting the custodian on port $cport (log: web/test-results/custodian.log)"
        "$bin" --listen "127.0.0.1:$cport" --node "$NODE_URL" --deployment "$MANIFEST" --data-dir "$STACK_TMP/custodian" \
            >"$RESULTS/custodian.log" 2>&1 &
        PIDS+=($!)
        for _ in $(seq 1 100); do
            curl -fsS -o /dev/null "http://127.0.0.1:$cport/v1/health" 2>/dev/null && break
            kill -0 "${PIDS[-1]}" 2>/dev/null || fail "the custodian stopped: see web/test-results/custodian.log"
            sleep 0.2
        done
        curl -fsS -o /dev/null "http://127.0.0.1:$cport/v1/health" || fail "the custodian did not answer within 20 s: see web/test-results/custodian.log"
        CUSTODIAN_URL="http://127.0.0.1:$cport"
    else
        SKIPPED_CUSTODIAN="no healthchain-custodian binary (build it with 'cargo build -p healthchain-custodian', or set HEALTHCHAIN_CUSTODIAN_BIN)"
    fi
}

# build_app MODE MANIFEST URL CUSTODIAN_PUBLIC: vite build (mode demo carries the dev wallet) and the run-time files.
build_app() {
    (cd "$WEB/app" && npx vite build --mode "$1" --logLevel error) >"$RESULTS/build.log" 2>&1 \
        || { tail -n 20 "$RESULTS/build.log" >&2; fail "the app did not build: see web/test-results/build.log"; }
    node "$WEB/scripts/stage.mjs" "$WEB/app/dist" "$2" "$3" "$4"
}

PASSED=0
FAILED=0
SKIPPED=0
# run_vitest NAME [vitest args]: runs, adds its counts (from its JSON report) to the totals.
run_vitest() {
    local name="$1" report status=0
    shift
    report="$RESULTS/$name.json"
    rm -f "$report"
    (cd "$WEB" && npx vitest run "$@" --reporter=default --reporter=json --outputFile.json="$report") || status=$?
    if [ -f "$report" ]; then
        read -r p f s < <(node -e 'const r = require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTests ?? 0), r.numPendingTests + r.numTodoTests)' "$report")
        PASSED=$((PASSED + p)); FAILED=$((FAILED + f)); SKIPPED=$((SKIPPED + s))
        [ "$status" -eq 0 ] || [ "$f" -gt 0 ] || FAILED=$((FAILED + 1))
    else
        FAILED=$((FAILED + 1))
    fi
}

cmd_test() {
    ensure_deps
    mkdir -p "$RESULTS"
    local skipped=()
    say "type-checking web/client and web/app (tsc)"
    (cd "$WEB" && npx tsc -p client && npx tsc -p app) || { FAILED=$((FAILED + 1)); echo "error: the TypeScript does not type-check (above)" >&2; }
    if [ -f "$(metadata_dir)/records/records.json" ]; then
        say "checking the committed types against the contracts' metadata"
        if check_types; then PASSED=$((PASSED + 1)); else FAILED=$((FAILED + 1)); echo "error: the committed types differ from the metadata: run scripts/web.sh types and commit" >&2; fi
    else
        skipped+=("the types check: no contract metadata in $(metadata_dir) (run scripts/build.sh)")
    fi
    say "unit tests (vitest)"
    run_vitest unit
    if start_stack; then
        say "node tests against $NODE_URL${CUSTODIAN_URL:+ with the custodian at $CUSTODIAN_URL}"
        HEALTHCHAIN_WEB_URL="$NODE_URL" HEALTHCHAIN_WEB_MANIFEST="$MANIFEST" HEALTHCHAIN_WEB_CUSTODIAN="$CUSTODIAN_URL" \
            run_vitest node -c vitest.node.config.ts
        [ -z "$SKIPPED_CUSTODIAN" ] || skipped+=("the custodian tests (node and browser): $SKIPPED_CUSTODIAN")
        if [ -z "$CUSTODIAN_URL" ]; then
            :
        elif [ -x "$CHROMIUM" ]; then
            say "building the app (mode demo: with the development wallet) and running the browser tests in $CHROMIUM"
            build_app demo "$MANIFEST" "$NODE_URL" "$CUSTODIAN_URL"
            HEALTHCHAIN_WEB_URL="$NODE_URL" HEALTHCHAIN_WEB_MANIFEST="$MANIFEST" HEALTHCHAIN_CUSTODIAN="$CUSTODIAN_URL" \
                HEALTHCHAIN_CHROMIUM="$CHROMIUM" run_vitest browser -c vitest.browser.config.ts
        else
            skipped+=("the browser tests: no chromium at $CHROMIUM (scripts/web.sh install installs it)")
        fi
    else
        skipped+=("the node and browser tests: $SKIP_REASON")
    fi
    local line
    for line in "${skipped[@]}"; do
        say "skipped $line"
    done
    echo "web: $PASSED passed, $FAILED failed, $SKIPPED skipped"
    [ "$FAILED" -eq 0 ]
}

cmd_serve() {
    local url="ws://127.0.0.1:9944" manifest="deployments/local.json" port=5173 custodian="http://127.0.0.1:8420" mode=demo
    while [ $# -gt 0 ]; do
        case "$1" in
            --url) url="$2"; shift 2 ;;
            --manifest) manifest="$2"; shift 2 ;;
            --port) port="$2"; shift 2 ;;
            --custodian) custodian="$2"; shift 2 ;;
            --production) mode=production; shift ;;
            *) fail "unknown option '$1': see the usage at the top of scripts/web.sh" ;;
        esac
    done
    ensure_deps
    check_node "$url"
    [ -f "$manifest" ] || fail "no deployment manifest at $manifest: deploy with 'scripts/deploy.sh --url $url' (or pass --manifest)"
    mkdir -p "$RESULTS"
    say "building the app (mode $mode) against $url and $manifest"
    build_app "$mode" "$manifest" "$url" "$custodian"
    say "serving on http://127.0.0.1:$port/ (custodian API proxied to $custodian); Ctrl-C stops"
    cd "$WEB/app" && HEALTHCHAIN_CUSTODIAN="$custodian" exec "$WEB/node_modules/.bin/vite" preview --host 127.0.0.1 --port "$port" --strictPort
}

cmd_bench() {
    ensure_deps
    [ -x "$CHROMIUM" ] || fail "no chromium at $CHROMIUM: run scripts/web.sh install"
    start_stack || fail "the benchmark needs a node: $SKIP_REASON"
    build_app demo "$MANIFEST" "$NODE_URL" "${CUSTODIAN_URL:-http://127.0.0.1:8420}"
    HEALTHCHAIN_WEB_URL="$NODE_URL" HEALTHCHAIN_WEB_MANIFEST="$MANIFEST" HEALTHCHAIN_CUSTODIAN="${CUSTODIAN_URL:-http://127.0.0.1:8420}" \
        HEALTHCHAIN_CHROMIUM="$CHROMIUM" node "$WEB/app/test/bench.mjs"
}

case "${1:-}" in
    install) require_node; npm_ci; ensure_chromium; say "installed: web/node_modules and $CHROMIUM" ;;
    types) cmd_types ;;
    check-types) cmd_check_types ;;
    test) cmd_test ;;
    serve) shift; cmd_serve "$@" ;;
    bench) cmd_bench ;;
    *) fail "usage: scripts/web.sh install|types|check-types|test|serve|bench (see the top of scripts/web.sh)" ;;
esac
