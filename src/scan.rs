//! One run of all three analyses, and the plan that `clean` writes from them.
//!
//! The stages feed each other in this order:
//!
//! 1. near-duplicates on the raw text, whose clusters tell chrome detection which pages are
//!    syndicated copies of one article (lines those copies do not share are page chrome); only
//!    when syndication evidence is asked for;
//! 2. chrome lines, from each line's shape, the source's template and syndication evidence;
//! 3. near-duplicates again on the text *minus chrome*, so one article published under two site
//!    templates is still found (skipped when no chrome was found: the first result stands);
//! 4. repeated passages on the original text (offsets must point into it), minus those lying
//!    inside chrome lines: a repeated footer is chrome, reported once as chrome.
//!
//! [`Findings::plan`] turns the findings into removals that never lose the only copy of
//! anything: a duplicate is dropped only in favour of its cluster's kept representative, and a
//! passage copy is cut only when its first occurrence survives (its document is kept and the
//! occurrence is not itself cut as chrome).

use crate::chrome::{self, ChromeLine, ChromeLines, Model};
use crate::corpus::{Corpus, Document, Edit};
use crate::dups;
use crate::passages;
use crate::report::{ChromeRecord, DuplicateRecord};
use crate::Result;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Which analyses run, and how each is configured; `None` switches one off.
#[derive(Debug, Clone)]
pub struct Config {
    /// Near-duplicate documents.
    pub dups: Option<dups::Config>,
    /// Repeated passages.
    pub passages: Option<passages::Config>,
    /// Chrome lines.
    pub chrome: Option<chrome::Config>,
    /// Template statistics learned from earlier scrapes (`chaff chrome --learn`).
    pub chrome_model: Model,
    /// Use near-duplicate clusters as syndication evidence for chrome (needs `dups`).
    pub syndication: bool,
    /// Memory budget of the whole scan in bytes (default [`crate::spill::DEFAULT_MEMORY`]);
    /// it replaces the stages' own budgets. What grows with the corpus spills to temporary
    /// files beyond it (see [`crate::spill`]); the findings do not depend on it.
    pub memory: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            dups: None,
            passages: None,
            chrome: None,
            chrome_model: Model::default(),
            syndication: false,
            memory: crate::spill::DEFAULT_MEMORY,
        }
    }
}

impl Config {
    /// Refuses a configuration any of whose analyses would refuse its own (see each stage's
    /// `validate`), before a scan reads anything: a bad chrome threshold is reported at once,
    /// not after the near-duplicate pass.
    pub fn validate(&self) -> std::result::Result<(), crate::ConfigError> {
        crate::spill::check_memory("scan.memory", self.memory)?;
        if let Some(c) = &self.dups {
            c.validate()?;
        }
        if let Some(c) = &self.passages {
            c.validate()?;
        }
        if let Some(c) = &self.chrome {
            c.validate()?;
        }
        Ok(())
    }
}

/// What a scan found.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// Near-duplicates (compared without chrome when chrome is on).
    pub dups: Option<dups::Outcome>,
    /// Repeated passages outside chrome lines.
    pub passages: Option<passages::Outcome>,
    /// Chrome lines and the learned template statistics.
    pub chrome: Option<chrome::Detection>,
    /// Documents read.
    pub documents: usize,
    /// Bytes of text read.
    pub bytes: u64,
}

/// Runs the analyses `config` asks for over `corpus`.
pub fn scan(corpus: &Corpus, config: &Config) -> Result<Findings> {
    config.validate()?;
    let mut findings = Findings::default();
    let dups_config = config.dups.as_ref().map(|c| dups::Config {
        memory: config.memory,
        ..c.clone()
    });
    // Raw-text duplicates are needed first only as syndication evidence for chrome.
    let raw_dups = match &dups_config {
        Some(c) if config.chrome.is_none() || config.syndication => Some(dups::find(corpus, c)?),
        _ => None,
    };
    if let Some(d) = &raw_dups {
        findings.documents = d.stats.documents;
        findings.bytes = d.stats.bytes;
    }
    if let Some(chrome_config) = &config.chrome {
        let clusters = raw_dups
            .as_ref()
            .filter(|_| config.syndication)
            .map(|d| d.clusters.as_slice());
        let chrome_config = chrome::Config {
            memory: config.memory,
            ..chrome_config.clone()
        };
        let detection =
            chrome::detect_with_model(corpus, &chrome_config, clusters, &config.chrome_model)?;
        findings.documents = detection.pages;
        findings.bytes = detection.bytes;
        findings.chrome = Some(detection);
    }
    // The chrome ranges of a document are read from the stored lines themselves (on disk
    // beyond the budget), not from a map holding a second copy of them all. Views cannot fail,
    // so the first read error is kept and returned after the stage.
    let chrome_lines: Option<&ChromeLines> = findings.chrome.as_ref().map(|d| &d.lines);
    let failed = std::sync::Mutex::new(None);
    let ranges_of = |doc: u32| -> Vec<Range<usize>> {
        chrome_ranges_of(chrome_lines, doc).unwrap_or_else(|e| {
            failed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert(e);
            Vec::new()
        })
    };
    findings.dups = match (&dups_config, raw_dups) {
        (Some(c), _) if chrome_lines.is_some_and(|l| !l.is_empty()) => {
            Some(dups::find_with_view(corpus, c, &|d: &Document| {
                chrome::without_chrome(&d.text, &ranges_of(d.number))
            })?)
        }
        (Some(_), Some(raw)) => Some(raw),
        (Some(c), None) => Some(dups::find(corpus, c)?),
        (None, _) => None,
    };
    if let Some(pc) = &config.passages {
        let pc = passages::Config {
            memory: config.memory,
            ..pc.clone()
        };
        let mut outcome = passages::find(corpus, &pc)?;
        outcome.passages.retain(|p| {
            let ranges = ranges_of(p.doc);
            !mostly_inside(&(p.start..p.end), Some(&ranges))
        });
        if findings.documents == 0 {
            findings.documents = outcome.stats.documents as usize;
            findings.bytes = outcome.stats.bytes;
        }
        findings.passages = Some(outcome);
    }
    if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    Ok(findings)
}

