#!/usr/bin/env bash
# Benchmark of CI mode: build an index of N generated documents, then `chaff check` M new ones
# (a different seed, plus 5% copied from the indexed corpus so the check has work to report),
# then grow a copy of the index by a day's scrape of D more documents (an incremental add).
#
# Usage: scripts/index_bench.sh [N=100000] [M=1000] [WORKDIR=target/index-bench] [D=10000]
# Prints wall time and peak memory of `index add`, `index stats`, three runs of `check`, and
# the incremental add.
# Not a test: numbers depend on the machine. Generated corpora are kept in WORKDIR for re-runs.
set -euo pipefail
N=${1:-100000}
M=${2:-1000}
W=${3:-target/index-bench}
D=${4:-10000}
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
  # The generator numbers ids from d0000000 whatever the seed: new documents get ids of their own.
  sed -i 's/"id":"/"id":"new-/' "$W/new-$M.jsonl"
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

if [ "$D" -gt 0 ]; then
  if [ ! -s "$W/day-$D.jsonl" ]; then
    $BIN/chaff-gen --docs "$D" --seed 777 --out "$W/day-$D.jsonl" --truth "$W/day-$D.truth.jsonl"
    sed -i 's/"id":"/"id":"day-/' "$W/day-$D.jsonl"
  fi
  cp "$W/index-$N.chaff" "$W/grown-$N.chaff"
  echo "chaff index add ($D more documents into a copy of the index of $N)"
  timed $BIN/chaff index add "$W/day-$D.jsonl" --index "$W/grown-$N.chaff" --quiet
  rm -f "$W/grown-$N.chaff" "$W/grown-$N.chaff-wal" "$W/grown-$N.chaff-shm"
fi
