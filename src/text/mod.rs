//! Normalization and tokenization in one pass, with byte offsets into the original text.
//!
//! A token is a maximal run of word characters (letters, digits, marks) after folding; Han and kana
//! characters are one token each because those scripts do not separate words. Each token carries
//! a 64-bit hash of its folded form and the byte range it covers in the *original* text, so later
//! stages compare hashes and report offsets without keeping a normalized copy.
//!
//! The hash is computed as the characters are folded, one multiply-rotate-xor step per folded
//! character (the FxHash step) closed by the murmur3 finalizer, so the hot loop never writes the
//! folded form out: tokens are only ever re-hashed (into shingles), so the hash needs to be free
//! of collisions on real vocabularies and uniform after the finalizer, not cryptographic.
//! `token_hash_has_no_collision_on_a_large_vocabulary` checks the first.
//!
//! Guarantees: `start`/`end` always lie on `char` boundaries of the input; a token's range covers
//! every character that contributed to it, including dropped ones inside it (ZWNJ, tatweel,
//! tashkeel); tokens are in text order and never overlap. The folds are listed in [`Folds`].

mod fold;
mod lang;

pub use fold::{Folds, Normalizer, NORMALIZATION_VERSION};
pub use lang::Lang;

use fold::{class_of, Class, CLASS_SHIFT, PAYLOAD_MASK};
use unicode_normalization::UnicodeNormalization;

/// One word of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Hash of the folded form ([`hash_form`]): equal words after normalization have equal hashes.
    pub hash: u64,
    /// Byte offset of the token's first character in the original text.
    pub start: usize,
    /// Byte offset just past the token's last character (exclusive).
    pub end: usize,
}

/// Which ASCII digits a token's folded form holds (filled only by the tokenizer variant that
/// is asked for it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Digits {
    some_digit: bool,
    some_other: bool,
    first_digit: bool,
}

impl Digits {
    /// One more folded character of the token.
    #[inline(always)]
    fn add(&mut self, cp: u32) {
        if !self.some_digit && !self.some_other {
            self.first_digit = (0x30..=0x39).contains(&cp);
        }
        if (0x30..=0x39).contains(&cp) {
            self.some_digit = true;
        } else {
            self.some_other = true;
        }
    }

    /// The digits of a folded form written out.
    fn of_form(form: &[u8]) -> Digits {
        Digits {
            some_digit: form.iter().any(u8::is_ascii_digit),
            some_other: !form.iter().all(u8::is_ascii_digit),
            first_digit: form.first().is_some_and(u8::is_ascii_digit),
        }
    }

    /// The first character is an ASCII digit ("32M", "5min", or a number).
    pub(crate) fn leads(self) -> bool {
        self.first_digit
    }

    /// Every character is an ASCII digit (a number).
    pub(crate) fn all(self) -> bool {
        !self.some_other
    }

    /// At least one character is an ASCII digit.
    pub(crate) fn any(self) -> bool {
        self.some_digit
    }
}

/// 1-based line of byte `offset` of `text` (lines end with `\n`; an offset past the end counts
/// as the end): the `line` of every record.
pub fn line_of(text: &str, offset: usize) -> u64 {
    let offset = offset.min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..offset]).count() as u64 + 1
}

/// Tokens of `text` under the default folds.
pub fn tokens(text: &str) -> Vec<Token> {
    Normalizer::default().tokens(text)
}

/// Running state of a token hash before its first character.
const TOKEN_SEED: u64 = 0x243F_6A88_85A3_08D3;
/// Odd multiplier of the per-character step (2^64 / golden ratio).
const TOKEN_MUL: u64 = 0x9E37_79B9_7F4A_7C15;

/// One character of a token into its running hash: a bijection of the state for each character.
#[inline(always)]
fn token_step(state: u64, cp: u32) -> u64 {
    (state.rotate_left(5) ^ cp as u64).wrapping_mul(TOKEN_MUL)
}

