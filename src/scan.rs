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
//!    inside chrome lines: a repeated footer is chrome, reported once as chrome. When stage 1
//!    runs, the passages' first pass (fingerprints) takes its tokens from it, so the corpus
//!    is read and tokenized once for both; only their second pass reads it here.
//!
//! [`Findings::plan`] turns the findings into removals that never lose the only copy of
//! anything: a duplicate is dropped only in favour of its cluster's kept representative, and a
//! passage copy is cut only when its first occurrence survives (its document is kept and the
//! occurrence is not itself cut as chrome).

use crate::chrome::{self, ChromeLines, Model};
use crate::corpus::{Corpus, Document, Edit};
use crate::dups;
use crate::passages;
use crate::report::{ChromeRecord, Record, SummaryRecord};
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
    let passages_config = config.passages.as_ref().map(|pc| passages::Config {
        memory: config.memory,
        ..pc.clone()
    });
    // Raw-text duplicates are needed first only as syndication evidence for chrome. Passages
    // are searched in the raw text too, tokenized under the same folds: their pass 1 takes
    // the tokens of this search instead of reading and tokenizing the corpus once more (6–9%
    // of a scan's CPU), and sets its fingerprints aside on disk beyond a 64th of the budget,
    // so that the stages in between hold no more memory than before (kept in memory up to a
    // 16th, they added 113 MB to the peak of a scan of 100 000 news pages, ~110 MB of
    // fingerprints; written and read back, they cost a fraction of a CPU second).
    let mut pass1 = None;
    let raw_dups = match &dups_config {
        Some(c) if config.chrome.is_none() || config.syndication => {
            Some(match passages_config.as_ref() {
                Some(pc) if pc.hash.folds == c.hash.folds => {
                    pc.validate()?;
                    let tap = pass1.insert(passages::Pass1::new(pc));
                    let found = dups::find_sharing_tokens(corpus, c, tap)?;
                    tap.set_aside(config.memory / 64)?;
                    found
                }
                _ => dups::find(corpus, c)?,
            })
        }
        _ => None,
    };
    if let Some(d) = &raw_dups {
        findings.documents = d.stats.documents;
        findings.bytes = d.stats.bytes;
    }
    // The chrome lines near-duplicates are compared without, when they are more than those
    // removed (see [`chrome::Config::compare_threshold`]).
    let mut compared: Option<ChromeLines> = None;
    if let Some(chrome_config) = &config.chrome {
        let clusters = raw_dups
            .as_ref()
            .filter(|_| config.syndication)
            .map(|d| d.clusters.as_slice());
        // Found at the comparison threshold; what is reported and removed is the share that
        // reaches the removal threshold.
        let (compare, remove) = (chrome_config.compare_threshold(), chrome_config.threshold());
        let chrome_config = chrome::Config {
            memory: config.memory,
            threshold: Some(compare),
            ..chrome_config.clone()
        };
        let mut detection =
            chrome::detect_with_model(corpus, &chrome_config, clusters, &config.chrome_model)?;
        if compare < remove {
            let removed = detection.lines.at_least(remove, config.memory / 8)?;
            let mut all = std::mem::replace(&mut detection.lines, removed);
            all.spill_rest()?;
            // Kept only while near-duplicates still need them.
            compared = dups_config.is_some().then_some(all);
        }
        detection.lines.spill_rest()?;
        findings.documents = detection.pages;
        findings.bytes = detection.bytes;
        findings.chrome = Some(detection);
    }
    // The raw-text search stands only when no chrome line is left out of the comparison;
    // otherwise it is freed before the search without chrome builds its own.
    let lines_left_out = compared
        .as_ref()
        .or(findings.chrome.as_ref().map(|d| &d.lines));
    let raw_dups = raw_dups.filter(|_| lines_left_out.is_none_or(|l| l.is_empty()));
    // The chrome ranges of a document are read from the stored lines themselves (on disk
    // beyond the budget), not from a map holding a second copy of them all.
    let chrome_lines = ChromeRanges::new(findings.chrome.as_ref().map(|d| &d.lines));
    findings.dups = match &dups_config {
        Some(c) => {
            let compared_lines = match &compared {
                Some(lines) => ChromeRanges::new(Some(lines)),
                None => ChromeRanges::new(findings.chrome.as_ref().map(|d| &d.lines)),
            };
            let outcome = dups_outside_chrome(corpus, c, &compared_lines, raw_dups)?;
            compared_lines.finish()?;
            Some(outcome)
        }
        None => None,
    };
    drop(compared);
    if let Some(pc) = &passages_config {
        // Passages lying in chrome lines are dropped as they are found, not after the search:
        // close to half of those found on news sites, held to its end they were its peak.
        let keep = |p: &passages::Passage| {
            chrome_lines.is_empty() || {
                let ranges = chrome_lines.of(p.doc);
                !mostly_inside(&(p.start..p.end), Some(&ranges))
            }
        };
        let outcome = match pass1 {
            Some(pass1) => passages::find_after(corpus, pc, pass1, keep)?,
            None => passages::find_where(corpus, pc, keep)?,
        };
        if findings.documents == 0 {
            findings.documents = outcome.stats.documents as usize;
            findings.bytes = outcome.stats.bytes;
        }
        findings.passages = Some(outcome);
    }
    chrome_lines.finish()?;
    Ok(findings)
}

