#!/usr/bin/env python3
"""Which expected output of flairNLP/fundus's parser tests belongs to which of its HTML pages.

fundus stores, per publisher, the test pages (tests/resources/parser/test_data/CC/NAME_DATE.html.gz)
and one expected output per parser version (NAME.json: {"V1": {...}, "V1_1": {...}}); the version
that parses a page follows from the page's crawl date, which only fundus's own code knows. This
script asks it, and writes the pairs build.py reads (data/chrome-dev/fundus-map.json), so that the
build itself needs no fundus install.

Usage (in a venv with fundus installed from the same checkout, e.g. `pip install -e CHECKOUT`):
    python3 scripts/chrome_dev/fundus_map.py CHECKOUT [COMMIT] > data/chrome-dev/fundus-map.json
(COMMIT names the checkout's commit when it is not a git work tree, e.g. a `git archive` of it.)
"""
import json
import subprocess
import sys
from pathlib import Path


def main():
    checkout = Path(sys.argv[1]).resolve()
    sys.path[:0] = [str(checkout), str(checkout / "tests")]
    from fundus import PublisherCollection  # noqa: E402
    from utility import load_html_test_file_mapping  # noqa: E402

    base = checkout / "tests" / "resources" / "parser" / "test_data"
    pairs = []
    for pub in PublisherCollection:
        for parser, html in sorted(load_html_test_file_mapping(pub).items(), key=lambda kv: str(kv[1].path)):
            pairs.append({
                "publisher": pub.__name__,
                "name": pub.name,
                "domain": pub.domain,
                "languages": sorted(pub.languages or []),
                "disallows_training": bool(pub.disallows_training),
                "html": str(Path(html.path).relative_to(checkout)),
                "expected": str((Path(html.path).parent / f"{pub.__name__}.json").relative_to(checkout)),
                "version": parser.__name__,
                "url": html.url,
            })
    commit = sys.argv[2] if len(sys.argv) > 2 else None
    try:
        commit = commit or subprocess.check_output(["git", "-C", str(checkout), "rev-parse", "HEAD"], text=True).strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    json.dump({"fundus_commit": commit, "pairs": pairs}, sys.stdout, indent=1, ensure_ascii=False)
    print()


if __name__ == "__main__":
    main()
