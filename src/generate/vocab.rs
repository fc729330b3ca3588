//! Languages, their word lists as Zipf samplers, and the script-level variants of written text
//! (digit scripts, ZWNJ habits, Arabic versus Persian yeh and kaf).
//!
//! Sampling draws a word's rank from a 65,536-slot table built with integer arithmetic only, so the
//! same seed picks the same words on every machine (a table built with `f64::powf` could differ
//! in the last bit between libm implementations and shift a boundary).

use super::words::*;
use rand::{Rng, RngCore};
use std::sync::OnceLock;

pub use crate::text::Lang;

/// Which decimal digits a number is written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Digits {
    Ascii,
    /// Extended Arabic-Indic, U+06F0..U+06F9 (۰۱۲).
    Persian,
    /// Arabic-Indic, U+0660..U+0669 (٠١٢).
    ArabicIndic,
}

impl Digits {
    /// The usual mix for a language: Persian pages mostly use Persian digits, Arabic pages split.
    pub(crate) fn pick(lang: Lang, rng: &mut impl Rng) -> Digits {
        let r = rng.gen_range(0..100);
        match lang {
            Lang::Fa if r < 70 => Digits::Persian,
            Lang::Fa => Digits::Ascii,
            Lang::Ar if r < 45 => Digits::ArabicIndic,
            Lang::Ar => Digits::Ascii,
            Lang::En => Digits::Ascii,
        }
    }

    fn zero(self) -> u32 {
        match self {
            Digits::Ascii => '0' as u32,
            Digits::Persian => 0x06F0,
            Digits::ArabicIndic => 0x0660,
        }
    }

    /// Appends `n` in this digit script, zero-padded to `width`.
    pub(crate) fn push(self, out: &mut String, n: u64, width: usize) {
        let mut buf = [0u8; 20];
        let mut len = 0;
        let mut v = n;
        loop {
            buf[len] = (v % 10) as u8;
            len += 1;
            v /= 10;
            if v == 0 {
                break;
            }
        }
        for _ in len..width {
            out.push(self.digit(0));
        }
        for &d in buf[..len].iter().rev() {
            out.push(self.digit(d));
        }
    }

    fn digit(self, d: u8) -> char {
        // zero() + d stays inside one ten-character digit block, always a valid char.
        char::from_u32(self.zero() + d as u32).unwrap_or('0')
    }
}

/// Rewrites every digit of `text` into `to`, whatever script it was in.
pub(crate) fn switch_digits(text: &str, to: Digits) -> String {
    text.chars()
        .map(|c| {
            let d = match c {
                '0'..='9' => Some(c as u32 - '0' as u32),
                '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
                '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
                _ => None,
            };
            d.map_or(c, |d| to.digit(d as u8))
        })
        .collect()
}

/// Persian letters written with their Arabic look-alikes, as Arabic keyboards and old fonts do.
pub(crate) fn arabic_yeh_kaf(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ی' => 'ي',
            'ک' => 'ك',
            other => other,
        })
        .collect()
}

/// Arabic yeh and kaf written with their Persian forms, as Persian keyboards do.
pub(crate) fn persian_yeh_kaf(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'ي' => 'ی',
            'ك' => 'ک',
            other => other,
        })
        .collect()
}

/// Removes every ZWNJ, joining the word parts (the commonest scraper damage).
pub(crate) fn strip_zwnj(text: &str) -> String {
    text.replace('\u{200C}', "")
}

/// How a document writes the ZWNJ inside Persian words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Zwnj {
    /// As ZWNJ (`می‌شود`).
    Keep,
    /// Dropped (`میشود`), as in many scraped pages.
    Strip,
    /// As a plain space (`می شود`), as typed without a ZWNJ key.
    Space,
}

impl Zwnj {
    pub(crate) fn pick(rng: &mut impl Rng) -> Zwnj {
        match rng.gen_range(0..100) {
            0..=59 => Zwnj::Keep,
            60..=89 => Zwnj::Strip,
            _ => Zwnj::Space,
        }
    }
}

/// One word list with its Zipf rank table.
pub(crate) struct Lexicon {
    words: Vec<String>,
    /// Slot → rank: a uniform 16-bit draw indexes it.
    table: Vec<u16>,
}

