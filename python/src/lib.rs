//! `chaff._chaff`: the native half of the `chaff` Python package, a thin shell over the chaff
//! library.
//!
//! Two kinds of functions live here. The *batch* functions (`signatures`, `band_keys`,
//! `shingle_sets`, `verify_sets`, `verify_pairs`, `template_keys`, `passages`) take a list of
//! texts, release the GIL and run the library's own per-document code on rayon's pool: they are
//! the per-document sketch and the pair verification that `chaff.spark` runs in workers. The
//! *corpus* functions (`dups`, `scan`, `chrome`) hand the documents to the library's corpus
//! pipeline unchanged, so their records are the `chaff` binary's records, byte for byte. The
//! batch functions sketch through [`chaff::sketch::Sketcher`], so signatures, band keys and
//! shingle fingerprints are the library's by construction, not a copy of its rules.
//!
//! Every setting arrives as one dict (the Python layer names and documents them); a setting the
//! library refuses raises `chaff.ConfigError` naming the field, and an input problem raises
//! `chaff.InputError` naming the record (its 0-based position in the data).

use chaff::chrome;
use chaff::cluster::Keep;
use chaff::corpus::{Corpus, ReadOptions, Texts};
use chaff::dups;
use chaff::lsh::Params;
use chaff::minhash::{Scheme, EMPTY_SLOT};
use chaff::passages;
use chaff::report;
use chaff::scan;
use chaff::shingle::Shingling;
use chaff::sketch::Sketcher;
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use rayon::prelude::*;
use std::io::Write;

create_exception!(
    _chaff,
    ChaffError,
    PyException,
    "Base class of the errors chaff raises."
);
create_exception!(
    _chaff,
    ConfigError,
    ChaffError,
    "A setting no stage can work with; `.field`, `.value` and `.allowed` say which and why."
);
create_exception!(
    _chaff,
    InputError,
    ChaffError,
    "A document that cannot be read; `.record` is its 0-based position in the data."
);

/// Each library field an error's advice may name and the Python option that sets it: the
/// advice reads in the caller's terms (`max_doc_bytes=...`), as the binary's reads in flags. A
/// field missing here keeps its library name.
const PY_NAMES: &[(&str, &str)] = &[
    ("corpus.max_doc_bytes", "max_doc_bytes=..."),
    ("corpus.fields.text", "text=..."),
    ("passages.min_tokens", "min_tokens=..."),
];

