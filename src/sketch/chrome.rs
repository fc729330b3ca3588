//! Chrome template statistics split into sketch and reduce.
//!
//! * **Sketch.** [`ChromeSketcher::sketch`] turns one page into a [`ChromeSketch`]: its source
//!   and the distinct line keys it contributes to its source's template statistics (each
//!   non-blank line's shape with the half of the page it lies in, and line labels), exactly as
//!   [`crate::chrome::Model::add_page`] counts them in [`crate::chrome::detect_with_model`].
//! * **Reduce.** [`ChromeSketches`] counts pages per source and, per line key, the pages that
//!   carry it (Bar-Yossef and Rajagopalan 2002, template detection by corpus frequency).
//!   Counts add, so [`ChromeSketches::merge`] is commutative and associative and shards merged in
//!   any order give the same value, byte for byte once serialized (sources and keys are kept in
//!   sorted maps). Unlike a saved [`Model`], nothing is pruned: a key seen once in two shards
//!   still counts two.
//! * **Decide.** [`ChromeSketches::model`] is the model chrome detection judges lines with
//!   ([`crate::chrome::detect_with_model`] as a prior, [`crate::chrome::detect_text`] for one
//!   page); saved, it is the file `chaff chrome --learn` writes.
//!
//! Pages are counted, not numbered: a page sketched twice counts twice. Near-duplicate copies of
//! an article count as a page without keys in `chaff chrome` (their shared subheadings are the
//! article's, not the site's); [`ChromeSketch::copy`] makes such a sketch.

use crate::chrome::{template_keys, Model, SourceStats};
use crate::text::NORMALIZATION_VERSION;
use crate::{Error, Result};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the template statistics need of one page, computed from its text alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChromeSketch {
    /// The page's source (site), when known; pages without one are counted under `""`.
    pub source: Option<String>,
    /// Its distinct line keys, ascending.
    pub keys: Vec<u64>,
}

impl ChromeSketch {
    /// The sketch of a page counted without its lines (a near-duplicate copy of an earlier
    /// page).
    pub fn copy(source: Option<&str>) -> ChromeSketch {
        ChromeSketch {
            source: source.map(str::to_string),
            keys: Vec::new(),
        }
    }
}

/// Computes [`ChromeSketch`]es. Chrome lines are folded with every fold on (the line shapes do
/// not depend on the folds a search switches off), so it needs no configuration.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChromeSketcher;

impl ChromeSketcher {
    /// The sketch of one page of `source`.
    pub fn sketch(&self, text: &str, source: Option<&str>) -> ChromeSketch {
        let mut keys = template_keys(text);
        keys.sort_unstable();
        keys.dedup();
        ChromeSketch {
            source: source.map(str::to_string),
            keys,
        }
    }

    /// The sketches of many `(text, source)` pages, in their order, computed in parallel.
    pub fn sketch_batch(&self, pages: &[(&str, Option<&str>)]) -> Vec<ChromeSketch> {
        pages
            .par_iter()
            .map(|&(text, source)| self.sketch(text, source))
            .collect()
    }

    /// The reduced statistics of a shard of pages, in any order.
    pub fn shard(&self, pages: &[(&str, Option<&str>)]) -> ChromeSketches {
        let mut out = ChromeSketches::default();
        for sketch in self.sketch_batch(pages) {
            out.add(&sketch);
        }
        out
    }
}

/// Page counts of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCounts {
    /// Pages of the source counted.
    pub pages: u32,
    /// Pages carrying each line key.
    pub lines: BTreeMap<u64, u32>,
}

/// Template statistics of (part of) a corpus: the value shards reduce into. Serializable, so
/// that shards can travel; records the normalization version of the fold tables that shaped its
/// keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChromeSketches {
    normalization: u32,
    sources: BTreeMap<String, SourceCounts>,
}

impl Default for ChromeSketches {
    /// No page yet: the identity of [`ChromeSketches::merge`].
    fn default() -> Self {
        ChromeSketches {
            normalization: NORMALIZATION_VERSION,
            sources: BTreeMap::new(),
        }
    }
}

impl ChromeSketches {
    /// Counts one sketched page (its keys once each, as sketches hold them).
    pub fn add(&mut self, sketch: &ChromeSketch) {
        let counts = self
            .sources
            .entry(sketch.source.clone().unwrap_or_default())
            .or_default();
        counts.pages += 1;
        let mut keys = sketch.keys.clone();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            *counts.lines.entry(k).or_insert(0) += 1;
        }
    }

    /// Counts per source name (`""` for pages without a source).
    pub fn sources(&self) -> &BTreeMap<String, SourceCounts> {
        &self.sources
    }

    /// The sum of two statistics: commutative and associative. Refuses statistics whose keys
    /// were shaped by another version of the fold tables.
    pub fn merge(mut self, other: ChromeSketches) -> Result<ChromeSketches> {
        if self.normalization != other.normalization {
            return Err(Error::Sketches(format!(
                "cannot merge chrome sketches made with other settings: normalization version: \
                 {} here, {} there",
                self.normalization, other.normalization
            )));
        }
        for (name, theirs) in other.sources {
            let ours = self.sources.entry(name).or_default();
            ours.pages += theirs.pages;
            for (k, n) in theirs.lines {
                *ours.lines.entry(k).or_insert(0) += n;
            }
        }
        Ok(self)
    }

    /// The chrome model these statistics make (all keys kept; [`Model::save`] stores the keys
    /// of two pages or more). Refuses statistics of another normalization version than this
    /// build's, whose keys would match nothing.
    pub fn model(&self) -> Result<Model> {
        if self.normalization != NORMALIZATION_VERSION {
            return Err(Error::Sketches(format!(
                "chrome sketches of normalization version {} cannot judge with this build's \
                 version {NORMALIZATION_VERSION}",
                self.normalization
            )));
        }
        let mut model = Model::default();
        for (name, counts) in &self.sources {
            model.sources.insert(
                name.clone(),
                SourceStats {
                    pages: counts.pages,
                    lines: counts.lines.iter().map(|(&k, &n)| (k, n)).collect(),
                },
            );
        }
        Ok(model)
    }

    /// The statistics of a model (learned by this build, or loaded with [`Model::load`], which
    /// refuses other normalization versions), to merge with sketches of more pages.
    pub fn from_model(model: &Model) -> ChromeSketches {
        let sources = model
            .sources
            .iter()
            .map(|(name, s)| {
                let counts = SourceCounts {
                    pages: s.pages,
                    lines: s.lines.iter().map(|(&k, &n)| (k, n)).collect(),
                };
                (name.clone(), counts)
            })
            .collect();
        ChromeSketches {
            normalization: NORMALIZATION_VERSION,
            sources,
        }
    }
}
