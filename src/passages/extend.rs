//! Seed-and-extend: from fingerprints shared by several places to maximal repeated spans.
//!
//! Every fingerprint hash that occurs more than once forms a group of occurrences sorted in corpus
//! order (document number, then token position). Each later occurrence is extended against
//! earlier ones, comparing token hashes leftwards and rightwards until they differ, which gives
//! the maximal exact repeat through that seed. Per document, each repeat is snapped to sentence
//! boundaries, then the longest claim their tokens first (ties go to the earliest source), so
//! records never overlap; a shorter repeat whose leftover would be too short to report takes
//! what the longer claims can spare instead (see `claim`). Each record is then mapped to byte
//! offsets.
//!
//! A group of `m` occurrences would cost `m²` comparisons; each later occurrence is compared with
//! at most `max_sources` earlier ones instead: the first half of that budget goes to the group's
//! earliest occurrences (so `of` names the first occurrence in corpus order) and the second half
//! to the ones just before it (so a passage syndicated through a chain of copies is still found).

use super::chain::{self, Piece, Reach};
use super::doc::{DocTokens, BREAK_BEFORE, HSPACE_AFTER, LINE_BEFORE, SPACE_BEFORE};
use super::Passage;
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::{Range, RangeInclusive};

/// Where a fingerprint was selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Occurrence {
    pub doc: u32,
    pub pos: u32,
}

/// One later occurrence to extend against earlier ones of its group.
#[derive(Debug, Clone)]
struct Task {
    doc: u32,
    pos: u32,
    /// The group's range in [`Seeds`]' occurrences.
    group: Range<usize>,
    /// Place of the occurrence in its group.
    index: usize,
}

/// A repeat in token positions: `len` tokens of `doc` from `start` repeat `of_len` tokens of `of`
/// from `of_start`; exactly (`of_len == len`) unless `chain` names a near-exact chain of pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Repeat {
    start: u32,
    len: u32,
    of: u32,
    of_start: u32,
    of_len: u32,
    /// Index of the chain in the document's [`Chains`], or [`EXACT`].
    chain: u32,
}

/// The `chain` of an exact repeat.
const EXACT: u32 = u32::MAX;

/// The near-exact chains of one document, their pieces in order; repeats name them by index.
type Chains = [Vec<Piece>];

impl Repeat {
    fn exact(start: u32, len: u32, of: u32, of_start: u32) -> Repeat {
        Repeat {
            start,
            len,
            of,
            of_start,
            of_len: len,
            chain: EXACT,
        }
    }

    fn span(&self) -> Range<u32> {
        self.start..self.start + self.len
    }

    /// The pieces of a chain within this repeat's span (the span of an exact repeat is one).
    fn pieces(&self, chains: &Chains) -> Vec<Piece> {
        let span = self.span();
        match chains.get(self.chain as usize) {
            Some(c) => c.iter().filter_map(|p| p.within(&span)).collect(),
            None => vec![Piece {
                start: self.start,
                of_start: self.of_start,
                len: self.len,
            }],
        }
    }

    /// The part of this repeat within `range` (a sub-range of its span); a chain's part is
    /// narrowed further to start and end on matched tokens, so it may be empty.
    fn within(&self, range: Range<u32>, chains: &Chains) -> Repeat {
        let Some(c) = chains.get(self.chain as usize) else {
            return Repeat::exact(
                range.start,
                range.end - range.start,
                self.of,
                self.of_start + (range.start - self.start),
            );
        };
        let range = range.start.max(self.start)..range.end.min(self.span().end);
        let mut inside = c.iter().filter_map(|p| p.within(&range));
        let Some(first) = inside.next() else {
            return Repeat { len: 0, ..*self };
        };
        let last = inside.next_back().unwrap_or(first);
        Repeat {
            start: first.start,
            len: last.end() - first.start,
            of: self.of,
            of_start: first.of_start,
            of_len: last.of_end() - first.of_start,
            chain: self.chain,
        }
    }
}

/// The places in its group of the earlier occurrences the occurrence at `index` is compared
/// with: the group's first `half` and the `half` just before it.
fn compared(index: usize, half: usize) -> impl Iterator<Item = usize> {
    let first = 0..index.min(half);
    let recent = index.saturating_sub(half).max(first.end)..index;
    first.chain(recent)
}

