//! Chrome: the lines a site wraps around every article (date headers, breadcrumbs, menus,
//! related-article lists, buttons, comment forms, author boxes, footers), found in plain text.
//!
//! Boilerplate tools (jusText, boilerpipe, trafilatura) need the HTML; chaff decides from the
//! text alone, line by line, with three kinds of evidence:
//!
//! - **the line itself** (the `features` submodule): length, stopword density in the line's own
//!   language (Persian, Arabic, English lists of function words in `data/`), sentence
//!   punctuation, separators, dates and counters, UI words, bullets; classified and smoothed over
//!   its neighbours as jusText does (Pomikálek 2011), see the `classify` submodule;
//! - **the source's other pages** (the `model` submodule, [`Model`]): lines whose *shape* (digits,
//!   dates and counters masked) recurs on many pages of the same source, in the same half of the
//!   page, are template chrome (Bar-Yossef & Rajagopalan 2002), except formulaic prose inside
//!   the article body;
//! - **syndicated copies**: given near-duplicate clusters (from [`crate::dups`]), lines at the
//!   head or tail of a page that its copies on other pages do not carry are that page's chrome.
//!
//! Every removal carries a [`Reason`] a person can read. The template statistics can be stored
//! ([`Model::save`]) and reused on a later, smaller scrape ([`detect_with_model`]).
//!
//! Guarantees: a chrome line's range covers exactly one whole line of the original text (without
//! its line break), on `char` boundaries; nothing depends on thread count or on document order
//! beyond corpus numbering; one pass over the corpus (two when a page's line features do not fit
//! their packed form). Memory: the line keys of every page are counted through sorted
//! runs on disk beyond a quarter of [`Config::memory`], so only keys carried by two pages or more
//! are held; the line features of pass 1 are kept for pass 2 in memory up to an eighth of it
//! (112 bytes a line) and in a temporary file beyond (about 83 bytes a line, read back in order
//! and freed as pass 2 ends); the chrome lines found are stored compactly and
//! spilled beyond an eighth of it ([`ChromeLines`]); what remains grows with the line marks of
//! clustered pages and the titles of pages (72 bytes a page, in sorted arrays).

mod classify;
mod clock;
mod features;
#[cfg(test)]
mod features_reference;
mod kept;
mod lexicon;
mod model;
mod score;
mod store;
mod vocabulary;

pub use classify::{Cue, Reason, Region};
pub use lexicon::Lang;
pub use model::{Model, SourceStats, MODEL_FORMAT, MODEL_VERSION};
pub use score::{feature_names, LineModel, LINE_MODEL_FORMAT, LINE_MODEL_VERSION, PROSE_CAP};
pub use store::ChromeLines;
pub use vocabulary::{Vocabulary, VOCABULARY_SCALE};

use crate::cluster::Cluster;
use crate::corpus::{Corpus, Document};
use crate::spill::Sorter;
use crate::text::Normalizer;
use crate::Result;
use features::Line;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

/// What shapes chrome detection.
#[derive(Debug, Clone)]
pub struct Config {
    /// A line shape is template chrome when at least this many pages of its source carry it...
    pub min_pages: u32,
    /// ...and at least this share of the source's pages.
    pub min_share: f64,
    /// Use corpus evidence (lines recurring on the source's pages, titles of other pages);
    /// off, each page is judged alone.
    pub templates: bool,
    /// The line model that scores each line (the shipped one by default).
    pub line_model: Arc<LineModel>,
    /// A line is chrome when its score reaches this; `None` takes the line model's own default
    /// (chosen on held-out real pages for precision first).
    pub threshold: Option<f64>,
    /// Memory budget in bytes (default [`crate::spill::DEFAULT_MEMORY`]): the chrome lines
    /// found beyond an eighth of it go to a temporary file under `TMPDIR` (see
    /// [`ChromeLines`]); the lines found do not depend on it.
    pub memory: u64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            min_pages: 3,
            min_share: 0.05,
            templates: true,
            line_model: LineModel::builtin(),
            threshold: None,
            memory: crate::spill::DEFAULT_MEMORY,
        }
    }
}

