//! Per-source template statistics and their persistent form, the chrome model.
//!
//! For each source (site) the model counts in how many pages each line *shape* occurs, keyed by
//! the shape hash (folded tokens with digits, dates and counters masked; see `features`) and the
//! half of the page it occurs in (head or tail), so a recurring header line and a recurring
//! footer line are matched on both shape and position. This is the corpus-frequency evidence of
//! boilerplate detectors since Bar-Yossef & Rajagopalan (WWW 2002, "template detection via data
//! mining"), applied to lines of plain text instead of DOM blocks.
//!
//! # File format (version 1)
//!
//! A model file is one JSON object:
//!
//! ```json
//! {"format":"chaff-chrome-model","version":1,"normalization":1,
//!  "sources":{"site-a":{"pages":40,"lines":{"9f0c2a7d13e4b5a1":38,"...":12}}}}
//! ```
//!
//! `normalization` is the [`NORMALIZATION_VERSION`] of the fold tables that shaped the line
//! keys: a model learned with other tables is refused by name, since its keys would silently
//! match nothing. A file without it was written before it was recorded, with version 1.
//!
//! `pages` is the number of pages of the source seen; `lines` maps a line key (16 lowercase hex
//! digits: the xxh3-based shape hash with its low bit set to 1 for the tail half) to the number
//! of pages that carry it. Keys seen on one page only are not stored (they cannot make a line
//! recur on their own, and they are most of the lines of a corpus). Pages without a source are
//! counted under the empty name `""`. A reader refuses any other `format` or `version`.
//!
//! Guarantees: learning is order-independent (counts add), so learning two scrapes one after the
//! other gives the same model as learning them together, minus the keys seen once in each.

use crate::text::NORMALIZATION_VERSION;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The `format` string of a model file.
pub const MODEL_FORMAT: &str = "chaff-chrome-model";
/// The version written and read.
pub const MODEL_VERSION: u32 = 1;

/// Line statistics of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceStats {
    /// Pages of this source seen.
    pub pages: u32,
    /// Pages carrying each line key.
    pub lines: HashMap<u64, u32>,
}

/// Template statistics of every source seen: what `--learn` writes and `--model` reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Model {
    /// Statistics per source name (`""` for pages without a source).
    pub sources: HashMap<String, SourceStats>,
}

/// The key of a line: its shape, and which half of the page it lies in.
pub(crate) fn line_key(shape: u64, tail: bool) -> u64 {
    (shape & !1) | tail as u64
}

impl Model {
    /// Counts one page of `source` carrying `keys` (duplicates within the page count once).
    pub fn add_page(&mut self, source: Option<&str>, keys: impl IntoIterator<Item = u64>) {
        let stats = self
            .sources
            .entry(source.unwrap_or("").to_string())
            .or_default();
        stats.pages += 1;
        let mut seen: Vec<u64> = keys.into_iter().collect();
        seen.sort_unstable();
        seen.dedup();
        for k in seen {
            *stats.lines.entry(k).or_insert(0) += 1;
        }
    }

    /// Adds every count of `other` to this model.
    pub fn merge(&mut self, other: &Model) {
        for (name, theirs) in &other.sources {
            let ours = self.sources.entry(name.clone()).or_default();
            ours.pages += theirs.pages;
            for (k, n) in &theirs.lines {
                *ours.lines.entry(*k).or_insert(0) += n;
            }
        }
    }

    /// `(pages carrying the line key, pages of the source)`.
    pub fn count(&self, source: Option<&str>, key: u64) -> (u32, u32) {
        match self.sources.get(source.unwrap_or("")) {
            Some(s) => (s.lines.get(&key).copied().unwrap_or(0), s.pages),
            None => (0, 0),
        }
    }

    /// Drops keys seen on one page only (what [`Model::save`] stores).
    pub fn prune(&mut self) {
        for s in self.sources.values_mut() {
            s.lines.retain(|_, n| *n >= 2);
        }
    }

    /// Writes the model as JSON (format above), atomically.
    pub fn save(&self, path: &Path) -> Result<()> {
        let mut file = FileModel {
            format: MODEL_FORMAT.to_string(),
            version: MODEL_VERSION,
            normalization: NORMALIZATION_VERSION,
            sources: BTreeMap::new(),
        };
        for (name, s) in &self.sources {
            let lines = s
                .lines
                .iter()
                .filter(|(_, n)| **n >= 2)
                .map(|(k, n)| (format!("{k:016x}"), *n))
                .collect();
            file.sources.insert(
                name.clone(),
                FileSource {
                    pages: s.pages,
                    lines,
                },
            );
        }
        let json = serde_json::to_vec(&file).map_err(|e| Error::Usage(e.to_string()))?;
        crate::corpus::write_atomically(path, &json)
    }

