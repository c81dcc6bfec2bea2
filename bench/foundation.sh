#!/usr/bin/env bash
# Rerunnable foundation benchmark: binary size, idle resident memory, and the throughput of
# GET /api/v1/sessions on SQLite, measured with wrk against 127.0.0.1 only.
# Usage: bench/foundation.sh [seconds] [connections]   (needs: apt-get install wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
connections=${2:-32}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --quiet
bin="$target/release/seminars"
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export SEMINARS__DATABASE__URL="sqlite://$work/bench.db"
export SEMINARS__SERVER__LISTEN="127.0.0.1:$port"
export SEMINARS__MAIL__OUTBOX_DIR="$work/outbox"
export SEMINARS__LIMITS__ENABLED=false
export RUST_LOG=warn
"$bin" demo >/dev/null
"$bin" serve >/dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
sleep 1
echo "binary size: $(du -h "$bin" | cut -f1) ($(stat -c %s "$bin") bytes)"
echo "idle resident memory: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
echo "GET /api/v1/sessions on SQLite, $connections connections, ${seconds}s:"
wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/api/v1/sessions" | sed 's/^/  /'
echo "resident memory after load: $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB"
