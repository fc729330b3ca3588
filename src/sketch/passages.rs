//! Repeated passages split into sketch, reduce and decide.
//!
//! * **Sketch.** [`PassageSketcher::sketch`] turns one text into a [`PassageSketch`]: its
//!   winnowed fingerprints (Schleimer, Wilkerson and Aiken 2003) with their token positions,
//!   exactly those pass 1 of [`crate::passages::find`] keeps of the document. A sketch depends
//!   on the text and the hashing settings only.
//! * **Reduce.** [`PassageSketches`] holds the fingerprints of numbered documents sorted by
//!   `(hash, document, position)`; [`PassageSketches::merge`] unites two of them. Merging is
//!   commutative and associative (a document number given twice is refused), so shards
//!   sketched anywhere and merged in any order give the same value, byte for byte once
//!   serialized. [`PassageSketches::groups`] names the fingerprints that repeat and where.
//! * **Decide.** [`PassageSketches::decide`] extends the repeated fingerprints against the
//!   texts to maximal passages: the passages and counts of [`crate::passages::find_in_texts`]
//!   over the same texts in the same order.
//!
//! Every repeat of at least `min_tokens` tokens shares a fingerprint at corresponding
//! positions (see [`crate::passages`]), so the groups of the reduced sketches are all a
//! decision needs besides the texts holding a repeated fingerprint.

use super::{HashConfig, TextDoc};
use crate::passages::{self, Config, Fingerprint, Occurrence, Outcome, Stats};
use crate::text::Normalizer;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// What decides the fingerprints of a text: two passage sketches are comparable only when
/// these are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageHashing {
    /// Seed, folds and normalization version of token and shingle hashing (the shingling, slot
    /// count and MinHash scheme of a [`HashConfig`] do not enter passage fingerprints).
    pub hash: HashConfig,
    /// Tokens per shingle ([`Config::k`]).
    pub shingle: usize,
    /// Shingles per winnowing window ([`Config::window`]).
    pub window: usize,
}

impl PassageHashing {
    /// The hashing of a passage search.
    pub fn of(config: &Config) -> PassageHashing {
        PassageHashing {
            hash: config.hash,
            shingle: config.k(),
            window: config.window(),
        }
    }

    /// The settings of `other` that differ from these and change fingerprints, each as
    /// "name: X here, Y there".
    pub fn differences(&self, other: &PassageHashing) -> Vec<String> {
        let mut out: Vec<String> = self
            .hash
            .differences(&other.hash)
            .into_iter()
            .filter(|d| {
                ["seed:", "folds:", "normalization version:"]
                    .iter()
                    .any(|name| d.starts_with(name))
            })
            .collect();
        for (name, ours, theirs) in [
            ("passage shingle", self.shingle, other.shingle),
            ("passage window", self.window, other.window),
        ] {
            if ours != theirs {
                out.push(format!("{name}: {ours} here, {theirs} there"));
            }
        }
        out
    }
}

/// What the passage search needs of one document, computed from its text alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageSketch {
    /// Length of the text in bytes.
    pub bytes: u64,
    /// Winnowed fingerprints, in token order: hash and index of the shingle's first token.
    pub fingerprints: Vec<Fingerprint>,
}

/// Computes [`PassageSketch`]es under one passage configuration; cheap to share across threads.
#[derive(Debug, Clone)]
pub struct PassageSketcher {
    config: Config,
    normalizer: Normalizer,
}

impl PassageSketcher {
    /// A sketcher for `config`, refused as [`Error::Config`] when [`Config::validate`] refuses
    /// it.
    pub fn new(config: &Config) -> Result<PassageSketcher> {
        config.validate()?;
        Ok(PassageSketcher {
            config: config.clone(),
            normalizer: Normalizer::new(config.hash.folds),
        })
    }

    /// The configuration sketched for.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The sketch of one text.
    pub fn sketch(&self, text: &str) -> PassageSketch {
        self.sketch_with(text, &mut Vec::new())
    }