impl Config {
    /// Refuses settings that cannot mean anything: a `min_share` or `threshold` outside 0..=1
    /// (or NaN), a memory budget below [`crate::spill::MIN_MEMORY`].
    pub fn validate(&self) -> std::result::Result<(), crate::ConfigError> {
        crate::ConfigError::check_unit("chrome.min_share", self.min_share)?;
        crate::spill::check_memory("chrome.memory", self.memory)?;
        if let Some(t) = self.threshold {
            crate::ConfigError::check_unit("chrome.threshold", t)?;
        }
        Ok(())
    }

    /// The removal threshold in force.
    pub fn threshold(&self) -> f64 {
        self.threshold.unwrap_or(self.line_model.threshold)
    }

    /// The threshold at which a line is left out when documents are compared (near-duplicates
    /// without chrome): an explicit `threshold` sets both; by default the line model's
    /// comparison threshold, never above removal's. A line left out of a comparison is not
    /// deleted, so a missed template line (which hides a syndicated copy) costs more there
    /// than an article line ignored.
    pub fn compare_threshold(&self) -> f64 {
        match self.threshold {
            Some(t) => t,
            None => {
                let m = &self.line_model;
                m.compare_threshold.unwrap_or(m.threshold).min(m.threshold)
            }
        }
    }
}

/// A chrome line found on one page.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// Byte offset of the line's first character in the original text.
    pub byte_start: usize,
    /// Byte offset just past its last character (the line break excluded).
    pub byte_end: usize,
    /// 1-based line number.
    pub line: u32,
    /// Why it is chrome.
    pub reason: Reason,
    /// The line model's probability that the line is chrome.
    pub score: f64,
}

/// A chrome line of a corpus document.
#[derive(Debug, Clone, PartialEq)]
pub struct ChromeLine {
    /// The document's number in corpus order.
    pub doc: u32,
    /// The document's id.
    pub id: String,
    /// Byte offset of the line's first character in the document's text.
    pub byte_start: usize,
    /// Byte offset just past its last character (the line break excluded).
    pub byte_end: usize,
    /// 1-based line number.
    pub line: u32,
    /// Why it is chrome.
    pub reason: Reason,
    /// The line model's probability that the line is chrome.
    pub score: f64,
}

/// What [`detect_with_model`] found and learned.
#[derive(Debug, Clone, Default)]
pub struct Detection {
    /// Chrome lines in corpus order, then line order (spilled to disk beyond the budget).
    pub lines: ChromeLines,
    /// The prior model plus this corpus's template statistics (what `--learn` stores), without
    /// the keys seen on one page only.
    pub model: Model,
    /// Pages read.
    pub pages: usize,
    /// Lines read (blank lines included).
    pub lines_read: u64,
    /// Bytes of text read.
    pub bytes: u64,
}

/// The chrome lines of a corpus, from its own evidence (and syndicated copies when `clusters`
/// is given).
pub fn detect(
    corpus: &Corpus,
    config: &Config,
    clusters: Option<&[Cluster]>,
) -> Result<Vec<ChromeLine>> {
    detect_with_model(corpus, config, clusters, &Model::default())?
        .lines
        .to_vec()
}

/// Salt of label keys, so a label never matches a whole line.
const LABEL_SALT: u64 = 0x2545_f491_4f6c_dd1d;
/// Salt of path keys, so a breadcrumb's root never matches a whole line or a label.
const PATH_SALT: u64 = 0x7f4a_7c15_94d0_49bb;

/// Line keys a page contributes to its source's statistics: each non-blank line's shape, with
/// the half of the page (by non-blank line count) it lies in, the label of each line that
/// opens with one ("Related:"), and the root of each breadcrumb ("Home" of "Home › World ›
/// <headline>", [`features::Features::path`]), wherever they lie.
fn page_keys(lines: &[Line]) -> Vec<u64> {
    let filled: Vec<&Line> = lines.iter().filter(|l| !l.f.is_empty()).collect();
    let half = filled.len().div_ceil(2);
    let shapes = filled
        .iter()
        .enumerate()
        .map(|(k, l)| model::line_key(l.f.shape, k >= half));
    let labels = filled
        .iter()
        .filter_map(|l| l.f.label.map(|h| model::line_key(h ^ LABEL_SALT, false)));
    let paths = filled
        .iter()
        .filter_map(|l| l.f.path.map(|h| model::line_key(h ^ PATH_SALT, false)));
    shapes.chain(labels).chain(paths).collect()
}

