//! The line features as first written, one pass per feature: the specification the fused
//! passes of [`super::features`] are checked against, character for character.

use super::features::Features;
use super::lexicon::{lexicon, Lang};
use super::vocabulary::Vocabulary;
use crate::text::Normalizer;

const MASK_NUMBER: u64 = 0x9e37_79b9_7f4a_7c15;
const MASK_DATE: u64 = 0xc2b2_ae3d_27d4_eb4f;

fn combine(acc: u64, h: u64) -> u64 {
    (acc ^ h)
        .wrapping_mul(0x0100_0000_01b3)
        .rotate_left(29)
        .wrapping_add(0x6a09_e667)
}

fn is_sentence_end(c: char) -> bool {
    super::features::is_sentence_end(c)
}

fn is_separator(c: char) -> bool {
    super::features::is_separator(c)
}

/// The path hash of a line whose first pointing separator starts at the end of `before`, given
/// the line's token count: `None` without a token before it or after it.
fn path(before: &str, tokens: u32, normalizer: &Normalizer) -> Option<u64> {
    let (mut hash, mut count) = (0u64, 0u32);
    normalizer.for_each_token(before, |t| {
        hash = combine(hash, t.hash);
        count += 1;
    });
    (count > 0 && count < tokens).then_some(hash)
}

/// Computes the features of one line.
pub(crate) fn features(line: &str, normalizer: &Normalizer, vocabulary: &Vocabulary) -> Features {
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
    let mut previous: Option<(std::ops::Range<usize>, bool)> = None;
    normalizer.for_each_token_with_form(line, |t, form| {
        if colon.is_some_and(|c| t.end <= c) {
            label = combine(label, t.hash);
            label_words += 1;
            label_ui |= lx.entry(t.hash).ui;
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
        if let Some((prev, number)) = previous.replace((t.start..t.end, numeric)) {
            f.inner_sentence |=
                super::features::sentence_between(line, prev, number, t.start, f.words);
        }
        if numeric {
            f.numbers += 1;
        } else {
            f.words += 1;
            f.quantities += form.first().is_some_and(u8::is_ascii_digit) as u32;
        }
        if let Some(langs) = Some(lx.entry(t.hash).stop).filter(|&b| b != 0) {
            let mut bits = langs;
            while bits != 0 {
                stops[bits.trailing_zeros() as usize] += 1;
                bits &= bits - 1;
            }
        }
        f.ui += lx.entry(t.hash).ui as u32;
        if !form.iter().any(u8::is_ascii_digit) && line[t.start..t.end].chars().count() >= 3 {
            f.vocab.push(vocabulary.weight(t.hash));
        }
        let date = !numeric && lx.entry(t.hash).date;
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
    f.ending = super::features::ending(line);
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
    if let Some(at) = punctuation(line, &mut f) {
        f.path = path(&line[..at], f.tokens, normalizer);
    }
    f
}

/// The features read from characters rather than words.
fn punctuation(line: &str, f: &mut Features) -> Option<usize> {
    let trimmed =
        line.trim_matches(|c: char| c.is_whitespace() || c == '\u{200f}' || c == '\u{200e}');
    let offset = trimmed.as_ptr() as usize - line.as_ptr() as usize;
    let mut pointing = None;
    let last = trimmed
        .chars()
        .rev()
        .find(|c| !matches!(c, '"' | '\'' | '»' | '”' | '’' | ')' | ']' | '*'));
    f.ends_sentence = last.is_some_and(is_sentence_end);
    f.ends_colon = last.is_some_and(|c| matches!(c, ':' | '：'));
    let dots = ["...", "…"].iter().find_map(|e| trimmed.strip_suffix(e));
    f.truncated = dots.is_some_and(|r| r.chars().last().is_some_and(|c| c.is_alphanumeric()));
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
    f.point = super::features::point(trimmed);
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
            if super::features::is_pointing(c) && pointing.is_none() {
                pointing = Some(offset + at);
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
    pointing
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
    use super::super::features::features;
    use crate::text::Normalizer;

    /// The fused walks give the features of the one-pass-per-feature definition, on lines
    /// mixing every character the features look at and on generated pages.
    #[test]
    fn fused_features_equal_their_definition() {
        let pieces = [
            "http",
            "www",
            ".",
            "com",
            "@",
            "(",
            "c",
            "C",
            ")",
            "©",
            ",",
            "،",
            ";",
            "؛",
            "«",
            "»",
            "|",
            "/",
            ">",
            "-",
            "–",
            "—",
            "*",
            "**",
            " ",
            "  ",
            "\t",
            "\u{200f}",
            "\u{200e}",
            "\u{a0}",
            ":",
            "：",
            "11",
            "04",
            "2024",
            "1404",
            "۱۴۰۴",
            "٫",
            "۲۹",
            "7",
            "The",
            "the",
            "Über",
            "مرتبط",
            "است",
            "في",
            "و",
            "شنبه",
            "January",
            "read",
            "more",
            "?",
            "!",
            "…",
            "'",
            "\"",
            "”",
            "中文",
            "cafe\u{0301}",
            "Ǆ",
            "ـ",
            "\u{200c}",
            "1.",
            "2)",
            "•",
            "▪",
            "→",
            "›",
            "x*",
            "\u{0301}",
            "p",
            "m",
            "htt",
            ".co",
            "ab",
            "\u{0600}",
            "ٵ",
            "𝐀",
            "😀",
            "❯",
            "⇒",
            "←",
            " / ",
            " > ",
            // Words the shipped vocabulary weighs, and one with a digit it never does.
            " newsletter ",
            " privacy ",
            " although ",
            "Subscribe",
            "cookies2",
            " - ",
            "Tags:",
            "Related：",
            "\r",
            // Sentence marks between words (`inner_sentence`).
            ". ",
            "。",
            "؟ ",
            "Dr",
        ];
        let n = Normalizer::default();
        let model = crate::chrome::LineModel::builtin();
        let v = &model.vocabulary;
        let mut state = 11u64;
        for _ in 0..20_000 {
            let mut line = String::new();
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let len = (state >> 60) as usize + 1;
            for _ in 0..len {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                line.push_str(pieces[(state >> 33) as usize % pieces.len()]);
            }
            assert_eq!(
                features(&line, &n, v),
                super::features(&line, &n, v),
                "{line:?}"
            );
        }
        #[cfg(feature = "generate")]
        {
            let config = crate::generate::Config {
                docs: 400,
                ..crate::generate::Config::default()
            };
            let generator = crate::generate::Generator::new(&config, 9).unwrap();
            for i in 0..config.docs {
                for line in generator.document(i).text.lines() {
                    assert_eq!(
                        features(line, &n, v),
                        super::features(line, &n, v),
                        "{line:?}"
                    );
                }
            }
        }
    }
}
