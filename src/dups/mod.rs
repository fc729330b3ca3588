//! Near-duplicate documents: the whole document-level pipeline over a corpus.
//!
//! Pass 1 streams the corpus once, computing each document's MinHash signature in parallel and
//! keeping only its LSH band keys (and the signature itself when `--verify estimate` needs it).
//! Band collisions give candidate pairs. Pass 2 (exact verification, the default) streams the
//! corpus again, rebuilds the shingle sets of candidate documents only, and keeps a pair when its
//! exact Jaccard similarity reaches the threshold or, with containment on, when one document is
//! mostly contained in the other (a truncated syndicated copy). A set is freed as soon as its last
//! partner has been seen, so memory follows the candidates, not the corpus.
//!
//! Confirmed pairs are joined into clusters by union-find; the representative kept by `clean` is
//! chosen by [`Keep`] (default: the first document in corpus order). Nothing depends on thread
//! count: documents are numbered in corpus order and every collection is sorted before use.
//!
//! Documents come from any [`DocumentSource`]: files ([`crate::corpus::Corpus`]) or texts in
//! memory ([`crate::corpus::Texts`]). The same search split into per-document sketches, an
//! order-independent merge and a decision, for documents signed in batches or on other
//! machines, is [`crate::sketch`]; both sign, band, confirm ([`accept`]) and cluster with the
//! same functions.

use crate::cluster::{self, Cluster, Keep};
use crate::corpus::{Document, DocumentSource};
use crate::lsh::{self, Params};
use crate::shingle;
use crate::sketch::{HashConfig, Scratch, Sketcher};
use crate::spill::Sorter;
use crate::{ConfigError, Result};

mod docs;
pub use docs::{DocInfo, Docs};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// How candidate pairs are confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub enum Verify {
    /// Exact Jaccard of the shingle sets (second pass over candidate documents).
    #[default]
    Exact,
    /// The MinHash estimate (no second pass; faster, within ~±0.07 at k=128).
    Estimate,
}

/// Everything that shapes the near-duplicate search.
#[derive(Debug, Clone)]
pub struct Config {
    /// Shingling, seed, folds, MinHash slots and scheme: what decides shingles, signatures and
    /// band keys, shared with passages, the sketches and the index. Its normalization version
    /// must be this build's ([`crate::text::NORMALIZATION_VERSION`], the default).
    pub hash: HashConfig,
    /// Jaccard similarity at which two documents are near-duplicates.
    pub threshold: f64,
    /// Banding override; `None` derives it from the threshold.
    pub bands: Option<Params>,
    /// How candidates are confirmed.
    pub verify: Verify,
    /// Containment at which a shorter document counts as a copy of a longer one; `None` = off.
    pub containment: Option<f64>,
    /// Which member of a cluster `clean` keeps.
    pub keep: Keep,
    /// Memory budget in bytes (default [`crate::spill::DEFAULT_MEMORY`]): the band keys of
    /// every document (16 bytes per band) beyond a quarter of it are sorted in runs on disk
    /// under `TMPDIR` (see [`crate::spill`]); the duplicates found do not depend on it.
    pub memory: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            hash: HashConfig::default(),
            threshold: 0.8,
            bands: None,
            verify: Verify::Exact,
            containment: Some(0.8),
            keep: Keep::First,
            memory: crate::spill::DEFAULT_MEMORY,
        }
    }
}

/// Shortest copy, relative to the longer document, that the containment banding is tuned for.
pub const CONTAINMENT_MIN_RATIO: f64 = 0.5;

