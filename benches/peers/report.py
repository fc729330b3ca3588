"""Prints the side-by-side table of benches/peers/compare.sh from the runs it made.

Usage: report.py WORKDIR
WORKDIR holds corpus.jsonl, truth.jsonl (the generator's), chaff.jsonl (chaff dups --format json),
<tool>.json (peers.py results) and <tool>.time (/usr/bin/time -v output) for every tool run.

Quality. Exact Jaccard over all pairs of a corpus is quadratic, so the truth is pooled: every pair
that any tool reports, plus every duplicate pair the generator planted, is scored by exact
Jaccard of word-5-gram sets under peers.tokenize (the shared approximation of chaff's folds);
pairs with J >= 0.8 are the truth. A tool *finds* a truth pair when both documents end up in one
of its clusters (chaff reports clusters with one record per dropped document, not every pair);
its precision is the share of the pairs it reports whose pooled Jaccard is >= 0.8. Pairs near
0.8 can land on either side of the threshold under the approximate tokenization, which is the
main source of disagreement between tools that all verify exactly.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402

TOOLS = ["chaff", "datasketch", "rensa", "gaoya"]


def time_v(path):
    """(wall seconds, peak RSS bytes) from /usr/bin/time -v output."""
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    parts = [float(p) for p in wall.split(":")]
    seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) * 1024
    return seconds, rss


class Clusters:
    def __init__(self, pairs):
        self.parent = {}
        for a, b in pairs:
            self.union(a, b)

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)

    def together(self, a, b):
        return self.find(a) == self.find(b)


def main():
    work = sys.argv[1]
    ids, texts = peers.read_corpus(os.path.join(work, "corpus.jsonl"))
    nbytes = sum(len(t.encode("utf-8")) for t in texts)
    index = {d: i for i, d in enumerate(ids)}
    reported = {}
    with open(os.path.join(work, "chaff.jsonl")) as f:
        reported["chaff"] = [
            (r["of"], r["id"]) for r in map(json.loads, f) if r.get("kind") == "duplicate"
        ]
    results = {}
    for tool in TOOLS[1:]:
        p = os.path.join(work, f"{tool}.json")
        if os.path.exists(p):
            results[tool] = json.load(open(p))
            reported[tool] = [(a, b) for a, b, _ in results[tool]["pairs"]]
    planted = []
    truth_path = os.path.join(work, "truth.jsonl")
    if os.path.exists(truth_path):
        with open(truth_path) as f:
            for line in f:
                r = json.loads(line)
                if r.get("kind") == "duplicate":
                    planted.append((r["of"], r["id"]))
    pool = set()
    for pairs in list(reported.values()) + [planted]:
        for a, b in pairs:
            if a in index and b in index and a != b:
                pool.add((min(a, b, key=index.get), max(a, b, key=index.get)))
    needed = {d for p in pool for d in p}
    sets = {d: peers.shingles(peers.tokenize(texts[index[d]])) for d in needed}
    score = {p: peers.jaccard(sets[p[0]], sets[p[1]]) for p in pool}
    truth = [p for p, j in score.items() if j >= peers.THRESHOLD]

    rows = []
    clusters = {t: Clusters(reported[t]) for t in reported}
    for tool in TOOLS:
        tp = os.path.join(work, f"{tool}.time")
        if tool not in reported or not os.path.exists(tp):
            continue
        wall, rss = time_v(tp)
        pairs = reported[tool]
        prec = (
            sum(score.get((min(a, b, key=index.get), max(a, b, key=index.get)), 0) >= peers.THRESHOLD for a, b in pairs)
            / len(pairs)
            if pairs
            else 1.0
        )
        rec = sum(clusters[tool].together(a, b) for a, b in truth) / len(truth) if truth else 1.0
        sig = ""
        if tool in results:
            s = results[tool]["seconds"]["signatures"]
            sig = f"{nbytes / s / 1e6:.1f}"
        rows.append((tool, wall, rss, prec, rec, sig))

    chaff_wall = rows[0][1] if rows and rows[0][0] == "chaff" else None
    print(f"corpus: {len(ids)} documents, {nbytes / 1e6:.1f} MB of text; truth pool {len(pool)} pairs, {len(truth)} with exact J >= {peers.THRESHOLD}")
    print(f"{'tool':<11} {'wall s':>8} {'docs/s':>9} {'MB/s':>8} {'peak RSS MB':>11} {'chaff x':>8} {'sig MB/s':>9} {'precision':>9} {'recall':>7}")
    for tool, wall, rss, prec, rec, sig in rows:
        ratio = f"{wall / chaff_wall:.1f}" if chaff_wall else "-"
        print(
            f"{tool:<11} {wall:>8.2f} {len(ids) / wall:>9.0f} {nbytes / wall / 1e6:>8.1f} {rss / 1e6:>11.0f} {ratio:>8} {sig or '-':>9} {prec:>9.4f} {rec:>7.4f}"
        )
    print("(chaff x = peer wall time / chaff wall time; sig MB/s = signatures alone from pre-tokenized shingles)")
    for tool in reported:
        if tool == "chaff":
            continue
        verified = reported[tool]
        if verified:
            got = sum(clusters["chaff"].together(a, b) for a, b in verified) / len(verified)
            print(f"chaff's recall of {tool}'s {len(verified)} verified pairs: {got:.4f}")
    summary = {
        "docs": len(ids),
        "bytes": nbytes,
        "truth_pairs": len(truth),
        "tools": {t: {"wall": w, "rss": r, "precision": p, "recall": c, "sig_mb_s": float(s) if s else None} for t, w, r, p, c, s in rows},
    }
    json.dump(summary, open(os.path.join(work, "summary.json"), "w"), indent=1)


if __name__ == "__main__":
    main()
