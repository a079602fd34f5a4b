#!/usr/bin/env bash
# Benchmark: the health tests on one source's stream, next to rngtest (Debian rng-tools) on the same data in the
# same run. Writes BYTES (default 64 MiB) of /dev/urandom to a file, then
#   1. rngtest (FIPS 140-2 tests) over the file: its own "FIPS tests speed" and wall/CPU time;
#   2. the BenchmarkDotNet HealthThroughputBenchmarks over the first 16 MiB of the same file: ns per sample for the
#      per-sample RCT/APT of main (baseline), the monitor's span scans, and the scans plus the online estimator;
#   3. `qrng health` over the whole file (RCT, APT and estimator, one process), wall and CPU time.
# Prints load with every figure. Not part of the test suite.
#   scripts/bench-health.sh [BYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
bytes=${1:-67108864}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v rngtest >/dev/null || { echo "rngtest missing: apt-get install rng-tools5 (or rng-tools)" >&2; exit 2; }

head -c "$bytes" /dev/urandom >"$work/data.bin"
dotnet build src/QrngAppliance -c Release --nologo -v q >/dev/null
mib=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "machine: $(nproc) cores; data: $mib MiB from /dev/urandom"

timed() { # label command... ; prints wall and cpu seconds and MB/s over $bytes
  local label=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/time" "$@" >"$work/out" 2>&1 || true
  # /usr/bin/time puts "Command exited with non-zero status" first when the tool reports failures (exit 1).
  read -r wall user sys < <(tail -n 1 "$work/time")
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v b="$bytes" -v load="$(load)" \
    'BEGIN { c = u + s; printf "%-28s wall %6.2f s  cpu %6.2f s  %8.1f MB/s (wall)  %8.1f MB/s per cpu-s  load %s\n", l, w, c, b / w / 1e6, b / c / 1e6, load }'
}

timed "rngtest (FIPS 140-2)" rngtest -c $((bytes / 2500)) <"$work/data.bin"
grep -E "FIPS tests speed|input channel speed|failures" "$work/out" | sed 's/^rngtest: /  rngtest: /' || true
cp "$work/out" "$work/rngtest.out"

timed "qrng health (RCT+APT+est.)" dotnet src/QrngAppliance/bin/Release/net10.0/qrng.dll health "$work/data.bin" --bits 8 --min-entropy 7
tail -n 2 "$work/out" | sed 's/^/  /'

echo "BenchmarkDotNet, same file (first 16 MiB), load $(load):"
QRNG_BENCH_DATA="$work/data.bin" dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- \
  --filter '*HealthThroughput*' --job short --inProcess --artifacts "$work/bdn" >"$work/bdn.out" 2>&1 || { tail -40 "$work/bdn.out"; exit 1; }
# Each operation is one sample (byte): Mean is ns per byte, MB/s = 1000 / Mean.
grep -E "^\| *(RctApt|Monitor)" "$work/bdn.out" | awk -F'|' '{
  name = $2; mean = $3; gsub(/ /, "", name); gsub(/^ +| +$/, "", mean); split(mean, m, " ");
  ns = m[1]; if (m[2] == "ps") ns /= 1000; else if (m[2] == "us" || m[2] == "μs") ns *= 1000;
  printf "  %-24s %8.3f ns/byte  %8.1f MB/s\n", name, ns, 1000 / ns }'
echo "load after: $(load)"
