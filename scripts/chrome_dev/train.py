#!/usr/bin/env python3
"""Fits chaff's chrome line model on the labeled real pages, with whole sites held out.

Usage (from the repository root):
  scripts/chrome_dev/train.py [--pages data/chrome-dev/pages.jsonl.zst] [--out src/chrome/data/line_model.json]

Steps:
1. `cargo run --release --example chrome_features` dumps the model's inputs for every non-blank
   line (the same code path `chaff chrome` scores with).
2. Logistic regression (scikit-learn, L2, inputs standardized and the scaling folded back into
   the weights) on the line labels of `pages.jsonl.zst` (1 chrome, 0 content, -1 blank). The
   vocabulary (words weighed as evidence of chrome or content, `src/chrome/vocabulary.rs`) is
   learned from the same training pages, and its four inputs get their weights after the rest,
   as a correction of each stage with its other weights held (`vocabulary_corrections`).
3. Site-grouped cross-validation (GroupKFold over the page's `source`, so no site is both in
   training and in the fold scored): a model per fold is written to target/chrome-dev/fold-K.json,
   and `chaff chrome --line-model fold-K.json --chrome-threshold 0` scores that fold's pages through
   the real binary. From these held-out scores the default threshold is the lowest at which at
   least 97% of the removed lines are chrome and at most 5% of the content lines are removed
   (pooled over folds). The numbers printed score each fold at a threshold chosen the same way
   on the other folds only, so neither the model nor the threshold saw the fold's sites.
4. The final model (all pages) gets that threshold and is written to --out with a note of the
   held-out numbers. `scripts/chrome_dev/eval.py` then prints the full comparison.

Needs numpy, scikit-learn and zstandard (scripts/chrome_dev/requirements-train.txt).
"""
import argparse
import io
import json
import os
import subprocess
import sys

import numpy as np
import zstandard
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORK = os.path.join(ROOT, "target", "chrome-dev")
PRECISION_TARGET = 0.97
# The fold tables' version in src/text/fold.rs (a unit test in score.rs checks they agree): the
# features read folded words, so a model fitted under other tables is refused.
NORMALIZATION_VERSION = 1
# Share of the article's lines the default threshold may remove on held-out sites (issue 10's bar
# for English pages; it is the tighter of the two).
CONTENT_BUDGET = 0.05
# A word is weighed only when the labeled lines of at least this many sites carry it: no site's
# own menu, name or topic becomes evidence, only what sites share. Held out, 20 sites gave the
# best English and non-English F1 of 2, 3, 5, 8, 12, 20 and 30 (the training folds hold ~165).
VOCABULARY_MIN_SITES = 20
# Weights are written as integers in 1/32 of log-odds (VOCABULARY_SCALE in vocabulary.rs), clipped
# to what an i8 holds.
VOCABULARY_SCALE = 32
VOCABULARY_INPUTS = ["vocab_mean", "vocab_min", "vocab_max", "vocab_share"]
# The L2 penalty of the vocabulary corrections (vocabulary_corrections), on inputs in log-odds.
VOCABULARY_L2 = 1.0


def read_jsonl(path):
    with open(path, "rb") as raw:
        stream = raw
        if path.endswith(".zst"):
            stream = zstandard.ZstdDecompressor().stream_reader(raw)
        for line in io.TextIOWrapper(stream, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)


def cargo_bin():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "chrome_features",
                    "--bin", "chaff"], cwd=ROOT, check=True)
    return (os.path.join(ROOT, "target", "release", "examples", "chrome_features"),
            os.path.join(ROOT, "target", "release", "chaff"))


def features(tool, pages_path):
    out = os.path.join(WORK, "x.jsonl")
    with open(out, "w") as f:
        subprocess.run([tool, pages_path], stdout=f, check=True)
    return {r["id"]: r for r in read_jsonl(out)}


