//! Repeated passages within and across documents: exact repeats (after normalization) of at least
//! `min_tokens` tokens, reported as maximal spans with byte offsets into the original text.
//!
//! Algorithm: fingerprint selection by winnowing (Schleimer, Wilkerson and Aiken, SIGMOD 2003)
//! over k-token shingle hashes with windows of `w = min_tokens - k + 1` shingles, then
//! seed-and-extend on token hashes (the `extend` submodule). Over a corpus this takes
//! two passes: pass 1 keeps only each document's selected fingerprints with their positions
//! (about `2 / (w + 1)` per token) and finds the hashes occurring more than once; pass 2 re-reads
//! the corpus in order, tokenizes only the documents holding such a fingerprint and keeps only
//! their tokens within `min_tokens` of one (every repeat long enough to report lies inside those
//! runs in both copies, see the `doc` submodule), extends each batch's repeats against the
//! earlier documents still kept, and drops a document's tokens after the last document compared
//! with it. Both passes are parallel by document (rayon).
//!
//! Memory: pass 1 holds 16 bytes per fingerprint (about 2 bytes per token of the corpus), sorted
//! in runs on disk beyond a quarter of the budget; pass 2 holds about 12 bytes per occurrence of a
//! repeated fingerprint, 8 per corpus document, and 24 bytes per kept token of the documents still
//! to be compared with ([`Stats::peak_tokens_kept`]): the first `max_sources / 2` occurrences of
//! each repeated fingerprint stay to the end, the others only until `max_sources / 2` later
//! occurrences have been compared with them. A site footer on every page thus keeps the
//! windows around it in a few pages, not the whole corpus; a near-duplicate keeps its original's
//! tokens until the copy has been read. Beyond an eighth of the budget (counted with each kept
//! document's line starts, id and entry), the documents needed furthest ahead are parked on disk.
//!
//! Guarantees:
//! - every exact repeat of at least `min_tokens` tokens (inside one document or across two) shares
//!   a fingerprint at corresponding positions, so it is found (see [`fingerprints`]); the
//!   limits are the per-seed comparison budget `max_sources` in groups of more occurrences than
//!   that, and, in text that repeats itself, a seed lying inside a repeat already found from the
//!   same source document is not extended against that source again (see the `extend` submodule):
//!   a repeat from that source on another alignment through such a seed is found only when it
//!   reaches past the covered span by a window. This is what keeps the cost of a run of one token
//!   (or a table of zeros, or a block pasted many times) near `max_sources * n * log n` rather
//!   than `n²`;
//! - "first" means earliest in corpus order (document number, then byte offset): every later copy
//!   is reported with `of` naming an earlier one, the earliest when several are equally long;
//!   within one document the earlier copy always ends before the later starts;
//! - records of one document never overlap; offsets lie on `char` boundaries; where the repeat
//!   covers a sentence or line boundary (`. ! ? ; ، ؛ ؟ …` or a newline), the span is narrowed to
//!   whole sentences, with their opening and closing punctuation, so removing it leaves readable
//!   text. Where two repeats overlap, one record may end where the next begins, which is a
//!   sentence start when one lies where both keep `min_tokens` and may be mid-sentence otherwise;
//!   removing both still leaves readable text.
//!
//! Near-exact repeats (opt-in, [`Config::near`]): the same search with a smaller fingerprint
//! window, keeping the exact pieces shorter than `min_tokens` too, then chaining pieces of one
//! source that lie on nearly the same diagonal (the `chain` submodule). Every repeat of at least
//! `min_tokens` tokens whose edits are each at most `max_gap` tokens wide (replaced, inserted or
//! dropped), whose edit-free stretches are each at least `seed_tokens` long, and whose edits are
//! at most `1 - min_match` of its length (so `min_match` of its tokens match on both sides), is
//! found and reported as one record from its first stretch to its last (with the same
//! `max_sources` limit). Shorter stretches may be found too but are not guaranteed a fingerprint.

mod chain;
mod doc;
mod extend;
mod ids;
mod packed;
mod winnow;

pub use winnow::Fingerprint;

use crate::corpus::{Corpus, Document};
use crate::dups::TokenTap;
use crate::sketch::HashConfig;
use crate::spill::Sorter;
use crate::text::{Normalizer, Token};
use crate::{ConfigError, Result};
use doc::DocTokens;
pub(crate) use extend::Occurrence;
use extend::{Limits, Seeds};
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::ops::{Range, RangeInclusive};

