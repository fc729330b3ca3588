#!/usr/bin/env python3
"""Score a chrome detector's output on chaff's chrome development set.

Usage:
    python3 scripts/chrome_dev/eval.py PAGES CHAFF_OUT [--threshold T] [--ids FILE]
        [--peers FILE] [--by-site] [--json] [--no-justext] [--no-trafilatura]

PAGES      data/chrome-dev/pages.jsonl.zst (or .jsonl.gz / .jsonl), written by build.py.
CHAFF_OUT  JSON Lines from `chaff chrome --format json`: records {"kind": "chrome", "id",
           "line" (1-based over text.split("\\n")), "score", ...}; other kinds are ignored.
           /dev/null scores "nothing removed".
--threshold T   count only records with score >= T (a record without score counts as 1.0); a
                record with its own "threshold" (held-out scores from train.py) uses that one.
--ids FILE      score only the page ids listed in FILE (one a line; '#' comments), e.g. a
                held-out fold.
--unseen-by P   score only the pages whose site ("source") has no page in P, e.g. the fundus
                test pages of sites the development set lacks.
--peers FILE    trafilatura outputs (default: peers.jsonl.zst beside PAGES, or NAME-peers.jsonl.zst
                for PAGES named NAME.jsonl.zst).

For each group (overall, per origin, English vs non-English, per site with --by-site) and
each system (the detector, jusText, trafilatura) it prints:
  removed      lines removed (non-blank lines only; labels -1 are ignored throughout)
  prec         share of removed lines that are chrome (n/a when nothing is removed)
  rec          share of chrome lines removed
  cont_rm      share of content lines removed (the harm: real article text deleted)
  F1/P/R       kept-text token F1: tokens of kept lines vs tokens of content lines, multiset
               overlap, per page, then averaged over pages (P and R likewise)
  microF1      the same with token counts summed over all pages of the group

jusText (3.x) runs on the same lines, each line one <p>, with the stoplist of the page's
language when jusText has one (else English), default parameters; a line is removed when
jusText calls its paragraph boilerplate.
readability (Readability.js 0.6.0 output stored by the Zyte benchmark; Zyte pages only) is
scored like trafilatura.
trafilatura's output (extract(html, include_comments=False), stored by build.py) is projected
onto the lines: walking the lines in page order, a line is kept when >= 50% of its tokens can
be taken from the (multiset of) tokens of trafilatura's output still unused; its F1 is computed
on trafilatura's own output text vs the content lines, and cont_rm is then the share of content
lines whose tokens are mostly missing from its output.
"""
from __future__ import annotations

import argparse
import gzip
import html as htmlmod
import io
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
TOKEN = re.compile(rf"[{CJK}]|[^\W{CJK}]+")


def tokens(s: str) -> list[str]:
    s = unicodedata.normalize("NFKC", s).lower()
    return [t for t in TOKEN.findall(s) if t != "_"]


def open_text(path: str):
    p = Path(path)
    if p.suffix == ".zst":
        try:
            import zstandard
        except ImportError:  # plain python3 without the venv: the zstd command line tool
            import subprocess

            return io.StringIO(subprocess.run(["zstd", "-dc", str(p)], check=True, capture_output=True).stdout.decode("utf-8"))
        return io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(open(p, "rb")), encoding="utf-8")
    if p.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(p, "rb"), encoding="utf-8")
    return open(p, encoding="utf-8")


def read_jsonl(path: str):
    with open_text(path) as fh:
        for line in fh:
            line = line.strip()
            if line:
                yield json.loads(line)


# ---------------------------------------------------------------------------- scoring


class Tally:
    def __init__(self):
        self.pages = 0
        self.lines = self.chrome = self.content = 0
        self.removed = self.removed_chrome = self.removed_content = 0
        self.f1 = self.p = self.r = 0.0
        self.tp = self.kept_tok = self.gold_tok = 0

    def add_lines(self, labels, removed):
        for lab, rm in zip(labels, removed):
            if lab == -1:
                continue
            self.lines += 1
            self.chrome += lab == 1
            self.content += lab == 0
            if rm:
                self.removed += 1
                self.removed_chrome += lab == 1
                self.removed_content += lab == 0

    def add_tokens(self, kept: Counter, gold: Counter):
        tp = sum((kept & gold).values())
        nk, ng = sum(kept.values()), sum(gold.values())
        p = tp / nk if nk else (1.0 if not ng else 0.0)
        r = tp / ng if ng else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        self.pages += 1
        self.f1 += f
        self.p += p
        self.r += r
        self.tp += tp
        self.kept_tok += nk
        self.gold_tok += ng

    def summary(self) -> dict:
        def div(a, b):
            return a / b if b else None

        mp, mr = div(self.tp, self.kept_tok), div(self.tp, self.gold_tok)
        return {
            "pages": self.pages, "lines": self.lines, "chrome": self.chrome, "content": self.content,
            "removed": self.removed,
            "precision": div(self.removed_chrome, self.removed),
            "recall": div(self.removed_chrome, self.chrome),
            "content_removed": div(self.removed_content, self.content),
            "f1": div(self.f1, self.pages), "p": div(self.p, self.pages), "r": div(self.r, self.pages),
            "micro_f1": (2 * mp * mr / (mp + mr)) if mp and mr else 0.0,
        }


