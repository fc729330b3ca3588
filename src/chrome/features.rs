//! Lines of a page and what each line shows of itself: length, words, numbers, stopword density
//! in the line's own language, sentence punctuation, separators, dates and times, UI words,
//! list bullets, and two hashes used to match lines across pages.
//!
//! One walk per line, the tokenizer's, which shows the features both the line's tokens and
//! each character it decodes ([`crate::text::Walk`]); offsets are those of the
//! original text, so a line's range `start..end` always lies on `char` boundaries and excludes
//! its `\n` (and a `\r` before it).

use super::clock::ClockOrDate;
use super::lexicon::{lexicon, Lang, Lexicon};
use super::vocabulary::{Vocabulary, Weighed};
use crate::text::{Digits, Normalizer, Token, Walk};
use std::ops::Range;

/// One line of a document with its features.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    /// Byte offset of the line's first character.
    pub(crate) start: usize,
    /// Byte offset just past its last character (before `\r\n` or `\n`).
    pub(crate) end: usize,
    /// 1-based line number.
    pub(crate) number: u32,
    pub(crate) f: Features,
}

/// What a line shows of itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Features {
    /// All tokens.
    pub(crate) tokens: u32,
    /// Tokens with at least one letter.
    pub(crate) words: u32,
    /// Tokens made of digits only.
    pub(crate) numbers: u32,
    /// Tokens that open with digits and end in letters ("32M", "5min"): an amount with its unit.
    pub(crate) quantities: u32,
    /// Non-space characters.
    pub(crate) chars: u32,
    /// Function words of `lang`.
    pub(crate) stop: u32,
    /// Generic user-interface words (any language).
    pub(crate) ui: u32,
    /// Month, weekday and time words.
    pub(crate) date_words: u32,
    /// The hand-made list whose function words the line holds most of.
    pub(crate) lang: Option<Lang>,
    /// Index (into the lexicon's languages) of the list the line holds most function words of.
    pub(crate) stop_lang: Option<u8>,
    /// Clause punctuation inside the line (, ، 、 ， ; ؛), as prose has and menus do not.
    pub(crate) commas: u32,
    /// Words whose first letter is a capital (in scripts with case): menus and headlines are
    /// title-cased, prose is not.
    pub(crate) capitalized: u32,
    /// The first word starts with a lower-case letter (a line continuing a sentence).
    pub(crate) starts_lower: bool,
    /// An address: `http`, `www.`, an `@` or a `.com`.
    pub(crate) address: bool,
    /// Ends with sentence punctuation (. ! ? ؟ … and their kin).
    pub(crate) ends_sentence: bool,
    /// Ends with a colon (introduces what follows).
    pub(crate) ends_colon: bool,
    /// A sentence ends inside the line and another follows it (see [`sentence_between`]): two
    /// sentences are a paragraph, never a headline, whatever ends the line ("...the crew to
    /// tremendous radiation. [MP3 SP]").
    pub(crate) inner_sentence: bool,
    /// Ends in an ellipsis right after a letter or digit ("from a Silicon Valle...", "via
    /// Update Ass…"): text cut off to fit a box, as teasers of other pages are. Prose that
    /// trails off puts a space or a sentence before its ellipsis far more often.
    pub(crate) truncated: bool,
    /// Ends with a lone `*` (a required form field).
    pub(crate) ends_star: bool,
    /// Starts with `*` (a footnote).
    pub(crate) starts_star: bool,
    /// A word followed directly by `*` (a footnote marker inside the text).
    pub(crate) star_marker: bool,
    /// Navigation separators: | » › • · / > outside quotations.
    pub(crate) separators: u32,
    /// The line starts with a separator (a breadcrumb).
    pub(crate) leading_separator: bool,
    /// A separator that points (» › > ← →), as between the levels of a breadcrumb.
    pub(crate) path_separator: bool,
    /// A list bullet starts the line (- • * – ▪ or a number and a dot).
    pub(crate) bullet: bool,
    /// The number of a numbered point ("3. ...", "3) ..."), 1 to 255; 0 for none.
    pub(crate) point: u8,
    /// A time (12:30) or a numeric date (2024/10/23, 23-10-2024) appears.
    pub(crate) clock_or_date: bool,
    /// A copyright sign.
    pub(crate) copyright: bool,
    /// Hash of the folded tokens with digits and date words masked: the line's shape.
    pub(crate) shape: u64,
    /// Hash of the folded tokens (exact text up to normalization).
    pub(crate) exact: u64,
    /// Hashes of the first two and the last three folded tokens, for matching edited copies.
    pub(crate) prefix2: u64,
    pub(crate) head3: u64,
    pub(crate) tail3: u64,
    /// Hash of a short label ending in a colon at the start of the line ("Related:", "Tags:").
    pub(crate) label: Option<u64>,
    /// That label holds an interface word ("read more:", "related:").
    pub(crate) label_ui: bool,
    /// Hash of the folded tokens before the first pointing separator (» › > ← → or a spaced
    /// `/`), when words follow it: the root of a breadcrumb ("Home" of "Home › World ›
    /// <headline>"), which a site repeats on every page while the section and the item at the
    /// end (the article's headline) change.
    pub(crate) path: Option<u64>,
    /// How the line ends, as a rhyme reads it ([`ending`]): lines of a poem share their rhyme, a
    /// list of headlines does not.
    pub(crate) ending: Ending,
    /// What the line model's vocabulary says of the line's words.
    pub(crate) vocab: Weighed,
}

