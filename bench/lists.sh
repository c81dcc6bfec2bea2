#!/usr/bin/env bash
# What staff lists cost as a session grows: one command, `bench/lists.sh`.
#
# Builds the release binary and, on SQLite and on a PostgreSQL cluster it starts itself, makes a
# meeting and a session through the API (one registration through the API too, the template),
# then grows the session to 5,000 and then 50,000 registrations with SQL copies of that template
# (bench/seed_lists.py: each with its secret link, calendar hold and confirmation email), and
# at each size measures with `wrk -t2 -c8 -d5s --latency`, as an organiser (bearer token):
#   the registration list (page of 50) as HTML and JSON, the waiting list's first page (JSON,
#   waiting positions), the statistics page and API, the outbox list as HTML and JSON,
# and the full CSV export with curl (seconds, rows/s). Prints one markdown table:
# what, backend, rows, req/s, p50, p99 (CSV: seconds and rows/s), errors, and "alone": p50 with
# one connection (`wrk -t1 -c1 -d2s`), what one request costs whatever else runs on the machine;
# then the server's peak resident memory per backend and the load average before and after.
# PostgreSQL is VACUUM ANALYZEd after each seeding (what autovacuum does within a minute: the
# counts kept by triggers were updated once per copied row); SQLite is left as it is.
#
# Environment: DURATION (default 5s), CONNECTIONS (8), BACKENDS ("sqlite postgres"),
# SIZES ("5000 50000"). Needs wrk, curl, python3, psql, initdb/pg_ctl (PostgreSQL 15).
set -euo pipefail
export PATH="$PATH:$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | tail -1)"
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-8}
BACKENDS=${BACKENDS:-"sqlite postgres"}
SIZES=${SIZES:-"5000 50000"}
work=$(mktemp -d); chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  if [ -n "${pgdata:-}" ]; then as_pg pg_ctl -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "building release…" >&2
cargo build --release --quiet
bin=target/release/seminars

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
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $org" "$@" 2>&1)
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {n+=$NF} /Socket errors/ {gsub(",","");n+=$4+$6+$8+$10} END {print n+0}' <<<"$out")
  echo "${rps:-0} ${p50:--} ${p99:--} $errors"
}
# p50 with one connection: the cost of one request
alone() {
  wrk -t1 -c1 -d2s --latency -H "Authorization: Bearer $org" "$@" 2>&1 | awk '$1=="50%" {print $2}'
}
peak_rss() { awk '/VmHWM/ {printf "%d MB", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
post() { curl -sf "$base$1" -H 'Content-Type: application/json' -H "Authorization: Bearer $org" -d "$2"; }

# A meeting next March, a published session with 200 seats of each mode, one registration.
make_session() {
  local year; year=$(( $(date +%Y) + 1 ))
  local meeting; meeting=$(post /api/v1/meetings "{\"kind\":\"study_group\",\"study_group\":1,\"question\":\"22-1/1\",
    \"title\":\"ITU-D Study Group 1, March $year\",\"venue\":\"CICG, Geneva\",\"timezone\":\"Europe/Zurich\",
    \"first_day\":\"$year-03-09\",\"last_day\":\"$year-03-13\"}" | json '["id"]')
  sid=$(post /api/v1/sessions "{\"meeting_id\":\"$meeting\",\"kind\":\"seminar\",\"title\":\"Building cybersecurity capacity\",
    \"description\":\"Experts share national experience.\",\"starts_at\":\"$year-03-10T14:30:00+01:00\",
    \"ends_at\":\"$year-03-10T17:30:00+01:00\",\"capacity\":200,\"remote_capacity\":200}" | json '["id"]')
  post "/api/v1/sessions/$sid/publish" '{}' >/dev/null
  curl -sf "$base/api/v1/sessions/$sid/registrations" -H 'Content-Type: application/json' \
    -d '{"name":"Template Delegate","email":"template@example.org","organisation":"Ministry of ICT",
         "job_title":"Director","country":"KE","stakeholder_category":"policy_maker",
         "attendance":"in_person","consent_directory":true}' >/dev/null
}

rows=(); memory=(); load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for backend in $BACKENDS; do
  case $backend in
    sqlite) url="sqlite://$work/lists.db"; target=$work/lists.db ;;
    postgres) url=$(start_pg); target=$url ;;
  esac
  port=$(free_port)
  export SEMINARS__DATABASE__URL=$url SEMINARS__SERVER__LISTEN=127.0.0.1:$port
  export SEMINARS__LIMITS__ENABLED=false SEMINARS__MAIL__WORKER=false SEMINARS__DATABASE__POOL_SIZE=16
  export SEMINARS__MAIL__OUTBOX_DIR=$work/outbox-$backend SEMINARS__DOCUMENTS__DIR=$work/docs
  "$bin" migrate >/dev/null
  printf 'a long enough password\n' | "$bin" user add --email org@bench.example --name Organiser --role organiser >/dev/null
  RUST_LOG=warn "$bin" serve >"$work/serve-$backend.log" 2>&1 & server=$!; pids+=("$server")
  base=http://127.0.0.1:$port
  for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done
  org=$(curl -sf "$base/api/v1/auth/token" -H 'Content-Type: application/json' \
    -d '{"email":"org@bench.example","password":"a long enough password"}' | json '["token"]')
  make_session
  for size in $SIZES; do
    echo "seeding $backend to $size registrations…" >&2
    python3 bench/seed_lists.py "$backend" "$target" "$sid" "$size" >/dev/null
    for route in "/sessions/$sid/registrations" "/api/v1/sessions/$sid/registrations" \
                 "/api/v1/sessions/$sid/registrations?status=waitlisted" \
                 "/sessions/$sid/registrations/stats" "/api/v1/sessions/$sid/registrations/stats" \
                 "/outbox" "/api/v1/outbox"; do
      curl -sf -o /dev/null -H "Authorization: Bearer $org" "$base$route" || { echo "$route failed" >&2; exit 1; }
      read -r rps p50 p99 errors < <(measure "$base$route")
      one=$(alone "$base$route")
      rows+=("| GET $(sed "s/$sid/{id}/" <<<"$route") | $backend | $size | $rps | $p50 | $p99 | $errors | $one |")
    done
    csv=$work/export.csv
    seconds=$(curl -sf -o "$csv" -w '%{time_total}' -H "Authorization: Bearer $org" \
      "$base/api/v1/sessions/$sid/registrations.csv")
    lines=$(( $(wc -l <"$csv") - 1 ))
    rate=$(python3 -c "print(f'{$lines/$seconds:,.0f} rows/s')")
    rows+=("| GET /api/v1/sessions/{id}/registrations.csv ($lines rows) | $backend | $size | — | ${seconds}s | $rate | 0 | — |")
  done
  memory+=("$backend: $(peak_rss "$server")")
  kill "$server"; wait "$server" 2>/dev/null || true
done

echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%d GB", $2/1048576}' /proc/meminfo), $(uname -r); commit $(git rev-parse --short HEAD); $(date -u +%FT%TZ); wrk -t2 -c$CONNECTIONS -d$DURATION"
echo
echo "| what | backend | rows | req/s | p50 | p99 | errors | alone p50 |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
echo
echo "peak resident memory of the server: ${memory[*]}"
echo "load average (1, 5, 15 min) before: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