/// The kept tokens of a document by number, when it is at hand.
pub(crate) type Lookup<'a, 'd> = &'a (dyn Fn(u32) -> Option<&'d DocTokens> + Sync);

/// Limits of the extension.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub min_tokens: usize,
    pub max_sources: usize,
    pub snap: bool,
    /// Near-exact chaining, when on.
    pub reach: Option<Reach>,
}

impl Limits {
    /// Earlier occurrences compared from each end of a group: the first ones and the recent ones.
    fn half(&self) -> usize {
        (self.max_sources / 2).max(1)
    }
}

/// The repeated fingerprints, arranged for extending documents a batch at a time in corpus
/// order.
///
/// This is what pass 2 of a corpus search holds for its whole length, so it is kept compact:
/// about 12 bytes per occurrence (its place, and its index in place order) plus 4 per
/// fingerprint hash and 4 per corpus document. The hashes themselves are not kept: only which
/// occurrences share one matters.
pub(crate) struct Seeds {
    /// Every occurrence, grouped by fingerprint hash (groups in hash order), each group in
    /// corpus order.
    occurrences: Vec<Occurrence>,
    /// Index in `occurrences` where each group starts, then `occurrences.len()`.
    group_starts: Vec<u32>,
    /// Indices of every occurrence, sorted by document, position, index: the later
    /// occurrences among them are the tasks of extension, in the order they are done.
    by_place: Vec<u32>,
    /// Per document number: the last document whose extension compares with it (itself
    /// included), after which its tokens can be dropped; [`UNUSED`] when it holds no
    /// occurrence.
    last_use: Vec<u32>,
    limits: Limits,
}

/// `last_use` of a document without an occurrence.
const UNUSED: u32 = u32::MAX;

impl Seeds {
    /// Seeds from `(hash, occurrence)` records sorted by hash then occurrence, of which only
    /// hashes occurring at least twice are kept (the others cannot seed a repeat). Refuses more
    /// than `u32::MAX` repeated occurrences (indices are 32-bit to halve the memory).
    pub fn from_sorted(
        sorted: impl Iterator<Item = crate::Result<(u64, Occurrence)>>,
        limits: Limits,
    ) -> crate::Result<Seeds> {
        let mut occurrences: Vec<Occurrence> = Vec::new();
        let mut group_starts: Vec<u32> = Vec::new();
        let mut pending: Option<(u64, Occurrence)> = None;
        let mut open: Option<u64> = None;
        let too_many = || crate::Error::Capacity {
            message: format!("more than {} repeated passage fingerprints", u32::MAX),
            advice: crate::Advice::new("; raise ", "passages.min_tokens", ""),
        };
        for r in sorted {
            let (hash, o) = r?;
            if open == Some(hash) {
                occurrences.push(o);
            } else if let Some(p) = pending.filter(|p| p.0 == hash) {
                group_starts.push(u32::try_from(occurrences.len()).map_err(|_| too_many())?);
                occurrences.push(p.1);
                occurrences.push(o);
                open = Some(hash);
                pending = None;
            } else {
                open = None;
                pending = Some((hash, o));
            }
        }
        group_starts.push(u32::try_from(occurrences.len()).map_err(|_| too_many())?);
        occurrences.shrink_to_fit();
        group_starts.shrink_to_fit();
        Ok(Seeds::new(occurrences, group_starts, limits))
    }

    fn new(occurrences: Vec<Occurrence>, group_starts: Vec<u32>, limits: Limits) -> Seeds {
        let half = limits.half();
        let docs = occurrences
            .iter()
            .map(|o| o.doc as usize + 1)
            .max()
            .unwrap_or(0);
        let mut last_use = vec![UNUSED; docs];
        for g in group_starts.windows(2) {
            let group = &occurrences[g[0] as usize..g[1] as usize];
            for (index, o) in group.iter().enumerate() {
                // Mirrors the choice of sources in `repeats_in`: the first `half` occurrences
                // are compared with every later one, the others with the `half` after them.
                let last = if index < half {
                    group.len() - 1
                } else {
                    (index + half).min(group.len() - 1)
                };
                let until = group[last].doc.max(o.doc);
                let l = &mut last_use[o.doc as usize];
                *l = if *l == UNUSED { until } else { (*l).max(until) };
            }
        }
        // Sorted through a transient (document, position, index) so the sort reads no
        // occurrence out of place.
        let mut places: Vec<(u32, u32, u32)> = occurrences
            .iter()
            .enumerate()
            .map(|(i, o)| (o.doc, o.pos, i as u32))
            .collect();
        places.par_sort_unstable();
        let by_place = places.into_iter().map(|p| p.2).collect();
        Seeds {
            occurrences,
            group_starts,
            by_place,
            last_use,
            limits,
        }
    }

