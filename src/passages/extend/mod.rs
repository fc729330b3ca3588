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
use super::doc::{DocTokens, BREAK_BEFORE};
use super::{NumberMap, Passage};
use rayon::prelude::*;
use std::collections::HashMap;
use std::ops::{Range, RangeInclusive};

mod claim;
mod repeat;
mod span;

use claim::claim;
use repeat::{Chains, Near, Repeat};
use span::{snapped, to_passage};

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
/// fingerprint hash and 8 per corpus document. The hashes themselves are not kept: only which
/// occurrences share one matters.
pub(crate) struct Seeds {
    /// Every occurrence, grouped by fingerprint hash (groups in hash order), each group in
    /// corpus order.
    occurrences: Vec<Occurrence>,
    /// Index in `occurrences` where each group starts, then `occurrences.len()`.
    group_starts: Vec<u32>,
    /// For every [`HINT_STEP`]th occurrence, the group holding it: a task's group is searched
    /// between two hints instead of among all groups (see [`Seeds::group_of`]).
    group_hints: Vec<u32>,
    /// Indices of every occurrence, sorted by document, position, index: the later
    /// occurrences among them are the tasks of extension, in the order they are done.
    by_place: Vec<u32>,
    /// Per document number, where its occurrences start in `by_place`, then `by_place.len()`:
    /// [`Seeds::place_range`] in two reads. Two binary searches of `by_place` (each step
    /// through `occurrences`, two cache misses a step) cost each document more as the corpus
    /// grew, once for its positions and twice a batch.
    place_starts: Vec<u32>,
    /// Per document number: the last document whose extension compares with it (itself
    /// included), after which its tokens can be dropped; [`UNUSED`] when it holds no
    /// occurrence.
    last_use: Vec<u32>,
    /// Per document number: how many later occurrences are compared with its occurrences.
    /// The first pages of a site's repeated lines are compared with every later page of the
    /// site, most others with a few: what `passages` pass 2 keeps in memory first when it
    /// must set documents aside.
    uses: Vec<u32>,
    limits: Limits,
}

/// `last_use` of a document without an occurrence.
const UNUSED: u32 = u32::MAX;

/// Occurrences between two group hints: 4 bytes of hints per 64 occurrences, and the groups
/// between two hints (of two occurrences or more each) fit a few cache lines.
const HINT_STEP: usize = 64;

