#!/usr/bin/env bash
# Before/after numbers for the move from Portable.BouncyCastle 1.8.10 to BouncyCastle.Cryptography 2.7.0:
# builds tests/QrngAppliance.Benchmarks/Signing/BouncyCastleMigrationBenchmarks.cs into a copy of BASE (default
# main, still on the old package) and into this work tree, then runs both back to back on this machine, then
# the Ed25519 rebuild-per-call vs kept-key comparison. Extra arguments go to BenchmarkDotNet (default --job short).
# Usage: scripts/bench-bouncycastle-migration.sh [BASE] [BDN args…]
set -euo pipefail
base=${1:-main}
shift || true
bdn_args=("$@")
[ ${#bdn_args[@]} -gt 0 ] || bdn_args=(--job short)
repo=$(git rev-parse --show-toplevel)
before=$(mktemp -d)
trap 'rm -rf "$before"' EXIT

# A plain copy of BASE's files (git archive), not a worktree: nothing is registered in the repository.
git -C "$repo" archive "$base" | tar -x -C "$before"
mkdir -p "$before/tests/QrngAppliance.Benchmarks/Signing"
cp "$repo/tests/QrngAppliance.Benchmarks/Signing/BouncyCastleMigrationBenchmarks.cs" "$before/tests/QrngAppliance.Benchmarks/Signing/"
dotnet build -c Release "$before/tests/QrngAppliance.Benchmarks" -v q -nologo
dotnet build -c Release "$repo/tests/QrngAppliance.Benchmarks" -v q -nologo

echo "== machine: $(nproc) cores, $(uptime)"
echo "== before: $base ($(git -C "$repo" rev-parse --short "$base"), $(grep -o 'Include="[^"]*BouncyCastle[^"]*" Version="[^"]*"' "$before/Directory.Packages.props"))"
dotnet run -c Release --no-build --project "$before/tests/QrngAppliance.Benchmarks" -- \
    --filter '*BouncyCastleMigration*' --artifacts "$before/artifacts" "${bdn_args[@]}"
echo "== after: work tree ($(git -C "$repo" rev-parse --short HEAD), $(grep -o 'Include="[^"]*BouncyCastle[^"]*" Version="[^"]*"' "$repo/Directory.Packages.props"))"
dotnet run -c Release --no-build --project "$repo/tests/QrngAppliance.Benchmarks" -- \
    --filter '*BouncyCastleMigration*' '*Ed25519Key*' --artifacts "$before/artifacts-after" "${bdn_args[@]}"
echo "== machine after the runs: $(uptime)"