    /// Number of fingerprint occurrences.
    pub fn len(&self) -> usize {
        self.occurrences.len()
    }

    /// The range of `by_place` whose occurrences lie in documents `docs`.
    fn place_range(&self, docs: RangeInclusive<u32>) -> Range<usize> {
        let doc = |i: &u32| self.occurrences[*i as usize].doc;
        let from = self.by_place.partition_point(|i| doc(i) < *docs.start());
        let to = self.by_place.partition_point(|i| doc(i) <= *docs.end());
        from..to
    }

    /// The group of occurrence `index`: its range in `occurrences`.
    fn group_of(&self, index: u32) -> Range<usize> {
        let g = self.group_starts.partition_point(|&s| s <= index) - 1;
        self.group_starts[g] as usize..self.group_starts[g + 1] as usize
    }

    /// Sorted token positions of the occurrences in document `doc`.
    pub fn positions(&self, doc: u32) -> Vec<u32> {
        let mut out: Vec<u32> = self.by_place[self.place_range(doc..=doc)]
            .iter()
            .map(|&i| self.occurrences[i as usize].pos)
            .collect();
        out.dedup();
        out
    }

    /// Whether document `doc` holds an occurrence.
    pub fn involves(&self, doc: u32) -> bool {
        self.last_use
            .get(doc as usize)
            .is_some_and(|&l| l != UNUSED)
    }

