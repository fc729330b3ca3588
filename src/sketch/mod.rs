//! Near-duplicate search split into sketch, reduce and decide, for callers that sign documents
//! in batches, in several processes or on several machines, and decide later.
//!
//! * **Sketch.** [`Sketcher::sketch`] turns one text into a [`DocSketch`]: its MinHash
//!   signature, its LSH band keys and its distinct-shingle count, plus (for exact verification,
//!   the default) the sorted set of its shingle fingerprints. A sketch depends on the text and
//!   the [`HashConfig`] only, never on the other documents; [`Sketcher::sketch_batch`] sketches
//!   many in parallel.
//! * **Reduce.** [`Sketches`] holds sketched documents by their corpus number;
//!   [`Sketches::merge`] unites two of them. Merging is commutative and associative (the
//!   documents are kept in number order, a number given twice is refused), so shards sketched
//!   anywhere and merged in any order give the same value, byte for byte once serialized.
//! * **Decide.** [`Sketches::decide`] bands the sketches, confirms the candidate pairs with the
//!   rule of [`crate::dups::accept`] and clusters them: the same [`crate::dups::Outcome`], and
//!   so the same records, as [`crate::dups::find`] over the same texts in the same order.
//!
//! The other analyses split the same way: passages ([`PassageSketcher`], [`PassageSketches`]:
//! winnowed fingerprints reduced to the groups that repeat, decided into the passages of
//! [`crate::passages::find_in_texts`]) and chrome ([`ChromeSketcher`], [`ChromeSketches`]: page
//! line keys reduced to per-source template counts, the model chrome detection judges with).
//! All three hash under one [`HashConfig`] (chrome lines with every fold on).
//!
//! Corpus numbering is explicit: every sketched document carries its `number`, the position in
//! the corpus that decides which copy is kept, and a decision needs every number `0..n` once.
//! Sketches record the hash configuration and banding that made them, with the normalization
//! version ([`crate::text::NORMALIZATION_VERSION`]); sketches made otherwise are refused by name
//! instead of silently matching nothing.
//!
//! ```
//! use chaff::corpus::{Corpus, ReadOptions};
//! use chaff::sketch::{Sketcher, TextDoc};
//! use chaff::{dups, report};
//!
//! // Four texts: 0 and 2 are near-duplicates (one word changed), 1 and 3 are unrelated.
//! let words = |tag: &str| (0..80).map(|i| format!("{tag}{i}")).collect::<Vec<_>>().join(" ");
//! let texts = [words("w"), words("x"), words("w").replace("w40 ", "changed "), words("y")];
//! let ids = ["a", "b", "c", "d"];
//! let doc = |n: usize| TextDoc { number: n as u32, id: ids[n], source: None, text: &texts[n] };
//!
//! // Two shards, sketched apart (in two processes, say), then merged in either order.
//! let config = dups::Config::default();
//! let sketcher = Sketcher::new(&config)?;
//! let first = sketcher.shard(&[doc(0), doc(1)])?;
//! let second = sketcher.shard(&[doc(2), doc(3)])?;
//! let merged = second.clone().merge(first.clone())?;
//! assert_eq!(merged, first.merge(second)?);
//! let decided = report::duplicate_records(&merged.decide(&config)?);
//!
//! // `chaff dups` on the same texts written to a file finds the same records.
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("corpus.jsonl");
//! let lines: Vec<String> = (0..4)
//!     .map(|n| serde_json::json!({"id": ids[n], "text": texts[n]}).to_string())
//!     .collect();
//! std::fs::write(&path, lines.join("\n"))?;
//! let corpus = Corpus::open(&[path], ReadOptions::default())?;
//! let found = report::duplicate_records(&dups::find(&corpus, &config)?);
//! assert_eq!(decided, found);
//! assert_eq!((decided[0].id.as_str(), decided[0].of.as_str()), ("c", "a"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::dups::{self, Config, DocInfo, Outcome, Stats, Verify};
use crate::lsh::{self, Params};
use crate::minhash::{Scheme, Signer};
use crate::shingle::{Shingle, Shingler, Shingling};
use crate::text::{Folds, Normalizer};
use crate::{Error, Result};
use distinct::Distinct;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

