//! The records chaff writes, in one place: every JSON Lines line, Parquet row and `clean --log`
//! entry of every command (`dups`, `passages`, `chrome`, `scan`, `clean`, `check`) is one of
//! the types below, serialized by serde and nothing else.
//!
//! Each kind is its own struct that carries its `kind` as a serde tag (`#[serde(tag = "kind")]`
//! on the struct), so a record names its kind however it is written: alone (the Python
//! bindings, a Parquet row), or as a [`Record`], the union of all kinds. Fields appear in the
//! order declared here; optional fields are left out when absent (the summary's counts of
//! analyses that did not run are `null` instead, so every summary has the same fields).
//! Fields are only ever added. The README's record contract is tested against these types
//! (`readme_contract_matches_the_records` below): every kind and field the README lists exists
//! here, and every one here is listed there.

use serde::Serialize;

/// A similarity, containment or score as records give it: rounded to 4 decimals.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The types that are records: what [`super::write_json`], the Parquet table and `clean --log`
/// accept, so that nothing else reaches an output. Sealed: implemented here only.
pub trait Wire: Serialize + sealed::Sealed {}

mod sealed {
    /// Keeps [`super::Wire`] to this module's types.
    pub trait Sealed {}
}

macro_rules! wire {
    ($($t:ty),*) => {$(
        impl sealed::Sealed for $t {}
        impl Wire for $t {}
    )*};
}
wire!(
    Record,
    DuplicateRecord,
    PassageRecord,
    ChromeRecord,
    SummaryRecord,
    CheckRecord
);

/// A kind of record, by the name its `kind` field carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A near-duplicate document ([`DuplicateRecord`]).
    Duplicate,
    /// A later copy of a repeated passage ([`PassageRecord`]).
    Passage,
    /// A chrome line ([`ChromeRecord`]).
    Chrome,
    /// The closing record of `chaff scan` ([`SummaryRecord`]).
    Summary,
    /// The closing record of `chaff check` ([`CheckRecord`]).
    Check,
}

impl Kind {
    /// Every kind, in the order records of a scan or check come.
    pub const ALL: [Kind; 5] = [
        Kind::Duplicate,
        Kind::Passage,
        Kind::Chrome,
        Kind::Summary,
        Kind::Check,
    ];

    /// The value of the records' `kind` field (the structs' serde tag; a test keeps the two
    /// equal).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Duplicate => "duplicate",
            Kind::Passage => "passage",
            Kind::Chrome => "chrome",
            Kind::Summary => "summary",
            Kind::Check => "check",
        }
    }
}

/// Any record. Serialized, it is exactly the record it holds (`untagged`: each kind's struct
/// writes its own `kind` tag, first).
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(untagged)]
pub enum Record {
    /// A near-duplicate document.
    Duplicate(DuplicateRecord),
    /// A later copy of a repeated passage.
    Passage(PassageRecord),
    /// A chrome line.
    Chrome(ChromeRecord),
    /// The closing summary of a scan.
    Summary(SummaryRecord),
    /// The closing summary of a check.
    Check(CheckRecord),
}

impl Record {
    /// The record's kind.
    pub fn kind(&self) -> Kind {
        match self {
            Record::Duplicate(_) => Kind::Duplicate,
            Record::Passage(_) => Kind::Passage,
            Record::Chrome(_) => Kind::Chrome,
            Record::Summary(_) => Kind::Summary,
            Record::Check(_) => Kind::Check,
        }
    }
}

/// A near-duplicate document, as reported.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename = "duplicate")]
pub struct DuplicateRecord {
    /// The duplicate document (dropped by `clean`).
    pub id: String,
    /// The document it duplicates.
    pub of: String,
    /// Jaccard similarity of the two, rounded to 4 decimals.
    pub similarity: f64,
    /// Containment of the smaller in the larger, rounded to 4 decimals.
    pub containment: f64,
    /// Cluster number (1-based, in corpus order of the clusters' first documents); absent on a
    /// `check` match of an indexed document (the index keeps no clusters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<usize>,
    /// `check` only: whether `of` is an indexed document (true) or an earlier new one (false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_index: Option<bool>,
}