/// The Python option that sets library field `field`, or the field when none does.
fn py_name(field: &'static str) -> &'static str {
    PY_NAMES
        .iter()
        .find(|(f, _)| *f == field)
        .map_or(field, |&(_, name)| name)
}

/// The advice that ends `e`'s message, in Python option names (empty when it has none).
fn py_advice(e: &chaff::Error) -> String {
    e.advice()
        .map(|a| a.render(py_name(a.field)))
        .unwrap_or_default()
}

/// The Python exception of a library error. Errors about the temporary corpus name its line,
/// which is the record's position + 1: the record is what the caller knows. Advice to change a
/// setting names it by its Python option.
fn to_py(py: Python<'_>, e: chaff::Error) -> PyErr {
    let advice = py_advice(&e);
    match e {
        chaff::Error::Config(c) => {
            let err = ConfigError::new_err(c.to_string());
            let value = err.value(py);
            // Attributes are best effort: the message already carries the same facts.
            let _ = value.setattr("field", c.field);
            let _ = value.setattr("value", c.value.clone());
            let _ = value.setattr("allowed", c.allowed.clone());
            err
        }
        chaff::Error::Json { line, message, .. } => input_error(
            py,
            Some(line),
            &format!("record {}: {message}{advice}", line.saturating_sub(1)),
        ),
        chaff::Error::Input { line, message, .. } => {
            let place = line
                .map(|l| format!("record {}: ", l.saturating_sub(1)))
                .unwrap_or_default();
            input_error(py, line, &format!("{place}{message}{advice}"))
        }
        // Python strings are valid UTF-8 by construction: only a bug of this binding gets here.
        chaff::Error::InvalidUtf8 { line, .. } => input_error(py, line, "text is not valid UTF-8"),
        other => ChaffError::new_err(other.describe(py_name)),
    }
}

fn input_error(py: Python<'_>, line: Option<u64>, message: &str) -> PyErr {
    let err = InputError::new_err(message.to_string());
    if let Some(line) = line {
        let _ = err.value(py).setattr("record", line.saturating_sub(1));
    }
    err
}

/// Reads one optional setting of `opts`, naming it when it has the wrong type.
fn opt<'py, T: FromPyObject<'py>>(opts: &Bound<'py, PyDict>, name: &str) -> PyResult<Option<T>> {
    match opts.get_item(name)? {
        None => Ok(None),
        Some(v) if v.is_none() => Ok(None),
        Some(v) => v
            .extract()
            .map(Some)
            .map_err(|e| PyTypeError::new_err(format!("{name}: {e}"))),
    }
}

/// The near-duplicate configuration from `opts` (absent settings keep the CLI's defaults).
fn dups_config(opts: &Bound<'_, PyDict>) -> PyResult<dups::Config> {
    let mut c = dups::Config::default();
    if let Some(n) = opt::<usize>(opts, "shingle")? {
        c.hash.shingling = Shingling::Words(n);
    }
    if let Some(n) = opt::<usize>(opts, "char_shingle")? {
        c.hash.shingling = Shingling::Chars(n);
    }
    if let Some(s) = opt(opts, "seed")? {
        c.hash.seed = s;
    }
    if let Some(k) = opt(opts, "num_perm")? {
        c.hash.num_perm = k;
    }
    if let Some(t) = opt(opts, "threshold")? {
        c.threshold = t;
    }
    if let Some(scheme) = opt::<String>(opts, "scheme")? {
        c.hash.scheme = match scheme.as_str() {
            "one-permutation" => Scheme::OnePermutation,
            "classic" => Scheme::Classic,
            other => {
                return Err(PyValueError::new_err(format!(
                    "scheme = {other:?}: must be \"one-permutation\" or \"classic\""
                )))
            }
        };
    }
    if let Some((bands, rows)) = opt::<(usize, usize)>(opts, "bands")? {
        c.bands = Some(Params { bands, rows });
    }
    // `containment` is always passed by the Python layer: None switches it off.
    if opts.contains("containment")? {
        c.containment = opt(opts, "containment")?;
    }
    if let Some(keep) = opt::<String>(opts, "keep")? {
        c.keep = match keep.as_str() {
            "first" => Keep::First,
            "longest" => Keep::Longest,
            other => {
                return Err(PyValueError::new_err(format!(
                    "keep = {other:?}: must be \"first\" or \"longest\""
                )))
            }
        };
    }
    if let Some(true) = opt::<bool>(opts, "estimate")? {
        c.verify = dups::Verify::Estimate;
    }
    Ok(c)
}

fn checked_dups_config(py: Python<'_>, opts: &Bound<'_, PyDict>) -> PyResult<dups::Config> {
    let c = dups_config(opts)?;
    c.validate().map_err(|e| to_py(py, e.into()))?;
    Ok(c)
}

/// The library's sketcher for `c`. `exact` keeps `c`'s verification; otherwise the sketches
/// skip the shingle sets, which only exact verification reads (signatures and band keys do not
/// depend on it).
fn sketcher(py: Python<'_>, c: &dups::Config, exact: bool) -> PyResult<Sketcher> {
    let mut c = c.clone();
    if !exact {
        c.verify = dups::Verify::Estimate;
    }
    Sketcher::new(&c).map_err(|e| to_py(py, e))
}

/// The bandings searched, in order: the Jaccard banding, then the containment banding when
/// containment is on and it differs (as `dups::find` builds its indexes).
fn bandings(c: &dups::Config) -> Vec<Params> {
    std::iter::once(c.params())
        .chain(c.containment_params())
        .collect()
}

/// The bandings of a configuration as `(bands, rows)`: the Jaccard banding, then the
/// containment banding when it is searched too.
#[pyfunction]
fn banding(py: Python<'_>, opts: &Bound<'_, PyDict>) -> PyResult<Vec<(usize, usize)>> {
    let c = checked_dups_config(py, opts)?;
    Ok(bandings(&c).iter().map(|p| (p.bands, p.rows)).collect())
}

/// MinHash signatures of `texts`: `(slots, shingles)` where `slots` holds `len(texts) *
/// num_perm` little-endian u32 (document-major) and `shingles` each text's distinct shingle
/// count.
#[pyfunction]
fn signatures<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    opts: &Bound<'py, PyDict>,
) -> PyResult<(Bound<'py, PyBytes>, Vec<u32>)> {
    let c = checked_dups_config(py, opts)?;
    let sk = sketcher(py, &c, false)?;
    let (slots, counts, _, _) = py.allow_threads(|| sign_all(&texts, &sk));
    Ok((PyBytes::new(py, &u32_bytes(&slots)), counts))
}