impl Lexicon {
    /// Builds the list from a `words.rs` string, expanding the `_` and `~` markers. Weights are
    /// 1/(rank+`offset`): a larger offset flattens the head so the first words dominate less.
    fn new(list: &str, offset: u64) -> Lexicon {
        let words: Vec<String> = list
            .split_whitespace()
            .map(|w| w.replace('_', "\u{200C}").replace('~', " "))
            .collect();
        assert!(
            !words.is_empty() && words.len() < u16::MAX as usize,
            "word list size out of range"
        );
        const SCALE: u64 = 1 << 40;
        let weights: Vec<u64> = (0..words.len() as u64)
            .map(|r| SCALE / (r + offset))
            .collect();
        let total: u64 = weights.iter().sum();
        let mut table = Vec::with_capacity(1 << 16);
        let mut rank = 0usize;
        let mut cumulative = weights[0];
        for slot in 0..(1u64 << 16) {
            // The slot's midpoint in weight space; u128 keeps slot*total from overflowing.
            let target = ((slot as u128 * 2 + 1) * total as u128 / (1u128 << 17)) as u64;
            while cumulative <= target && rank + 1 < words.len() {
                rank += 1;
                cumulative += weights[rank];
            }
            table.push(rank as u16);
        }
        Lexicon { words, table }
    }

    /// A word drawn with Zipf-like weights.
    #[inline]
    pub(crate) fn sample<'a>(&'a self, rng: &mut impl RngCore) -> &'a str {
        let slot = (rng.next_u32() & 0xFFFF) as usize;
        &self.words[self.table[slot] as usize]
    }

    /// A word drawn uniformly (for names and labels that should not favour a head).
    #[inline]
    pub(crate) fn uniform<'a>(&'a self, rng: &mut impl Rng) -> &'a str {
        &self.words[rng.gen_range(0..self.words.len())]
    }

    /// Number of words in the list.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }
}

/// Every list of one language.
pub(crate) struct Pack {
    pub(crate) func: Lexicon,
    pub(crate) noun: Lexicon,
    pub(crate) adj: Lexicon,
    pub(crate) verb: Lexicon,
    pub(crate) name: Lexicon,
    pub(crate) unit: Lexicon,
    pub(crate) latin: Lexicon,
}

impl Pack {
    fn build(lang: Lang) -> Pack {
        let (func, noun, adj, verb, name, unit) = match lang {
            Lang::Fa => (FA_FUNC, FA_NOUN, FA_ADJ, FA_VERB, FA_NAME, FA_UNIT),
            Lang::Ar => (AR_FUNC, AR_NOUN, AR_ADJ, AR_VERB, AR_NAME, AR_UNIT),
            Lang::En => (EN_FUNC, EN_NOUN, EN_ADJ, EN_VERB, EN_NAME, EN_UNIT),
        };
        Pack {
            // Function words are few and very frequent: a small offset keeps a steep head.
            func: Lexicon::new(func, 3),
            // Content words are flatter so unrelated documents share few word runs.
            noun: Lexicon::new(noun, 20),
            adj: Lexicon::new(adj, 10),
            verb: Lexicon::new(verb, 5),
            name: Lexicon::new(name, 30),
            unit: Lexicon::new(unit, 3),
            latin: Lexicon::new(LATIN_NAMES, 20),
        }
    }

    /// The pack of `lang`, built once per process.
    pub(crate) fn get(lang: Lang) -> &'static Pack {
        static PACKS: OnceLock<[Pack; 3]> = OnceLock::new();
        let packs = PACKS.get_or_init(|| {
            [
                Pack::build(Lang::Fa),
                Pack::build(Lang::Ar),
                Pack::build(Lang::En),
            ]
        });
        &packs[lang as usize]
    }
}

/// A made-up Latin-script name (`Karoven`), so foreign names are unbounded.
pub(crate) fn latin_name(rng: &mut impl Rng) -> String {
    let mut s = String::new();
    for _ in 0..rng.gen_range(2..=3) {
        s.push_str(LATIN_SYLLABLES[rng.gen_range(0..LATIN_SYLLABLES.len())]);
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn zipf_table_favours_head_but_reaches_tail() {
        let lex = Lexicon::new(FA_NOUN, 20);
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let mut counts = vec![0u32; lex.len()];
        for _ in 0..200_000 {
            let w = lex.sample(&mut rng);
            let i = lex.words.iter().position(|x| x == w).unwrap();
            counts[i] += 1;
        }
        assert!(counts[0] > counts[lex.len() - 1] * 3);
        assert!(counts.iter().all(|&c| c > 0), "every word reachable");
    }

    #[test]
    fn digits_render_in_each_script() {
        let mut s = String::new();
        Digits::Persian.push(&mut s, 1404, 0);
        Digits::ArabicIndic.push(&mut s, 7, 2);
        Digits::Ascii.push(&mut s, 0, 0);
        assert_eq!(s, "۱۴۰۴٠٧0");
        assert_eq!(switch_digits("a۱٢3", Digits::Ascii), "a123");
    }
}