impl Features {
    /// Share of words that are function words of the line's language.
    pub(crate) fn stop_density(&self) -> f64 {
        if self.words == 0 {
            0.0
        } else {
            self.stop as f64 / self.words as f64
        }
    }

    /// Whether the line has no tokens at all (blank or punctuation only).
    pub(crate) fn is_empty(&self) -> bool {
        self.tokens == 0
    }
}

const MASK_NUMBER: u64 = 0x9e37_79b9_7f4a_7c15;
const MASK_DATE: u64 = 0xc2b2_ae3d_27d4_eb4f;

fn combine(acc: u64, h: u64) -> u64 {
    (acc ^ h)
        .wrapping_mul(0x0100_0000_01b3)
        .rotate_left(29)
        .wrapping_add(0x6a09_e667)
}

/// The byte range of each line of `text`: split on `\n`, a `\r` before it dropped, and no line
/// after a final newline. How [`lines`] and [`words_of_lines`] both split a page, so that their
/// lines are numbered alike.
fn line_ranges(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    // A final newline does not open a line of its own.
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut start = 0;
    body.split('\n').map(move |piece| {
        let range = (
            start,
            start + piece.strip_suffix('\r').unwrap_or(piece).len(),
        );
        start += piece.len() + 1;
        range
    })
}

/// Splits `text` into lines ([`line_ranges`]) and computes their features, weighing their
/// words by `vocabulary` (the line model's).
pub(crate) fn lines(text: &str, normalizer: &Normalizer, vocabulary: &Vocabulary) -> Vec<Line> {
    // One line per `\n` and one after the last: the vector never grows line by line.
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    for (number, (start, end)) in (1..).zip(line_ranges(text)) {
        out.push(Line {
            start,
            end,
            number,
            f: features(&text[start..end], normalizer, vocabulary),
        });
    }
    out
}

/// The hashes of the words of each line of `text` (the tokens [`super::vocabulary::is_word`]
/// accepts), lines split as [`lines`] splits them: what a line model's vocabulary may weigh,
/// as `train.py` learns it from them.
pub(crate) fn words_of_lines(text: &str, normalizer: &Normalizer) -> Vec<Vec<u64>> {
    struct Words<'a>(Vec<u64>, &'a str);
    impl Walk for Words<'_> {
        fn char(&mut self, _at: usize, _cp: u32, _len: usize) {}
        fn token(&mut self, t: Token, digits: Digits) {
            if super::vocabulary::is_word(self.1, &t, digits) {
                self.0.push(t.hash);
            }
        }
    }
    line_ranges(text)
        .map(|(start, end)| {
            let line = &text[start..end];
            let mut words = Words(Vec::new(), line);
            normalizer.walk(line, &mut words);
            words.0
        })
        .collect()
}

pub(super) fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '؟' | '…' | '。' | '۔' | '\u{ff01}' | '\u{ff1f}'
    )
}

/// Words a sentence inside a line needs before its full stop: headlines open with a short
/// kicker ("Breaking news.", "Subscriber only.") far more often than with a whole sentence.
const INNER_SENTENCE_WORDS: u32 = 4;

/// Whether a sentence ends between two tokens of `line`: `words_before` words
/// ([`INNER_SENTENCE_WORDS`] at least) up to the earlier token `prev`, a word (not a number) of
/// three or more characters, so that "Dr." and "U.S." end none; after it a full stop (. ۔) and
/// then a space; and the next token, starting at `next`, opening with a letter that is not
/// lower-case (a capital, or a letter of a script without case). A CJK full stop (。) needs no
/// space after it. Question and exclamation marks do not count: headlines ask and exclaim
/// mid-line ("Not getting results? Here's why") far more often than paragraphs are cut short.
pub(super) fn sentence_between(
    line: &str,
    prev: Range<usize>,
    prev_number: bool,
    next: usize,
    words_before: u32,
) -> bool {
    if words_before < INNER_SENTENCE_WORDS {
        return false;
    }
    let gap = &line[prev.end..next];
    if gap.contains('。') {
        return true;
    }
    let Some(mark) = gap.find(['.', '۔']) else {
        return false;
    };
    !prev_number
        && gap[mark..].contains(char::is_whitespace)
        && line[prev].chars().nth(2).is_some()
        && line[next..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() && !c.is_lowercase())
}

pub(super) fn is_separator(c: char) -> bool {
    matches!(
        c,
        '|' | '»'
            | '›'
            | '•'
            | '·'
            | '/'
            | '>'
            | '«'
            | '‹'
            | '¦'
            | '║'
            | '│'
            | '←'
            | '→'
            | '⟵'
            | '⟶'
            | '❯'
            | '❮'
            | '⇐'
            | '⇒'
            | '►'
            | '◄'
            | '▸'
            | '◂'
    )
}