impl Config {
    /// Refuses settings no search can run with: a shingle length of 0 or above
    /// [`shingle::MAX_WORDS`], slots outside [`minhash::MIN_SLOTS`]`..=`[`minhash::MAX_SLOTS`],
    /// a threshold or containment outside 0..=1 (or NaN; a containment of 0 would pair every
    /// document, `None` switches it off), a banding that does not fit the slots.
    ///
    /// [`minhash::MIN_SLOTS`]: crate::minhash::MIN_SLOTS
    /// [`minhash::MAX_SLOTS`]: crate::minhash::MAX_SLOTS
    pub fn validate(&self) -> std::result::Result<(), ConfigError> {
        self.hash.shingling.validate("dups.shingling")?;
        ConfigError::check_range(
            "dups.num_perm",
            self.hash.num_perm,
            crate::minhash::MIN_SLOTS..=crate::minhash::MAX_SLOTS,
        )?;
        self.hash.check_normalization("dups.normalization")?;
        ConfigError::check_unit("dups.threshold", self.threshold)?;
        if let Some(c) = self.containment {
            if !(c > 0.0 && c <= 1.0) {
                return Err(ConfigError::new(
                    "dups.containment",
                    c,
                    "above 0 and at most 1",
                ));
            }
        }
        if let Some(p) = self.bands {
            p.validate("dups.bands", self.hash.num_perm)?;
        }
        crate::spill::check_memory("dups.memory", self.memory)?;
        Ok(())
    }

    /// The banding for Jaccard candidates.
    pub fn params(&self) -> Params {
        self.bands
            .unwrap_or_else(|| Params::for_threshold(self.threshold, self.hash.num_perm))
    }

    /// The Jaccard similarity of a copy that is [`CONTAINMENT_MIN_RATIO`] as long as the
    /// original and contained in it at the containment threshold.
    pub fn containment_jaccard(&self) -> Option<f64> {
        let c = self.containment?;
        let s = CONTAINMENT_MIN_RATIO;
        Some(c * s / (1.0 + s - c * s))
    }

    /// The banding for containment candidates: at least 3 rows per band (fewer would make most
    /// unrelated pairs of a large corpus candidates), the most bands that fit.
    pub fn containment_params(&self) -> Option<Params> {
        let jc = self.containment_jaccard()?;
        let main = self.params();
        let p = Params::for_threshold(jc, self.hash.num_perm);
        let p = if p.rows < 3 {
            Params {
                rows: 3,
                bands: (self.hash.num_perm / 3).max(1),
            }
        } else {
            p
        };
        (p != main).then_some(p)
    }
}

/// A confirmed pair of near-duplicates (`a < b` in corpus order).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Pair {
    /// The earlier document.
    pub a: u32,
    /// The later document.
    pub b: u32,
    /// Jaccard similarity (exact or estimated, per [`Verify`]).
    pub jaccard: f64,
    /// Share of the smaller document's shingles found in the other.
    pub containment: f64,
}

/// One document reported as a duplicate of a kept one.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Duplicate {
    /// The duplicate.
    pub doc: u32,
    /// The document it duplicates: the cluster's representative when they were compared
    /// directly, otherwise its most similar confirmed partner.
    pub of: u32,
    /// Jaccard similarity of `doc` and `of`.
    pub similarity: f64,
    /// Containment of the smaller of the two in the other.
    pub containment: f64,
    /// Cluster number.
    pub cluster: usize,
}

/// Counts and timings of a search.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Stats {
    /// Documents read.
    pub documents: usize,
    /// Bytes of text read.
    pub bytes: u64,
    /// Documents without any token.
    pub empty: usize,
    /// Candidate pairs from LSH.
    pub candidates: usize,
    /// Pairs confirmed.
    pub confirmed: usize,
}

/// Result of a near-duplicate search.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Per document, by number.
    pub docs: Docs,
    /// Confirmed pairs, sorted.
    pub pairs: Vec<Pair>,
    /// Clusters of two or more documents.
    pub clusters: Vec<Cluster>,
    /// One record per document that `clean` would drop, in corpus order.
    pub duplicates: Vec<Duplicate>,
    /// Counts.
    pub stats: Stats,
}

/// A view of a document's text: the whole text, or the text minus ranges (chrome) to ignore.
pub type TextView<'a> = &'a (dyn Fn(&Document) -> std::borrow::Cow<'_, str> + Sync);

/// Finds near-duplicate documents among those of `source`: a [`Corpus`](crate::corpus::Corpus)
/// of files, or [`Texts`](crate::corpus::Texts) in memory. Documents are numbered in the
/// source's order, which decides the copy kept ([`Keep`]).
pub fn find(source: &dyn DocumentSource, config: &Config) -> Result<Outcome> {
    find_with_view(source, config, &whole_text)
}

/// The view of a document that is its whole text.
fn whole_text(d: &Document) -> std::borrow::Cow<'_, str> {
    std::borrow::Cow::Borrowed(d.text.as_str())
}

