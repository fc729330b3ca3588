//! The per-character fold table behind [`Normalizer`].
//!
//! Every Basic Multilingual Plane character is classified once, when a [`Normalizer`] is built,
//! into a 32-bit entry: its class (part of a word, a separator, dropped, a one-character word) and
//! the character it folds to. The hot loop then costs one table load per character instead of the
//! Unicode property look-ups (`char::is_alphanumeric` alone costs ~15x a load on Arabic script).

use std::sync::{Arc, OnceLock};
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::UnicodeNormalization;

/// Version of the fold tables. Raised whenever a fold maps any character differently (a
/// changed fold such as the Arabic yeh one, a new fold switched on by default, a Unicode update
/// of NFKC): the same [`Folds`] switched on then give other tokens, so every stored hash (index
/// signatures and band keys, chrome models, sketches) records this number and a stored one of
/// another version is refused by name. A test pins the tables' fingerprint of each version.
///
/// Stores written before the number was recorded used the tables of version 1.
pub const NORMALIZATION_VERSION: u32 = 1;

/// The fingerprint of the fold tables of each normalization version, as
/// [`table_fingerprint`] computes it for the default folds and for none.
#[cfg(test)]
const TABLE_FINGERPRINTS: [(u32, [u64; 2]); 1] =
    [(1, [0x43ba_b5e9_5833_9d62, 0xc060_3716_0321_069a])];

/// Which folds the normalizer applies. All are on by default; each can be switched off.
///
/// The canonical forms are the Persian ones, because the corpora chaff was built for are mostly
/// Persian: Arabic yeh and alef maksura fold to Persian yeh (U+06CC), Arabic kaf to keheh (U+06A9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Folds {
    /// Unicode NFKC: presentation forms, ligatures, full-width and compatibility characters.
    pub nfkc: bool,
    /// Lower-case every letter.
    pub case: bool,
    /// ي ى → ی, ك ڪ → ک, and the heh family ة ۀ ە ہ ۂ ھ → ه.
    pub arabic_letters: bool,
    /// Hamza carriers: أ إ آ ٱ ٲ ٳ → ا, ؤ → و, ئ → ی.
    pub hamza: bool,
    /// Drop tashkeel and Quranic marks (fatha, kasra, damma, tanwin, shadda, sukun, superscript alef...).
    pub diacritics: bool,
    /// Drop tatweel (kashida, U+0640), which only stretches a word.
    pub tatweel: bool,
    /// Drop ZERO WIDTH NON-JOINER so `می‌خواهم` and `میخواهم` give the same token.
    pub zwnj: bool,
    /// Map every decimal digit script (Persian, Arabic-Indic, Devanagari, full-width...) to ASCII.
    pub digits: bool,
}

impl Default for Folds {
    fn default() -> Self {
        Folds {
            nfkc: true,
            case: true,
            arabic_letters: true,
            hamza: true,
            diacritics: true,
            tatweel: true,
            zwnj: true,
            digits: true,
        }
    }
}

impl Folds {
    /// Names accepted by [`Folds::disable`], in `--help` order, with what each does.
    pub const NAMES: [(&'static str, &'static str); 8] = [
        (
            "nfkc",
            "Unicode NFKC (presentation forms, ligatures, full-width forms)",
        ),
        ("case", "lower-case letters"),
        ("arabic-letters", "ي ى→ی, ك→ک, ة ۀ ە ہ→ه"),
        ("hamza", "أ إ آ ٱ→ا, ؤ→و, ئ→ی"),
        ("diacritics", "drop Arabic tashkeel and Quranic marks"),
        ("tatweel", "drop tatweel (ـ)"),
        ("zwnj", "drop ZWNJ, so words with and without it match"),
        ("digits", "every digit script to ASCII 0-9"),
    ];

    /// Switches one fold off by its `--no-fold` name.
    pub fn disable(&mut self, name: &str) -> crate::Result<()> {
        let flag = match name.trim() {
            "nfkc" => &mut self.nfkc,
            "case" => &mut self.case,
            "arabic-letters" => &mut self.arabic_letters,
            "hamza" => &mut self.hamza,
            "diacritics" => &mut self.diacritics,
            "tatweel" => &mut self.tatweel,
            "zwnj" => &mut self.zwnj,
            "digits" => &mut self.digits,
            "all" => {
                *self = Folds::none();
                return Ok(());
            }
            other => {
                let known: Vec<_> = Folds::NAMES.iter().map(|(n, _)| *n).collect();
                return Err(crate::Error::Usage(format!(
                    "unknown fold `{other}`; known folds: {}, all",
                    known.join(", ")
                )));
            }
        };
        *flag = false;
        Ok(())
    }

    /// The default folds minus those named (`--no-fold` names, `all` for every one).
    pub fn with_disabled<S: AsRef<str>>(names: &[S]) -> crate::Result<Folds> {
        let mut folds = Folds::default();
        for name in names {
            folds.disable(name.as_ref())?;
        }
        Ok(folds)
    }