mod chrome;
mod distinct;
mod passages;

pub use chrome::{ChromeSketch, ChromeSketcher, ChromeSketches, SourceCounts};
pub use passages::{
    FingerprintGroup, PassageDoc, PassageHashing, PassageSketch, PassageSketcher, PassageSketches,
    SketchedPassages,
};

/// Everything that decides the value of a shingle, a signature and a band key: documents
/// hashed under two different hash configurations cannot be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashConfig {
    /// Shingle kind and length.
    pub shingling: Shingling,
    /// Seed of shingle hashing and MinHash.
    pub seed: u64,
    /// Normalization folds switched on.
    pub folds: Folds,
    /// MinHash slots.
    pub num_perm: usize,
    /// MinHash construction.
    pub scheme: Scheme,
    /// Version of the fold tables ([`crate::text::NORMALIZATION_VERSION`] of the build that
    /// hashed): the same folds switched on may fold differently in another version. Absent
    /// from what was stored before it was recorded, which used version 1.
    #[serde(default = "first_normalization")]
    pub normalization: u32,
}

fn first_normalization() -> u32 {
    1
}

impl Default for HashConfig {
    /// The hashing of [`crate::dups::Config::default`]: what every stage uses unless told
    /// otherwise.
    fn default() -> Self {
        HashConfig {
            shingling: Shingling::Words(5),
            seed: 0,
            folds: Folds::default(),
            num_perm: 128,
            scheme: Scheme::OnePermutation,
            normalization: crate::text::NORMALIZATION_VERSION,
        }
    }
}

impl HashConfig {
    /// The settings of `other` that differ from these, each as "name: X here, Y there".
    pub fn differences(&self, other: &HashConfig) -> Vec<String> {
        let mut out = Vec::new();
        let mut differ = |name: &str, ours: String, theirs: String| {
            if ours != theirs {
                out.push(format!("{name}: {ours} here, {theirs} there"));
            }
        };
        differ(
            "shingling",
            format!("{:?}", self.shingling),
            format!("{:?}", other.shingling),
        );
        differ("seed", self.seed.to_string(), other.seed.to_string());
        differ(
            "folds",
            format!("{:?}", self.folds),
            format!("{:?}", other.folds),
        );
        differ(
            "num_perm",
            self.num_perm.to_string(),
            other.num_perm.to_string(),
        );
        differ(
            "scheme",
            format!("{:?}", self.scheme),
            format!("{:?}", other.scheme),
        );
        differ(
            "normalization version",
            self.normalization.to_string(),
            other.normalization.to_string(),
        );
        out
    }
}

/// What the near-duplicate search needs of one document, computed from its text alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocSketch {
    /// MinHash signature: `num_perm` slots, all [`crate::minhash::EMPTY_SLOT`] when the text
    /// has no shingle.
    pub signature: Vec<u32>,
    /// LSH band keys: the main banding's, then the containment banding's (when it differs), so
    /// that a key's position is its band number, as the persistent index numbers bands. Empty
    /// when the text has no shingle: such a document matches nothing.
    pub band_keys: Vec<u64>,
    /// Number of distinct shingles.
    pub shingles: u32,
    /// Length of the text in bytes.
    pub bytes: u64,
    /// The distinct 32-bit fingerprints of its shingles, sorted: what exact verification
    /// compares. Present when the configuration verifies exactly ([`Verify::Exact`]).
    pub set: Option<Vec<u32>>,
}

/// Similarity of two sketched documents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Similarity {
    /// Jaccard similarity: exact when both sketches hold their sets, else the MinHash estimate.
    pub jaccard: f64,
    /// Containment of the smaller document in the other (exact, or derived from the estimate
    /// and the two shingle counts).
    pub containment: f64,
}