/// Like [`find`], comparing each document through `view` (e.g. its text minus chrome lines).
pub fn find_with_view(
    source: &dyn DocumentSource,
    config: &Config,
    view: TextView,
) -> Result<Outcome> {
    find_tapped(source, config, view, None::<&mut NoTap>)
}

/// A stage that takes the token hashes of each document's text from the near-duplicate
/// search as it signs them ([`find_sharing_tokens`]), instead of reading and tokenizing the
/// corpus itself: `chaff scan` selects passage fingerprints this way.
pub(crate) trait TokenTap: Sync {
    /// What one document's tokens give; made in parallel, one document at a time.
    type Sketch: Send;

    /// What document `doc`, whose token hashes (under the search's folds) are `tokens`, gives.
    fn sketch(&self, doc: &Document, tokens: &[u64]) -> Self::Sketch;

    /// Takes a batch of documents with their sketches, batches in corpus order.
    fn take(&mut self, batch: &[Document], sketches: Vec<Self::Sketch>) -> Result<()>;
}

/// The tap of a search that shares no tokens.
struct NoTap;

impl TokenTap for NoTap {
    type Sketch = ();
    fn sketch(&self, _: &Document, _: &[u64]) {}
    fn take(&mut self, _: &[Document], _: Vec<()>) -> Result<()> {
        Ok(())
    }
}

/// Like [`find`], handing `tap` the token hashes of every document's text as it is signed
/// (tokenized under `config.hash.folds`).
pub(crate) fn find_sharing_tokens(
    source: &dyn DocumentSource,
    config: &Config,
    tap: &mut impl TokenTap,
) -> Result<Outcome> {
    find_tapped(source, config, &whole_text, Some(tap))
}

fn find_tapped<T: TokenTap>(
    source: &dyn DocumentSource,
    config: &Config,
    view: TextView,
    mut tap: Option<&mut T>,
) -> Result<Outcome> {
    config.validate()?;
    let sketcher = Sketcher::new(config)?;
    let mut bands = BandKeys::new(config);
    let keep_signatures = config.verify == Verify::Estimate;
    let mut signatures: Vec<u32> = Vec::new();
    let mut docs = Docs::new();
    let mut stats = Stats::default();

    let k = config.hash.num_perm;
    // Per batch, one flat slot buffer; per thread, one shingle window and one distinct-counting
    // table, reused across documents: the loop allocates nothing per document but its id.
    let mut slots: Vec<u32> = Vec::new();
    source.for_each_batch(&mut |batch| {
        slots.clear();
        slots.resize(batch.len() * k, 0);
        let shared = tap.as_deref();
        let (shingles, sketches): (Vec<u32>, Vec<Option<T::Sketch>>) = batch
            .par_iter()
            .zip(slots.par_chunks_mut(k))
            .map_init(
                || (Scratch::default(), Vec::new()),
                |(scratch, tokens), (doc, slots)| match shared {
                    Some(tap) => {
                        tokens.clear();
                        let shingles = sketcher.sign_into(&view(doc), scratch, slots, Some(tokens));
                        (shingles, Some(tap.sketch(doc, tokens)))
                    }
                    None => (sketcher.sign_into(&view(doc), scratch, slots, None), None),
                },
            )
            .unzip();
        if let Some(tap) = tap.as_deref_mut() {
            tap.take(&batch, sketches.into_iter().flatten().collect())?;
        }
        for ((doc, shingles), slots) in batch.iter().zip(shingles).zip(slots.chunks(k)) {
            bands.insert(slots)?;
            if keep_signatures {
                signatures.extend_from_slice(slots);
            }
            stats.count(shingles, doc.text.len());
            docs.push(&doc.id, doc.source.as_deref(), shingles, doc.text.len());
        }
        Ok(())
    })?;

    let candidates = bands.candidates()?;
    let pairs = match config.verify {
        Verify::Estimate => verify_estimate(config, &candidates, &|d| {
            (
                &signatures[d as usize * k..(d as usize + 1) * k],
                docs.shingles(d),
            )
        }),
        Verify::Exact => verify_exact(source, config, &sketcher, view, &candidates)?,
    };
    Ok(conclude(config, docs, &candidates, pairs, stats))
}

