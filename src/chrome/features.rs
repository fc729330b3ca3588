//! Lines of a page and what each line shows of itself: length, words, numbers, stopword density
//! in the line's own language, sentence punctuation, separators, dates and times, UI words,
//! list bullets, and two hashes used to match lines across pages.
//!
//! One tokenizer pass and one walk over the characters per line; offsets are those of the
//! original text, so a line's range `start..end` always lies on `char` boundaries and excludes
//! its `\n` (and a `\r` before it).

use super::clock::ClockOrDate;
use super::lexicon::{lexicon, Lang};
use crate::text::Normalizer;

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

/// Splits `text` into lines (on `\n`, dropping a `\r` before it) and computes their features.
pub(crate) fn lines(text: &str, normalizer: &Normalizer) -> Vec<Line> {
    // One line per `\n` and one after the last: the vector never grows line by line.
    let mut out = Vec::with_capacity(memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1);
    let mut start = 0;
    for (number, piece) in (1..).zip(text.split('\n')) {
        let mut end = start + piece.len();
        if piece.ends_with('\r') {
            end -= 1;
        }
        out.push(Line {
            start,
            end,
            number,
            f: features(&text[start..end], normalizer),
        });
        start += piece.len() + 1;
    }
    // A final newline does not open a line of its own.
    if text.ends_with('\n') {
        out.pop();
    }
    out
}

