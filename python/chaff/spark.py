"""chaff on Spark: near-duplicate documents and chrome template statistics of a DataFrame, with
exactly the records the ``chaff`` command line gives on the same documents in the same order.

The job follows the library's sketch / reduce / decide split:

1. **sketch** (workers, ``mapInArrow``): each document's MinHash signature and LSH band keys,
   computed by chaff's Rust code on Arrow batches (GIL released, all cores of the executor);
   one ``(band, key, doc)`` row per band of each non-empty document;
2. **candidates** (shuffle by band bucket): every pair of a bucket of at most
   ``FULL_PAIRS_UP_TO`` documents (the library's bound, read from the native module), and for a
   larger bucket the chain of consecutive members plus the first member to each other --
   chaff's rule (``chaff::lsh::bucket_pairs``), so that a thousand identical pages cost a
   thousand pairs, not half a million (window functions stream a bucket in order; no bucket is
   ever collected into one list; :func:`reference_stages` applies the library function itself
   to each bucket, so the identity tests check the two agree);
3. **verification** (workers): the exact shingle sets of candidate documents (32-bit
   fingerprints, as the CLI), joined to both ends of each pair; Jaccard and containment computed
   in Rust; a pair is kept when Jaccard reaches ``threshold`` or containment reaches
   ``containment``;
4. **components** by large-star / small-star (Kiveris et al., "Connected Components in
   MapReduce and Beyond", SoCC 2014), checkpointed every round so the plan never grows;
5. **decide**: the kept document of a cluster is its first in *corpus order* (the
   ``order_col``, or the rows' order in the input), never an arbitrary id; cluster numbers follow
   the clusters' first documents; each duplicate names its cluster's kept document when the two
   were compared, else its most similar confirmed partner (ties: the earlier one). Similarities
   are rounded as the CLI rounds them (half away from zero, on the same double arithmetic).

Chrome template statistics (what ``chaff chrome --learn`` stores) are one ``groupBy``: each
page's template line keys (Rust, in workers), pages that are near-duplicate copies of an earlier
page counted without their lines, keys seen on one page only dropped.

Repeated passages are not distributed (see the README's Spark section).

Every stage can be digested (:func:`stage_digests`) and compared with :func:`reference_stages`,
a one-machine run of the same stages, to find where a divergence begins.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Iterator, Optional

import chaff
from chaff import _chaff

#: Buckets up to this size give all their pairs; larger ones a chain plus a star: the constant
#: of chaff's ``lsh`` module, exported by the native module.
FULL_PAIRS_UP_TO: int = _chaff.FULL_PAIRS_UP_TO


def _opts(settings: dict) -> dict:
    return chaff._dups_opts(**settings)


ORDER = "__chaff_doc"


def _ordered(df, order_col: Optional[str]):
    """``(df, column)``: the rows with a long column that follows corpus order -- ``order_col``
    when given (unique integers), else the rows' position in the input (``zipWithIndex``: file
    order for files read in order, and stable from run to run, unlike
    ``monotonically_increasing_id`` across repartitions)."""
    from pyspark.sql.types import LongType, StructField, StructType

    if order_col is not None:
        return df, order_col
    schema = StructType([*df.schema.fields, StructField(ORDER, LongType(), False)])
    rdd = df.rdd.zipWithIndex().map(lambda r: (*r[0], r[1]))
    return df.sparkSession.createDataFrame(rdd, schema), ORDER


def _numbered(df, text_col: str, id_col: str, order_col: str, source_col: Optional[str]):
    """``(doc, id, text[, source])`` with ``doc`` the corpus-order number."""
    from pyspark.sql import functions as F

    cols = [
        F.col(order_col).cast("long").alias("doc"),
        F.col(id_col).cast("string").alias("id"),
        F.col(text_col).alias("text"),
    ]
    if source_col is not None:
        cols.append(F.col(source_col).cast("string").alias("source"))
    return df.select(*cols)


def _sketch_rows(docs, opts: dict):
    """One ``(band, key, doc)`` row per band of every non-empty document."""
    import numpy as np
    import pyarrow as pa

    width = sum(b for b, _ in _chaff.banding(opts))

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            doc = batch.column("doc").to_numpy(zero_copy_only=False)
            texts = [t or "" for t in batch.column("text").to_pylist()]
            _, _, keys, empty = _chaff.sketch(texts, opts)
            keys = np.frombuffer(keys, dtype="<u8").reshape(-1, width).view("<i8")
            live = ~np.asarray(empty, dtype=bool)
            n = int(live.sum())
            yield pa.record_batch(
                [
                    pa.array(np.tile(np.arange(width, dtype=np.int32), n)),
                    pa.array(keys[live].reshape(-1)),
                    pa.array(np.repeat(doc[live].astype(np.int64), width)),
                ],
                names=["band", "key", "doc"],
            )

    return docs.select("doc", "text").mapInArrow(run, "band int, key long, doc long")


def _candidates(rows):
    """Candidate pairs ``(a, b)``, ``a < b``, from band buckets by chaff's rule."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    bucket = Window.partitionBy("band", "key")
    ordered = bucket.orderBy("doc")
    b = (
        rows.withColumn("size", F.count("*").over(bucket))
        .filter(F.col("size") >= 2)
        .withColumn("rank", F.row_number().over(ordered))
        .withColumn("prev", F.lag("doc").over(ordered))
        .withColumn("first", F.first("doc").over(ordered))
    )
    big = b.filter(F.col("size") > FULL_PAIRS_UP_TO)
    chain = big.filter(F.col("rank") >= 2).select(F.col("prev").alias("a"), F.col("doc").alias("b"))
    star = big.filter(F.col("rank") >= 3).select(F.col("first").alias("a"), F.col("doc").alias("b"))
    small = b.filter(F.col("size") <= FULL_PAIRS_UP_TO).select("band", "key", "doc")
    full = (
        small.alias("x")
        .join(small.alias("y"), ["band", "key"])
        .filter(F.col("x.doc") < F.col("y.doc"))
        .select(F.col("x.doc").alias("a"), F.col("y.doc").alias("b"))
    )
    return chain.unionByName(star).unionByName(full).distinct()