/// Per-line template evidence of a page against `model`; `counted` says whether the page is
/// itself counted in the model (otherwise it is added as one more page).
fn template_evidence(
    lines: &[Line],
    source: Option<&str>,
    model: &Model,
    config: &Config,
    counted: bool,
) -> Vec<Option<classify::Recurrence>> {
    let mut out = vec![None; lines.len()];
    if !config.templates {
        return out;
    }
    let recurs = |key: u64| {
        let (mut n, mut of) = model.count(source, key);
        if !counted {
            n += 1;
            of += 1;
        }
        (n >= config.min_pages.max(2) && n as f64 >= config.min_share * of as f64)
            .then_some((n, of))
    };
    // A part of the line (its label, its path) recurring, under its salt.
    let part = |hash: Option<u64>, salt: u64| {
        let (pages, of) = recurs(model::line_key(hash? ^ salt, false))?;
        Some(classify::Recurrence {
            pages,
            of,
            label: true,
        })
    };
    let keys = page_keys(lines);
    let filled = lines.iter().enumerate().filter(|(_, l)| !l.f.is_empty());
    for ((i, line), key) in filled.zip(keys) {
        out[i] = recurs(key)
            .map(|(pages, of)| classify::Recurrence {
                pages,
                of,
                label: false,
            })
            .or_else(|| part(line.f.label, LABEL_SALT))
            .or_else(|| part(line.f.path, PATH_SALT));
    }
    out
}

/// The lines of a page whose score reaches the threshold, each with the rules' reason (or the
/// line model's own when no rule gave one).
fn spans(lines: &[Line], evidence: &classify::Evidence, config: &Config) -> Vec<Span> {
    let judged = classify::classify(lines, evidence);
    let reasons = judged.reasons(lines.len());
    let scored = score::scores(lines, &judged, &reasons, evidence, &config.line_model);
    let scores = &scored.score;
    let threshold = config.threshold();
    (0..lines.len())
        .filter(|&i| scores[i] >= threshold && scores[i] > 0.0)
        .map(|i| {
            let mut reason = reasons[i].unwrap_or_else(|| Reason {
                region: judged.region(i),
                cue: Cue::LineModel,
                template: evidence.recurs(i),
                copies: None,
            });
            // An item of a related list changes from page to page; the heading over it is what
            // recurs, and its counts are the evidence.
            reason.template = reason.template.or(scored.heading[i]);
            if scored.records[i] {
                reason.cue = Cue::Records;
            } else if scored.amid[i] {
                reason.cue = Cue::AmidChrome;
            }
            Span {
                byte_start: lines[i].start,
                byte_end: lines[i].end,
                line: lines[i].number,
                reason,
                score: scores[i],
            }
        })
        .collect()
}

/// The line model's input vector of every line of one page (blank lines included, all zero),
/// judged against `model`, which already counts the page (as the template statistics of a
/// whole corpus do): what `scripts/chrome_dev/train.py` fits the line model on.
pub fn line_vectors(
    text: &str,
    source: Option<&str>,
    model: &Model,
    config: &Config,
) -> Result<Vec<Vec<f64>>> {
    config.validate()?;
    let lines = features::lines(text, &Normalizer::default(), &config.line_model.vocabulary);
    let template = template_evidence(&lines, source, model, config, true);
    let evidence = classify::Evidence {
        template: &template,
        shared: None,
        copies: 0,
        titles: None,
    };
    let judged = classify::classify(&lines, &evidence);
    Ok(score::vectors(&lines, &judged, &judged.reasons(lines.len())).into_rows())
}

/// The hashes of the words (tokens of three characters or more, without a digit) of every line
/// of one page, blank lines included: what a line model's [`Vocabulary`] weighs, and what
/// `scripts/chrome_dev/train.py` learns it from.
pub fn line_words(text: &str) -> Vec<Vec<u64>> {
    features::words_of_lines(text, &Normalizer::default())
}

/// The chrome lines of one page held in memory, judged with the template statistics of `model`
/// (the page itself is counted as one more page of `source`). With an empty model only the
/// page's own evidence is used.
pub fn detect_text(
    text: &str,
    source: Option<&str>,
    model: &Model,
    config: &Config,
) -> Result<Vec<Span>> {
    config.validate()?;
    let lines = features::lines(text, &Normalizer::default(), &config.line_model.vocabulary);
    let template = template_evidence(&lines, source, model, config, false);
    Ok(spans(
        &lines,
        &classify::Evidence {
            template: &template,
            shared: None,
            copies: 0,
            titles: None,
        },
        config,
    ))
}