def kept_counter(lines, removed):
    c = Counter()
    for l, rm in zip(lines, removed):
        if not rm:
            c.update(tokens(l))
    return c


def gold_counter(lines, labels):
    c = Counter()
    for l, lab in zip(lines, labels):
        if lab == 0:
            c.update(tokens(l))
    return c


# ---------------------------------------------------------------------------- peers

JT_NAMES = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "eu": "Basque", "bs": "Bosnian",
    "bg": "Bulgarian", "ca": "Catalan", "hr": "Croatian", "cs": "Czech", "da": "Danish",
    "nl": "Dutch", "en": "English", "eo": "Esperanto", "et": "Estonian", "fi": "Finnish",
    "fr": "French", "gl": "Galician", "de": "German", "el": "Greek", "hu": "Hungarian",
    "is": "Icelandic", "id": "Indonesian", "ga": "Irish", "it": "Italian", "lv": "Latvian",
    "lt": "Lithuanian", "ms": "Malay", "nb": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk",
    "no": "Norwegian_Bokmal", "fa": "Persian", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sr": "Serbian", "sk": "Slovak", "sl": "Slovenian", "es": "Spanish",
    "sw": "Swahili", "sv": "Swedish", "tr": "Turkish", "uk": "Ukrainian", "vi": "Vietnamese",
    "cy": "Welsh", "he": "Hebrew", "hi": "Hindi", "ko": "Korean", "ur": "Urdu",
}


def justext_removed(lines: list[str], lang: str) -> list[bool]:
    import justext

    name = JT_NAMES.get(lang, "English")
    try:
        stop = justext.get_stoplist(name)
    except ValueError:
        stop = justext.get_stoplist("English")
    removed = [True] * len(lines)
    idx = [i for i, l in enumerate(lines) if l.strip()]
    if not idx:
        return removed
    doc = "<html><body>" + "".join(f"<p>{htmlmod.escape(lines[i])}</p>" for i in idx) + "</body></html>"
    paras = justext.justext(doc.encode("utf-8"), stop, encoding="utf-8")
    for p in paras:
        m = re.search(r"/p\[(\d+)\]$", p.xpath)
        if m:
            k = int(m.group(1)) - 1
            if 0 <= k < len(idx):
                removed[idx[k]] = p.is_boilerplate
    return removed


def project(lines: list[str], out_text: str | None) -> list[bool]:
    pool = Counter(tokens(out_text or ""))
    removed = []
    for l in lines:
        ts = tokens(l)
        if not ts:
            removed.append(True)
            continue
        need = Counter(ts)
        have = sum(min(n, pool[t]) for t, n in need.items())
        if have / len(ts) >= 0.5:
            pool.subtract(need)
            pool += Counter()  # drop non-positive counts
            removed.append(False)
        else:
            removed.append(True)
    return removed


# ---------------------------------------------------------------------------- main


def fmt(v, pct=True):
    if v is None:
        return "n/a"
    return f"{100 * v:.1f}%" if pct else f"{v:.3f}"


def print_table(title: str, groups: dict[str, dict[str, dict]]):
    print(f"\n== {title}")
    hdr = f"{'group':24s} {'system':12s} {'pages':>5s} {'lines':>6s} {'chrome':>6s} {'content':>7s} {'removed':>7s} {'prec':>6s} {'rec':>6s} {'cont_rm':>7s} {'F1':>6s} {'P':>6s} {'R':>6s} {'microF1':>7s}"
    print(hdr)
    for g, systems in groups.items():
        for sysname, s in systems.items():
            print(f"{g[:24]:24s} {sysname:12s} {s['pages']:5d} {s['lines']:6d} {s['chrome']:6d} {s['content']:7d} {s['removed']:7d} "
                  f"{fmt(s['precision']):>6s} {fmt(s['recall']):>6s} {fmt(s['content_removed']):>7s} "
                  f"{fmt(s['f1'], False):>6s} {fmt(s['p'], False):>6s} {fmt(s['r'], False):>6s} {fmt(s['micro_f1'], False):>7s}")


