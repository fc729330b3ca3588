//! Checking new documents against the index, and against each other, without rescanning the
//! indexed corpus.
//!
//! New vs index: each new document is signed with the index's settings; each of its band keys
//! is looked up in `bands` (one B-tree search on (band, key)); every indexed document sharing a
//! band is a candidate, confirmed by the MinHash estimate from its stored signature and the
//! containment derived from that estimate and the two shingle counts — the rule of
//! `dups --verify estimate`. The best confirmed match (highest similarity, then the earliest
//! indexed document) is reported. Buckets are read up to [`CheckOptions::bucket_limit`]
//! documents: the members of one bucket agree on a whole band, so past a few hundred they are
//! copies of each other and the first ones name the match as well as all would.
//!
//! New vs new: the new documents alone go through [`crate::dups::find`], so they are compared
//! exactly as `chaff dups` would compare them.
//!
//! All reads happen in one read transaction: a concurrent add is either wholly visible or not.

use super::extension::Finding;
use super::registry::Extensions;
use super::{db_error, Index};
use crate::cluster::Keep;
use crate::corpus::Corpus;
use crate::dups::{self, Verify};
use crate::minhash;
use crate::report::{CheckRecord, DuplicateRecord, Record};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::time::Instant;

pub use crate::report::record::{Rule, RuleResult};

/// When a check fails: for each rule in `fail_on`, the share of new documents concerned must
/// not exceed its maximum.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// Rules that make the check fail when broken.
    pub fail_on: Vec<Rule>,
    /// Largest acceptable share of new documents that are duplicates (0 = none allowed).
    pub max_duplicate_ratio: f64,
    /// Largest acceptable share of new documents with a repeated passage.
    pub max_passage_ratio: f64,
    /// Largest acceptable share of new documents with chrome.
    pub max_chrome_ratio: f64,
}

/// How a check runs.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// How new-vs-new candidates are confirmed.
    pub verify: Verify,
    /// Which new document of a new-vs-new cluster is the one kept.
    pub keep: Keep,
    /// Most indexed documents read from one band bucket.
    pub bucket_limit: usize,
    /// When the check fails.
    pub rules: Rules,
}

impl CheckOptions {
    /// Refuses options a check cannot honour: a ratio of [`Rules`] outside 0..=1 (or NaN), a
    /// `bucket_limit` of 0 (no indexed document could ever match).
    pub fn validate(&self) -> std::result::Result<(), crate::ConfigError> {
        for (field, ratio) in [
            ("check.max_duplicate_ratio", self.rules.max_duplicate_ratio),
            ("check.max_passage_ratio", self.rules.max_passage_ratio),
            ("check.max_chrome_ratio", self.rules.max_chrome_ratio),
        ] {
            crate::ConfigError::check_unit(field, ratio)?;
        }
        if self.bucket_limit == 0 {
            return Err(crate::ConfigError::new(
                "check.bucket_limit",
                0,
                "at least 1",
            ));
        }
        Ok(())
    }
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            verify: Verify::Exact,
            keep: Keep::First,
            bucket_limit: 256,
            rules: Rules::default(),
        }
    }
}

/// A new document, as the report needs it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewDocument {
    /// Its id.
    pub id: String,
    /// Its source, when known.
    pub source: Option<String>,
    /// The input file it was read from (as given by the user).
    pub file: String,
    /// 1-based line in a JSONL file; 1 for a `.txt` file.
    pub line: u64,
    /// Whether it was read from a JSONL file (annotations then point at its line in the file,
    /// not at a line of its text).
    pub jsonl: bool,
    /// Distinct shingles.
    pub shingles: u32,
}

/// A new document that near-duplicates an indexed one.
#[derive(Debug, Clone, serde::Serialize)]
pub struct IndexMatch {
    /// The new document's number (order of the checked corpus).
    pub doc: u32,
    /// Id of the indexed document it duplicates.
    pub of: String,
    /// Source of that document.
    pub of_source: Option<String>,
    /// Estimated Jaccard similarity.
    pub similarity: f64,
    /// Estimated containment of the smaller in the larger.
    pub containment: f64,
}

