#!/usr/bin/env bash
# Benchmark: NIST's ea_non_iid (SP800-90B_EntropyAssessment v1.1.7, built from the archive in
# shared/tools/anchors) against `qrng assess --non-iid` on the same files, back to back per dataset. Prints wall
# and CPU seconds, peak memory (/usr/bin/time -f) and the NIST/ours ratios, first with all cores for both, then
# single-threaded (OMP_NUM_THREADS=1, --threads 1), whose CPU-second ratio is the least sensitive to other load.
#   scripts/bench-assess.sh [all|multi|single] [DATASET...]
# Datasets: d1..d6 (shared/vectors/sp800-90b/gen_entropy_datasets.py), ringOsc (NIST's bin/ringOsc-nist.bin),
# nist:<file> (any file of NIST's bin/ folder), scale:<d1|d2|d4>:<samples> (the same generator, longer).
# Default: d1 d2 d3 d4 d5 d6 ringOsc nist:truerand_4bit.bin nist:truerand_1bit.bin. Not part of the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
mode=${1:-all}
shift || true
datasets=("$@")
((${#datasets[@]})) || datasets=(d1 d2 d3 d4 d5 d6 ringOsc nist:truerand_4bit.bin nist:truerand_1bit.bin)
anchors=${ANCHORS_DIR:-/tmp/anchors}
shared=${SHARED_DIR:-$repo/../shared}
data=${BENCH_DATA_DIR:-/tmp/qrng-bench-assess}
mkdir -p "$data"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[[ -x $anchors/bin/ea_non_iid ]] || ANCHORS_DIR=$anchors "$shared/tools/anchors/build.sh" nist >/dev/null
nist_bin=$anchors/src/nist/SP800-90B_EntropyAssessment/bin
dotnet build src/QrngAppliance -c Release --nologo -v q >/dev/null
qrng=(dotnet "$repo/src/QrngAppliance/bin/Release/net10.0/qrng.dll")

# Generates (once) a dataset's sample file; prints "path bits".
prepare() {
  local name=$1 gen=$shared/vectors/sp800-90b/gen_entropy_datasets.py
  case $name in
    d[1-6])
      local file
      file=$(python3 - "$gen" "$data" "$name" <<'EOF'
import importlib.util, os, sys
spec = importlib.util.spec_from_file_location("gen", sys.argv[1]); gen = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen)
stem, fn = gen.DATASETS[sys.argv[3]]; path = os.path.join(sys.argv[2], stem + ".bin")
if not os.path.exists(path):
    open(path, "wb").write(fn()[0])
print(path)
EOF
)
      echo "$file $(bits_of "$name")" ;;
    ringOsc)
      [[ -f $data/ringOsc-nist.bin ]] || cp "$nist_bin/ringOsc-nist.bin" "$data/"
      echo "$data/ringOsc-nist.bin 1" ;;
    nist:*)
      local f=${name#nist:} bits
      bits=$(sed -E 's/.*_([0-9])bit.*/\1/;t;s/.*/8/' <<<"$f")
      echo "$nist_bin/$f $bits" ;;
    scale:*)
      IFS=: read -r _ set samples <<<"$name"
      local path=$data/${set}_$samples.bin
      [[ -f $path ]] || python3 - "$gen" "$path" "$set" "$samples" <<'EOF'
import importlib.util, sys
spec = importlib.util.spec_from_file_location("gen", sys.argv[1]); gen = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen)
gen.N = int(sys.argv[4])  # the generator's functions read the module-level sample count
samples, _ = getattr(gen, sys.argv[3])(); open(sys.argv[2], "wb").write(samples)
EOF
      echo "$path $(bits_of "$set")" ;;
    *) echo "unknown dataset $name" >&2; exit 2 ;;
  esac
}
bits_of() { case $1 in d3) echo 1 ;; d4) echo 4 ;; *) echo 8 ;; esac; }

# Runs a command under /usr/bin/time; prints "wall cpu peak_kib".
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { tail -5 "$work/out" >&2; exit 1; }
  awk '{ printf "%s %.2f %s\n", $1, $2 + $3, $4 }' "$work/time"
}

table() { # label threads-for-ours omp-threads
  local label=$1 threads=$2 omp=$3
  echo
  echo "== $label (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  printf "%-26s %9s %9s %7s | %9s %9s %7s | %8s %8s %6s\n" dataset "NIST wall" "ours wall" ratio "NIST cpu" "ours cpu" ratio "NIST MiB" "ours MiB" ratio
  for name in "${datasets[@]}"; do
    read -r file bits < <(prepare "$name")
    read -r nw nc nm < <(OMP_NUM_THREADS=$omp measure "$anchors/bin/ea_non_iid" -v "$file" "$bits")
    read -r qw qc qm < <(measure "${qrng[@]}" assess "$file" --bits "$bits" --non-iid --json ${threads:+--threads "$threads"})
    awk -v d="$name" -v nw="$nw" -v nc="$nc" -v nm="$nm" -v qw="$qw" -v qc="$qc" -v qm="$qm" 'BEGIN {
      printf "%-26s %9.2f %9.2f %6.1fx | %9.2f %9.2f %6.1fx | %8.0f %8.0f %5.2fx\n", d, nw, qw, nw / qw, nc, qc, nc / qc, nm / 1024, qm / 1024, qm / nm }'
  done
  echo "(load average after: $(cut -d' ' -f1-3 /proc/loadavg); memory ratio is ours/NIST, time ratios NIST/ours)"
}

echo "machine: $(nproc) cores; NIST ea_non_iid $("$anchors/bin/ea_non_iid" --version 2>&1 | head -1 || true)"
[[ $mode == all || $mode == multi ]] && table "all cores (NIST as built, ours default)" "" "$(nproc)"
[[ $mode == all || $mode == single ]] && table "single-threaded (OMP_NUM_THREADS=1, --threads 1)" 1 1
exit 0