/// The murmur3 64-bit finalizer: a bijection whose output bits each depend on every input bit.
/// Tokens, shingles and one-permutation slots all finish with it.
#[inline(always)]
pub(crate) fn mix64(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// The hash [`Token::hash`] gives a token whose folded form is `form`.
pub fn hash_form(form: &str) -> u64 {
    mix64(
        form.chars()
            .fold(TOKEN_SEED, |h, c| token_step(h, c as u32)),
    )
}

/// Decodes the character whose first byte, `bytes[at]`, is not ASCII: (code point, byte length).
///
/// `bytes` comes from a `&str`, so it is valid UTF-8 and the continuation bytes are there.
#[inline(always)]
fn decode_multibyte(bytes: &[u8], at: usize) -> (u32, usize) {
    let b0 = bytes[at] as u32;
    let b1 = (bytes[at + 1] & 0x3F) as u32;
    if b0 < 0xE0 {
        return (((b0 & 0x1F) << 6) | b1, 2);
    }
    let b2 = (bytes[at + 2] & 0x3F) as u32;
    if b0 < 0xF0 {
        return (((b0 & 0x0F) << 12) | (b1 << 6) | b2, 3);
    }
    let b3 = (bytes[at + 3] & 0x3F) as u32;
    (((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3, 4)
}

/// Appends the UTF-8 form of code point `cp` (a table payload, always a valid `char`).
///
/// One and two byte forms, which cover ASCII and the Arabic block, are written byte by byte:
/// `extend_from_slice` with a run-time length compiles to a `memcpy` call, which the profile
/// showed as a quarter of tokenizing time on Persian text.
#[inline(always)]
fn push_utf8(out: &mut Vec<u8>, cp: u32) {
    if cp < 0x80 {
        out.push(cp as u8);
    } else if cp < 0x800 {
        out.push(0xC0 | (cp >> 6) as u8);
        out.push(0x80 | (cp & 0x3F) as u8);
    } else if let Some(c) = char::from_u32(cp) {
        let mut utf8 = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
}

/// Working state of one token being built.
struct Builder {
    folded: Vec<u8>,
    start: usize,
    end: usize,
    needs_composition: bool,
}

impl Builder {
    #[inline(always)]
    fn push(&mut self, at: usize, len: usize, folded: u32) {
        if self.folded.is_empty() && !self.is_open() {
            self.start = at;
        }
        push_utf8(&mut self.folded, folded);
        self.end = at + len;
    }

    #[inline(always)]
    fn is_open(&self) -> bool {
        self.start != usize::MAX
    }

    #[inline(always)]
    fn finish(&mut self, emit: &mut impl FnMut(Token, &[u8])) {
        if !self.folded.is_empty() {
            if self.needs_composition {
                let composed: String = String::from_utf8_lossy(&self.folded).nfkc().collect();
                self.folded.clear();
                self.folded.extend_from_slice(composed.as_bytes());
            }
            let token = Token {
                hash: hash_form(&String::from_utf8_lossy(&self.folded)),
                start: self.start,
                end: self.end,
            };
            emit(token, &self.folded);
        }
        self.folded.clear();
        self.start = usize::MAX;
        self.needs_composition = false;
    }
}

/// What the tokenizer loop shows its caller: every character of the text, and every token
/// with its digits.
pub(crate) trait Walk {
    /// The character with code point `cp` starting at byte `at`, `len` bytes long, in text
    /// order. Shown before the tokenizer takes it, so a token this character ends (a
    /// separator, a one-character word) is reported to [`Walk::token`] after it.
    fn char(&mut self, at: usize, cp: u32, len: usize);

    /// The next token of the text and the ASCII digits of its folded form.
    fn token(&mut self, token: Token, digits: Digits);
}

/// A [`Walk`] that only wants the tokens; its empty [`Walk::char`] compiles away.
struct OnToken<F>(F);

impl<F: FnMut(Token, Digits)> Walk for OnToken<F> {
    #[inline(always)]
    fn char(&mut self, _at: usize, _cp: u32, _len: usize) {}

    #[inline(always)]
    fn token(&mut self, token: Token, digits: Digits) {
        (self.0)(token, digits)
    }
}

impl Normalizer {
    /// Calls `emit` with every token of `text` and its folded UTF-8 bytes, in order, without
    /// allocating per token. Slower than [`Normalizer::for_each_token`], which never writes the
    /// folded form out; use this one only when the form itself is needed.
    pub fn for_each_token_with_form(&self, text: &str, mut emit: impl FnMut(Token, &[u8])) {
        let table = &*self.table;
        let mut b = Builder {
            folded: Vec::with_capacity(64),
            start: usize::MAX,
            end: 0,
            needs_composition: false,
        };
        for (at, c) in text.char_indices() {
            let raw = table.raw_entry(c);
            // Word characters are the common case: test the packed entry for them first rather
            // than decoding the class through a jump table (the profile showed the indirect
            // jump as the hottest instruction of the loop).
            if raw >> CLASS_SHIFT == Class::Word as u32 {
                b.push(at, c.len_utf8(), raw & PAYLOAD_MASK);
                continue;
            }
            let payload = raw & PAYLOAD_MASK;
            match class_of(raw) {
                Class::Word => b.push(at, c.len_utf8(), payload),
                Class::Separator => b.finish(&mut emit),
                Class::Drop => {
                    if b.is_open() {
                        b.end = at + c.len_utf8();
                    }
                    // A leading dropped character must not open a token on its own.
                    if b.folded.is_empty() {
                        b.start = usize::MAX;
                    }
                }
                Class::Expand => {
                    let expansion = &table.expansions[payload as usize];
                    if !b.is_open() {
                        b.start = at;
                    }
                    b.folded.extend_from_slice(expansion.as_bytes());
                    b.end = at + c.len_utf8();
                }
                Class::Combining => {
                    b.push(at, c.len_utf8(), payload);
                    b.needs_composition = true;
                }
                Class::Solo => {
                    b.finish(&mut emit);
                    b.push(at, c.len_utf8(), payload);
                    b.finish(&mut emit);
                }
            }
        }
        b.finish(&mut emit);
    }

    /// Calls `emit` with every token of `text`, in order: the hot loop of every stage.
    ///
    /// Decodes UTF-8 by hand (the input is a `&str`, so it is valid), loads one table entry per
    /// character and hashes the folded characters as they come, with no buffer. The rare token
    /// that holds a combining mark needs canonical composition of its form before hashing; it
    /// is rebuilt by [`Normalizer::for_each_token_with_form`] so both give the same hash.
    pub fn for_each_token(&self, text: &str, mut emit: impl FnMut(Token)) {
        self.scan_tokens::<false, _>(text, &mut OnToken(|t, _| emit(t)));
    }

    /// [`Normalizer::for_each_token`] that shows `walk` every character of `text` as well as
    /// every token, with the ASCII digits of the token's folded form: one pass over the text
    /// for callers that read both its words and its characters, as the chrome line features
    /// do (what they need of a form is whether it is a number or a counter, so the form is
    /// never written out as [`Normalizer::for_each_token_with_form`] does; a second walk over
    /// the characters decoded each one again).
    pub(crate) fn walk(&self, text: &str, walk: &mut impl Walk) {
        self.scan_tokens::<true, _>(text, walk);
    }

    /// Hash and digits of a token holding a combining mark, rebuilt with its form composed.
    /// Rare, and kept out of line: inlined, it made the per-token step of [`Self::scan_tokens`]
    /// a call with a 350-byte stack frame, which the profile showed as a quarter of signing time.
    #[cold]
    #[inline(never)]
    fn composed_token<const DIGITS: bool>(&self, piece: &str) -> (u64, Digits) {
        let mut hash = 0;
        let mut form_digits = Digits::default();
        self.for_each_token_with_form(piece, |t, form| {
            hash = t.hash;
            if DIGITS {
                form_digits = Digits::of_form(form);
            }
        });
        (hash, form_digits)
    }

    /// Emits the token in `start..end` whose running hash is `state`, if one is open. A
    /// function forced inline rather than a closure: called from three places, the closure was
    /// compiled out of line, and every word end became a call reaching the caller's state
    /// through pointers (a fifth of signing time in the profile).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    fn finish_token<const DIGITS: bool>(
        &self,
        text: &str,
        walk: &mut impl Walk,
        state: u64,
        start: usize,
        end: usize,
        compose: bool,
        digits: Digits,
    ) {
        if start == usize::MAX {
            return;
        }
        let (hash, digits) = if compose {
            self.composed_token::<DIGITS>(&text[start..end])
        } else {
            (mix64(state), digits)
        };
        walk.token(Token { hash, start, end }, digits);
    }

    /// The tokenizer loop; with `DIGITS` off the digit bookkeeping compiles away.
    #[inline(always)]
    fn scan_tokens<const DIGITS: bool, W: Walk>(&self, text: &str, walk: &mut W) {
        let table = &*self.table;
        let bytes = text.as_bytes();
        let mut state = TOKEN_SEED;
        let mut start = usize::MAX;
        let mut end = 0;
        let mut compose = false;
        let mut digits = Digits::default();
        let mut at = 0;
        while at < bytes.len() {
            let b0 = bytes[at];
            let (cp, len) = if b0 < 0x80 {
                (b0 as u32, 1)
            } else {
                decode_multibyte(bytes, at)
            };
            walk.char(at, cp, len);
            let raw = table.entry(cp);
            // Word characters first, tested on the packed entry (see for_each_token_with_form).
            if raw >> CLASS_SHIFT == Class::Word as u32 {
                if start == usize::MAX {
                    start = at;
                    state = TOKEN_SEED;
                    if DIGITS {
                        digits = Digits::default();
                    }
                }
                state = token_step(state, raw & PAYLOAD_MASK);
                if DIGITS {
                    digits.add(raw & PAYLOAD_MASK);
                }
                at += len;
                end = at;
                continue;
            }
            let payload = raw & PAYLOAD_MASK;
            match class_of(raw) {
                Class::Separator => {
                    self.finish_token::<DIGITS>(text, walk, state, start, end, compose, digits);
                    start = usize::MAX;
                    compose = false;
                }
                Class::Drop => {
                    // Inside a token it extends the range; it never opens one.
                    if start != usize::MAX {
                        end = at + len;
                    }
                }
                Class::Word | Class::Combining | Class::Expand => {
                    if start == usize::MAX {
                        start = at;
                        state = TOKEN_SEED;
                        if DIGITS {
                            digits = Digits::default();
                        }
                    }
                    match class_of(raw) {
                        Class::Expand => {
                            for c in table.expansions[payload as usize].chars() {
                                state = token_step(state, c as u32);
                                if DIGITS {
                                    digits.add(c as u32);
                                }
                            }
                        }
                        class => {
                            state = token_step(state, payload);
                            if DIGITS {
                                digits.add(payload);
                            }
                            compose |= class == Class::Combining;
                        }
                    }
                    end = at + len;
                }
                Class::Solo => {
                    self.finish_token::<DIGITS>(text, walk, state, start, end, compose, digits);
                    let mut solo = Digits::default();
                    if DIGITS {
                        solo.add(payload);
                    }
                    self.finish_token::<DIGITS>(
                        text,
                        walk,
                        token_step(TOKEN_SEED, payload),
                        at,
                        at + len,
                        false,
                        solo,
                    );
                    start = usize::MAX;
                    compose = false;
                }
            }
            at += len;
        }
        self.finish_token::<DIGITS>(text, walk, state, start, end, compose, digits);
    }

    /// Every token of `text`, in order.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::with_capacity(text.len() / 6);
        self.for_each_token(text, |t| out.push(t));
        out
    }

    /// The folded text: tokens joined by single spaces. Used for character n-grams and display.
    pub fn normalize(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        self.for_each_token_with_form(text, |_, form| {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&String::from_utf8_lossy(form));
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(text: &str) -> Vec<String> {
        let n = Normalizer::default();
        let mut v = Vec::new();
        n.for_each_token_with_form(text, |_, f| v.push(String::from_utf8(f.to_vec()).unwrap()));
        v
    }

    fn hashes(text: &str) -> Vec<u64> {
        tokens(text).iter().map(|t| t.hash).collect()
    }

    #[test]
    fn zwnj_present_or_stripped_gives_same_tokens() {
        assert_eq!(hashes("می\u{200C}خواهم بروم"), hashes("میخواهم بروم"));
        assert_eq!(hashes("نشان\u{200C}دهنده"), hashes("نشاندهنده"));
    }

    #[test]
    fn arabic_yeh_and_kaf_fold_to_persian() {
        assert_eq!(hashes("كتاب علي"), hashes("کتاب علی"));
        assert_eq!(forms("يكى"), vec!["یکی"]);
    }

    #[test]
    fn diacritics_and_tatweel_are_dropped() {
        assert_eq!(hashes("مُحَمَّد"), hashes("محمد"));
        assert_eq!(hashes("جـــميل"), hashes("جميل"));
    }

    #[test]
    fn digit_scripts_fold_to_ascii() {
        assert_eq!(forms("۱۴۰۴ ١٤٠٤ 1404 १४०४"), vec!["1404"; 4]);
    }

    #[test]
    fn hamza_alef_forms_fold() {
        assert_eq!(hashes("أحمد إيران آب"), hashes("احمد ایران اب"));
        assert_eq!(hashes("مسؤول"), hashes("مسوول"));
    }

    #[test]
    fn teh_marbuta_and_heh_with_yeh_fold_to_heh() {
        assert_eq!(hashes("مدرسة"), hashes("مدرسه"));
        assert_eq!(hashes("خانۀ"), hashes("خانه"));
    }

    #[test]
    fn presentation_forms_fold_by_nfkc() {
        // ﻛﺘﺎﺏ written with Arabic presentation forms B.
        assert_eq!(hashes("\u{FEDB}\u{FE98}\u{FE8E}\u{FE8F}"), hashes("کتاب"));
        assert_eq!(forms("ＡＢＣ"), vec!["abc"]);
    }

    #[test]
    fn decomposed_latin_matches_precomposed() {
        assert_eq!(
            hashes("cafe\u{0301} Straße"),
            hashes("café STRASSE".replace("SS", "ß").as_str())
        );
    }

    #[test]
    fn offsets_point_into_original_text() {
        let text = "«سلام» دنیا\u{200C}ی ما، hello-World 42";
        for t in tokens(text) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
            assert!(t.start < t.end);
        }
        let spans: Vec<&str> = tokens(text).iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(
            spans,
            vec!["سلام", "دنیا\u{200C}ی", "ما", "hello", "World", "42"]
        );
    }

    #[test]
    fn rtl_with_latin_inside_and_bidi_marks() {
        let a = "گزارش \u{200F}BBC\u{200F} امروز";
        let b = "گزارش bbc امروز";
        assert_eq!(hashes(a), hashes(b));
    }

    #[test]
    fn han_characters_are_single_tokens() {
        assert_eq!(forms("中文abc"), vec!["中", "文", "abc"]);
    }

    #[test]
    fn every_fold_can_be_switched_off() {
        let mut folds = Folds::default();
        folds.disable("arabic-letters").unwrap();
        let n = Normalizer::new(folds);
        assert_ne!(
            n.tokens("علي")[0].hash,
            n.tokens("علی")[0].hash,
            "with arabic-letters off, yeh forms differ"
        );
        let mut folds = Folds::default();
        folds.disable("zwnj").unwrap();
        let n = Normalizer::new(folds);
        assert_ne!(
            n.tokens("می\u{200C}خواهم")[0].hash,
            n.tokens("میخواهم")[0].hash
        );
        assert!(Folds::default().disable("nonsense").is_err());
    }

    #[test]
    fn empty_and_punctuation_only_text_has_no_tokens() {
        assert!(tokens("").is_empty());
        assert!(tokens(" ، . ؛ «» \n\t").is_empty());
        assert!(tokens("\u{200C}\u{0640}").is_empty());
    }

    /// Both tokenizers, on text mixing every class of character, give the same tokens.
    #[test]
    fn fast_and_form_building_tokenizers_agree() {
        let pieces = [
            "می\u{200C}خواهم",
            "كتاب",
            "مُحَمَّد",
            "جـــميل",
            "cafe\u{0301}",
            "Straße",
            "ﬁne",
            "\u{FEDB}\u{FE98}",
            "中文",
            "𝐀𝐁",
            "😀",
            "۱۴۰۴",
            " ",
            "، ",
            "\u{200F}",
            "\u{0301}x",
            "\u{0640}a",
            "ÅNGSTRÖM",
            "ǅ",
            "x\u{0301}\u{0640}",
            "\n",
            "-",
            "12",
            "٤",
            "x9",
            "½",
            "①",
        ];
        let n = Normalizer::default();
        let mut state = 7u64;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..8 {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            let mut slow = Vec::new();
            n.for_each_token_with_form(&text, |t, form| slow.push((t, Digits::of_form(form))));
            let mut fast = Vec::new();
            n.walk(&text, &mut OnToken(|t, digits| fast.push((t, digits))));
            assert_eq!(fast, slow, "{text:?}");
            let tokens: Vec<Token> = slow.iter().map(|(t, _)| *t).collect();
            assert_eq!(n.tokens(&text), tokens, "{text:?}");
        }
        #[cfg(feature = "generate")]
        {
            let generator =
                crate::generate::Generator::new(&crate::generate::Config::default(), 5).unwrap();
            for i in 0..200 {
                let text = generator.document(i).text;
                let mut slow = Vec::new();
                n.for_each_token_with_form(&text, |t, _| slow.push(t));
                assert_eq!(n.tokens(&text), slow);
            }
        }
    }

    /// A walk sees every character once, in order, before the token it ends.
    #[test]
    fn a_walk_shows_every_character_before_the_token_it_ends() {
        #[derive(Default)]
        struct Seen(Vec<(usize, char, usize)>, Vec<(Token, usize)>);
        impl Walk for Seen {
            fn char(&mut self, at: usize, cp: u32, len: usize) {
                self.0.push((at, char::from_u32(cp).unwrap(), len));
            }
            fn token(&mut self, token: Token, _digits: Digits) {
                self.1.push((token, self.0.len()));
            }
        }
        let text = "«سلام» دنیا\u{200C}ی ما، hello-World 42 中文 x\u{0301}y 😀";
        let mut seen = Seen::default();
        Normalizer::default().walk(text, &mut seen);
        let chars: Vec<(usize, char, usize)> = text
            .char_indices()
            .map(|(at, c)| (at, c, c.len_utf8()))
            .collect();
        assert_eq!(seen.0, chars);
        assert_eq!(
            seen.1.iter().map(|(t, _)| *t).collect::<Vec<_>>(),
            tokens(text)
        );
        for (t, shown) in &seen.1 {
            // Every character of the token was shown before it, and nothing past the
            // character that ended it.
            assert!(seen.0[..*shown]
                .iter()
                .any(|&(at, _, len)| at + len == t.end));
            assert!(seen.0[..*shown].iter().all(|&(at, _, _)| at <= t.end));
        }
    }

    /// Every distinct folded form of a large vocabulary gets its own hash: all words of up to
    /// three letters over Persian, Arabic and Latin letters and digits, plus generated text.
    #[test]
    fn token_hash_has_no_collision_on_a_large_vocabulary() {
        let mut letters: Vec<char> = ('a'..='z').chain('0'..='9').collect();
        letters.extend(('\u{0621}'..='\u{064A}').chain(['پ', 'چ', 'ژ', 'گ', 'ک', 'ی']));
        let mut seen = std::collections::HashMap::new();
        let mut check = |form: &str| {
            let h = hash_form(form);
            if let Some(other) = seen.insert(h, form.to_string()) {
                assert_eq!(other, form, "hash collision");
            }
        };
        for &a in &letters {
            for &b in &letters {
                for &c in &letters {
                    check(&[a, b, c].iter().collect::<String>());
                }
                check(&[a, b].iter().collect::<String>());
            }
        }
        #[cfg(feature = "generate")]
        {
            let config = crate::generate::Config {
                docs: 300,
                ..crate::generate::Config::default()
            };
            let generator = crate::generate::Generator::new(&config, 3).unwrap();
            for i in 0..config.docs {
                Normalizer::default()
                    .for_each_token_with_form(&generator.document(i).text, |_, f| {
                        check(std::str::from_utf8(f).unwrap())
                    });
            }
            assert!(seen.len() > 500_000);
        }
    }
}