/// Everything a check found.
#[derive(Debug)]
pub struct CheckOutcome {
    /// The new documents, by number.
    pub new: Vec<NewDocument>,
    /// New documents that duplicate indexed ones, in corpus order.
    pub in_index: Vec<IndexMatch>,
    /// Near-duplicates among the new documents themselves.
    pub within_new: dups::Outcome,
    /// Passage and chrome findings of the registered extensions.
    pub findings: Vec<Finding>,
    /// Documents in the index.
    pub indexed: i64,
    /// Indexed candidates compared.
    pub candidates: usize,
    /// One verdict per rule (duplicate always; passage and chrome when recorded).
    pub rules: Vec<RuleResult>,
    /// Seconds taken.
    pub seconds: f64,
}

impl CheckOutcome {
    /// True when a rule in `fail_on` is broken.
    pub fn failed(&self) -> bool {
        self.rules.iter().any(|r| r.broken)
    }

    /// New documents that are duplicates, of the index or of an earlier new document.
    pub fn duplicate_documents(&self) -> usize {
        let mut docs: HashSet<u32> = self.in_index.iter().map(|m| m.doc).collect();
        docs.extend(self.within_new.duplicates.iter().map(|d| d.doc));
        docs.len()
    }

    /// Records: duplicates of the index (`"in_index":true`), duplicates among the new
    /// documents (`"in_index":false`), extension findings, then one `{"kind":"check"}` summary.
    pub fn records(&self) -> Vec<Record> {
        let round = crate::report::round4;
        let mut out = Vec::new();
        for m in &self.in_index {
            out.push(Record::Duplicate(DuplicateRecord {
                id: self.new[m.doc as usize].id.clone(),
                of: m.of.clone(),
                similarity: round(m.similarity),
                containment: round(m.containment),
                cluster: None,
                in_index: Some(true),
            }));
        }
        for mut d in crate::report::duplicate_records(&self.within_new) {
            d.in_index = Some(false);
            out.push(Record::Duplicate(d));
        }
        out.extend(self.findings.iter().map(|f| f.record.clone()));
        out.push(Record::Check(CheckRecord {
            documents: self.new.len(),
            indexed: self.indexed,
            duplicates: self.duplicate_documents(),
            duplicates_of_index: self.in_index.len(),
            rules: self.rules.clone(),
            failed: self.failed(),
        }));
        out
    }
}

/// A stored document, as far as verification needs it.
struct Stored {
    id: String,
    source: Option<String>,
    shingles: u32,
    slots: Vec<u32>,
}