def learn_vocabulary(words, labels, sites):
    """The vocabulary of pages given as (words of each line, labels, site): for each word on the
    labeled lines of VOCABULARY_MIN_SITES sites or more, the log-odds of the sites carrying it
    in chrome against those carrying it in content (each site counts once, however often its
    template repeats the word), as integers in 1/VOCABULARY_SCALE."""
    chrome, content, seen = {}, {}, {}
    for ws, lab, site in zip(words, labels, sites):
        for line, l in zip(ws, lab):
            if l < 0:
                continue
            side = chrome if l == 1 else content
            for h in set(line):
                side.setdefault(h, set()).add(site)
                seen.setdefault(h, set()).add(site)
    vocab = {}
    for h, s in seen.items():
        if len(s) < VOCABULARY_MIN_SITES:
            continue
        w = np.log((len(chrome.get(h, ())) + 0.5) / (len(content.get(h, ())) + 0.5))
        vocab[h] = int(max(-127, min(127, round(w * VOCABULARY_SCALE))))
    return vocab


def with_vocabulary(x, words, vocab, names):
    """`x` with its vocabulary inputs computed from `vocab`, exactly as chaff's
    vocabulary::Weighed::inputs does from the same integers."""
    x = x.copy()
    cols = [names.index(n) for n in VOCABULARY_INPUTS]
    for k, line in enumerate(words):
        ws = [vocab[h] for h in line if h in vocab]
        x[k, cols] = [sum(ws) / len(ws) / VOCABULARY_SCALE, min(ws) / VOCABULARY_SCALE,
                      max(ws) / VOCABULARY_SCALE, len(ws) / len(line)] if ws else [0.0] * 4
    return x


def vocabulary_json(vocab):
    hashes = sorted(vocab)
    return {"hashes": hashes, "weights": [vocab[h] for h in hashes]}


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def context_inputs(p):
    """The context inputs of each line of one page from first-stage probabilities, exactly as
    chaff's score::context_inputs computes them."""
    n = len(p)
    rows = []
    content = (p < 0.5).astype(float)
    total = max(n, 1)
    before = 0.0
    allc = content.sum()

    def mean(k, r):
        lo, hi = max(0, k - r), min(n - 1, k + r)
        others = [p[j] for j in range(lo, hi + 1) if j != k]
        return sum(others) / len(others) if others else 0.5

    for k in range(n):
        after = allc - before - content[k]
        rows.append([p[k], p[k - 1] if k > 0 else 0.5, p[k + 1] if k + 1 < n else 0.5,
                     mean(k, 2), mean(k, 5), before / total, after / total])
        before += content[k]
    return np.array(rows).reshape(n, 7)


class Stage:
    """One logistic regression on standardized inputs, its scaling folded into the weights."""

    def __init__(self, X, y, C):
        self.mean = X.mean(axis=0)
        self.std = X.std(axis=0)
        self.std[self.std == 0] = 1.0
        self.clf = LogisticRegression(C=C, max_iter=3000)
        self.clf.fit((X - self.mean) / self.std, y)

    def weights(self):
        w = self.clf.coef_[0] / self.std
        b = float(self.clf.intercept_[0] - np.sum(self.clf.coef_[0] * self.mean / self.std))
        return w, b

    def logit(self, X):
        w, b = self.weights()
        return X @ w + b


# The inputs of what a line reads, not of where it stands: the third stage, fitted on these
# alone, says whether a line's own text is evidence of chrome (a prose line whose only other cue
# is its position is capped unless it is). chaff refuses a stage naming any other input.
OWN_TEXT = ["ln_words", "ln_chars", "stop_density", "has_stop", "prose", "ends_sentence",
            "ends_colon", "commas_per_word", "bullet", "separators", "leading_separator",
            "path_separator", "clock_or_date", "copyright", "ui_share", "date_share", "number_share",
            "label", "label_ui", "ln_chars_per_word", "headline_like", "ln_page_repeats",
            "capitalized_share", "starts_lower", "address", "truncated"]
# The vocabulary's inputs stay out of the own-text stage: words are evidence, but a sentence
# about Twitter or cookies holds the words of a cookie banner (with them in this stage, a Spanish
# sentence of a cnet article on Twitter Lite had its cap lifted and was removed). Of the capped
# fundus lines holding a word of weight 2.5 or more, only 83% of the tokens are chrome.