    /// Every fold off: tokens are compared exactly as written.
    pub fn none() -> Self {
        Folds {
            nfkc: false,
            case: false,
            arabic_letters: false,
            hamza: false,
            diacritics: false,
            tatweel: false,
            zwnj: false,
            digits: false,
        }
    }
}

/// Class of a character, stored in the top byte of a table entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Class {
    /// Ends the current token.
    Separator = 0,
    /// Part of a word; the payload is the folded character.
    Word = 1,
    /// Invisible to tokens: no boundary, nothing emitted (ZWNJ, tatweel, tashkeel, bidi controls).
    Drop = 2,
    /// Part of a word that folds to several characters; the payload indexes `expansions`.
    Expand = 3,
    /// A word of its own (Han, kana): scripts written without spaces.
    Solo = 4,
    /// A combining mark kept in the word; the token needs canonical composition afterwards.
    Combining = 5,
}

/// Bit position of the class in a table entry.
pub(crate) const CLASS_SHIFT: u32 = 24;
/// Bits of a table entry that hold the payload (a folded char or an expansion index).
pub(crate) const PAYLOAD_MASK: u32 = (1 << CLASS_SHIFT) - 1;

/// The first code point ("zero") of every run of ten decimal digits in the BMP (Unicode `Nd`).
const DIGIT_ZEROS: [u32; 37] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

/// Characters with no visible form that never separate words: bidi and format controls.
fn is_format_control(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x061C | 0x200B | 0x200D..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064
        | 0x2066..=0x206F | 0xFEFF)
}

/// Arabic-script tashkeel, Quranic annotation marks and hamza/madda marks.
fn is_arabic_mark(c: char) -> bool {
    matches!(c as u32,
        0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06DC | 0x06DF..=0x06E4
        | 0x06E7..=0x06E8 | 0x06EA..=0x06ED | 0x08CA..=0x08E1 | 0x08E3..=0x08FF)
}

fn is_solo(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

fn fold_digit(c: char) -> char {
    let cp = c as u32;
    for zero in DIGIT_ZEROS {
        if (zero..zero + 10).contains(&cp) {
            return char::from(b'0' + (cp - zero) as u8);
        }
    }
    c
}

fn fold_arabic_letter(c: char, folds: &Folds) -> char {
    if folds.arabic_letters {
        match c {
            '\u{064A}' | '\u{0649}' => return '\u{06CC}',
            '\u{0643}' | '\u{06AA}' => return '\u{06A9}',
            '\u{0629}' | '\u{06C0}' | '\u{06D5}' | '\u{06C1}' | '\u{06C2}' | '\u{06BE}' => {
                return '\u{0647}'
            }
            _ => {}
        }
    }
    if folds.hamza {
        match c {
            '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}' => {
                return '\u{0627}'
            }
            '\u{0624}' => return '\u{0648}',
            '\u{0626}' => {
                return if folds.arabic_letters {
                    '\u{06CC}'
                } else {
                    '\u{064A}'
                }
            }
            _ => {}
        }
    }
    c
}

/// What one character becomes under the folds, or `None` when it is dropped.
fn fold_char(c: char, folds: &Folds) -> Option<(Class, String)> {
    if c == '\u{200C}' {
        return if folds.zwnj {
            None
        } else {
            Some((Class::Word, c.to_string()))
        };
    }
    if is_format_control(c)
        || (folds.diacritics && is_arabic_mark(c))
        || (folds.tatweel && c == '\u{0640}')
    {
        return None;
    }
    let is_mark = canonical_combining_class(c) != 0;
    if !(c.is_alphanumeric() || is_mark) {
        return Some((Class::Separator, String::new()));
    }
    let mut s: String = if folds.nfkc {
        std::iter::once(c).nfkc().collect()
    } else {
        c.to_string()
    };
    if folds.case {
        s = s.to_lowercase();
    }
    let folded: String = s
        .chars()
        .filter(|&ch| {
            !(is_format_control(ch)
                || (folds.diacritics && is_arabic_mark(ch))
                || (folds.tatweel && ch == '\u{0640}')
                || (folds.zwnj && ch == '\u{200C}'))
        })
        .filter(|ch| ch.is_alphanumeric() || canonical_combining_class(*ch) != 0)
        .map(|ch| fold_arabic_letter(ch, folds))
        .map(|ch| if folds.digits { fold_digit(ch) } else { ch })
        .collect();
    if folded.is_empty() {
        return None;
    }
    let class = if is_solo(c) {
        Class::Solo
    } else if is_mark && folds.nfkc {
        Class::Combining
    } else if folded.chars().count() == 1 {
        Class::Word
    } else {
        Class::Expand
    };
    Some((class, folded))
}

/// The fold table for one configuration of [`Folds`].
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) folds: Folds,
    /// One entry per BMP code point; a fixed-size array so that indexing by a `u16` needs no
    /// bounds check.
    entries: Box<[u32; 0x10000]>,
    pub(crate) expansions: Vec<String>,
}