def _verified(docs, candidates, opts: dict):
    """Confirmed pairs ``(a, b, jaccard, containment)``."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    ends = candidates.select(F.col("a").alias("doc")).union(candidates.select(F.col("b").alias("doc"))).distinct()
    wanted = docs.select("doc", "text").join(ends, "doc", "left_semi")

    def sets(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            texts = [t or "" for t in batch.column("text").to_pylist()]
            yield pa.record_batch(
                [batch.column("doc"), pa.array(_chaff.shingle_sets(texts, opts), type=pa.binary())],
                names=["doc", "set"],
            )

    shingles = wanted.mapInArrow(sets, "doc long, set binary")
    joined = (
        candidates.join(shingles.select(F.col("doc").alias("a"), F.col("set").alias("sa")), "a")
        .join(shingles.select(F.col("doc").alias("b"), F.col("set").alias("sb")), "b")
        .select("a", "b", "sa", "sb")
    )
    threshold, containment = opts["threshold"], opts["containment"]

    def verify(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            sims = _chaff.verify_sets(batch.column("sa").to_pylist(), batch.column("sb").to_pylist())
            j = pa.array([s[0] for s in sims], type=pa.float64())
            c = pa.array([s[1] for s in sims], type=pa.float64())
            yield pa.record_batch([batch.column("a"), batch.column("b"), j, c], names=["a", "b", "jaccard", "containment"])

    scored = joined.mapInArrow(verify, "a long, b long, jaccard double, containment double")
    keep = F.col("jaccard") >= F.lit(threshold)
    if containment is not None:
        keep = keep | (F.col("containment") >= F.lit(containment))
    return scored.filter(keep)


def _checkpoint(df, checkpoint_dir: Optional[str], round_: int):
    """Cuts the lineage: a Parquet round-trip under ``checkpoint_dir`` (works on any cluster),
    else Spark's local checkpoint."""
    if checkpoint_dir is None:
        return df.localCheckpoint(eager=True)
    path = f"{checkpoint_dir.rstrip('/')}/cc-{round_}"
    df.write.mode("overwrite").parquet(path)
    return df.sparkSession.read.parquet(path)