def own_text_stage(pages, names, C):
    """The stage over OWN_TEXT only, as (input names, Stage)."""
    cols = [names.index(n) for n in OWN_TEXT]
    X = np.vstack([x for x, _ in pages])[:, cols]
    y = np.concatenate([l for _, l in pages])
    keep = y >= 0
    return Stage(X[keep], y[keep], C)


def fit_model(pages, C):
    """The two stages fitted on pages given as [(inputs of each line, labels)]."""
    X = np.vstack([x for x, _ in pages])
    y = np.concatenate([l for _, l in pages])
    keep = y >= 0
    one = Stage(X[keep], y[keep], C)
    ctx = np.vstack([context_inputs(sigmoid(one.logit(x))) for x, _ in pages])
    two = Stage(np.hstack([X, ctx])[keep], y[keep], C)
    return one, two


RULE_MIN_LINES = 10


def rule_precision(records, labels_of, ids, floor_min):
    """Smoothed share of chrome among the lines each rule (region:cue) flagged on pages `ids`, for
    the rules at least `floor_min` precise."""
    counts = {}
    for r in records:
        if r["id"] not in ids or r["cue"] in ("line_model", "syndication", "other_title", "amid_chrome"):
            continue
        label = labels_of.get((r["id"], r["line"]), -1)
        if label < 0:
            continue
        key = f'{r["region"]}:{r["cue"]}'
        c = counts.setdefault(key, [0, 0])
        c[0] += label
        c[1] += 1
    table = {k: round((a + 1) / (n + 2), 4) for k, (a, n) in sorted(counts.items()) if n >= RULE_MIN_LINES}
    return {k: p for k, p in table.items() if p >= floor_min}


def run_chaff(chaff, pages_path, model_path):
    out = subprocess.run([chaff, "chrome", pages_path, "--line-model", model_path, "--chrome-threshold", "0",
                          "--format", "json", "--quiet", "--no-syndication"],
                         capture_output=True, text=True, check=True)
    return [r for r in map(json.loads, out.stdout.splitlines()) if r.get("kind") == "chrome"]


