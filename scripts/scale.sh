#!/usr/bin/env bash
# Whole-run scaling of `chaff scan`, `chaff clean` and `chaff dups`: wall time, CPU time, MB/s,
# peak RSS, peak temporary disk and CPU cost per document, on prefixes of one generated corpus.
#
#   scripts/scale.sh [SIZES...]     default: 100000 1000000 (the largest is ~6 GB of JSONL)
#
# Environment:
#   CHAFF_SCALE_DIR    where corpora, outputs and timings go (default /tmp/chaff-scale, never
#                      inside the repository); each run's TMPDIR is a directory under it
#   CHAFF_SCALE_CMDS   the commands to measure (default "scan clean dups")
#   CHAFF_SCALE_MEMORY passed as --memory to every command when set (default: their default, 2G)
#   CHAFF_SCALE_KEEP   set to 1 to keep the generated corpora (deleted at the end otherwise)
#   CHAFF_SCALE_BIN    the chaff binary to measure (default: target/release/chaff, built here);
#                      a copy keeps a long run safe from rebuilds of the worktree
#   CHAFF_SCALE_ZSTD   set to 1 to keep the corpora as .jsonl.zst (zstd -3, about a quarter of
#                      the size): `clean` then writes its output compressed too, so that 3M
#                      documents, their output and the temporary files fit on a 60 GB disk.
#                      MB and MB/s still count the uncompressed JSONL; decompressing the input
#                      and compressing clean's output are part of the measured CPU
#
# The largest corpus is generated once with `chaff-gen --seed 9 --sites 40` and the smaller ones
# are its first lines, so every size reads the same kind of documents. Each run is under
# /usr/bin/time -v after the file has been read once (the page cache, not the disk, feeds it).
# Temporary disk is sampled once a second from the sizes of the run's open files under its
# TMPDIR (spill files are unlinked at creation, so `du` cannot see them).
# Of `scan`'s records only the summary is kept (the whole output is ~2.4 GB per million
# documents); `clean`'s output and log are counted and deleted after each run.
# Output: one row per command and size, then the change in CPU cost per document between sizes
# (linear scaling means close to 0%).
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 1000000)
DIR=${CHAFF_SCALE_DIR:-/tmp/chaff-scale}
CMDS=${CHAFF_SCALE_CMDS:-scan clean dups}
MAX=$(printf '%s\n' "${SIZES[@]}" | sort -n | tail -1)
mkdir -p "$DIR"
cargo build --release --quiet --bin chaff --bin chaff-gen
CHAFF=${CHAFF_SCALE_BIN:-$PWD/target/release/chaff}
EXT=jsonl
[ "${CHAFF_SCALE_ZSTD:-0}" = 1 ] && EXT=jsonl.zst
FULL="$DIR/corpus-$MAX.$EXT"
if [ ! -s "$FULL" ]; then
  if [ "$EXT" = jsonl ]; then
    target/release/chaff-gen --docs "$MAX" --seed 9 --sites 40 --quiet --out "$FULL" \
      --truth "$DIR/truth-$MAX.jsonl"
  else
    target/release/chaff-gen --docs "$MAX" --seed 9 --sites 40 --quiet --out /dev/stdout \
      --truth /dev/null | zstd -q -3 > "$FULL"
  fi
fi
MEMORY=()
[ -n "${CHAFF_SCALE_MEMORY:-}" ] && MEMORY=(--memory "$CHAFF_SCALE_MEMORY")

