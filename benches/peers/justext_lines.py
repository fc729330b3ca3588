#!/usr/bin/env python3
"""Line-level chrome scores of chaff and jusText on a chaff-gen corpus with line truth.

Usage:
  chaff-gen --docs 2000 --sites 20 --seed 2 --out eval.jsonl --truth eval.truth.jsonl
  chaff chrome eval.jsonl --format json --quiet > eval.chrome.jsonl
  python3 benches/peers/justext_lines.py eval.jsonl eval.truth.jsonl --chaff eval.chrome.jsonl [--justext]

Scores count non-blank lines only (a blank line carries no text to keep or remove). A line is
positive when it is chrome. jusText (pip install justext) gets each line wrapped in <p>, with the
stoplist of the page's language (Persian, Arabic, English, from the truth's doc records) and its
default parameters; a line is chrome when jusText calls its paragraph boilerplate.
"""
import argparse
import json
import time


def load_truth(path):
    lines, langs = {}, {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            r = json.loads(raw)
            if r["kind"] == "line":
                lines[(r["id"], r["line"])] = r["chrome"]
            elif r["kind"] == "doc":
                langs[r["id"]] = r.get("lang")
    return lines, langs


def load_corpus(path):
    docs = []
    with open(path, encoding="utf-8") as f:
        for raw in f:
            r = json.loads(raw)
            docs.append((r["id"], r["text"]))
    return docs


def nonblank(docs):
    keep = set()
    for doc_id, text in docs:
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip():
                keep.add((doc_id, n))
    return keep


def score(name, predicted, truth, keep, seconds=None, mb=None, nlines=None):
    tp = fp = fn = 0
    for key in keep:
        t = truth.get(key, False)
        p = key in predicted
        tp += t and p
        fp += (not t) and p
        fn += t and (not p)
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    extra = ""
    if seconds:
        extra = f"  {nlines / seconds:,.0f} lines/s  {mb / seconds:.2f} MB/s"
    print(f"{name:8s} precision {prec:.4f}  recall {rec:.4f}  (tp {tp}, fp {fp}, fn {fn}){extra}")


def run_justext(docs, langs):
    import justext
    from html import escape

    stoplists = {
        "fa": justext.get_stoplist("Persian"),
        "ar": justext.get_stoplist("Arabic"),
        "en": justext.get_stoplist("English"),
    }
    predicted = set()
    for doc_id, text in docs:
        lines = text.split("\n")
        idx = [n for n, line in enumerate(lines, 1) if line.strip()]
        html = "<html><body>" + "".join(f"<p>{escape(lines[n - 1])}</p>" for n in idx) + "</body></html>"
        stop = stoplists.get(langs.get(doc_id), stoplists["en"])
        paragraphs = justext.justext(html.encode("utf-8"), stop, encoding="utf-8")
        # One <p> per non-blank line, in order.
        for n, p in zip(idx, paragraphs):
            if p.is_boilerplate:
                predicted.add((doc_id, n))
    return predicted


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("truth")
    ap.add_argument("--chaff", help="chaff chrome --format json records")
    ap.add_argument("--justext", action="store_true")
    ap.add_argument("--show", type=int, default=0, help="print this many errors of chaff")
    a = ap.parse_args()
    truth, langs = load_truth(a.truth)
    docs = load_corpus(a.corpus)
    keep = nonblank(docs)
    mb = sum(len(t.encode("utf-8")) for _, t in docs) / 1e6
    print(f"{len(docs)} documents, {len(keep)} non-blank lines, {sum(truth.get(k, False) for k in keep)} chrome")
    if a.chaff:
        predicted = set()
        reasons = {}
        with open(a.chaff, encoding="utf-8") as f:
            for raw in f:
                r = json.loads(raw)
                predicted.add((r["id"], r["line"]))
                reasons[(r["id"], r["line"])] = r["reason"]
        score("chaff", predicted, truth, keep)
        if a.show:
            text = {d: t.split("\n") for d, t in docs}
            shown = 0
            for key in sorted(keep):
                t = truth.get(key, False)
                p = key in predicted
                if t != p and shown < a.show:
                    kind = "FP" if p else "FN"
                    print(kind, key, reasons.get(key, ""), "|", text[key[0]][key[1] - 1][:90])
                    shown += 1
    if a.justext:
        start = time.time()
        predicted = run_justext(docs, langs)
        seconds = time.time() - start
        score("jusText", predicted, truth, keep, seconds, mb, len(keep))


if __name__ == "__main__":
    main()
