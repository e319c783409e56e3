#!/usr/bin/env bash
# A loopback S3 server (moto's server mode) for the custodian's S3 blob store test.
#
#   scripts/s3-server.sh [PORT]   installs moto[server] into a venv once, starts it on 127.0.0.1:PORT (default
#                                 $HEALTHCHAIN_S3_PORT or 9300) in the background, creates the bucket
#                                 healthchain-test, and prints the endpoint (the only line on stdout):
#                                   export HEALTHCHAIN_S3_ENDPOINT="$(scripts/s3-server.sh)"
#                                   cargo test -p healthchain-custodian s3_store
#   scripts/s3-server.sh stop [PORT]  stops the server this script started on PORT.
#
# The venv lives in ${HEALTHCHAIN_CACHE:-$HOME/.cache/healthchain}/venv; the server's log and pid file next to it.
. "$(dirname "$0")/lib.sh"

CACHE="${HEALTHCHAIN_CACHE:-$HOME/.cache/healthchain}"
VENV="$CACHE/venv"
BUCKET="healthchain-test"

note() { say "$@" >&2; }

action=start
if [ "${1:-}" = "stop" ]; then
    action=stop
    shift
fi
PORT="${1:-${HEALTHCHAIN_S3_PORT:-9300}}"
case "$PORT" in '' | *[!0-9]*) fail "the port must be a number, got '$PORT'" ;; esac
ENDPOINT="http://127.0.0.1:$PORT"
PIDFILE="$CACHE/moto-$PORT.pid"
LOG="$CACHE/moto-$PORT.log"

if [ "$action" = stop ]; then
    if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
        kill "$(cat "$PIDFILE")"
        note "stopped the S3 server on port $PORT"
    else
        note "no S3 server of this script runs on port $PORT"
    fi
    rm -f "$PIDFILE"
    exit 0
fi

command -v curl >/dev/null 2>&1 || fail "curl not found: install it (apt-get install curl)"
mkdir -p "$CACHE"

if [ ! -x "$VENV/bin/moto_server" ]; then
    command -v python3 >/dev/null 2>&1 || fail "python3 not found: install Python 3 with its venv module"
    note "installing moto[server] 5.2.5 into $VENV (once)"
    python3 -m venv "$VENV" >&2 || fail "python3 -m venv failed: install the venv module (apt-get install python3-venv)"
    "$VENV/bin/pip" install --quiet 'moto[server]==5.2.5' >&2 || fail "pip install 'moto[server]' failed: check access to PyPI"
fi

if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null && curl -fsS -o /dev/null "$ENDPOINT/"; then
    note "the S3 server on port $PORT is already running (pid $(cat "$PIDFILE"))"
else
    if curl -s -o /dev/null "$ENDPOINT/"; then
        fail "port $PORT is taken by another program: pass another port (scripts/s3-server.sh PORT)"
    fi
    nohup "$VENV/bin/moto_server" -H 127.0.0.1 -p "$PORT" >"$LOG" 2>&1 &
    echo $! >"$PIDFILE"
    for _ in $(seq 1 60); do
        curl -fsS -o /dev/null "$ENDPOINT/" 2>/dev/null && break
        kill -0 "$(cat "$PIDFILE")" 2>/dev/null || fail "moto_server exited: see $LOG"
        sleep 0.5
    done
    curl -fsS -o /dev/null "$ENDPOINT/" || fail "moto_server did not answer on $ENDPOINT within 30 s: see $LOG"
    note "S3 server (moto) started on $ENDPOINT (pid $(cat "$PIDFILE"), log $LOG); stop it with scripts/s3-server.sh stop $PORT"
fi

# Creating an existing bucket is harmless in moto (it answers 200 or 409).
status="$(curl -s -o /dev/null -w '%{http_code}' -X PUT "$ENDPOINT/$BUCKET")"
case "$status" in
    200 | 409) ;;
    *) fail "creating the bucket $BUCKET answered HTTP $status: see $LOG" ;;
esac
echo "$ENDPOINT"