/// Near-duplicates of `corpus` compared on the text minus its chrome lines (found by `chrome`
/// alone, without syndication evidence), so one article published under two site templates is
/// still found: what `chaff dups --chrome` reports.
pub fn dups_without_chrome(
    corpus: &Corpus,
    dups: &dups::Config,
    chrome: &chrome::Config,
) -> Result<dups::Outcome> {
    dups.validate()?;
    chrome.validate()?;
    let compare = chrome::Config {
        threshold: Some(chrome.compare_threshold()),
        ..chrome.clone()
    };
    let detection = chrome::detect_with_model(corpus, &compare, None, &Model::default())?;
    let ranges = ChromeRanges::new(Some(&detection.lines));
    let outcome = dups_outside_chrome(corpus, dups, &ranges, None)?;
    ranges.finish()?;
    Ok(outcome)
}

/// Chrome lines of `corpus`, with the clusters of a near-duplicate search configured by
/// `syndication` as evidence when it is given (lines that syndicated copies of an article do
/// not share are chrome), and the template statistics of `prior`: what `chaff chrome` reports.
pub fn chrome_lines(
    corpus: &Corpus,
    chrome: &chrome::Config,
    syndication: Option<&dups::Config>,
    prior: &Model,
) -> Result<chrome::Detection> {
    chrome.validate()?;
    let clusters = match syndication {
        Some(c) => Some(dups::find(corpus, c)?.clusters),
        None => None,
    };
    chrome::detect_with_model(corpus, chrome, clusters.as_deref(), prior)
}

/// Near-duplicates compared without the chrome lines `chrome_lines` (sorted by document, then
/// line); with none, the search on the raw text, `raw` when it was already made.
fn dups_outside_chrome(
    corpus: &Corpus,
    config: &dups::Config,
    chrome_lines: &ChromeRanges,
    raw: Option<dups::Outcome>,
) -> Result<dups::Outcome> {
    if !chrome_lines.is_empty() {
        return dups::find_with_view(corpus, config, &|d: &Document| {
            chrome::without_chrome(&d.text, &chrome_lines.of(d.number))
        });
    }
    match raw {
        Some(raw) => Ok(raw),
        None => dups::find(corpus, config),
    }
}

/// The byte ranges of document `doc`'s chrome lines, in text order.
fn chrome_ranges_of(lines: Option<&ChromeLines>, doc: u32) -> Result<Vec<Range<usize>>> {
    lines.map_or(Ok(Vec::new()), |l| l.ranges_of(doc))
}

/// Chrome ranges read back for stages whose document views cannot fail (a view maps a text to
/// a text): the first read error is kept, and [`ChromeRanges::finish`] returns it after the
/// stage.
struct ChromeRanges<'a> {
    lines: Option<&'a ChromeLines>,
    failed: std::sync::Mutex<Option<crate::Error>>,
}

impl<'a> ChromeRanges<'a> {
    fn new(lines: Option<&'a ChromeLines>) -> Self {
        ChromeRanges {
            lines,
            failed: std::sync::Mutex::new(None),
        }
    }

    fn is_empty(&self) -> bool {
        self.lines.is_none_or(|l| l.is_empty())
    }

    /// Document `doc`'s chrome ranges; none after a read error, which `finish` reports.
    fn of(&self, doc: u32) -> Vec<Range<usize>> {
        chrome_ranges_of(self.lines, doc).unwrap_or_else(|e| {
            self.failed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .get_or_insert(e);
            Vec::new()
        })
    }

    fn finish(self) -> Result<()> {
        match self.failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }
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

/// One removal made by `clean`, as logged: a duplicate, passage or chrome record.
pub type Removal = Record;

/// What `clean` does to each document, with one log record per removal.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Documents dropped whole.
    pub dropped: HashSet<u32>,
    /// Byte ranges cut from kept documents besides their chrome lines (later passage copies).
    pub cuts: HashMap<u32, Vec<Range<usize>>>,
    /// The removals, in the order: duplicates, chrome, passages (each in corpus order).
    pub log: Vec<Removal>,
    /// The chrome lines cut, read back a document at a time (from disk beyond the budget):
    /// a map of every chrome range by document cost about 350 bytes a page at corpus scale.
    chrome: Option<ChromeLines>,
}

