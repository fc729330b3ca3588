#!/usr/bin/env python3
"""The fundus test pages with other pages of their sites beside them: what chaff's template
evidence (lines that recur across a source's pages) gives on sites no fit saw.

The labeled fundus set (fundus.jsonl.zst, built by build.py) has one to three pages a site, so
the evidence chaff gathers from a site's other pages is thin there. fundus's git history holds
more pages of the same publishers: test pages that were replaced or removed over the years. This
script takes every such page (unlabeled), converts it with build.py's own HTML-to-lines, gives it
the source of its publisher's labeled pages, and writes two corpora:

  OUT/alone.jsonl        the labeled pages as they are
  OUT/with-others.jsonl  the same pages and the other pages of their publishers
  OUT/ids.txt            the labeled pages of publishers that got at least one other page

A page of the history is left out when it is the same article as a labeled page of its
publisher (the same URL, the same text, or more than 30% of its lines of five words or more
found on the publisher's labeled pages), or when its file name names no publisher of the set.

Usage (from the repository root, with the venv of heldout.sh):
  target/chrome-dev-venv/bin/python scripts/chrome_dev/companions.py FUNDUS_GIT_DIR OUT
  for c in alone with-others; do
    target/release/chaff chrome OUT/$c.jsonl --format json -q --chrome-threshold 0 > OUT/$c-scores.jsonl
    target/chrome-dev-venv/bin/python scripts/chrome_dev/eval.py data/chrome-dev/fundus.jsonl.zst \
      OUT/$c-scores.jsonl --threshold 0.9397 --no-justext --no-trafilatura --ids OUT/ids.txt
  done
FUNDUS_GIT_DIR is a clone of flairNLP/fundus with its history (a bare one will do).
"""
import argparse
import collections
import gzip
import hashlib
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import zstandard

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TEST_DATA = "tests/resources/parser/test_data/"
NAME = re.compile(r"^(.*?)(_\d{4}_\d{2}_\d{2})?\.html\.gz$")
# Publishers renamed in fundus since their older test pages were written.
RENAMED = {"bildzeitung": "Bild", "vogue": "VogueDE"}
SAME_ARTICLE = 0.30


def git(gitdir, *args, text=True):
    return subprocess.check_output(["git", f"--git-dir={gitdir}", *args], text=text)


def long_lines(text):
    return {line for line in text.split("\n") if len(line.split()) >= 5}


def plain_url(url):
    if not url:
        return None
    url = url.strip().split("#")[0].split("?")[0].rstrip("/").lower()
    return re.sub(r"^https?://(www\.)?", "", url)


def history_blobs(gitdir):
    """Every blob that was ever a test page, with the file names it had."""
    blobs = collections.defaultdict(set)
    for commit in git(gitdir, "rev-list", "--all").split():
        for row in git(gitdir, "ls-tree", "-r", commit, "--", TEST_DATA).splitlines():
            meta, path = row.split("\t", 1)
            if path.endswith(".html.gz"):
                blobs[meta.split()[2]].add(path.rsplit("/", 1)[1])
    return blobs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("fundus", help="git dir of a flairNLP/fundus clone with its history")
    ap.add_argument("out", help="directory for the corpora and ids.txt")
    ap.add_argument("--pages", default=str(ROOT / "data/chrome-dev/fundus.jsonl.zst"))
    ap.add_argument("--map", default=str(ROOT / "data/chrome-dev/fundus-map.json"))
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    mapping = json.loads(Path(args.map).read_text())
    commit = mapping["fundus_commit"]
    with open(args.pages, "rb") as raw:
        text = io.TextIOWrapper(zstandard.ZstdDecompressor().stream_reader(raw), encoding="utf-8")
        labeled = {r["id"]: r for r in map(json.loads, filter(str.strip, text))}

    # The labeled pages of each publisher: their blobs, sources, URLs, long lines and texts.
    by_lower = {p["publisher"].lower(): p["publisher"] for p in mapping["pairs"]}
    labeled_blobs, sources, urls = set(), collections.defaultdict(set), collections.defaultdict(set)
    lines_of, texts, pages_of = collections.defaultdict(set), set(), collections.defaultdict(list)
    for pair in mapping["pairs"]:
        labeled_blobs.add(git(args.fundus, "rev-parse", f"{commit}:{pair['html']}").strip())
        page = labeled.get("fundus/" + pair["html"].rsplit("/", 1)[1][: -len(".html.gz")])
        if page is None:
            continue
        pub = pair["publisher"]
        sources[pub].add(page["source"])
        urls[pub].add(plain_url(pair["url"]))
        lines_of[pub] |= long_lines(page["text"])
        texts.add(hashlib.sha1(page["text"].encode()).hexdigest())
        pages_of[pub].append(page["id"])
    publisher_of_source = {s: pub for pub, ss in sources.items() for s in ss}

    counts, others, seen = collections.Counter(), [], set()
    for blob, names in sorted(history_blobs(args.fundus).items()):
        if blob in labeled_blobs:
            continue
        named = {NAME.match(n).group(1).lower() for n in names}
        pubs = {by_lower.get(n) or RENAMED.get(n) for n in named} - {None}
        html = build.decode_html(gzip.decompress(git(args.fundus, "cat-file", "blob", blob, text=False)))
        _, url = build.html_meta(build.parse(html))
        domain = build.domain_of(url)
        if not pubs and domain in publisher_of_source:
            pubs = {publisher_of_source[domain]}
        if len(pubs) != 1 or not sources.get(next(iter(pubs))):
            counts["no publisher of the set"] += 1
            continue
        pub = pubs.pop()
        lines, _ = build.html_to_lines(html)
        page_text = "\n".join(lines)
        digest = hashlib.sha1(page_text.encode()).hexdigest()
        long = long_lines(page_text)
        shared = len(long & lines_of[pub]) / len(long) if long else 0.0
        if not lines:
            counts["empty"] += 1
        elif digest in texts or digest in seen:
            counts["same text"] += 1
        elif plain_url(url) and plain_url(url) in urls[pub]:
            counts["same URL"] += 1
        elif shared > SAME_ARTICLE:
            counts["same article (shared lines)"] += 1
        else:
            seen.add(digest)
            urls[pub].add(plain_url(url))
            source = domain if domain in sources[pub] else sorted(sources[pub])[0]
            others.append({"id": f"other/{pub}/{blob[:10]}", "source": source, "text": page_text,
                           "publisher": pub})
            counts["kept"] += 1

    with open(out / "alone.jsonl", "w") as alone, open(out / "with-others.jsonl", "w") as both:
        for page in labeled.values():
            row = json.dumps({k: page[k] for k in ("id", "source", "text")}, ensure_ascii=False)
            alone.write(row + "\n")
            both.write(row + "\n")
        for page in others:
            both.write(json.dumps({k: page[k] for k in ("id", "source", "text")}, ensure_ascii=False) + "\n")
    per = collections.Counter(p["publisher"] for p in others)
    with open(out / "ids.txt", "w") as ids:
        ids.write("# labeled pages of publishers with at least one other page\n")
        for pub in sorted(per):
            ids.writelines(pid + "\n" for pid in pages_of[pub])
    print(f"{len(others)} other pages for {len(per)} publishers "
          f"({sum(len(pages_of[p]) for p in per)} labeled pages); left out: "
          + ", ".join(f"{n} {why}" for why, n in counts.items() if why != "kept"), file=sys.stderr)


if __name__ == "__main__":
    main()