impl Index {
    /// Checks `corpus` against the index and within itself.
    pub fn check(&self, corpus: &Corpus, options: &CheckOptions) -> Result<CheckOutcome> {
        options.validate()?;
        let started = Instant::now();
        let extensions = Extensions::new(&self.settings)?;
        for rule in &options.rules.fail_on {
            let recorded = *rule == Rule::Duplicate || extensions.records(rule.kind());
            if !recorded {
                return Err(Error::Usage(format!(
                    "check rule {}: this build of chaff does not record {}s in the index yet",
                    rule.name(),
                    rule.name()
                )));
            }
        }
        let path = self.path.as_path();
        let e = |err| db_error(path, err);
        let settings = &self.settings;
        let sketcher = settings.sketcher()?;
        let rule = settings.to_config();
        // One read transaction: every look-up sees the same committed state.
        let tx = self.conn.unchecked_transaction().map_err(e)?;
        let indexed: i64 = tx
            .query_row("SELECT count(*) FROM docs", [], |r| r.get(0))
            .map_err(e)?;
        let mut lookup = tx
            .prepare("SELECT doc FROM bands WHERE band = ?1 AND key = ?2 ORDER BY doc LIMIT ?3")
            .map_err(e)?;
        let mut fetch = tx
            .prepare("SELECT id, source, shingles, signature FROM docs WHERE doc = ?1")
            .map_err(e)?;
        let mut new = Vec::new();
        let mut in_index = Vec::new();
        let mut findings = Vec::new();
        let mut candidates_seen = 0usize;
        corpus.read(false, |batch| {
            let texts: Vec<&str> = batch.iter().map(|d| d.text.as_str()).collect();
            let sketches = sketcher.sketch_batch(&texts);
            // Indexed documents met in this batch; a batch is a few MB of text, so this
            // stays small while sparing repeated reads of popular matches.
            let mut cache: HashMap<i64, Option<Stored>> = HashMap::new();
            for (doc, sketch) in batch.iter().zip(sketches) {
                let (shingles, slots) = (sketch.shingles, &sketch.signature);
                let file = &corpus.files[doc.origin.file as usize];
                new.push(NewDocument {
                    id: doc.id.clone(),
                    source: doc.source.clone(),
                    file: file.display.clone(),
                    line: doc.origin.line.max(1),
                    jsonl: doc.origin.line > 0,
                    shingles,
                });
                if shingles == 0 {
                    continue;
                }
                let mut candidates = BTreeSet::new();
                for (band, &key) in sketch.band_keys.iter().enumerate() {
                    let rows = lookup
                        .query_map(
                            params![band as i64, key as i64, options.bucket_limit as i64],
                            |r| r.get::<_, i64>(0),
                        )
                        .map_err(e)?;
                    for row in rows {
                        candidates.insert(row.map_err(e)?);
                    }
                }
                candidates_seen += candidates.len();
                let mut best: Option<IndexMatch> = None;
                for candidate in candidates {
                    let stored = match cache.entry(candidate) {
                        std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                        std::collections::hash_map::Entry::Vacant(v) => v.insert(
                            fetch
                                .query_row([candidate], |r| {
                                    Ok(Stored {
                                        id: r.get(0)?,
                                        source: r.get(1)?,
                                        shingles: r.get(2)?,
                                        slots: super::slots_from_blob(&r.get::<_, Vec<u8>>(3)?),
                                    })
                                })
                                .optional()
                                .map_err(e)?,
                        ),
                    };
                    // A row gone between look-up and fetch cannot happen inside one read
                    // transaction, but a missing row is simply no match.
                    let Some(stored) = stored.as_ref() else {
                        continue;
                    };
                    let similarity = minhash::estimate(slots, &stored.slots);
                    let containment =
                        crate::dups::containment_estimate(similarity, shingles, stored.shingles);
                    // The rule of `dups --verify estimate` (the pair's numbers do not matter).
                    let confirmed = dups::accept(&rule, 0, 1, similarity, containment).is_some();
                    // Candidates come in index order, so on equal similarity the earliest
                    // indexed document stays the match.
                    if confirmed && best.as_ref().is_none_or(|b| similarity > b.similarity) {
                        best = Some(IndexMatch {
                            doc: doc.number,
                            of: stored.id.clone(),
                            of_source: stored.source.clone(),
                            similarity,
                            containment,
                        });
                    }
                }
                in_index.extend(best);
            }
            Ok(())
        })?;
        drop((lookup, fetch));
        findings.extend(extensions.check(&tx, corpus)?);
        drop(tx);

        let mut config = settings.to_config();
        config.verify = options.verify;
        config.keep = options.keep;
        let within_new = dups::find(corpus, &config)?;

        let mut outcome = CheckOutcome {
            new,
            in_index,
            within_new,
            findings,
            indexed,
            candidates: candidates_seen,
            rules: Vec::new(),
            seconds: 0.0,
        };
        outcome.rules = evaluate(&outcome, &options.rules, &extensions);
        outcome.seconds = started.elapsed().as_secs_f64();
        Ok(outcome)
    }
}

fn evaluate(outcome: &CheckOutcome, rules: &Rules, extensions: &Extensions) -> Vec<RuleResult> {
    let total = outcome.new.len().max(1) as f64;
    let verdict = |rule: Rule, documents: usize, max: f64| {
        let ratio = documents as f64 / total;
        RuleResult {
            rule,
            documents,
            ratio,
            max,
            broken: rules.fail_on.contains(&rule) && ratio > max,
        }
    };
    let mut out = vec![verdict(
        Rule::Duplicate,
        outcome.duplicate_documents(),
        rules.max_duplicate_ratio,
    )];
    for (rule, max) in [
        (Rule::Passage, rules.max_passage_ratio),
        (Rule::Chrome, rules.max_chrome_ratio),
    ] {
        if extensions.records(rule.kind()) {
            let docs: HashSet<u32> = outcome
                .findings
                .iter()
                .filter(|f| f.record.kind() == rule.kind())
                .map(|f| f.doc)
                .collect();
            out.push(verdict(rule, docs.len(), max));
        }
    }
    out
}