    /// The sketches of many texts, in their order, computed in parallel.
    pub fn sketch_batch(&self, texts: &[&str]) -> Vec<PassageSketch> {
        texts
            .par_iter()
            .map_init(Vec::new, |hashes, text| self.sketch_with(text, hashes))
            .collect()
    }

    /// The reduced sketches of a shard of a corpus: documents numbered by the caller, in any
    /// order. Refuses a number given twice.
    pub fn shard(&self, docs: &[TextDoc<'_>]) -> Result<PassageSketches> {
        let texts: Vec<&str> = docs.iter().map(|d| d.text).collect();
        let sketched = docs
            .iter()
            .zip(self.sketch_batch(&texts))
            .map(|(d, sketch)| SketchedPassages {
                number: d.number,
                id: d.id.to_string(),
                source: d.source.map(str::to_string),
                sketch,
            })
            .collect();
        PassageSketches::from_docs(self, sketched)
    }

    /// The sketch of one text, leaving its token hashes in `hashes` (the index keeps a byte of
    /// each beside the sketch).
    pub(crate) fn sketch_with(&self, text: &str, hashes: &mut Vec<u64>) -> PassageSketch {
        hashes.clear();
        self.normalizer
            .for_each_token(text, |t| hashes.push(t.hash));
        PassageSketch {
            bytes: text.len() as u64,
            fingerprints: passages::fingerprints_of_hashes(hashes, &self.config),
        }
    }
}

/// A sketched document: its corpus number, id and source, and its passage sketch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SketchedPassages {
    /// Position in the corpus (0-based): earlier documents hold the first copy of a repeat.
    pub number: u32,
    /// The id reported.
    pub id: String,
    /// The source, when known.
    pub source: Option<String>,
    /// Its fingerprints.
    pub sketch: PassageSketch,
}

/// A document of the reduced sketches, without its fingerprints (those sit in one sorted list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageDoc {
    /// Position in the corpus (0-based).
    pub number: u32,
    /// The id reported.
    pub id: String,
    /// The source, when known.
    pub source: Option<String>,
    /// Length of its text in bytes.
    pub bytes: u64,
}

/// One fingerprint hash and every place it was selected, in corpus order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FingerprintGroup {
    /// The shingle hash.
    pub hash: u64,
    /// `(document number, token position)` of each occurrence, ascending.
    pub occurrences: Vec<(u32, u32)>,
}

/// Passage fingerprints of (part of) a corpus, with the settings that made them: the value
/// shards reduce into. Serializable, so that shards can travel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassageSketches {
    hashing: PassageHashing,
    docs: Vec<PassageDoc>,
    /// `(hash, document number, token position)`, ascending.
    prints: Vec<(u64, u32, u32)>,
}

impl PassageSketches {
    /// No documents yet, with the settings of `sketcher`: the identity of
    /// [`PassageSketches::merge`].
    pub fn empty(sketcher: &PassageSketcher) -> PassageSketches {
        PassageSketches {
            hashing: PassageHashing::of(&sketcher.config),
            docs: Vec::new(),
            prints: Vec::new(),
        }
    }

    /// Documents sketched by `sketcher`, in any order; refuses a number given twice.
    pub fn from_docs(
        sketcher: &PassageSketcher,
        mut docs: Vec<SketchedPassages>,
    ) -> Result<PassageSketches> {
        docs.sort_by_key(|d| d.number);
        if let Some(w) = docs.windows(2).find(|w| w[0].number == w[1].number) {
            return Err(Error::Sketches(format!(
                "document number {} is given twice (ids {:?} and {:?})",
                w[0].number, w[0].id, w[1].id
            )));
        }
        let mut prints: Vec<(u64, u32, u32)> = docs
            .iter()
            .flat_map(|d| {
                d.sketch
                    .fingerprints
                    .iter()
                    .map(move |f| (f.hash, d.number, f.pos))
            })
            .collect();
        prints.par_sort_unstable();
        Ok(PassageSketches {
            docs: docs
                .into_iter()
                .map(|d| PassageDoc {
                    number: d.number,
                    id: d.id,
                    source: d.source,
                    bytes: d.sketch.bytes,
                })
                .collect(),
            prints,
            ..PassageSketches::empty(sketcher)
        })
    }