/// Computes the features of one line.
///
/// One walk over the line: the tokenizer's, which shows each character it decodes to
/// [`LineWalk::char`] (everything read from characters) and each token to
/// [`LineWalk::token`] (everything read from words). The features used to be a dozen passes
/// over the line, then two walks (the tokenizer's and one over the characters, which decoded
/// every character again), a fifth of a whole `chaff scan`.
pub(crate) fn features(line: &str, normalizer: &Normalizer, vocabulary: &Vocabulary) -> Features {
    let mut f = Features::default();
    // The characters are read between the line's trimmed ends, as the features are defined.
    let rest = line.trim_start_matches(is_trimmed);
    let offset = line.len() - rest.len();
    let trimmed = rest.trim_end_matches(is_trimmed);
    ends(trimmed, &mut f);
    // Outside the trimmed part only bidi marks are visible characters.
    let outside = line[..offset]
        .chars()
        .chain(rest[trimmed.len()..].chars())
        .filter(|c| !c.is_whitespace())
        .count() as u32;
    let mut walk = LineWalk {
        lexicon: lexicon(),
        vocabulary,
        line,
        trim_start: offset,
        trim_end: offset + trimmed.len(),
        trim_len: trimmed.len(),
        f,
        stops: [0; super::lexicon::MAX_LANGS],
        listed: 0,
        shape: 0,
        exact: 0,
        prefix2: 0,
        head3: 0,
        last3: [0; 3],
        colon: None,
        label: 0,
        label_words: 0,
        label_ui: false,
        pointing: None,
        path: 0,
        path_words: 0,
        visible: outside,
        commas: 0,
        address: false,
        copyright: false,
        clock: ClockOrDate::default(),
        open_quotes: 0,
        prev: NO_CHAR,
        prev_token: None,
        first_visible: true,
        in_run: false,
    };
    normalizer.walk(line, &mut walk);
    walk.finish()
}

/// The sentence ends, stars, bullets and numbered points of a line, read from the ends of its
/// `trimmed` text.
fn ends(trimmed: &str, f: &mut Features) {
    let last = trimmed
        .chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '*'));
    f.ends_sentence = last.is_some_and(is_sentence_end);
    f.ends_colon = last.is_some_and(|c| matches!(c, ':' | '：'));
    f.truncated = cut_off(trimmed);
    f.ends_star = trimmed.ends_with('*') && trimmed.chars().nth(1).is_some();
    f.starts_star = trimmed.starts_with('*') && !trimmed.starts_with("**");
    let mut chars = trimmed.chars();
    f.bullet = match chars.next() {
        Some('-' | '•' | '–' | '—' | '▪' | '●' | '◦' | '■' | '*') => {
            chars.next().is_some_and(|c| c.is_whitespace())
        }
        Some(c) if c.is_ascii_digit() => {
            let after = trimmed.trim_start_matches(|c: char| c.is_ascii_digit());
            after.starts_with(". ") || after.starts_with(") ")
        }
        _ => false,
    };
    f.point = point(trimmed);
}

/// `prev` of [`LineWalk`] before the first character: no `char` has this code point.
const NO_CHAR: u32 = 0x11_0000;

/// The state of [`features`]' walk over one line: what its tokens and its characters have
/// shown so far.
struct LineWalk<'a> {
    lexicon: &'a Lexicon,
    vocabulary: &'a Vocabulary,
    line: &'a str,
    /// The trimmed part of the line (spaces and bidi marks off both ends), where characters
    /// are read.
    trim_start: usize,
    trim_end: usize,
    trim_len: usize,
    f: Features,
    /// Function words of each list, and the lists any token of the line is in.
    stops: [u32; super::lexicon::MAX_LANGS],
    listed: u64,
    shape: u64,
    exact: u64,
    prefix2: u64,
    head3: u64,
    last3: [u64; 3],
    /// The first colon within the first 40 bytes, and the tokens before it: a label is one to
    /// three words followed by that colon.
    colon: Option<usize>,
    label: u64,
    label_words: u32,
    label_ui: bool,
    /// The first pointing separator ([`is_pointing`]), and the tokens before it.
    pointing: Option<usize>,
    path: u64,
    path_words: u32,
    /// Non-space characters.
    visible: u32,
    commas: u32,
    address: bool,
    copyright: bool,
    clock: ClockOrDate,
    /// Guillemets are quotation marks in Persian and Arabic prose: only an unmatched » (or a
    /// « with no » after it) separates items of a breadcrumb or menu.
    open_quotes: u32,
    /// The character before this one within the trimmed part ([`NO_CHAR`] at its start).
    prev: u32,
    /// The last token shown, `(start, end, a number)`, for [`Features::inner_sentence`].
    prev_token: Option<(usize, usize, bool)>,
    first_visible: bool,
    /// A plain letter came since the last character that is not: what plain letters do to
    /// `first_visible` and `clock` is done once, by [`LineWalk::end_run`], not per letter.
    in_run: bool,
}

