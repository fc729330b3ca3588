//! Shingles: the set representation that MinHash and exact Jaccard work on.
//!
//! A word shingle is a seeded hash of `n` consecutive token hashes (a polynomial in them, rolled
//! along the text with two multiplications per token, then the murmur3 finalizer; token hashes
//! are already uniform, so the polynomial only has to keep distinct windows apart, which it does
//! but with probability ~2^-64 per pair of windows); a character shingle
//! is the hash of `n` consecutive characters of the folded text (tokens joined by one space).
//! Documents shorter than `n` tokens still get one shingle made of all their tokens, so two short
//! documents compare on what they have; a document without tokens has no shingle at all and can
//! never be reported as a duplicate of anything.

use crate::text::{Normalizer, Token};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Base of the window polynomial (odd, 2^64 / golden ratio).
const WINDOW_BASE: u64 = 0x9E37_79B9_7F4A_7C15;

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

/// Longest word shingle accepted: past a sentence, a shingle matches only verbatim copies, which
/// the passage search finds better, and each stage holds a window of this many token hashes.
pub const MAX_WORDS: usize = 64;

/// Longest character shingle accepted (a few words of any script).
pub const MAX_CHARS: usize = 256;

impl Shingling {
    /// Refuses a length of 0 (nothing to hash) or one above [`MAX_WORDS`] / [`MAX_CHARS`]
    /// (a window sized by it is allocated per document); `field` names the setting in the
    /// caller's configuration.
    pub fn validate(&self, field: &'static str) -> Result<(), crate::ConfigError> {
        let (n, max, unit) = match *self {
            Shingling::Words(n) => (n, MAX_WORDS, "words"),
            Shingling::Chars(n) => (n, MAX_CHARS, "characters"),
        };
        if (1..=max).contains(&n) {
            Ok(())
        } else {
            Err(crate::ConfigError::new(
                field,
                format!("{n} {unit}"),
                format!("between 1 and {max} {unit}"),
            ))
        }
    }
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
    pub fn for_each_shingle(&self, text: &str, window: &mut Vec<u64>, emit: impl FnMut(Shingle)) {
        self.for_each_shingle_and_token(text, window, None, emit)
    }

