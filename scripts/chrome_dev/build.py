#!/usr/bin/env python3
"""Build chaff's chrome development set: real web pages as scraped plain text, one label a line.

Usage:
    python3 scripts/chrome_dev/build.py --zyte DIR_OR_GITDIR --readability DIR_OR_GITDIR \
        [--newspaper4k DIR_OR_GITDIR] [--out data/chrome-dev] [--no-peers] [--show N]

--zyte, --readability and --newspaper4k take either a checkout or a bare git directory of
scrapinghub/article-extraction-benchmark, mozilla/readability and AndyTheFactory/newspaper4k
(HEAD is read).

Outputs (in --out):
  pages.jsonl.zst  one page a line: {"id", "source", "lang", "origin", "text", "labels"}
                   labels[i] is for text.split("\\n")[i]: 1 chrome, 0 content, -1 blank line.
  peers.jsonl.zst  {"id", "trafilatura": trafilatura.extract(html, include_comments=False),
                   "readability": Readability.js output stored by the Zyte benchmark
                   (output/readability_js.json, Readability.js 0.6.0) for zyte pages, else null}
  stats.json       counts written by the build (pages, lines, ambiguous lines, ...)

HTML -> plain text (what a simple scraper such as BeautifulSoup get_text("\\n") with block
awareness would give; site chrome is KEPT on purpose):
  * Start from <body> (nothing from <head>, so no <title>). Drop script, style, noscript,
    template, svg, math, iframe, object, embed, canvas, audio, video, img/picture, HTML
    comments and processing instructions. <select>'s <option>s are kept, one a line. Hidden elements are NOT dropped (a naive
    scraper does not run CSS), so cookie banners, modals and hidden menus appear as lines.
  * Block-level elements (p, div, li, dt, dd, h1-h6, blockquote, figure, figcaption, section,
    article, main, nav, header, footer, aside, form, fieldset, legend, table, caption, tr, ul,
    ol, dl, address, details, summary, option, hr, center, ...) start and end a line; <br>
    ends a line. Inline elements (a, span, b, em, button, label, input, ...) join their text.
  * Table cells: the cells of one row are joined on one line with " | " (as html2text does);
    a cell that holds block elements (layout tables) breaks into lines like any block.
  * <pre>: each of its source lines is a line.
  * Whitespace: every run of Unicode whitespace (incl. NBSP, U+2028) becomes one space; zero
    width characters are removed; lines are stripped; empty lines are dropped. The text has NO
    blank lines (so label -1 does not occur in practice), lines joined with "\\n".
  * Image alt text and input values are not emitted.

Labels from the gold main text (Zyte: ground-truth articleBody; Readability: expected.html
converted with the same converter; newspaper4k: tests/data/txt/NAME.txt):
  * Tokens: lowercase Unicode word characters runs (\\w+); each Han/Kana character is a token
    of its own (CJK has no spaces). Thai etc. are not special-cased (not present).
  * The token list of the whole page is aligned to the gold token list with difflib's
    SequenceMatcher (autojunk off; in-order alignment, so a repeated line such as "Share" is
    matched at most once, where the order fits the gold). Matching blocks shorter than
    MIN_BLOCK tokens count only when they cover a whole short line (e.g. a sub-heading) --
    this stops stray single-word matches ("the", "and") inside chrome lines.
  * A line is content (0) when >= 60% of its tokens are aligned, else chrome (1). A line with
    no word tokens (e.g. "|", "»", "•••") takes the label of the nearest previous line when
    both neighbours agree, else chrome.
  * Rescue: a chrome line whose whole token run fills a small hole (<= its length + 3 tokens)
    in the gold between the gold spans of the content lines around it becomes content (the
    global alignment sometimes lends a short line's tokens to a similar line nearby).
  * The headline: the gold title (Readability: expected-metadata title; Zyte: og:title or
    <title>, a trailing " | Site" / " - Site" cut off) is searched among the page lines; the
    best matching line (>= 80% of its tokens in the title and >= 60% of the title's tokens in
    it; an <h1> first, else the one nearest before the first gold-aligned line) is content.
  * "Ambiguous" lines: short lines (<= 4 tokens) whose exact token sequence appears on 2+
    lines of the page, of which some are labelled content and some chrome, plus lines whose
    alignment coverage lies between 40% and 80%. Their count is in stats.json.

Page selection: every Zyte page; Readability test pages whose source.html is >= 10,000 bytes
(the smaller ones are synthetic unit-test snippets, not real pages); newspaper4k test pages
with both tests/data/html/NAME.html and tests/data/txt/NAME.txt (exact duplicates once).
"""
from __future__ import annotations