/// Two hashes per line (first and last three words) for matching lines of edited copies, sorted
/// without repeats (a slice, not a set: kept for every clustered page until pass 2).
fn line_marks(lines: &[Line]) -> Box<[u64]> {
    let mut marks: Vec<u64> = lines
        .iter()
        .filter(|l| l.f.words >= 2)
        .flat_map(|l| [l.f.head3, l.f.tail3 ^ 0x5bd1_e995])
        .collect();
    marks.sort_unstable();
    marks.dedup();
    marks.into_boxed_slice()
}

/// What pass 1 keeps of a page: source, line keys, line marks when clustered, line count, the
/// hash of the page's title (with its leads) when other pages could link to it, and its lines
/// packed for pass 2 (`None` when they do not fit the packed form).
type PageSummary = (
    Option<String>,
    Vec<u64>,
    Option<Box<[u64]>>,
    usize,
    Option<(u64, Leads)>,
    Option<Box<[kept::PackedLine]>>,
);

/// The title of a page as the rules find it on the page alone, when it could be linked to.
fn page_title(lines: &[Line]) -> Option<u64> {
    let t = &lines[classify::own_title(lines)?];
    classify::linkable_title(t).then_some(t.f.exact)
}

/// Marks of the lines that say which article a page carries: the first and the last three words
/// of its three longest paragraphs (eight words or more, not headline-like: a teaser of another
/// page is not this page's article). Two pages sharing one are copies of one article (edited
/// copies too), whose common title links nothing.
type Leads = [u64; 6];

fn leads(lines: &[Line]) -> Leads {
    let mut long: Vec<&Line> = lines
        .iter()
        .filter(|l| l.f.words >= 8 && !classify::headline_like(l))
        .collect();
    long.sort_by_key(|l| std::cmp::Reverse(l.f.chars));
    let mut out = [0; 6];
    for (pair, l) in out.chunks_mut(2).zip(long) {
        pair[0] = l.f.head3;
        pair[1] = l.f.tail3;
    }
    out
}

fn share_a_lead(a: &Leads, b: &Leads) -> bool {
    a.iter().any(|x| *x != 0 && b.contains(x))
}

/// Pages judged at a time in pass 2 when their lines were all kept from pass 1.
const KEPT_CHUNK: usize = 1024;

/// Pages kept per title: enough to find one that is not a copy of the page judged.
const PAGES_PER_TITLE: usize = 8;

/// The titles of the corpus's pages: for each title hash, the first few pages carrying it (in
/// corpus order) with their leads. One array sorted by title, 64 bytes a page with a title: a
/// map of small vectors cost about four times that, the most of any per-page state of chrome.
/// Beside it the titles alone, 8 bytes a page, which every line of every page is searched in:
/// searched in the wide array, each step of the search missed the cache. And beside those, where
/// each run of titles sharing their top bits starts (about one title per run, 4 bytes a page):
/// a binary search over all titles still missed the cache on each of its last steps once the
/// titles outgrew it, which made a page's cost grow with the corpus (3% of a scan at 300 000
/// pages); the runs take a search to one or two cache lines.
#[derive(Default)]
struct Titles {
    pages: Vec<(u64, u32, Leads)>,
    keys: Vec<u64>,
    /// `runs[i]..runs[i + 1]`: the titles whose top `bits` bits are `i`.
    runs: Vec<u32>,
    bits: u32,
}

impl Titles {
    /// Adds a page (pages come in corpus order).
    fn add(&mut self, doc: u32, title: u64, leads: Leads) {
        self.pages.push((title, doc, leads));
    }

    /// Sorts the pages by title, keeping the first [`PAGES_PER_TITLE`] of each.
    fn sorted(mut self) -> Self {
        // Document numbers are distinct: the unstable sort keeps corpus order within a title,
        // and needs no buffer of half the array as a stable one would.
        self.pages
            .sort_unstable_by_key(|&(title, doc, _)| (title, doc));
        let mut at: Option<(u64, usize)> = None;
        self.pages.retain(|&(title, _, _)| {
            let n = match at {
                Some((t, n)) if t == title => n + 1,
                _ => 1,
            };
            at = Some((title, n));
            n <= PAGES_PER_TITLE
        });
        self.pages.shrink_to_fit();
        self.keys = self.pages.iter().map(|p| p.0).collect();
        // Title hashes are uniform: with about as many runs as titles (the power of two at or
        // below their number, at most 2^26), each run holds one or two titles.
        self.bits = self.keys.len().max(1).ilog2().min(26);
        let mut runs = Vec::with_capacity((1 << self.bits) + 1);
        runs.push(0u32);
        for run in 0..1u64 << self.bits {
            let from = *runs.last().unwrap_or(&0) as usize;
            let end = from + self.keys[from..].partition_point(|&t| self.run_of(t) <= run);
            runs.push(end as u32);
        }
        self.runs = runs;
        self
    }