impl Walk for LineWalk<'_> {
    /// Plain letters (most of a line) and plain spaces take a table load and a few counters;
    /// the rest goes to [`LineWalk::other`].
    #[inline(always)]
    fn char(&mut self, at: usize, cp: u32, len: usize) {
        if at.wrapping_sub(self.trim_start) >= self.trim_len {
            return;
        }
        if is_plain_at(self.line.as_bytes(), at, cp) {
            self.visible += 1;
            self.prev = cp;
            self.in_run = true;
            return;
        }
        self.end_run();
        // A plain space, the most common of the rest, only ends a group of digits.
        if cp == b' ' as u32 {
            self.clock.push(' ', true);
            self.prev = cp;
            return;
        }
        self.other(at, char::from_u32(cp).unwrap_or('\u{FFFD}'), len);
    }

    #[inline(always)]
    fn token(&mut self, t: Token, digits: Digits) {
        let f = &mut self.f;
        let entry = self.lexicon.entry(t.hash);
        // Tokens are shown after the character that ends them: the colon (or the pointing
        // separator) is known by the time the token before it comes, and a token shown while
        // none is known ends before any found later.
        if self.colon.map_or(t.end < 40, |c| t.end <= c) {
            self.label = combine(self.label, t.hash);
            self.label_words += 1;
            self.label_ui |= entry.ui;
        }
        if self.pointing.is_none_or(|p| t.end <= p) {
            self.path = combine(self.path, t.hash);
            self.path_words += 1;
        }
        let first = first_char(self.line.as_bytes(), t.start);
        if is_uppercase(first) {
            f.capitalized += 1;
        }
        if f.tokens == 0 {
            f.starts_lower = is_lowercase(first);
        }
        f.tokens += 1;
        let numeric = digits.all();
        if let Some((start, end, number)) = self.prev_token {
            // One space between two tokens, the most common gap, ends no sentence.
            if !f.inner_sentence
                && t.start > end + 1
                && sentence_between(self.line, start..end, number, t.start, f.words)
            {
                f.inner_sentence = true;
            }
        }
        self.prev_token = Some((t.start, t.end, numeric));
        if numeric {
            f.numbers += 1;
        } else {
            f.words += 1;
            f.quantities += digits.leads() as u32;
        }
        self.listed |= entry.stop;
        let mut bits = entry.stop;
        while bits != 0 {
            self.stops[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
        f.ui += entry.ui as u32;
        if super::vocabulary::is_word(self.line, &t, digits) {
            f.vocab.push(self.vocabulary.weight(t.hash));
        }
        let date = !numeric && entry.date;
        f.date_words += date as u32;
        let masked = if numeric || digits.any() {
            MASK_NUMBER
        } else if date {
            MASK_DATE
        } else {
            t.hash
        };
        self.shape = combine(self.shape, masked);
        self.exact = combine(self.exact, t.hash);
        if f.tokens <= 2 {
            self.prefix2 = combine(self.prefix2, t.hash);
        }
        if f.tokens <= 3 {
            self.head3 = combine(self.head3, t.hash);
        }
        self.last3 = [self.last3[1], self.last3[2], t.hash];
    }
}

impl LineWalk<'_> {
    /// Ends a run of plain letters before any other character (and at the end of the line).
    #[inline(always)]
    fn end_run(&mut self) {
        if self.in_run {
            self.in_run = false;
            self.first_visible = false;
            self.clock.plain();
        }
    }

    /// Whether the bytes just before `at` are `s`. Read in the whole line, not only its
    /// trimmed part: what is trimmed is spaces and bidi marks, none of whose bytes is a letter
    /// or a dot of the patterns asked for, so the answer is the same.
    #[inline(always)]
    fn before(&self, at: usize, s: &[u8]) -> bool {
        at >= s.len() && &self.line.as_bytes()[at - s.len()..at] == s
    }

    /// The character after the one at `at..at + len` within the trimmed part.
    fn next(&self, at: usize, len: usize) -> Option<char> {
        let from = at + len;
        (from < self.trim_end).then(|| first_char(self.line.as_bytes(), from))
    }

    /// A character other than a plain letter or a plain space, at byte `at`.
    fn other(&mut self, at: usize, c: char, len: usize) {
        let prev = char::from_u32(self.prev);
        match c {
            ',' | '،' | '、' | '，' | ';' | '؛' => self.commas += 1,
            '@' => self.address = true,
            'p' => self.address |= self.before(at, b"htt"),
            '.' => self.address |= self.before(at, b"www"),
            'm' => self.address |= self.before(at, b".co"),
            '©' => self.copyright = true,
            ')' => self.copyright |= self.before(at, b"(c") || self.before(at, b"(C"),
            ':' | '：' if at < 40 && self.colon.is_none() => self.colon = Some(at),
            _ => {}
        }
        let separator = match c {
            '«' => {
                self.open_quotes += 1;
                !self.line[at + len..self.trim_end].contains('»')
            }
            '»' if self.open_quotes > 0 => {
                self.open_quotes -= 1;
                false
            }
            // A slash inside a word or a number (a date, a URL) separates nothing.
            '/' => {
                prev.is_some_and(char::is_whitespace)
                    && self.next(at, len).is_some_and(char::is_whitespace)
            }
            '>' => prev.is_none_or(char::is_whitespace),
            // A spaced dash between menu items; a leading one is a list bullet instead.
            '-' | '–' => {
                !self.first_visible
                    && prev.is_some_and(char::is_whitespace)
                    && self.next(at, len).is_some_and(char::is_whitespace)
            }
            c => is_separator(c),
        };
        let f = &mut self.f;
        if separator {
            f.separators += 1;
            f.path_separator |= matches!(c, '»' | '›' | '>' | '←' | '→' | '❯' | '❮' | '⇐' | '⇒');
            if self.first_visible {
                f.leading_separator = true;
            }
            if is_pointing(c) && self.pointing.is_none() {
                self.pointing = Some(at);
            }
        }
        let space = c.is_whitespace();
        if !space {
            self.first_visible = false;
            self.visible += 1;
        }
        if c == '*' && prev.is_some_and(char::is_alphabetic) {
            f.star_marker = true;
        }
        self.clock.push(c, space);
        self.prev = c as u32;
    }

    /// The features, once every character and token of the line has been shown.
    fn finish(mut self) -> Features {
        self.end_run();
        let mut f = self.f;
        f.shape = self.shape;
        f.exact = self.exact;
        if self.colon.is_some()
            && (1..=3).contains(&self.label_words)
            && f.tokens > self.label_words
        {
            f.label = Some(self.label);
            f.label_ui = self.label_ui;
        }
        f.prefix2 = self.prefix2;
        f.head3 = self.head3;
        f.tail3 = self.last3.iter().fold(0, |acc, &h| combine(acc, h));
        f.ending = ending(self.line);
        // Ties go to the earlier list: the hand-made ones come first. Only the lists the line
        // holds a word of can win.
        let (stops, mut listed) = (self.stops, self.listed);
        let mut best = 0;
        while listed != 0 {
            let i = listed.trailing_zeros() as usize;
            if stops[i] > stops[best] {
                best = i;
            }
            listed &= listed - 1;
        }
        if stops[best] > 0 {
            f.lang = Lang::ALL.get(best).copied();
            f.stop_lang = Some(best as u8);
            f.stop = stops[best];
        }
        f.chars = self.visible;
        f.commas = self.commas;
        f.address = self.address;
        f.copyright = self.copyright;
        f.clock_or_date = self.clock.finish();
        // A path needs a token before its first pointing separator and one after it.
        if self.pointing.is_some() && self.path_words > 0 && self.path_words < f.tokens {
            f.path = Some(self.path);
        }
        f
    }
}