def _components(pairs, checkpoint_dir: Optional[str], max_rounds: int = 100):
    """``(doc, root)`` for every document of a confirmed pair: ``root`` is the smallest document
    number of its connected component (large-star / small-star until nothing changes)."""
    from pyspark.sql import functions as F

    u, v = F.col("u"), F.col("v")
    edges = pairs.select(F.col("a").alias("u"), F.col("b").alias("v")).distinct()
    edges = _checkpoint(edges, checkpoint_dir, 0)
    for round_ in range(1, max_rounds + 1):
        # Large star: every neighbour above u links to the smallest of u's closed neighbourhood.
        both = edges.unionByName(edges.select(v.alias("u"), u.alias("v")))
        low = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
        large = both.join(low, "u").filter(v > u).select(v.alias("u"), F.col("m").alias("v"))
        # Small star: u and its neighbours below it link to the smallest of them.
        down = large.select(F.greatest(u, v).alias("u"), F.least(u, v).alias("v")).filter(u != v).distinct()
        low2 = down.groupBy("u").agg(F.min("v").alias("m"))
        small = (
            down.join(low2, "u")
            .select(v.alias("u"), F.col("m").alias("v"))
            .unionByName(low2.select("u", F.col("m").alias("v")))
            .select(F.greatest(u, v).alias("u"), F.least(u, v).alias("v"))
            .filter(u != v)
            .distinct()
        )
        small = _checkpoint(small, checkpoint_dir, round_)
        changed = small.exceptAll(edges).unionByName(edges.exceptAll(small)).limit(1).count()
        edges = small
        if changed == 0:
            break
    else:  # pragma: no cover - large-star/small-star converges in O(log^2 n) rounds
        raise chaff.ChaffError(f"connected components did not converge in {max_rounds} rounds")
    # A star now: every non-root node has exactly one edge, to its root.
    roots = edges.select(F.col("v").alias("doc"), F.col("v").alias("root")).distinct()
    return edges.select(F.col("u").alias("doc"), F.col("v").alias("root")).unionByName(roots)


def _round4_arrow(values):
    """Rounded to 4 decimals half away from zero on the same double arithmetic as the CLI's
    ``(x * 10000).round() / 10000``."""
    import numpy as np

    scaled = np.asarray(values, dtype=np.float64) * 10_000.0
    whole = np.floor(np.abs(scaled))
    whole += (np.abs(scaled) - whole) >= 0.5
    return np.copysign(whole, scaled) / 10_000.0