    /// Documents with an occurrence.
    pub fn documents(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.last_use.len() as u32).filter(|&d| self.involves(d))
    }

    /// The last document whose extension needs the tokens of `doc`.
    pub fn last_use(&self, doc: u32) -> u32 {
        match self.last_use.get(doc as usize) {
            Some(&l) if l != UNUSED => l,
            _ => doc,
        }
    }

    /// The later occurrences in the documents `batch`, by document, position, group.
    fn tasks(&self, batch: RangeInclusive<u32>) -> Vec<Task> {
        self.by_place[self.place_range(batch)]
            .iter()
            .filter_map(|&i| {
                let group = self.group_of(i);
                let index = i as usize - group.start;
                let o = self.occurrences[i as usize];
                (index > 0).then_some(Task {
                    doc: o.doc,
                    pos: o.pos,
                    group,
                    index,
                })
            })
            .collect()
    }

    /// The documents (sorted, without repeats) that [`Seeds::passages`] of `batch` compares
    /// with, the batch's own included.
    pub fn sources(&self, batch: RangeInclusive<u32>) -> Vec<u32> {
        let half = self.limits.half();
        let mut out: Vec<u32> = self
            .tasks(batch)
            .iter()
            .flat_map(|t| {
                let group = &self.occurrences[t.group.clone()];
                compared(t.index, half).map(move |i| group[i].doc)
            })
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The passages whose later copy lies in a document numbered within `batch`; `docs` must hold
    /// the tokens of those documents and of every earlier document they are compared with.
    pub fn passages<'d>(&self, batch: RangeInclusive<u32>, docs: Lookup<'_, 'd>) -> Vec<Passage> {
        let tasks = self.tasks(batch);
        let per_doc: Vec<&[Task]> = tasks.chunk_by(|a, b| a.doc == b.doc).collect();
        let limits = self.limits;
        let found: Vec<Vec<Passage>> = per_doc
            .par_iter()
            .map(|chunk| {
                let doc = chunk[0].doc;
                let Some(b) = docs(doc) else {
                    return Vec::new();
                };
                let (mut repeats, chains) = self.repeats_in(doc, b, chunk, docs);
                // Snapping comes before claiming: a repeat that claimed tokens and was then
                // narrowed to whole sentences would leave the tokens it gave up to nobody,
                // though a shorter repeat (a teaser repeating its own lead inside an edited
                // copy) covered them and lost them to the claim.
                let near = Near {
                    chains: &chains,
                    reach: limits.reach,
                };
                if limits.snap {
                    for r in &mut repeats {
                        *r = snapped(b, *r, docs, limits.min_tokens, near);
                    }
                }
                let opens = |i: u32| b.get(i as usize).is_some_and(|t| t.has(BREAK_BEFORE));
                claim(repeats, limits.min_tokens, opens, near)
                    .into_iter()
                    .filter_map(|r| to_passage(doc, b, r, docs, limits.reach.map(|_| &chains[..])))
                    .collect()
            })
            .collect();
        found.into_iter().flatten().collect()
    }

    /// The maximal repeats through each seed of document `doc` (overlapping, unsorted), and in
    /// near-exact mode the chains of shorter pieces the repeats with a `chain` index name.
    fn repeats_in(
        &self,
        doc: u32,
        b: &DocTokens,
        tasks: &[Task],
        docs: Lookup<'_, '_>,
    ) -> (Vec<Repeat>, Vec<Vec<Piece>>) {
        let limits = self.limits;
        let half = limits.half();
        // The last maximal run extended on each (source document, diagonal), in this document's
        // positions: a seed inside it would only find the same repeat again. Tasks come in
        // position order and each run holds its seed, so a later seed can only lie in the last
        // run of its diagonal.
        let mut done: HashMap<(u32, i64), Range<u32>> = HashMap::new();
        // Per source document, the end of the furthest reportable repeat found so far; every
        // such repeat starts at or before the current seed (it holds its seed, or ends before it
        // when cut short within one document), so a later seed lies in one exactly when it lies
        // before this end. Such a seed is not extended against that source again: in repetitive
        // text (a run of one token, a table of zeros, a block pasted a thousand times) each seed
        // would otherwise find a new diagonal and extend over the whole run, `m` seeds costing
        // `m` times the run. Skipping them makes a run of `n` tokens cost about
        // `max_sources * n * log n` (each reportable repeat within one document at least doubles
        // what is covered). What it gives up: a repeat from the same source on another diagonal
        // through a seed already covered (which only exists where the source repeats itself) is
        // found only if a seed outside the covered span reaches it.
        let mut covered: HashMap<u32, u32> = HashMap::new();
        let mut out = Vec::new();
        // Near-exact mode: every exact piece, by source document, for chaining.
        let mut pieces: HashMap<u32, Vec<Piece>> = HashMap::new();
        for task in tasks {
            let group = &self.occurrences[task.group.clone()];
            for i in compared(task.index, half) {
                let a = group[i];
                let diagonal = a.pos as i64 - task.pos as i64;
                if done
                    .get(&(a.doc, diagonal))
                    .is_some_and(|r| r.contains(&task.pos))
                    || covered.get(&a.doc).is_some_and(|&end| task.pos < end)
                {
                    continue;
                }
                let a_tokens = if a.doc == doc {
                    b
                } else {
                    match docs(a.doc) {
                        Some(d) => d,
                        None => continue,
                    }
                };
                let Some(Extension {
                    start,
                    of_start,
                    len,
                    run,
                }) = extend(a_tokens, a.pos, b, task.pos, a.doc == doc)
                else {
                    continue;
                };
                // The whole run, not the part kept within one document: any seed in it gives
                // the same start and so the same repeat.
                done.insert((a.doc, diagonal), start..(start + run).max(task.pos + 1));
                if len as usize >= limits.min_tokens {
                    out.push(Repeat::exact(start, len, a.doc, of_start));
                    let end = covered.entry(a.doc).or_insert(0);
                    *end = (*end).max(start + len);
                }
                if limits.reach.is_some() && len > 0 {
                    pieces.entry(a.doc).or_default().push(Piece {
                        start,
                        of_start,
                        len,
                    });
                }
            }
        }
        let mut chains = Vec::new();
        if let Some(reach) = limits.reach {
            let mut sources: Vec<(u32, Vec<Piece>)> = pieces.into_iter().collect();
            sources.sort_unstable_by_key(|s| s.0);
            for (of, list) in sources {
                for c in chain::chains(list, reach, of == doc) {
                    let (first, last) = (c[0], c[c.len() - 1]);
                    out.push(Repeat {
                        start: first.start,
                        len: last.end() - first.start,
                        of,
                        of_start: first.of_start,
                        of_len: last.of_end() - first.of_start,
                        chain: chains.len() as u32,
                    });
                    chains.push(c);
                }
            }
        }
        (out, chains)
    }
}

