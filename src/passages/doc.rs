//! The compact per-document state of the extension pass: token hashes with their byte ranges and
//! what lies between tokens (sentence and line breaks, opening and closing punctuation), so spans
//! can be snapped and mapped to readable byte ranges without keeping the text.
//!
//! Over a corpus only the tokens near a repeated fingerprint are kept ([`DocTokens::around`]):
//! every token of a repeat of at least `N = min_tokens` tokens lies within `N - k` tokens of a
//! fingerprint shared by both copies (the one selected by a window of `N` tokens holding it), so
//! runs of `N` tokens either side of every repeated fingerprint hold every such repeat in both
//! copies, plus the token on each side that snapping and cutting look at.

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

/// A document reduced to what extension and snapping need: some or all of its tokens, in runs.
#[derive(Debug, Clone, Default)]
pub(crate) struct DocTokens {
    /// The kept tokens, run after run.
    toks: Vec<Tok>,
    /// Per run: index (in the document) of its first token, and where it starts in `toks`.
    /// Runs are sorted and never touch, so the token just past a run is not kept.
    runs: Vec<(u32, u32)>,
    /// Tokens in the whole document, kept or not.
    len: u32,
    /// Byte offsets where lines 2, 3, … start.
    line_starts: Vec<u32>,
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
    /// Tokenizes `text` and keeps every token; fails on texts whose offsets do not fit 32 bits.
    pub fn new(text: &str, normalizer: &Normalizer) -> Result<DocTokens> {
        let toks = all_tokens(text, normalizer)?;
        let len = toks.len() as u32;
        Ok(DocTokens {
            runs: if toks.is_empty() {
                Vec::new()
            } else {
                vec![(0, 0)]
            },
            toks,
            len,
            line_starts: line_starts(text),
        })
    }

    /// Tokenizes `text` and keeps only the tokens within `radius` of a position in `seeds`
    /// (sorted token indices), merged into runs.
    pub fn around(
        text: &str,
        normalizer: &Normalizer,
        seeds: &[u32],
        radius: usize,
    ) -> Result<DocTokens> {
        let all = all_tokens(text, normalizer)?;
        let len = all.len();
        let mut toks = Vec::new();
        let mut runs: Vec<(u32, u32)> = Vec::new();
        let mut kept_to = 0usize;
        for &seed in seeds {
            let from = (seed as usize).saturating_sub(radius).max(kept_to);
            let to = (seed as usize).saturating_add(radius + 1).min(len);
            if from >= to {
                continue;
            }
            // A run that starts where the last one ended continues it, so runs never touch.
            if from > kept_to || runs.is_empty() {
                runs.push((from as u32, toks.len() as u32));
            }
            toks.extend_from_slice(&all[from..to]);
            kept_to = to;
        }
        toks.shrink_to_fit();
        Ok(DocTokens {
            toks,
            runs,
            len: len as u32,
            line_starts: line_starts(text),
        })
    }

    /// Tokens in the whole document.
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// Bytes the kept state holds on the heap: tokens, runs and line starts.
    pub fn heap_bytes(&self) -> usize {
        self.toks.len() * std::mem::size_of::<Tok>()
            + self.runs.len() * std::mem::size_of::<(u32, u32)>()
            + self.line_starts.len() * std::mem::size_of::<u32>()
    }

    /// Tokens kept.
    pub fn kept(&self) -> usize {
        self.toks.len()
    }

    /// The run holding token `i`: the index of its first token and its tokens.
    pub fn run(&self, i: usize) -> Option<(usize, &[Tok])> {
        let r = self.runs.partition_point(|&(first, _)| first as usize <= i);
        let (first, at) = *self.runs.get(r.checked_sub(1)?)?;
        let end = self
            .runs
            .get(r)
            .map_or(self.toks.len(), |&(_, e)| e as usize);
        let run = &self.toks[at as usize..end];
        (i - (first as usize) < run.len()).then_some((first as usize, run))
    }

    /// Token `i`, when kept.
    pub fn get(&self, i: usize) -> Option<&Tok> {
        self.run(i).map(|(first, run)| &run[i - first])
    }

    /// Token hashes of a document whose tokens are all kept, for fingerprinting.
    pub fn hashes(&self) -> Vec<u64> {
        self.toks.iter().map(|t| t.hash).collect()
    }