/// The band keys `(key, band, document)` of every document of a search, under the main banding
/// and the containment banding (whose bands are numbered after the main one's), sorted in runs
/// on disk beyond a quarter of the budget: the part of a search that grows with the corpus.
/// Sorted, the documents sharing a key of a band are consecutive and in increasing order, the
/// buckets [`lsh::Index::candidates`] forms; the candidates are the same.
struct BandKeys {
    main: Params,
    contained: Option<Params>,
    keys: Sorter<(u64, u32, u32)>,
    documents: u32,
}

impl BandKeys {
    fn new(config: &Config) -> Self {
        BandKeys {
            main: config.params(),
            contained: config.containment_params(),
            keys: Sorter::new(config.memory / 4),
            documents: 0,
        }
    }

    /// Adds the next document by its signature (one without shingles is never a candidate).
    fn insert(&mut self, slots: &[u32]) -> Result<()> {
        let doc = self.documents;
        self.documents += 1;
        if slots
            .first()
            .is_none_or(|&s| s == crate::minhash::EMPTY_SLOT)
        {
            return Ok(());
        }
        let main = self.main;
        let keys = (0..main.bands).map(|b| (main.band_key(slots, b), b as u32, doc));
        self.keys.extend(keys)?;
        if let Some(c) = self.contained {
            let offset = main.bands as u32;
            let keys = (0..c.bands).map(|b| (c.band_key(slots, b), offset + b as u32, doc));
            self.keys.extend(keys)?;
        }
        Ok(())
    }

    /// The candidate pairs, sorted, each once.
    fn candidates(self) -> Result<Vec<(u32, u32)>> {
        let mut pairs = Vec::new();
        let mut bucket: Vec<u32> = Vec::new();
        let mut at: Option<(u64, u32)> = None;
        for record in self.keys.finish()? {
            let (key, band, doc) = record?;
            if at != Some((key, band)) {
                pairs.extend(lsh::bucket_pairs(&bucket));
                bucket.clear();
                at = Some((key, band));
            }
            bucket.push(doc);
        }
        pairs.extend(lsh::bucket_pairs(&bucket));
        pairs.par_sort_unstable();
        pairs.dedup();
        Ok(pairs)
    }
}

impl Stats {
    /// Counts one more document, of `shingles` distinct shingles and `bytes` of text.
    pub(crate) fn count(&mut self, shingles: u32, bytes: usize) {
        self.documents += 1;
        self.bytes += bytes as u64;
        if shingles == 0 {
            self.empty += 1;
        }
    }
}

/// The candidate pairs of the main banding and of the containment banding, sorted, each once.
pub(crate) fn candidate_pairs(
    main: &lsh::Index,
    contained: Option<&lsh::Index>,
) -> Vec<(u32, u32)> {
    let mut candidates = main.candidates();
    if let Some(c) = contained {
        candidates.extend(c.candidates());
        candidates.par_sort_unstable();
        candidates.dedup();
    }
    candidates
}

