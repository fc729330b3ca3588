#!/usr/bin/env bash
# Whole-run scaling of `chaff dups`: wall time, MB/s, peak RSS and cost per document on prefixes
# of one generated corpus.
#
#   scripts/scale.sh [SIZES...]     default: 10000 100000 1000000 (the largest is ~5 GB of JSONL)
#
# The largest corpus is generated once with chaff-gen into $CHAFF_SCALE_DIR (default
# /tmp/chaff-scale, never inside the repository) and the smaller ones are its first lines, so
# every size reads the same kind of documents. Each run is `chaff dups --format json --quiet`
# with default settings (exact verification, containment on) under /usr/bin/time -v, after the
# file has been read once so that the page cache, not the disk, feeds it.
# Output: one table row per size, then the change in cost per document between the two largest
# sizes (linear scaling means close to 0%).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(10000 100000 1000000)
DIR=${CHAFF_SCALE_DIR:-/tmp/chaff-scale}
MAX=$(printf '%s\n' "${SIZES[@]}" | sort -n | tail -1)
mkdir -p "$DIR"
cargo build --release --quiet --bin chaff --bin chaff-gen
FULL="$DIR/corpus-$MAX.jsonl"
if [ ! -s "$FULL" ]; then
  target/release/chaff-gen --docs "$MAX" --seed 5 --out "$FULL" --truth "$DIR/truth-$MAX.jsonl"
fi
printf '%-9s %9s %10s %9s %11s %10s %8s %10s\n' docs "MB" "wall s" "MB/s" "peak RSS MB" "us/doc" dups "cpu %"
prev=""
for n in $(printf '%s\n' "${SIZES[@]}" | sort -n); do
  f="$DIR/corpus-$n.jsonl"
  [ -s "$f" ] || head -n "$n" "$FULL" > "$f"
  cat "$f" > /dev/null
  /usr/bin/time -v -o "$DIR/time-$n.txt" target/release/chaff dups "$f" --format json --quiet > "$DIR/dups-$n.jsonl"
  bytes=$(stat -c %s "$f")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$DIR/time-$n.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DIR/time-$n.txt")
  cpu=$(awk -F': ' '/Percent of CPU/ {print $2}' "$DIR/time-$n.txt")
  dups=$(wc -l < "$DIR/dups-$n.jsonl")
  us=$(awk -v w="$wall" -v n="$n" 'BEGIN {printf "%.2f", w * 1e6 / n}')
  awk -v n="$n" -v b="$bytes" -v w="$wall" -v r="$rss" -v us="$us" -v d="$dups" -v c="$cpu" \
    'BEGIN {printf "%-9d %9.0f %10.2f %9.1f %11.0f %10s %8d %10s\n", n, b/1e6, w, b/1e6/w, r/1024, us, d, c}'
  if [ -n "$prev" ]; then
    awk -v a="$prev" -v b="$us" -v n="$n" 'BEGIN {printf "  cost per document vs the previous size: %+.1f%%\n", (b/a-1)*100}'
  fi
  prev=$us
done