    /// The settings the sketches were made with.
    pub fn hashing(&self) -> PassageHashing {
        self.hashing
    }

    /// The sketched documents, in number order.
    pub fn docs(&self) -> &[PassageDoc] {
        &self.docs
    }

    /// Number of fingerprints held.
    pub fn fingerprints(&self) -> usize {
        self.prints.len()
    }

    /// The union of two sets of sketches: commutative and associative, so shards merge in any
    /// order into the same value. Refuses sketches made with other settings (naming them) and
    /// a document number present in both.
    pub fn merge(self, other: PassageSketches) -> Result<PassageSketches> {
        let differences = self.hashing.differences(&other.hashing);
        if !differences.is_empty() {
            return Err(Error::Sketches(format!(
                "cannot merge passage sketches made with other settings: {}",
                differences.join("; ")
            )));
        }
        let docs = super::merge_numbered(self.docs, other.docs, "passage sketches", |d| {
            (d.number, &d.id)
        })?;
        // Numbers are disjoint, so no two fingerprints are equal and the merge has one order.
        let prints = super::merge_sorted(
            self.prints,
            other.prints,
            |p| *p,
            |_, _| unreachable!("fingerprints of disjoint documents differ"),
        )?;
        Ok(PassageSketches {
            hashing: self.hashing,
            docs,
            prints,
        })
    }

    /// The fingerprints selected in more than one place (in one document or several), by hash,
    /// each with its occurrences in corpus order: the seeds of every repeated passage.
    pub fn groups(&self) -> Vec<FingerprintGroup> {
        self.prints
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|g| g.len() > 1)
            .map(|g| FingerprintGroup {
                hash: g[0].0,
                occurrences: g.iter().map(|p| (p.1, p.2)).collect(),
            })
            .collect()
    }

    /// The repeated passages among the sketched documents, given their texts by number
    /// (`texts[n]` is document `n`): the passages and counts [`crate::passages::find_in_texts`]
    /// gives over the same texts, with the sketches' ids. Needs every number `0..n` once, a
    /// configuration hashing as the sketches did, and texts of the lengths sketched.
    pub fn decide(&self, config: &Config, texts: &[&str]) -> Result<Outcome> {
        config.validate()?;
        let differences = self.hashing.differences(&PassageHashing::of(config));
        if !differences.is_empty() {
            return Err(Error::Sketches(format!(
                "the passage sketches were made with other settings than this search: {}",
                differences.join("; ")
            )));
        }
        super::check_numbering(self.docs.iter().map(|d| d.number))?;
        if texts.len() != self.docs.len() {
            return Err(Error::Sketches(format!(
                "{} texts given for {} sketched documents",
                texts.len(),
                self.docs.len()
            )));
        }
        if let Some(d) = self
            .docs
            .iter()
            .find(|d| d.bytes != texts[d.number as usize].len() as u64)
        {
            return Err(Error::Sketches(format!(
                "document number {} ({:?}) was sketched from {} bytes, not the {} given",
                d.number,
                d.id,
                d.bytes,
                texts[d.number as usize].len()
            )));
        }
        let stats = Stats {
            documents: self.docs.len() as u64,
            bytes: self.docs.iter().map(|d| d.bytes).sum(),
            fingerprints: self.prints.len() as u64,
            ..Stats::default()
        };
        let repeats = passages::repeated(
            self.prints
                .iter()
                .map(|&(hash, doc, pos)| (hash, Occurrence { doc, pos }))
                .collect(),
        );
        let mut outcome = passages::extend_texts(repeats, texts, config, stats)?;
        for (n, id) in outcome.ids.iter_mut() {
            id.clone_from(&self.docs[*n as usize].id);
        }
        Ok(outcome)
    }
}