/// A seed extended to the maximal run of equal token hashes through it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Extension {
    /// Start of the repeat in the later document.
    start: u32,
    /// Start of the repeat in the earlier document.
    of_start: u32,
    /// Tokens in the repeat (within one document, cut so the earlier copy ends first).
    len: u32,
    /// Tokens in the maximal run, before that cut.
    run: u32,
}

/// Extends the seed at `a_pos` in `a` and `b_pos` in `b` to the maximal run of equal token
/// hashes. Within one document the earlier copy must end before the later one starts, so removing
/// the later copy never touches the first.
fn extend(a: &DocTokens, a_pos: u32, b: &DocTokens, b_pos: u32, same: bool) -> Option<Extension> {
    // Extension stays inside the kept runs: a repeat of `min_tokens` or more lies wholly inside
    // them in both copies, so leaving a run means the repeat (if long enough) has ended.
    let (a_first, a_toks) = a.run(a_pos as usize)?;
    let (b_first, b_toks) = b.run(b_pos as usize)?;
    let (ap, bp) = (a_pos as usize - a_first, b_pos as usize - b_first);
    let mut left = 0;
    while left < ap && left < bp && a_toks[ap - left - 1].hash == b_toks[bp - left - 1].hash {
        left += 1;
    }
    let mut right = 0;
    while ap + right < a_toks.len()
        && bp + right < b_toks.len()
        && a_toks[ap + right].hash == b_toks[bp + right].hash
    {
        right += 1;
    }
    let (a0, b0) = (a_pos as usize - left, b_pos as usize - left);
    let run = left + right;
    let mut len = run;
    if same && a0 + len > b0 {
        len = b0.saturating_sub(a0);
    }
    Some(Extension {
        start: b0 as u32,
        of_start: a0 as u32,
        len: len as u32,
        run: run as u32,
    })
}

/// The near-exact chains of one document and the limits they must keep; `reach` is `None` (and
/// `chains` empty) in exact mode.
#[derive(Clone, Copy)]
struct Near<'a> {
    chains: &'a Chains,
    reach: Option<Reach>,
}

impl Near<'_> {
    /// Whether `r` may be reported, and so claim tokens: `min` tokens long and, for a chain
    /// narrowed by snapping or claiming, still within its edit budget. Checked before a repeat
    /// claims anything, so that a chain dropped later cannot take tokens from exact repeats.
    fn reportable(&self, r: &Repeat, min: u32) -> bool {
        r.len >= min
            && (r.chain == EXACT
                || self
                    .reach
                    .is_some_and(|reach| chain::qualifies(&r.pieces(self.chains), reach)))
    }
}

/// Longest repeats first (ties: earliest source, then earliest place) claim their tokens; what a
/// repeat has left after earlier claims is kept when still `min_tokens` long. Sorted by start.
///
/// A repeat that would lose tokens to nobody (a leftover shorter than `min_tokens`) may instead
/// take tokens from the claims it overlaps, as many as they can spare while keeping
/// `min_tokens` (see [`share`]). This is the case of an edited near-duplicate's teaser repeating
/// the copy's own lead, where a longer repeat of the original runs into the teaser up to the first
/// edit: without the exchange the teaser's first words would be claimed by the long repeat and the
/// rest left unreported. `opens(i)` says whether a sentence or line starts at token `i`, where a
/// shared boundary is best placed.
///
/// A near-exact chain (from `near`) claims like an exact repeat, by its length in the copy; a
/// part of it left after earlier claims is narrowed to its matched tokens, and claims only if it
/// is still reportable ([`Near::reportable`]).
fn claim(
    mut repeats: Vec<Repeat>,
    min_tokens: usize,
    opens: impl Fn(u32) -> bool,
    near: Near<'_>,
) -> Vec<Repeat> {
    repeats.sort_by_key(|r| (std::cmp::Reverse(r.len), r.of, r.of_start, r.start));
    repeats.dedup();
    let min = min_tokens as u32;
    let ok = |p: &Repeat| near.reportable(p, min);
    let mut kept: Vec<Repeat> = Vec::new();
    for r in repeats {
        let pieces = without(r, kept.iter().map(Repeat::span), near.chains);
        if pieces.iter().all(ok) {
            kept.extend(pieces);
        } else if let Some(shared) = share(&kept, r, min, &opens, near) {
            kept = shared;
        } else {
            kept.extend(pieces.into_iter().filter(ok));
        }
    }
    kept.sort_by_key(|r| r.start);
    kept
}

