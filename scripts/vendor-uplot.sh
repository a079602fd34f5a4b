#!/usr/bin/env bash
# Refetches the vendored uPlot dist files (src/QrngAppliance/Dashboard/wwwroot/vendor/uplot) with npm and checks them:
# the tarball against the npm integrity recorded in PROVENANCE.md, the extracted files against the SHA-256 recorded
# there (which Dashboard tests also check). The files are vendored so `dotnet run` needs no Node; this script is for
# an upgrade or an audit. --check compares without writing.
set -euo pipefail
cd "$(dirname "$0")/.."
vendor=src/QrngAppliance/Dashboard/wwwroot/vendor/uplot
provenance=$vendor/PROVENANCE.md
version=$(sed -n 's/^- version: `\(.*\)`$/\1/p' "$provenance")
integrity=$(sed -n 's/^- npm integrity: `\(.*\)`$/\1/p' "$provenance")
[[ -n $version && -n $integrity ]] || { echo "vendor-uplot: version or integrity missing from $provenance" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "uplot@$version" >/dev/null)
tarball=$(ls "$work"/uplot-*.tgz)
actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [[ $actual != "$integrity" ]]; then
  echo "vendor-uplot: uplot@$version tarball integrity $actual differs from the recorded $integrity" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/dist/uPlot.iife.min.js package/dist/uPlot.min.css package/LICENSE

status=0
for file in uPlot.iife.min.js uPlot.min.css; do
  want=$(sed -n "s/^- sha256 $file: \`\(.*\)\`\$/\1/p" "$provenance")
  got=$(sha256sum "$work/package/dist/$file" | cut -d' ' -f1)
  if [[ $got != "$want" ]]; then
    echo "vendor-uplot: $file from npm has sha256 $got, PROVENANCE.md records $want" >&2
    status=1
  fi
  if [[ ${1:-} == --check ]]; then
    cmp -s "$work/package/dist/$file" "$vendor/$file" || { echo "vendor-uplot: vendored $file differs from npm's" >&2; status=1; }
  else
    cp "$work/package/dist/$file" "$vendor/$file"
  fi
done
((status == 0)) && echo "vendor-uplot: uplot@$version ok ($integrity)"
exit $status