    /// The run of title `title`: its top `bits` bits.
    fn run_of(&self, title: u64) -> u64 {
        title.checked_shr(64 - self.bits).unwrap_or(0)
    }

    /// The pages kept with title `title`.
    fn pages(&self, title: u64) -> &[(u64, u32, Leads)] {
        let run = self.run_of(title) as usize;
        let (from, to) = match (self.runs.get(run), self.runs.get(run + 1)) {
            (Some(&from), Some(&to)) => (from as usize, to as usize),
            _ => (0, self.keys.len()),
        };
        let keys = &self.keys[from..to];
        let start = from + keys.partition_point(|&t| t < title);
        let end = start + self.keys[start..to].partition_point(|&t| t == title);
        &self.pages[start..end]
    }

    /// Whether each line of page `doc` is the title of another page that is not a copy of this
    /// one (a copy's title is this page's own headline, wherever the rules put the title).
    fn of_page(&self, doc: u32, lines: &[Line]) -> Vec<bool> {
        let own = leads(lines);
        lines
            .iter()
            .map(|l| {
                classify::linkable_title(l)
                    && self
                        .pages(l.f.exact)
                        .iter()
                        .any(|(_, d, theirs)| *d != doc && !share_a_lead(&own, theirs))
            })
            .collect()
    }
}

/// Pass 1's template statistics: every distinct line key of every page, with its source, sorted
/// in runs on disk beyond a budget and counted at the end, so that only the keys carried by two
/// pages or more (the only ones that can make a line recur) are ever held in a map. Most keys of
/// a corpus are the article's own lines, seen once: a map of them all grew with the corpus.
struct TemplateCounts {
    names: Vec<String>,
    index: HashMap<String, u32>,
    pages: Vec<u32>,
    keys: Sorter<(u64, u32, u32)>,
}

impl TemplateCounts {
    fn new(budget: u64) -> Self {
        TemplateCounts {
            names: Vec::new(),
            index: HashMap::new(),
            pages: Vec::new(),
            keys: Sorter::new(budget),
        }
    }

    /// Counts one page of `source` carrying `keys` (duplicates within the page count once), as
    /// [`Model::add_page`] does.
    fn add_page(&mut self, source: Option<&str>, mut keys: Vec<u64>) -> Result<()> {
        let name = source.unwrap_or("");
        let s = match self.index.get(name) {
            Some(&s) => s,
            None => {
                let s = self.names.len() as u32;
                self.names.push(name.to_string());
                self.index.insert(name.to_string(), s);
                self.pages.push(0);
                s
            }
        };
        self.pages[s as usize] += 1;
        keys.sort_unstable();
        keys.dedup();
        self.keys.extend(keys.into_iter().map(|k| (k, s, 0)))
    }

    /// The model of the pages counted plus `prior`, without the keys seen on one page only
    /// (unless `prior` holds them too, so that their sum is exact): those never reach the
    /// two pages a recurrence needs, and [`Model::save`] drops them.
    fn into_model(self, prior: &Model) -> Result<Model> {
        let mut model = Model::default();
        let mut stats: Vec<SourceStats> = self
            .pages
            .iter()
            .map(|&pages| SourceStats {
                pages,
                lines: HashMap::new(),
            })
            .collect();
        let priors: Vec<Option<&SourceStats>> =
            self.names.iter().map(|n| prior.sources.get(n)).collect();
        let mut run: Option<(u64, u32, u32)> = None;
        let close = |run: Option<(u64, u32, u32)>, stats: &mut Vec<SourceStats>| {
            if let Some((key, s, n)) = run {
                if n >= 2 || priors[s as usize].is_some_and(|p| p.lines.contains_key(&key)) {
                    stats[s as usize].lines.insert(key, n);
                }
            }
        };
        for record in self.keys.finish()? {
            let (key, s, _) = record?;
            match run {
                Some((k, t, n)) if k == key && t == s => run = Some((k, t, n + 1)),
                _ => {
                    close(run, &mut stats);
                    run = Some((key, s, 1));
                }
            }
        }
        close(run, &mut stats);
        for (name, s) in self.names.into_iter().zip(stats) {
            model.sources.insert(name, s);
        }
        model.merge(prior);
        Ok(model)
    }
}

