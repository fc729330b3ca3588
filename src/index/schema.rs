//! The on-disk layout of an index: SQL schema, format version, and the settings that shaped it.
//!
//! Versioning: `PRAGMA application_id` marks the file as a chaff index (so an unrelated SQLite
//! file is refused rather than written into) and `PRAGMA user_version` holds [`FORMAT_VERSION`].
//! A file with a newer version is refused; an older one is refused with a request to rebuild it
//! (format 1, before passages and chrome were stored, lacks what a check of them needs and
//! cannot be derived without the indexed text; format 2 signed short documents with another
//! densification, so its signatures would not match new ones).
//! The [`Settings`] that shaped every stored signature and band key are kept as JSON in `meta`
//! and compared field by field with the settings of each run: a mismatch is refused with the
//! flags that differ, because a signature made with other settings would silently match nothing.

use crate::dups::Config;
use crate::lsh::Params;
use crate::minhash::Scheme;
use crate::shingle::Shingling;
use crate::sketch::HashConfig;
use crate::text::Folds;
use serde::{Deserialize, Serialize};

/// Version of the on-disk format this build reads and writes. Format 3: densification of
/// one-permutation signatures changed (bounded probes), so a stored signature of a document with
/// fewer shingles than slots differs from what this build computes for the same text.
pub const FORMAT_VERSION: i64 = 3;

/// `PRAGMA application_id` of chaff indexes: the bytes "chaf".
pub const APPLICATION_ID: i64 = 0x6368_6166;