    /// Reads a model written by [`Model::save`].
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let file: FileModel = serde_json::from_slice(&bytes).map_err(|e| Error::Incompatible {
            path: path.to_path_buf(),
            message: format!("not a chaff chrome model: {e}"),
        })?;
        if file.format != MODEL_FORMAT || file.version != MODEL_VERSION {
            return Err(Error::Incompatible {
                path: path.to_path_buf(),
                message: format!(
                    "model format {} version {}; this chaff reads {MODEL_FORMAT} version {MODEL_VERSION}",
                    file.format, file.version
                ),
            });
        }
        if file.normalization != NORMALIZATION_VERSION {
            return Err(Error::Incompatible {
                path: path.to_path_buf(),
                message: format!(
                    "model learned with normalization version {} (fold tables); this chaff \
                     uses version {NORMALIZATION_VERSION}: learn the model again",
                    file.normalization
                ),
            });
        }
        let mut model = Model::default();
        for (name, s) in file.sources {
            let mut lines = HashMap::with_capacity(s.lines.len());
            for (k, n) in s.lines {
                let key = u64::from_str_radix(&k, 16).map_err(|_| Error::Incompatible {
                    path: path.to_path_buf(),
                    message: format!("source {name:?}: line key {k:?} is not 16 hex digits"),
                })?;
                lines.insert(key, n);
            }
            model.sources.insert(
                name,
                SourceStats {
                    pages: s.pages,
                    lines,
                },
            );
        }
        Ok(model)
    }
}

#[derive(Serialize, Deserialize)]
struct FileModel {
    format: String,
    version: u32,
    /// Absent from files written before it was recorded (version 1 of the fold tables).
    #[serde(default = "first_normalization")]
    normalization: u32,
    sources: BTreeMap<String, FileSource>,
}

fn first_normalization() -> u32 {
    1
}

#[derive(Serialize, Deserialize)]
struct FileSource {
    pages: u32,
    lines: BTreeMap<String, u32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pages_not_occurrences() {
        let mut m = Model::default();
        m.add_page(Some("a"), [1, 1, 2]);
        m.add_page(Some("a"), [1]);
        assert_eq!(m.count(Some("a"), 1), (2, 2));
        assert_eq!(m.count(Some("a"), 2), (1, 2));
        assert_eq!(m.count(Some("b"), 1), (0, 0));
    }

    #[test]
    fn save_and_load_round_trip_and_refuse_other_versions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let mut m = Model::default();
        for _ in 0..3 {
            m.add_page(Some("site"), [u64::MAX - 4, 8]);
        }
        m.add_page(None, [5]);
        m.save(&path).unwrap();
        let back = Model::load(&path).unwrap();
        assert_eq!(back.count(Some("site"), u64::MAX - 4), (3, 3));
        assert_eq!(
            back.count(None, 5),
            (0, 1),
            "single-page keys are not stored"
        );
        let text = std::fs::read_to_string(&path)
            .unwrap()
            .replace("\"version\":1", "\"version\":9");
        std::fs::write(&path, text).unwrap();
        assert!(matches!(
            Model::load(&path),
            Err(Error::Incompatible { .. })
        ));
    }

    #[test]
    fn a_model_of_another_normalization_version_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.json");
        let mut m = Model::default();
        m.add_page(Some("site"), [8]);
        m.add_page(Some("site"), [8]);
        m.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let mark = format!("\"normalization\":{NORMALIZATION_VERSION}");
        assert!(text.contains(&mark), "{text}");
        // A model saved before the version was recorded loads as version 1.
        std::fs::write(&path, text.replace(&format!("{mark},"), "")).unwrap();
        assert_eq!(Model::load(&path).unwrap(), m);
        std::fs::write(&path, text.replace(&mark, "\"normalization\":99")).unwrap();
        match Model::load(&path) {
            Err(Error::Incompatible { message, .. }) => {
                assert!(message.contains("normalization version 99"), "{message}")
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn merging_adds_counts() {
        let mut a = Model::default();
        a.add_page(Some("s"), [1]);
        let mut b = Model::default();
        b.add_page(Some("s"), [1, 2]);
        a.merge(&b);
        assert_eq!(a.count(Some("s"), 1), (2, 2));
    }
}