/// One text to sketch, with its corpus number and what it is reported as.
#[derive(Debug, Clone, Copy)]
pub struct TextDoc<'a> {
    /// Position in the corpus (0-based): decides which copy of a cluster is kept.
    pub number: u32,
    /// The id reported.
    pub id: &'a str,
    /// The source (site), when known.
    pub source: Option<&'a str>,
    /// The text.
    pub text: &'a str,
}

/// A sketched document: its corpus number, id and source, and its sketch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SketchedDoc {
    /// Position in the corpus (0-based).
    pub number: u32,
    /// The id reported.
    pub id: String,
    /// The source, when known.
    pub source: Option<String>,
    /// What the search needs of its text.
    pub sketch: DocSketch,
}

/// Per-thread scratch space of signing: a shingle window and a distinct-counting table.
#[derive(Default)]
pub(crate) struct Scratch {
    window: Vec<u64>,
    distinct: Distinct,
}

/// Computes [`DocSketch`]es under one near-duplicate configuration; cheap to share across
/// threads.
#[derive(Debug, Clone)]
pub struct Sketcher {
    config: Config,
    shingler: Shingler,
    signer: Signer,
    bands: Params,
    containment_bands: Option<Params>,
}

impl Sketcher {
    /// A sketcher for `config`, refused as [`Error::Config`] when
    /// [`Config::validate`] refuses it.
    pub fn new(config: &Config) -> Result<Sketcher> {
        config.validate()?;
        Ok(Sketcher {
            config: config.clone(),
            shingler: Shingler::new(
                config.hash.shingling,
                config.hash.seed,
                Normalizer::new(config.hash.folds),
            ),
            signer: Signer::new(config.hash.scheme, config.hash.num_perm, config.hash.seed),
            bands: config.params(),
            containment_bands: config.containment_params(),
        })
    }

    /// The configuration sketched for.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The sketch of one text.
    pub fn sketch(&self, text: &str) -> DocSketch {
        self.sketch_with(text, &mut Scratch::default())
    }

    /// The sketches of many texts, in their order, computed in parallel.
    pub fn sketch_batch(&self, texts: &[&str]) -> Vec<DocSketch> {
        texts
            .par_iter()
            .map_init(Scratch::default, |scratch, text| {
                self.sketch_with(text, scratch)
            })
            .collect()
    }