impl Table {
    fn build(folds: Folds) -> Table {
        let mut entries = vec![0u32; 0x10000];
        let mut expansions = Vec::new();
        for (cp, entry) in entries.iter_mut().enumerate() {
            let Some(c) = char::from_u32(cp as u32) else {
                continue;
            };
            *entry = encode(fold_char(c, &folds), &mut expansions);
        }
        Table {
            folds,
            entries: entries
                .into_boxed_slice()
                .try_into()
                .expect("the table has one entry per BMP code point"),
            expansions,
        }
    }

    /// The entry of `c`: one load for the BMP, computed on the spot beyond it (rare in news text).
    #[inline(always)]
    pub(crate) fn raw_entry(&self, c: char) -> u32 {
        self.entry(c as u32)
    }

    /// The entry of code point `cp` (a `char` decoded from valid UTF-8).
    #[inline(always)]
    pub(crate) fn entry(&self, cp: u32) -> u32 {
        if cp < 0x10000 {
            self.entries[cp as u16 as usize]
        } else {
            astral_entry(char::from_u32(cp).unwrap_or('\u{FFFD}'), &self.folds)
        }
    }
}

fn astral_entry(c: char, folds: &Folds) -> u32 {
    match fold_char(c, folds) {
        None => (Class::Drop as u32) << CLASS_SHIFT,
        Some((class, s)) => {
            let first = s.chars().next().unwrap_or(c);
            // Astral letters that expand are too rare to need the expansion table: keep the first.
            let class = if class == Class::Expand {
                Class::Word
            } else {
                class
            };
            ((class as u32) << CLASS_SHIFT) | first as u32
        }
    }
}

fn encode(folded: Option<(Class, String)>, expansions: &mut Vec<String>) -> u32 {
    match folded {
        None => (Class::Drop as u32) << CLASS_SHIFT,
        Some((Class::Separator, _)) => 0,
        Some((Class::Expand, s)) => {
            expansions.push(s);
            ((Class::Expand as u32) << CLASS_SHIFT) | (expansions.len() as u32 - 1)
        }
        Some((class, s)) => {
            let ch = s
                .chars()
                .next()
                .expect("fold_char never returns an empty word");
            ((class as u32) << CLASS_SHIFT) | ch as u32
        }
    }
}

#[inline(always)]
pub(crate) fn class_of(raw: u32) -> Class {
    match raw >> CLASS_SHIFT {
        1 => Class::Word,
        2 => Class::Drop,
        3 => Class::Expand,
        4 => Class::Solo,
        5 => Class::Combining,
        _ => Class::Separator,
    }
}

/// Applies the folds and splits text into tokens; cheap to clone and share across threads.
#[derive(Debug, Clone)]
pub struct Normalizer {
    pub(crate) table: Arc<Table>,
}

impl Normalizer {
    /// Builds the fold table for `folds` (a few milliseconds; the default one is built once).
    pub fn new(folds: Folds) -> Normalizer {
        if folds == Folds::default() {
            return Normalizer::default();
        }
        Normalizer {
            table: Arc::new(Table::build(folds)),
        }
    }

    /// The folds this normalizer applies.
    pub fn folds(&self) -> Folds {
        self.table.folds
    }
}

impl Default for Normalizer {
    fn default() -> Self {
        static DEFAULT: OnceLock<Arc<Table>> = OnceLock::new();
        Normalizer {
            table: DEFAULT
                .get_or_init(|| Arc::new(Table::build(Folds::default())))
                .clone(),
        }
    }
}

/// A hash of the whole fold table of `folds`: every BMP entry and every expansion.
#[cfg(test)]
fn table_fingerprint(folds: Folds) -> u64 {
    let table = Table::build(folds);
    let mut bytes: Vec<u8> = table.entries.iter().flat_map(|e| e.to_le_bytes()).collect();
    for e in &table.expansions {
        bytes.extend_from_slice(e.as_bytes());
        bytes.push(0);
    }
    xxhash_rust::xxh3::xxh3_64(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_fold_table_comes_with_a_new_normalization_version() {
        let now = [
            table_fingerprint(Folds::default()),
            table_fingerprint(Folds::none()),
        ];
        let pinned = TABLE_FINGERPRINTS
            .iter()
            .find(|(v, _)| *v == NORMALIZATION_VERSION)
            .map(|(_, f)| *f);
        assert_eq!(
            pinned,
            Some(now),
            "the fold tables changed: raise NORMALIZATION_VERSION and pin the new fingerprints \
             {now:#018x?} under it in TABLE_FINGERPRINTS"
        );
    }
}