pub(super) fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '؟' | '…' | '。' | '۔' | '\u{ff01}' | '\u{ff1f}'
    )
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
/// Two walks: the tokenizer's over the words, and one over the characters of the line for
/// everything read from characters ([`Chars`]). Each used to be its own pass over the line
/// (a dozen in all), which made line features half of a whole `chaff chrome` run.
pub(crate) fn features(line: &str, normalizer: &Normalizer) -> Features {
    let lx = lexicon();
    let mut f = Features::default();
    let mut stops = [0u32; super::lexicon::MAX_LANGS];
    // The lists any token of the line is in.
    let mut listed = 0u64;
    let (mut shape, mut exact, mut prefix2, mut head3) = (0u64, 0u64, 0u64, 0u64);
    let mut last3 = [0u64; 3];
    let bytes = line.as_bytes();
    // A label is one to three words followed by a colon within the first 40 bytes.
    let colon = line
        .char_indices()
        .take_while(|(at, _)| *at < 40)
        .find(|(_, c)| matches!(c, ':' | '：'))
        .map(|(at, _)| at);
    let (mut label, mut label_words, mut label_ui) = (0u64, 0u32, false);
    normalizer.for_each_token_digits(line, |t, digits| {
        let entry = lx.entry(t.hash);
        if colon.is_some_and(|c| t.end <= c) {
            label = combine(label, t.hash);
            label_words += 1;
            label_ui |= entry.ui;
        }
        let first = first_char(bytes, t.start);
        if is_uppercase(first) {
            f.capitalized += 1;
        }
        if f.tokens == 0 {
            f.starts_lower = is_lowercase(first);
        }
        f.tokens += 1;
        let numeric = digits.all();
        if numeric {
            f.numbers += 1;
        } else {
            f.words += 1;
            f.quantities += digits.leads() as u32;
        }
        listed |= entry.stop;
        let mut bits = entry.stop;
        while bits != 0 {
            stops[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
        f.ui += entry.ui as u32;
        let date = !numeric && entry.date;
        f.date_words += date as u32;
        let masked = if numeric || digits.any() {
            MASK_NUMBER
        } else if date {
            MASK_DATE
        } else {
            t.hash
        };
        shape = combine(shape, masked);
        exact = combine(exact, t.hash);
        if f.tokens <= 2 {
            prefix2 = combine(prefix2, t.hash);
        }
        if f.tokens <= 3 {
            head3 = combine(head3, t.hash);
        }
        last3 = [last3[1], last3[2], t.hash];
    });
    f.shape = shape;
    f.exact = exact;
    if (1..=3).contains(&label_words) && f.tokens > label_words {
        f.label = Some(label);
        f.label_ui = label_ui;
    }
    f.prefix2 = prefix2;
    f.head3 = head3;
    f.tail3 = last3.iter().fold(0, |acc, &h| combine(acc, h));
    f.ending = ending(line);
    // Ties go to the earlier list: the hand-made ones come first. Only the lists the line
    // holds a word of can win.
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
    if let Some(at) = punctuation(line, &mut f) {
        f.path = path(&line[..at], f.tokens, normalizer);
    }
    f
}

/// The path hash of a line whose first pointing separator starts at the end of `before`, given
/// the line's token count: `None` without a token before it or after it.
pub(super) fn path(before: &str, tokens: u32, normalizer: &Normalizer) -> Option<u64> {
    let (mut hash, mut count) = (0u64, 0u32);
    normalizer.for_each_token(before, |t| {
        hash = combine(hash, t.hash);
        count += 1;
    });
    (count > 0 && count < tokens).then_some(hash)
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

/// The features read from characters rather than words, in one walk over the line's
/// characters (the ends trimmed of spaces and bidi marks, as the features are defined).
/// Returns the byte offset in `line` of its first pointing separator ([`is_pointing`]).
fn punctuation(line: &str, f: &mut Features) -> Option<usize> {
    let rest = line.trim_start_matches(is_trimmed);
    let offset = line.len() - rest.len();
    let mut pointing = None;
    let trimmed = rest.trim_end_matches(is_trimmed);
    // Outside the trimmed part only bidi marks are visible characters.
    let outside = line[..line.len() - rest.len()]
        .chars()
        .chain(rest[trimmed.len()..].chars())
        .filter(|c| !c.is_whitespace())
        .count() as u32;
    let bytes = trimmed.as_bytes();
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
    let mut visible = outside;
    let (mut commas, mut address, mut copyright) = (0u32, false, false);
    let mut clock = ClockOrDate::default();
    // Guillemets are quotation marks in Persian and Arabic prose: only an unmatched » (or a «
    // with no » after it) separates items of a breadcrumb or menu.
    let mut open_quotes = 0u32;
    let mut prev: Option<char> = None;
    let mut first_visible = true;
    let mut at = 0;
    while at < bytes.len() {
        // A run of plain letters, most of a line, is counted at once: no character of it is
        // decoded beyond its lead byte but the last (`prev` for what follows the run).
        let run = plain_run(bytes, at);
        if run.chars > 0 {
            visible += run.chars;
            first_visible = false;
            clock.plain();
            prev = Some(first_char(bytes, run.last));
            at = run.end;
            continue;
        }
        // A plain space, the most common of the rest, only ends a group of digits.
        if bytes[at] == b' ' {
            clock.push(' ', true);
            prev = Some(' ');
            at += 1;
            continue;
        }
        let c = first_char(bytes, at);
        // `next` is the character after `c`.
        let next = || trimmed[at + c.len_utf8()..].chars().next();
        // What ends at `c` of `http`, `www.`, `.com`, `(c)` is tested where it ends.
        let before = |s: &[u8]| at >= s.len() && &bytes[at - s.len()..at] == s;
        match c {
            ',' | '،' | '、' | '，' | ';' | '؛' => commas += 1,
            '@' => address = true,
            'p' => address |= before(b"htt"),
            '.' => address |= before(b"www"),
            'm' => address |= before(b".co"),
            '©' => copyright = true,
            ')' => copyright |= before(b"(c") || before(b"(C"),
            _ => {}
        }
        let separator = match c {
            '«' => {
                open_quotes += 1;
                !trimmed[at + c.len_utf8()..].contains('»')
            }
            '»' if open_quotes > 0 => {
                open_quotes -= 1;
                false
            }
            // A slash inside a word or a number (a date, a URL) separates nothing.
            '/' => prev.is_some_and(char::is_whitespace) && next().is_some_and(char::is_whitespace),
            '>' => prev.is_none_or(char::is_whitespace),
            // A spaced dash between menu items; a leading one is a list bullet instead.
            '-' | '–' => {
                !first_visible
                    && prev.is_some_and(char::is_whitespace)
                    && next().is_some_and(char::is_whitespace)
            }
            c => is_separator(c),
        };
        if separator {
            f.separators += 1;
            f.path_separator |= matches!(c, '»' | '›' | '>' | '←' | '→' | '❯' | '❮' | '⇐' | '⇒');
            if first_visible {
                f.leading_separator = true;
            }
            if is_pointing(c) && pointing.is_none() {
                pointing = Some(offset + at);
            }
        }
        let space = c.is_whitespace();
        if !space {
            first_visible = false;
            visible += 1;
        }
        if c == '*' && prev.is_some_and(char::is_alphabetic) {
            f.star_marker = true;
        }
        clock.push(c, space);
        prev = Some(c);
        at += c.len_utf8();
    }
    f.chars = visible;
    f.commas = commas;
    f.address = address;
    f.copyright = copyright;
    f.clock_or_date = clock.finish();
    pointing
}

/// Whether `trimmed` ends in one ellipsis (`...` or `…`) directly after a letter or digit.
fn cut_off(trimmed: &str) -> bool {
    let rest = trimmed
        .strip_suffix("...")
        .or_else(|| trimmed.strip_suffix('…'));
    rest.and_then(|r| r.chars().next_back())
        .is_some_and(char::is_alphanumeric)
}

/// A letter that no feature of [`punctuation`] looks at beyond counting it as visible: not
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

/// A run of [`is_plain`] characters: how many, where the last starts, where the run ends.
struct PlainRun {
    chars: u32,
    last: usize,
    end: usize,
}

/// What a byte says of the run [`plain_run`] reads: the character it starts is a plain ASCII
/// letter ([`RUN_LETTER`]), `p` or `m` (plain unless it ends `http` or `.com`, [`RUN_PM`]), or
/// a character of the Arabic block, U+0600 to U+06FF (lead bytes D8 to DB, [`RUN_ARABIC`]);
/// anything else (0) ends the run.
const RUN_BYTE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = if b == b'p' as usize || b == b'm' as usize {
            RUN_PM
        } else if is_plain(b as u8 as char) {
            RUN_LETTER
        } else {
            0
        };
        b += 1;
    }
    let mut lead = 0xD8;
    while lead <= 0xDB {
        table[lead] = RUN_ARABIC;
        lead += 1;
    }
    table
};
const RUN_LETTER: u8 = 1;
const RUN_PM: u8 = 2;
const RUN_ARABIC: u8 = 3;

/// Whether each character of the Arabic block (by its offset from U+0600) is [`is_plain`]:
/// one load instead of decoding it and testing its ranges, for most characters of Persian and
/// Arabic text.
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

/// The run of plain characters starting at byte `at` of a `&str`'s bytes (and of `p` and `m`
/// where they end no address), read a byte at a time from [`RUN_BYTE`]: ASCII letters at once,
/// characters of the Arabic block (two bytes each) from [`ARABIC_PLAIN`]; anything else ends
/// the run.
#[inline(always)]
fn plain_run(bytes: &[u8], mut at: usize) -> PlainRun {
    let mut run = PlainRun {
        chars: 0,
        last: at,
        end: at,
    };
    while at < bytes.len() {
        let b = bytes[at];
        let kind = RUN_BYTE[b as usize];
        let len = if kind == RUN_ARABIC {
            // `b` leads a two-byte character of valid UTF-8: its continuation is there, and
            // the two give the code point's offset from U+0600.
            let offset = ((b as usize & 0x03) << 6) | (bytes[at + 1] & 0x3F) as usize;
            if !ARABIC_PLAIN[offset] {
                break;
            }
            2
        } else if kind == RUN_LETTER {
            1
        } else if kind == RUN_PM {
            // `p` and `m` are plain unless they end `http` or `.co` + `m`, tested here as the
            // full walk tests them: common letters, they would break most runs.
            let ends = if b == b'p' { b"htt" } else { b".co" };
            if at >= 3 && &bytes[at - 3..at] == ends {
                break;
            }
            1
        } else {
            break;
        };
        run.chars += 1;
        run.last = at;
        at += len;
    }
    run.end = at;
    run
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
        features(line, &Normalizer::default())
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
        let ls = lines(text, &Normalizer::default());
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

    /// The run as the walk of every character reads it: plain letters, and `p` and `m` where
    /// they end no address.
    fn plain_run_by_chars(s: &str, from: usize) -> (u32, usize, usize) {
        let (mut chars, mut last, mut end) = (0, from, from);
        for (at, c) in s[from..].char_indices().map(|(i, c)| (from + i, c)) {
            let plain = is_plain(c)
                || (c == 'p' && !s[..at].ends_with("htt"))
                || (c == 'm' && !s[..at].ends_with(".co"));
            if !plain {
                break;
            }
            chars += 1;
            last = at;
            end = at + c.len_utf8();
        }
        (chars, last, end)
    }

    #[test]
    fn plain_runs_from_tables_agree_with_the_characters() {
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
            ]
            .map(String::from),
        );
        for text in &texts {
            for from in (0..text.len()).filter(|&i| text.is_char_boundary(i)) {
                let run = plain_run(text.as_bytes(), from);
                assert_eq!(
                    (run.chars, run.last, run.end),
                    plain_run_by_chars(text, from),
                    "{text:?} from {from}"
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