/// The candidates confirmed by the MinHash estimate; `sketch_of(d)` gives document `d`'s
/// signature and distinct-shingle count.
pub(crate) fn verify_estimate<'a>(
    config: &Config,
    candidates: &[(u32, u32)],
    sketch_of: &(dyn Fn(u32) -> (&'a [u32], u32) + Sync),
) -> Vec<Pair> {
    candidates
        .par_iter()
        .filter_map(|&(a, b)| {
            let ((sa, na), (sb, nb)) = (sketch_of(a), sketch_of(b));
            let j = crate::minhash::estimate(sa, sb);
            accept(config, a, b, j, containment_estimate(j, na, nb))
        })
        .collect()
}

/// Pair `(a, b)` confirmed (or not) from the two documents' sorted shingle fingerprint sets.
pub(crate) fn verify_sets(config: &Config, a: u32, b: u32, sa: &[u32], sb: &[u32]) -> Option<Pair> {
    let j = shingle::jaccard(sa, sb);
    let c = shingle::containment(sa, sb);
    accept(config, a, b, j, c)
}

/// The outcome of a search from its documents and confirmed pairs (sorted by `(a, b)`).
pub(crate) fn conclude(
    config: &Config,
    docs: Docs,
    candidates: &[(u32, u32)],
    pairs: Vec<Pair>,
    mut stats: Stats,
) -> Outcome {
    stats.candidates = candidates.len();
    stats.confirmed = pairs.len();
    let sizes: Vec<usize> = docs.shingle_counts().iter().map(|&n| n as usize).collect();
    let edges: Vec<(u32, u32)> = pairs.iter().map(|p| (p.a, p.b)).collect();
    let clusters = cluster::clusters(docs.len(), &edges, &sizes, config.keep);
    let duplicates = duplicates_of(&clusters, &pairs);
    Outcome {
        docs,
        pairs,
        clusters,
        duplicates,
        stats,
    }
}

/// Containment of the smaller set in the larger, from a Jaccard estimate and the set sizes:
/// |A∩B| = J·(|A|+|B|)/(1+J). Used where only signatures are at hand (`--verify estimate`, the
/// persistent index).
pub fn containment_estimate(jaccard: f64, a: u32, b: u32) -> f64 {
    let (a, b) = (a as f64, b as f64);
    let smaller = a.min(b);
    if smaller <= 0.0 {
        return 0.0;
    }
    (jaccard * (a + b) / (1.0 + jaccard) / smaller).min(1.0)
}

/// The acceptance rule of every near-duplicate decision (`dups`, `check` against an index, the
/// sketches' [`decide`](crate::sketch::Sketches::decide)): a pair is confirmed when its Jaccard
/// similarity reaches [`Config::threshold`] or, with containment on, the smaller document's
/// containment in the other reaches [`Config::containment`].
pub fn accept(config: &Config, a: u32, b: u32, jaccard: f64, containment: f64) -> Option<Pair> {
    let by_jaccard = jaccard >= config.threshold;
    let by_containment = config.containment.is_some_and(|c| containment >= c);
    (by_jaccard || by_containment).then_some(Pair {
        a,
        b,
        jaccard,
        containment,
    })
}

/// Second pass: exact Jaccard and containment of every candidate pair.
fn verify_exact(
    source: &dyn DocumentSource,
    config: &Config,
    sketcher: &Sketcher,
    view: TextView,
    candidates: &[(u32, u32)],
) -> Result<Vec<Pair>> {
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    // The last partner of each candidate document: its set can be freed once that one is seen.
    let mut last_partner: HashMap<u32, u32> = HashMap::new();
    for &(a, b) in candidates {
        for d in [a, b] {
            let e = last_partner.entry(d).or_insert(b);
            *e = (*e).max(b);
        }
    }
    let mut by_later: Vec<(u32, u32)> = candidates.to_vec();
    by_later.sort_unstable_by_key(|&(a, b)| (b, a));
    let mut next_pair = 0;
    let mut sets: HashMap<u32, Vec<u32>> = HashMap::new();
    // The held sets by their last partner, soonest first: each batch frees those it passed
    // without looking at the others. (Checking every held set after every batch cost time in
    // proportion to the sets held times the batches, 1.5 CPU s of `chrome` at 1M documents.)
    let mut expiry: BinaryHeap<Reverse<(u32, u32)>> = BinaryHeap::new();
    let mut confirmed = Vec::new();
    // Only candidate documents are parsed: the others are counted and skipped.
    let wanted = |number: u32| last_partner.contains_key(&number);
    source.for_each_selected_batch(&wanted, &mut |batch| {
        let Some(last) = batch.last().map(|d| d.number) else {
            return Ok(());
        };
        let built: Vec<(u32, Vec<u32>)> = batch
            .par_iter()
            .map_init(Vec::new, |window, d| {
                (d.number, sketcher.fingerprint_set(&view(d), window))
            })
            .collect();
        for (d, set) in built {
            expiry.push(Reverse((last_partner[&d], d)));
            sets.insert(d, set);
        }
        let start = next_pair;
        while next_pair < by_later.len() && by_later[next_pair].1 <= last {
            next_pair += 1;
        }
        let ready = &by_later[start..next_pair];
        let found: Vec<Pair> = ready
            .par_iter()
            .filter_map(|&(a, b)| verify_sets(config, a, b, sets.get(&a)?, sets.get(&b)?))
            .collect();
        confirmed.extend(found);
        while let Some(&Reverse((until, d))) = expiry.peek() {
            if until > last {
                break;
            }
            expiry.pop();
            sets.remove(&d);
        }
        Ok(())
    })?;
    confirmed.sort_by_key(|p| (p.a, p.b));
    Ok(confirmed)
}

fn duplicates_of(clusters: &[Cluster], pairs: &[Pair]) -> Vec<Duplicate> {
    let mut adjacency: HashMap<u32, Vec<&Pair>> = HashMap::new();
    for p in pairs {
        adjacency.entry(p.a).or_default().push(p);
        adjacency.entry(p.b).or_default().push(p);
    }
    let mut out = Vec::new();
    for c in clusters {
        for &d in &c.members {
            if d == c.representative {
                continue;
            }
            let edges = adjacency.get(&d).map(Vec::as_slice).unwrap_or_default();
            let other = |p: &Pair| if p.a == d { p.b } else { p.a };
            let best = edges
                .iter()
                .find(|p| other(p) == c.representative)
                .or_else(|| {
                    edges.iter().max_by(|x, y| {
                        x.jaccard
                            .total_cmp(&y.jaccard)
                            .then(other(y).cmp(&other(x)))
                    })
                });
            if let Some(p) = best {
                out.push(Duplicate {
                    doc: d,
                    of: other(p),
                    similarity: p.jaccard,
                    containment: p.containment,
                    cluster: c.number,
                });
            }
        }
    }
    out.sort_by_key(|d| d.doc);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ~36 MB of distinct texts of ~1 MB, some copied (a few words changed) later in the
    /// corpus. The exact check reads only the candidates (11 MB here, two batches): it must
    /// keep an early set until its last partner's batch and not after.
    #[test]
    fn pairs_batches_apart_are_verified_exactly() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut word = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            format!("w{}", state % 20_000)
        };
        let mut texts: Vec<String> = (0..36)
            .map(|_| (0..160_000).map(|_| word()).collect::<Vec<_>>().join(" "))
            .collect();
        // Later copy ← original: within a batch of the check and across its two batches
        // (document 0 has partners in both).
        let copies = [(0, 2), (0, 34), (3, 20), (6, 27), (10, 11), (15, 35)];
        for &(original, copy) in &copies {
            let mut words: Vec<String> = texts[original].split(' ').map(str::to_string).collect();
            for i in (0..words.len()).step_by(997) {
                words[i] = word();
            }
            texts[copy] = words.join(" ");
        }
        let source = crate::corpus::Texts::from_texts(texts);
        let outcome = find(&source, &Config::default()).expect("the search runs");
        let mut found: Vec<(u32, u32)> = outcome.pairs.iter().map(|p| (p.a, p.b)).collect();
        found.sort_unstable();
        // Documents 2 and 34 are copies of one original, so of each other too.
        let mut expected: Vec<(u32, u32)> =
            copies.iter().map(|&(a, b)| (a as u32, b as u32)).collect();
        expected.push((2, 34));
        expected.sort_unstable();
        assert_eq!(found, expected);
        assert!(outcome.pairs.iter().all(|p| p.jaccard > 0.9));
    }

    #[test]
    fn containment_of_a_half_copy_is_one() {
        // B inside A, |B| = |A|/2: J = 0.5, containment of B in A = 1.
        assert!((containment_estimate(0.5, 200, 100) - 1.0).abs() < 1e-9);
        assert_eq!(containment_estimate(0.0, 0, 10), 0.0);
    }
}
