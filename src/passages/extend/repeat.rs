//! A repeat in token positions, exact or a near-exact chain of pieces: what extension finds and
//! claiming, snapping and mapping to bytes work on.

use super::super::chain::{self, Piece, Reach};
use std::ops::Range;

/// A repeat in token positions: `len` tokens of `doc` from `start` repeat `of_len` tokens of `of`
/// from `of_start`; exactly (`of_len == len`) unless `chain` names a near-exact chain of pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Repeat {
    pub(super) start: u32,
    pub(super) len: u32,
    pub(super) of: u32,
    pub(super) of_start: u32,
    pub(super) of_len: u32,
    /// Index of the chain in the document's [`Chains`], or [`EXACT`].
    pub(super) chain: u32,
}

/// The `chain` of an exact repeat.
pub(super) const EXACT: u32 = u32::MAX;

/// The near-exact chains of one document, their pieces in order; repeats name them by index.
pub(super) type Chains = [Vec<Piece>];

impl Repeat {
    pub(super) fn exact(start: u32, len: u32, of: u32, of_start: u32) -> Repeat {
        Repeat {
            start,
            len,
            of,
            of_start,
            of_len: len,
            chain: EXACT,
        }
    }

    pub(super) fn span(&self) -> Range<u32> {
        self.start..self.start + self.len
    }

    /// The pieces of a chain within this repeat's span (the span of an exact repeat is one).
    pub(super) fn pieces(&self, chains: &Chains) -> Vec<Piece> {
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
    pub(super) fn within(&self, range: Range<u32>, chains: &Chains) -> Repeat {
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

/// The near-exact chains of one document and the limits they must keep; `reach` is `None` (and
/// `chains` empty) in exact mode.
#[derive(Clone, Copy)]
pub(super) struct Near<'a> {
    pub(super) chains: &'a Chains,
    pub(super) reach: Option<Reach>,
}

impl Near<'_> {
    /// Whether `r` may be reported, and so claim tokens: `min` tokens long and, for a chain
    /// narrowed by snapping or claiming, still within its edit budget. Checked before a repeat
    /// claims anything, so that a chain dropped later cannot take tokens from exact repeats.
    pub(super) fn reportable(&self, r: &Repeat, min: u32) -> bool {
        r.len >= min
            && (r.chain == EXACT
                || self
                    .reach
                    .is_some_and(|reach| chain::qualifies(&r.pieces(self.chains), reach)))
    }
}
