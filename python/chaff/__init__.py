"""chaff: near-duplicate documents, repeated passages and site chrome in scraped text.

The Python face of the chaff Rust library. Two layers:

* **Corpus functions** -- :func:`dedup`, :func:`scan`, :func:`clean` -- take a whole dataset (an
  iterable of dicts, a list of strings, a pandas DataFrame, a pyarrow Table or a Hugging Face
  ``Dataset``) and give the records of the ``chaff`` command line, byte for byte the same
  decisions: ``chaff.dedup(rows)`` is ``chaff dups --format json``.
* **Batch functions** -- :func:`signatures`, :func:`band_keys`, :func:`verify_pairs`,
  :func:`passages`, :func:`chrome_lines` -- run one stage over a batch of texts (a list of
  ``str``, a pyarrow string array or a pandas Series). They release the GIL and use every core;
  :mod:`chaff.spark` builds its distributed job from them.

Errors are Python exceptions carrying the place: :class:`ConfigError` names the setting
(``.field``, ``.value``, ``.allowed``), :class:`InputError` the record (``.record``, its 0-based
position in the data).
"""

from __future__ import annotations

import json
import math
from typing import Any, Iterable, Optional, Sequence

from chaff import _chaff
from chaff._chaff import ChaffError, ConfigError, InputError

__version__ = _chaff.__version__

__all__ = [
    "ChaffError",
    "ConfigError",
    "InputError",
    "band_keys",
    "banding",
    "chrome_lines",
    "clean",
    "dedup",
    "passages",
    "round4",
    "scan",
    "signatures",
    "verify_pairs",
]


# ---------------------------------------------------------------------------------------------
# Settings


def _dups_opts(
    threshold: float = 0.8,
    containment: Optional[float] = 0.8,
    num_perm: int = 128,
    seed: int = 0,
    shingle: int = 5,
    char_shingle: Optional[int] = None,
    scheme: str = "one-permutation",
    bands: Optional[tuple] = None,
    keep: str = "first",
) -> dict:
    """The near-duplicate settings as the native module reads them (CLI defaults)."""
    return {
        "threshold": threshold,
        "containment": containment,
        "num_perm": num_perm,
        "seed": seed,
        "shingle": shingle,
        "char_shingle": char_shingle,
        "scheme": scheme,
        "bands": bands,
        "keep": keep,
    }


def banding(**settings: Any) -> list:
    """The LSH bandings searched, as ``(bands, rows)``: the Jaccard banding, then the containment
    banding when containment is on (and differs). Settings as for :func:`dedup`."""
    return _chaff.banding(_dups_opts(**settings))


def round4(x: float) -> float:
    """``x`` rounded to 4 decimals half away from zero, as the CLI's records are (Python's
    ``round`` rounds half to even and would differ on ties)."""
    scaled = x * 10_000.0
    whole = math.floor(abs(scaled))
    if abs(scaled) - whole >= 0.5:
        whole += 1
    return math.copysign(whole, scaled) / 10_000.0


# ---------------------------------------------------------------------------------------------
# Batch functions


def _texts(texts: Any, what: str = "texts") -> list:
    """A list of ``str`` from a list, a pyarrow (chunked) string array, a pandas Series or any
    iterable of strings; missing values (None, null, NaN) are empty documents."""
    mod = type(texts).__module__
    if mod.startswith("pyarrow"):
        texts = texts.to_pylist()
    elif mod.startswith("pandas") or mod.startswith("numpy"):
        texts = texts.tolist()
    out = list(texts) if not isinstance(texts, list) else texts
    if not all(type(t) is str for t in out):
        fixed = []
        for i, t in enumerate(out):
            if t is None or (isinstance(t, float) and math.isnan(t)):
                t = ""
            elif not isinstance(t, str):
                raise TypeError(f"{what}[{i}]: expected str, got {type(t).__name__}")
            fixed.append(str(t))
        out = fixed
    return out


def _as_array(raw: bytes, dtype: str, width: int):
    """``raw`` as a numpy array of ``width`` columns, or a list of lists without numpy."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy comes with pandas and pyarrow
        import array

        flat = array.array("I" if dtype == "uint32" else "Q", raw)
        return [list(flat[i : i + width]) for i in range(0, len(flat), width)]
    return np.frombuffer(raw, dtype="<" + ("u4" if dtype == "uint32" else "u8")).reshape(-1, width)


def signatures(texts: Any, **settings: Any):
    """MinHash signatures of a batch of texts: a ``uint32`` array of shape
    ``(len(texts), num_perm)`` (a list of lists without numpy). Settings as for :func:`dedup`;
    an empty document's slots are all ``0xFFFFFFFF``."""
    opts = _dups_opts(**settings)
    raw, _ = _chaff.signatures(_texts(texts), opts)
    return _as_array(raw, "uint32", opts["num_perm"])