/// Everything that shapes the passage search.
#[derive(Debug, Clone)]
pub struct Config {
    /// Shortest repeat reported, in tokens (default 20: about one sentence of news prose, well
    /// above stock phrases and bylines of 2 to 10 words).
    pub min_tokens: usize,
    /// Tokens per shingle `k` (default 5; lowered to `min_tokens` when larger); windows hold
    /// `min_tokens - k + 1` shingles.
    pub shingle: usize,
    /// The hashing shared with the near-duplicate search, the chrome model and the index: its
    /// seed seeds the shingle hash, its folds (and their normalization version) fold the
    /// tokens. Its shingling, slot count and MinHash scheme do not enter passage fingerprints.
    pub hash: HashConfig,
    /// Narrow spans to whole sentences where they cover sentence boundaries (default true).
    pub snap: bool,
    /// Earlier occurrences of a fingerprint each later one is compared with (default 16).
    pub max_sources: usize,
    /// Also report near-exact repeats (a few tokens changed, inserted or dropped); `None`
    /// (the default) reports exact repeats only. Opt-in because it selects about 2.4 times as
    /// many fingerprints (pass 1 memory grows alike), and because a record then no longer
    /// promises that both places slice to the same normalized text.
    pub near: Option<NearExact>,
    /// Memory budget in bytes (default [`crate::spill::DEFAULT_MEMORY`]): pass 1's fingerprints
    /// beyond a quarter of it are sorted in runs on disk under `TMPDIR` and merged (see
    /// [`crate::spill`]); the passages found do not depend on it.
    pub memory: u64,
}

/// Settings of the near-exact search (see the module documentation for what is guaranteed).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearExact {
    /// Shortest edit-free stretch guaranteed a fingerprint, in tokens (default 10): windows
    /// hold `seed_tokens - k + 1` shingles instead of `min_tokens - k + 1`. Lower finds repeats
    /// with denser edits at the cost of more fingerprints (about `2 / (window + 1)` per token).
    pub seed_tokens: usize,
    /// Most tokens changed, inserted or dropped at one place, on either side (default 3); a
    /// wider gap ends the repeat.
    pub max_gap: usize,
    /// Smallest share of a repeat's tokens matched exactly, in both copies (default 0.9): its
    /// edits are at most `1 - min_match` of its longer side.
    pub min_match: f64,
}

impl Default for NearExact {
    fn default() -> Self {
        NearExact {
            seed_tokens: 10,
            max_gap: 3,
            min_match: 0.9,
        }
    }
}

/// Longest `min_tokens` accepted: a repeat must hold a whole winnowing window of about this many
/// shingles, and pass 2 keeps this many tokens around every repeated fingerprint.
pub const MAX_MIN_TOKENS: usize = 100_000;

/// Widest near-exact gap accepted, in tokens: chaining compares pieces this far apart.
pub const MAX_GAP: usize = 1000;

impl Default for Config {
    fn default() -> Self {
        Config {
            min_tokens: 20,
            shingle: 5,
            hash: HashConfig::default(),
            snap: true,
            max_sources: 16,
            near: None,
            memory: crate::spill::DEFAULT_MEMORY,
        }
    }
}

impl Config {
    /// Refuses settings that cannot work: `min_tokens` outside 2..=[`MAX_MIN_TOKENS`] (one
    /// token repeats everywhere; every kept token window grows with it), a shingle length
    /// outside 1..=[`crate::shingle::MAX_WORDS`], fold tables of another normalization version
    /// than this build's, no `max_sources`, and near-exact settings
    /// whose seed is shorter than 2 or longer than `min_tokens`, whose gap exceeds
    /// [`MAX_GAP`], or whose `min_match` lies outside 0.5..=1 (or is NaN).
    pub fn validate(&self) -> std::result::Result<(), ConfigError> {
        ConfigError::check_range("passages.min_tokens", self.min_tokens, 2..=MAX_MIN_TOKENS)?;
        ConfigError::check_range(
            "passages.shingle",
            self.shingle,
            1..=crate::shingle::MAX_WORDS,
        )?;
        self.hash.check_normalization("passages.normalization")?;
        if self.max_sources == 0 {
            return Err(ConfigError::new(
                "passages.max_sources",
                self.max_sources,
                "at least 1",
            ));
        }
        crate::spill::check_memory("passages.memory", self.memory)?;
        if let Some(near) = &self.near {
            ConfigError::check_range(
                "passages.near.seed_tokens",
                near.seed_tokens,
                2..=self.min_tokens,
            )?;
            ConfigError::check_range("passages.near.max_gap", near.max_gap, 0..=MAX_GAP)?;
            if !(0.5..=1.0).contains(&near.min_match) {
                return Err(ConfigError::new(
                    "passages.near.min_match",
                    near.min_match,
                    "between 0.5 and 1",
                ));
            }
        }
        Ok(())
    }

    /// Tokens per shingle actually used (never more than `min_tokens`, nor than the
    /// near-exact `seed_tokens`).
    pub fn k(&self) -> usize {
        self.shingle.clamp(1, self.seed_tokens().max(1))
    }