impl Plan {
    /// The edit for document `number`: its chrome lines in text order, then its passage cuts.
    /// Fails only when the stored chrome lines cannot be read back.
    pub fn edit(&self, number: u32) -> Result<Edit> {
        if self.dropped.contains(&number) {
            return Ok(Edit::Drop);
        }
        let mut cuts = chrome_ranges_of(self.chrome.as_ref(), number)?;
        if let Some(more) = self.cuts.get(&number) {
            cuts.extend(more.iter().cloned());
        }
        Ok(if cuts.is_empty() {
            Edit::Keep
        } else {
            Edit::Cut(cuts)
        })
    }
}

impl Findings {
    /// The closing record of a scan that took `seconds`: what was read, and how much each
    /// analysis that ran found.
    pub fn summary_record(&self, seconds: f64) -> SummaryRecord {
        SummaryRecord {
            documents: self.documents,
            bytes: self.bytes,
            duplicates: self.dups.as_ref().map(|d| d.duplicates.len()),
            clusters: self.dups.as_ref().map(|d| d.clusters.len()),
            passages: self.passages.as_ref().map(|p| p.passages.len()),
            chrome_lines: self.chrome.as_ref().map(|c| c.lines.len()),
            seconds: (seconds * 1000.0).round() / 1000.0,
        }
    }

    /// Every record of the findings, in the order `chaff scan --format json` writes them:
    /// duplicates, passages, chrome lines (one at a time, so that the most numerous findings
    /// are never all held twice; they may be read back from disk, hence the `Result`), each in
    /// corpus order. The summary is not among them.
    pub fn records(&self) -> impl Iterator<Item = Result<Record>> + '_ {
        let chrome = self.chrome.iter().flat_map(|c| {
            c.lines
                .iter()
                .map(|l| l.map(|l| Record::Chrome(ChromeRecord::from(&l))))
        });
        self.records_but_chrome().map(Ok).chain(chrome)
    }

    /// The records of [`Findings::records`] before the chrome lines: duplicates, then passages.
    /// A writer of many records takes the chrome lines from their store instead
    /// ([`crate::report::write_chrome_json`]).
    pub fn records_but_chrome(&self) -> impl Iterator<Item = Record> + '_ {
        let dups = self.dups.iter().flat_map(|d| {
            crate::report::duplicate_records(d)
                .into_iter()
                .map(Record::Duplicate)
        });
        let passages = self
            .passages
            .iter()
            .flat_map(|p| p.passages.iter().map(move |x| Record::Passage(p.record(x))));
        dups.chain(passages)
    }

    /// True when any analysis found something.
    pub fn found_anything(&self) -> bool {
        self.dups.as_ref().is_some_and(|d| !d.duplicates.is_empty())
            || self
                .passages
                .as_ref()
                .is_some_and(|p| !p.passages.is_empty())
            || self.chrome.as_ref().is_some_and(|c| !c.lines.is_empty())
    }

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
    /// alone are a dozen or more per page). The plan returned has an empty `log`; it holds a
    /// copy of the chrome lines (see [`Findings::into_plan_with`], which does not).
    pub fn plan_with<E: From<crate::Error>>(
        &self,
        each: impl FnMut(Removal) -> std::result::Result<(), E>,
    ) -> std::result::Result<Plan, E> {
        let mut plan = self.plan_without_chrome(each)?;
        plan.chrome = self.chrome.as_ref().map(|c| c.lines.clone());
        Ok(plan)
    }

    /// Like [`Findings::plan_with`], handing the chrome lines over to the plan instead of
    /// copying them: what `clean` uses, since it needs the findings no longer.
    pub fn into_plan_with<E: From<crate::Error>>(
        mut self,
        each: impl FnMut(Removal) -> std::result::Result<(), E>,
    ) -> std::result::Result<Plan, E> {
        let mut plan = self.plan_without_chrome(each)?;
        plan.chrome = self.chrome.take().map(|c| c.lines);
        Ok(plan)
    }

    /// The plan but its chrome lines, each removal handed to `each`.
    fn plan_without_chrome<E: From<crate::Error>>(
        &self,
        mut each: impl FnMut(Removal) -> std::result::Result<(), E>,
    ) -> std::result::Result<Plan, E> {
        let mut plan = Plan::default();
        if let Some(d) = &self.dups {
            plan.dropped.extend(d.duplicates.iter().map(|x| x.doc));
            for record in crate::report::duplicate_records(d) {
                each(Record::Duplicate(record))?;
            }
        }
        // Chrome cuts are not copied into the plan: [`Plan::edit`] reads them back from the
        // stored lines, as a passage's source is read back here.
        if let Some(c) = &self.chrome {
            for line in c.lines.iter() {
                let line = line?;
                if plan.dropped.contains(&line.doc) {
                    continue;
                }
                each(Record::Chrome(ChromeRecord::from(&line)))?;
            }
        }
        if let Some(p) = &self.passages {
            for passage in &p.passages {
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
                each(Record::Passage(p.record(passage)))?;
            }
        }
        Ok(plan)
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