def main():
    ap = argparse.ArgumentParser(description="Score chaff chrome output on the chrome dev set.")
    ap.add_argument("pages")
    ap.add_argument("chaff_out")
    ap.add_argument("--threshold", type=float, default=None)
    ap.add_argument("--ids", default=None)
    ap.add_argument("--unseen-by", default=None, metavar="PAGES",
                    help="score only the pages whose site has no page in PAGES (the pages a model was fitted on)")
    ap.add_argument("--peers", default=None)
    ap.add_argument("--by-site", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the summary as JSON instead of tables")
    ap.add_argument("--no-justext", action="store_true")
    ap.add_argument("--no-trafilatura", action="store_true")
    ap.add_argument("--name", default="chaff", help="label of the scored system")
    args = ap.parse_args()

    keep_ids = None
    if args.ids:
        keep_ids = {l.split("#")[0].strip() for l in open(args.ids, encoding="utf-8")} - {""}

    seen_sites = {p["source"] for p in read_jsonl(args.unseen_by)} if args.unseen_by else None

    marked: dict[str, set[int]] = defaultdict(set)
    bad = 0
    with open(args.chaff_out, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                bad += 1
                continue
            if rec.get("kind") != "chrome":
                continue
            score = rec.get("score")
            score = 1.0 if score is None else float(score)
            # A held-out record carries the threshold chosen without its site (train.py).
            threshold = rec.get("threshold", args.threshold)
            if threshold is not None and score < threshold:
                continue
            marked[str(rec["id"])].add(int(rec["line"]))
    if bad:
        print(f"warning: {bad} unreadable lines in {args.chaff_out}", file=sys.stderr)

    peers = {}
    if not args.no_trafilatura:
        stem = Path(args.pages).name.split(".")[0]
        ppath = args.peers or str(Path(args.pages).with_name(
            "peers.jsonl.zst" if stem == "pages" else f"{stem}-peers.jsonl.zst"))
        if Path(ppath).exists():
            peers = {r["id"]: r for r in read_jsonl(ppath)}
        else:
            print(f"note: no peers file {ppath}; trafilatura skipped", file=sys.stderr)

    if not args.no_justext:
        try:
            import justext  # noqa: F401
        except ImportError:
            print("note: jusText is not installed (pip install -r scripts/chrome_dev/requirements.txt); skipped", file=sys.stderr)
            args.no_justext = True
    systems = [args.name] + ([] if args.no_justext else ["justext"]) + (["trafilatura"] if peers else [])
    if any(r.get("readability") for r in peers.values()):
        systems.append("readability")  # only pages with a stored Readability.js output
    tallies: dict[tuple[str, str], dict[str, Tally]] = defaultdict(lambda: {s: Tally() for s in systems})
    # (a group's "readability" row counts only the pages that have its output: Zyte's pages)
    seen_ids, out_of_range = set(), 0
    for page in read_jsonl(args.pages):
        pid = page["id"]
        if keep_ids is not None and pid not in keep_ids:
            continue
        if seen_sites is not None and page["source"] in seen_sites:
            continue
        seen_ids.add(pid)
        lines = page["text"].split("\n")
        labels = page["labels"]
        assert len(lines) == len(labels), pid
        gold = gold_counter(lines, labels)
        rm = {}
        m = marked.get(pid, set())
        out_of_range += sum(1 for k in m if not 1 <= k <= len(lines))
        rm[args.name] = [(i + 1) in m for i in range(len(lines))]
        if "justext" in systems:
            rm["justext"] = justext_removed(lines, page.get("lang", "en"))
        kept_text = {}
        page_systems = [args.name] + [s for s in ("justext", "trafilatura") if s in systems]
        for peer in ("trafilatura", "readability"):
            if peer not in systems:
                continue
            out = (peers.get(pid) or {}).get(peer)
            if peer == "readability" and not out:
                continue
            rm[peer] = project(lines, out)
            kept_text[peer] = Counter(tokens(out or ""))
            if peer == "readability":
                page_systems.append(peer)
        groups = [("all", "all"), ("origin", page["origin"]),
                  ("lang", "en" if page.get("lang") == "en" else "non-en")]
        if args.by_site:
            groups.append(("site", page["source"]))
        for sysname in page_systems:
            kept = kept_text[sysname] if sysname in kept_text else kept_counter(lines, rm[sysname])
            for g in groups:
                t = tallies[g][sysname]
                t.add_lines(labels, rm[sysname])
                t.add_tokens(kept, gold)
    if keep_ids is not None and keep_ids - seen_ids:
        print(f"warning: {len(keep_ids - seen_ids)} ids of --ids not in {args.pages}", file=sys.stderr)
    unknown = set(marked) - seen_ids
    if unknown and keep_ids is None:
        print(f"warning: {len(unknown)} ids in {args.chaff_out} are not dev-set pages", file=sys.stderr)
    if out_of_range:
        print(f"warning: {out_of_range} records point past the page's lines", file=sys.stderr)

    result = {"threshold": args.threshold, "systems": systems, "groups": {}}
    order = sorted(tallies, key=lambda g: (["all", "origin", "lang", "site"].index(g[0]), g[1]))
    for g in order:
        result["groups"][f"{g[0]}:{g[1]}"] = {s: t.summary() for s, t in tallies[g].items() if t.pages}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"threshold: {args.threshold if args.threshold is not None else 'none (all records)'}")
    for kind, title in (("all", "overall"), ("origin", "per origin"), ("lang", "English vs non-English"), ("site", "per site")):
        sel = {g[1]: result["groups"][f"{g[0]}:{g[1]}"] for g in order if g[0] == kind}
        if sel:
            print_table(title, sel)


if __name__ == "__main__":
    main()
