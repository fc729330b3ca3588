"""Summarizes criterion's estimates of benches/core.rs: throughput and ratio to the limit baseline.

Usage: bench_summary.py [TARGET_DIR] [PEERS_SUMMARY_JSON]
Reads TARGET_DIR/criterion/core_*/**/new/{benchmark,estimates}.json (mean time per iteration and
bytes per iteration) and prints, per language, MB/s and the ratio to that language's `limit`
measured in the same run. With the summary.json of benches/peers/compare.sh it also prints
chaff's one-core signatures from raw text against rensa's one-core signatures from shingles.
"""

import glob
import json
import os
import sys

target = sys.argv[1] if len(sys.argv) > 1 else "target"
rows = {}
for path in glob.glob(os.path.join(target, "criterion", "core_*", "**", "new", "benchmark.json"), recursive=True):
    bench = json.load(open(path))
    est = json.load(open(os.path.join(os.path.dirname(path), "estimates.json")))
    nbytes = (bench.get("throughput") or {}).get("Bytes")
    if not nbytes:
        continue
    ns = est["mean"]["point_estimate"]
    group, _, name = bench["full_id"].partition("/")[2].partition("/")
    rows[(group, name)] = nbytes / ns * 1e9 / 1e6

print(f"{'bench':<34} {'MB/s':>9} {'x limit':>8}")
for group in ["fa", "ar", "en", "lsh"]:
    limit = rows.get((group, "limit"))
    for (g, name), mbs in sorted(rows.items()):
        if g != group:
            continue
        ratio = f"{mbs / limit:.2f}" if limit else "-"
        print(f"{g + '/' + name:<34} {mbs:>9.1f} {ratio:>8}")
sig = [rows[(g, "signature/one-perm")] for g in ("fa", "ar", "en") if (g, "signature/one-perm") in rows]
lim = [rows[(g, "limit")] for g in ("fa", "ar", "en") if (g, "limit") in rows]
if sig and lim:
    print(f"signatures from raw text, mean of languages: {sum(sig) / len(sig):.1f} MB/s per core, "
          f"{sum(sig) / sum(lim):.2f} of the limit baseline (issue 11: >= 0.70)")
    if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
        peers = json.load(open(sys.argv[2]))
        r = (peers["tools"].get("rensa") or {}).get("sig_mb_s")
        if r:
            print(f"vs rensa signatures from pre-tokenized shingles (one core, compare.sh): {r:.1f} MB/s "
                  f"-> chaff/rensa {sum(sig) / len(sig) / r:.1f}x (target >= 3x)")