    /// Like [`Shingler::for_each_shingle`], appending the hash of every token of `text` to
    /// `tokens` when it is given (what `normalizer.for_each_token` would give), for a stage
    /// that needs the tokens of the same text: `chaff scan` selects the fingerprints of
    /// passages from the tokens its near-duplicate search made, instead of reading and
    /// tokenizing the corpus once more.
    pub fn for_each_shingle_and_token(
        &self,
        text: &str,
        window: &mut Vec<u64>,
        mut tokens: Option<&mut Vec<u64>>,
        mut emit: impl FnMut(Shingle),
    ) {
        match self.shingling {
            Shingling::Words(n) => {
                let n = n.max(1);
                let key = seed_key(self.seed);
                let leaving_weight = (0..n).fold(1u64, |p, _| p.wrapping_mul(WINDOW_BASE));
                // `window` holds the last n token hashes (zeros before the first, which leave the
                // polynomial unchanged), then a chunk of new ones. The tokenizer loop only stores
                // each hash; the arithmetic runs over a full chunk in `roll_chunk`, a straight
                // loop, instead of inside the tokenizer's branches at every word end (the profile
                // showed the fused loop at half the speed of tokenizing alone).
                window.clear();
                window.resize(n + CHUNK, 0);
                let mut roll = Roll {
                    poly: 0,
                    count: 0,
                    n,
                    leaving_weight,
                    key,
                };
                let mut filled = n;
                self.normalizer.for_each_token(text, |t| {
                    window[filled] = t.hash;
                    filled += 1;
                    if filled == window.len() {
                        // The chunk's hashes are copied out before the window rolls over them.
                        if let Some(tokens) = tokens.as_deref_mut() {
                            tokens.extend_from_slice(&window[n..]);
                        }
                        roll.chunk(window, &mut emit);
                        filled = n;
                    }
                });
                window.truncate(filled);
                if let Some(tokens) = tokens {
                    tokens.extend_from_slice(&window[n..]);
                }
                roll.chunk(window, &mut emit);
                if roll.count > 0 && roll.count < n {
                    emit(finish_window(roll.poly, roll.count, key));
                }
            }
            Shingling::Chars(n) => {
                if let Some(tokens) = tokens {
                    self.normalizer
                        .for_each_token(text, |t| tokens.push(t.hash));
                }
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

/// Token hashes gathered before their windows are hashed (see [`Shingler::for_each_shingle`]).
const CHUNK: usize = 256;

/// The rolling window polynomial of word shingles, carried from chunk to chunk.
struct Roll {
    poly: u64,
    count: usize,
    n: usize,
    leaving_weight: u64,
    key: u64,
}

impl Roll {
    /// Rolls the polynomial over `window[n..]` (the token hashes after the `n` before them),
    /// emitting every full window, then moves the last `n` hashes to the front for the next chunk.
    #[inline(never)]
    fn chunk(&mut self, window: &mut [u64], emit: &mut impl FnMut(Shingle)) {
        let n = self.n;
        let (mut poly, mut count) = (self.poly, self.count);
        for i in n..window.len() {
            // The hash leaving the window is taken out: P^n times its weight on arrival.
            poly = poly
                .wrapping_mul(WINDOW_BASE)
                .wrapping_add(window[i])
                .wrapping_sub(window[i - n].wrapping_mul(self.leaving_weight));
            count += 1;
            if count >= n {
                emit(finish_window(poly, n, self.key));
            }
        }
        let len = window.len();
        window.copy_within(len - n..len, 0);
        self.poly = poly;
        self.count = count;
    }
}

/// The hash of a window of token hashes: what [`Shingler::for_each_shingle`] gives the window.
#[inline]
pub fn hash_words(window: &[u64], seed: u64) -> Shingle {
    let poly = window
        .iter()
        .fold(0u64, |p, &h| p.wrapping_mul(WINDOW_BASE).wrapping_add(h));
    finish_window(poly, window.len(), seed_key(seed))
}

/// The seed as it enters a window hash.
#[inline(always)]
fn seed_key(seed: u64) -> u64 {
    seed.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ 0x2545_F491_4F6C_DD1D
}

/// A window's polynomial, its length (so a short document's only window differs from any full
/// one) and the seed, through the murmur3 finalizer.
#[inline(always)]
fn finish_window(poly: u64, len: usize, key: u64) -> Shingle {
    crate::text::mix64(poly ^ key ^ (len as u64).rotate_right(8))
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
    fn tokens_kept_while_shingling_are_the_tokenizers_and_the_shingles_do_not_change() {
        // Long enough to roll the window over several chunks, and short, and empty.
        let long = "كتاب‌ها و Café NEWS ۱۲۳ ".repeat(400);
        for shingling in [
            Shingling::Words(5),
            Shingling::Words(1),
            Shingling::Chars(4),
        ] {
            let s = shingler(shingling);
            for text in [long.as_str(), "two words", ""] {
                let mut expected = Vec::new();
                s.normalizer.for_each_token(text, |t| expected.push(t.hash));
                let (mut alone, mut shared) = (Vec::new(), Vec::new());
                s.for_each_shingle(text, &mut Vec::new(), |x| alone.push(x));
                let mut tokens = vec![1];
                s.for_each_shingle_and_token(text, &mut Vec::new(), Some(&mut tokens), |x| {
                    shared.push(x)
                });
                assert_eq!(tokens[0], 1, "appended, not replaced");
                assert_eq!(tokens[1..], expected[..]);
                assert_eq!(alone, shared);
            }
        }
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
    fn rolling_window_hash_equals_hash_words() {
        let s = shingler(Shingling::Words(5));
        let text = "one two three four five six seven eight nine ten one two three four five";
        let hashes: Vec<u64> = crate::text::tokens(text).iter().map(|t| t.hash).collect();
        let mut rolled = Vec::new();
        s.for_each_shingle(text, &mut Vec::new(), |h| rolled.push(h));
        let direct: Vec<u64> = hashes.windows(5).map(|w| hash_words(w, 7)).collect();
        assert_eq!(rolled, direct);
        assert_eq!(
            rolled[0], rolled[10],
            "a repeated window gives the same shingle"
        );
        let mut short = Vec::new();
        s.for_each_shingle("one two", &mut Vec::new(), |h| short.push(h));
        assert_eq!(short, vec![hash_words(&hashes[..2], 7)]);
    }

    /// Windows rolled across chunk boundaries, for every window length, equal windows hashed
    /// one by one (and a document shorter than the window gets its one shingle).
    #[test]
    fn rolling_across_chunks_equals_hash_words() {
        let words: Vec<String> = (0..3 * CHUNK + 17)
            .map(|i| format!("w{}", i % 97))
            .collect();
        let normalizer = Normalizer::default();
        for len in [
            0,
            1,
            3,
            CHUNK - 1,
            CHUNK,
            CHUNK + 1,
            2 * CHUNK + 5,
            words.len(),
        ] {
            let text = words[..len].join(" ");
            let hashes: Vec<u64> = normalizer.tokens(&text).iter().map(|t| t.hash).collect();
            for n in [1, 2, 5, 13, MAX_WORDS] {
                let s = Shingler::new(Shingling::Words(n), 3, normalizer.clone());
                let mut rolled = Vec::new();
                s.for_each_shingle(&text, &mut Vec::new(), |h| rolled.push(h));
                let direct: Vec<u64> = if hashes.is_empty() {
                    Vec::new()
                } else if hashes.len() < n {
                    vec![hash_words(&hashes, 3)]
                } else {
                    hashes.windows(n).map(|w| hash_words(w, 3)).collect()
                };
                assert_eq!(rolled, direct, "{len} tokens, windows of {n}");
            }
        }
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
