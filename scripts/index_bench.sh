#!/usr/bin/env bash
# Benchmark of CI mode: build an index of N generated documents, then `chaff check` M new ones
# (a different seed, plus 5% copied from the indexed corpus so the check has work to report).
#
# Usage: scripts/index_bench.sh [N=100000] [M=1000] [WORKDIR=target/index-bench]
# Prints wall time and peak memory of `index add`, `index stats`, and three runs of `check`.
# Not a test: numbers depend on the machine. Generated corpora are kept in WORKDIR for re-runs.
set -euo pipefail
N=${1:-100000}
M=${2:-1000}
W=${3:-target/index-bench}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bins
BIN=target/release
mkdir -p "$W"
timed() { /usr/bin/time -f "  -> %e s wall, %M KB peak RSS" "$@"; }

if [ ! -s "$W/kept-$N.jsonl" ]; then
  echo "generating $N indexed documents"
  $BIN/chaff-gen --docs "$N" --seed 42 --out "$W/kept-$N.jsonl" --truth "$W/kept-$N.truth.jsonl"
fi
if [ ! -s "$W/new-$M.jsonl" ]; then
  copies=$((M / 20))
  $BIN/chaff-gen --docs $((M - copies)) --seed 4242 --out "$W/new-$M.jsonl" --truth "$W/new-$M.truth.jsonl"
  # Copies of indexed documents under new ids: the check must name the indexed originals.
  head -n "$copies" "$W/kept-$N.jsonl" | sed 's/"id":"/"id":"copy-of-/' >> "$W/new-$M.jsonl"
fi
ls -l "$W/kept-$N.jsonl" "$W/new-$M.jsonl"

rm -f "$W/index-$N.chaff" "$W/index-$N.chaff-wal" "$W/index-$N.chaff-shm"
echo "chaff index add ($N documents)"
timed $BIN/chaff index add "$W/kept-$N.jsonl" --index "$W/index-$N.chaff" --quiet
timed $BIN/chaff index stats --index "$W/index-$N.chaff"
for run in 1 2 3; do
  echo "chaff check ($M new documents against $N), run $run"
  timed $BIN/chaff check "$W/new-$M.jsonl" --index "$W/index-$N.chaff" --format json --quiet \
    > "$W/check-$M.jsonl"
done
for kind in duplicate passage chrome; do
  echo "$kind records: $(grep '"kind":"'$kind'"' "$W/check-$M.jsonl" | grep -c '"in_index":true') of the index," \
       "$(grep '"kind":"'$kind'"' "$W/check-$M.jsonl" | grep -c '"in_index":false') not"
done
tail -n 1 "$W/check-$M.jsonl"