    /// The sketches of a shard of a corpus: documents numbered by the caller, in any order.
    /// Refuses a number given twice.
    pub fn shard(&self, docs: &[TextDoc<'_>]) -> Result<Sketches> {
        let texts: Vec<&str> = docs.iter().map(|d| d.text).collect();
        let sketched = docs
            .iter()
            .zip(self.sketch_batch(&texts))
            .map(|(d, sketch)| SketchedDoc {
                number: d.number,
                id: d.id.to_string(),
                source: d.source.map(str::to_string),
                sketch,
            })
            .collect();
        Sketches::from_docs(self, sketched)
    }

    /// The band keys of a signature, as [`DocSketch::band_keys`] holds them.
    pub fn band_keys(&self, signature: &[u32]) -> Vec<u64> {
        let mut keys = self.bands.band_keys(signature);
        if let Some(c) = self.containment_bands {
            keys.extend(c.band_keys(signature));
        }
        keys
    }

    /// Similarity of two documents sketched by this sketcher.
    pub fn similarity(&self, a: &DocSketch, b: &DocSketch) -> Similarity {
        match (&a.set, &b.set) {
            (Some(sa), Some(sb)) => Similarity {
                jaccard: crate::shingle::jaccard(sa, sb),
                containment: crate::shingle::containment(sa, sb),
            },
            _ => {
                let jaccard = crate::minhash::estimate(&a.signature, &b.signature);
                Similarity {
                    jaccard,
                    containment: dups::containment_estimate(jaccard, a.shingles, b.shingles),
                }
            }
        }
    }

    fn sketch_with(&self, text: &str, scratch: &mut Scratch) -> DocSketch {
        let mut signature = vec![0u32; self.signer.num_perm()];
        let mut set = (self.config.verify == Verify::Exact).then(Vec::new);
        let shingles = self.sign(text, scratch, &mut signature, set.as_mut());
        if let Some(set) = set.as_mut() {
            set.sort_unstable();
            set.dedup();
        }
        DocSketch {
            band_keys: self.band_keys(&signature),
            signature,
            shingles,
            bytes: text.len() as u64,
            set,
        }
    }

    /// Writes the signature of `text` into `slots` (length `num_perm`) and returns its number
    /// of distinct shingles: the signing step of every near-duplicate search.
    pub(crate) fn sign_into(&self, text: &str, scratch: &mut Scratch, slots: &mut [u32]) -> u32 {
        self.sign(text, scratch, slots, None)
    }

    /// One pass over the shingles of `text`: signature, distinct count, and (when asked) every
    /// shingle's fingerprint, unsorted.
    fn sign(
        &self,
        text: &str,
        scratch: &mut Scratch,
        slots: &mut [u32],
        mut set: Option<&mut Vec<u32>>,
    ) -> u32 {
        let Scratch { window, distinct } = scratch;
        distinct.clear();
        // MinHash ignores repeats, so shingles are signed as they come; only their distinct
        // count (kept per document) needs the set.
        let mut acc = self.signer.accumulator(slots);
        self.shingler.for_each_shingle(text, window, |s| {
            acc.add(s);
            distinct.insert(s);
            if let Some(set) = set.as_deref_mut() {
                set.push(fingerprint(s));
            }
        });
        acc.finish();
        distinct.len() as u32
    }

    /// The sorted distinct shingle fingerprints of each text, in their order, computed in
    /// parallel: [`DocSketch::set`] alone, for a caller (the Python binding's Spark helpers)
    /// that ships sets to where pairs are verified without the rest of the sketch.
    pub fn fingerprint_sets(&self, texts: &[&str]) -> Vec<Vec<u32>> {
        texts
            .par_iter()
            .map_init(Vec::new, |window, text| self.fingerprint_set(text, window))
            .collect()
    }

    /// The sorted distinct shingle fingerprints of `text`, as exact verification compares them.
    pub(crate) fn fingerprint_set(&self, text: &str, window: &mut Vec<u64>) -> Vec<u32> {
        let mut set = Vec::new();
        self.shingler
            .for_each_shingle(text, window, |s| set.push(fingerprint(s)));
        set.sort_unstable();
        set.dedup();
        set
    }
}

/// 32 bits of a shingle hash: sets of a few thousand shingles collide with probability ~10^-3
/// per pair, far below what would move a similarity across a threshold.
#[inline]
fn fingerprint(s: Shingle) -> u32 {
    (s ^ (s >> 32)) as u32
}

/// Sketched documents of (part of) a corpus, in number order, with the settings that made
/// them: the value that shards reduce into. Serializable, so that shards can travel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sketches {
    hash: HashConfig,
    bands: Params,
    containment_bands: Option<Params>,
    /// Whether every sketch holds its shingle set (exact verification).
    exact: bool,
    docs: Vec<SketchedDoc>,
}

impl Sketches {
    /// No documents yet, with the settings of `sketcher`: the identity of [`Sketches::merge`].
    pub fn empty(sketcher: &Sketcher) -> Sketches {
        Sketches {
            hash: sketcher.config.hash,
            bands: sketcher.bands,
            containment_bands: sketcher.containment_bands,
            exact: sketcher.config.verify == Verify::Exact,
            docs: Vec::new(),
        }
    }

    /// Documents sketched by `sketcher`, in any order; refuses a number given twice and a
    /// sketch of another shape than `sketcher` makes.
    pub fn from_docs(sketcher: &Sketcher, mut docs: Vec<SketchedDoc>) -> Result<Sketches> {
        docs.sort_by_key(|d| d.number);
        if let Some(w) = docs.windows(2).find(|w| w[0].number == w[1].number) {
            return Err(Error::Sketches(format!(
                "document number {} is given twice (ids {:?} and {:?})",
                w[0].number, w[0].id, w[1].id
            )));
        }
        let sketches = Sketches {
            docs,
            ..Sketches::empty(sketcher)
        };
        sketches.check_shapes()?;
        Ok(sketches)
    }