def newton_offset(V, y, offset):
    """Weights of an L2-regularized logistic regression on inputs `V` with `offset` added to
    its logit and no intercept, by Newton steps."""
    w = np.zeros(V.shape[1])
    for _ in range(100):
        p = sigmoid(offset + V @ w)
        grad = V.T @ (p - y) + VOCABULARY_L2 * w
        hess = (V * (p * (1 - p))[:, None]).T @ V + VOCABULARY_L2 * np.eye(V.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-9:
            break
    return w


def vocabulary_corrections(one, two, pages, plain, vocab_cols):
    """Weights of the vocabulary inputs added to each stage's logit (`pages` with the inputs,
    `plain` the same pages with them at zero, as the stages were fitted), fitted with the stages'
    other weights held as they are: first the first stage's, then the second's over the context
    the corrected first stage gives. A page none of whose words the vocabulary knows has these
    inputs at zero on every line, so it scores exactly as the stages alone score it: the
    vocabulary adds evidence where it knows words and changes nothing where it knows none (a
    language the labeled pages lack), rather than moving weight off the inputs that work in
    every language."""
    y = np.concatenate([l for _, l in pages]).astype(float)
    keep = y >= 0
    V = np.vstack([x for x, _ in pages])[:, vocab_cols]
    X0 = np.vstack([x for x, _ in plain])
    w1 = newton_offset(V[keep], y[keep], one.logit(X0)[keep])
    ctx = [context_inputs(sigmoid(one.logit(x0) + x[:, vocab_cols] @ w1))
           for (x, _), (x0, _) in zip(pages, plain)]
    off2 = two.logit(np.hstack([X0, np.vstack(ctx)]))
    w2 = newton_offset(V[keep], y[keep], off2[keep])
    return w1, w2


def fitted(chaff, pages_path, data, words, ids, labels_of, C, names, path, threshold, note, floor_min):
    """Learns the vocabulary and fits both stages on `data` (pages given as (inputs, labels,
    site), `words` the words of their lines), then the table of rules at least `floor_min`
    precise on the same pages (`ids`), and writes the model to `path`. The stages are fitted
    without the vocabulary's inputs, which then get their weights in each stage
    (`vocabulary_corrections`)."""
    vocab = learn_vocabulary(words, [l for _, l, _ in data], [s for _, _, s in data])
    vocab_cols = [names.index(n) for n in VOCABULARY_INPUTS]
    data = [(with_vocabulary(x, w, vocab, names), l) for (x, l, _), w in zip(data, words)]
    plain = []
    for x, l in data:
        x = x.copy()
        x[:, vocab_cols] = 0.0
        plain.append((x, l))
    one, two = fit_model(plain, C)
    model = model_json(one, two, names, threshold, note)
    w1, w2 = vocabulary_corrections(one, two, data, plain, vocab_cols)
    for k, a, b in zip(vocab_cols, w1, w2):
        model["weights"][k] = round(float(a), 6)
        model["context"]["weights"][k] = round(float(b), 6)
    model["vocabulary"] = vocabulary_json(vocab)
    w3, b3 = own_text_stage(plain, names, C).weights()
    model["own_text"] = {"inputs": OWN_TEXT, "weights": [round(float(v), 6) for v in w3],
                         "bias": round(b3, 6)}
    with open(path, "w") as f:
        json.dump(model, f)
    model["rule_precision"] = rule_precision(run_chaff(chaff, pages_path, path), labels_of, ids, floor_min)
    with open(path, "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")
    return model


def model_json(one, two, names, threshold, note):
    w1, b1 = one.weights()
    w2, b2 = two.weights()
    return {
        "format": "chaff-line-model",
        "version": 1,
        "normalization": NORMALIZATION_VERSION,
        "features": names,
        "weights": [round(float(v), 6) for v in w1],
        "bias": round(b1, 6),
        "context": {"weights": [round(float(v), 6) for v in w2], "bias": round(b2, 6)},
        "threshold": threshold,
        "note": note,
    }


def choose_threshold(scores, labels, budget=None):
    """Lowest threshold whose removed lines are at least PRECISION_TARGET chrome and remove at
    most `budget` (CONTENT_BUDGET by default) of the content lines: precision first, then as
    much chrome as that allows. `budget=1.0` drops the content bar (the comparison threshold:
    lines left out of a comparison are not deleted)."""
    budget = CONTENT_BUDGET if budget is None else budget
    order = np.argsort(-scores)
    s, l = scores[order], labels[order]
    tp = np.cumsum(l)
    n = np.arange(1, len(l) + 1)
    precision = tp / n
    content_removed = np.cumsum(1 - l) / max(1, int((labels == 0).sum()))
    best = 1.0
    for k in range(len(s)):
        if k + 1 < len(s) and s[k + 1] == s[k]:
            continue  # a threshold takes every line of equal score
        if content_removed[k] > budget:
            break
        if precision[k] >= PRECISION_TARGET and s[k] > 0:
            best = float(s[k])
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", default=os.path.join(ROOT, "data", "chrome-dev", "pages.jsonl.zst"))
    ap.add_argument("--out", default=os.path.join(ROOT, "src", "chrome", "data", "line_model.json"))
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--C", type=float, default=0.3)
    ap.add_argument("--rule-floors", type=float, default=0.0, metavar="MIN",
                    help="a rule at least MIN precise on the training pages is a floor on its lines' "
                         "scores (default 0: every rule's). Held out, floors of rules only above the "
                         "0.97 target removed 12.7%% of non-English article lines instead of 14.3%%, "
                         "but found half the chrome of the Persian and Arabic seeds and 79%% of the "
                         "generated corpus's, which carry no labeled page in this set")
    args = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    tool, chaff = cargo_bin()
    names_out = subprocess.run([tool, "--names"], capture_output=True, text=True)
    pages = list(read_jsonl(args.pages))
    xs = features(tool, args.pages)
    names = json.loads(names_out.stdout) if names_out.returncode == 0 else None

    data, groups, where, words = [], [], [], []
    for p in pages:
        r = xs.get(p["id"])
        if r is None or not r["lines"]:
            continue
        lab = np.array([p["labels"][n - 1] if n - 1 < len(p["labels"]) else -1 for n in r["lines"]])
        site = p["source"] or p["id"]
        data.append((np.array(r["x"], dtype=float), lab, site))
        words.append(r["words"])
        groups.append(site)
        where.append([(p["id"], n) for n in r["lines"]])
    n_lines = sum(int((l >= 0).sum()) for _, l, _ in data)
    n_chrome = sum(int((l == 1).sum()) for _, l, _ in data)
    print(f"{n_lines} labeled lines ({n_chrome} chrome) on {len(set(groups))} sites", file=sys.stderr)

    # Held-out scores through the real binary, fold by fold (folds of pages grouped by site).
    labels_of = {w: lab for ws, (_, l, _) in zip(where, data) for w, lab in zip(ws, l)}
    folds = list(GroupKFold(n_splits=args.folds).split(np.zeros(len(data)), groups=groups))
    held = {}
    for k, (tr, te) in enumerate(folds):
        path = os.path.join(WORK, f"fold-{k}.json")
        train_ids = {where[i][0][0] for i in tr}
        fitted(chaff, args.pages, [data[i] for i in tr], [words[i] for i in tr], train_ids, labels_of,
               args.C, names, path, 0.5, f"fold {k}", args.rule_floors)
        ids = {where[i][0][0] for i in te}
        for r in run_chaff(chaff, args.pages, path):
            if r["id"] in ids:
                held[(r["id"], r["line"])] = r["score"]
    flat_where = [w for ws, (_, l, _) in zip(where, data) for w, lab in zip(ws, l) if lab >= 0]
    y = np.array([lab for _, l, _ in data for lab in l if lab >= 0])
    scores = np.array([held.get(w, 0.0) for w in flat_where])
    threshold = choose_threshold(scores, y)
    compare_threshold = choose_threshold(scores, y, budget=1.0)
    # Each fold's threshold is chosen on the other folds' held-out scores only, so that the
    # numbers reported are of a threshold that never saw the fold's sites either.
    fold_of_page = {where[i][0][0]: k for k, (_, te) in enumerate(folds) for i in te}
    fold = np.array([fold_of_page[doc] for doc, _ in flat_where])
    fold_threshold = {k: choose_threshold(scores[fold != k], y[fold != k]) for k in range(len(folds))}
    line_threshold = np.array([fold_threshold[k] for k in fold])
    print("fold thresholds: " + " ".join(f"{fold_threshold[k]:.4f}" for k in range(len(folds))), file=sys.stderr)
    removed = scores >= line_threshold
    precision = float(y[removed].mean()) if removed.any() else float("nan")
    recall = float(removed[y == 1].mean())
    content_lost = float(removed[y == 0].mean())
    print(f"held-out sites (each fold at its own threshold): final threshold {threshold:.4f} precision {precision:.4f} chrome recall {recall:.4f} "
          f"content lines removed {content_lost:.4f}", file=sys.stderr)
    with open(os.path.join(WORK, "heldout-scores.jsonl"), "w") as f:
        for (doc, line), s, t in zip(flat_where, scores, line_threshold):
            f.write(json.dumps({"kind": "chrome", "id": doc, "line": line, "score": float(s),
                                "threshold": float(t)}) + "\n")

    note = {
        "fitted_on": os.path.relpath(args.pages, ROOT),
        "lines": n_lines,
        "sites": len(set(groups)),
        "C": args.C,
        "rule_floors": args.rule_floors,
        "heldout": {"folds": args.folds, "grouped_by": "source", "precision": round(precision, 4),
                    "chrome_recall": round(recall, 4), "content_lines_removed": round(content_lost, 4)},
    }
    all_ids = {ws[0][0] for ws in where}
    note["compare_threshold"] = round(compare_threshold, 4)
    fitted(chaff, args.pages, data, words, all_ids, labels_of, args.C, names, args.out, round(threshold, 4),
           note, args.rule_floors)
    # The threshold for comparisons (scan, dups --chrome): 97% precise, no content budget.
    with open(args.out) as f:
        model = json.load(f)
    model["compare_threshold"] = round(compare_threshold, 4)
    with open(args.out, "w") as f:
        json.dump(model, f, indent=1)
        f.write("\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