/// A separator that points from one level of a path to the next (a spaced `/` too).
pub(super) fn is_pointing(c: char) -> bool {
    matches!(c, '»' | '›' | '>' | '←' | '→' | '❯' | '❮' | '⇐' | '⇒' | '/')
}

/// The first character of the token starting at byte `at` of a `&str`'s bytes.
#[inline(always)]
fn first_char(bytes: &[u8], at: usize) -> char {
    let b0 = bytes[at];
    if b0 < 0x80 {
        return b0 as char;
    }
    // `at` starts a token, so it is a char boundary of valid UTF-8 and the continuation
    // bytes are there.
    let b1 = (bytes[at + 1] & 0x3F) as u32;
    let cp = if b0 < 0xE0 {
        ((b0 as u32 & 0x1F) << 6) | b1
    } else if b0 < 0xF0 {
        ((b0 as u32 & 0x0F) << 12) | (b1 << 6) | (bytes[at + 2] & 0x3F) as u32
    } else {
        ((b0 as u32 & 0x07) << 18)
            | (b1 << 12)
            | (((bytes[at + 2] & 0x3F) as u32) << 6)
            | (bytes[at + 3] & 0x3F) as u32
    };
    char::from_u32(cp).unwrap_or('\u{FFFD}')
}

/// Exactly [`char::is_uppercase`], with ASCII and the Arabic block (which has no case)
/// answered without a search of the Unicode tables. The test below checks every character.
#[inline(always)]
fn is_uppercase(c: char) -> bool {
    match c {
        '\0'..='\u{7f}' => c.is_ascii_uppercase(),
        '\u{0600}'..='\u{06ff}' => false,
        _ => c.is_uppercase(),
    }
}

/// Exactly [`char::is_lowercase`], as [`is_uppercase`].
#[inline(always)]
fn is_lowercase(c: char) -> bool {
    match c {
        '\0'..='\u{7f}' => c.is_ascii_lowercase(),
        '\u{0600}'..='\u{06ff}' => false,
        _ => c.is_lowercase(),
    }
}

/// Spaces and the bidi marks (RLM, LRM) that end a line as they start it.
fn is_trimmed(c: char) -> bool {
    c.is_whitespace() || c == '\u{200f}' || c == '\u{200e}'
}

