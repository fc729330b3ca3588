#!/usr/bin/env python3
"""Chrome-aware near-duplicates against body truth (issue 4's measure).

Usage: eval_chrome_dups.py CORPUS.jsonl TRUTH.jsonl RESULT.jsonl [RESULT.jsonl ...]

CORPUS and TRUTH come from `chaff-gen --sites N` (TRUTH carries line records saying which lines
are chrome); each RESULT is `chaff dups --format json` output (e.g. with and without --chrome).

Truth: every pair of documents whose *bodies* (the lines the generator marks as content) have
word-5-gram Jaccard >= 0.8, under benches/peers/peers.py's tokenizer (the shared Python
approximation of chaff's folds). All pairs are scored exactly: an inverted index over body
shingles yields every pair that shares one, and each such pair's Jaccard is computed.

A result *finds* a truth pair when both documents are in one of its clusters; its precision is
the share of its reported (id, of) pairs whose body Jaccard is >= 0.8. chaff also reports
truncated copies by containment (on by default), which that truth does not count: a second
precision also accepts pairs whose body containment is >= 0.8; run chaff with --containment 0
to compare on Jaccard alone.
"""

import collections
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "benches", "peers"))
import peers  # noqa: E402
from report import Clusters  # noqa: E402

THRESHOLD = 0.8


def bodies(corpus_path, truth_path):
    chrome = collections.defaultdict(set)
    with open(truth_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("kind") == "line" and r.get("chrome"):
                chrome[r["id"]].add(r["line"])
    out = {}
    with open(corpus_path, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            lines = d["text"].split("\n")
            keep = [l for i, l in enumerate(lines, 1) if i not in chrome[d["id"]]]
            out[d["id"]] = peers.shingles(peers.tokenize("\n".join(keep)))
    return out


def truth_pairs(sets):
    postings = collections.defaultdict(list)
    for doc, s in sets.items():
        for sh in s:
            postings[sh].append(doc)
    shared = collections.Counter()
    for docs in postings.values():
        if len(docs) < 2:
            continue
        for i in range(len(docs)):
            for j in range(i + 1, len(docs)):
                a, b = sorted((docs[i], docs[j]))
                shared[(a, b)] += 1
    pairs = {}
    for (a, b), inter in shared.items():
        union = len(sets[a]) + len(sets[b]) - inter
        if union and inter / union >= THRESHOLD:
            pairs[(a, b)] = inter / union
    return pairs


def containment(a, b):
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def main():
    corpus, truth = sys.argv[1], sys.argv[2]
    sets = bodies(corpus, truth)
    pairs = truth_pairs(sets)
    print(f"{len(sets)} documents, {len(pairs)} pairs with body Jaccard >= {THRESHOLD}")
    for result in sys.argv[3:]:
        reported = []
        with open(result, encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                if r.get("kind") == "duplicate":
                    reported.append((r["id"], r["of"]))
        clusters = Clusters(reported)
        found = sum(1 for a, b in pairs if clusters.together(a, b))
        good = sum(1 for a, b in reported if peers.jaccard(sets[a], sets[b]) >= THRESHOLD)
        contained = sum(
            1
            for a, b in reported
            if peers.jaccard(sets[a], sets[b]) >= THRESHOLD or containment(sets[a], sets[b]) >= THRESHOLD
        )
        recall = found / len(pairs) if pairs else 1.0
        precision = good / len(reported) if reported else 1.0
        either = contained / len(reported) if reported else 1.0
        print(
            f"{result}: {len(reported)} reported, recall {recall:.4f}, precision {precision:.4f} "
            f"(counting body containment >= {THRESHOLD} as correct too: {either:.4f})"
        )


if __name__ == "__main__":
    main()
