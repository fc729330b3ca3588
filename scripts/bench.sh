#!/usr/bin/env bash
# Regenerates the numbers of BENCHMARKS.md in one go:
#   1. criterion benches of the hashing core (benches/core.rs), with ratios to the limit baseline;
#   2. the peer comparison (benches/peers/compare.sh, default 10000 documents);
#   3. the whole-run scaling of `chaff scan`, `clean` and `dups` (scripts/scale.sh, 10k/100k/1M documents).
# Prints everything to stdout and keeps a copy in target/bench-latest.txt.
#
#   scripts/bench.sh            everything (about 20-30 minutes on 2 cores, most of it the 1M run)
#   scripts/bench.sh --quick    core benches with short measurements, compare on 2000 documents,
#                               scaling on 2000/20000 documents (a few minutes)
# CI smoke (seconds): cargo bench --bench core -- --test
set -euo pipefail
cd "$(dirname "$0")/.."
QUICK=${1:-}
out=target/bench-latest.txt
mkdir -p target
{
  echo "# machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# $(rustc --version); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown); $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  if [ "$QUICK" = --quick ]; then
    CHAFF_BENCH_DOCS=100 cargo bench --quiet --bench core -- --warm-up-time 1 --measurement-time 2 >/dev/null
    CMP_DOCS=2000; SCALE=(2000 20000)
  else
    cargo bench --quiet --bench core >/dev/null
    CMP_DOCS=10000; SCALE=(10000 100000 1000000)
  fi
  echo; echo "## peers (benches/peers/compare.sh $CMP_DOCS)"
  benches/peers/compare.sh "$CMP_DOCS"
  echo; echo "## core benches (cargo bench --bench core), one core"
  python3 scripts/bench_summary.py target "target/peers/$CMP_DOCS/summary.json"
  echo; echo "## scaling (scripts/scale.sh ${SCALE[*]})"
  scripts/scale.sh "${SCALE[@]}"
} 2>&1 | tee "$out"