/// Detection with a prior model (from [`Model::load`]) whose counts are added to this corpus's.
/// The model returned holds the keys carried by two pages or more (counting the prior's), which
/// is all a recurrence, [`Model::save`] or [`Model::prune`] keep.
pub fn detect_with_model(
    corpus: &Corpus,
    config: &Config,
    clusters: Option<&[Cluster]>,
    prior: &Model,
) -> Result<Detection> {
    config.validate()?;
    let normalizer = Normalizer::default();
    // Which other pages are copies of each clustered page.
    let mut partners: HashMap<u32, Vec<u32>> = HashMap::new();
    for c in clusters.unwrap_or(&[]) {
        for &m in &c.members {
            partners
                .entry(m)
                .or_default()
                .extend(c.members.iter().copied().filter(|&o| o != m));
        }
    }

    // Pass 1: template statistics per source, and line marks of clustered pages.
    // A quarter, not half: in a scan the sort's buffer (filled to its share at corpus scale)
    // sits beside the first near-duplicate search, the titles and the line marks; at 3M
    // documents half brought pass 1 to 1.75 GiB of a 2 GiB budget.
    let learned = Mutex::new(TemplateCounts::new(config.memory / 4));
    let marks: Mutex<HashMap<u32, Box<[u64]>>> = Mutex::new(HashMap::new());
    let titles = Mutex::new(Titles::default());
    // An eighth: the features kept in memory are held from pass 1 into pass 2 (where they
    // drain as pages are judged), beside the sort's quarter in pass 1 and the chrome lines'
    // eighth in pass 2. At the default budget that is the first ~70 000 pages of news (3.5 KB
    // of features a page); the rest go to a temporary file, so pass 2 reads the corpus only
    // when a page's lines do not fit the packed form.
    let kept = kept::Kept::new(config.memory / 8);
    let (mut pages, mut lines_read, mut bytes) = (0usize, 0u64, 0u64);
    corpus.read(false, |batch: Vec<Document>| {
        let computed: Vec<PageSummary> = batch
            .par_iter()
            .map(|doc| {
                let lines = features::lines(&doc.text, &normalizer, &config.line_model.vocabulary);
                let m = partners
                    .contains_key(&doc.number)
                    .then(|| line_marks(&lines));
                let title = config
                    .templates
                    .then(|| page_title(&lines).map(|t| (t, leads(&lines))))
                    .flatten();
                // `None`: lines that do not fit the packed form.
                let packed = kept::pack(&lines);
                (
                    doc.source.clone(),
                    page_keys(&lines),
                    m,
                    lines.len(),
                    title,
                    packed,
                )
            })
            .collect();
        let mut model = learned.lock().unwrap_or_else(|e| e.into_inner());
        let mut marks = marks.lock().unwrap_or_else(|e| e.into_inner());
        let mut titles = titles.lock().unwrap_or_else(|e| e.into_inner());
        for (doc, (source, keys, m, n, title, packed)) in batch.iter().zip(computed) {
            kept.add(doc.number, &doc.id, doc.source.as_deref(), packed)?;
            if let Some((t, l)) = title {
                titles.add(doc.number, t, l);
            }
            // Near-duplicate copies of one article count once: their shared subheadings are
            // the article's, not the site's template.
            let copy = partners
                .get(&doc.number)
                .is_some_and(|ps| ps.iter().any(|&p| p < doc.number));
            model.add_page(source.as_deref(), if copy { Vec::new() } else { keys })?;
            if let Some(m) = m {
                marks.insert(doc.number, m);
            }
            pages += 1;
            lines_read += n as u64;
            bytes += doc.text.len() as u64;
        }
        Ok(())
    })?;
    let model = learned
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_model(prior)?;
    let marks = marks.into_inner().unwrap_or_else(|e| e.into_inner());
    let titles = titles
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .sorted();

    // Pass 2: classify every page with the evidence gathered.
    // Lines are the most numerous findings: stored compactly, spilled beyond an eighth of the
    // budget (the rest is for the stages that run while they are held).
    let found = Mutex::new(ChromeLines::new(config.memory / 8));
    let judge = |doc: u32, source: Option<&str>, lines: &[Line]| {
        let template = template_evidence(lines, source, &model, config, true);
        let copies: Vec<&[u64]> = partners
            .get(&doc)
            .map(|ps| {
                ps.iter()
                    .filter_map(|p| marks.get(p).map(|m| &m[..]))
                    .collect()
            })
            .unwrap_or_default();
        let shared: Option<Vec<bool>> = (!copies.is_empty()).then(|| {
            lines
                .iter()
                .map(|l| {
                    l.f.words >= 2
                        && copies.iter().any(|c| {
                            c.binary_search(&l.f.head3).is_ok()
                                || c.binary_search(&(l.f.tail3 ^ 0x5bd1_e995)).is_ok()
                        })
                })
                .collect()
        });
        let other_titles = config.templates.then(|| titles.of_page(doc, lines));
        let evidence = classify::Evidence {
            template: &template,
            shared: shared.as_deref(),
            copies: copies.len() as u32,
            titles: other_titles.as_deref(),
        };
        spans(lines, &evidence, config)
    };
    if kept.complete() {
        // Every page's lines, id and source were kept: the corpus is not read again.
        loop {
            let chunk = kept.take_front(KEPT_CHUNK)?;
            if chunk.is_empty() {
                break;
            }
            let per_doc: Vec<Vec<Span>> = chunk
                .par_iter()
                .map(|p| judge(p.doc, p.source.as_deref(), &kept::unpack(&p.lines)))
                .collect();
            let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
            // Pages come in corpus order and spans in line order: the store stays sorted.
            for (page, spans) in chunk.iter().zip(per_doc) {
                found.push(page.doc, &page.id, &spans)?;
            }
        }
    } else {
        corpus.read(false, |batch: Vec<Document>| {
            let packed: Vec<_> = batch
                .iter()
                .map(|doc| kept.take(doc.number))
                .collect::<Result<_>>()?;
            let per_doc: Vec<Vec<Span>> = batch
                .par_iter()
                .zip(packed)
                .map(|(doc, packed)| {
                    let lines = match packed {
                        Some(p) => kept::unpack(&p),
                        None => {
                            features::lines(&doc.text, &normalizer, &config.line_model.vocabulary)
                        }
                    };
                    judge(doc.number, doc.source.as_deref(), &lines)
                })
                .collect();
            let mut found = found.lock().unwrap_or_else(|e| e.into_inner());
            // Batches come in corpus order and spans in line order: the store stays sorted.
            for (doc, spans) in batch.iter().zip(per_doc) {
                found.push(doc.number, &doc.id, &spans)?;
            }
            Ok(())
        })?;
    }
    let lines = found.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(Detection {
        lines,
        model,
        pages,
        lines_read,
        bytes,
    })
}

