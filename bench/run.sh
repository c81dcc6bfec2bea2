#!/usr/bin/env bash
# The benchmark suite: one command, `bench/run.sh`.
#
# Builds the release binary, seeds a realistic database (a meeting, 10 sessions × 12 approved
# agenda items, 40 speakers invited to them, 5,000 registrations) on SQLite and on a PostgreSQL cluster it starts itself, runs `wrk -t2 -c64 -d8s`
# against each public route and a registration POST, serves the very bytes of each measured
# response from nginx (Debian's nginx-light) on 127.0.0.1 in the same run, and prints one table:
# route, backend, connections, req/s, p50, p99, errors, peak RSS of the server, nginx req/s, ratio.
#
# Registrations are measured into an eleventh session left empty, then into the same session once
# wrk has filled it up to FULL registrations (default 50,000): the rate must not fall with size.
#
# Environment: DURATION (default 8s), CONNECTIONS (64), BACKENDS ("sqlite postgres"),
# REGISTRATIONS (5000), FULL (50000), ROUTES (the GET routes to measure; default all). Needs wrk, nginx, python3, initdb/pg_ctl (PostgreSQL 15).
set -euo pipefail
export PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)"
cd "$(dirname "$0")/.."
DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-64}
BACKENDS=${BACKENDS:-"sqlite postgres"}
REGISTRATIONS=${REGISTRATIONS:-5000}
FULL=${FULL:-50000}
ROUTES=${ROUTES-"/ /sessions/{id} /sessions/{id}/calendar.ics /api/v1/sessions/{id} /api/v1/sessions/{id}/programme /api/v1/sessions /healthz"}
work=$(mktemp -d); chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "${pgdata:-}" ]; then as_pg pg_ctl -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ -f "$work/nginx.pid" ]; then kill "$(cat "$work/nginx.pid")" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "building release…" >&2
cargo build --release --quiet
bin=target/release/seminars

# nginx serving the saved bytes of every measured response.
nginx_port=$(free_port)
mkdir -p "$work/www" "$work/nginx"
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  default_type application/octet-stream;
  server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"

start_pg() {
  local dir=$work/pg; mkdir -p "$dir"; [ "$(id -u)" = 0 ] && chown postgres "$dir"
  pgdata=$dir/data; pg_port=$(free_port)
  as_pg initdb -D "$pgdata" -A trust -U postgres >/dev/null
  as_pg pg_ctl -D "$pgdata" -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir -c max_connections=200" \
    -l "$dir/log" -w start >/dev/null
  echo "postgres://postgres@127.0.0.1:$pg_port/postgres"
}

# wrk's summary → "req/s p50 p99 errors"
measure() {
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" 2>&1)
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",","");n+=$4+$6+$8+$10} END {print n+0}' <<<"$out")
  echo "${rps:-0} ${p50:--} ${p99:--} $errors"
}
peak_rss() { awk '/VmHWM/ {printf "%d MB", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }

rows=(); idle=()
for backend in $BACKENDS; do
  case $backend in
    sqlite) url="sqlite://$work/bench.db" ;;
    postgres) url=$(start_pg) ;;
  esac
  port=$(free_port)
  export SEMINARS__DATABASE__URL=$url SEMINARS__SERVER__LISTEN=127.0.0.1:$port
  export SEMINARS__LIMITS__ENABLED=false SEMINARS__MAIL__WORKER=false SEMINARS__DATABASE__POOL_SIZE=32
  export SEMINARS__MAIL__OUTBOX_DIR=$work/outbox-$backend SEMINARS__DOCUMENTS__DIR=$work/docs
  "$bin" migrate >/dev/null
  printf 'a long enough password\n' | "$bin" user add --email org@bench.example --name Organiser --role organiser >/dev/null
  printf 'a long enough password\n' | "$bin" user add --email rap@bench.example --name Rapporteur --role rapporteur >/dev/null
  RUST_LOG=warn "$bin" serve >"$work/serve-$backend.log" 2>&1 & server=$!; pids+=("$server")
  base=http://127.0.0.1:$port
  for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done
  sleep 1; idle_rss=$(awk '/VmRSS/ {printf "%d MB", $2/1024}' "/proc/$server/status")
  token() { curl -sf "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"a long enough password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
  org=$(token org@bench.example); rap=$(token rap@bench.example)
  rap_id=$(curl -sf "$base/api/v1/me" -H "Authorization: Bearer $rap" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  echo "seeding $backend…" >&2
  sessions=$(python3 bench/seed.py "$base" "$org" "$rap" "$rap_id" "$REGISTRATIONS")
  sid=${sessions%% *}
  registered() { curl -sf "$base/api/v1/sessions/$1/registrations?limit=1" -H "Authorization: Bearer $org" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
  for route in ${ROUTES//\{id\}/$sid}; do
    file=$work/www/$(echo "$backend$route" | tr '/' '_')
    curl -sf "$base$route" -o "$file"
    read -r rps p50 p99 errors < <(measure "$base$route")
    read -r nrps _ _ _ < <(measure "http://127.0.0.1:$nginx_port/$(basename "$file")")
    ratio=$(python3 -c "print(f'{$rps/$nrps:.3f}' if $nrps else '-')")
    rows+=("| GET $route | $backend | $CONNECTIONS | $rps | $p50 | $p99 | $errors | $(peak_rss "$server") | $nrps | $ratio |")
  done
  # Registrations into the session left empty, then into the same once it holds $FULL.
  rush=${sessions##* }
  read -r rps p50 p99 errors < <(measure -s bench/register.lua "$base" -- "$rush" "empty-$backend")
  rows+=("| POST …/registrations, empty session | $backend | $CONNECTIONS | $rps | $p50 | $p99 | $errors | $(peak_rss "$server") | — | — |")
  held=$(registered "$rush")
  if [ "$held" -lt "$FULL" ]; then
    echo "filling the session up to $FULL registrations…" >&2
    # wrk runs until its duration ends even when its threads stop: stop it once the session is full.
    wrk -t2 -c"$CONNECTIONS" -d900s -s bench/register.lua "$base" -- "$rush" "fill-$backend" $(( (FULL - held) / 2 + 1 )) >/dev/null & filler=$!
    while [ "$(registered "$rush")" -lt "$FULL" ] && kill -0 "$filler" 2>/dev/null; do sleep 2; done
    kill "$filler" 2>/dev/null || true; wait "$filler" 2>/dev/null || true
    held=$(registered "$rush")
  fi
  read -r rps p50 p99 errors < <(measure -s bench/register.lua "$base" -- "$rush" "full-$backend")
  rows+=("| POST …/registrations, session holding $held | $backend | $CONNECTIONS | $rps | $p50 | $p99 | $errors | $(peak_rss "$server") | — | — |")
  idle+=("$backend: $idle_rss idle after start, $(awk '/VmRSS/ {printf "%d MB", $2/1024}' "/proc/$server/status") after the run")
  kill "$server"; wait "$server" 2>/dev/null || true
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%d GB", $2/1048576}' /proc/meminfo), $(uname -r); commit $(git rev-parse --short HEAD); $(date -u +%FT%TZ)"
echo
echo "| route | backend | connections | req/s | p50 | p99 | errors | peak RSS | nginx req/s | ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
echo
echo "resident memory of the server:"
printf -- '- %s\n' "${idle[@]}"