    /// 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&s| s as usize <= offset) + 1
    }

    /// Whether a sentence or line ends after token `i` (false when the next token is not kept).
    pub fn break_after(&self, i: usize) -> bool {
        i + 1 >= self.len() || self.get(i + 1).is_some_and(|t| t.has(BREAK_BEFORE))
    }

    /// Appends the state to `out` for [`DocTokens::from_bytes`]: the extension pass parks
    /// documents it keeps long in a temporary file (see `Pass2` in the module above).
    pub fn to_bytes(&self, out: &mut Vec<u8>) {
        for n in [self.toks.len(), self.runs.len(), self.line_starts.len()] {
            out.extend_from_slice(&(n as u32).to_le_bytes());
        }
        out.extend_from_slice(&self.len.to_le_bytes());
        for t in &self.toks {
            out.extend_from_slice(&t.hash.to_le_bytes());
            out.extend_from_slice(&t.start.to_le_bytes());
            out.extend_from_slice(&t.end.to_le_bytes());
            out.extend_from_slice(&[t.lead, t.trail, t.flags]);
            out.extend_from_slice(&(t.trail_first as u32).to_le_bytes());
        }
        for &(first, at) in &self.runs {
            out.extend_from_slice(&first.to_le_bytes());
            out.extend_from_slice(&at.to_le_bytes());
        }
        for s in &self.line_starts {
            out.extend_from_slice(&s.to_le_bytes());
        }
    }

    /// The state written by [`DocTokens::to_bytes`]. Pass 2 reads thousands of parked
    /// documents back for every batch at the 3M-at-2G ratio: the tokens are decoded in fixed
    /// chunks, with no per-field bounds check through closures.
    pub fn from_bytes(b: &[u8]) -> DocTokens {
        const TOK: usize = 23;
        let u32_of = |x: &[u8]| u32::from_le_bytes(x.try_into().unwrap_or([0; 4]));
        let (toks, runs) = (u32_of(&b[0..4]) as usize, u32_of(&b[4..8]) as usize);
        let (lines, len) = (u32_of(&b[8..12]) as usize, u32_of(&b[12..16]));
        let runs_at = 16 + toks * TOK;
        let lines_at = runs_at + runs * 8;
        let toks = b[16..runs_at]
            .chunks_exact(TOK)
            .map(|t| Tok {
                hash: u64::from_le_bytes(t[0..8].try_into().unwrap_or([0; 8])),
                start: u32_of(&t[8..12]),
                end: u32_of(&t[12..16]),
                lead: t[16],
                trail: t[17],
                flags: t[18],
                trail_first: char::from_u32(u32_of(&t[19..23])).unwrap_or('\0'),
            })
            .collect();
        let runs = b[runs_at..lines_at]
            .chunks_exact(8)
            .map(|r| (u32_of(&r[0..4]), u32_of(&r[4..8])))
            .collect();
        let line_starts = b[lines_at..lines_at + lines * 4]
            .chunks_exact(4)
            .map(u32_of)
            .collect();
        DocTokens {
            toks,
            runs,
            len,
            line_starts,
        }
    }
}

fn line_starts(text: &str) -> Vec<u32> {
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(|i| (i + 1) as u32)
        .collect()
}

/// Every token of `text` with its flags; fails on texts whose offsets do not fit 32 bits.
fn all_tokens(text: &str, normalizer: &Normalizer) -> Result<Vec<Tok>> {
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
    Ok(toks)
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

    #[test]
    fn windows_around_seeds_merge_into_runs_that_never_touch() {
        let text = (0..40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let n = Normalizer::default();
        let full = DocTokens::new(&text, &n).unwrap();
        // Seeds 5 and 9 with radius 2 give 3..=11 as one run; 30 gives 28..=32; 39 gives 37..=39.
        let d = DocTokens::around(&text, &n, &[5, 9, 30, 39], 2).unwrap();
        assert_eq!((d.len(), d.kept()), (40, 9 + 5 + 3));
        for i in 0..40 {
            let kept = (3..=11).contains(&i) || (28..=32).contains(&i) || i >= 37;
            assert_eq!(d.get(i).copied(), kept.then(|| full.toks[i]), "token {i}");
        }
        assert_eq!(
            d.run(10).map(|(first, run)| (first, run.len())),
            Some((3, 9))
        );
        assert!(d.run(12).is_none() && d.run(40).is_none());
        // The last token of the document ends a sentence; an unkept next token says nothing.
        assert!(d.break_after(39) && !d.break_after(11));
    }

    #[test]
    fn a_state_read_back_is_the_one_written() {
        let n = Normalizer::default();
        let long = (0..300).map(|i| format!("w{i}.\n")).collect::<String>();
        let short = "یک «دو» سه؟\nچهار 3.5 پنج";
        for written in [
            DocTokens::around(short, &n, &[1, 4], 2).unwrap(),
            DocTokens::around(&long, &n, &[10, 200], 5).unwrap(),
            DocTokens::new(&long, &n).unwrap(),
        ] {
            let mut bytes = Vec::new();
            written.to_bytes(&mut bytes);
            let read = DocTokens::from_bytes(&bytes);
            assert_eq!(read.toks, written.toks);
            assert_eq!(read.runs, written.runs);
            assert_eq!(read.line_starts, written.line_starts);
            assert_eq!(read.len, written.len);
        }
    }
}