import argparse
import difflib
import gzip
import io
import json
import random
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlparse

import lxml.html

# ---------------------------------------------------------------------------- sources access


class Repo:
    """Read files from a checkout or a bare git directory (HEAD)."""

    def __init__(self, path: str):
        self.path = Path(path)
        self.bare = not (self.path / ".git").exists() and (self.path / "HEAD").exists() and (
            self.path / "objects"
        ).exists()

    def commit(self) -> str:
        args = ["git", f"--git-dir={self.path}" if self.bare else f"--git-dir={self.path / '.git'}"]
        return subprocess.check_output(args + ["rev-parse", "HEAD"], text=True).strip()

    def read(self, rel: str) -> bytes:
        if not self.bare:
            return (self.path / rel).read_bytes()
        return subprocess.check_output(["git", f"--git-dir={self.path}", "show", f"HEAD:{rel}"])

    def ls(self, rel_dir: str) -> list[str]:
        if not self.bare:
            base = self.path / rel_dir
            return sorted(str(p.relative_to(self.path)) for p in base.rglob("*") if p.is_file())
        out = subprocess.check_output(
            ["git", f"--git-dir={self.path}", "ls-tree", "-r", "--name-only", "HEAD", rel_dir], text=True
        )
        return sorted(out.split())


# ---------------------------------------------------------------------------- HTML -> text

DROP = {
    "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "embed",
    "canvas", "audio", "video", "head", "title", "meta", "link", "base", "img", "picture",
    "source", "track", "map", "param",
}
BLOCK = {
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "menu", "nav",
    "ol", "p", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul", "caption",
    "legend", "option", "optgroup", "select", "textarea", "html", "noframes", "frame",
}
CELL = {"td", "th"}
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
WS = re.compile(r"\s+")


def clean_space(s: str) -> str:
    return WS.sub(" ", s.translate(ZERO_WIDTH)).strip()


class Emitter:
    def __init__(self):
        self.lines: list[str] = []
        self.tags: list[str] = []  # block tag that produced each line (for the headline pick)
        self.buf: list[str] = []
        self.block: list[str] = ["body"]
        self.row_cells: list[int] = []  # per open <tr>: cells started so far

    def text(self, s: str | None):
        if s:
            self.buf.append(s)

    def flush(self):
        line = clean_space("".join(self.buf))
        self.buf = []
        if line.strip("| "):  # not empty, nor cell separators only
            self.lines.append(line)
            self.tags.append(self.block[-1])


def has_block_descendant(el) -> bool:
    for d in el.iterdescendants():
        if isinstance(d.tag, str) and d.tag.lower() in BLOCK:
            return True
    return False


def walk(el, em: Emitter):
    tag = el.tag.lower() if isinstance(el.tag, str) else None
    if tag is None:  # comment / PI / entity
        em.text(el.tail)
        return
    if ":" in tag or "}" in tag:
        tag = tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]
    if tag in DROP:
        em.text(el.tail)
        return
    if tag == "br":
        em.flush()
        em.text(el.tail)
        return
    if tag == "pre":
        em.flush()
        raw = pre_text(el)
        for ln in raw.split("\n"):
            em.buf = [ln]
            em.block.append("pre")
            em.flush()
            em.block.pop()
        em.text(el.tail)
        return
    is_block = tag in BLOCK
    is_cell = tag in CELL
    cell_as_block = is_cell and has_block_descendant(el)
    if is_block or cell_as_block:
        em.flush()
        em.block.append(tag)
    elif is_cell:
        if em.row_cells and em.row_cells[-1] > 0 and "".join(em.buf).strip():
            em.buf.append(" | ")
        if em.row_cells:
            em.row_cells[-1] += 1
    if tag == "tr":
        em.row_cells.append(0)
    em.text(el.text)
    for child in el:
        walk(child, em)
    if tag == "tr":
        em.row_cells.pop()
    if is_block or cell_as_block:
        em.flush()
        em.block.pop()
    elif is_cell:
        em.buf.append(" ")
    em.text(el.tail)


def pre_text(el) -> str:
    parts = []

    def rec(e):
        t = e.tag.lower() if isinstance(e.tag, str) else None
        if t is not None and t in DROP:
            if e.tail:
                parts.append(e.tail)
            return
        if t == "br":
            parts.append("\n")
        elif t is not None and e.text:
            parts.append(e.text)
        if t is not None:
            for c in e:
                rec(c)
        if e is not el and e.tail:
            parts.append(e.tail)

    rec(el)
    return "".join(parts)


