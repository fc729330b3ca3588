#!/usr/bin/env bash
# Side-by-side run of chaff and its peers (datasketch, rensa, gaoya) on one generated corpus.
#
#   benches/peers/compare.sh [DOCS]        default 10000 documents (~50 MB of JSONL)
#
# Makes its own venv (target/peers-venv, pinned by benches/peers/requirements.txt), generates
# the corpus with chaff-gen into target/peers/, runs each tool in its own process under
# /usr/bin/time -v (wall time, peak RSS), and prints docs/s, MB/s, peak RSS, chaff/peer ratios,
# signature-only speed from pre-tokenized shingles, and pair agreement (see report.py).
# Every tool uses 128 permutations, word 5-gram shingles and threshold 0.8. chaff runs with
# --containment 0 (pure Jaccard, like the peers) and its default exact verification; peers'
# candidates are verified by exact Jaccard in Python. rensa is pinned to one thread
# (RAYON_NUM_THREADS=1) so its signature speed is per core, as in the issue; gaoya uses its
# parallel bulk calls (2 cores here), chaff uses both cores.
# CHAFF_PEERS="datasketch rensa gaoya" picks the peers; a peer that fails is reported and skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."
DOCS=${1:-10000}
WORK=${CHAFF_PEERS_WORK:-target/peers/$DOCS}
VENV=${CHAFF_PEERS_VENV:-target/peers-venv}
PEERS=${CHAFF_PEERS:-datasketch rensa gaoya}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "compare.sh needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --upgrade pip >/dev/null
  # One at a time, so a peer that has no wheel for this machine does not stop the others.
  while read -r req; do
    case "$req" in ''|'#'*) continue ;; esac
    "$VENV/bin/pip" install -q "$req" || echo "compare.sh: $req does not install here; skipped" >&2
  done < benches/peers/requirements.txt
fi

cargo build --release --quiet --bin chaff --bin chaff-gen
mkdir -p "$WORK"
if [ ! -s "$WORK/corpus.jsonl" ]; then
  target/release/chaff-gen --docs "$DOCS" --seed 11 --out "$WORK/corpus.jsonl" --truth "$WORK/truth.jsonl"
fi
# Warm the page cache so the first tool does not pay for the disk.
cat "$WORK/corpus.jsonl" > /dev/null

$TIME -v -o "$WORK/chaff.time" target/release/chaff dups "$WORK/corpus.jsonl" \
  --format json --containment 0 --quiet > "$WORK/chaff.jsonl" 2> "$WORK/chaff.err" \
  || { echo "chaff failed:"; cat "$WORK/chaff.err"; exit 1; }
for tool in $PEERS; do
  rm -f "$WORK/$tool.json" "$WORK/$tool.time"
  env RAYON_NUM_THREADS=$([ "$tool" = rensa ] && echo 1 || echo 2) \
    $TIME -v -o "$WORK/$tool.time" "$VENV/bin/python" benches/peers/peers.py "$tool" \
    "$WORK/corpus.jsonl" "$WORK/$tool.json" 2> "$WORK/$tool.err" \
    || { echo "compare.sh: $tool failed (see $WORK/$tool.err); skipped" >&2; rm -f "$WORK/$tool.time"; }
done
"$VENV/bin/python" benches/peers/report.py "$WORK"
