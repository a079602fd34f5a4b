#!/usr/bin/env bash
# Serial throughput against hwsim before and after the move to System.IO.Ports: builds the benchmark project into a
# copy of BASE (default: where this branch left main, still on the termios SerialPortStream) and into this work tree,
# with the same probe (tests/QrngAppliance.Benchmarks/Devices/DeviceThroughputProbe.cs, `probe-serial`) in both,
# then runs before, after, before, after back to back. Each case prints MB/s and process CPU; each run also
# prints its whole-process CPU-seconds (/usr/bin/time) and the load (uptime) around it.
# Usage: scripts/bench-serial-ports.sh [BASE] [ROUNDS]   (758cbad as BASE: the System.IO.Ports read path, see docs/serial.md)
set -euo pipefail
repo=$(git rev-parse --show-toplevel)
base=${1:-$(git -C "$repo" merge-base HEAD main)}
rounds=${2:-2}
before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT

# A plain copy of BASE's files (git archive), not a worktree: nothing is registered in the repository.
git -C "$repo" archive "$base" | tar -x -C "$before"
cp "$repo/tests/QrngAppliance.Benchmarks/Devices/DeviceThroughputProbe.cs" "$before/tests/QrngAppliance.Benchmarks/Devices/"
cp "$repo/tests/QrngAppliance.Benchmarks/Program.cs" "$before/tests/QrngAppliance.Benchmarks/"
dotnet build -c Release "$before/tests/QrngAppliance.Benchmarks" -v q -nologo
dotnet build -c Release "$repo/tests/QrngAppliance.Benchmarks" -v q -nologo

run() { # label dir
    echo "== $1 | load: $(uptime)"
    /usr/bin/time -f "== $1 whole process: %U s user + %S s sys, %e s wall" \
        dotnet "$2/tests/QrngAppliance.Benchmarks/bin/Release/net10.0/QrngAppliance.Benchmarks.dll" probe-serial
}

echo "== machine: $(nproc) cores"
for round in $(seq 1 "$rounds"); do
    run "before #$round: $(git -C "$repo" rev-parse --short "$base")" "$before"
    run "after  #$round: $(git -C "$repo" rev-parse --short HEAD) (work tree)" "$repo"
done
echo "== load after the runs: $(uptime)"