/// The claims `kept` with `r` added, taking from the claims it overlaps what they can spare:
/// everything inside `r`, except that a claim reaching out of `r` keeps at least `min` tokens.
/// `None` when `r` would then be shorter than `min`, or a claim would have to give up tokens
/// `r` does not cover. Every token claimed before stays claimed, and the tokens of `r` no claim
/// held are added, so the exchange only ever covers more.
///
/// A boundary that moves into `r` goes to a sentence start where one lies in its range.
fn share(
    kept: &[Repeat],
    r: Repeat,
    min: u32,
    opens: &impl Fn(u32) -> bool,
    near: Near<'_>,
) -> Option<Vec<Repeat>> {
    let span = r.span();
    // The claims holding the first and last tokens of `r` while reaching out of it; claims
    // never overlap, so there is at most one on each side, and they differ because some token
    // of `r` is unclaimed.
    let left = kept
        .iter()
        .find(|c| c.start < span.start && c.span().contains(&span.start));
    let right = kept
        .iter()
        .find(|c| c.span().end > span.end && c.span().contains(&(span.end - 1)));
    // The range of boundaries each side allows: `r` takes all it overlaps when the claim keeps
    // `min` tokens outside it, else the claim keeps exactly `min` or more, up to its end.
    let mut from = match left {
        Some(c) if span.start - c.start < min => c.start + min..c.span().end,
        _ => span.start..span.start,
    };
    let mut to = match right {
        Some(c) if c.span().end - span.end < min => c.start..c.span().end - min,
        _ => span.end..span.end,
    };
    if from.start > from.end || to.start > to.end || to.end < from.start + min {
        return None;
    }
    // Prefer sentence starts: the first one the left side allows, then the last one the right
    // side allows, each leaving `r` its `min` tokens.
    from.end = from.end.min(to.end - min);
    if let Some(x) = (from.start..=from.end).find(|&x| opens(x)) {
        from.start = x;
    }
    to.start = to.start.max(from.start + min);
    if let Some(x) = (to.start..=to.end).rev().find(|&x| opens(x)) {
        to.end = x;
    }
    let (x, y) = (from.start, to.end);
    let mut out: Vec<Repeat> = kept
        .iter()
        .filter(|c| !overlaps(c.span(), span.clone()))
        .copied()
        .collect();
    let chains = near.chains;
    let left = left.map(|&c| c.within(c.start..x, chains));
    let right = right.map(|&c| c.within(y..c.span().end, chains));
    let middle = r.within(x..y, chains);
    // Exact parts keep `min` tokens by construction; a chain narrowed to its matched tokens may
    // not, or may exceed its edit budget: then no exchange, so no claim loses its tokens.
    if !left
        .iter()
        .chain(&right)
        .chain([&middle])
        .all(|p| near.reportable(p, min))
    {
        return None;
    }
    out.extend(left);
    out.extend(right);
    out.push(middle);
    Some(out)
}

fn overlaps(a: Range<u32>, b: Range<u32>) -> bool {
    a.start < b.end && b.start < a.end
}

/// What is left of `r` outside the ranges `taken`, as repeats of the same source.
fn without(r: Repeat, taken: impl Iterator<Item = Range<u32>>, chains: &Chains) -> Vec<Repeat> {
    // One token range, split further by every range taken.
    #[allow(clippy::single_range_in_vec_init)]
    let mut pieces = vec![r.span()];
    for c in taken {
        pieces = pieces
            .into_iter()
            .flat_map(|p| {
                [p.start..p.end.min(c.start), p.start.max(c.end)..p.end]
                    .into_iter()
                    .filter(|q| q.start < q.end)
            })
            .collect();
    }
    pieces.into_iter().map(|p| r.within(p, chains)).collect()
}

