#!/usr/bin/env bash
# Benchmark: `qrng verify --chain` over a day of pulses (86,400 at the default 1 s period) against @noble's
# Ed25519 + ML-DSA-65 verifying the same pulses' signatures and links, one after the other in the same run, both
# on every core. Prints wall and CPU seconds, peak memory and pulses/s for each, and the ratio.
#   scripts/bench-verify-chain.sh [PULSES] [NOBLE_PULSES]
# noble takes minutes for a whole day, so by default it verifies the first NOBLE_PULSES (8,640, a tenth) and the
# ratio compares pulses/s. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
pulses=${1:-86400}
noble_pulses=${2:-8640}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

./scripts/install-test-npm.sh >/dev/null
dotnet build src/QrngAppliance -c Release --nologo -v q >/dev/null
dotnet run -c Release --project tests/QrngAppliance.Benchmarks -- day-chain "$work" "$pulses" >/dev/null
# The first noble_pulses pulses as an export of their own (same bytes, count rewritten).
node -e '
  const fs = require("fs"); const [src, dst, n] = process.argv.slice(1); const b = fs.readFileSync(src);
  const v = new DataView(b.buffer, b.byteOffset); let at = 16;
  for (let i = 0; i < Number(n); i++) at += 4 + v.getUint32(at);
  const head = Buffer.alloc(16); b.copy(head, 0, 0, 12); head.writeUInt32BE(Number(n), 12);
  fs.writeFileSync(dst, Buffer.concat([head, b.subarray(16, at)]));' "$work/chain.bin" "$work/noble.bin" "$noble_pulses"

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # label pulses command...
  local label=$1 n=$2; shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
  read -r wall user sys rss <"$work/time"
  awk -v l="$label" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" \
    'BEGIN { printf "%-22s %8d pulses  wall %7.2f s  cpu %7.2f s  peak %6.0f MiB  %9.0f pulses/s (wall)  %9.0f pulses/cpu-s\n", l, n, w, u + s, m / 1024, n / w, n / (u + s) }'
  echo "$wall $user $sys" >"$work/$label.t"
}
run qrng "$pulses" dotnet src/QrngAppliance/bin/Release/net10.0/qrng.dll verify --chain "$work/chain.bin" --chain-info "$work/chain-info.json"
run noble "$noble_pulses" node tests/interop/verify-chain.mjs "$work/noble.bin" "$work/chain-info.json"
read -r qw qu qs <"$work/qrng.t"
read -r nw nu ns <"$work/noble.t"
awk -v qw="$qw" -v qu="$qu" -v qs="$qs" -v nw="$nw" -v nu="$nu" -v ns="$ns" -v qn="$pulses" -v nn="$noble_pulses" \
  'BEGIN { qc = qu + qs; nc = nu + ns; printf "qrng / noble: %.1fx pulses/s (wall), %.1fx pulses per cpu-second\n", (qn / qw) / (nn / nw), (qn / qc) / (nn / nc) }'
