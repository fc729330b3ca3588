//! Near-duplicate sketches: a document's signature, band keys and shingle count ([`Sketcher`]),
//! reduced into [`Sketches`] and decided into the outcome of [`crate::dups::find`].

use super::distinct::Distinct;
use super::{check_numbering, merge_numbered, HashConfig, TextDoc};
use crate::dups::{self, Config, Docs, Outcome, Stats, Verify};
use crate::lsh::{self, Params};
use crate::minhash::Signer;
use crate::shingle::{Shingle, Shingler};
use crate::text::Normalizer;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

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
        let shingles = self.sign(text, scratch, &mut signature, set.as_mut(), None);
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
    /// Appends to `tokens`, when given, the hash of every token of `text` (see
    /// [`Shingler::for_each_shingle_and_token`]).
    pub(crate) fn sign_into(
        &self,
        text: &str,
        scratch: &mut Scratch,
        slots: &mut [u32],
        tokens: Option<&mut Vec<u64>>,
    ) -> u32 {
        self.sign(text, scratch, slots, None, tokens)
    }

    /// One pass over the shingles of `text`: signature, distinct count, (when asked) every
    /// shingle's fingerprint, unsorted, and every token's hash.
    fn sign(
        &self,
        text: &str,
        scratch: &mut Scratch,
        slots: &mut [u32],
        mut set: Option<&mut Vec<u32>>,
        tokens: Option<&mut Vec<u64>>,
    ) -> u32 {
        let Scratch { window, distinct } = scratch;
        distinct.clear();
        // MinHash ignores repeats, so shingles are signed as they come; only their distinct
        // count (kept per document) needs the set.
        let mut acc = self.signer.accumulator(slots);
        self.shingler
            .for_each_shingle_and_token(text, window, tokens, |s| {
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
        let mut infos = Docs::new();
        let mut stats = Stats::default();
        for d in &self.docs {
            let keys = &d.sketch.band_keys;
            let (main_keys, contained_keys) = keys.split_at(keys.len().min(main_bands));
            main.insert_keys(main_keys);
            if let Some(c) = contained.as_mut() {
                c.insert_keys(contained_keys);
            }
            let (shingles, bytes) = (d.sketch.shingles, d.sketch.bytes as usize);
            stats.count(shingles, bytes);
            infos.push(&d.id, d.source.as_deref(), shingles, bytes);
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
