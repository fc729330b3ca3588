//! The rendered page with its line table, and the truth records written beside the corpus.
//!
//! Offsets are UTF-8 byte offsets into the document's final `text`, end exclusive, and always on
//! `char` boundaries because they are taken from `String::len` after whole strings are pushed.
//! Lines are separated by a single `\n` that belongs to no line; line numbers are 1-based.

use serde::{Deserialize, Serialize};

/// One line of a rendered page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LineSpan {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) chrome: bool,
}

/// A document's text being built line by line, remembering which lines are chrome.
#[derive(Debug, Default)]
pub(crate) struct Page {
    pub(crate) text: String,
    pub(crate) lines: Vec<LineSpan>,
}

impl Page {
    /// Appends one line (which must not contain `\n`); returns its byte offset.
    pub(crate) fn line(&mut self, line: &str, chrome: bool) -> usize {
        debug_assert!(!line.contains('\n'), "a line holds no newline");
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        let start = self.text.len();
        self.text.push_str(line);
        self.lines.push(LineSpan {
            start,
            end: self.text.len(),
            chrome,
        });
        start
    }
}

/// Which planted mechanism produced a repeated passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Via {
    /// The lead paragraph repeated at the start of a later paragraph of the same document.
    Teaser,
    /// A passage of one document pasted into a few others.
    Quote,
    /// A site's disclaimer sentence pasted into many of its documents.
    Boilerplate,
}

/// How the repeated copy of a passage differs from the first occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// Byte-identical.
    Exact,
    /// ZWNJ stripped.
    Zwnj,
    /// Persian yeh/kaf written with the Arabic letters, or the reverse.
    YehKaf,
    /// Digits written in another script.
    Digits,
    /// A few words replaced, inserted or dropped (only with `near_passages`), at least 10 words
    /// from either end and 12 apart, so each edit-free stretch is 10 words or more.
    Edited,
}

/// What was done to a near-duplicate's body, besides its different chrome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edits {
    /// Words replaced, inserted or deleted.
    pub words: u32,
    /// ZWNJs stripped from, or added to, the body.
    pub zwnj: bool,
    /// ی/ک swapped with ي/ك.
    pub yeh_kaf: bool,
    /// Digits switched to another script.
    pub digits: bool,
}

/// One line of the truth file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Truth {
    /// Every document: its language and source.
    Doc {
        /// Document id.
        id: String,
        /// The `source` field of the document.
        source: String,
        /// ISO 639-1 language code.
        lang: String,
    },
    /// `id` is a near-duplicate copy of the earlier document `of`.
    Duplicate {
        /// The copy.
        id: String,
        /// The original it was made from.
        of: String,
        /// What was changed in the body.
        edits: Edits,
        /// The copy holds only the first half of the body: it is contained in `of`.
        truncated: bool,
        /// The same body republished on another site with that site's chrome.
        syndicated: bool,
    },
    /// Bytes `start..end` of `id` repeat bytes `of_start..of_end` of `of` (possibly `of == id`).
    Passage {
        /// The document holding the repeat.
        id: String,
        /// Byte offset of the repeat.
        start: usize,
        /// Byte offset just past the repeat.
        end: usize,
        /// The document holding the first occurrence.
        of: String,
        /// Byte offset of the first occurrence.
        of_start: usize,
        /// Byte offset just past the first occurrence.
        of_end: usize,
        /// The mechanism that planted it.
        via: Via,
        /// How the repeat's text differs from the first occurrence.
        variant: Variant,
    },
    /// Line `line` (1-based) of `id` spans bytes `start..end` and is chrome or content.
    Line {
        /// Document id.
        id: String,
        /// 1-based line number.
        line: usize,
        /// Byte offset of the line's first character.
        start: usize,
        /// Byte offset just past the line (the `\n` is excluded).
        end: usize,
        /// Site chrome (`true`) or article content (`false`).
        chrome: bool,
    },
}

/// Appends `record` as one JSON line.
pub(crate) fn push_record(out: &mut Vec<u8>, record: &Truth) {
    // Writing into a Vec cannot fail and Truth has no maps with non-string keys.
    serde_json::to_writer(&mut *out, record).expect("truth record serializes");
    out.push(b'\n');
}