    /// Shingles per winnowing window: `min_tokens - k + 1`, so that every repeat of
    /// `min_tokens` tokens holds a whole window (`seed_tokens - k + 1` in near-exact mode, so
    /// every edit-free stretch of `seed_tokens` does).
    pub fn window(&self) -> usize {
        self.seed_tokens().saturating_sub(self.k()) + 1
    }

    /// Shortest exact run guaranteed a fingerprint.
    fn seed_tokens(&self) -> usize {
        self.near.map_or(self.min_tokens, |n| n.seed_tokens)
    }

    fn limits(&self) -> Limits {
        Limits {
            min_tokens: self.min_tokens,
            max_sources: self.max_sources,
            snap: self.snap,
            reach: self.near.map(|n| chain::Reach {
                min_tokens: self.min_tokens as u32,
                max_gap: n.max_gap as u32,
                min_match_permille: (n.min_match * 1000.0).round() as u32,
            }),
        }
    }
}

/// One later copy of a repeated passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// Number (corpus order) of the document holding this copy.
    pub doc: u32,
    /// Byte offset of the copy in the document's original text.
    pub start: usize,
    /// Byte offset just past the copy (exclusive).
    pub end: usize,
    /// 1-based line where the copy starts.
    pub line: usize,
    /// Number of the document holding the earlier occurrence (may equal `doc`).
    pub of_doc: u32,
    /// Byte offset of the earlier occurrence.
    pub of_start: usize,
    /// Byte offset just past the earlier occurrence.
    pub of_end: usize,
    /// 1-based line where the earlier occurrence starts.
    pub of_line: usize,
    /// Tokens in the copy.
    pub tokens: usize,
    /// In near-exact mode, token edits between the copy and the earlier occurrence (at most;
    /// 0 for an exact repeat); `None` in exact mode.
    pub edits: Option<u32>,
    /// Byte range to remove to delete this copy: `start..end` widened over the white space that
    /// would otherwise be left doubled or dangling.
    pub cut: Range<usize>,
}

/// Counts of a passage search.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Documents read.
    pub documents: u64,
    /// Bytes of text read.
    pub bytes: u64,
    /// Fingerprints selected in pass 1.
    pub fingerprints: u64,
    /// Fingerprints whose hash occurs more than once.
    pub repeated_fingerprints: u64,
    /// Documents tokenized again in pass 2.
    pub documents_extended: u64,
    /// Tokens kept for extension in pass 2 (those near a repeated fingerprint), over all
    /// documents.
    pub tokens_kept: u64,
    /// Most tokens kept at one time in pass 2: what its memory grows with (24 bytes each).
    pub peak_tokens_kept: u64,
}

/// The result of a search: passages in corpus order of their later copies, the ids of the
/// documents they name, and counts.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Later copies, sorted by document number then offset.
    pub passages: Vec<Passage>,
    /// Id of every document named by a passage.
    pub ids: HashMap<u32, String>,
    /// Counts.
    pub stats: Stats,
}

/// The winnowed fingerprints of a token sequence under `config` (shingles of `k` tokens, windows
/// of `min_tokens - k + 1`). Two texts sharing a run of `min_tokens` equal tokens share at least
/// one fingerprint hash at corresponding positions.
pub fn fingerprints(tokens: &[Token], config: &Config) -> Vec<Fingerprint> {
    let hashes: Vec<u64> = tokens.iter().map(|t| t.hash).collect();
    fingerprints_of_hashes(&hashes, config)
}

/// The winnowed fingerprints of a sequence of token hashes: what pass 1 keeps of a document.
pub(crate) fn fingerprints_of_hashes(hashes: &[u64], config: &Config) -> Vec<Fingerprint> {
    let mut out = Vec::new();
    winnow::select(
        hashes,
        config.k(),
        config.window(),
        config.hash.seed,
        &mut Vec::new(),
        &mut VecDeque::new(),
        &mut out,
    );
    out
}

/// Fingerprints of many documents: `(hash, occurrence)` sorted, keeping hashes seen twice.
pub(crate) fn repeated(mut prints: Vec<(u64, Occurrence)>) -> Vec<(u64, Occurrence)> {
    prints.par_sort_unstable();
    let mut keep = vec![false; prints.len()];
    for (i, w) in prints.windows(2).enumerate() {
        if w[0].0 == w[1].0 {
            keep[i] = true;
            keep[i + 1] = true;
        }
    }
    let mut flags = keep.into_iter();
    prints.retain(|_| flags.next().unwrap_or(false));
    prints
}

fn select_all(hashes: &[u64], config: &Config, doc: u32, out: &mut Vec<(u64, Occurrence)>) {
    out.extend(
        fingerprints_of_hashes(hashes, config)
            .into_iter()
            .map(|f| (f.hash, Occurrence { doc, pos: f.pos })),
    );
}