/// Narrows the repeat `span` of `b` (which equals `a` from `of_start`) to whole sentences where
/// it starts or ends in the middle of one in both copies, and where that keeps `min_tokens`.
///
/// The maximal repeat ends where the copies diverge; when that is mid-sentence in both, the
/// copies share a chance fragment (a few common words) of a sentence that is not itself
/// repeated, and removing it would leave a broken sentence. A copy that starts a sentence,
/// a line or a quotation (`«`, `(`) in either place is a real boundary and is kept.
fn snap(
    b: &DocTokens,
    a: &DocTokens,
    of_span: Range<usize>,
    span: Range<usize>,
    min_tokens: usize,
) -> Range<usize> {
    let (mut start, mut end) = (span.start, span.end);
    // The places in `a` of the first and last tokens (a near-exact chain starts and ends on
    // matched tokens, so this holds for chains too).
    let shift = |i: usize| {
        if i == span.start {
            of_span.start
        } else {
            of_span.end - 1
        }
    };
    let opens =
        |d: &DocTokens, i: usize| d.get(i).is_some_and(|t| t.has(BREAK_BEFORE) || t.lead > 0);
    let closes =
        |d: &DocTokens, i: usize| d.break_after(i) || d.get(i).is_some_and(|t| t.trail > 0);
    if !opens(b, start) && !opens(a, shift(start)) {
        if let Some(s) = (start + 1..end).find(|&i| b.get(i).is_some_and(|t| t.has(BREAK_BEFORE))) {
            if end - s >= min_tokens {
                start = s;
            }
        }
    }
    if !closes(b, end - 1) && !closes(a, shift(end - 1)) {
        if let Some(e) = (start + 1..end).rev().find(|&j| b.break_after(j - 1)) {
            if e - start >= min_tokens {
                end = e;
            }
        }
    }
    start..end
}

/// The repeat `r` of `b` narrowed by [`snap`]; a chain narrowed into a gap shrinks further to
/// its matched tokens, and is left as it was when that would make it shorter than `min_tokens`.
fn snapped(
    b: &DocTokens,
    r: Repeat,
    docs: Lookup<'_, '_>,
    min_tokens: usize,
    near: Near<'_>,
) -> Repeat {
    let (s, e) = (r.start as usize, (r.start + r.len) as usize);
    let a = docs(r.of).unwrap_or(b);
    let of_span = r.of_start as usize..(r.of_start + r.of_len) as usize;
    let span = snap(b, a, of_span, s..e, min_tokens);
    let narrowed = r.within(span.start as u32..span.end as u32, near.chains);
    if r.chain != EXACT && !near.reportable(&narrowed, min_tokens as u32) {
        return r;
    }
    narrowed
}