def _duplicates(docs, pairs, components, keep: str, sizes=None):
    """The duplicate records ``(doc, kind, id, of, similarity, containment, cluster)``."""
    import pyarrow as pa
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    if keep == "first":
        reps = components.groupBy("root").agg(F.min("doc").alias("rep"))
    else:
        by_size = Window.partitionBy("root").orderBy(F.col("shingles").desc(), F.col("doc").asc())
        reps = (
            components.join(sizes, "doc")
            .withColumn("r", F.row_number().over(by_size))
            .filter(F.col("r") == 1)
            .select("root", F.col("doc").alias("rep"))
        )
    # Cluster numbers by a distributed sort and zipWithIndex: no single-partition window.
    roots = components.select("root").distinct().orderBy("root")
    numbers = roots.sparkSession.createDataFrame(
        roots.rdd.zipWithIndex().map(lambda r: (r[0][0], r[1] + 1)), "root long, cluster long"
    )
    members = components.join(reps, "root").join(numbers, "root").filter(F.col("doc") != F.col("rep"))
    adjacent = pairs.select(
        F.col("a").alias("doc"), F.col("b").alias("other"), "jaccard", "containment"
    ).unionByName(pairs.select(F.col("b").alias("doc"), F.col("a").alias("other"), "jaccard", "containment"))
    best = Window.partitionBy("doc").orderBy(
        (F.col("other") == F.col("rep")).desc(), F.col("jaccard").desc(), F.col("other").asc()
    )
    chosen = (
        members.join(adjacent, "doc")
        .withColumn("r", F.row_number().over(best))
        .filter(F.col("r") == 1)
        .select("doc", "other", "jaccard", "containment", "cluster")
    )
    ids = docs.select("doc", "id")
    named = chosen.join(ids, "doc").join(ids.select(F.col("doc").alias("other"), F.col("id").alias("of")), "other")

    def rounded(batches):
        for batch in batches:
            yield pa.record_batch(
                [
                    batch.column("doc"),
                    pa.array(["duplicate"] * batch.num_rows),
                    batch.column("id"),
                    batch.column("of"),
                    pa.array(_round4_arrow(batch.column("jaccard").to_numpy(zero_copy_only=False))),
                    pa.array(_round4_arrow(batch.column("containment").to_numpy(zero_copy_only=False))),
                    batch.column("cluster"),
                ],
                names=["doc", "kind", "id", "of", "similarity", "containment", "cluster"],
            )

    return named.select("doc", "id", "of", "jaccard", "containment", F.col("cluster").cast("long")).mapInArrow(
        rounded,
        "doc long, kind string, id string, of string, similarity double, containment double, cluster long",
    )


class Result:
    """What :func:`dedup` found: ``duplicates`` (one row per duplicate, the CLI's record fields
    plus ``doc``, the corpus-order number), ``cleaned`` (the input rows minus the duplicates),
    and the intermediate stages for digests."""

    def __init__(self, duplicates, cleaned, stages: dict):
        self.duplicates = duplicates
        self.cleaned = cleaned
        self.stages = stages

    def records(self) -> list:
        """The duplicate records as dicts, in corpus order (collected to the driver)."""
        rows = self.duplicates.orderBy("doc").collect()
        return [
            {
                "kind": r["kind"],
                "id": r["id"],
                "of": r["of"],
                "similarity": r["similarity"],
                "containment": r["containment"],
                "cluster": r["cluster"],
            }
            for r in rows
        ]

    def jsonl(self) -> str:
        """The records as ``chaff dups --format json`` prints them."""
        return "".join(
            json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in self.records()
        )


def dedup(
    df,
    text_col: str = "text",
    id_col: str = "id",
    order_col: Optional[str] = None,
    *,
    checkpoint_dir: Optional[str] = None,
    **settings: Any,
) -> Result:
    """Near-duplicate documents of a Spark DataFrame, with the records of ``chaff dups --format
    json`` on the same documents in the same order.

    ``order_col`` (unique integers) gives corpus order, which decides the kept copy and the
    cluster numbers; without it the rows' order in the input is used (``zipWithIndex``, i.e.
    file order for files read in order). ``checkpoint_dir`` (a path every executor can reach,
    e.g. on HDFS or S3) holds the Parquet checkpoint of each connected-components round; without
    it Spark's local checkpoints are used. Settings (``threshold``, ``containment``,
    ``num_perm``, ``seed``, ``shingle``, ``char_shingle``, ``keep``, ...) as for
    :func:`chaff.dedup`. The CLI's ``--verify estimate`` is not offered: pairs are always
    verified exactly.
    """
    from pyspark.sql import functions as F

    opts = _opts(settings)
    _chaff.banding(opts)  # refuses a bad setting before any Spark work
    df, order = _ordered(df, order_col)
    df = df.persist()
    docs = _numbered(df, text_col, id_col, order, None).persist()
    rows = _sketch_rows(docs, opts)
    candidates = _candidates(rows).persist()
    pairs = _verified(docs, candidates, opts).persist()
    components = _components(pairs, checkpoint_dir).persist()
    sizes = None
    if opts["keep"] != "first":
        sizes = _sizes(docs, opts)
    duplicates = _duplicates(docs, pairs, components, opts["keep"], sizes).persist()
    cleaned = df.join(duplicates.select(F.col("doc").alias(order)), order, "left_anti")
    if order == ORDER:
        cleaned = cleaned.drop(ORDER)
    return Result(
        duplicates,
        cleaned,
        {"sketch": rows, "candidates": candidates, "pairs": pairs, "components": components, "records": duplicates},
    )