/// Repeated passages among in-memory texts; document numbers are indices into `texts` and ids
/// are those numbers written out.
pub fn find_in_texts(texts: &[&str], config: &Config) -> Result<Outcome> {
    config.validate()?;
    let normalizer = Normalizer::new(config.hash.folds);
    let docs: Vec<DocTokens> = texts
        .par_iter()
        .map(|t| DocTokens::new(t, &normalizer))
        .collect::<Result<_>>()?;
    let mut prints = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        select_all(&d.hashes(), config, i as u32, &mut prints);
    }
    let stats = Stats {
        documents: texts.len() as u64,
        bytes: texts.iter().map(|t| t.len() as u64).sum(),
        fingerprints: prints.len() as u64,
        ..Stats::default()
    };
    extend_in_memory(repeated(prints), texts.len(), config, stats, |n| {
        Ok(docs.get(n as usize).cloned())
    })
}

/// The passages among `texts` (numbered by their index) from their repeated fingerprints
/// (`(hash, occurrence)` sorted, as [`repeated`] keeps them), with `stats` holding the pass 1
/// counts: the second half of [`find_in_texts`], for the decision over reduced passage sketches
/// ([`crate::sketch::PassageSketches::decide`]).
pub(crate) fn extend_texts(
    repeats: Vec<(u64, Occurrence)>,
    texts: &[&str],
    config: &Config,
    stats: Stats,
) -> Result<Outcome> {
    let normalizer = Normalizer::new(config.hash.folds);
    extend_in_memory(repeats, texts.len(), config, stats, |n| {
        texts
            .get(n as usize)
            .map(|t| DocTokens::new(t, &normalizer))
            .transpose()
    })
}

/// The passages among `count` documents held in memory, numbered `0..count`, from their
/// repeated fingerprints; `tokens` gives the tokens of a document (all kept).
fn extend_in_memory(
    repeats: Vec<(u64, Occurrence)>,
    count: usize,
    config: &Config,
    mut stats: Stats,
    tokens: impl Fn(u32) -> Result<Option<DocTokens>> + Sync,
) -> Result<Outcome> {
    let seeds = Seeds::from_sorted(repeats.into_iter().map(Ok), config.limits())?;
    stats.repeated_fingerprints = seeds.len() as u64;
    let numbers: Vec<u32> = seeds.documents().collect();
    let docs: HashMap<u32, DocTokens> = numbers
        .par_iter()
        .filter_map(|&n| tokens(n).transpose().map(|d| d.map(|d| (n, d))))
        .collect::<Result<_>>()?;
    stats.documents_extended = docs.len() as u64;
    stats.tokens_kept = docs.values().map(|d| d.kept() as u64).sum();
    stats.peak_tokens_kept = stats.tokens_kept;
    let last = (count as u32).saturating_sub(1);
    let passages = seeds.passages(0..=last, &|n| docs.get(&n));
    let mut ids = HashMap::new();
    for p in &passages {
        ids.entry(p.doc).or_insert_with(|| p.doc.to_string());
        ids.entry(p.of_doc).or_insert_with(|| p.of_doc.to_string());
    }
    Ok(Outcome {
        passages,
        ids,
        stats,
    })
}

/// Repeated passages of a corpus, in two streaming passes (see the module documentation).
pub fn find(corpus: &Corpus, config: &Config) -> Result<Outcome> {
    find_where(corpus, config, keep_all)
}

/// Like [`find`], keeping only the passages `keep` accepts: the same passages as [`find`]'s
/// filtered afterwards (each is judged alone), but those refused are dropped as they are
/// found instead of being held to the end of the pass beside its seeds and tokens (`chaff
/// scan` drops those lying in chrome lines, close to half of them on news sites), and only the
/// ids of documents named by a passage kept are in [`Outcome::ids`].
pub fn find_where(
    corpus: &Corpus,
    config: &Config,
    keep: impl Fn(&Passage) -> bool,
) -> Result<Outcome> {
    config.validate()?;
    let normalizer = Normalizer::new(config.hash.folds);
    let mut pass1 = Pass1::new(config);
    corpus.read(false, |batch| {
        let per_doc: Vec<Vec<(u64, Occurrence)>> = batch
            .par_iter()
            .map_init(Vec::new, |hashes, d| {
                hashes.clear();
                normalizer.for_each_token(&d.text, |t| hashes.push(t.hash));
                pass1.sketch(d, hashes)
            })
            .collect();
        pass1.take(&batch, per_doc)
    })?;
    find_after(corpus, config, pass1, keep)
}