    /// The hash configuration the sketches were made with.
    pub fn hash(&self) -> HashConfig {
        self.hash
    }

    /// The sketched documents, in number order.
    pub fn docs(&self) -> &[SketchedDoc] {
        &self.docs
    }

    /// Number of documents.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when there is no document.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The union of two sets of sketches: commutative and associative, so shards merge in any
    /// order into the same value. Refuses sketches made with other settings (naming them) and
    /// a document number present in both.
    pub fn merge(self, other: Sketches) -> Result<Sketches> {
        let differences = self.settings_differences(
            &other.hash,
            other.bands,
            other.containment_bands,
            other.exact,
        );
        if !differences.is_empty() {
            return Err(Error::Sketches(format!(
                "cannot merge sketches made with other settings: {}",
                differences.join("; ")
            )));
        }
        let docs = merge_numbered(self.docs, other.docs, "sketches", |d| (d.number, &d.id))?;
        Ok(Sketches { docs, ..self })
    }

    /// Near-duplicates among the sketched documents: the outcome [`crate::dups::find`] gives
    /// over the same texts numbered the same way. Needs every number `0..n` once, a
    /// configuration whose hashing and banding are those of the sketches, and, for exact
    /// verification, sketches that hold their sets.
    pub fn decide(&self, config: &Config) -> Result<Outcome> {
        config.validate()?;
        let differences = self.settings_differences(
            &config.hash,
            config.params(),
            config.containment_params(),
            self.exact,
        );
        if !differences.is_empty() {
            return Err(Error::Sketches(format!(
                "the sketches were made with other settings than this search: {}",
                differences.join("; ")
            )));
        }
        if config.verify == Verify::Exact && !self.exact {
            return Err(Error::Sketches(
                "exact verification needs sketches with shingle sets (sketch with \
                 Verify::Exact, or decide with Verify::Estimate)"
                    .into(),
            ));
        }
        check_numbering(self.docs.iter().map(|d| d.number))?;
        self.check_shapes()?;
        let main_bands = self.bands.bands;
        let mut main = lsh::Index::new(self.bands);
        let mut contained = self.containment_bands.map(lsh::Index::new);
        let mut infos = Vec::with_capacity(self.docs.len());
        let mut stats = Stats::default();
        for d in &self.docs {
            let keys = &d.sketch.band_keys;
            let (main_keys, contained_keys) = keys.split_at(keys.len().min(main_bands));
            main.insert_keys(main_keys);
            if let Some(c) = contained.as_mut() {
                c.insert_keys(contained_keys);
            }
            let info = DocInfo {
                id: d.id.clone(),
                source: d.source.clone(),
                shingles: d.sketch.shingles,
                bytes: d.sketch.bytes as usize,
            };
            stats.count(&info);
            infos.push(info);
        }
        let candidates = dups::candidate_pairs(&main, contained.as_ref());
        let sketch = |d: u32| &self.docs[d as usize].sketch;
        let pairs = match config.verify {
            Verify::Estimate => dups::verify_estimate(config, &candidates, &|d| {
                (sketch(d).signature.as_slice(), sketch(d).shingles)
            }),
            Verify::Exact => candidates
                .par_iter()
                .filter_map(|&(a, b)| {
                    let (sa, sb) = (sketch(a).set.as_deref()?, sketch(b).set.as_deref()?);
                    dups::verify_sets(config, a, b, sa, sb)
                })
                .collect(),
        };
        Ok(dups::conclude(config, infos, &candidates, pairs, stats))
    }

    /// How these sketches' settings differ from the given ones.
    fn settings_differences(
        &self,
        hash: &HashConfig,
        bands: Params,
        containment_bands: Option<Params>,
        exact: bool,
    ) -> Vec<String> {
        let mut out = self.hash.differences(hash);
        if self.bands != bands || self.containment_bands != containment_bands {
            out.push(format!(
                "banding: {:?} + containment {:?} here, {bands:?} + containment \
                 {containment_bands:?} there",
                self.bands, self.containment_bands
            ));
        }
        if self.exact != exact {
            out.push(format!(
                "shingle sets: {} here, {} there",
                presence(self.exact),
                presence(exact)
            ));
        }
        out
    }

