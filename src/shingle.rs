//! Shingles: the set representation that MinHash and exact Jaccard work on.
//!
//! A word shingle is the xxh3 hash (seeded) of `n` consecutive token hashes; a character shingle
//! is the hash of `n` consecutive characters of the folded text (tokens joined by one space).
//! Documents shorter than `n` tokens still get one shingle made of all their tokens, so two short
//! documents compare on what they have; a document without tokens has no shingle at all and can
//! never be reported as a duplicate of anything.

use crate::text::{Normalizer, Token};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Tokens a word window takes in between two moves of its tail to the front.
const WINDOW_SLACK: usize = 256;

/// One shingle's 64-bit hash.
pub type Shingle = u64;

/// How documents are cut into shingles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Shingling {
    /// `n` consecutive words (default 5).
    Words(usize),
    /// `n` consecutive characters of the folded text.
    Chars(usize),
}

impl Default for Shingling {
    fn default() -> Self {
        Shingling::Words(5)
    }
}

/// Turns documents into shingle hashes; holds the seed and the normalizer.
#[derive(Debug, Clone)]
pub struct Shingler {
    /// Shingle kind and length.
    pub shingling: Shingling,
    /// Seed of the shingle hash, so runs are reproducible across machines.
    pub seed: u64,
    /// The normalizer that makes tokens.
    pub normalizer: Normalizer,
}

impl Shingler {
    /// A shingler with the given kind, seed and normalizer.
    pub fn new(shingling: Shingling, seed: u64, normalizer: Normalizer) -> Self {
        Shingler {
            shingling,
            seed,
            normalizer,
        }
    }

    /// Calls `emit` with each shingle of `text` (repeats included), reusing `window` as scratch.
    pub fn for_each_shingle(
        &self,
        text: &str,
        window: &mut Vec<u64>,
        mut emit: impl FnMut(Shingle),
    ) {
        match self.shingling {
            Shingling::Words(n) => {
                let n = n.max(1);
                window.clear();
                // The window grows to a fixed capacity and then its last n-1 hashes move to the
                // front, once per WINDOW_SLACK tokens, instead of `remove(0)` (a memmove) per token.
                let capacity = n + WINDOW_SLACK;
                window.reserve(capacity);
                self.normalizer.for_each_token(text, |t| {
                    if window.len() == capacity {
                        window.copy_within(capacity + 1 - n.., 0);
                        window.truncate(n - 1);
                    }
                    window.push(t.hash);
                    if window.len() >= n {
                        emit(hash_words(&window[window.len() - n..], self.seed));
                    }
                });
                if !window.is_empty() && window.len() < n {
                    emit(hash_words(window, self.seed));
                }
            }
            Shingling::Chars(n) => {
                let n = n.max(1);
                let folded = self.normalizer.normalize(text);
                let bounds: Vec<usize> = folded
                    .char_indices()
                    .map(|(i, _)| i)
                    .chain(std::iter::once(folded.len()))
                    .collect();
                let chars = bounds.len() - 1;
                if chars == 0 {
                    return;
                }
                if chars < n {
                    emit(xxh3_64_with_seed(folded.as_bytes(), self.seed));
                    return;
                }
                for i in 0..=chars - n {
                    let piece = &folded.as_bytes()[bounds[i]..bounds[i + n]];
                    emit(xxh3_64_with_seed(piece, self.seed));
                }
            }
        }
    }

    /// The distinct shingles of `text`, sorted: the exact set that Jaccard is computed on.
    pub fn shingle_set(&self, text: &str) -> Vec<Shingle> {
        let mut out = Vec::new();
        let mut window = Vec::new();
        self.for_each_shingle(text, &mut window, |s| out.push(s));
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The word shingles of an already tokenized text, for callers that keep the tokens.
    pub fn word_shingles(&self, tokens: &[Token], n: usize) -> Vec<Shingle> {
        let hashes: Vec<u64> = tokens.iter().map(|t| t.hash).collect();
        if hashes.is_empty() {
            return Vec::new();
        }
        if hashes.len() < n {
            return vec![hash_words(&hashes, self.seed)];
        }
        hashes
            .windows(n)
            .map(|w| hash_words(w, self.seed))
            .collect()
    }
}

/// The hash of a window of token hashes.
#[inline(always)]
pub fn hash_words(window: &[u64], seed: u64) -> Shingle {
    // Token hashes are already uniform, so hashing their little-endian bytes is enough.
    let mut bytes = [0u8; 8 * 16];
    if window.len() <= 16 {
        for (i, h) in window.iter().enumerate() {
            bytes[i * 8..i * 8 + 8].copy_from_slice(&h.to_le_bytes());
        }
        xxh3_64_with_seed(&bytes[..window.len() * 8], seed)
    } else {
        let all: Vec<u8> = window.iter().flat_map(|h| h.to_le_bytes()).collect();
        xxh3_64_with_seed(&all, seed)
    }
}

/// Exact Jaccard similarity of two sorted, deduplicated sets (of shingles or their fingerprints).
pub fn jaccard<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let inter = intersection_size(a, b);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

/// Containment of the smaller set in the larger: |A ∩ B| / min(|A|, |B|).
pub fn containment<T: Ord>(a: &[T], b: &[T]) -> f64 {
    let smaller = a.len().min(b.len());
    if smaller == 0 {
        0.0
    } else {
        intersection_size(a, b) as f64 / smaller as f64
    }
}

/// Size of the intersection of two sorted sets (merge walk).
pub fn intersection_size<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shingler(s: Shingling) -> Shingler {
        Shingler::new(s, 7, Normalizer::default())
    }

    #[test]
    fn short_documents_get_one_shingle_and_empty_none() {
        let s = shingler(Shingling::Words(5));
        assert_eq!(s.shingle_set("two words").len(), 1);
        assert!(s.shingle_set("").is_empty());
        assert!(s.shingle_set(" ... ، ").is_empty());
        assert_eq!(s.shingle_set("a b c d e f g").len(), 3);
    }

    #[test]
    fn seed_changes_hashes_but_not_similarity() {
        let a = Shingler::new(Shingling::Words(3), 1, Normalizer::default());
        let b = Shingler::new(Shingling::Words(3), 2, Normalizer::default());
        let t1 = "the quick brown fox jumps over the lazy dog";
        let t2 = "the quick brown fox jumps over a lazy dog";
        assert_ne!(a.shingle_set(t1), b.shingle_set(t1));
        assert_eq!(
            jaccard(&a.shingle_set(t1), &a.shingle_set(t2)),
            jaccard(&b.shingle_set(t1), &b.shingle_set(t2))
        );
    }

    #[test]
    fn char_shingles_follow_folded_text() {
        let s = shingler(Shingling::Chars(3));
        assert_eq!(s.shingle_set("علي"), s.shingle_set("على"));
        assert_eq!(s.shingle_set("ab").len(), 1);
        assert_eq!(s.shingle_set("abcd").len(), 2);
    }

    #[test]
    fn jaccard_and_containment_of_known_sets() {
        let a = vec![1, 2, 3, 4];
        let b = vec![3, 4, 5, 6];
        assert_eq!(jaccard(&a, &b), 2.0 / 6.0);
        assert_eq!(containment(&[3, 4], &a), 1.0);
        assert_eq!(jaccard::<u64>(&[], &[]), 0.0);
    }
}