def _sizes(docs, opts: dict):
    import pyarrow as pa

    def count(batches):
        for batch in batches:
            texts = [t or "" for t in batch.column("text").to_pylist()]
            _, shingles = _chaff.signatures(texts, opts)
            yield pa.record_batch([batch.column("doc"), pa.array(shingles, type=pa.int64())], names=["doc", "shingles"])

    return docs.select("doc", "text").mapInArrow(count, "doc long, shingles long")


def chrome_templates(
    df,
    text_col: str = "text",
    id_col: str = "id",
    source_col: str = "source",
    order_col: Optional[str] = None,
    *,
    duplicates=None,
    **settings: Any,
):
    """Per-source chrome template statistics, as ``chaff chrome --learn`` stores them: a
    DataFrame ``(source, key, pages)`` (``key`` the 16-hex-digit line key, ``pages`` the pages
    of the source carrying it, at least 2) and a DataFrame ``(source, pages)``. Pages that are
    near-duplicate copies of an earlier page count as pages without lines (their shared
    subheadings are the article's, not the site's); the copies come from ``duplicates`` (a
    :class:`Result`) or a :func:`dedup` run with ``settings``. A missing source is ``""``."""
    import numpy as np
    import pyarrow as pa
    from pyspark.sql import functions as F

    if duplicates is None:
        duplicates = dedup(df, text_col, id_col, order_col, **settings)
    df, order = _ordered(df, order_col)
    docs = _numbered(df, text_col, id_col, order, source_col)
    docs = docs.withColumn("source", F.coalesce(F.col("source"), F.lit("")))
    copies = duplicates.stages["components"].filter(F.col("doc") != F.col("root")).select("doc")
    pages = docs.groupBy("source").agg(F.count("*").cast("long").alias("pages"))
    originals = docs.join(copies, "doc", "left_anti").select("doc", "source", "text")

    def keys(batches):
        for batch in batches:
            texts = [t or "" for t in batch.column("text").to_pylist()]
            per_page = _chaff.template_keys(texts)
            sources, flat = [], []
            for s, k in zip(batch.column("source").to_pylist(), per_page):
                n = len(k) // 8
                sources.extend([s] * n)
                flat.append(k)
            values = np.frombuffer(b"".join(flat), dtype="<u8")
            yield pa.record_batch(
                [pa.array(sources, type=pa.string()), pa.array([f"{v:016x}" for v in values.tolist()], type=pa.string())],
                names=["source", "key"],
            )

    lines = (
        originals.mapInArrow(keys, "source string, key string")
        .groupBy("source", "key")
        .agg(F.count("*").cast("long").alias("pages"))
        .filter(F.col("pages") >= 2)
    )
    return lines, pages


def model_json(lines, pages) -> dict:
    """The statistics of :func:`chrome_templates` as the object of a chrome model file
    (``chaff chrome --learn``; collected to the driver)."""
    sources = {r["source"]: {"pages": r["pages"], "lines": {}} for r in pages.collect()}
    for r in lines.collect():
        sources[r["source"]]["lines"][r["key"]] = r["pages"]
    return {
        "format": "chaff-chrome-model",
        "version": 1,
        # The fold tables' version, as the library stamps every model it writes.
        "normalization": _chaff.NORMALIZATION_VERSION,
        "sources": {name: sources[name] for name in sorted(sources)},
    }


