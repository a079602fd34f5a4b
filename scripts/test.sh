#!/usr/bin/env bash
# Installs what the tests need, then runs every test in the solution.
# Prints one closing line: "Tests: N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-test-deps.sh
if [[ -x scripts/install-test-npm.sh ]]; then ./scripts/install-test-npm.sh; fi
# The PostgreSQL ledger tests read QRNG_TEST_POSTGRES; they fail (not skip) when it is set but unreachable.
eval "$(./scripts/start-test-postgres.sh)"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test QrngAppliance.sln -c Release --nologo 2>&1 | tee "$log" || status=$?

# dotnet test prints one summary per test project, e.g.
# "Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42, Duration: 3 s - X.dll (net10.0)"
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    gsub(",", ""); for (i = 1; i <= NF; i++) {
      if ($i == "Failed:") f += $(i+1); if ($i == "Passed:") p += $(i+1); if ($i == "Skipped:") s += $(i+1)
    }
  }
  END { printf "%d %d %d\n", p, f, s }' "$log")
echo "Tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if ((status != 0)); then exit "$status"; fi
if ((passed == 0)); then echo "no test ran" >&2; exit 1; fi
