#!/usr/bin/env bash
# Benchmark (issue 13): the HTTP API against a minimal Kestrel hello-world (tests/HelloKestrel, one GET route,
# Release), on loopback, one after the other with the same wrk load, and the ratios. Not part of the test suite.
#   scripts/bench-api.sh              hello-world /, then the appliance's /v1/entropy?bytes=32 and /v1/pulses/latest
#   scripts/bench-api.sh memory [S]   the appliance under the same load on /v1/entropy for S seconds (default 300),
#                                     RSS sampled every 10 s
# The appliance runs `qrng run --sim --sim-devices truerng` (one simulated TrueRNG: the API is measured, not the other eight
# simulated models, which cost ~40 % of a core) with Appliance:RateLimits:Enabled=false: the per-address
# limit (200 requests/s by default) would otherwise answer wrk's single address with 429s and measure the limiter.
# Goal: entropy >= 0.8x hello-world req/s with p99 <= 3x its p99; pulses/latest >= 0.9x. Each run gets a 5 s warm-up
# (JIT tiering) that is not counted. Load: WRK_THREADS (2), WRK_CONNECTIONS (16), WRK_SECONDS (15).
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-compare}
threads=${WRK_THREADS:-2}
connections=${WRK_CONNECTIONS:-16}
seconds=${WRK_SECONDS:-15}
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

./scripts/install-test-deps.sh >/dev/null
dotnet build src/QrngAppliance -c Release --nologo -v q >/dev/null
dotnet build tests/HelloKestrel -c Release --nologo -v q >/dev/null

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

wait_for() { # url: until it answers 200, at most 60 s
  for _ in $(seq 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$1") == 200 ]] && return 0
    sleep 0.1
  done
  echo "timed out waiting for $1" >&2
  exit 1
}

cpu_seconds() { # pid: user + system CPU seconds so far
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$1/stat"
}

start_hello() {
  local port; port=$(free_port)
  dotnet tests/HelloKestrel/bin/Release/net10.0/HelloKestrel.dll --urls "http://127.0.0.1:$port" >"$work/hello.log" 2>&1 &
  pids+=($!); server_pid=$!; base="http://127.0.0.1:$port"
  wait_for "$base/"
}

start_appliance() {
  local port; port=$(free_port)
  printf '{"Appliance": {"RateLimits": {"Enabled": false}}}\n' >"$work/bench.json"
  dotnet src/QrngAppliance/bin/Release/net10.0/qrng.dll run --sim --sim-devices truerng --config "$work/bench.json" --data "$work/data" \
    --urls "http://127.0.0.1:$port" >"$work/qrng.log" 2>&1 &
  pids+=($!); server_pid=$!; base="http://127.0.0.1:$port"
  wait_for "$base/v1/entropy?bytes=32"
  wait_for "$base/v1/pulses/latest"
}

to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.2f", v }'; }

# measure label url: warm-up, then the counted run; appends "label rps p50 p99 non2xx cpu load" to $work/results
measure() {
  local label=$1 url=$2
  wrk -t"$threads" -c"$connections" -d5s "$url" >/dev/null
  local load cpu0 cpu1
  load=$(cut -d' ' -f1 /proc/loadavg)
  cpu0=$(cpu_seconds "$server_pid")
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency "$url" >"$work/$label.wrk"
  cpu1=$(cpu_seconds "$server_pid")
  local rps p50 p99 errors
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$work/$label.wrk")
  p50=$(awk '$1 == "50%" { print $2 }' "$work/$label.wrk" | to_ms)
  p99=$(awk '$1 == "99%" { print $2 }' "$work/$label.wrk" | to_ms)
  errors=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$work/$label.wrk")
  echo "$label $rps $p50 $p99 ${errors:-0} $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", b - a }') $load" >>"$work/results"
}

stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

echo "machine: $(nproc) cores; load: wrk -t$threads -c$connections -d${seconds}s per route (after a 5 s warm-up), loopback"

if [[ $mode == memory ]]; then
  duration=${2:-300}
  start_appliance
  wrk -t"$threads" -c"$connections" -d"${duration}s" "$base/v1/entropy?bytes=32" >"$work/memory.wrk" &
  wrk_pid=$!
  printf '%6s %10s %12s\n' "t (s)" "RSS (MiB)" "load (1 min)"
  for ((t = 0; t <= duration; t += 10)); do
    printf '%6d %10.1f %12s\n' "$t" "$(awk '/^VmRSS:/ { print $2 / 1024 }' "/proc/$server_pid/status")" "$(cut -d' ' -f1 /proc/loadavg)"
    ((t + 10 <= duration)) && sleep 10
  done
  wait "$wrk_pid"
  grep -E 'Requests/sec|Non-2xx' "$work/memory.wrk"
  stop_server
  exit 0
fi

start_hello
measure hello-world "$base/"
stop_server
start_appliance
measure entropy "$base/v1/entropy?bytes=32"
measure pulses-latest "$base/v1/pulses/latest"
stop_server

awk '
  NR == 1 { hr = $2; hp = $4 }
  { rows[NR] = $0 }
  END {
    printf "%-16s %10s %9s %9s %8s %9s %6s %12s %12s\n", "route", "req/s", "p50 ms", "p99 ms", "non-2xx", "cpu-s", "load", "req/s ratio", "p99 ratio"
    for (i = 1; i <= NR; i++) {
      split(rows[i], f, " ")
      printf "%-16s %10.0f %9.2f %9.2f %8d %9.1f %6s %11.2fx %11.2fx\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[2] / hr, f[4] / hp
    }
  }' "$work/results"