    /// Refuses sketches whose signatures, band keys or sets do not have the shape of these
    /// settings (sketches deserialized from elsewhere, or edited).
    fn check_shapes(&self) -> Result<()> {
        let keys = self.bands.bands + self.containment_bands.map_or(0, |c| c.bands);
        for d in &self.docs {
            let s = &d.sketch;
            let wrong = if s.signature.len() != self.hash.num_perm {
                Some(format!(
                    "a signature of {} slots, not {}",
                    s.signature.len(),
                    self.hash.num_perm
                ))
            } else if !s.band_keys.is_empty() && s.band_keys.len() != keys {
                Some(format!("{} band keys, not {keys}", s.band_keys.len()))
            } else if s.band_keys.is_empty() != (s.shingles == 0) {
                Some("band keys that disagree with its shingle count".to_string())
            } else if s.set.is_some() != self.exact {
                Some(format!("shingle set {}", presence(s.set.is_some())))
            } else {
                None
            };
            if let Some(wrong) = wrong {
                return Err(Error::Sketches(format!(
                    "document number {} ({:?}) has {wrong}",
                    d.number, d.id
                )));
            }
        }
        Ok(())
    }
}

/// The union of two lists sorted by `key`, sorted by `key`: the same list whichever comes
/// first. Refuses an item whose key is in both (`clash` says which).
pub(crate) fn merge_sorted<T, K: Ord>(
    a: Vec<T>,
    b: Vec<T>,
    key: impl Fn(&T) -> K,
    clash: impl Fn(&T, &T) -> Error,
) -> Result<Vec<T>> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match key(x).cmp(&key(y)) {
                std::cmp::Ordering::Equal => return Err(clash(x, y)),
                std::cmp::Ordering::Less => a.next(),
                std::cmp::Ordering::Greater => b.next(),
            },
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => return Ok(out),
        };
        out.extend(next);
    }
}

/// The union of two lists of documents sorted by number, refusing a number in both (naming
/// the two ids and `what` was merged).
pub(crate) fn merge_numbered<T>(
    a: Vec<T>,
    b: Vec<T>,
    what: &str,
    number_and_id: impl Fn(&T) -> (u32, &str),
) -> Result<Vec<T>> {
    merge_sorted(
        a,
        b,
        |d| number_and_id(d).0,
        |x, y| {
            let ((number, x), (_, y)) = (number_and_id(x), number_and_id(y));
            Error::Sketches(format!(
                "document number {number} is in both {what} (ids {x:?} and {y:?})"
            ))
        },
    )
}

/// Refuses document numbers (ascending) that are not `0..n`, each once: a decision needs
/// every document of the corpus.
pub(crate) fn check_numbering(numbers: impl Iterator<Item = u32>) -> Result<()> {
    for (i, number) in numbers.enumerate() {
        if number as usize != i {
            return Err(Error::Sketches(format!(
                "document number {i} is missing (the next one is {number}): a decision needs \
                 every document of the corpus, numbered from 0"
            )));
        }
    }
    Ok(())
}

fn presence(present: bool) -> &'static str {
    if present {
        "present"
    } else {
        "absent"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_sets_are_the_sets_exact_sketches_hold() {
        let sketcher = Sketcher::new(&Config::default()).unwrap();
        let texts = [
            "the quick brown fox jumps over the lazy dog and the quick brown fox runs",
            "",
            "one two three four five six seven eight nine ten eleven twelve",
        ];
        let sets = sketcher.fingerprint_sets(&texts);
        let sketches = sketcher.sketch_batch(&texts);
        assert_eq!(sets.len(), texts.len());
        for (set, sketch) in sets.iter().zip(&sketches) {
            assert_eq!(Some(set), sketch.set.as_ref());
            assert!(set.windows(2).all(|w| w[0] < w[1]));
        }
        assert!(sets[1].is_empty());
        assert!(!sets[0].is_empty());
    }
}
