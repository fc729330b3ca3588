//! Word lists the line features count: function words (stopwords) per language, generic
//! user-interface words per language, and date words (months, weekdays, time words).
//!
//! The lists live in `data/*.txt` (one word per line, `#` comments), are written for chaff and
//! hold only closed-class words, never topical ones: a stopword list that contains "Iran" or
//! "Russia" (as jusText's Persian list does) makes news about those countries look like prose and
//! anything else look like chrome. Entries are folded by the same [`Normalizer`] as document text,
//! so they are compared by token hash and spelling variants (ZWNJ, Arabic or Persian yeh and kaf,
//! hamza forms) need not be listed twice.

use crate::text::Normalizer;
use nohash_hasher::{IntMap, IntSet};
use std::sync::OnceLock;

pub use crate::text::Lang;

/// Languages whose function words are known: the three hand-made lists first (in
/// [`Lang::ALL`] order), then the lists of the `stop-words` crate (NLTK's where it has one, the
/// stopwords-iso list otherwise), so that prose in a language without a list of ours still reads
/// as prose.
pub(crate) const MAX_LANGS: usize = 64;

/// Languages with an NLTK list in the `stop-words` crate (closed-class words only), by code.
const NLTK: &[&str] = &[
    "sq", "az", "eu", "be", "bn", "ca", "da", "nl", "fi", "fr", "de", "el", "he", "hu", "id", "it",
    "kk", "ne", "no", "pt", "ro", "ru", "sl", "es", "sv", "tg", "ta", "tr", "uz",
];

/// Languages NLTK lacks, from stopwords-iso. Those lists are long and hold some content words,
/// so only their short entries are used (at most `ISO_MAX_CHARS` characters; for Chinese and
/// Japanese, where every Han and kana character is a token, single characters).
const ISO: &[&str] = &[
    "bg", "cs", "et", "hi", "hr", "ja", "ko", "lt", "lv", "ms", "pl", "sk", "th", "tl", "uk", "ur",
    "vi", "zh",
];
const ISO_MAX_CHARS: usize = 5;

/// The folded word lists, as token hashes. Token hashes are already mixed (murmur3 finalizer),
/// so the sets hash them by identity: SipHash was a twentieth of the chrome stage's time.
pub(crate) struct Lexicon {
    /// Short names of the languages, by bit of [`Entry::stop`] (what the tests ask by name).
    #[cfg(test)]
    pub(crate) langs: Vec<&'static str>,
    /// What the lists say of each token listed, all three lists merged: the line features
    /// look each token up once instead of once per list.
    pub(crate) words: IntMap<u64, Entry>,
}

/// What the lists say of one token.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Entry {
    /// The languages listing it as a function word (bit i = language i).
    pub(crate) stop: u64,
    /// A user-interface word.
    pub(crate) ui: bool,
    /// A month, weekday or time word.
    pub(crate) date: bool,
}

impl Lexicon {
    /// What the lists say of the token with hash `hash` (all empty when none lists it).
    #[inline]
    pub(crate) fn entry(&self, hash: u64) -> Entry {
        self.words.get(&hash).copied().unwrap_or_default()
    }
}

fn hashes(normalizer: &Normalizer, lists: &[&str]) -> IntSet<u64> {
    let mut set = IntSet::default();
    for list in lists {
        for word in list.lines().map(str::trim) {
            if word.is_empty() || word.starts_with('#') {
                continue;
            }
            // An entry that folds to several tokens would never match one token; each of its
            // parts is a function word in its own right in these lists, so all are kept.
            normalizer.for_each_token(word, |t| {
                set.insert(t.hash);
            });
        }
    }
    set
}

/// Token hashes of the entries of a foreign list that fold to exactly one token (a phrase
/// would otherwise lend its content words the status of function words).
fn single_tokens<'a>(
    normalizer: &Normalizer,
    words: impl Iterator<Item = &'a str>,
    max_chars: usize,
) -> Vec<u64> {
    let mut out = Vec::new();
    for word in words.filter(|w| w.chars().count() <= max_chars) {
        let mut tokens = Vec::new();
        normalizer.for_each_token(word, |t| tokens.push(t.hash));
        if let [one] = tokens[..] {
            out.push(one);
        }
    }
    out
}