/// A repeated passage as reported: the later copy (`id`, `start`, `end`, `line`) and the earlier
/// occurrence it repeats (`of`, and where it lies: `of_start`, `of_end`, `of_line` in bytes and
/// lines of its text, or, for an indexed document whose text the index does not keep,
/// `of_token_start`, `of_token_end` in its tokens); offsets in bytes of the original text,
/// `end` exclusive, lines 1-based.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename = "passage")]
pub struct PassageRecord {
    /// The document holding the later copy.
    pub id: String,
    /// Byte offset of the copy.
    pub start: usize,
    /// Byte offset just past the copy.
    pub end: usize,
    /// Line of the copy's start.
    pub line: usize,
    /// The document holding the earlier occurrence (may equal `id`).
    pub of: String,
    /// Byte offset of the earlier occurrence (absent when it is in the index).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of_start: Option<usize>,
    /// Byte offset just past the earlier occurrence (absent when it is in the index).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of_end: Option<usize>,
    /// Line of the earlier occurrence's start (absent when it is in the index).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of_line: Option<usize>,
    /// `check` only, for an indexed earlier occurrence: its first token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of_token_start: Option<usize>,
    /// `check` only, for an indexed earlier occurrence: just past its last token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of_token_end: Option<usize>,
    /// Tokens in the copy.
    pub tokens: usize,
    /// Near-exact mode only: token edits between the copy and the earlier occurrence, at most
    /// (0 for an exact repeat). Absent in exact mode, so its records stay as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edits: Option<u32>,
    /// `check` only: whether `of` is an indexed document (true) or a new one (false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_index: Option<bool>,
}

/// A chrome line, as reported: the readable `reason` and, beside it, the same evidence in
/// structured form (`region`, `cue`, `template`, `copies`) and the line model's `score`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename = "chrome")]
pub struct ChromeRecord {
    /// The document.
    pub id: String,
    /// Byte offset of the line's start in the original text.
    pub start: usize,
    /// Byte offset just past the line's end (its line break excluded).
    pub end: usize,
    /// 1-based line number.
    pub line: u32,
    /// Why the line is chrome, for people.
    pub reason: String,
    /// The line model's probability that the line is chrome, rounded to 4 decimals.
    pub score: f64,
    /// Where on the page: `header`, `inline` or `footer`.
    pub region: &'static str,
    /// The main cue, by its stable name (`date`, `navigation`, `related_list`, `template`, ...).
    pub cue: &'static str,
    /// `[pages carrying the line's shape, pages of the source]` when the line recurs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<[u32; 2]>,
    /// Syndicated copies compared, when they lack the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<u32>,
    /// `check` only: whether the index's template counts alone make the line chrome (true), or
    /// the page itself and the other new pages do (false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_index: Option<bool>,
}

impl ChromeRecord {
    /// The record of a chrome line of document `id`.
    pub fn new(
        id: &str,
        byte_start: usize,
        byte_end: usize,
        line: u32,
        reason: &crate::chrome::Reason,
        score: f64,
    ) -> Self {
        let mut record = ChromeRecord {
            id: String::new(),
            start: 0,
            end: 0,
            line: 0,
            reason: String::new(),
            score: 0.0,
            region: "",
            cue: "",
            template: None,
            copies: None,
            in_index: None,
        };
        record.set(id, byte_start, byte_end, line, reason, score);
        record
    }

    /// Makes this the record of another chrome line, as [`ChromeRecord::new`] would, reusing
    /// its strings: a writer of many records allocates none per record.
    pub fn set(
        &mut self,
        id: &str,
        byte_start: usize,
        byte_end: usize,
        line: u32,
        reason: &crate::chrome::Reason,
        score: f64,
    ) {
        use std::fmt::Write;
        self.id.clear();
        self.id.push_str(id);
        self.start = byte_start;
        self.end = byte_end;
        self.line = line;
        self.reason.clear();
        // Writing into a String cannot fail.
        let _ = write!(self.reason, "{reason}");
        self.score = round4(score);
        self.region = reason.region.name();
        self.cue = reason.cue.name();
        self.template = reason.template.map(|(n, of)| [n, of]);
        self.copies = reason.copies;
        self.in_index = None;
    }
}

