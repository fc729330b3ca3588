#!/usr/bin/env bash
# How long the HTML report of a large corpus takes to open in headless Chromium (issue 14: a
# 100,000-document report must open in under 2 s).
#
#   scripts/report_open.sh [DOCS]     default 100000 (about 600 MB of JSONL, 20 sites)
#
# The corpus is generated once with chaff-gen into $CHAFF_REPORT_DIR (default
# /tmp/chaff-report-open, never inside the repository) and `chaff report` renders it. Then, RUNS
# times each (default 5), Chromium loads a blank page and the report with --dump-dom (which
# returns once the page has loaded and its script has run), and the report writes into its root
# element how many milliseconds after navigation its script finished (data-ready-at, from
# performance.now()) and how long the script itself took (data-ready).
# The same for --screenshot (returns once the page has been laid out and painted: the time until
# a reader sees it). Printed: the report's size, the median wall time of each load of each page
# and their differences (the cost of the report over starting a browser), and the median
# in-page times. Other work on the machine shows in every number: run it on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${1:-100000}
RUNS=${RUNS:-5}
DIR=${CHAFF_REPORT_DIR:-/tmp/chaff-report-open}
CHROMIUM=${CHROMIUM:-chromium}
mkdir -p "$DIR"
cargo build --release --quiet --bin chaff --bin chaff-gen
CORPUS="$DIR/corpus-$DOCS.jsonl"
if [ ! -s "$CORPUS" ]; then
  target/release/chaff-gen --docs "$DOCS" --sites 20 --passages --seed 14 --no-line-truth \
    --quiet --out "$CORPUS" --truth "$DIR/truth-$DOCS.jsonl"
fi
REPORT="$DIR/report-$DOCS.html"
if [ ! -s "$REPORT" ] || [ "$REPORT" -ot target/release/chaff ]; then
  /usr/bin/time -f "chaff report: %e s, peak RSS %M KB" \
    target/release/chaff report "$CORPUS" --html "$REPORT" --quiet
fi
BLANK="$DIR/blank.html"
echo '<!doctype html><html><head><title>blank</title></head><body></body></html>' > "$BLANK"
PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT

load() { # prints wall milliseconds of one --dump-dom load of $1; the DOM goes to $2
  local start end
  start=$(date +%s%N)
  "$CHROMIUM" --headless --disable-gpu --no-sandbox --no-first-run --disable-extensions \
    --user-data-dir="$PROFILE" --dump-dom "file://$1" > "$2" 2>/dev/null
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
shot() { # prints wall milliseconds of one --screenshot of $1 (1280x2000)
  local start end
  start=$(date +%s%N)
  "$CHROMIUM" --headless --disable-gpu --no-sandbox --no-first-run --disable-extensions \
    --user-data-dir="$PROFILE" --window-size=1280,2000 --screenshot="$DIR/shot.png" \
    "file://$1" > /dev/null 2>&1
  end=$(date +%s%N)
  echo $(( (end - start) / 1000000 ))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

load "$BLANK" /dev/null > /dev/null # a first start warms the disk cache and the profile
blank=() report=() blank_shot=() report_shot=() ready=() ready_at=()
for _ in $(seq "$RUNS"); do
  blank+=("$(load "$BLANK" /dev/null)")
  report+=("$(load "$REPORT" "$DIR/dom.html")")
  blank_shot+=("$(shot "$BLANK")")
  report_shot+=("$(shot "$REPORT")")
  root=$(grep -o '<html[^>]*>' "$DIR/dom.html" | head -1)
  ready+=("$(sed -n 's/.* data-ready="\([0-9]*\)".*/\1/p' <<< "$root")")
  ready_at+=("$(sed -n 's/.*data-ready-at="\([0-9]*\)".*/\1/p' <<< "$root")")
done
rows=$(grep -o '<tr data-id=' "$DIR/dom.html" | wc -l)
b=$(printf '%s\n' "${blank[@]}" | median)
r=$(printf '%s\n' "${report[@]}" | median)
printf 'report: %s documents, %s bytes of HTML, %s table rows drawn on its first page\n' \
  "$DOCS" "$(stat -c %s "$REPORT")" "$rows"
bs=$(printf '%s\n' "${blank_shot[@]}" | median)
rs=$(printf '%s\n' "${report_shot[@]}" | median)
printf 'load and dump the DOM, wall, median of %s: blank page %s ms, report %s ms, difference %s ms\n' \
  "$RUNS" "$b" "$r" $((r - b))
printf 'load and paint (screenshot), wall, median of %s: blank page %s ms, report %s ms, difference %s ms\n' \
  "$RUNS" "$bs" "$rs" $((rs - bs))
printf 'in the page, median: script done %s ms after navigation (the script itself %s ms)\n' \
  "$(printf '%s\n' "${ready_at[@]}" | median)" "$(printf '%s\n' "${ready[@]}" | median)"