fn sign_all(texts: &[String], sk: &Sketcher) -> (Vec<u32>, Vec<u32>, Vec<u64>, Vec<bool>) {
    let sketches = sk.sketch_batch(&strs(texts));
    let width = band_width(sk.config());
    let mut slots = Vec::with_capacity(texts.len() * sk.config().hash.num_perm);
    let mut counts = Vec::with_capacity(texts.len());
    let mut keys = Vec::with_capacity(texts.len() * width);
    let mut empty = Vec::with_capacity(texts.len());
    for d in sketches {
        slots.extend(&d.signature);
        counts.push(d.shingles);
        // A sketch without shingles has no band keys; the flat layout keeps its row, zeroed.
        empty.push(d.band_keys.is_empty());
        if d.band_keys.is_empty() {
            keys.extend(std::iter::repeat_n(0, width));
        } else {
            keys.extend(d.band_keys);
        }
    }
    (slots, counts, keys, empty)
}

fn strs(texts: &[String]) -> Vec<&str> {
    texts.iter().map(String::as_str).collect()
}

/// Band keys per document: the bands of every banding searched.
fn band_width(c: &dups::Config) -> usize {
    bandings(c).iter().map(|p| p.bands).sum()
}

/// Band keys of signatures (`slots` as [`signatures`] returns them): `(keys, empty)` where
/// `keys` holds, per document, the keys of every band of every banding (little-endian u64, in
/// the order of [`banding`]) and `empty[i]` says document i had no shingle (it never becomes a
/// candidate; its keys are 0).
#[pyfunction]
fn band_keys<'py>(
    py: Python<'py>,
    slots: &[u8],
    opts: &Bound<'py, PyDict>,
) -> PyResult<(Bound<'py, PyBytes>, Vec<bool>)> {
    let c = checked_dups_config(py, opts)?;
    let k = c.hash.num_perm;
    if slots.len() % (4 * k) != 0 {
        return Err(PyValueError::new_err(format!(
            "slots: {} bytes is not a whole number of signatures of {k} slots",
            slots.len()
        )));
    }
    let slots: Vec<u32> = slots
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    let sk = sketcher(py, &c, false)?;
    let (keys, empty) = py.allow_threads(|| keys_of(&slots, &sk));
    Ok((PyBytes::new(py, &u64_bytes(&keys)), empty))
}

fn keys_of(slots: &[u32], sk: &Sketcher) -> (Vec<u64>, Vec<bool>) {
    let width = band_width(sk.config());
    let per_doc: Vec<(Vec<u64>, bool)> = slots
        .par_chunks(sk.config().hash.num_perm)
        .map(|sig| {
            // The signature of a text without shingles is all empty slots; its sketch has no
            // band keys (it matches nothing), and its row here is zeroed.
            let empty = sig.first() == Some(&EMPTY_SLOT);
            let keys = if empty {
                vec![0; width]
            } else {
                sk.band_keys(sig)
            };
            (keys, empty)
        })
        .collect();
    let mut keys = Vec::with_capacity(per_doc.len() * width);
    let mut empty = Vec::with_capacity(per_doc.len());
    for (k, e) in per_doc {
        keys.extend(k);
        empty.push(e);
    }
    (keys, empty)
}

/// Signatures and band keys in one pass: `(slots, shingles, keys, empty)`.
#[pyfunction]
#[allow(clippy::type_complexity)]
fn sketch<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    opts: &Bound<'py, PyDict>,
) -> PyResult<(
    Bound<'py, PyBytes>,
    Vec<u32>,
    Bound<'py, PyBytes>,
    Vec<bool>,
)> {
    let c = checked_dups_config(py, opts)?;
    let sk = sketcher(py, &c, false)?;
    let (slots, counts, keys, empty) = py.allow_threads(|| sign_all(&texts, &sk));
    Ok((
        PyBytes::new(py, &u32_bytes(&slots)),
        counts,
        PyBytes::new(py, &u64_bytes(&keys)),
        empty,
    ))
}