/// Pass 1 of a search: the selected fingerprints of every document, in sorted runs, and the
/// counts. Fed by [`find_where`]'s own reading of the corpus, or by the near-duplicate search
/// of `chaff scan`, which tokenizes the same texts under the same folds (as a
/// [`crate::dups::TokenTap`]).
pub(crate) struct Pass1<'a> {
    config: &'a Config,
    prints: Sorter<(u64, u32, u32)>,
    stats: Stats,
}

impl<'a> Pass1<'a> {
    pub(crate) fn new(config: &'a Config) -> Self {
        Pass1 {
            config,
            // Fingerprints grow with the corpus: beyond a quarter of the budget they go to
            // sorted runs on disk. Not half: in a scan the sort's buffer sits beside what the
            // earlier stages hold (near-duplicates, the chrome store's index, ~270 bytes a
            // document at 3M documents), and a run costs only a merge read buffer.
            prints: Sorter::new(config.memory / 4),
            stats: Stats::default(),
        }
    }

    /// Puts the fingerprints selected so far out of memory when they hold more than `keep`
    /// bytes or already spilled (see [`Sorter::set_aside`]): for a pass 1 done long before
    /// pass 2, with other stages in between.
    pub(crate) fn set_aside(&mut self, keep: u64) -> Result<()> {
        self.prints.set_aside(keep)
    }
}

impl TokenTap for Pass1<'_> {
    type Sketch = Vec<(u64, Occurrence)>;

    fn sketch(&self, doc: &Document, tokens: &[u64]) -> Self::Sketch {
        let mut out = Vec::new();
        select_all(tokens, self.config, doc.number, &mut out);
        out
    }

    fn take(&mut self, batch: &[Document], sketches: Vec<Self::Sketch>) -> Result<()> {
        for (d, p) in batch.iter().zip(sketches) {
            self.stats.documents += 1;
            self.stats.bytes += d.text.len() as u64;
            self.stats.fingerprints += p.len() as u64;
            self.prints
                .extend(p.into_iter().map(|(h, o)| (h, o.doc, o.pos)))?;
        }
        Ok(())
    }
}

/// The rest of a search whose pass 1 is done: seeds from the repeated fingerprints, then
/// pass 2 over `corpus`, keeping the passages `keep` accepts (see [`find_where`]).
pub(crate) fn find_after(
    corpus: &Corpus,
    config: &Config,
    pass1: Pass1,
    keep: impl Fn(&Passage) -> bool,
) -> Result<Outcome> {
    let Pass1 {
        prints, mut stats, ..
    } = pass1;
    let normalizer = Normalizer::new(config.hash.folds);
    let seeds = Seeds::from_sorted(
        prints
            .finish()?
            .map(|r| r.map(|(hash, doc, pos)| (hash, Occurrence { doc, pos }))),
        config.limits(),
    )?;
    stats.repeated_fingerprints = seeds.len() as u64;
    if seeds.len() == 0 {
        return Ok(Outcome {
            stats,
            ..Outcome::default()
        });
    }
    let mut pass2 = Pass2::new(seeds, config, &normalizer, stats, &keep);
    corpus.read(false, |batch| {
        let refs: Vec<(u32, &str, &str)> = batch
            .iter()
            .map(|d| (d.number, d.id.as_str(), d.text.as_str()))
            .collect();
        pass2.batch(&refs)
    })?;
    Ok(pass2.finish())
}

/// A map keyed by document number (or another small integer), for the maps pass 2 looks up for
/// every comparison: their keys come from the corpus order, not from an adversary, so SipHash's
/// defence against chosen keys buys nothing here, and it cost ~2% of `chaff passages` at 300 000
/// documents. foldhash's fixed state (no per-process seed) keeps runs alike.
pub(crate) type NumberMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;