impl From<&crate::chrome::ChromeLine> for ChromeRecord {
    fn from(c: &crate::chrome::ChromeLine) -> Self {
        ChromeRecord::new(&c.id, c.byte_start, c.byte_end, c.line, &c.reason, c.score)
    }
}

/// The closing record of `chaff scan --format json`: what was read and found. A count of an
/// analysis that did not run is `null`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename = "summary")]
pub struct SummaryRecord {
    /// Documents read.
    pub documents: usize,
    /// Bytes of text read.
    pub bytes: u64,
    /// Near-duplicate documents.
    pub duplicates: Option<usize>,
    /// Clusters of near-duplicates.
    pub clusters: Option<usize>,
    /// Repeated passages.
    pub passages: Option<usize>,
    /// Chrome lines.
    pub chrome_lines: Option<usize>,
    /// Seconds the scan took, rounded to milliseconds.
    pub seconds: f64,
}

/// The closing record of `chaff check --format json`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "kind", rename = "check")]
pub struct CheckRecord {
    /// New documents checked.
    pub documents: usize,
    /// Documents in the index.
    pub indexed: i64,
    /// New documents that are near-duplicates (of the index or of an earlier new one).
    pub duplicates: usize,
    /// New documents that near-duplicate an indexed one.
    pub duplicates_of_index: usize,
    /// One verdict per rule.
    pub rules: Vec<RuleResult>,
    /// Whether a `fail_on` rule is broken.
    pub failed: bool,
}

/// A kind of finding a check can fail on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Rule {
    /// New documents that near-duplicate an indexed one or an earlier new one.
    Duplicate,
    /// New documents repeating passages (needs the passage extension).
    Passage,
    /// New documents carrying chrome (needs the chrome extension).
    Chrome,
}

impl Rule {
    /// The kind of record the rule counts.
    pub fn kind(self) -> Kind {
        match self {
            Rule::Duplicate => Kind::Duplicate,
            Rule::Passage => Kind::Passage,
            Rule::Chrome => Kind::Chrome,
        }
    }

    /// The name used in records (and by the command line), the same as its kind's.
    pub fn name(self) -> &'static str {
        self.kind().name()
    }
}