/// The passage of repeat `r` of document `doc`; `chains` is given in near-exact mode, where the
/// passage counts its edits.
fn to_passage(
    doc: u32,
    b: &DocTokens,
    r: Repeat,
    docs: Lookup<'_, '_>,
    chains: Option<&Chains>,
) -> Option<Passage> {
    let a = docs(r.of).unwrap_or(b);
    let span = r.start as usize..(r.start + r.len) as usize;
    let a_span = r.of_start as usize..(r.of_start + r.of_len) as usize;
    // Both spans lie inside kept runs (see `doc`); a missing token would be a bug, not a reason
    // to stop, so such a repeat is dropped rather than reported with wrong offsets.
    let (first, last) = (*b.get(span.start)?, *b.get(span.end - 1)?);
    let (of_first, of_last) = (*a.get(a_span.start)?, *a.get(a_span.end - 1)?);
    // The reported spans take in the punctuation around them only where both copies have it,
    // so that they slice to the same text; the cut always takes the copy's own punctuation, so
    // no stray full stop or quote mark is left behind.
    let (start, of_start) = if first.lead == of_first.lead {
        (first.outer_start(), of_first.outer_start())
    } else {
        (first.start as usize, of_first.start as usize)
    };
    let (end, of_end) = if last.trail == of_last.trail && last.trail_first == of_last.trail_first {
        (last.outer_end(), of_last.outer_end())
    } else if last.trail > 0 && of_last.trail > 0 && last.trail_first == of_last.trail_first {
        // (Both must have punctuation: a NUL glued to a word has `trail_first` '\0', the same
        // as "none", and the earlier copy's span ran a byte past its text; found by fuzzing.)
        // "است." against "است.»": the full stop is shared, the closing quote is not.
        let shared = last.trail_first.len_utf8();
        (last.end as usize + shared, of_last.end as usize + shared)
    } else {
        (last.end as usize, of_last.end as usize)
    };
    // Removing the span should leave one space between its neighbours, not two, and no space
    // dangling at the end of a line.
    let mut cut = first.outer_start()..last.outer_end();
    let after = b.get(span.end);
    let line_ends_after = span.end >= b.len() || after.is_some_and(|t| t.has(LINE_BEFORE));
    if last.has(HSPACE_AFTER) && first.has(SPACE_BEFORE) && !line_ends_after {
        if let Some(after) = after {
            cut.end = after.outer_start();
        }
    } else if line_ends_after && span.start > 0 && !first.has(LINE_BEFORE) {
        if let Some(before) = b.get(span.start - 1).filter(|t| t.has(HSPACE_AFTER)) {
            cut.start = before.outer_end();
        }
    }
    Some(Passage {
        doc,
        start,
        end,
        line: b.line_of(start),
        of_doc: r.of,
        of_start,
        of_end,
        of_line: a.line_of(of_start),
        tokens: span.len(),
        edits: chains.map(|c| chain::edits(&r.pieces(c))),
        cut,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(start: u32, len: u32, of: u32) -> Repeat {
        Repeat::exact(start, len, of, start)
    }

    const NO_CHAINS: &Chains = &[];
    const EXACT_ONLY: Near = Near {
        chains: NO_CHAINS,
        reach: None,
    };

    fn no_sentences(_: u32) -> bool {
        false
    }

    #[test]
    fn longer_repeats_claim_first_and_leftovers_must_be_long_enough() {
        let kept = claim(
            vec![rep(0, 30, 1), rep(20, 40, 2), rep(25, 15, 3)],
            10,
            no_sentences,
            EXACT_ONLY,
        );
        // 20..60 (source 2) wins; 0..20 of source 1 is left and long enough; source 3 lies
        // inside the winner and adds nothing.
        assert_eq!(
            kept,
            vec![rep(0, 30, 1).within(0..20, NO_CHAINS), rep(20, 40, 2)]
        );
    }

    #[test]
    fn a_repeat_left_too_short_takes_what_longer_claims_can_spare() {
        // 60..65 of source 3 would be too short; 20..60 can give up 50..60 and keep 30 tokens.
        let kept = claim(
            vec![rep(0, 30, 1), rep(20, 40, 2), rep(50, 15, 3)],
            10,
            no_sentences,
            EXACT_ONLY,
        );
        let (a, b) = (rep(0, 30, 1), rep(20, 40, 2));
        assert_eq!(
            kept,
            vec![
                a.within(0..20, NO_CHAINS),
                b.within(20..50, NO_CHAINS),
                rep(50, 15, 3)
            ]
        );
        // 0..16 can spare only 6 of the 10 tokens it shares with 6..21, keeping `min_tokens`;
        // the boundary goes to a sentence start when one lies in the range allowed.
        let (c, d) = (rep(0, 16, 1), rep(6, 15, 2));
        let kept = claim(vec![c, d], 10, no_sentences, EXACT_ONLY);
        assert_eq!(
            kept,
            vec![c.within(0..10, NO_CHAINS), d.within(10..21, NO_CHAINS)]
        );
        let kept = claim(vec![c, d], 10, |i| i == 11, EXACT_ONLY);
        assert_eq!(
            kept,
            vec![c.within(0..11, NO_CHAINS), d.within(11..21, NO_CHAINS)]
        );
        // No boundary leaves both 10 tokens: the longer repeat keeps its claim.
        let kept = claim(vec![c, rep(4, 14, 2)], 10, no_sentences, EXACT_ONLY);
        assert_eq!(kept, vec![c]);
    }

    #[test]
    fn equal_repeats_go_to_the_earliest_source() {
        let kept = claim(
            vec![rep(5, 20, 7), rep(5, 20, 3)],
            10,
            no_sentences,
            EXACT_ONLY,
        );
        assert_eq!(kept, vec![rep(5, 20, 3)]);
    }
}
