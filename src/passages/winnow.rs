//! Fingerprint selection by winnowing (Schleimer, Wilkerson and Aiken, "Winnowing: local
//! algorithms for document fingerprinting", SIGMOD 2003).
//!
//! The text is cut into k-token shingles (each the seeded `shingle::hash_words` of `k` consecutive token hashes);
//! every window of `w` consecutive shingles selects its minimal hash, the rightmost one on ties,
//! and each selected position is recorded once.
//!
//! Guarantee: the selection in a window depends on that window's shingles only, so any run of at
//! least `N = w + k - 1` identical tokens, which holds at least one whole window, yields at least
//! one fingerprint with the same hash at the same relative position in every copy. Expected
//! density is `2 / (w + 1)` fingerprints per token; a text shorter than `N` tokens has none
//! (it cannot hold a repeat of `N` tokens).

use crate::shingle::hash_words;
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;

/// One selected shingle: its hash and the index of its first token. Serializable, as part of a
/// passage sketch ([`crate::sketch::PassageSketch`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Fingerprint {
    /// Seeded hash of the shingle's token hashes (`shingle::hash_words`).
    pub hash: u64,
    /// Index (in the document's token sequence) of the shingle's first token.
    pub pos: u32,
}

/// Appends to `out` the winnowed fingerprints of a token-hash sequence with shingles of `k`
/// tokens and windows of `w` shingles; `shingles` and `window` are scratch buffers reused
/// across calls so the hot loop does not allocate.
pub(crate) fn select(
    token_hashes: &[u64],
    k: usize,
    w: usize,
    seed: u64,
    shingles: &mut Vec<u64>,
    window: &mut VecDeque<u32>,
    out: &mut Vec<Fingerprint>,
) {
    let (k, w) = (k.max(1), w.max(1));
    shingles.clear();
    window.clear();
    if token_hashes.len() < k {
        return;
    }
    shingles.extend(token_hashes.windows(k).map(|s| hash_words(s, seed)));
    if shingles.len() < w {
        return;
    }
    let mut last: Option<u32> = None;
    for (j, &h) in shingles.iter().enumerate() {
        // Popping equal hashes too leaves the rightmost minimum at the front.
        while window.back().is_some_and(|&b| shingles[b as usize] >= h) {
            window.pop_back();
        }
        window.push_back(j as u32);
        if j + 1 < w {
            continue;
        }
        let oldest = (j + 1 - w) as u32;
        while window.front().is_some_and(|&f| f < oldest) {
            window.pop_front();
        }
        if let Some(&min) = window.front() {
            if last != Some(min) {
                out.push(Fingerprint {
                    hash: shingles[min as usize],
                    pos: min,
                });
                last = Some(min);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prints(hashes: &[u64], k: usize, w: usize) -> Vec<Fingerprint> {
        let mut out = Vec::new();
        select(
            hashes,
            k,
            w,
            7,
            &mut Vec::new(),
            &mut VecDeque::new(),
            &mut out,
        );
        out
    }

    /// Pseudo-random token hashes from a small vocabulary, so that shingles repeat by chance too.
    fn tokens(seed: u64, n: usize, vocab: u64) -> Vec<u64> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x % vocab
            })
            .collect()
    }

    #[test]
    fn every_window_holds_a_selected_position() {
        let t = tokens(1, 500, 50);
        let (k, w) = (4, 6);
        let f = prints(&t, k, w);
        let shingles = t.len() - k + 1;
        for start in 0..=shingles - w {
            assert!(
                f.iter()
                    .any(|p| (start..start + w).contains(&(p.pos as usize))),
                "window at {start} has no fingerprint"
            );
        }
        // Positions are strictly increasing: each is recorded once.
        assert!(f.windows(2).all(|p| p[0].pos < p[1].pos));
    }

    #[test]
    fn a_shared_run_of_n_tokens_shares_a_fingerprint() {
        let (k, w) = (5, 8);
        let n = w + k - 1;
        for trial in 0..200u64 {
            let run = tokens(trial + 100, n, 1000);
            let mut a = tokens(trial * 3 + 1, (trial % 17) as usize, 1000);
            let mut b = tokens(trial * 5 + 2, (trial % 23) as usize, 1000);
            let (at_a, at_b) = (a.len(), b.len());
            a.extend(&run);
            b.extend(&run);
            a.extend(tokens(trial * 7 + 3, 9, 1000));
            b.extend(tokens(trial * 11 + 4, 4, 1000));
            let fa = prints(&a, k, w);
            let fb = prints(&b, k, w);
            let shared = fa.iter().any(|x| {
                fb.iter().any(|y| {
                    x.hash == y.hash
                        && x.pos as usize >= at_a
                        && x.pos as i64 - at_a as i64 == y.pos as i64 - at_b as i64
                })
            });
            assert!(
                shared,
                "trial {trial}: no shared fingerprint in a run of {n}"
            );
        }
    }

    #[test]
    fn short_texts_have_no_fingerprints() {
        assert!(prints(&tokens(3, 11, 100), 5, 8).is_empty());
        assert!(!prints(&tokens(3, 12, 100), 5, 8).is_empty());
        assert!(prints(&[], 5, 8).is_empty());
    }

    #[test]
    fn density_is_near_two_over_w_plus_one() {
        let t = tokens(9, 20_000, u64::MAX);
        let w = 16;
        let density = prints(&t, 5, w).len() as f64 / t.len() as f64;
        let expected = 2.0 / (w as f64 + 1.0);
        assert!(
            (density - expected).abs() < 0.02,
            "density {density}, expected {expected}"
        );
    }
}