/// The verdict of one rule of a check.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RuleResult {
    /// The rule.
    pub rule: Rule,
    /// New documents concerned.
    pub documents: usize,
    /// Their share of the new documents.
    pub ratio: f64,
    /// The largest acceptable share.
    pub max: f64,
    /// Whether the rule makes the check fail (it is in `fail_on` and the share exceeds `max`).
    pub broken: bool,
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::{BTreeMap, BTreeSet};

    /// One record of each kind with every optional field present, and one with none.
    pub(crate) fn samples() -> Vec<(Record, Record)> {
        let reason = crate::chrome::Reason {
            region: crate::chrome::Region::Header,
            cue: crate::chrome::Cue::Date,
            template: Some((4, 9)),
            copies: Some(2),
        };
        let chrome = ChromeRecord {
            in_index: Some(true),
            ..ChromeRecord::new("a", 0, 5, 1, &reason, 0.93)
        };
        let bare = crate::chrome::Reason {
            template: None,
            copies: None,
            ..reason
        };
        let duplicate = DuplicateRecord {
            id: "b".into(),
            of: "a".into(),
            similarity: 0.91,
            containment: 0.95,
            cluster: Some(3),
            in_index: Some(false),
        };
        let passage = PassageRecord {
            id: "b".into(),
            start: 1,
            end: 9,
            line: 2,
            of: "a".into(),
            of_start: Some(3),
            of_end: Some(11),
            of_line: Some(1),
            of_token_start: Some(0),
            of_token_end: Some(20),
            tokens: 20,
            edits: Some(1),
            in_index: Some(true),
        };
        let summary = SummaryRecord {
            documents: 5,
            bytes: 100,
            duplicates: Some(1),
            clusters: Some(1),
            passages: Some(2),
            chrome_lines: Some(3),
            seconds: 0.1,
        };
        let check = CheckRecord {
            documents: 5,
            indexed: 9,
            duplicates: 1,
            duplicates_of_index: 1,
            rules: vec![],
            failed: false,
        };
        vec![
            (
                Record::Duplicate(duplicate.clone()),
                Record::Duplicate(DuplicateRecord {
                    cluster: None,
                    in_index: None,
                    ..duplicate
                }),
            ),
            (
                Record::Passage(passage.clone()),
                Record::Passage(PassageRecord {
                    of_start: None,
                    of_end: None,
                    of_line: None,
                    of_token_start: None,
                    of_token_end: None,
                    edits: None,
                    in_index: None,
                    ..passage
                }),
            ),
            (
                Record::Chrome(chrome),
                Record::Chrome(ChromeRecord::new("a", 0, 5, 1, &bare, 0.93)),
            ),
            (
                Record::Summary(summary.clone()),
                Record::Summary(SummaryRecord {
                    duplicates: None,
                    clusters: None,
                    passages: None,
                    chrome_lines: None,
                    ..summary
                }),
            ),
            (Record::Check(check.clone()), Record::Check(check)),
        ]
    }

    fn keys(record: &Record) -> Vec<String> {
        match serde_json::to_value(record).unwrap() {
            serde_json::Value::Object(map) => map.keys().cloned().collect(),
            other => panic!("a record is an object, not {other}"),
        }
    }

    #[test]
    fn every_record_names_its_kind_first() {
        let samples = samples();
        let kinds: Vec<Kind> = samples.iter().map(|(full, _)| full.kind()).collect();
        assert_eq!(kinds, Kind::ALL);
        for (full, minimal) in &samples {
            for r in [full, minimal] {
                let value = serde_json::to_value(r).unwrap();
                assert_eq!(value["kind"], r.kind().name(), "{value}");
                assert_eq!(keys(r)[0], "kind");
            }
        }
    }

    /// The README table's reader the integration tests use.
    mod contract {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/common/contract.rs"
        ));
    }

    #[test]
    fn readme_contract_matches_the_records() {
        let readme = include_str!("../../README.md");
        let listed: BTreeMap<String, BTreeSet<(String, bool)>> = contract::readme_fields(readme)
            .into_iter()
            .map(|(kind, fields)| (kind, fields.into_iter().collect()))
            .collect();
        let mut ours = BTreeMap::new();
        for (full, minimal) in samples() {
            let always: BTreeSet<String> = keys(&minimal).into_iter().collect();
            let fields: BTreeSet<(String, bool)> = keys(&full)
                .into_iter()
                .filter(|k| k != "kind")
                .map(|k| {
                    let optional = !always.contains(&k);
                    (k, optional)
                })
                .collect();
            ours.insert(full.kind().name().to_string(), fields);
        }
        assert_eq!(
            listed, ours,
            "the README's table of record fields (kind, fields; `?` = optional) differs from \
             chaff::report::record"
        );
        // Every example record in the README (this section's and the CI section's) is of a
        // listed kind and holds only its fields, all the required ones included.
        let mut examples = 0;
        for line in readme.lines().filter(|l| l.starts_with("{\"kind\"")) {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            let kind = value["kind"].as_str().unwrap();
            let fields = &ours[kind];
            let map = value.as_object().unwrap();
            for k in map.keys().filter(|k| *k != "kind") {
                assert!(fields.iter().any(|(f, _)| f == k), "{kind}: unknown {k}");
            }
            for (f, optional) in fields {
                assert!(
                    *optional || map.contains_key(f),
                    "{kind}: {f} missing in {line}"
                );
            }
            examples += 1;
        }
        assert!(examples >= Kind::ALL.len(), "one example per kind at least");
    }
}
