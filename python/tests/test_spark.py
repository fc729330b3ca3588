"""chaff.spark in local[2] gives the CLI's records byte for byte (dups with containment on,
chrome template statistics), on generated corpora with several seeds and partition counts."""

import json
import os

import pytest

import chaff
from conftest import generate, read_jsonl, run_chaff

pyspark = pytest.importorskip("pyspark")
import chaff.spark as cs  # noqa: E402


@pytest.fixture(scope="module")
def spark(tmp_path_factory):
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", os.sys.executable)
    session = (
        SparkSession.builder.master("local[2]")
        .appName("chaff-identity")
        .config("spark.sql.shuffle.partitions", "3")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.local.dir", str(tmp_path_factory.mktemp("spark-local")))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def frame(spark, rows, partitions):
    """The rows as a DataFrame with an `order` column (their line number) spread over
    `partitions` partitions in shuffled order: corpus order must come from `order` alone."""
    data = [{**r, "order": i} for i, r in enumerate(rows)]
    df = spark.createDataFrame(data, "id string, source string, text string, order long")
    return df.repartition(partitions)


def test_spark_dups_equal_the_reference_stage_by_stage_and_the_cli(spark, tmp_path):
    corpus = generate(tmp_path, 600, 3)
    rows = read_jsonl(corpus)
    cli = run_chaff("dups", str(corpus), "--format", "json")
    assert cli.count("\n") > 10, "generated corpora plant near-duplicates"
    result = cs.dedup(frame(spark, rows, 3), order_col="order", checkpoint_dir=str(tmp_path / "cc"))
    reference = cs.reference_stages([r["id"] for r in rows], [r["text"] for r in rows])
    # Stage by stage first: a divergence is reported where it begins.
    assert cs.stage_digests(result) == reference
    assert result.jsonl() == cli
    dropped = {r["id"] for r in result.records()}
    assert {r["id"] for r in result.cleaned.collect()} == {r["id"] for r in rows} - dropped


@pytest.mark.parametrize("seed,docs,partitions,keep", [(11, 900, 1, "first"), (29, 700, 5, "longest")])
def test_spark_dups_and_chrome_templates_equal_cli(spark, tmp_path, seed, docs, partitions, keep):
    corpus = generate(tmp_path, docs, seed)
    rows = read_jsonl(corpus)
    model = tmp_path / "model.json"
    run_chaff("chrome", str(corpus), "--format", "json", "--learn", str(model))
    df = frame(spark, rows, partitions)
    result = cs.dedup(df, order_col="order", keep=keep)
    assert result.jsonl() == run_chaff("dups", str(corpus), "--format", "json", "--keep", keep)
    lines, pages = cs.chrome_templates(df, order_col="order", duplicates=result)
    theirs = json.loads(model.read_text())
    assert sum(len(s["lines"]) for s in theirs["sources"].values()) > 0
    assert cs.model_json(lines, pages) == theirs


def test_spark_corpus_order_defaults_to_input_order(spark, tmp_path):
    corpus = generate(tmp_path, 500, 5)
    df = spark.read.json(str(corpus)).select("id", "source", "text")
    result = cs.dedup(df)
    assert result.jsonl() == run_chaff("dups", str(corpus), "--format", "json")
