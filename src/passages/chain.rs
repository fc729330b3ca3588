//! Near-exact repeats: exact pieces of one document and one source that lie on nearly the same
//! diagonal, chained into one repeat across the few tokens changed, inserted or dropped between
//! them (the chaining step of local alignment by seed-and-extend, as in BLAST's two-hit method,
//! Altschul et al. 1997, here with exact pieces and a bound on each gap).
//!
//! Input: the maximal exact pieces found by extension (see `extend`), of any length. A chain is
//! a run of pieces, increasing in both copies, where each gap between consecutive pieces holds at
//! most `max_gap` tokens on either side (a substitution is one token on each side, an insertion
//! one on one side only). A chain is reported when it spans at least `min_tokens` tokens and its
//! edits (see [`edits`]) are at most `1 - min_match` of its longer side, so at least `min_match`
//! of its tokens are matched in both copies; a chain that fails is split at its widest gap and
//! each half tried again, so one bad gap costs only itself. The same test is applied again
//! after claiming and snapping have narrowed a chain ([`qualifies`]).
//!
//! Guarantee: the pieces of a chain are never overlapping in either copy, so the copy and the
//! earlier occurrence are both token ranges starting and ending on matched tokens, and the two
//! differ by at most `edits` token edits (the sum over gaps of the wider side), which is what
//! the record reports.

use std::ops::Range;

/// One exact piece: `len` tokens of the copy from `start` equal those of the source from
/// `of_start`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Piece {
    pub start: u32,
    pub of_start: u32,
    pub len: u32,
}

impl Piece {
    pub fn end(&self) -> u32 {
        self.start + self.len
    }

    pub fn of_end(&self) -> u32 {
        self.of_start + self.len
    }

    /// The part of this piece from `skip` tokens on.
    fn skip(&self, skip: u32) -> Piece {
        Piece {
            start: self.start + skip,
            of_start: self.of_start + skip,
            len: self.len - skip,
        }
    }

    /// The part of this piece within the copy's token range `range` (possibly empty).
    pub fn within(&self, range: &Range<u32>) -> Option<Piece> {
        let (s, e) = (self.start.max(range.start), self.end().min(range.end));
        (s < e).then(|| Piece {
            start: s,
            of_start: self.of_start + (s - self.start),
            len: e - s,
        })
    }
}

/// Whether the chain `pieces` (in order, at least two) is long enough and has few enough edits.
pub(crate) fn qualifies(pieces: &[Piece], reach: Reach) -> bool {
    let (Some(first), Some(last)) = (pieces.first(), pieces.last()) else {
        return false;
    };
    let len = (last.end() - first.start).max(last.of_end() - first.of_start);
    last.end() - first.start >= reach.min_tokens
        && edits(pieces) as u64 * 1000 <= len as u64 * (1000 - reach.min_match_permille) as u64
}

/// How far chaining may reach.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reach {
    /// Shortest chain reported, in tokens of the copy.
    pub min_tokens: u32,
    /// Most tokens in a gap, on either side.
    pub max_gap: u32,
    /// Smallest share of matched tokens, in both copies, in thousandths.
    pub min_match_permille: u32,
}

/// Token edits between the two copies of a chain: per gap, the wider side (a substitution of
/// `n` tokens is `n` edits, an insertion or deletion of `n` tokens is `n` edits).
pub(crate) fn edits(pieces: &[Piece]) -> u32 {
    pieces
        .windows(2)
        .map(|w| (w[1].start - w[0].end()).max(w[1].of_start - w[0].of_end()))
        .sum()
}

/// The chains worth reporting among `pieces` (of one copy against one source), each as its
/// pieces in order; only chains of two pieces or more (a single piece is an exact repeat, which
/// extension reports by itself). With `same_doc` (the source is the copy's own document) the
/// earlier occurrence must end before the copy starts.
pub(crate) fn chains(mut pieces: Vec<Piece>, reach: Reach, same_doc: bool) -> Vec<Vec<Piece>> {
    pieces.sort_unstable();
    pieces.dedup();
    let mut open: Vec<Vec<Piece>> = Vec::new();
    let mut closed: Vec<Vec<Piece>> = Vec::new();
    for p in pieces {
        // Chains that end too far before `p` can take nothing more (pieces come by start).
        let mut i = 0;
        while i < open.len() {
            let last = open[i][open[i].len() - 1];
            if last.end() + reach.max_gap < p.start {
                closed.push(open.swap_remove(i));
            } else {
                i += 1;
            }
        }
        // The open chain `p` continues with the narrowest gap; a piece overlapping the chain's
        // last one (a repeated word lets extension run a token or two into the next diagonal)
        // is trimmed to where both copies are past it.
        let mut best: Option<(u32, usize, Piece)> = None;
        for (c, chain) in open.iter().enumerate() {
            let last = chain[chain.len() - 1];
            let skip = last
                .end()
                .saturating_sub(p.start)
                .max(last.of_end().saturating_sub(p.of_start));
            if skip >= p.len {
                continue;
            }
            let q = p.skip(skip);
            let gap = (q.start - last.end()).max(q.of_start - last.of_end());
            if gap <= reach.max_gap && best.is_none_or(|b| gap < b.0) {
                best = Some((gap, c, q));
            }
        }
        match best {
            Some((_, c, q)) => open[c].push(q),
            None => open.push(vec![p]),
        }
    }
    closed.extend(open);
    let mut out = Vec::new();
    for chain in closed {
        keep_or_split(chain, reach, same_doc, &mut out);
    }
    out.sort_unstable();
    out
}

