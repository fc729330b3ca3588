//! From token repeats to reported passages: spans snapped to whole sentences, then mapped to
//! byte offsets in both copies.

use super::super::chain;
use super::super::doc::{DocTokens, BREAK_BEFORE, HSPACE_AFTER, LINE_BEFORE, SPACE_BEFORE};
use super::super::Passage;
use super::repeat::{Chains, Near, Repeat, EXACT};
use super::Lookup;
use std::ops::Range;

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
pub(super) fn snapped(
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
pub(super) fn to_passage(
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