/// Whether `trimmed` ends in one ellipsis (`...` or `…`) directly after a letter or digit.
fn cut_off(trimmed: &str) -> bool {
    let rest = trimmed
        .strip_suffix("...")
        .or_else(|| trimmed.strip_suffix('…'));
    rest.and_then(|r| r.chars().next_back())
        .is_some_and(char::is_alphanumeric)
}

/// A letter that no feature of [`features`]' walk looks at beyond counting it as visible: not
/// a space, a digit, a separator, punctuation or a letter ending `http` or `.com`. Most
/// characters of a line are, so they skip the tests every other character goes through.
#[inline(always)]
const fn is_plain(c: char) -> bool {
    match c {
        'a'..='z' => !matches!(c, 'm' | 'p'),
        'A'..='Z' => true,
        '\u{0600}'..='\u{06ff}' => !matches!(
            c,
            '،' | '؛' | '٫' | '\u{0660}'..='\u{0669}' | '\u{06f0}'..='\u{06f9}'
        ),
        _ => false,
    }
}

/// What an ASCII character is to [`is_plain_at`]: a plain letter ([`ASCII_LETTER`]), `p` or
/// `m` (plain unless it ends `http` or `.com`, [`ASCII_PM`]), or anything else (0).
const ASCII_KIND: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = if b == b'p' as usize || b == b'm' as usize {
            ASCII_PM
        } else if is_plain(b as u8 as char) {
            ASCII_LETTER
        } else {
            0
        };
        b += 1;
    }
    table
};
const ASCII_LETTER: u8 = 1;
const ASCII_PM: u8 = 2;

/// Whether each character of the Arabic block (by its offset from U+0600) is [`is_plain`]:
/// one load instead of testing its ranges, for most characters of Persian and Arabic text.
const ARABIC_PLAIN: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = match char::from_u32(0x600 + i as u32) {
            Some(c) => is_plain(c),
            None => false,
        };
        i += 1;
    }
    table
};

/// Whether the character `cp` at byte `at` of a line's bytes is plain to the walk of
/// [`features`]: [`is_plain`], or a `p` or `m` that ends no `http` or `.com`. A table load for
/// ASCII and the Arabic block, which hold every plain character.
#[inline(always)]
fn is_plain_at(bytes: &[u8], at: usize, cp: u32) -> bool {
    if cp < 0x80 {
        match ASCII_KIND[cp as usize] {
            ASCII_LETTER => true,
            ASCII_PM => {
                let ends: &[u8; 3] = if cp == b'p' as u32 { b"htt" } else { b".co" };
                !(at >= 3 && &bytes[at - 3..at] == ends)
            }
            _ => false,
        }
    } else {
        cp.wrapping_sub(0x600) < 0x100 && ARABIC_PLAIN[(cp - 0x600) as usize]
    }
}

/// How a line ends, as a rhyme reads it ([`ending`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Ending {
    /// Key of the last two letters of the last word (0: the line has no letter).
    pub(crate) rhyme: u16,
    /// Key of the whole last word: a repeated last word is no rhyme, but a refrain.
    pub(crate) word: u16,
    /// Key of the last two letters of the word before it: the rhyme before a refrain (a Persian
    /// ghazal's "...آرام نیست", "...پیغام نیست").
    pub(crate) before: u16,
}

/// The number of a numbered point opening `trimmed` ("3. Telegram", "12) ..."): ASCII digits
/// followed by ". " or ") ", 1 to 255; 0 for none.
pub(crate) fn point(trimmed: &str) -> u8 {
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let after = &trimmed[digits..];
    if digits == 0 || digits > 3 || !(after.starts_with(". ") || after.starts_with(") ")) {
        return 0;
    }
    trimmed[..digits].parse::<u8>().unwrap_or(0)
}

/// Letters of a line's last word [`ending`] reads at most.
const ENDING_LETTERS: usize = 24;