/// Pushes `chain` to `out` when it qualifies, else tries both sides of its widest gap (of equally
/// wide gaps, the one nearest the middle, so that a long chain of equal gaps splits in halves:
/// O(n log n) work, and an explicit stack rather than recursion as deep as the chain is long).
fn keep_or_split(chain: Vec<Piece>, reach: Reach, same_doc: bool, out: &mut Vec<Vec<Piece>>) {
    let mut todo = vec![chain];
    while let Some(mut chain) = todo.pop() {
        if chain.len() < 2 {
            continue;
        }
        let (first, last) = (chain[0], chain[chain.len() - 1]);
        if last.end() - first.start < reach.min_tokens {
            continue;
        }
        if qualifies(&chain, reach) && !(same_doc && last.of_end() > first.start) {
            out.push(chain);
            continue;
        }
        let middle = chain.len() / 2;
        let widest = (1..chain.len())
            .max_by_key(|&i| {
                let (a, b) = (chain[i - 1], chain[i]);
                let gap = (b.start - a.end()).max(b.of_start - a.of_end());
                (gap, std::cmp::Reverse(i.abs_diff(middle)))
            })
            .unwrap_or(1);
        let right = chain.split_off(widest);
        todo.push(right);
        todo.push(chain);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(start: u32, of_start: u32, len: u32) -> Piece {
        Piece {
            start,
            of_start,
            len,
        }
    }

    const REACH: Reach = Reach {
        min_tokens: 20,
        max_gap: 3,
        min_match_permille: 900,
    };

    #[test]
    fn a_substitution_an_insertion_and_a_deletion_are_chained() {
        // 100 + 12 tokens of the copy repeat the source from 500: one token replaced at 112,
        // one inserted at 125, one dropped after 137.
        let pieces = vec![
            piece(100, 500, 12),
            piece(113, 513, 12),
            piece(126, 525, 12),
            piece(138, 538, 15),
        ];
        let got = chains(pieces.clone(), REACH, false);
        assert_eq!(got, vec![pieces.clone()]);
        assert_eq!(edits(&got[0]), 3);
    }

    #[test]
    fn a_long_gap_breaks_the_chain() {
        // 10 tokens differ between the pieces: two repeats of 12 tokens, neither reportable.
        let got = chains(vec![piece(0, 0, 12), piece(22, 22, 12)], REACH, false);
        assert!(got.is_empty(), "{got:?}");
        // With a third piece close to the second, only those two chain.
        let got = chains(
            vec![piece(0, 0, 12), piece(22, 22, 12), piece(35, 35, 12)],
            REACH,
            false,
        );
        assert_eq!(got, vec![vec![piece(22, 22, 12), piece(35, 35, 12)]]);
    }

    #[test]
    fn pieces_far_apart_in_the_source_are_not_chained() {
        // Adjacent in the copy but from unrelated places of the source (another diagonal).
        let got = chains(vec![piece(0, 0, 12), piece(13, 300, 12)], REACH, false);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_chain_with_too_few_matched_tokens_is_split_at_its_widest_gap() {
        // 8 + 3 + 8 + 1 + 12: 4 edits in 32 tokens (more than 10%); without the 3-token gap
        // the right part is 8 + 1 + 12, 1 edit in 21.
        let pieces = vec![piece(0, 0, 8), piece(11, 11, 8), piece(20, 20, 12)];
        let got = chains(pieces, REACH, false);
        assert_eq!(got, vec![vec![piece(11, 11, 8), piece(20, 20, 12)]]);
    }

    #[test]
    fn overlapping_pieces_are_trimmed_and_a_source_after_the_copy_is_refused() {
        // The second piece starts one token inside the first in the source (a repeated word).
        let got = chains(vec![piece(0, 100, 12), piece(12, 111, 12)], REACH, false);
        assert_eq!(got, vec![vec![piece(0, 100, 12), piece(13, 112, 11)]]);
        // Within one document the source must end before the copy starts.
        let got = chains(vec![piece(10, 0, 12), piece(23, 13, 12)], REACH, true);
        assert!(got.is_empty(), "{got:?}");
    }

    #[test]
    fn a_long_chain_of_equal_gaps_splits_without_deep_recursion() {
        // 20,000 pieces of 10 tokens, each followed by 2 inserted tokens: 1 edit in 6 tokens, so
        // only pairs of pieces qualify (2 edits in 22 tokens). Splitting at the last of equal
        // gaps recursed once per piece; halving keeps it shallow and n log n.
        let pieces: Vec<Piece> = (0..20_000u32).map(|i| piece(i * 12, i * 10, 10)).collect();
        let got = chains(pieces, REACH, false);
        assert!(!got.is_empty());
        assert!(got.iter().all(|c| c.len() == 2 && qualifies(c, REACH)));
    }
}
