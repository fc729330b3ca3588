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
use std::collections::HashSet;
use std::sync::OnceLock;

/// A language whose function words chaff knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Persian.
    Fa,
    /// Arabic.
    Ar,
    /// English.
    En,
}

impl Lang {
    /// The languages in a fixed order (the index of a language in per-language arrays).
    pub const ALL: [Lang; 3] = [Lang::Fa, Lang::Ar, Lang::En];

    /// Position in [`Lang::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// The folded word lists, as sets of token hashes.
pub(crate) struct Lexicon {
    pub(crate) stop: [HashSet<u64>; 3],
    pub(crate) ui: HashSet<u64>,
    pub(crate) date: HashSet<u64>,
}

fn hashes(normalizer: &Normalizer, lists: &[&str]) -> HashSet<u64> {
    let mut set = HashSet::new();
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

/// The lexicon, folded once per process with the default folds (chrome detection always
/// compares under the default normalization, whatever `--no-fold` asks of the hashing stages).
pub(crate) fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let n = Normalizer::default();
        Lexicon {
            stop: [
                hashes(&n, &[include_str!("data/stop_fa.txt")]),
                hashes(&n, &[include_str!("data/stop_ar.txt")]),
                hashes(&n, &[include_str!("data/stop_en.txt")]),
            ],
            ui: hashes(
                &n,
                &[
                    include_str!("data/ui_fa.txt"),
                    include_str!("data/ui_ar.txt"),
                    include_str!("data/ui_en.txt"),
                ],
            ),
            date: hashes(&n, &[include_str!("data/dates.txt")]),
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
        assert!(lx.stop[Lang::Ar.index()].contains(&hash("في")));
        assert!(lx.stop[Lang::Fa.index()].contains(&hash("می\u{200C}شود")));
        assert!(lx.stop[Lang::En.index()].contains(&hash("The")));
    }

    #[test]
    fn stoplists_hold_no_topical_words() {
        let lx = lexicon();
        for word in ["ایران", "روسیه", "مسکو", "بوتين", "Russia", "اخبار"] {
            for set in &lx.stop {
                assert!(!set.contains(&hash(word)), "{word} is not a function word");
            }
        }
    }

    #[test]
    fn stoplists_have_a_few_hundred_words_each() {
        for set in &lexicon().stop {
            assert!(set.len() >= 150, "{}", set.len());
        }
    }
}