/// The chrome byte ranges of each document, by document number, in text order.
pub fn ranges_by_doc(lines: &[ChromeLine]) -> HashMap<u32, Vec<Range<usize>>> {
    let mut out: HashMap<u32, Vec<Range<usize>>> = HashMap::new();
    for c in lines {
        out.entry(c.doc).or_default().push(c.byte_start..c.byte_end);
    }
    for v in out.values_mut() {
        v.sort_by_key(|r| r.start);
    }
    out
}

/// `text` without the given chrome line ranges (each removed line leaves its line break, so
/// line structure and the order of the rest are kept). Borrowed when nothing is removed.
pub fn without_chrome<'a>(text: &'a str, ranges: &[Range<usize>]) -> Cow<'a, str> {
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for r in ranges {
        if r.start < at
            || r.end > text.len()
            || !text.is_char_boundary(r.start)
            || !text.is_char_boundary(r.end)
        {
            continue;
        }
        out.push_str(&text[at..r.start]);
        at = r.end;
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The template line keys one page contributes to its source's statistics, exactly as
/// [`Model::add_page`] counts them in [`detect_with_model`]: what a store that learns the model
/// page by page (the index of `chaff index add`) keeps per page.
pub fn template_keys(text: &str) -> Vec<u64> {
    page_keys(&features::lines(
        text,
        &Normalizer::default(),
        &Vocabulary::default(),
    ))
}

#[cfg(test)]
mod tests;
