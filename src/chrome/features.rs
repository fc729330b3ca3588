//! Lines of a page and what each line shows of itself: length, words, numbers, stopword density
//! in the line's own language, sentence punctuation, separators, dates and times, UI words,
//! list bullets, and two hashes used to match lines across pages.
//!
//! One tokenizer pass per line; offsets are those of the original text, so a line's range
//! `start..end` always lies on `char` boundaries and excludes its `\n` (and a `\r` before it).

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
#[derive(Debug, Clone, Default)]
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
    let mut out = Vec::new();
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

fn is_sentence_end(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | '؟' | '…' | '。' | '۔' | '\u{ff01}' | '\u{ff1f}'
    )
}

fn is_separator(c: char) -> bool {
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
pub(crate) fn features(line: &str, normalizer: &Normalizer) -> Features {
    let lx = lexicon();
    let mut f = Features::default();
    let mut stops = [0u32; super::lexicon::MAX_LANGS];
    let (mut shape, mut exact, mut prefix2, mut head3) = (0u64, 0u64, 0u64, 0u64);
    let mut last3 = [0u64; 3];
    // A label is one to three words followed by a colon within the first 40 bytes.
    let colon = line
        .char_indices()
        .take_while(|(at, _)| *at < 40)
        .find(|(_, c)| matches!(c, ':' | '：'))
        .map(|(at, _)| at);
    let (mut label, mut label_words, mut label_ui) = (0u64, 0u32, false);
    normalizer.for_each_token_with_form(line, |t, form| {
        if colon.is_some_and(|c| t.end <= c) {
            label = combine(label, t.hash);
            label_words += 1;
            label_ui |= lx.ui.contains(&t.hash);
        }
        let first = line[t.start..].chars().next();
        if first.is_some_and(char::is_uppercase) {
            f.capitalized += 1;
        }
        if f.tokens == 0 {
            f.starts_lower = first.is_some_and(char::is_lowercase);
        }
        f.tokens += 1;
        let numeric = form.iter().all(u8::is_ascii_digit);
        if numeric {
            f.numbers += 1;
        } else {
            f.words += 1;
            f.quantities += form.first().is_some_and(u8::is_ascii_digit) as u32;
        }
        if let Some(&langs) = lx.stop.get(&t.hash) {
            let mut bits = langs;
            while bits != 0 {
                stops[bits.trailing_zeros() as usize] += 1;
                bits &= bits - 1;
            }
        }
        f.ui += lx.ui.contains(&t.hash) as u32;
        let date = !numeric && lx.date.contains(&t.hash);
        f.date_words += date as u32;
        let masked = if numeric || form.iter().any(u8::is_ascii_digit) {
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
    // Ties go to the earlier list: the hand-made ones come first.
    let best = (0..lx.langs.len())
        .max_by_key(|&i| (stops[i], usize::MAX - i))
        .unwrap_or(0);
    if stops[best] > 0 {
        f.lang = Lang::ALL.get(best).copied();
        f.stop_lang = Some(best as u8);
        f.stop = stops[best];
    }
    f.chars = line.chars().filter(|c| !c.is_whitespace()).count() as u32;
    punctuation(line, &mut f);
    f
}

/// The features read from characters rather than words.
fn punctuation(line: &str, f: &mut Features) {
    let trimmed =
        line.trim_matches(|c: char| c.is_whitespace() || c == '\u{200f}' || c == '\u{200e}');
    let last = trimmed
        .chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '*'));
    f.ends_sentence = last.is_some_and(is_sentence_end);
    f.ends_colon = last.is_some_and(|c| matches!(c, ':' | '：'));
    f.ends_star = trimmed.ends_with('*') && trimmed.chars().count() > 1;
    f.starts_star = trimmed.starts_with('*') && !trimmed.starts_with("**");
    f.address = trimmed.contains("http")
        || trimmed.contains("www.")
        || trimmed.contains('@')
        || trimmed.contains(".com");
    f.commas = trimmed
        .chars()
        .filter(|c| matches!(c, ',' | '،' | '、' | '，' | ';' | '؛'))
        .count() as u32;
    f.copyright = trimmed.contains('©') || trimmed.contains("(c)") || trimmed.contains("(C)");
    let mut chars = trimmed.chars().peekable();
    f.bullet = match chars.next() {
        Some('-' | '•' | '–' | '—' | '▪' | '●' | '◦' | '■' | '*') => {
            chars.peek().is_some_and(|c| c.is_whitespace())
        }
        Some(c) if c.is_ascii_digit() => {
            let rest: String = trimmed
                .chars()
                .skip_while(char::is_ascii_digit)
                .take(2)
                .collect();
            rest.starts_with(". ") || rest.starts_with(") ")
        }
        _ => false,
    };
    // Guillemets are quotation marks in Persian and Arabic prose: only an unmatched » (or a «
    // with no » after it) separates items of a breadcrumb or menu.
    let mut open_quotes = 0u32;
    let mut prev: Option<char> = None;
    let mut first_visible = true;
    // One walk over the characters, no copy of them: `next` is the one after `c`.
    let mut walk = trimmed.char_indices().peekable();
    while let Some((at, c)) = walk.next() {
        let next = walk.peek().map(|&(_, n)| n);
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
            '/' => prev.is_some_and(char::is_whitespace) && next.is_some_and(char::is_whitespace),
            '>' => prev.is_none_or(char::is_whitespace),
            // A spaced dash between menu items; a leading one is a list bullet instead.
            '-' | '–' => {
                !first_visible
                    && prev.is_some_and(char::is_whitespace)
                    && next.is_some_and(char::is_whitespace)
            }
            c => is_separator(c),
        };
        if separator {
            f.separators += 1;
            f.path_separator |= matches!(c, '»' | '›' | '>' | '←' | '→' | '❯' | '❮' | '⇐' | '⇒');
            if first_visible {
                f.leading_separator = true;
            }
        }
        if !c.is_whitespace() {
            first_visible = false;
        }
        if c == '*' && prev.is_some_and(char::is_alphabetic) {
            f.star_marker = true;
        }
        prev = Some(c);
    }
    f.clock_or_date = has_clock_or_date(trimmed);
}

/// Exactly [`char::is_numeric`], with the Arabic block (Persian and Arabic letters, the bulk of
/// many corpora) answered from its two digit ranges instead of a search of the Unicode tables,
/// which was a tenth of a whole `scan`'s time. The test below checks every character.
fn is_numeric(c: char) -> bool {
    match c {
        '\u{0600}'..='\u{06ff}' => {
            matches!(c, '\u{0660}'..='\u{0669}' | '\u{06f0}'..='\u{06f9}')
        }
        _ => c.is_numeric(),
    }
}

/// A time (`11:04`) or a numeric date (`23/10/2024`, `2026-01-31`, `2026 - 01 - 31`), in any
/// digit script.
fn has_clock_or_date(line: &str) -> bool {
    let mut groups: Vec<(usize, char)> = Vec::new(); // (digits in group, separator after it)
    let mut digits = 0usize;
    let mut pending: Option<char> = None;
    for c in line.chars() {
        if is_numeric(c) {
            if digits == 0 {
                if let Some(sep) = pending.take() {
                    if let Some(g) = groups.last_mut() {
                        g.1 = sep;
                    }
                } else {
                    groups.clear();
                }
            }
            digits += 1;
        } else {
            if digits > 0 {
                groups.push((digits, ' '));
                digits = 0;
                pending = None;
            }
            if matches!(c, ':' | '/' | '-' | '.' | '٫') {
                pending = Some(c);
            } else if !c.is_whitespace() {
                pending = None;
                groups.clear();
            }
        }
        if groups.len() >= 2 {
            let n = groups.len();
            let (a, sep) = groups[n - 2];
            let (b, _) = groups[n - 1];
            if sep == ':' && a <= 2 && b == 2 {
                return true;
            }
            if n >= 3 {
                let (x, s1) = groups[n - 3];
                if s1 == sep
                    && s1 != ':'
                    && s1 != '.'
                    && x.max(b) >= 2
                    && (x == 4 || b == 4)
                    && a <= 2
                {
                    return true;
                }
            }
        }
    }
    if digits > 0 {
        groups.push((digits, ' '));
        let n = groups.len();
        if n >= 2 {
            let (a, sep) = groups[n - 2];
            if sep == ':' && a <= 2 && groups[n - 1].0 == 2 {
                return true;
            }
        }
        if n >= 3 {
            let (x, s1) = groups[n - 3];
            let (a, s2) = groups[n - 2];
            let b = groups[n - 1].0;
            if s1 == s2 && s1 != ':' && s1 != '.' && (x == 4 || b == 4) && a <= 2 {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(line: &str) -> Features {
        features(line, &Normalizer::default())
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
    fn the_fast_numeric_test_agrees_with_unicode_on_every_character() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            assert_eq!(super::is_numeric(c), c.is_numeric(), "{c:?}");
        }
    }

    #[test]
    fn times_and_numeric_dates_are_found_in_any_script() {
        assert!(has_clock_or_date("بینالملل 11:04 - 29 مهر 1404"));
        assert!(has_clock_or_date("قسم العلاقات الدولية 23/10/2024"));
        assert!(has_clock_or_date("2026 - 01 - 31"));
        assert!(has_clock_or_date("۱۴۰۴/۰۷/۲۹"));
        assert!(!has_clock_or_date("تجارت دوجانبه در سال ۲۰۲۵ رشد"));
        assert!(!has_clock_or_date("version 1.2.3 and 3.14"));
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
}
