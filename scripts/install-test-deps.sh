#!/usr/bin/env bash
# Installs what the tests need from Debian, idempotently: nothing is fetched when every tool is present.
# A transient dpkg error ("cannot stat /tmp/apt-dpkg-install-*") has been seen on first install: retry once.
set -euo pipefail

declare -A tool_of_package=(
  [prometheus]=promtool
  [swtpm]=swtpm
  [swtpm-tools]=swtpm_setup
  [tpm2-tools]=tpm2_getrandom
  [socat]=socat
  [libusb-1.0-0]=/usr/lib/x86_64-linux-gnu/libusb-1.0.so.0
  [rng-tools5]=rngtest
  [gcc]=gcc
  [systemd]=systemd-analyze
  [udev]=udevadm
  [nodejs]=node
  [libbz2-1.0]=/usr/lib/x86_64-linux-gnu/libbz2.so.1.0
  [wrk]=wrk
  [chromium]=chromium
)

missing=()
for package in "${!tool_of_package[@]}"; do
  tool=${tool_of_package[$package]}
  if [[ $tool == /* ]]; then [[ -e $tool ]] || missing+=("$package")
  else command -v "$tool" >/dev/null 2>&1 || missing+=("$package"); fi
done

if ((${#missing[@]} == 0)); then
  echo "test dependencies: all present"
  exit 0
fi

sudo_cmd=()
if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi

install() {
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}
echo "test dependencies: installing ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq || true
if ! install; then
  echo "apt-get install failed once; repairing and retrying" >&2
  sleep 3
  "${sudo_cmd[@]}" apt-get update -qq || true
  # A half-configured dpkg (an interrupted or concurrent install) blocks every later install until repaired.
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" dpkg --configure -a || true
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get --fix-broken install -y --no-install-recommends || true
  install
fi