/// The exact shingle set of each text (sorted 32-bit fingerprints, little-endian), what pairs
/// are verified on.
#[pyfunction]
fn shingle_sets<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    opts: &Bound<'py, PyDict>,
) -> PyResult<Vec<Bound<'py, PyBytes>>> {
    let c = checked_dups_config(py, opts)?;
    let sk = sketcher(py, &c, false)?;
    let sets: Vec<Vec<u8>> = py.allow_threads(|| {
        sk.fingerprint_sets(&strs(&texts))
            .iter()
            .map(|s| u32_bytes(s))
            .collect()
    });
    Ok(sets.iter().map(|s| PyBytes::new(py, s)).collect())
}

fn decode_set(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

/// Exact `(jaccard, containment)` of each pair of shingle sets `(a[i], b[i])`.
#[pyfunction]
fn verify_sets(py: Python<'_>, a: Vec<Vec<u8>>, b: Vec<Vec<u8>>) -> PyResult<Vec<(f64, f64)>> {
    if a.len() != b.len() {
        return Err(PyValueError::new_err(format!(
            "verify_sets: {} sets against {}",
            a.len(),
            b.len()
        )));
    }
    Ok(py.allow_threads(|| {
        a.par_iter()
            .zip(b.par_iter())
            .map(|(x, y)| {
                let (x, y) = (decode_set(x), decode_set(y));
                (
                    chaff::shingle::jaccard(&x, &y),
                    chaff::shingle::containment(&x, &y),
                )
            })
            .collect()
    }))
}

/// Exact `(jaccard, containment)` of each pair of texts `(a[i], b[i])`, as `chaff dups`
/// verifies a candidate pair.
#[pyfunction]
fn verify_pairs(
    py: Python<'_>,
    a: Vec<String>,
    b: Vec<String>,
    opts: &Bound<'_, PyDict>,
) -> PyResult<Vec<(f64, f64)>> {
    if a.len() != b.len() {
        return Err(PyValueError::new_err(format!(
            "verify_pairs: {} texts against {}",
            a.len(),
            b.len()
        )));
    }
    let c = dups::Config {
        verify: dups::Verify::Exact,
        ..checked_dups_config(py, opts)?
    };
    let sk = sketcher(py, &c, true)?;
    Ok(py.allow_threads(|| {
        let (sa, sb) = (sk.sketch_batch(&strs(&a)), sk.sketch_batch(&strs(&b)));
        sa.par_iter()
            .zip(sb.par_iter())
            .map(|(x, y)| {
                let s = sk.similarity(x, y);
                (s.jaccard, s.containment)
            })
            .collect()
    }))
}

/// Candidate pairs `(a, b)`, `a < b`, of one band bucket (its members in increasing order), by
/// the library's rule ([`chaff::lsh::bucket_pairs`]).
#[pyfunction]
fn bucket_pairs(members: Vec<u32>) -> PyResult<Vec<(u32, u32)>> {
    if members.windows(2).any(|w| w[0] >= w[1]) {
        return Err(PyValueError::new_err(
            "bucket_pairs: members must be strictly increasing",
        ));
    }
    Ok(chaff::lsh::bucket_pairs(&members))
}

/// The chrome template line keys of each page (little-endian u64, repeats removed), what a
/// page adds to its source's template statistics.
#[pyfunction]
fn template_keys<'py>(py: Python<'py>, texts: Vec<String>) -> Vec<Bound<'py, PyBytes>> {
    let keys: Vec<Vec<u8>> = py.allow_threads(|| {
        texts
            .par_iter()
            .map(|t| {
                let mut k = chrome::template_keys(t);
                k.sort_unstable();
                k.dedup();
                u64_bytes(&k)
            })
            .collect()
    });
    keys.iter().map(|k| PyBytes::new(py, k)).collect()
}