/// Tables of format 2. Document numbers (`docs.doc`) are what every other table refers to.
///
/// * `signature` is the MinHash signature as a BLOB of `num_perm` little-endian `u32` slots;
///   checks estimate similarity from it without the indexed text.
/// * `bands` holds one row per (band, band key, document), clustered on (band, key) so that a
///   check looks up each band key of a new document with one B-tree search. Bands of the
///   containment banding follow the main bands (numbers `main_bands..`).
/// * `passage_fingerprints` holds one row per winnowed passage fingerprint (hash, document,
///   token position), clustered on the hash. `passage_docs` keeps per document its token
///   sketch (one byte per token, see `index::passages`) to extend a hit to a maximal span, and
///   its fingerprints as a BLOB of (`u64` hash, `u32` position) little-endian pairs, so that a
///   removal finds its rows without an index on `doc`.
/// * `chrome_sources` counts the pages of each source (`""` when a page has none) and
///   `chrome_lines` the pages of a source carrying each template line key — the counts of
///   [`crate::chrome::Model`], kept incrementally. `chrome_docs` keeps each page's keys (BLOB of
///   little-endian `u64`) so that a removal can take its counts back.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS generations (
    generation INTEGER PRIMARY KEY,
    action     TEXT NOT NULL,
    started    INTEGER NOT NULL,
    finished   INTEGER NOT NULL,
    inputs     TEXT NOT NULL,
    documents  INTEGER NOT NULL,
    skipped    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS docs (
    doc        INTEGER PRIMARY KEY,
    id         TEXT NOT NULL UNIQUE,
    source     TEXT,
    shingles   INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    signature  BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS bands (
    band INTEGER NOT NULL,
    key  INTEGER NOT NULL,
    doc  INTEGER NOT NULL,
    PRIMARY KEY (band, key, doc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS passage_fingerprints (
    fingerprint INTEGER NOT NULL,
    doc         INTEGER NOT NULL,
    pos         INTEGER NOT NULL,
    PRIMARY KEY (fingerprint, doc, pos)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS passage_docs (
    doc    INTEGER PRIMARY KEY,
    sketch BLOB NOT NULL,
    prints BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS chrome_sources (
    source INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE,
    pages  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS chrome_lines (
    source    INTEGER NOT NULL,
    line      INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    PRIMARY KEY (source, line)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS chrome_docs (
    doc  INTEGER PRIMARY KEY,
    keys BLOB NOT NULL
);
";

/// Everything that shaped the stored signatures and band keys. Two runs may share an index only
/// when their settings are equal.
///
/// In the index's JSON the fields of [`HashConfig`] sit beside the others, as they did before
/// the hash configuration was one value; an index written before the normalization version was
/// recorded used the fold tables of version 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Shingling, seed, folds, MinHash slots and scheme, and the normalization version: the
    /// configuration every stored hash was made with, shared with `dups` and the sketches.
    #[serde(flatten)]
    pub hash: HashConfig,
    /// Jaccard threshold of near-duplicates.
    pub threshold: f64,
    /// Containment threshold, when on.
    pub containment: Option<f64>,
    /// The main banding.
    pub bands: Params,
    /// The containment banding, when it differs from the main one.
    pub containment_bands: Option<Params>,
    /// Shortest repeated passage, in tokens, the stored passage fingerprints guarantee to find
    /// (their winnowing window depends on it).
    pub passage_min_tokens: usize,
}

impl Settings {
    /// Refuses settings no add or check can work with: those [`Config::validate`] refuses (the
    /// fields named `dups.*`), a containment banding that does not fit the slots, and a
    /// passage length outside what [`crate::passages::Config::validate`] accepts.
    pub fn validate(&self) -> std::result::Result<(), crate::ConfigError> {
        self.to_config().validate()?;
        if let Some(p) = self.containment_bands {
            p.validate("index.containment_bands", self.hash.num_perm)?;
        }
        crate::ConfigError::check_range(
            "index.passage_min_tokens",
            self.passage_min_tokens,
            2..=crate::passages::MAX_MIN_TOKENS,
        )
    }

    /// The settings a near-duplicate configuration implies.
    pub fn from_config(config: &Config) -> Settings {
        Settings {
            hash: config.hash,
            threshold: config.threshold,
            containment: config.containment,
            bands: config.params(),
            containment_bands: config.containment_params(),
            passage_min_tokens: crate::passages::Config::default().min_tokens,
        }
    }

    /// The passage search these settings imply: the index's folds and seed, 5-token shingles,
    /// windows for `passage_min_tokens`.
    pub fn passage_config(&self) -> crate::passages::Config {
        crate::passages::Config {
            min_tokens: self.passage_min_tokens,
            hash: self.hash,
            ..crate::passages::Config::default()
        }
    }

    /// A near-duplicate configuration with these settings (verification and `keep` at their
    /// defaults; callers override them).
    pub fn to_config(&self) -> Config {
        Config {
            hash: self.hash,
            threshold: self.threshold,
            containment: self.containment,
            bands: Some(self.bands),
            ..Config::default()
        }
    }

    /// The sketcher of every stored signature and band key: [`DocSketch::band_keys`] of it
    /// are [`Settings::band_keys`] in band order. It verifies by estimate, so its sketches
    /// carry no shingle set (an index stores none).
    ///
    /// [`DocSketch::band_keys`]: crate::sketch::DocSketch::band_keys
    pub fn sketcher(&self) -> crate::Result<crate::sketch::Sketcher> {
        crate::sketch::Sketcher::new(&Config {
            verify: crate::dups::Verify::Estimate,
            ..self.to_config()
        })
    }

    /// Every (band number, band key) of a signature: the main bands, then the containment bands.
    pub fn band_keys(&self, slots: &[u32]) -> Vec<(u32, u64)> {
        let mut keys = Vec::with_capacity(self.band_count());
        for band in 0..self.bands.bands {
            keys.push((band as u32, self.bands.band_key(slots, band)));
        }
        if let Some(c) = self.containment_bands {
            for band in 0..c.bands {
                let number = (self.bands.bands + band) as u32;
                keys.push((number, c.band_key(slots, band)));
            }
        }
        keys
    }

    /// Number of band rows stored per non-empty document.
    pub fn band_count(&self) -> usize {
        self.bands.bands + self.containment_bands.map_or(0, |c| c.bands)
    }

    /// The settings of `requested` that differ from these (stored) settings, each named by its
    /// field (`index.threshold`). Empty when the two are compatible.
    pub fn differences(&self, requested: &Settings) -> Vec<SettingDifference> {
        let mut out = Vec::new();
        let mut differ = |field: &'static str, stored: String, asked: String| {
            if stored != asked {
                out.push(SettingDifference {
                    field,
                    stored,
                    requested: asked,
                });
            }
        };
        let (ours, theirs) = (&self.hash, &requested.hash);
        differ(
            "index.shingling",
            shingling_name(ours.shingling),
            shingling_name(theirs.shingling),
        );
        differ("index.seed", ours.seed.to_string(), theirs.seed.to_string());
        differ(
            "index.folds",
            folds_off(ours.folds),
            folds_off(theirs.folds),
        );
        differ(
            "index.num_perm",
            ours.num_perm.to_string(),
            theirs.num_perm.to_string(),
        );
        differ(
            "index.scheme",
            scheme_name(ours.scheme),
            scheme_name(theirs.scheme),
        );
        differ(
            "index.threshold",
            self.threshold.to_string(),
            requested.threshold.to_string(),
        );
        differ(
            "index.containment",
            self.containment.unwrap_or(0.0).to_string(),
            requested.containment.unwrap_or(0.0).to_string(),
        );
        differ(
            "index.bands",
            banding_name(self.bands, self.containment_bands),
            banding_name(requested.bands, requested.containment_bands),
        );
        differ(
            "index.passage_min_tokens",
            self.passage_min_tokens.to_string(),
            requested.passage_min_tokens.to_string(),
        );
        differ(
            NORMALIZATION,
            ours.normalization.to_string(),
            theirs.normalization.to_string(),
        );
        out
    }

    /// These settings as `field value` pairs, for messages: the names of
    /// [`Settings::differences`], each with the stored value as it is compared.
    pub fn describe(&self) -> String {
        self.described(|field| field)
    }

    /// These settings for messages, each setting named by `name(field)` (the command line
    /// names them by its flags): `NAME VALUE ...`, then the banding and the folds switched off.
    pub fn described(&self, name: impl Fn(&'static str) -> &'static str) -> String {
        format!(
            "{} {} {} {} {} {} {} {} {} {} {} {} {} {} (banding {}), folds off: {}",
            match self.hash.shingling {
                Shingling::Words(_) => name("index.shingling.words"),
                Shingling::Chars(_) => name("index.shingling.chars"),
            },
            match self.hash.shingling {
                Shingling::Words(n) | Shingling::Chars(n) => n,
            },
            name("index.seed"),
            self.hash.seed,
            name("index.num_perm"),
            self.hash.num_perm,
            name("index.scheme"),
            scheme_name(self.hash.scheme),
            name("index.threshold"),
            self.threshold,
            name("index.containment"),
            self.containment.unwrap_or(0.0),
            name("index.passage_min_tokens"),
            self.passage_min_tokens,
            banding_name(self.bands, self.containment_bands),
            folds_off(self.hash.folds),
        )
    }
}

/// The field of the fold tables' version: no setting of a run brings old tables back.
const NORMALIZATION: &str = "index.normalization";

/// One setting in which an index and a run differ, named by its field (`index.threshold`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingDifference {
    /// The setting's field.
    pub field: &'static str,
    /// Its value in the index.
    pub stored: String,
    /// Its value in the run.
    pub requested: String,
}

impl SettingDifference {
    /// The difference in words, the setting named `name` (its field, or the flag that sets it).
    pub fn describe(&self, name: &str) -> String {
        if self.field == NORMALIZATION {
            return format!(
                "normalization version (fold tables): the index has {}, this build of chaff \
                 uses {}; build a new index",
                self.stored, self.requested
            );
        }
        format!(
            "{name}: the index has {}, this run asks for {}",
            self.stored, self.requested
        )
    }
}

impl std::fmt::Display for SettingDifference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(self.field))
    }
}

fn shingling_name(s: Shingling) -> String {
    match s {
        Shingling::Words(n) => format!("{n}-word shingles"),
        Shingling::Chars(n) => format!("{n}-character shingles"),
    }
}

fn scheme_name(s: Scheme) -> String {
    match s {
        Scheme::OnePermutation => "oph".into(),
        Scheme::Classic => "classic".into(),
    }
}

fn banding_name(main: Params, contained: Option<Params>) -> String {
    let mut s = format!("{}x{}", main.bands, main.rows);
    if let Some(c) = contained {
        s.push_str(&format!(" + containment {}x{}", c.bands, c.rows));
    }
    s
}

/// The folds switched off, as `--no-fold` names ("none" when all are on).
fn folds_off(f: Folds) -> String {
    let flags = [
        ("nfkc", f.nfkc),
        ("case", f.case),
        ("arabic-letters", f.arabic_letters),
        ("hamza", f.hamza),
        ("diacritics", f.diacritics),
        ("tatweel", f.tatweel),
        ("zwnj", f.zwnj),
        ("digits", f.digits),
    ];
    let off: Vec<&str> = flags
        .iter()
        .filter(|(_, on)| !on)
        .map(|(n, _)| *n)
        .collect();
    if off.is_empty() {
        "none".into()
    } else {
        off.join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_configs_have_no_differences() {
        let a = Settings::from_config(&Config::default());
        assert!(a.differences(&a.clone()).is_empty());
    }

    #[test]
    fn differences_name_the_field() {
        let a = Settings::from_config(&Config::default());
        let b = Settings::from_config(&Config {
            hash: HashConfig {
                shingling: Shingling::Words(3),
                folds: Folds {
                    digits: false,
                    ..Folds::default()
                },
                ..HashConfig::default()
            },
            ..Config::default()
        });
        let d = a.differences(&b);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].field, "index.shingling");
        assert!(d[0]
            .to_string()
            .starts_with("index.shingling: the index has 5-word"));
        assert!(d[1].requested.contains("digits"));
    }

    #[test]
    fn the_sketches_band_keys_are_the_stored_ones() {
        for containment in [Some(0.8), None] {
            let s = Settings::from_config(&Config {
                containment,
                ..Config::default()
            });
            let sketch = s
                .sketcher()
                .unwrap()
                .sketch("one two three four five six seven");
            let keys: Vec<(u32, u64)> = sketch
                .band_keys
                .iter()
                .enumerate()
                .map(|(band, &key)| (band as u32, key))
                .collect();
            assert_eq!(keys, s.band_keys(&sketch.signature));
            assert!(sketch.set.is_none());
        }
    }

    #[test]
    fn an_index_of_another_normalization_version_is_refused_by_name() {
        let now = Settings::from_config(&Config::default());
        let json = serde_json::to_string(&now).unwrap();
        // Settings stored before the version was recorded read as version 1.
        let old: Settings =
            serde_json::from_str(&json.replace(",\"normalization\":1", "")).unwrap();
        assert_eq!(old.hash.normalization, 1);
        let other: Settings =
            serde_json::from_str(&json.replace("\"normalization\":1", "\"normalization\":7"))
                .unwrap();
        let d = other.differences(&now);
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].to_string().starts_with("normalization version"),
            "{d:?}"
        );
    }

    #[test]
    fn band_numbers_are_distinct_across_bandings() {
        let s = Settings::from_config(&Config::default());
        let keys = s.band_keys(&[7u32; 128]);
        assert_eq!(keys.len(), s.band_count());
        let mut numbers: Vec<u32> = keys.iter().map(|k| k.0).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), keys.len());
    }
}