# Peak bytes of the files process $1 holds open under directory $2, sampled once a second.
sample_temp() {
  local pid=$1 dir=$2 peak=0 now
  while kill -0 "$pid" 2>/dev/null; do
    now=0
    for fd in /proc/"$pid"/fd/*; do
      case "$(readlink "$fd" 2>/dev/null)" in
        "$dir"/*) now=$((now + $(stat -L -c %s "$fd" 2>/dev/null || echo 0))) ;;
      esac
    done 2>/dev/null
    [ "$now" -gt "$peak" ] && peak=$now
    sleep 1
  done
  echo "$peak"
}

printf '%-6s %9s %8s %9s %9s %8s %9s %12s %10s %11s\n' \
  command docs MB "wall s" "cpu s" "MB/s" "MB/cpu-s" "peak RSS MB" "temp MB" "cpu us/doc"
declare -A prev
for n in $(printf '%s\n' "${SIZES[@]}" | sort -n); do
  f="$DIR/corpus-$n.$EXT"
  if [ "$EXT" = jsonl ]; then
    [ -s "$f" ] || head -n "$n" "$FULL" > "$f"
    cat "$f" > /dev/null
    bytes=$(stat -c %s "$f")
  else
    # `head` closes the pipe early: zstdcat's broken pipe is expected.
    [ -s "$f" ] || { (zstdcat "$FULL" || true) | head -n "$n" | zstd -q -3 > "$f"; }
    bytes=$(zstdcat "$f" | wc -c)
  fi
  for cmd in $CMDS; do
    tmp="$DIR/tmp-$cmd-$n"
    rm -rf "$tmp" "$DIR/out-$n"
    mkdir -p "$tmp"
    case $cmd in
      scan) args=(scan "$f" --format json --quiet "${MEMORY[@]}") ;;
      clean) args=(clean "$f" --out "$DIR/out-$n" --log "$DIR/clean-$n.log" --quiet "${MEMORY[@]}") ;;
      dups) args=(dups "$f" --format json --quiet "${MEMORY[@]}") ;;
      *) echo "unknown command $cmd" >&2; exit 2 ;;
    esac
    # Through a FIFO, so that `$!` is the timed process (the sampler needs its child).
    fifo="$DIR/records-$cmd-$n.fifo"
    rm -f "$fifo"
    mkfifo "$fifo"
    tail -n 1 < "$fifo" > "$DIR/$cmd-$n.jsonl" &
    TMPDIR=$tmp /usr/bin/time -v -o "$DIR/time-$cmd-$n.txt" "$CHAFF" "${args[@]}" > "$fifo" &
    timer=$!
    sleep 1
    child=$(pgrep -P "$timer" | head -1 || true)
    temp=$(sample_temp "${child:-$timer}" "$tmp")
    wait "$timer"
    wait
    rm -f "$fifo"
    if [ "$cmd" = clean ]; then
      echo "$(wc -l < "$DIR/clean-$n.log") removals logged" > "$DIR/clean-$n.jsonl"
      rm -f "$DIR/clean-$n.log"
    fi
    rm -rf "$tmp" "$DIR/out-$n"
    t="$DIR/time-$cmd-$n.txt"
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$t")
    cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {print s}' "$t")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")
    us=$(awk -v c="$cpu" -v n="$n" 'BEGIN {printf "%.1f", c * 1e6 / n}')
    awk -v c="$cmd" -v n="$n" -v b="$bytes" -v w="$wall" -v u="$cpu" -v r="$rss" -v t="$temp" -v us="$us" \
      'BEGIN {printf "%-6s %9d %8.0f %9.1f %9.1f %8.1f %9.1f %12.0f %10.0f %11s\n", c, n, b/1e6, w, u, b/1e6/w, b/1e6/u, r/1024, t/1e6, us}'
    if [ -n "${prev[$cmd]:-}" ]; then
      awk -v a="${prev[$cmd]}" -v b="$us" 'BEGIN {printf "       CPU per document vs the previous size: %+.1f%%\n", (b/a-1)*100}'
    fi
    prev[$cmd]=$us
  done
done
echo "(MB/s is over wall time; MB/cpu-s over user + system time, the figure a busy machine moves least)"
if [ "${CHAFF_SCALE_KEEP:-0}" != 1 ]; then
  rm -f "$DIR"/corpus-*.jsonl "$DIR"/corpus-*.jsonl.zst "$DIR"/truth-*.jsonl
fi