/// How `line` ends, as a rhyme reads it: case, Arabic-script diacritics, tatweel and joiners
/// left out, the Arabic and Persian forms of yeh, kaf, heh and alef taken as one (a Persian poem
/// in Arabic letters still rhymes). Walks back from the end of the line over its last two words
/// only, and over at most `ENDING_LETTERS` letters of the last (a run of CJK text or an address
/// has no word break to stop at); ASCII and the Arabic block need no Unicode table.
pub(crate) fn ending(line: &str) -> Ending {
    let key = |a: u32, b: u32| {
        let k = crate::text::mix64(u64::from(a) | u64::from(b) << 32) >> 48;
        (k as u16).max(1)
    };
    // Per word (last first): its last two letters, how many letters, and a running hash.
    let mut last2 = [[0u32; 2]; 2];
    let mut count = [0usize; 2];
    let mut hash = 0u64;
    let mut w = 0;
    for c in line.chars().rev() {
        let folded = match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            '\u{0610}'..='\u{061A}'
            | '\u{064B}'..='\u{065F}'
            | '\u{0670}'
            | '\u{06D6}'..='\u{06ED}'
            | '\u{0640}'
            | '\u{200B}'..='\u{200F}' => continue,
            'ي' | 'ى' | 'ې' => 'ی',
            'ك' => 'ک',
            'ة' | 'ۀ' | 'ە' => 'ه',
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            '\u{0621}'..='\u{064A}'
            | '\u{0660}'..='\u{0669}'
            | '\u{066E}'..='\u{06D3}'
            | '\u{06F0}'..='\u{06FF}' => c,
            _ if c.is_ascii() || !c.is_alphanumeric() => {
                if count[w] > 0 {
                    if w == 1 {
                        break;
                    }
                    w = 1;
                }
                continue;
            }
            _ => c.to_lowercase().next().unwrap_or(c),
        };
        if count[w] < 2 {
            last2[w][count[w]] = folded as u32;
        }
        count[w] += 1;
        if w == 0 {
            hash = crate::text::mix64(hash ^ u64::from(folded as u32));
            if count[0] == ENDING_LETTERS {
                break;
            }
        } else if count[1] == 2 {
            break;
        }
    }
    if count[0] == 0 {
        return Ending::default();
    }
    Ending {
        rhyme: key(last2[0][0], last2[0][1]),
        word: ((hash >> 48) as u16).max(1),
        before: if count[1] > 0 {
            key(last2[1][0], last2[1][1])
        } else {
            0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(line: &str) -> Features {
        features(line, &Normalizer::default(), &Vocabulary::default())
    }

    #[test]
    fn an_ellipsis_right_after_a_word_cuts_the_line_off() {
        assert!(f("Four tips for startup success from a Silicon Valle...").truncated);
        assert!(f("Windows 10 is now available via Update Ass…").truncated);
        assert!(f("تصاعد التوتر في المنط...").truncated);
        // A quotation that trails off inside its marks is not cut off.
        assert!(!f("«تصاعد التوتر في المنطقة…»").truncated);
        assert!(!f("And then, as for the money ...").truncated);
        assert!(!f("...").truncated);
        assert!(!f("A sentence that ends.").truncated);
    }

    #[test]
    fn two_sentences_in_a_line_are_read_whatever_ends_it() {
        let inner = |line: &str| f(line).inner_sentence;
        assert!(inner(
            "A dangerous plan was agreed upon. The ship landed on Phaaze. [MP3 SP]"
        ));
        assert!(inner(
            "The mayor said it was \"over.\" Then he left the room"
        ));
        assert!(inner(
            "انتهى الاجتماع مساء الأحد. وقال الوزير إن المحادثات ستستمر"
        ));
        assert!(inner("会議は終わった。次は来週です"));
        // Abbreviations, initials, numbers and a lower-case word after a dot end none.
        assert!(!inner("Dr. Smith and the U.S. Army open talks"));
        assert!(!inner("Prices rose 2.5 percent in 2019. Markets fell"));
        assert!(!inner("Visit example.com for details"));
        assert!(!inner("It was late. and then it rained"));
        assert!(!inner("One sentence that ends here."));
        // Nor a question, an exclamation or a short kicker before the stop.
        assert!(!inner("Not getting results during workouts? Here is why"));
        assert!(!inner("Breaking news. UN court rejects the request"));
    }

    #[test]
    fn a_breadcrumb_has_the_same_path_on_every_page_of_its_site() {
        let world = f("Home › World › Talks resume in Geneva");
        let sport = f("Home › Sport › A late goal settles the derby");
        assert!(world.path.is_some());
        assert_eq!(world.path, sport.path);
        assert_eq!(world.path, f("Home / Business / Markets rally").path);
        assert_ne!(world.path, f("News › World › Talks resume").path);
        assert_eq!(
            f("خانه » سیاست » گفتگوها از سر گرفته شد").path,
            f("خانه » اقتصاد » بازار").path
        );
        // Nothing after the separator, nothing before it, or a slash inside a word: no path.
        assert_eq!(f("Home ›").path, None);
        assert_eq!(f("› World › Talks").path, None);
        assert_eq!(f("Prices rose 5/3 on the year").path, None);
    }

    #[test]
    fn lines_cover_the_text_without_newlines() {
        let text = "a b\r\n\nc d\n";
        let ls = lines(text, &Normalizer::default(), &Vocabulary::default());
        assert_eq!(ls.len(), 3);
        assert_eq!(&text[ls[0].start..ls[0].end], "a b");
        assert_eq!(&text[ls[2].start..ls[2].end], "c d");
        assert_eq!(ls[2].number, 3);
    }

    #[test]
    fn guillemet_quotes_are_not_separators() {
        assert_eq!(f("«باشگاه خبرنگاران» دکتر ظریف").separators, 0);
        let crumb = f("» اجتماعی » تهران و مسکو");
        assert_eq!(crumb.separators, 2);
        assert!(crumb.leading_separator);
        assert_eq!(f("صفحه اصلی | دربارهما | تماسباما").separators, 2);
        assert_eq!(f("استان‌ها - دیدگاه - ورزشی").separators, 2);
        assert_eq!(f("- بررسی آخرین وضعیت").separators, 0);
        assert_eq!(f("أخبار ← صحة ← بل عن الإنتاجية").separators, 2);
    }

    #[test]
    fn shape_masks_numbers_and_dates_but_exact_does_not() {
        let a = f("شنبه , 11 بهمن 1404");
        let b = f("دوشنبه , 3 آذر 1403");
        assert_eq!(a.shape, b.shape);
        assert_ne!(a.exact, b.exact);
    }

    #[test]
    fn stopword_density_follows_the_line_language() {
        let fa = f("این دیدار در حالی انجام شد که روابط ایران و روسیه در سالیان اخیر");
        assert_eq!(fa.lang, Some(Lang::Fa));
        assert!(fa.stop_density() > 0.3);
        let en = f("The minister said that the talks would continue in the spring.");
        assert_eq!(en.lang, Some(Lang::En));
        assert!(en.ends_sentence);
    }

    #[test]
    fn labels_before_a_colon() {
        let related = f("مرتبط: توسعه پارسال فرودگاه با توسط بندر افزود");
        assert!(related.label.is_some() && related.label_ui);
        assert_eq!(related.label, f("مرتبط: چنان در چنین اقتصادی").label);
        assert!(f("The minister said that the plan: nothing")
            .label
            .is_none());
    }

    #[test]
    fn bullets_and_stars() {
        assert!(f("- بررسی آخرین وضعیت").bullet);
        assert!(f("2. second point").bullet);
        assert!(!f("-5 degrees").bullet);
        assert!(f("*کارشناس مسائل روسیه").starts_star);
        assert!(f("مهدی سیف تبریزی* - الکساندر").star_marker);
        assert!(f("بخشهای موردنیاز علامتگذاری شدهاند *").ends_star);
    }

    /// Plainness as the definition reads it: plain letters, and `p` and `m` where they end no
    /// address.
    fn plain_by_chars(s: &str, at: usize, c: char) -> bool {
        is_plain(c)
            || (c == 'p' && !s[..at].ends_with("htt"))
            || (c == 'm' && !s[..at].ends_with(".co"))
    }

    #[test]
    fn plain_characters_from_tables_agree_with_the_definition() {
        let mut texts: Vec<String> = (0..=0xffffu32)
            .filter_map(char::from_u32)
            .map(|c| format!("ab{c}\u{0628}d"))
            .collect();
        texts.extend(
            [
                "http://x",
                "www.site.com",
                "a.com",
                "mama papa",
                "سلام، دنیا",
                "\u{10000}m",
            ]
            .map(String::from),
        );
        for text in &texts {
            for (at, c) in text.char_indices() {
                assert_eq!(
                    is_plain_at(text.as_bytes(), at, c as u32),
                    plain_by_chars(text, at, c),
                    "{text:?} at {at}"
                );
            }
        }
    }

    #[test]
    fn the_fast_case_tests_agree_with_unicode_on_every_character() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            assert_eq!(super::is_uppercase(c), c.is_uppercase(), "{c:?}");
            assert_eq!(super::is_lowercase(c), c.is_lowercase(), "{c:?}");
        }
    }
}