def band_keys(data: Any, **settings: Any):
    """LSH band keys of a batch: a ``uint64`` array with one row per document and one column per
    band of every banding of :func:`banding`. ``data`` is a batch of texts or the array
    :func:`signatures` returned. Two documents are candidates when they share a column's key
    (empty documents, whose keys are 0, never are)."""
    opts = _dups_opts(**settings)
    width = sum(b for b, _ in _chaff.banding(opts))
    if type(data).__module__.startswith("numpy") and getattr(data, "dtype", None) is not None and data.dtype.kind == "u":
        raw = data.astype("<u4").tobytes()
    else:
        raw, _ = _chaff.signatures(_texts(data), opts)
    keys, _ = _chaff.band_keys(raw, opts)
    return _as_array(keys, "uint64", width)


def verify_pairs(a: Any, b: Any, **settings: Any) -> list:
    """Exact ``(jaccard, containment)`` of each pair of texts ``(a[i], b[i])`` on their shingle
    sets, as ``chaff dups`` confirms a candidate pair (containment is the share of the smaller
    set found in the other). Unrounded."""
    return _chaff.verify_pairs(_texts(a, "a"), _texts(b, "b"), _dups_opts(**settings))


def passages(texts: Any, min_tokens: int = 20, seed: int = 0) -> list:
    """Passages of at least ``min_tokens`` tokens repeated within and across a batch of texts:
    one dict per later copy, as ``chaff passages --format json`` writes it, with ``id`` and
    ``of`` the positions (``int``) of the texts in the batch and byte offsets into their UTF-8
    encoding."""
    records = [json.loads(r) for r in _chaff.passages(_texts(texts), {"min_tokens": min_tokens, "seed": seed})]
    for r in records:
        r["id"], r["of"] = int(r["id"]), int(r["of"])
    return records


def chrome_lines(texts: Any, sources: Any = None, syndication: bool = True, **settings: Any) -> list:
    """Chrome lines of a batch of pages, judged together (lines recurring on pages of one
    ``source`` are template chrome): one dict per line as ``chaff chrome --format json`` writes
    it, ``id`` the position (``int``) of the page in the batch. ``sources`` gives each page's site
    (None: unknown)."""
    texts = _texts(texts)
    ids = [str(i) for i in range(len(texts))]
    srcs = None if sources is None else _optional_strs(sources, "sources")
    records, _ = _chaff.chrome(ids, texts, srcs, {**_dups_opts(), **_chrome_opts(**settings), "syndication": syndication})
    out = [json.loads(r) for r in records]
    for r in out:
        r["id"] = int(r["id"])
    return out


def _chrome_opts(min_pages: int = 3, min_share: float = 0.05, chrome_threshold: Optional[float] = None) -> dict:
    return {"min_pages": min_pages, "min_share": min_share, "chrome_threshold": chrome_threshold}