/// Indices of `occurrences` (all in documents below `docs`) sorted by document, position and
/// index, and where each document's start in them (then their number): a counting sort by
/// document, then each document's few occurrences sorted by position. It needs 4 bytes per
/// occurrence (the result) and 4 per document (the starts, which the counting sort computes
/// anyway); sorting `(document, position, index)` triples took 12 per occurrence beside it, and
/// collecting the indices from them in place kept the triples' allocation (3M documents: ~40M
/// occurrences, ~800 MB at once).
fn by_place(occurrences: &[Occurrence], docs: usize) -> (Vec<u32>, Vec<u32>) {
    let mut starts = vec![0u32; docs + 1];
    for o in occurrences {
        starts[o.doc as usize + 1] += 1;
    }
    for d in 1..starts.len() {
        starts[d] += starts[d - 1];
    }
    let mut out = vec![0u32; occurrences.len()];
    for (i, o) in occurrences.iter().enumerate() {
        let at = &mut starts[o.doc as usize];
        out[*at as usize] = i as u32;
        *at += 1;
    }
    // Each document's cursor now stands where the next one starts: shifting by one gives the
    // starts back.
    starts.rotate_right(1);
    starts[0] = 0;
    out.par_chunk_by_mut(|&a, &b| occurrences[a as usize].doc == occurrences[b as usize].doc)
        .for_each(|same_doc| {
            same_doc.sort_unstable_by_key(|&i| (occurrences[i as usize].pos, i));
        });
    (out, starts)
}

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
            advice: Box::new(crate::Advice::new("; raise ", "passages.min_tokens", "")),
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
        let mut uses = vec![0u32; docs];
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
                let u = &mut uses[o.doc as usize];
                *u = u.saturating_add((last - index) as u32);
            }
        }
        let (by_place, place_starts) = by_place(&occurrences, docs);
        let mut group_hints = Vec::with_capacity(occurrences.len() / HINT_STEP + 1);
        let mut g = 0usize;
        for at in (0..occurrences.len()).step_by(HINT_STEP) {
            while group_starts[g + 1] as usize <= at {
                g += 1;
            }
            group_hints.push(g as u32);
        }
        Seeds {
            occurrences,
            group_starts,
            group_hints,
            by_place,
            place_starts,
            last_use,
            uses,
            limits,
        }
    }

    /// Number of fingerprint occurrences.
    pub fn len(&self) -> usize {
        self.occurrences.len()
    }

    /// The range of `by_place` whose occurrences lie in documents `docs`.
    fn place_range(&self, docs: RangeInclusive<u32>) -> Range<usize> {
        let start = |d: u64| {
            let last = self.place_starts.len() - 1;
            self.place_starts[(d as usize).min(last)] as usize
        };
        let (from, to) = (start(*docs.start() as u64), start(*docs.end() as u64 + 1));
        from..to.max(from)
    }

    /// The group of occurrence `index`: its range in `occurrences`.
    ///
    /// Searched between the hints around `index`: a binary search of every group start missed
    /// the cache on each of its late steps, once per task, and so cost more a document as the
    /// corpus grew (2.3% of a scan at 300 000 documents, from 0.4% at 30 000).
    fn group_of(&self, index: u32) -> Range<usize> {
        let h = index as usize / HINT_STEP;
        let from = self.group_hints[h] as usize;
        let to = self
            .group_hints
            .get(h + 1)
            .map_or(self.group_starts.len() - 1, |&g| g as usize + 1);
        let g = from + self.group_starts[from..to].partition_point(|&s| s <= index) - 1;
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

    /// How many later occurrences are compared with the occurrences of `doc` (0 for a
    /// document without one).
    pub fn uses(&self, doc: u32) -> u32 {
        self.uses.get(doc as usize).copied().unwrap_or(0)
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
        let mut done: NumberMap<(u32, i64), Range<u32>> = NumberMap::default();
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
        let mut covered: NumberMap<u32, u32> = NumberMap::default();
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn place_order_is_the_sort_of_document_position_and_index(
            places in prop::collection::vec((0u32..40, 0u32..30), 0..400),
        ) {
            let occurrences: Vec<Occurrence> =
                places.iter().map(|&(doc, pos)| Occurrence { doc, pos }).collect();
            let docs = occurrences.iter().map(|o| o.doc as usize + 1).max().unwrap_or(0);
            let mut triples: Vec<(u32, u32, u32)> = occurrences
                .iter()
                .enumerate()
                .map(|(i, o)| (o.doc, o.pos, i as u32))
                .collect();
            triples.sort_unstable();
            let expected: Vec<u32> = triples.into_iter().map(|t| t.2).collect();
            let (found, _) = by_place(&occurrences, docs);
            prop_assert_eq!(found.capacity(), occurrences.len());
            prop_assert_eq!(found, expected);
        }

        #[test]
        fn uses_count_the_later_occurrences_compared_with_a_document(
            prints in prop::collection::vec((0u64..12, 0u32..30, 0u32..20), 0..300),
            max_sources in 1usize..6,
        ) {
            let mut prints: Vec<(u64, Occurrence)> =
                prints.into_iter().map(|(h, doc, pos)| (h, Occurrence { doc, pos })).collect();
            prints.sort_unstable();
            prints.dedup();
            let limits = Limits { min_tokens: 20, max_sources, snap: true, reach: None };
            let seeds = Seeds::from_sorted(prints.into_iter().map(Ok), limits).unwrap();
            // Every comparison the extension makes, from each later occurrence to the earlier
            // ones `compared` names, counted on the document of the earlier one.
            let mut expected = std::collections::HashMap::<u32, u32>::new();
            for g in seeds.group_starts.windows(2) {
                let group = &seeds.occurrences[g[0] as usize..g[1] as usize];
                for index in 1..group.len() {
                    for i in compared(index, limits.half()) {
                        *expected.entry(group[i].doc).or_default() += 1;
                    }
                }
            }
            for doc in 0..32u32 {
                prop_assert_eq!(seeds.uses(doc), expected.get(&doc).copied().unwrap_or(0));
            }
        }

        #[test]
        fn place_range_by_document_starts_is_that_of_a_search_of_place_order(
            prints in prop::collection::vec((0u64..30, 0u32..40, 0u32..30), 0..400),
            from in 0u32..45,
            width in 0u32..10,
        ) {
            let mut prints: Vec<(u64, Occurrence)> =
                prints.into_iter().map(|(h, doc, pos)| (h, Occurrence { doc, pos })).collect();
            prints.sort_unstable();
            prints.dedup();
            let limits = Limits { min_tokens: 20, max_sources: 4, snap: true, reach: None };
            let seeds = Seeds::from_sorted(prints.into_iter().map(Ok), limits).unwrap();
            let docs = from..=from + width;
            let doc = |i: &u32| seeds.occurrences[*i as usize].doc;
            let searched = seeds.by_place.partition_point(|i| doc(i) < *docs.start())
                ..seeds.by_place.partition_point(|i| doc(i) <= *docs.end());
            prop_assert_eq!(seeds.place_range(docs), searched);
        }
    }
}