/// Pass 2 over a corpus, a batch of documents at a time in corpus order: the earlier
/// occurrences a batch is compared with are already read, and a document's kept tokens are
/// dropped after the last document compared with it (see [`Seeds`]).
///
/// The tokens of documents still to be compared with grow with the corpus (the first
/// occurrences of every repeated fingerprint stay to the end). Beyond an eighth of the budget
/// (the repeated fingerprints and the passages found, held to the end, grow beside them),
/// counted in bytes with each open document's own costs (its line starts, its id, its entry;
/// on a corpus of short pages they weigh as much as the tokens) and each parked document's
/// entry, those needed furthest ahead are *parked*: written with their ids to a temporary file
/// (see [`crate::spill`]) and read back for the batches that compare with them.
struct Pass2<'a> {
    seeds: Seeds,
    normalizer: &'a Normalizer,
    radius: usize,
    /// Kept tokens and ids of the documents still to be compared with, in memory.
    open: NumberMap<u32, (String, DocTokens)>,
    /// Places in the file (id and tokens) and token counts of those parked.
    parked: NumberMap<u32, (Range<u64>, u64)>,
    /// The parked documents by their last use, soonest first: each batch drops those it was
    /// the last to need without visiting the others. Parked documents grow with the corpus
    /// (the first occurrences of every repeated fingerprint stay to the end: a quarter to a
    /// half of the documents read, at the 3M-at-2G ratio), so a `retain` over all of them every
    /// batch cost each document time in proportion to the corpus (~30 ns an entry a batch; by
    /// estimate ~30 CPU s at 3M documents, nothing at 100k).
    parked_until: BinaryHeap<Reverse<(u32, u32)>>,
    /// The parked documents read back for the current batch.
    read_back: ReadBack,
    file: Option<std::fs::File>,
    file_len: u64,
    /// Bytes of the file that parked documents still need: the rest is of documents no
    /// longer compared with, reclaimed by [`Pass2::compact`].
    file_live: u64,
    /// Bytes held by `open`, and most allowed for `open` and `parked` together.
    held_now: u64,
    max_held: u64,
    /// Tokens in `open` and `parked` (what [`Stats::peak_tokens_kept`] reports, whatever the
    /// budget).
    kept_all: u64,
    /// Which passages found are kept (all unless [`find_where`] says otherwise).
    keep: &'a dyn Fn(&Passage) -> bool,
    /// The passages kept, in 48 bytes each instead of 104 until the pass ends.
    passages: Vec<packed::Packed>,
    /// Ids of the documents those passages name, compact until the pass ends.
    ids: ids::NamedIds,
    stats: Stats,
}

/// The filter of [`find`]: every passage is kept.
fn keep_all(_: &Passage) -> bool {
    true
}

/// Bytes an open document costs beside its heap state and its id: its map entry, with the
/// table's spare room and the allocator's rounding of its four blocks (an estimate).
const OPEN_ENTRY_BYTES: u64 = std::mem::size_of::<(u32, (String, DocTokens))>() as u64 + 96;

/// Bytes a parked document's entry costs, with the table's spare room, and its place in
/// `parked_until` (an estimate).
const PARKED_ENTRY_BYTES: u64 = std::mem::size_of::<(u32, (Range<u64>, u64))>() as u64
    + 16
    + std::mem::size_of::<(u32, u32)>() as u64;

/// Bytes an open document holds in memory.
fn open_bytes(id: &str, tokens: &DocTokens) -> u64 {
    (id.len() + tokens.heap_bytes()) as u64 + OPEN_ENTRY_BYTES
}

impl<'a> Pass2<'a> {
    fn new(
        seeds: Seeds,
        config: &Config,
        normalizer: &'a Normalizer,
        stats: Stats,
        keep: &'a dyn Fn(&Passage) -> bool,
    ) -> Self {
        Pass2 {
            seeds,
            normalizer,
            // Every token of a repeat of `min_tokens` lies within `min_tokens - k` of a shared
            // fingerprint; one more token each side is what snapping and cutting look at.
            radius: config.min_tokens,
            open: NumberMap::default(),
            parked: NumberMap::default(),
            parked_until: BinaryHeap::new(),
            read_back: ReadBack::default(),
            file: None,
            file_len: 0,
            file_live: 0,
            held_now: 0,
            max_held: config.memory / 8,
            kept_all: 0,
            keep,
            passages: Vec::new(),
            ids: ids::NamedIds::default(),
            stats,
        }
    }

    /// Bytes held by `open` and `parked`.
    fn held(&self) -> u64 {
        self.held_now + self.parked.len() as u64 * PARKED_ENTRY_BYTES
    }

