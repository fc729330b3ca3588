//! Claiming: the repeats of one document made disjoint, longest first, a short repeat taking
//! what longer claims can spare (see [`claim`]).

use super::repeat::{Near, Repeat};
use super::Chains;
use std::ops::Range;

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
pub(super) fn claim(
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
