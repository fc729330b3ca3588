#!/usr/bin/env bash
# Runs every cargo-fuzz target for a time budget each (default 600 s), one after another, and
# stops at the first crash (libFuzzer saves the input under fuzz/artifacts/TARGET/).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Needs a nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (`cargo install cargo-fuzz`). Corpora grow under fuzz/corpus/TARGET/ and are reused by the next
# run. Every crash found becomes a regression test (tests/ or the module's unit tests) before it
# is fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
budget="${1:-600}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(jsonl_reader tokenizer passages chrome_lines)
fi
cargo +nightly fuzz build
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t"
  echo "== $t: ${budget}s"
  # -rss_limit_mb: the reader and the search must stay small on small inputs; -timeout: a single
  # input taking 10 s is a hang (the cost is meant to be linear).
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$budget" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
done
