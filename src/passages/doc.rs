//! The compact per-document state of the extension pass: token hashes with their byte ranges and
//! what lies between tokens (sentence and line breaks, opening and closing punctuation), so spans
//! can be snapped and mapped to readable byte ranges without keeping the text.

use crate::text::Normalizer;
use crate::{Error, Result};

/// A sentence terminator or a line break lies between the previous token and this one (or this
/// is the first token).
pub(crate) const BREAK_BEFORE: u8 = 1;
/// A line break lies between the previous token and this one (or this is the first token).
pub(crate) const LINE_BEFORE: u8 = 2;
/// The byte before this token's leading punctuation is white space, or the text starts there.
pub(crate) const SPACE_BEFORE: u8 = 4;
/// Only horizontal white space lies between this token's trailing punctuation and the next
/// token's leading punctuation.
pub(crate) const HSPACE_AFTER: u8 = 8;

/// One token of the extension pass (24 bytes with padding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tok {
    /// Hash of the folded token.
    pub hash: u64,
    /// Byte offset of the token in the original text.
    pub start: u32,
    /// Byte offset just past the token.
    pub end: u32,
    /// Bytes of opening punctuation (« ( " …) glued to the token's start.
    pub lead: u8,
    /// Bytes of closing punctuation (. ، » …) glued to the token's end.
    pub trail: u8,
    /// The first character of that punctuation (`'\0'` when there is none).
    pub trail_first: char,
    /// Bit set of `BREAK_BEFORE`, `LINE_BEFORE`, `SPACE_BEFORE`, `HSPACE_AFTER`.
    pub flags: u8,
}

impl Tok {
    /// Start of the token including its opening punctuation.
    pub fn outer_start(&self) -> usize {
        self.start as usize - self.lead as usize
    }

    /// End of the token including its closing punctuation.
    pub fn outer_end(&self) -> usize {
        self.end as usize + self.trail as usize
    }

    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// A document reduced to what extension and snapping need.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocTokens {
    pub toks: Vec<Tok>,
    /// Byte offsets where lines 2, 3, … start.
    pub line_starts: Vec<u32>,
}

/// Characters that end a sentence or clause in Persian, Arabic and Latin-script text.
fn is_terminator(c: char) -> bool {
    matches!(
        c,
        '.' | '!' | '?' | ';' | '؟' | '؛' | '،' | '۔' | '…' | '\n' | '\u{2029}'
    )
}

/// Characters that open a quotation or bracket and belong to the word after them.
fn is_opener(c: char) -> bool {
    matches!(
        c,
        '«' | '(' | '[' | '{' | '“' | '‘' | '‹' | '„' | '"' | '\''
    )
}

impl DocTokens {
    /// Tokenizes `text`; fails on texts whose offsets do not fit 32 bits.
    pub fn new(text: &str, normalizer: &Normalizer) -> Result<DocTokens> {
        if text.len() > u32::MAX as usize {
            return Err(Error::Usage(format!(
                "a document of {} bytes is too large for passage search (at most 4 GiB)",
                text.len()
            )));
        }
        let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 6);
        let mut prev_end = 0usize;
        normalizer.for_each_token(text, |t| {
            let gap = &text[prev_end..t.start];
            let gap_info = Gap::of(gap, toks.is_empty());
            if let Some(prev) = toks.last_mut() {
                prev.trail = gap_info.trail;
                prev.trail_first = gap_info.trail_first;
                if gap_info.hspace_only {
                    prev.flags |= HSPACE_AFTER;
                }
            }
            let lead_start = t.start - gap_info.lead as usize;
            let space_before = text[..lead_start]
                .chars()
                .next_back()
                .is_none_or(char::is_whitespace);
            let mut flags = 0;
            if gap_info.sentence_break {
                flags |= BREAK_BEFORE;
            }
            if gap_info.line_break {
                flags |= LINE_BEFORE;
            }
            if space_before {
                flags |= SPACE_BEFORE;
            }
            toks.push(Tok {
                hash: t.hash,
                start: t.start as u32,
                end: t.end as u32,
                lead: gap_info.lead,
                trail: 0,
                trail_first: '\0',
                flags,
            });
            prev_end = t.end;
        });
        if let Some(last) = toks.last_mut() {
            let gap = Gap::of(&text[prev_end..], false);
            last.trail = gap.trail;
            last.trail_first = gap.trail_first;
        }
        let line_starts = memchr::memchr_iter(b'\n', text.as_bytes())
            .map(|i| (i + 1) as u32)
            .collect();
        Ok(DocTokens { toks, line_starts })
    }

    /// Token hashes, for fingerprinting.
    pub fn hashes(&self) -> Vec<u64> {
        self.toks.iter().map(|t| t.hash).collect()
    }

    /// 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s as usize <= offset) + 1
    }

    /// Whether a sentence or line ends after token `i`.
    pub fn break_after(&self, i: usize) -> bool {
        self.toks.get(i + 1).is_none_or(|t| t.has(BREAK_BEFORE))
    }
}