/// The byte ranges of document `doc`'s chrome lines, in text order.
fn chrome_ranges_of(lines: Option<&ChromeLines>, doc: u32) -> Result<Vec<Range<usize>>> {
    lines.map_or(Ok(Vec::new()), |l| l.ranges_of(doc))
}

/// A document's text minus its chrome lines.
pub fn body_of<'a>(doc: &'a Document, chrome: &HashMap<u32, Vec<Range<usize>>>) -> Cow<'a, str> {
    let ranges = chrome.get(&doc.number).map(Vec::as_slice).unwrap_or(&[]);
    chrome::without_chrome(&doc.text, ranges)
}

/// True when at least half of `span` lies inside `ranges`.
fn mostly_inside(span: &Range<usize>, ranges: Option<&Vec<Range<usize>>>) -> bool {
    let Some(ranges) = ranges else {
        return false;
    };
    let covered: usize = ranges
        .iter()
        .map(|r| r.end.min(span.end).saturating_sub(r.start.max(span.start)))
        .sum();
    covered * 2 >= span.len().max(1)
}

/// One removal made by `clean`, as logged.
#[derive(Debug, Clone, serde::Serialize)]
#[serde(untagged)]
pub enum Removal {
    /// A near-duplicate document dropped.
    Duplicate(DuplicateRecord),
    /// A later copy of a repeated passage cut.
    Passage(passages::PassageRecord),
    /// A chrome line cut.
    Chrome(ChromeRecord),
}

/// What `clean` does to each document, with one log record per removal.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Documents dropped whole.
    pub dropped: HashSet<u32>,
    /// Byte ranges cut from kept documents.
    pub cuts: HashMap<u32, Vec<Range<usize>>>,
    /// The removals, in the order: duplicates, chrome, passages (each in corpus order).
    pub log: Vec<Removal>,
}

impl Plan {
    /// The edit for document `number`.
    pub fn edit(&self, number: u32) -> Edit {
        if self.dropped.contains(&number) {
            Edit::Drop
        } else if let Some(cuts) = self.cuts.get(&number) {
            Edit::Cut(cuts.clone())
        } else {
            Edit::Keep
        }
    }
}

impl Findings {
    /// The removals `clean` makes: duplicates dropped, chrome lines cut, later passage copies
    /// cut when their first occurrence survives.
    pub fn plan(&self) -> Result<Plan> {
        let mut log = Vec::new();
        let mut plan = self.plan_with(|r| {
            log.push(r);
            Ok::<(), crate::Error>(())
        })?;
        plan.log = log;
        Ok(plan)
    }

    /// Like [`Findings::plan`], but hands each removal to `each`, in the log's order, instead
    /// of keeping them: a log written as it is made costs no memory per removal (chrome lines
    /// alone are a dozen or more per page). The plan returned has an empty `log`.
    pub fn plan_with<E: From<crate::Error>>(
        &self,
        mut each: impl FnMut(Removal) -> std::result::Result<(), E>,
    ) -> std::result::Result<Plan, E> {
        let mut plan = Plan::default();
        if let Some(d) = &self.dups {
            plan.dropped.extend(d.duplicates.iter().map(|x| x.doc));
            for record in crate::report::duplicate_records(d) {
                each(Removal::Duplicate(record))?;
            }
        }
        // Chrome cuts go straight into the plan: a second map of every chrome line by
        // document cost as much again on a large corpus. A passage's source is read back
        // from the stored lines instead.
        if let Some(c) = &self.chrome {
            for line in c.lines.iter() {
                let line = line?;
                if plan.dropped.contains(&line.doc) {
                    continue;
                }
                plan.cuts
                    .entry(line.doc)
                    .or_default()
                    .push(line.byte_start..line.byte_end);
                each(Removal::Chrome(ChromeRecord::from(&line)))?;
            }
        }
        if let Some(p) = &self.passages {
            let records = p.records();
            for (passage, record) in p.passages.iter().zip(records) {
                let source_survives = !plan.dropped.contains(&passage.of_doc)
                    && !mostly_inside(
                        &(passage.of_start..passage.of_end),
                        Some(&chrome_ranges_of(
                            self.chrome.as_ref().map(|c| &c.lines),
                            passage.of_doc,
                        )?),
                    );
                if plan.dropped.contains(&passage.doc) || !source_survives {
                    continue;
                }
                plan.cuts
                    .entry(passage.doc)
                    .or_default()
                    .push(passage.cut.clone());
                each(Removal::Passage(record))?;
            }
        }
        Ok(plan)
    }
}

impl From<&ChromeLine> for ChromeRecord {
    fn from(c: &ChromeLine) -> Self {
        ChromeRecord::new(&c.id, c.byte_start, c.byte_end, c.line, &c.reason, c.score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_span_half_inside_chrome_counts_as_chrome() {
        let ranges = vec![0..10, 20..30];
        assert!(mostly_inside(&(0..10), Some(&ranges)));
        assert!(mostly_inside(&(5..15), Some(&ranges)));
        assert!(!mostly_inside(&(8..20), Some(&ranges)));
        assert!(!mostly_inside(&(0..10), None));
    }
}