/// Repeated passages among `texts` as JSON records (`id`/`of` are positions in `texts`).
#[pyfunction]
#[pyo3(name = "passages")]
fn py_passages(
    py: Python<'_>,
    texts: Vec<String>,
    opts: &Bound<'_, PyDict>,
) -> PyResult<Vec<String>> {
    let c = passages_config(opts)?;
    let found = py
        .allow_threads(|| {
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            passages::find_in_texts(&refs, &c)
        })
        .map_err(|e| to_py(py, e))?;
    json_lines(&found.records())
}

fn passages_config(opts: &Bound<'_, PyDict>) -> PyResult<passages::Config> {
    let mut c = passages::Config::default();
    if let Some(n) = opt(opts, "min_tokens")? {
        c.min_tokens = n;
    }
    if let Some(s) = opt(opts, "seed")? {
        c.hash.seed = s;
    }
    Ok(c)
}

fn json_lines<T: serde::Serialize>(records: &[T]) -> PyResult<Vec<String>> {
    records
        .iter()
        .map(|r| serde_json::to_string(r).map_err(|e| ChaffError::new_err(e.to_string())))
        .collect()
}

/// The documents written as a JSON Lines corpus the library reads like any other: one object
/// per line with `id`, `text` and, when given, `source`. The records keep their order, so a
/// record's line is its position + 1. Only `chrome` and `scan` take this path: the library's
/// chrome detection and scan read a [`Corpus`] (files), while `dups` reads in-memory [`Texts`].
struct TempCorpus {
    _dir: tempfile::TempDir,
    corpus: Corpus,
}

fn temp_corpus(
    py: Python<'_>,
    ids: &[String],
    texts: &[String],
    sources: Option<&[Option<String>]>,
    opts: &Bound<'_, PyDict>,
) -> PyResult<TempCorpus> {
    let mut read = ReadOptions::default();
    if let Some(limit) = opt::<u64>(opts, "max_doc_bytes")? {
        read.max_doc_bytes = limit;
    }
    let write = || -> std::io::Result<tempfile::TempDir> {
        let dir = tempfile::Builder::new().prefix("chaff-py").tempdir()?;
        let path = dir.path().join("data.jsonl");
        let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for (i, (id, text)) in ids.iter().zip(texts).enumerate() {
            let mut record = serde_json::Map::new();
            record.insert("id".into(), id.as_str().into());
            record.insert("text".into(), text.as_str().into());
            if let Some(Some(s)) = sources.map(|s| &s[i]) {
                record.insert("source".into(), s.as_str().into());
            }
            serde_json::to_writer(&mut out, &record)?;
            out.write_all(b"\n")?;
        }
        out.flush()?;
        Ok(dir)
    };
    let dir = py
        .allow_threads(write)
        .map_err(|e| ChaffError::new_err(format!("cannot write the temporary corpus: {e}")))?;
    let corpus = Corpus::open(&[dir.path().join("data.jsonl")], read).map_err(|e| to_py(py, e))?;
    Ok(TempCorpus { _dir: dir, corpus })
}

fn check_lengths(
    ids: &[String],
    texts: &[String],
    sources: Option<&[Option<String>]>,
) -> PyResult<()> {
    if ids.len() != texts.len() || sources.is_some_and(|s| s.len() != texts.len()) {
        return Err(PyValueError::new_err(format!(
            "{} ids, {} texts and {} sources: one of each per document",
            ids.len(),
            texts.len(),
            sources.map_or(texts.len(), <[_]>::len)
        )));
    }
    Ok(())
}

/// What a near-duplicate search found: the records (JSON, as `chaff dups --format json`
/// prints them) and, per duplicate, `(position, position of the document it duplicates,
/// cluster)`, plus each cluster's `(number, kept position, members)`.
type DupsResult = (
    Vec<String>,
    Vec<(u32, u32, usize)>,
    Vec<(usize, u32, Vec<u32>)>,
);

fn dups_result(outcome: &dups::Outcome) -> PyResult<DupsResult> {
    Ok((
        json_lines(&report::duplicate_records(outcome))?,
        outcome
            .duplicates
            .iter()
            .map(|d| (d.doc, d.of, d.cluster))
            .collect(),
        outcome
            .clusters
            .iter()
            .map(|c| (c.number, c.representative, c.members.clone()))
            .collect(),
    ))
}