    /// Extends the documents of one batch: `(number, id, text)`, numbers ascending and above
    /// those of earlier batches.
    fn batch(&mut self, batch: &[(u32, &str, &str)]) -> Result<()> {
        let (Some(lo), Some(hi)) = (batch.first(), batch.last()) else {
            return Ok(());
        };
        let range = lo.0..=hi.0;
        let (seeds, normalizer, radius) = (&self.seeds, self.normalizer, self.radius);
        let built: Vec<(u32, String, DocTokens)> = batch
            .par_iter()
            .filter(|d| seeds.involves(d.0))
            .map(|&(n, id, text)| {
                let at = seeds.positions(n);
                Ok((
                    n,
                    id.to_string(),
                    DocTokens::around(text, normalizer, &at, radius)?,
                ))
            })
            .collect::<Result<_>>()?;
        for (n, id, tokens) in built {
            self.stats.documents_extended += 1;
            self.stats.tokens_kept += tokens.kept() as u64;
            self.held_now += open_bytes(&id, &tokens);
            self.kept_all += tokens.kept() as u64;
            self.open.insert(n, (id, tokens));
        }
        self.stats.peak_tokens_kept = self.stats.peak_tokens_kept.max(self.kept_all);
        self.unpark(range.clone())?;
        let (open, read_back) = (&self.open, &self.read_back);
        let mut found = self.seeds.passages(range.clone(), &|n| {
            open.get(&n).map(|o| &o.1).or_else(|| read_back.tokens(n))
        });
        found.retain(|p| (self.keep)(p));
        for p in &found {
            for n in [p.doc, p.of_doc] {
                if let Some((id, _)) = self.open.get(&n) {
                    self.ids.insert(n, id);
                } else if let Some(id) = self.read_back.id(n) {
                    self.ids.insert(n, &id);
                }
            }
        }
        self.passages.extend(found.iter().map(packed::Packed::from));
        let (seeds, end) = (&self.seeds, *range.end());
        let (held_now, kept_all) = (&mut self.held_now, &mut self.kept_all);
        self.open.retain(|&n, (id, tokens)| {
            let keep = seeds.last_use(n) > end;
            if !keep {
                *held_now -= open_bytes(id, tokens);
                *kept_all -= tokens.kept() as u64;
            }
            keep
        });
        while let Some(&Reverse((last_use, n))) = self.parked_until.peek() {
            if last_use > end {
                break;
            }
            self.parked_until.pop();
            if let Some((at, kept)) = self.parked.remove(&n) {
                *kept_all -= kept;
                self.file_live -= at.end - at.start;
            }
        }
        if self.held() > self.max_held {
            self.park()?;
        }
        // A document is parked once and dropped after its last use, so without this the file
        // only grows: 8.4 GB at 3M documents where a fraction of that was still needed.
        if self.file_len > 2 * self.file_live + self.max_held {
            self.compact()?;
        }
        self.read_back.clear();
        Ok(())
    }

    /// Reads back into [`Pass2::read_back`] the parked documents that the documents `batch`
    /// are compared with, with their ids.
    fn unpark(&mut self, batch: RangeInclusive<u32>) -> Result<()> {
        self.read_back.clear();
        let Some(file) = self.file.as_ref().filter(|_| !self.parked.is_empty()) else {
            return Ok(());
        };
        for n in self.seeds.sources(batch) {
            if let Some((at, _)) = self.parked.get(&n) {
                self.read_back.read(n, file, at.clone())?;
            }
        }
        Ok(())
    }

    /// Writes open documents to the file until half of what is allowed in memory is left: the
    /// least used first, then those needed furthest ahead. A document that many later
    /// documents compare with (the first page of a site's repeated lines) is read back for
    /// every batch that holds one of them while it is parked; parked first, as when only the
    /// last use counted, such documents were read back 32 GB in all for `passages` at 1M
    /// documents, 17 GB now (BENCHMARKS.md, "Which documents passages sets aside").
    fn park(&mut self) -> Result<()> {
        use std::io::Write;
        let mut order: Vec<(u32, Reverse<u32>, u32)> = self
            .open
            .keys()
            .map(|&n| (self.seeds.uses(n), Reverse(self.seeds.last_use(n)), n))
            .collect();
        order.sort_unstable();
        let file = match &mut self.file {
            Some(f) => f,
            None => self.file.insert(crate::spill::temp_file()?),
        };
        let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut bytes = Vec::new();
        for (_, _, n) in order {
            let held = self.held_now + self.parked.len() as u64 * PARKED_ENTRY_BYTES;
            if held <= self.max_held / 2 {
                break;
            }
            let Some((id, tokens)) = self.open.remove(&n) else {
                continue;
            };
            bytes.clear();
            bytes.extend_from_slice(&(id.len() as u32).to_le_bytes());
            bytes.extend_from_slice(id.as_bytes());
            tokens.to_bytes(&mut bytes);
            out.write_all(&bytes).map_err(crate::spill::io_error)?;
            let at = self.file_len..self.file_len + bytes.len() as u64;
            self.file_len = at.end;
            self.held_now -= open_bytes(&id, &tokens);
            self.file_live += at.end - at.start;
            self.parked.insert(n, (at, tokens.kept() as u64));
            self.parked_until.push(Reverse((self.seeds.last_use(n), n)));
        }
        out.flush().map_err(crate::spill::io_error)?;
        Ok(())
    }

