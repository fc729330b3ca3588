"""The Python API against datasketch and rensa, and chaff.spark in local[2] against the CLI, on
one generated corpus in one run.

Usage (from the repository root, after `cargo build --release` and `pip install .` into the
venv that runs it, with datasketch, rensa and pyspark installed there too):

    python benches/python_api.py [DOCS] [--no-spark]

The corpus is `chaff-gen --docs DOCS --seed 11` (default 10 000 documents), as in
benches/peers/compare.sh. Every tool gets word 5-grams, 128 permutations and threshold 0.8, and
chaff runs with containment off (pure Jaccard, like the peers). The peers get the tokenizer,
shingles, banding and exact verification of benches/peers/peers.py (imported, not copied); their
times include that Python tokenizer, which is how a Python user would call them. chaff's times
start from the rows (a list of dicts) and end with the records. Spark's time is the job alone
(the session is started and warmed first) and its records are checked byte for byte against the
CLI's.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benches" / "peers"))

import peers  # noqa: E402  (benches/peers/peers.py: tokenizer, shingles, banding, verify)

import chaff  # noqa: E402


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    docs = int(args[0]) if args else 10_000
    work = ROOT / "target" / "python-bench" / str(docs)
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    if not corpus.exists():
        subprocess.run(
            [str(ROOT / "target/release/chaff-gen"), "--docs", str(docs), "--seed", "11",
             "--out", str(corpus), "--truth", str(work / "truth.jsonl")],
            check=True,
        )
    rows = [json.loads(l) for l in corpus.read_text(encoding="utf-8").splitlines() if l.strip()]
    texts = [r["text"] for r in rows]
    mb = corpus.stat().st_size / 1e6
    print(f"corpus: {len(rows)} documents, {mb:.1f} MB ({corpus})")
    results = []

    def report(name, seconds, found, note=""):
        results.append((name, seconds, found, note))
        print(f"{name:44s} {seconds:8.2f} s {len(rows) / seconds:9.0f} docs/s {mb / seconds:7.1f} MB/s  {found}  {note}")

    # chaff through Python: the whole pipeline, then the signatures alone.
    s, records = timed(lambda: chaff.dedup(rows, containment=None))
    report("chaff.dedup (rows -> records)", s, f"{len(records)} duplicates")
    s, _ = timed(lambda: chaff.signatures(texts))
    report("chaff.signatures (raw text -> signatures)", s, "")
    cli_start = time.perf_counter()
    cli = subprocess.run(
        [str(ROOT / "target/release/chaff"), "dups", str(corpus), "--format", "json", "--containment", "0", "--quiet"],
        capture_output=True, text=True, check=True,
    ).stdout
    report("chaff CLI dups --containment 0", time.perf_counter() - cli_start, f"{cli.count(chr(10))} duplicates")
    assert chaff.dedup(rows, containment=None, output="jsonl") == cli, "Python API and CLI differ"

    # The peers, each from the same texts: tokenize + shingle, sign, band, verify.
    s_tok, sets = timed(lambda: [peers.shingles(peers.tokenize(t)) for t in texts])
    for name, run in (("datasketch", peers.run_datasketch), ("rensa", peers.run_rensa)):
        try:
            s, (t_sig, cands) = timed(lambda: run(sets))
        except ImportError as e:
            print(f"{name}: not installed ({e}); skipped")
            continue
        s_ver, pairs = timed(lambda: peers.verify(sets, cands))
        report(
            f"{name} (tokenize + sign + LSH + verify)",
            s_tok + s + s_ver,
            f"{len(pairs)} verified pairs",
            f"(tokenize {s_tok:.2f} s, signatures {t_sig:.2f} s)",
        )

    if "--no-spark" not in sys.argv:
        spark_vs_cli(corpus, cli, report)


def spark_vs_cli(corpus, cli, report):
    from pyspark.sql import SparkSession

    import chaff.spark as cs

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    t = time.perf_counter()
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "4g")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    df = spark.read.json(str(corpus)).select("id", "source", "text").persist()
    df.count()
    print(f"spark session start + read: {time.perf_counter() - t:.1f} s")
    s, result = timed(lambda: cs.dedup(df, containment=None))
    s2, out = timed(result.jsonl)
    report("chaff.spark.dedup local[2] (job + collect)", s + s2, f"{out.count(chr(10))} duplicates")
    assert out == cli, "Spark and CLI records differ"
    print("spark records == CLI records: byte for byte")
    spark.stop()


if __name__ == "__main__":
    main()