/// The lexicon, folded once per process with the default folds (chrome detection always
/// compares under the default normalization, whatever `--no-fold` asks of the hashing stages).
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let n = Normalizer::default();
        let mut stop: IntMap<u64, u64> = IntMap::default();
        let mut langs: Vec<&'static str> = Vec::new();
        let mut add = |name: &'static str, words: Vec<u64>| {
            let bit = 1u64 << langs.len();
            langs.push(name);
            for h in words {
                *stop.entry(h).or_insert(0) |= bit;
            }
        };
        for (name, list) in [
            ("fa", include_str!("data/stop_fa.txt")),
            ("ar", include_str!("data/stop_ar.txt")),
            ("en", include_str!("data/stop_en.txt")),
        ] {
            add(name, hashes(&n, &[list]).into_iter().collect());
        }
        for &name in NLTK {
            let words = stop_words::lookup(name).unwrap_or_default();
            add(name, single_tokens(&n, words.iter().copied(), usize::MAX));
        }
        for &name in ISO {
            let words = stop_words::lookup(name).unwrap_or_default();
            let max = if matches!(name, "zh" | "ja") {
                1
            } else {
                ISO_MAX_CHARS
            };
            add(name, single_tokens(&n, words.iter().copied(), max));
        }
        debug_assert!(langs.len() <= MAX_LANGS);
        let ui = hashes(
            &n,
            &[
                include_str!("data/ui_fa.txt"),
                include_str!("data/ui_ar.txt"),
                include_str!("data/ui_en.txt"),
            ],
        );
        let date = hashes(&n, &[include_str!("data/dates.txt")]);
        let mut words: IntMap<u64, Entry> = IntMap::default();
        for (&h, &bits) in &stop {
            words.entry(h).or_default().stop = bits;
        }
        for &h in &ui {
            words.entry(h).or_default().ui = true;
        }
        for &h in &date {
            words.entry(h).or_default().date = true;
        }
        Lexicon {
            #[cfg(test)]
            langs,
            words,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hash(word: &str) -> u64 {
        crate::text::tokens(word)[0].hash
    }

    #[test]
    fn lists_are_folded_like_text() {
        let lx = lexicon();
        // Listed as «في»; Arabic yeh folds to Persian yeh in text.
        let listed = |lang: Lang, word: &str| lx.entry(hash(word)).stop & (1 << lang.index()) != 0;
        assert!(listed(Lang::Ar, "في"));
        assert!(listed(Lang::Fa, "می\u{200C}شود"));
        assert!(listed(Lang::En, "The"));
    }

    #[test]
    fn stoplists_hold_no_topical_words() {
        let lx = lexicon();
        for word in ["ایران", "روسیه", "مسکو", "بوتين", "Russia", "اخبار"] {
            let bits = lx.entry(hash(word)).stop;
            assert_eq!(bits & 0b111, 0, "{word} is not a function word");
        }
    }

    #[test]
    fn stoplists_have_a_few_hundred_words_each() {
        let lx = lexicon();
        for (i, name) in lx.langs.iter().enumerate() {
            let n = lx.words.values().filter(|e| e.stop & (1 << i) != 0).count();
            let floor = if matches!(*name, "zh" | "ja" | "th") {
                20
            } else {
                100
            };
            assert!(n >= floor.min(if i < 3 { 150 } else { 25 }), "{name}: {n}");
        }
    }

    #[test]
    fn languages_without_a_list_of_ours_have_function_words() {
        let lx = lexicon();
        for (word, lang) in [
            ("der", "de"),
            ("les", "fr"),
            ("não", "pt"),
            ("что", "ru"),
            ("的", "zh"),
            ("は", "ja"),
        ] {
            let bit = lx.langs.iter().position(|l| *l == lang).expect(lang);
            let bits = lx.entry(hash(word)).stop;
            assert!(bits & (1 << bit) != 0, "{word} ({lang})");
        }
    }
}
