#!/usr/bin/env bash
# /metrics scrape latency and CPU: a baseline revision (default main, the hand-written exposition) against the
# working tree (prometheus-net), back to back in one run, each as a real `qrng run --sim` answering curl.
#
#   scripts/bench-metrics-scrape.sh [BASELINE_REV] [SCRAPES] [ROUNDS]
#
# BASELINE_REV defaults to where this branch left main. Builds go to /tmp/qrng-bench-scrape (kept, so a rerun
# builds incrementally); each run's appliance state goes to a temp folder that is removed.
#
# Each round starts each build in turn, waits for /readyz, warms up with 200 scrapes, measures the process's idle
# CPU over 5 s, then times SCRAPES (default 2000) sequential scrapes on one keep-alive connection (one curl, so no
# process start per request). Reported per build and round: body size, latency mean/p50/p90/p99 (curl's
# time_total), wall seconds, the appliance's CPU-seconds during the loop and per scrape with the idle rate taken
# off. The machine is shared: uptime is printed with every round; compare CPU-seconds as well as wall time.
set -euo pipefail

baseline_rev=${1:-$(git -C "$(dirname "$0")/.." merge-base main HEAD)}
scrapes=${2:-2000}
rounds=${3:-2}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=/tmp/qrng-bench-scrape
state=$(mktemp -d /tmp/qrng-bench-scrape-state.XXXXXX)
mkdir -p "$work"
pid=
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$state"
}
trap cleanup EXIT

build() { # name, source dir
  dotnet build "$2/src/QrngAppliance/QrngAppliance.csproj" -c Release -o "$work/$1/bin" -nologo -v q >"$work/$1.build.log" 2>&1 \
    || { cat "$work/$1.build.log"; exit 1; }
}

echo "baseline: $baseline_rev ($(git -C "$repo" rev-parse --short "$baseline_rev")); candidate: working tree ($(git -C "$repo" rev-parse --short HEAD)$(git -C "$repo" diff --quiet || echo '+dirty'))"
rm -rf "$work/baseline-src"; mkdir -p "$work/baseline-src"
git -C "$repo" archive "$baseline_rev" | tar -x -C "$work/baseline-src"
build baseline "$work/baseline-src"
build candidate "$repo"

cpu_seconds() { # utime + stime of a pid, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) / hz }' "/proc/$1/stat"
}

measure() { # name, port
  local name=$1 port=$2 url="http://127.0.0.1:$2/metrics" data="$state/$1-data-$RANDOM"
  (cd "$state" && exec dotnet "$work/$name/bin/qrng.dll" run --sim --urls "http://127.0.0.1:$port" --data "$data") >"$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log"; exit 1; }
    sleep 0.5
  done
  curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" || { echo "$name never became ready"; cat "$work/$name.log"; exit 1; }

  local config="$work/$name.curl"
  : >"$config"
  for _ in $(seq 1 200); do echo "url = \"$url\"" >>"$config"; echo 'output = "/dev/null"' >>"$config"; done
  curl -s -K "$config" >/dev/null

  local idle0 idle1
  idle0=$(cpu_seconds "$pid"); sleep 5; idle1=$(cpu_seconds "$pid")

  : >"$config"
  for _ in $(seq 1 "$scrapes"); do echo "url = \"$url\"" >>"$config"; echo 'output = "/dev/null"' >>"$config"; done
  local bytes cpu0 cpu1 start end
  bytes=$(curl -s "$url" | wc -c)
  cpu0=$(cpu_seconds "$pid"); start=$(date +%s.%N)
  curl -s -K "$config" -w '%{time_total}\n' >"$work/$name.times"
  end=$(date +%s.%N); cpu1=$(cpu_seconds "$pid")
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=

  sort -n "$work/$name.times" | awk -v name="$name" -v bytes="$bytes" -v wall="$(echo "$end - $start" | bc)" \
    -v cpu="$(echo "$cpu1 - $cpu0" | bc)" -v idle="$(echo "($idle1 - $idle0) / 5" | bc -l)" '
    { t[NR] = $1; sum += $1 }
    END {
      n = NR; busy = cpu - idle * wall
      printf "%-9s %6d B  mean %.3f ms  p50 %.3f  p90 %.3f  p99 %.3f ms  wall %.2f s  cpu %.2f s (idle %.3f/s)  %.3f ms cpu/scrape\n",
        name, bytes, 1000 * sum / n, 1000 * t[int(n * 0.5)], 1000 * t[int(n * 0.9)], 1000 * t[int(n * 0.99)], wall, cpu, idle, 1000 * busy / n
    }'
}

for round in $(seq 1 "$rounds"); do
  echo "round $round, $scrapes scrapes each; load: $(uptime | sed 's/.*load average: //')"
  measure baseline 18461
  measure candidate 18462
done
