#!/usr/bin/env bash
# Held-out quality of chrome removal on the real labeled pages, next to jusText (same lines) and
# trafilatura (the HTML): refits the line model fold by fold (sites held out, train.py), scores
# each fold's pages with the model that never saw their site, and prints eval.py's tables. Then
# the fitted model scores the fundus test pages (data/chrome-dev/fundus.jsonl.zst: ~180 news
# sites in ~25 languages that no fit ever sees), all of them and those of sites the development
# set lacks.
#   scripts/chrome_dev/heldout.sh            # prints the tables; the fitted model goes to target/
#   scripts/chrome_dev/heldout.sh --install  # ... and replaces the shipped src/chrome/data/line_model.json
set -euo pipefail
cd "$(dirname "$0")/../.."
venv=target/chrome-dev-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r scripts/chrome_dev/requirements.txt -r scripts/chrome_dev/requirements-train.txt
fi
out=target/chrome-dev/line_model.json
[ "${1:-}" = "--install" ] && out=src/chrome/data/line_model.json
"$venv/bin/python" scripts/chrome_dev/train.py --out "$out"
threshold=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['threshold'])" "$out")
"$venv/bin/python" scripts/chrome_dev/eval.py data/chrome-dev/pages.jsonl.zst \
  target/chrome-dev/heldout-scores.jsonl --threshold "$threshold"
echo
echo "== fundus test pages, scored by the model fitted on all development pages (never fitted on these)"
fundus=data/chrome-dev/fundus.jsonl.zst
target/release/chaff chrome "$fundus" --format json -q --chrome-threshold 0 --line-model "$out" \
  > target/chrome-dev/fundus-scores.jsonl
"$venv/bin/python" scripts/chrome_dev/eval.py "$fundus" target/chrome-dev/fundus-scores.jsonl --threshold "$threshold"
echo
echo "== fundus test pages of sites without a page in the development set"
"$venv/bin/python" scripts/chrome_dev/eval.py "$fundus" target/chrome-dev/fundus-scores.jsonl --threshold "$threshold" \
  --unseen-by data/chrome-dev/pages.jsonl.zst