/// Near-duplicate documents, exactly as `chaff dups` finds them.
#[pyfunction]
#[pyo3(name = "dups", signature = (ids, texts, sources, opts))]
fn py_dups(
    py: Python<'_>,
    ids: Vec<String>,
    texts: Vec<String>,
    sources: Option<Vec<Option<String>>>,
    opts: &Bound<'_, PyDict>,
) -> PyResult<DupsResult> {
    check_lengths(&ids, &texts, sources.as_deref())?;
    let c = checked_dups_config(py, opts)?;
    // In memory: the library reads `Texts` as it reads a file, numbering documents in order.
    let mut docs = Texts::new();
    let sources = sources.unwrap_or_default();
    let mut sources = sources.into_iter();
    for (id, text) in ids.into_iter().zip(texts) {
        docs.push(id, sources.next().flatten(), text);
    }
    let outcome = py
        .allow_threads(|| dups::find(&docs, &c))
        .map_err(|e| to_py(py, e))?;
    dups_result(&outcome)
}

/// Chrome lines as JSON records, exactly as `chaff chrome` finds them (syndicated copies from
/// a near-duplicate search with `opts`' settings unless `syndication` is false), and the
/// learned template statistics as `chaff chrome --learn` stores them (JSON).
#[pyfunction]
#[pyo3(name = "chrome", signature = (ids, texts, sources, opts))]
fn py_chrome(
    py: Python<'_>,
    ids: Vec<String>,
    texts: Vec<String>,
    sources: Option<Vec<Option<String>>>,
    opts: &Bound<'_, PyDict>,
) -> PyResult<(Vec<String>, String)> {
    check_lengths(&ids, &texts, sources.as_deref())?;
    let dc = checked_dups_config(py, opts)?;
    let config = chrome_config(py, opts)?;
    let syndication = opt::<bool>(opts, "syndication")?.unwrap_or(true);
    let temp = temp_corpus(py, &ids, &texts, sources.as_deref(), opts)?;
    let detection = py
        .allow_threads(|| {
            let clusters = if syndication {
                Some(dups::find(&temp.corpus, &dc)?.clusters)
            } else {
                None
            };
            chrome::detect_with_model(
                &temp.corpus,
                &config,
                clusters.as_deref(),
                &chrome::Model::default(),
            )
        })
        .map_err(|e| to_py(py, e))?;
    let records = detection.lines.records().map_err(|e| to_py(py, e))?;
    let model = model_json(py, &detection.model)?;
    Ok((json_lines(&records)?, model))
}

/// The model as `chaff chrome --learn` writes it (pruned), read back as text.
fn model_json(py: Python<'_>, model: &chrome::Model) -> PyResult<String> {
    let dir = tempfile::tempdir().map_err(|e| ChaffError::new_err(e.to_string()))?;
    let path = dir.path().join("model.json");
    let mut m = model.clone();
    m.prune();
    m.save(&path).map_err(|e| to_py(py, e))?;
    std::fs::read_to_string(&path).map_err(|e| ChaffError::new_err(e.to_string()))
}

fn chrome_config(py: Python<'_>, opts: &Bound<'_, PyDict>) -> PyResult<chrome::Config> {
    let mut c = chrome::Config::default();
    if let Some(n) = opt(opts, "min_pages")? {
        c.min_pages = n;
    }
    if let Some(s) = opt(opts, "min_share")? {
        c.min_share = s;
    }
    if let Some(t) = opt(opts, "chrome_threshold")? {
        c.threshold = Some(t);
    }
    c.validate().map_err(|e| to_py(py, e.into()))?;
    Ok(c)
}