/// What lies between two tokens.
struct Gap {
    sentence_break: bool,
    line_break: bool,
    /// Closing punctuation glued to the previous token.
    trail: u8,
    trail_first: char,
    /// Opening punctuation glued to the next token.
    lead: u8,
    hspace_only: bool,
}

impl Gap {
    fn of(gap: &str, at_text_start: bool) -> Gap {
        let trail_len: usize = gap
            .chars()
            .take_while(|&c| !c.is_whitespace() && !is_opener(c))
            .map(char::len_utf8)
            .sum();
        let lead_len: usize = gap[trail_len..]
            .chars()
            .rev()
            .take_while(|&c| is_opener(c))
            .map(char::len_utf8)
            .sum();
        let middle = &gap[trail_len..gap.len() - lead_len];
        let trail = u8::try_from(trail_len).unwrap_or(0);
        let line_break = at_text_start || gap.contains('\n');
        // A full stop inside a number or abbreviation ("3.5", "U.S") is no sentence break, so a
        // terminator counts only when white space follows it somewhere in the gap.
        let sentence_break = line_break
            || gap.char_indices().any(|(i, c)| {
                is_terminator(c) && (c != '.' || gap[i..].chars().any(char::is_whitespace))
            });
        Gap {
            sentence_break,
            line_break,
            // Punctuation runs longer than a u8 are not glued to anything (a row of dashes).
            trail,
            trail_first: if trail > 0 {
                gap.chars().next().unwrap_or('\0')
            } else {
                '\0'
            },
            lead: u8::try_from(lead_len).unwrap_or(0),
            hspace_only: !middle.is_empty()
                && middle
                    .chars()
                    .all(|c| c == ' ' || c == '\t' || c == '\u{00A0}'),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> DocTokens {
        DocTokens::new(text, &Normalizer::default()).unwrap()
    }

    #[test]
    fn breaks_follow_persian_and_latin_punctuation_and_newlines() {
        let d = doc("یک دو، سه چهار؟ پنج\nشش 3.5 هفت");
        let breaks: Vec<bool> = d.toks.iter().map(|t| t.has(BREAK_BEFORE)).collect();
        // یک | دو | ، سه | چهار | ؟ پنج | \n شش | 3 | . 5 | هفت
        assert_eq!(
            breaks,
            vec![true, false, true, false, true, true, false, false, false]
        );
        assert!(d.toks[5].has(LINE_BEFORE) && !d.toks[4].has(LINE_BEFORE));
    }

    #[test]
    fn punctuation_is_glued_to_the_word_it_belongs_to() {
        let text = "گفت: «سلام دنیا». بعد";
        let d = doc(text);
        let t = &d.toks;
        assert_eq!(&text[t[0].start as usize..t[0].outer_end()], "گفت:");
        assert_eq!(&text[t[1].outer_start()..t[1].end as usize], "«سلام");
        assert_eq!(&text[t[2].start as usize..t[2].outer_end()], "دنیا».");
        assert!(t[0].has(HSPACE_AFTER) && t[2].has(HSPACE_AFTER));
        assert!(t[1].has(SPACE_BEFORE));
    }

    #[test]
    fn lines_are_one_based() {
        let d = doc("a\nb\n\nc");
        assert_eq!(d.line_of(0), 1);
        assert_eq!(d.line_of(2), 2);
        assert_eq!(d.line_of(5), 4);
    }
}