# ---------------------------------------------------------------------------------------------
# Stage digests, to localize a divergence


def _digest(rows) -> str:
    h = hashlib.sha256()
    for r in sorted(rows):
        h.update(repr(tuple(r)).encode())
    return h.hexdigest()[:16]


def stage_digests(result: Result) -> dict:
    """A short digest of each stage of a Spark run (order-free): compare with
    :func:`reference_stages` of the same documents to see where the two first differ."""
    s = result.stages
    return {
        "sketch": _digest((r["band"], r["key"], r["doc"]) for r in s["sketch"].collect()),
        "candidates": _digest((r["a"], r["b"]) for r in s["candidates"].collect()),
        "pairs": _digest((r["a"], r["b"], r["jaccard"], r["containment"]) for r in s["pairs"].collect()),
        "components": _digest((r["doc"], r["root"]) for r in s["components"].collect()),
        "records": _digest(
            (r["doc"], r["id"], r["of"], r["similarity"], r["containment"], r["cluster"])
            for r in s["records"].collect()
        ),
    }


def reference_stages(ids: list, texts: list, **settings: Any) -> dict:
    """The digests of every stage computed on one machine with plain Python over chaff's batch
    functions (documents numbered by position): what :func:`stage_digests` must equal."""
    import numpy as np

    opts = _opts(settings)
    width = sum(b for b, _ in _chaff.banding(opts))
    _, shingles, raw, empty = _chaff.sketch(texts, opts)
    keys = np.frombuffer(raw, dtype="<u8").reshape(-1, width).view("<i8")
    sketch = [(band, int(keys[d, band]), d) for d in range(len(texts)) if not empty[d] for band in range(width)]
    buckets: dict = {}
    for band, key, d in sketch:
        buckets.setdefault((band, key), []).append(d)
    cand = set()
    for members in buckets.values():
        cand.update(_chaff.bucket_pairs(sorted(members)))
    cand = sorted(cand)
    sets = _chaff.shingle_sets(texts, opts)
    sims = _chaff.verify_sets([sets[a] for a, _ in cand], [sets[b] for _, b in cand])
    pairs = [
        (a, b, j, c)
        for (a, b), (j, c) in zip(cand, sims)
        if j >= opts["threshold"] or (opts["containment"] is not None and c >= opts["containment"])
    ]
    parent: dict = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _, _ in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    components = [(d, find(d)) for d in list(parent)]
    records = [
        (d, r["id"], r["of"], r["similarity"], r["containment"], r["cluster"])
        for d, r in _reference_records(ids, components, pairs, opts, shingles)
    ]
    return {
        "sketch": _digest(sketch),
        "candidates": _digest(cand),
        "pairs": _digest(pairs),
        "components": _digest(components),
        "records": _digest(records),
    }


def _reference_records(ids, components, pairs, opts, shingles):
    clusters: dict = {}
    for d, root in components:
        clusters.setdefault(root, []).append(d)
    adjacency: dict = {}
    for a, b, j, c in pairs:
        adjacency.setdefault(a, []).append((b, j, c))
        adjacency.setdefault(b, []).append((a, j, c))
    out = []
    for number, root in enumerate(sorted(clusters), start=1):
        members = sorted(clusters[root])
        rep = members[0] if opts["keep"] == "first" else max(members, key=lambda d: (shingles[d], -d))
        for d in members:
            if d == rep:
                continue
            edges = adjacency[d]
            direct = [e for e in edges if e[0] == rep]
            other, j, c = direct[0] if direct else max(edges, key=lambda e: (e[1], -e[0]))
            out.append(
                (
                    d,
                    {
                        "id": ids[d],
                        "of": ids[other],
                        "similarity": float(_round4_arrow([j])[0]),
                        "containment": float(_round4_arrow([c])[0]),
                        "cluster": number,
                    },
                )
            )
    return sorted(out, key=lambda x: x[0])
