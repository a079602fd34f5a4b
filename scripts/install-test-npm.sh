#!/usr/bin/env bash
# Installs the npm peers of the interop tests (tests/interop/package.json: @noble/*, stratum-pool-sha256, puppeteer-core)
# into tests/interop/node_modules, idempotently: nothing is fetched when node_modules already matches
# package-lock.json. No global installs.
set -euo pipefail
cd "$(dirname "$0")/../tests/interop"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-test-npm: '$tool' not found; install Node.js >= 20.19 with npm" >&2
    exit 1
  fi
done

# The stamp records the lock file that produced node_modules; npm ci removes node_modules first,
# so a stale or half-installed tree never survives a change of the lock.
stamp=node_modules/.qrng-lock.sha256
want=$(sha256sum package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1 || true)
# Every direct dependency present at the version package.json pins (a stamp alone would trust a tree
# someone pruned by hand).
all_present() {
  node -e '
    const fs = require("fs");
    const deps = JSON.parse(fs.readFileSync("package.json", "utf8")).dependencies || {};
    for (const [name, version] of Object.entries(deps)) {
      let installed;
      try { installed = JSON.parse(fs.readFileSync(`node_modules/${name}/package.json`, "utf8")).version; } catch { process.exit(1); }
      if (installed !== version) process.exit(1);
    }'
}
if [[ -f package-lock.json && -f $stamp && $(cat "$stamp") == "$want" ]] && all_present; then
  echo "test npm packages: all present"
  exit 0
fi

if [[ -f package-lock.json ]]; then
  echo "test npm packages: npm ci in tests/interop"
  npm ci --no-audit --no-fund --loglevel=error
else
  echo "test npm packages: npm install in tests/interop (no lock yet)"
  npm install --no-audit --no-fund --loglevel=error
fi
sha256sum package.json package-lock.json | sha256sum | cut -d' ' -f1 >"$stamp"