def decode_html(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        m = re.search(rb'charset=["\']?([A-Za-z0-9_\-]+)', raw[:4096])
        for enc in ([m.group(1).decode()] if m else []) + ["cp1252"]:
            try:
                return raw.decode(enc, errors="replace")
            except LookupError:
                continue
        return raw.decode("latin-1")


def parse(html: str):
    # lxml refuses str with an encoding declaration; strip it.
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    return lxml.html.document_fromstring(html) if html.strip() else None


def html_to_lines(html: str, fragment: bool = False) -> tuple[list[str], list[str]]:
    doc = lxml.html.fragment_fromstring(html, create_parent="div") if fragment else parse(html)
    em = Emitter()
    if doc is None:
        return [], []
    body = doc if fragment else doc.find("body")
    if body is None:
        body = doc
    walk(body, em)
    em.flush()
    return em.lines, em.tags


# ---------------------------------------------------------------------------- tokens, alignment

CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]")
TOKEN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]|[^\W\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+")


def tokens(s: str) -> list[str]:
    s = unicodedata.normalize("NFKC", s).lower()
    return [t for t in TOKEN.findall(s) if t != "_"]


MIN_BLOCK = 3
CONTENT_SHARE = 0.6


def align(lines: list[str], gold_tokens: list[str]):
    """Per line: tokens, number of aligned tokens, and the gold positions they align to."""
    line_toks = [tokens(l) for l in lines]
    flat, owner = [], []
    for i, ts in enumerate(line_toks):
        flat.extend(ts)
        owner.extend([i] * len(ts))
    vocab: dict[str, int] = {}
    a = [vocab.setdefault(t, len(vocab)) for t in flat]
    b = [vocab.setdefault(t, len(vocab)) for t in gold_tokens]
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    aligned = [0] * len(lines)
    gold_at: list[list[int]] = [[] for _ in lines]
    for blk in sm.get_matching_blocks():
        if blk.size == 0:
            continue
        if blk.size < MIN_BLOCK:
            # only when the block spans every token of the lines it touches (a short heading)
            ls = set(owner[blk.a : blk.a + blk.size])
            if sum(len(line_toks[i]) for i in ls) != blk.size:
                continue
        for k in range(blk.a, blk.a + blk.size):
            aligned[owner[k]] += 1
            gold_at[owner[k]].append(blk.b + k - blk.a)
    return line_toks, aligned, gold_at


def find_run(hay: list[str], needle: list[str], lo: int, hi: int) -> int:
    """First start of needle as a contiguous run in hay[lo:hi], or -1."""
    lo, hi = max(0, lo), min(len(hay), hi)
    n = len(needle)
    for s0 in range(lo, hi - n + 1):
        if hay[s0] == needle[0] and hay[s0 : s0 + n] == needle:
            return s0
    return -1


def rescue(labels, line_toks, gold_at, gold_tokens):
    """Chrome lines whose whole token run fills a small hole in the gold between the gold
    spans of the content lines around them become content. The global alignment sometimes lends a short
    line's tokens to a neighbour ("Olesya Kuprin" matched against "Olesi Kuprin" of a photo
    credit); this gives them back. Each gold run is claimed once, in page order."""
    span = [(min(g), max(g)) if labels[i] == 0 and g else None for i, g in enumerate(gold_at)]
    nxt = [len(gold_tokens)] * (len(labels) + 1)
    for i in range(len(labels) - 1, -1, -1):
        nxt[i] = span[i][0] if span[i] else nxt[i + 1]
    prev_end, rescued = -1, 0
    for i, ts in enumerate(line_toks):
        if span[i]:
            prev_end = max(prev_end, span[i][1])
            continue
        if labels[i] != 1 or not ts:
            continue
        hi = nxt[i + 1]
        hole = hi - prev_end - 1
        if hole < 1 or hole > len(ts) + 3:
            continue  # only a small hole in the gold between its neighbours' spans
        at = find_run(gold_tokens, ts, prev_end + 1 - len(ts), hi + len(ts))
        if at >= 0 and at + len(ts) - 1 > prev_end and at < hi:  # and it fills some of it
            labels[i] = 0
            rescued += 1
            prev_end = max(prev_end, at + len(ts) - 1)
    return rescued


def title_from_html(doc) -> str:
    if doc is None:
        return ""
    for xp in ('//meta[@property="og:title"]/@content', '//meta[@name="twitter:title"]/@content'):
        v = doc.xpath(xp)
        if v and v[0].strip():
            return v[0].strip()
    t = doc.find(".//title")
    if t is not None and t.text_content().strip():
        t = t.text_content().strip()
        t = re.split(r"\s+[|\-–—:»]\s+[^|\-–—:»]*$", t)[0]
        return t
    return ""


def label_page(lines, tags, gold_text_lines, title):
    gold_tokens = tokens("\n".join(gold_text_lines))
    line_toks, aligned, gold_at = align(lines, gold_tokens)
    labels = []
    cov = []
    for ts, n in zip(line_toks, aligned):
        if not ts:
            labels.append(None)
            cov.append(None)
            continue
        c = n / len(ts)
        cov.append(c)
        labels.append(0 if c >= CONTENT_SHARE else 1)
    rescued = rescue(labels, line_toks, gold_at, gold_tokens)
    # headline
    title_hit = None
    tt = tokens(title)
    if tt:
        tset = set(tt)
        first_content = next((i for i, l in enumerate(labels) if l == 0), len(lines))
        cands = []
        for i, ts in enumerate(line_toks):
            if not ts or len(ts) > 3 * len(tt) + 5:
                continue
            inside = sum(1 for t in ts if t in tset) / len(ts)
            sset = set(ts)
            covered = sum(1 for t in tt if t in sset) / len(tt)
            if inside >= 0.8 and covered >= 0.6:
                dist = first_content - i if i <= first_content else 10_000 + i - first_content
                cands.append((0 if tags[i] == "h1" else 1, dist, i))
        if cands:
            title_hit = min(cands)[2]
            labels[title_hit] = 0
    # token-less lines
    for i, l in enumerate(labels):
        if l is None:
            prev = next((labels[j] for j in range(i - 1, -1, -1) if labels[j] is not None), None)
            nxt = next((labels[j] for j in range(i + 1, len(labels)) if labels[j] is not None), None)
            labels[i] = 0 if (prev == 0 and nxt == 0) else 1
    # ambiguity
    amb = 0
    by_seq: dict[tuple, list[int]] = {}
    for i, ts in enumerate(line_toks):
        if 0 < len(ts) <= 4:
            by_seq.setdefault(tuple(ts), []).append(i)
    amb_lines = set()
    for seq, idx in by_seq.items():
        if len(idx) > 1 and len({labels[i] for i in idx}) > 1:
            amb_lines.update(idx)
    for i, c in enumerate(cov):
        if c is not None and 0.4 <= c < 0.8 and i != title_hit:
            amb_lines.add(i)
    amb = len(amb_lines)
    gold_cov = sum(aligned) / max(1, len(gold_tokens))
    return labels, amb, gold_cov, title_hit, rescued


# ---------------------------------------------------------------------------- language

ISO = {
    "Afrikaans": "af", "Albanian": "sq", "Arabic": "ar", "Basque": "eu", "Bosnian": "bs",
    "Bulgarian": "bg", "Catalan": "ca", "Croatian": "hr", "Czech": "cs", "Danish": "da",
    "Dutch": "nl", "English": "en", "Esperanto": "eo", "Estonian": "et", "Finnish": "fi",
    "French": "fr", "Galician": "gl", "German": "de", "Greek": "el", "Hungarian": "hu",
    "Icelandic": "is", "Indonesian": "id", "Irish": "ga", "Italian": "it", "Latvian": "lv",
    "Lithuanian": "lt", "Malay": "ms", "Norwegian_Bokmal": "nb", "Norwegian_Nynorsk": "nn",
    "Persian": "fa", "Polish": "pl", "Portuguese": "pt", "Romanian": "ro", "Russian": "ru",
    "Serbian": "sr", "Slovak": "sk", "Slovenian": "sl", "Spanish": "es", "Swahili": "sw",
    "Swedish": "sv", "Turkish": "tr", "Ukrainian": "uk", "Vietnamese": "vi", "Welsh": "cy",
    "Hebrew": "he", "Hindi": "hi", "Korean": "ko",
}
_STOP = None


def stoplists():
    global _STOP
    if _STOP is None:
        import justext

        _STOP = {}
        for name in justext.get_stoplists():
            if name in ISO:
                _STOP[ISO[name]] = set(justext.get_stoplist(name))
    return _STOP


def guess_lang(text: str, declared: str | None) -> str:
    declared = (declared or "").strip().lower().replace("_", "-").split("-")[0] or None
    if declared and not re.fullmatch(r"[a-z]{2,3}", declared):
        declared = None
    sample = text[:20000]
    n = max(1, len(re.findall(r"\w", sample)))
    kana = len(re.findall(r"[\u3040-\u30ff]", sample))
    han = len(re.findall(r"[\u4e00-\u9fff]", sample))
    hangul = len(re.findall(r"[\uac00-\ud7af]", sample))
    arabic = len(re.findall(r"[\u0600-\u06ff]", sample))
    cyr = len(re.findall(r"[\u0400-\u04ff]", sample))
    hebrew = len(re.findall(r"[\u0590-\u05ff]", sample))
    if kana / n > 0.05:
        return "ja"
    if han / n > 0.3:
        return "zh"
    if hangul / n > 0.3:
        return "ko"
    if arabic / n > 0.3:
        if declared in ("fa", "ar", "ur"):
            return declared
        return "fa" if re.search(r"[پچژگکی]", sample) and not re.search(r"[ةى]", sample) else "ar"
    if hebrew / n > 0.3:
        return "he"
    if cyr / n > 0.3:
        if declared in ("ru", "uk", "bg", "sr", "mk", "be", "kk"):
            return declared
        return "uk" if re.search(r"[іїєґІЇЄҐ]", sample) else "ru"
    toks = tokens(sample)
    scores = {code: sum(1 for t in toks if t in sl) / max(1, len(toks)) for code, sl in stoplists().items()}
    if declared and (declared not in scores or scores[declared] >= 0.05):
        return declared  # the page's own word, unless its content contradicts it
    # no usable declaration: the best stoplist among the small ones (big lists such as
    # Finnish's ~6800 words match any Latin-script text)
    small = {c: v for c, v in scores.items() if len(stoplists()[c]) <= 2000}
    best = max(small, key=small.get) if small else None
    score = small.get(best, 0.0)
    if best and score >= 0.1:
        return best
    return declared or (best or "und")


# ---------------------------------------------------------------------------- pages

READABILITY_SOURCES = {
    # test pages without a canonical URL in source.html, from their folder names / content
    "lemonde-1": "lemonde.fr", "liberation-1": "liberation.fr", "videos-2": "liberation.fr",
    "nytimes-1": "nytimes.com", "nytimes-2": "nytimes.com", "nytimes-3": "nytimes.com",
    "nytimes-4": "nytimes.com", "nytimes-5": "nytimes.com", "wapo-1": "washingtonpost.com",
    "wapo-2": "washingtonpost.com", "qq": "qq.com", "gmw": "gmw.cn", "hukumusume": "hukumusume.com",
    "medium-1": "medium.com", "medium-2": "medium.com", "medium-3": "medium.com",
    "keep-images": "medium.com", "wikipedia": "wikipedia.org", "wikipedia-2": "wikipedia.org",
    "wikipedia-3": "wikipedia.org", "wikipedia-4": "wikipedia.org", "bbc-1": "bbc.co.uk",
    "guardian-1": "theguardian.com", "cnn": "money.cnn.com", "telegraph": "telegraph.co.uk",
    "heise": "heise.de", "folha": "folha.uol.com.br", "la-nacion": "lanacion.com.ar",
    "aktualne": "aktualne.cz", "pixnet": "pixnet.net", "yahoo-4": "yahoo.co.jp",
    "tmz-1": "tmz.com", "lwn-1": "lwn.net", "mercurial": "mercurial-scm.org",
    "youth": "youth.cn", "001": "nicolas.perriault.net", "archive-of-our-own": "archiveofourown.org",
    "clean-links": "vcu.edu", "daringfireball-1": "daringfireball.net", "data-url-image": "kinja.com",
    "ebb-org": "ebb.org", "google-sre-book-1": "landing.google.com", "ietf-1": "ietf.org",
    "keep-tabular-data": "factorio.com", "mathjax": "mathjax.org", "table-style-attributes": "slashdot.org",
    "v8-blog": "v8.dev", "webmd-1": "webmd.com", "webmd-2": "webmd.com", "yahoo-2": "yahoo.com",
}


def domain_of(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url.strip()).netloc.lower().split(":")[0]
    if not host or host == "fakehost":
        return None
    return host[4:] if host.startswith("www.") else host


def html_meta(doc):
    if doc is None:
        return None, None
    lang = doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        v = doc.xpath('//meta[translate(@http-equiv,"CONTENT-LANGUAGE","content-language")="content-language"]/@content')
        lang = v[0] if v else None
    url = None
    for xp in ('//link[@rel="canonical"]/@href', '//meta[@property="og:url"]/@content'):
        v = doc.xpath(xp)
        if v and v[0].startswith("http"):
            url = v[0]
            break
    return lang, url


def zyte_readability_js(repo: Repo) -> dict[str, str]:
    """Readability.js output the benchmark stores (output/readability_js.json), by page key."""
    import ast

    try:
        out = json.loads(repo.read("output/readability_js.json")).get("output", {})
    except Exception:  # noqa: BLE001
        return {}
    res = {}
    for key, val in out.items():
        try:
            val = ast.literal_eval(val) if isinstance(val, str) else val
            res[key] = val.get("articleBody")
        except (ValueError, SyntaxError, AttributeError):
            continue
    return res


def zyte_pages(repo: Repo):
    truth = json.loads(repo.read("ground-truth.json"))
    for n, key in enumerate(sorted(truth), 1):
        rec = truth[key]
        html = decode_html(gzip.decompress(repo.read(f"html/{key}.html.gz")))
        doc = parse(html)
        lang, _ = html_meta(doc)
        lines, tags = html_to_lines(html)
        gold = rec["articleBody"]
        yield {
            "id": f"zyte/{n:04d}",
            "key": key,
            "source": domain_of(rec["url"]) or "unknown",
            "declared_lang": lang,
            "origin": "zyte-aeb",
            "html": html,
            "lines": lines,
            "tags": tags,
            "gold_lines": [l for l in (clean_space(x) for x in gold.split("\n")) if l],
            "title": title_from_html(doc),
        }


def readability_pages(repo: Repo, min_bytes: int = 10_000):
    names = sorted({p.split("/")[2] for p in repo.ls("test/test-pages")})
    for name in names:
        base = f"test/test-pages/{name}"
        raw = repo.read(f"{base}/source.html")
        if len(raw) < min_bytes:
            continue
        html = decode_html(raw)
        doc = parse(html)
        lang, url = html_meta(doc)
        meta = json.loads(repo.read(f"{base}/expected-metadata.json"))
        gold_lines, _ = html_to_lines(decode_html(repo.read(f"{base}/expected.html")), fragment=True)
        lines, tags = html_to_lines(html)
        yield {
            "id": f"readability/{name}",
            "key": name,
            "source": READABILITY_SOURCES.get(name) or domain_of(url) or name,
            "declared_lang": meta.get("lang") or lang,
            "origin": "readability",
            "html": html,
            "lines": lines,
            "tags": tags,
            "gold_lines": gold_lines,
            "title": meta.get("title") or "",
        }


def newspaper_pages(repo: Repo):
    """newspaper4k's extraction tests: tests/data/html/NAME.html with the expected article text
    tests/data/txt/NAME.txt (and metadata/NAME.json with url, title and language when there)."""
    htmls = {p.rsplit("/", 1)[1][: -len(".html")] for p in repo.ls("tests/data/html") if p.endswith(".html")}
    txts = {p.rsplit("/", 1)[1][: -len(".txt")] for p in repo.ls("tests/data/txt") if p.endswith(".txt")}
    metas = {p.rsplit("/", 1)[1][: -len(".json")] for p in repo.ls("tests/data/metadata") if p.endswith(".json")}
    seen = set()
    for name in sorted(htmls & txts):
        raw = repo.read(f"tests/data/html/{name}.html")
        if raw in seen:  # cleveland.com1 and video_article_01 are the same page
            continue
        seen.add(raw)
        html = decode_html(raw)
        doc = parse(html)
        lang, url = html_meta(doc)
        meta = json.loads(repo.read(f"tests/data/metadata/{name}.json")) if name in metas else {}
        url = meta.get("canonical_link") or meta.get("url") or url
        gold = decode_html(repo.read(f"tests/data/txt/{name}.txt"))
        lines, tags = html_to_lines(html)
        yield {
            "id": f"newspaper4k/{name}",
            "key": name,
            "source": {"chinese_article": "bbc.co.uk"}.get(name) or domain_of(url) or name,
            "declared_lang": meta.get("meta_lang") or meta.get("language") or lang,
            "origin": "newspaper4k",
            "html": html,
            "lines": lines,
            "tags": tags,
            "gold_lines": [l for l in (clean_space(x) for x in gold.split("\n")) if l],
            "title": meta.get("title") or title_from_html(doc),
        }


def fundus_gold(expected: dict) -> list[str]:
    """The article text of one fundus expected output: its summary, then each section's
    headline and paragraphs (the title is matched apart, like the other sources' titles)."""
    body = expected.get("body") or {}
    parts = list(body.get("summary") or [])
    for section in body.get("sections") or []:
        parts += list(section.get("headline") or []) + list(section.get("paragraphs") or [])
    return [l for l in (clean_space(x) for part in parts for x in part.split("\n")) if l]


def fundus_pages(repo: Repo, pairs: list[dict]):
    """flairNLP/fundus's parser tests: news pages of ~180 publishers in ~30 languages, each with
    the body fundus's hand-written parser for that publisher extracts (checked by its maintainers
    as the test's expected output). `pairs` (fundus-map.json, from fundus_map.py) says which
    expected version belongs to which page."""
    expected_files = {}
    for n, pair in enumerate(pairs, 1):
        if pair["expected"] not in expected_files:
            expected_files[pair["expected"]] = json.loads(repo.read(pair["expected"]))
        expected = expected_files[pair["expected"]][pair["version"]]
        html = decode_html(gzip.decompress(repo.read(pair["html"])))
        doc = parse(html)
        lang, _ = html_meta(doc)
        lines, tags = html_to_lines(html)
        if not lines:  # a page whose body is filled by script (HankookIlbo_2026_01_29)
            print(f"skipped {pair['html']}: no text without scripts", file=sys.stderr)
            continue
        yield {
            "id": f"fundus/{Path(pair['html']).name[: -len('.html.gz')]}",
            "key": pair["html"],
            "source": domain_of(pair["url"]) or domain_of(pair["domain"]) or pair["publisher"],
            "declared_lang": lang or (pair["languages"][0] if len(pair["languages"]) == 1 else None),
            "origin": "fundus",
            "html": html,
            "lines": lines,
            "tags": tags,
            "gold_lines": fundus_gold(expected),
            "title": clean_space(expected.get("title") or "") or title_from_html(doc),
        }


# ---------------------------------------------------------------------------- output


def open_out(path: Path):
    if path.suffix == ".zst":
        import zstandard

        fh = open(path, "wb")
        w = zstandard.ZstdCompressor(level=19).stream_writer(fh)
        return io.TextIOWrapper(w, encoding="utf-8")
    return io.TextIOWrapper(gzip.open(path, "wb", compresslevel=9), encoding="utf-8")


def show(page, labels, out=sys.stdout):
    print(f"===== {page['id']} {page['source']} lang={page['lang']} title={page['title']!r}", file=out)
    for i, (l, lab) in enumerate(zip(page["lines"], labels), 1):
        mark = {0: "  C ", 1: "x   ", -1: "    "}[lab]
        print(f"{i:4d} {mark}{l[:150]}", file=out)


def build_set(out: Path, name: str, gens, commits: dict, args, rjs: dict):
    """Label the pages of `gens` and write NAME.jsonl.zst, its peers and its stats into `out`
    (the first set keeps its historic names: pages.jsonl.zst, peers.jsonl.zst, stats.json)."""
    first = name == "pages"
    pages_f = open_out(out / f"{name}.jsonl.zst")
    peers_f = None if args.no_peers else open_out(out / ("peers.jsonl.zst" if first else f"{name}-peers.jsonl.zst"))
    if peers_f is not None:
        import trafilatura
    stats = {
        "commits": commits,
        "pages": 0, "lines": 0, "chrome": 0, "content": 0, "ambiguous": 0, "rescued": 0, "title_line_found": 0,
        "by_origin": {}, "by_lang": {}, "low_gold_coverage": [],
    }
    shown = []
    show_ids = set(filter(None, args.show_ids.split(",")))
    n = 0
    for gen in gens:
        for page in gen:
            n += 1
            if args.limit and n > args.limit:
                break
            lines = page["lines"]
            labels, amb, gold_cov, title_hit, rescued = label_page(lines, page["tags"], page["gold_lines"], page["title"])
            page["lang"] = guess_lang("\n".join(page["gold_lines"])[:10000] + "\n" + "\n".join(lines), page["declared_lang"])
            rec = {
                "id": page["id"], "source": page["source"], "lang": page["lang"], "origin": page["origin"],
                "text": "\n".join(lines), "labels": labels,
            }
            assert len(rec["text"].split("\n")) == len(labels)
            pages_f.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if peers_f is not None:
                try:
                    traf = trafilatura.extract(page["html"], include_comments=False)
                except Exception as e:  # noqa: BLE001
                    print(f"trafilatura failed on {page['id']}: {e}", file=sys.stderr)
                    traf = None
                rd = rjs.get(page["key"]) if page["origin"] == "zyte-aeb" else None
                peers_f.write(json.dumps({"id": page["id"], "trafilatura": traf, "readability": rd}, ensure_ascii=False) + "\n")
            ch, co = labels.count(1), labels.count(0)
            stats["pages"] += 1
            stats["lines"] += len(labels)
            stats["chrome"] += ch
            stats["content"] += co
            stats["ambiguous"] += amb
            stats["rescued"] += rescued
            stats["title_line_found"] += title_hit is not None
            for key, val in (("by_origin", page["origin"]), ("by_lang", page["lang"])):
                g = stats[key].setdefault(val, {"pages": 0, "lines": 0, "chrome": 0, "content": 0, "ambiguous": 0})
                g["pages"] += 1
                g["lines"] += len(labels)
                g["chrome"] += ch
                g["content"] += co
                g["ambiguous"] += amb
            if gold_cov < 0.8:
                stats["low_gold_coverage"].append([page["id"], round(gold_cov, 3)])
            print(f"{page['id']:45s} {page['source']:28s} {page['lang']:3s} lines={len(labels):5d} "
                  f"content={co:4d} amb={amb:3d} rescued={rescued:3d} gold_cov={gold_cov:.2f}", file=sys.stderr)
            if page["id"] in show_ids:
                show(page, labels)
            shown.append((page["id"], page["source"], page["lang"], page["title"], lines, labels))
    pages_f.close()
    if peers_f is not None:
        peers_f.close()
    (out / ("stats.json" if first else f"{name}-stats.json")).write_text(json.dumps(stats, indent=1, ensure_ascii=False) + "\n")
    if args.show:
        rnd = random.Random(args.seed)
        for pid, src, lang, title, lines, labels in rnd.sample(shown, min(args.show, len(shown))):
            show({"id": pid, "source": src, "lang": lang, "title": title, "lines": lines}, labels)
    print(json.dumps({k: v for k, v in stats.items() if k != "low_gold_coverage"}, ensure_ascii=False), file=sys.stderr)


def main():
    sys.setrecursionlimit(100_000)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--zyte", help="scrapinghub/article-extraction-benchmark checkout or git dir")
    ap.add_argument("--readability", help="mozilla/readability checkout or git dir")
    ap.add_argument("--newspaper4k", default=None, help="AndyTheFactory/newspaper4k checkout or git dir (optional)")
    ap.add_argument("--fundus", default=None,
                    help="flairNLP/fundus checkout or git dir: writes the held-out test set fundus.jsonl.zst")
    ap.add_argument("--fundus-map", default="data/chrome-dev/fundus-map.json",
                    help="which expected output is which page's (written by fundus_map.py)")
    ap.add_argument("--out", default="data/chrome-dev")
    ap.add_argument("--no-peers", action="store_true")
    ap.add_argument("--show", type=int, default=0, help="print N random labelled pages")
    ap.add_argument("--show-ids", default="", help="comma-separated ids to print")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    if bool(args.zyte) != bool(args.readability):
        ap.error("--zyte and --readability go together")
    if not args.zyte and not args.fundus:
        ap.error("nothing to build: give --zyte and --readability, or --fundus")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.zyte:
        zyte, rdb = Repo(args.zyte), Repo(args.readability)
        np4k = Repo(args.newspaper4k) if args.newspaper4k else None
        rjs = {} if args.no_peers else zyte_readability_js(zyte)
        commits = {"scrapinghub/article-extraction-benchmark": zyte.commit(), "mozilla/readability": rdb.commit(),
                   **({"AndyTheFactory/newspaper4k": np4k.commit()} if np4k else {})}
        gens = (zyte_pages(zyte), readability_pages(rdb)) + ((newspaper_pages(np4k),) if np4k else ())
        build_set(out, "pages", gens, commits, args, rjs)
    if args.fundus:
        fundus = Repo(args.fundus)
        mapping = json.loads(Path(args.fundus_map).read_text())
        try:
            commit = fundus.commit()
        except (OSError, subprocess.CalledProcessError):
            commit = mapping.get("fundus_commit")
        if mapping.get("fundus_commit") and commit != mapping["fundus_commit"]:
            print(f"warning: {args.fundus_map} was written for fundus {mapping['fundus_commit']}, "
                  f"the checkout is at {commit}", file=sys.stderr)
        build_set(out, "fundus", (fundus_pages(fundus, mapping["pairs"]),), {"flairNLP/fundus": commit}, args, {})


if __name__ == "__main__":
    main()