    /// Copies the parked documents still needed to a new file, in the order they lie in the
    /// old one, and lets the old one go: the file stays within twice what is still needed
    /// (plus the pass's memory share), at the cost of copying each parked document about
    /// once more on average.
    fn compact(&mut self) -> Result<()> {
        use std::io::Write;
        let Some(old) = self.file.take() else {
            return Ok(());
        };
        let mut places: Vec<(u64, u32)> = self
            .parked
            .iter()
            .map(|(&n, (at, _))| (at.start, n))
            .collect();
        places.sort_unstable();
        let mut new = crate::spill::temp_file()?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut new);
        let (mut len, mut bytes) = (0u64, Vec::new());
        for (_, n) in places {
            let Some((at, _)) = self.parked.get_mut(&n) else {
                continue;
            };
            bytes.resize((at.end - at.start) as usize, 0);
            crate::spill::read_at(&old, &mut bytes, at.start).map_err(crate::spill::io_error)?;
            out.write_all(&bytes).map_err(crate::spill::io_error)?;
            *at = len..len + bytes.len() as u64;
            len = at.end;
        }
        out.flush().map_err(crate::spill::io_error)?;
        drop(out);
        self.file = Some(new);
        self.file_len = len;
        debug_assert_eq!(len, self.file_live);
        Ok(())
    }

    fn finish(self) -> Outcome {
        let Pass2 {
            seeds,
            open,
            parked,
            parked_until,
            read_back,
            passages,
            ids,
            stats,
            ..
        } = self;
        // The seeds and the kept tokens go before the passages and ids take their full size.
        drop((seeds, open, parked, parked_until, read_back));
        let mut passages = passages;
        passages.shrink_to_fit();
        let passages = passages.into_iter().map(Passage::from).collect();
        Outcome {
            passages,
            ids: ids.into_map(),
            stats,
        }
    }
}

/// The parked documents read back for one batch.
///
/// Every batch compares with the first pages of each site's repeated fingerprints, which are
/// needed to the end and so are parked first: at the 3M-at-2G ratio thousands of pages a
/// batch, more than the pass's memory share holds. They were read into a map of fresh states,
/// each with an id `String` and a map entry; here the ids stay bytes until a passage names
/// them, and a lookup is a binary search of the numbers. The states are dropped with the
/// batch: kept for their vectors, they held the largest batch's working set to the end of the
/// pass (+64 MiB of peak RSS at 300 000 documents and `--memory 205M`) and saved no CPU.
#[derive(Debug, Default)]
struct ReadBack {
    /// Numbers of the documents read back, ascending.
    numbers: Vec<u32>,
    /// Their ids end to end, and where each ends.
    ids: Vec<u8>,
    id_ends: Vec<usize>,
    /// Their kept tokens, in the order of `numbers`.
    tokens: Vec<DocTokens>,
    /// One document as it lies in the file.
    bytes: Vec<u8>,
}

impl ReadBack {
    fn clear(&mut self) {
        self.numbers.clear();
        self.ids.clear();
        self.id_ends.clear();
        self.tokens.clear();
    }

    /// Reads document `n` (above those read since [`ReadBack::clear`]) from `at` in `file`,
    /// where `Pass2::park` wrote its id and tokens.
    fn read(&mut self, n: u32, file: &std::fs::File, at: Range<u64>) -> Result<()> {
        debug_assert!(self.numbers.last().is_none_or(|&m| m < n));
        self.bytes.resize((at.end - at.start) as usize, 0);
        crate::spill::read_at(file, &mut self.bytes, at.start).map_err(crate::spill::io_error)?;
        let mut len = [0u8; 4];
        len.copy_from_slice(&self.bytes[..4]);
        let id_end = 4 + u32::from_le_bytes(len) as usize;
        self.ids.extend_from_slice(&self.bytes[4..id_end]);
        self.id_ends.push(self.ids.len());
        self.tokens
            .push(DocTokens::from_bytes(&self.bytes[id_end..]));
        self.numbers.push(n);
        Ok(())
    }

    /// The kept tokens of document `n`, when read back for this batch.
    fn tokens(&self, n: u32) -> Option<&DocTokens> {
        let i = self.numbers.binary_search(&n).ok()?;
        Some(&self.tokens[i])
    }

    /// The id of document `n`, when read back for this batch.
    fn id(&self, n: u32) -> Option<std::borrow::Cow<'_, str>> {
        let i = self.numbers.binary_search(&n).ok()?;
        let from = i.checked_sub(1).map_or(0, |j| self.id_ends[j]);
        Some(String::from_utf8_lossy(&self.ids[from..self.id_ends[i]]))
    }
}

/// Byte ranges to remove per document number so that only the first occurrence of every
/// repeated passage stays: the `cut` of every later copy, sorted and merged. An earlier
/// occurrence (`of`) is never among them unless it is itself a later copy of something earlier.
pub fn removals(passages: &[Passage]) -> HashMap<u32, Vec<Range<usize>>> {
    let mut by_doc: HashMap<u32, Vec<Range<usize>>> = HashMap::new();
    for p in passages {
        by_doc.entry(p.doc).or_default().push(p.cut.clone());
    }
    for ranges in by_doc.values_mut() {
        ranges.sort_by_key(|r| (r.start, r.end));
        let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
        for r in ranges.drain(..) {
            match merged.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => merged.push(r),
            }
        }
        *ranges = merged;
    }
    by_doc
}

mod record;
pub use record::{excerpt, excerpts, PassageRecord};

#[cfg(test)]
mod tests;