#[cfg(test)]
mod ending_tests {
    use super::{ending, point};

    /// A numbered point is one to three digits, then ". " or ") ", up to 255.
    #[test]
    fn points_are_read_from_the_line_start() {
        assert_eq!(point("3. تطبيق تلغرام"), 3);
        assert_eq!(point("12) the twelfth step"), 12);
        for none in [
            "2024. The year",
            "1.5 kg of flour",
            "300. too many",
            "Step 1. go",
            "7",
        ] {
            assert_eq!(point(none), 0, "{none}");
        }
    }

    /// A rhyme is read through case, diacritics, tatweel and the Arabic and Persian letter forms;
    /// other endings differ.
    #[test]
    fn endings_are_read_as_rhymes() {
        let rhyme = |l: &str| ending(l).rhyme;
        assert_eq!(rhyme("فالصبحُ آتٍ لا محالْ"), rhyme("ويعيدُهُ عندَ الرِّمال"));
        assert_eq!(rhyme("في القلبِ أسماءُ الجمـــالْ"), rhyme("الرمال"));
        assert_eq!(
            rhyme("It carries us like BONES,"),
            rhyme("and gives them back as stones")
        );
        assert_ne!(
            rhyme("Storm closes ports along the coast"),
            rhyme("New museum opens downtown")
        );
        assert_ne!(rhyme("آرام نیست"), rhyme("به انتظار"));
        assert_eq!(rhyme("... 2024 —"), rhyme("2024"));
        assert_eq!(ending(" -- !"), Default::default());
        // A refrain: the same last word, the rhyme in the word before it.
        let (a, b) = (ending("کوی تو آرام نیست"), ending("مرا پیغام نيست."));
        assert_eq!((a.word, a.before), (b.word, b.before));
        assert_ne!(ending("Boys Swimming").word, ending("Girls Bowling").word);
    }
}