def _optional_strs(values: Any, what: str) -> list:
    mod = type(values).__module__
    if mod.startswith("pyarrow"):
        values = values.to_pylist()
    elif mod.startswith("pandas") or mod.startswith("numpy"):
        values = values.tolist()
    out = []
    for i, v in enumerate(values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out.append(None)
        elif isinstance(v, str):
            out.append(v)
        else:
            raise TypeError(f"{what}[{i}]: expected str or None, got {type(v).__name__}")
    return out


# ---------------------------------------------------------------------------------------------
# Corpus functions


class _Data:
    """A dataset's ids, texts and sources, and how to give results back in its own kind."""

    def __init__(self, data: Any, text: str, id: Optional[str], source: Optional[str]):
        self.data = data
        self.text_field = text
        mod = type(data).__module__
        if mod.startswith("pandas"):
            self.kind = "pandas"
            columns = list(data.columns)
            self.texts = _texts(data[text], text) if text in columns else _missing(text)
            self.ids = _ids(data[id].tolist() if id in columns else None, len(self.texts))
            self.sources = _optional_strs(data[source], source) if source in columns else None
        elif mod.startswith("pyarrow"):
            self.kind = "arrow"
            names = data.column_names
            self.texts = _texts(data.column(text), text) if text in names else _missing(text)
            self.ids = _ids(data.column(id).to_pylist() if id in names else None, len(self.texts))
            self.sources = _optional_strs(data.column(source), source) if source in names else None
        elif mod.startswith("datasets"):
            self.kind = "datasets"
            names = data.column_names
            self.texts = _texts(data[text], text) if text in names else _missing(text)
            self.ids = _ids(data[id] if id in names else None, len(self.texts))
            self.sources = _optional_strs(data[source], source) if source in names else None
        else:
            rows = list(data)
            self.data = rows
            if all(isinstance(r, str) for r in rows):
                self.kind = "strings"
                self.texts = rows
                self.ids = [str(i) for i in range(len(rows))]
                self.sources = None
            else:
                self.kind = "rows"
                self.texts, ids, sources = [], [], []
                for i, r in enumerate(rows):
                    if not isinstance(r, dict):
                        raise TypeError(f"record {i}: expected a dict or a str, got {type(r).__name__}")
                    t = r.get(text)
                    if not isinstance(t, str):
                        raise InputError(f"record {i}: no string field {text!r}")
                    self.texts.append(t)
                    ids.append(r.get(id))
                    sources.append(r.get(source))
                self.ids = _ids(ids, len(rows))
                self.sources = _optional_strs(sources, source) if any(s is not None for s in sources) else None

    def with_columns(self, columns: dict) -> Any:
        """The data with result columns added (a dict of lists for a list of strings)."""
        if self.kind == "pandas":
            out = self.data.copy()
            for name, values in columns.items():
                out[name] = values
            return out
        if self.kind == "arrow":
            import pyarrow as pa

            out = self.data
            for name, values in columns.items():
                out = out.append_column(name, pa.array(values))
            return out
        if self.kind == "datasets":
            out = self.data
            for name, values in columns.items():
                out = out.add_column(name, values)
            return out
        if self.kind == "rows":
            return [{**r, **{n: v[i] for n, v in columns.items()}} for i, r in enumerate(self.data)]
        return columns

    def cleaned(self, edits: list) -> Any:
        """The data minus dropped documents, with cut texts replaced."""
        keep = [i for i, e in enumerate(edits) if e is None or e[0]]
        new_text = [self.texts[i] if edits[i] is None else edits[i][1] for i in keep]
        if self.kind == "pandas":
            out = self.data.iloc[keep].copy()
            out[self.text_field] = new_text
            return out
        if self.kind == "arrow":
            import pyarrow as pa

            out = self.data.take(pa.array(keep, type=pa.int64()))
            at = out.column_names.index(self.text_field)
            return out.set_column(at, self.text_field, pa.array(new_text, type=pa.string()))
        if self.kind == "datasets":
            out = self.data.select(keep)
            return out.remove_columns(self.text_field).add_column(self.text_field, new_text)
        if self.kind == "rows":
            return [{**self.data[i], self.text_field: t} for i, t in zip(keep, new_text)]
        return new_text


def _missing(text: str):
    raise InputError(f"no column {text!r} holding the texts")


def _ids(ids: Optional[list], n: int) -> list:
    """Document ids as strings; a missing id is the document's position."""
    if ids is None:
        return [str(i) for i in range(n)]
    return [str(i) if v is None else (v if isinstance(v, str) else str(v)) for i, v in enumerate(ids)]


def _records(lines: list, output: str) -> Any:
    records = [json.loads(r) for r in lines]
    if output == "records":
        return records
    if output == "jsonl":
        return "".join(r + "\n" for r in lines)
    if output == "table":
        import pyarrow as pa

        return pa.Table.from_pylist(records)
    raise ValueError(f"output = {output!r}: must be 'records', 'table', 'jsonl' or 'columns'")


def dedup(
    data: Any,
    text: str = "text",
    id: str = "id",
    source: str = "source",
    *,
    output: str = "records",
    threshold: float = 0.8,
    containment: Optional[float] = 0.8,
    num_perm: int = 128,
    seed: int = 0,
    shingle: int = 5,
    char_shingle: Optional[int] = None,
    scheme: str = "one-permutation",
    bands: Optional[tuple] = None,
    keep: str = "first",
) -> Any:
    """Near-duplicate documents of ``data``, decided exactly as ``chaff dups`` decides them.

    ``data`` is an iterable of dicts (fields ``text``, ``id``, ``source``), a list of strings
    (ids are positions), a pandas DataFrame, a pyarrow Table or a Hugging Face ``Dataset``. A
    missing id is the document's position as a string.

    ``output`` chooses what comes back:

    * ``"records"`` (default): one dict per duplicate, ``{"kind": "duplicate", "id", "of",
      "similarity", "containment", "cluster"}``, the records of ``chaff dups --format json``;
    * ``"jsonl"``: the same records as the CLI's JSON Lines text, byte for byte;
    * ``"table"``: the records as a pyarrow Table;
    * ``"columns"``: ``data`` with three columns added -- ``keep`` (False for a duplicate that
      ``clean`` drops), ``cluster`` (its cluster number, None outside clusters) and ``of`` (the id
      of the document it duplicates, None when kept).

    The kept document of a cluster is its first in corpus order (``keep="first"``) or the one
    with most shingles (``keep="longest"``). ``threshold`` is the Jaccard similarity of
    near-duplicates; ``containment`` (None: off) the share of a shorter document found in a
    longer one that makes it a copy. ``shingle`` words per shingle (or ``char_shingle``
    characters), ``num_perm`` MinHash slots, ``seed`` the hash seed, ``bands`` a ``(bands,
    rows)`` override of the LSH banding.
    """
    d = _Data(data, text, id, source)
    opts = _dups_opts(threshold, containment, num_perm, seed, shingle, char_shingle, scheme, bands, keep)
    lines, duplicates, clusters = _chaff.dups(d.ids, d.texts, d.sources, opts)
    if output != "columns":
        return _records(lines, output)
    n = len(d.texts)
    keep_col, cluster_col, of_col = [True] * n, [None] * n, [None] * n
    for number, _, members in clusters:
        for m in members:
            cluster_col[m] = number
    for doc, of, _ in duplicates:
        keep_col[doc] = False
        of_col[doc] = d.ids[of]
    return d.with_columns({"keep": keep_col, "cluster": cluster_col, "of": of_col})


def _scan_opts(dups, passages, chrome, syndication, min_tokens, settings) -> dict:
    chrome_settings = {k: settings.pop(k) for k in ("min_pages", "min_share", "chrome_threshold") if k in settings}
    max_doc_bytes = settings.pop("max_doc_bytes", None)
    return {
        "max_doc_bytes": max_doc_bytes,
        **_dups_opts(**settings),
        **_chrome_opts(**chrome_settings),
        "min_tokens": min_tokens,
        "dups": dups,
        "passages": passages,
        "chrome": chrome,
        "syndication": syndication,
    }


def scan(
    data: Any,
    text: str = "text",
    id: str = "id",
    source: str = "source",
    *,
    output: str = "records",
    dups: bool = True,
    passages: bool = True,
    chrome: bool = True,
    syndication: bool = True,
    min_tokens: int = 20,
    **settings: Any,
) -> Any:
    """All three analyses over ``data``, as ``chaff scan --format json`` runs them: the
    duplicate records, then the passage records, then the chrome records (the CLI's closing
    summary record is left out). ``data`` and ``output`` (``"records"``, ``"jsonl"``,
    ``"table"``) as for :func:`dedup`; each analysis can be switched off; ``min_tokens`` is the
    shortest repeated passage; other settings as for :func:`dedup`, plus ``min_pages``,
    ``min_share`` and ``chrome_threshold`` of chrome detection, and ``max_doc_bytes``, the
    largest document read (64 MiB by default, as ``chaff scan --max-doc-bytes``)."""
    d = _Data(data, text, id, source)
    opts = _scan_opts(dups, passages, chrome, syndication, min_tokens, dict(settings))
    lines, _ = _chaff.scan(d.ids, d.texts, d.sources, opts, False)
    return _records(lines, output)


def clean(
    data: Any,
    text: str = "text",
    id: str = "id",
    source: str = "source",
    *,
    log: bool = False,
    dups: bool = True,
    passages: bool = True,
    chrome: bool = True,
    syndication: bool = True,
    min_tokens: int = 20,
    **settings: Any,
) -> Any:
    """``data`` minus near-duplicate documents, chrome lines and later copies of repeated
    passages, as ``chaff clean`` writes it: the same kind of data back (rows keep every other
    field; a list of strings gives the kept texts), in the same order. With ``log=True`` returns
    ``(cleaned, removals)`` where ``removals`` are the records of ``chaff clean --log``.
    Settings as for :func:`scan`."""
    d = _Data(data, text, id, source)
    opts = _scan_opts(dups, passages, chrome, syndication, min_tokens, dict(settings))
    _, plan = _chaff.scan(d.ids, d.texts, d.sources, opts, True)
    edits, removals = plan
    cleaned = d.cleaned(edits)
    if log:
        return cleaned, [json.loads(r) for r in removals]
    return cleaned
