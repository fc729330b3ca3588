"""Runs one near-duplicate tool on a JSONL corpus and writes its pairs and timings as JSON.

Usage: peers.py TOOL CORPUS.jsonl OUT.json   (TOOL: datasketch, rensa, gaoya, truth, report)

Every peer gets the same input: documents tokenized by `tokenize` below (an approximation of
chaff's folds: NFKC, case fold, Arabic/Persian letter and hamza unification, tashkeel, tatweel
and ZWNJ dropped, digit scripts to ASCII, split on non-word characters), word 5-gram shingles,
128 permutations, threshold 0.8, and the same banding (datasketch's optimum for 0.8/128, which
the other two are given explicitly). Each peer's candidate pairs are then verified by exact
Jaccard on those shingle sets, like chaff's `--verify exact`, so "verified pairs" compare like
with like. Run each tool in its own process so its peak RSS is its own.
"""

import json
import os
import re
import sys
import time
import unicodedata

NGRAM = 5
NUM_PERM = 128
THRESHOLD = 0.8
SEED = 1

_FOLD = {}
for src, dst in {
    "\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9", "\u06aa": "\u06a9",
    "\u0629": "\u0647", "\u06c0": "\u0647", "\u06d5": "\u0647", "\u06c1": "\u0647",
    "\u06c2": "\u0647", "\u06be": "\u0647", "\u0622": "\u0627", "\u0623": "\u0627",
    "\u0625": "\u0627", "\u0671": "\u0627", "\u0624": "\u0648", "\u0626": "\u06cc",
}.items():
    _FOLD[ord(src)] = dst
for cp in list(range(0x064B, 0x0660)) + [0x0670, 0x0640, 0x200C, 0x200D, 0x200E, 0x200F, 0x00AD]:
    _FOLD[cp] = None
for zero in (0x0660, 0x06F0):
    for d in range(10):
        _FOLD[zero + d] = str(d)
_SPLIT = re.compile(r"[^\w]+")


def tokenize(text):
    text = unicodedata.normalize("NFKC", text).lower().translate(_FOLD)
    return [t for t in _SPLIT.split(text) if t]


def shingles(tokens):
    if not tokens:
        return set()
    if len(tokens) < NGRAM:
        return {" ".join(tokens)}
    return {" ".join(tokens[i : i + NGRAM]) for i in range(len(tokens) - NGRAM + 1)}


def read_corpus(path):
    ids, texts = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                d = json.loads(line)
                ids.append(str(d["id"]))
                texts.append(d["text"] or "")
    return ids, texts


def jaccard(a, b):
    if not a and not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def banding():
    from datasketch.lsh import _optimal_param

    return _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)  # (bands, rows)


def verify(sets, candidates):
    out = []
    for a, b in sorted(candidates):
        j = jaccard(sets[a], sets[b])
        if j >= THRESHOLD:
            out.append([a, b, j])
    return out


def run_datasketch(sets):
    from datasketch import MinHash, MinHashLSH

    t = time.perf_counter()
    sigs = []
    for s in sets:
        m = MinHash(num_perm=NUM_PERM, seed=SEED)
        m.update_batch([x.encode("utf-8") for x in s])
        sigs.append(m)
    t_sig = time.perf_counter() - t
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    cands = set()
    for i, m in enumerate(sigs):
        if sets[i]:
            for j in lsh.query(m):
                cands.add((min(i, j), max(i, j)))
            lsh.insert(i, m)
    return t_sig, cands


def run_rensa(sets):
    from rensa import RMinHash, RMinHashLSH

    lists = [list(s) for s in sets]
    # Signatures alone, from pre-tokenized shingles: rensa's fastest bulk path.
    t = time.perf_counter()
    RMinHash.digest_matrix_from_token_sets(lists, NUM_PERM, SEED)
    t_sig = time.perf_counter() - t
    # rensa needs bands that divide num_perm: the divisor nearest datasketch's choice.
    bands, _rows = banding()
    bands = min((b for b in range(1, NUM_PERM + 1) if NUM_PERM % b == 0), key=lambda b: abs(b - bands))
    objs = RMinHash.from_token_sets(lists, NUM_PERM, SEED)
    lsh = RMinHashLSH(THRESHOLD, NUM_PERM, bands)
    for i, m in enumerate(objs):
        if sets[i]:
            lsh.insert(i, m)
    cands = set()
    for i, found in enumerate(lsh.query_all(objs)):
        if sets[i]:
            for j in found:
                if j != i:
                    cands.add((min(i, j), max(i, j)))
    return t_sig, cands


def run_gaoya(sets, texts_tokens):
    import gaoya

    bands, rows = banding()
    index = gaoya.minhash.MinHashStringIndex(
        hash_size=32,
        jaccard_threshold=THRESHOLD,
        num_bands=bands,
        band_size=rows,
        analyzer="word",
        lowercase=False,
        ngram_range=(NGRAM, NGRAM),
        id_container="vec",
    )
    # gaoya shingles itself: it gets the folded tokens joined by spaces.
    docs = [" ".join(t) for t in texts_tokens]
    ids = [i for i, s in enumerate(sets) if s]
    t = time.perf_counter()
    index.par_bulk_insert_docs(ids, [docs[i] for i in ids])
    t_sig = time.perf_counter() - t
    cands = set()
    for i, found in zip(ids, index.par_bulk_query([docs[i] for i in ids])):
        for j in found:
            if j != i:
                cands.add((min(i, j), max(i, j)))
    return t_sig, cands


def main():
    tool, corpus, out = sys.argv[1], sys.argv[2], sys.argv[3]
    start = time.perf_counter()
    ids, texts = read_corpus(corpus)
    t_read = time.perf_counter() - start
    t = time.perf_counter()
    tokens = [tokenize(x) for x in texts]
    sets = [shingles(x) for x in tokens]
    t_tok = time.perf_counter() - t
    if tool == "datasketch":
        t_sig, cands = run_datasketch(sets)
    elif tool == "rensa":
        t_sig, cands = run_rensa(sets)
    elif tool == "gaoya":
        t_sig, cands = run_gaoya(sets, tokens)
    else:
        raise SystemExit(f"unknown tool {tool}")
    t = time.perf_counter()
    pairs = verify(sets, cands)
    t_verify = time.perf_counter() - t
    total = time.perf_counter() - start
    result = {
        "tool": tool,
        "docs": len(ids),
        "bytes": sum(len(x.encode("utf-8")) for x in texts),
        "seconds": {"read": t_read, "tokenize": t_tok, "signatures": t_sig, "verify": t_verify, "total": total},
        "candidates": len(cands),
        "pairs": [[ids[a], ids[b], j] for a, b, j in pairs],
        "banding": list(banding()),
    }
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