/// All analyses at once, as `chaff scan` runs them: `(records, plan)` where `records` are the
/// JSON records of `chaff scan --format json` (duplicates, passages, chrome; no summary) and
/// `plan` is, per document position, `None` (kept whole), `"drop"` or the cleaned text, as
/// `chaff clean` writes it, then the removal log of `chaff clean --log`.
#[pyfunction]
#[pyo3(name = "scan", signature = (ids, texts, sources, opts, with_plan))]
#[allow(clippy::type_complexity)]
fn py_scan(
    py: Python<'_>,
    ids: Vec<String>,
    texts: Vec<String>,
    sources: Option<Vec<Option<String>>>,
    opts: &Bound<'_, PyDict>,
    with_plan: bool,
) -> PyResult<(
    Vec<String>,
    Option<(Vec<Option<(bool, String)>>, Vec<String>)>,
)> {
    check_lengths(&ids, &texts, sources.as_deref())?;
    let dc = checked_dups_config(py, opts)?;
    let pc = passages::Config {
        hash: dc.hash,
        ..passages_config(opts)?
    };
    pc.validate().map_err(|e| to_py(py, e.into()))?;
    let on = |name: &str| -> PyResult<bool> { Ok(opt::<bool>(opts, name)?.unwrap_or(true)) };
    let config = scan::Config {
        dups: on("dups")?.then_some(dc),
        passages: on("passages")?.then_some(pc),
        chrome: if on("chrome")? {
            Some(chrome_config(py, opts)?)
        } else {
            None
        },
        chrome_model: chrome::Model::default(),
        syndication: on("syndication")?,
        // The library's default budget; spilling never changes the findings.
        ..scan::Config::default()
    };
    let temp = temp_corpus(py, &ids, &texts, sources.as_deref(), opts)?;
    let findings = py
        .allow_threads(|| scan::scan(&temp.corpus, &config))
        .map_err(|e| to_py(py, e))?;
    let mut records = Vec::new();
    if let Some(d) = &findings.dups {
        records.extend(json_lines(&report::duplicate_records(d))?);
    }
    if let Some(p) = &findings.passages {
        records.extend(json_lines(&p.records())?);
    }
    if let Some(c) = &findings.chrome {
        let lines = c.lines.records().map_err(|e| to_py(py, e))?;
        records.extend(json_lines(&lines)?);
    }
    if !with_plan {
        return Ok((records, None));
    }
    let plan = findings.plan().map_err(|e| to_py(py, e))?;
    let edits = py
        .allow_threads(|| {
            texts
                .par_iter()
                .enumerate()
                .map(|(i, text)| {
                    Ok(match plan.edit(i as u32)? {
                        chaff::corpus::Edit::Keep => None,
                        chaff::corpus::Edit::Drop => Some((false, String::new())),
                        chaff::corpus::Edit::Cut(cuts) => {
                            Some((true, chaff::corpus::apply_cuts(text, &cuts)))
                        }
                    })
                })
                .collect::<chaff::Result<Vec<_>>>()
        })
        .map_err(|e| to_py(py, e))?;
    Ok((records, Some((edits, json_lines(&plan.log)?))))
}

fn u32_bytes(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

fn u64_bytes(v: &[u64]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// The native module.
#[pymodule]
fn _chaff(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ChaffError", py.get_type::<ChaffError>())?;
    m.add("ConfigError", py.get_type::<ConfigError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add_function(wrap_pyfunction!(banding, m)?)?;
    m.add_function(wrap_pyfunction!(signatures, m)?)?;
    m.add_function(wrap_pyfunction!(band_keys, m)?)?;
    m.add_function(wrap_pyfunction!(sketch, m)?)?;
    m.add_function(wrap_pyfunction!(shingle_sets, m)?)?;
    m.add_function(wrap_pyfunction!(verify_sets, m)?)?;
    m.add_function(wrap_pyfunction!(verify_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(template_keys, m)?)?;
    m.add_function(wrap_pyfunction!(py_passages, m)?)?;
    m.add_function(wrap_pyfunction!(py_dups, m)?)?;
    m.add_function(wrap_pyfunction!(py_chrome, m)?)?;
    m.add_function(wrap_pyfunction!(py_scan, m)?)?;
    // The huge-bucket bound of `chaff::lsh::bucket_pairs`, for `chaff.spark`'s candidate step.
    m.add("FULL_PAIRS_UP_TO", chaff::lsh::FULL_PAIRS_UP_TO)?;
    m.add_function(wrap_pyfunction!(bucket_pairs, m)?)?;
    // The fold tables' version that `chaff chrome --learn` stamps on a model, for
    // `chaff.spark.model_json`.
    m.add("NORMALIZATION_VERSION", chaff::text::NORMALIZATION_VERSION)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
