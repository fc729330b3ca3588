//! Passage records for scripts (JSON Lines) and readable excerpts for people.

use super::{Outcome, Passage};
use crate::corpus::Corpus;
use crate::Result;
use serde::Serialize;
use std::collections::HashMap;

/// A repeated passage as reported: the later copy (`id`, `start`, `end`, `line`) and the earlier
/// occurrence it repeats (`of`, `of_start`, `of_end`, `of_line`); offsets in bytes of the original
/// text, `end` exclusive, lines 1-based.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PassageRecord {
    /// Always `passage`.
    pub kind: &'static str,
    /// The document holding the later copy.
    pub id: String,
    /// Byte offset of the copy.
    pub start: usize,
    /// Byte offset just past the copy.
    pub end: usize,
    /// Line of the copy's start.
    pub line: usize,
    /// The document holding the earlier occurrence (may equal `id`).
    pub of: String,
    /// Byte offset of the earlier occurrence.
    pub of_start: usize,
    /// Byte offset just past the earlier occurrence.
    pub of_end: usize,
    /// Line of the earlier occurrence's start.
    pub of_line: usize,
    /// Tokens in the copy.
    pub tokens: usize,
    /// Near-exact mode only: token edits between the copy and the earlier occurrence, at most
    /// (0 for an exact repeat). Absent in exact mode, so its records stay as they were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edits: Option<u32>,
}

impl Outcome {
    /// One record per passage, in the order of [`Outcome::passages`].
    pub fn records(&self) -> Vec<PassageRecord> {
        let id = |n: u32| self.ids.get(&n).cloned().unwrap_or_else(|| n.to_string());
        self.passages
            .iter()
            .map(|p| PassageRecord {
                kind: "passage",
                id: id(p.doc),
                start: p.start,
                end: p.end,
                line: p.line,
                of: id(p.of_doc),
                of_start: p.of_start,
                of_end: p.of_end,
                of_line: p.of_line,
                tokens: p.tokens,
                edits: p.edits,
            })
            .collect()
    }
}

/// A one-line excerpt of `text[start..end]` of at most about `max_chars` characters: its
/// beginning and end joined by ` … ` when it is longer, line breaks shown as ` ⏎ `.
pub fn excerpt(text: &str, start: usize, end: usize, max_chars: usize) -> String {
    let Some(span) = text.get(start..end) else {
        return String::new();
    };
    let flat: String = span
        .trim()
        .chars()
        .map(|c| if c == '\n' { '⏎' } else { c })
        .filter(|c| *c != '\r')
        .collect();
    let count = flat.chars().count();
    if count <= max_chars {
        return flat;
    }
    let head = max_chars * 2 / 3;
    let tail = max_chars.saturating_sub(head);
    let first: String = flat.chars().take(head).collect();
    let last: String = flat.chars().skip(count - tail).collect();
    format!("{} … {}", first.trim_end(), last.trim_start())
}

/// Excerpts of both places of every passage (`(copy, earlier occurrence)`, in order), read with
/// one more pass over the corpus that keeps only the excerpts.
pub fn excerpts(
    corpus: &Corpus,
    passages: &[Passage],
    max_chars: usize,
) -> Result<Vec<(String, String)>> {
    let mut wanted: HashMap<u32, Vec<(usize, bool)>> = HashMap::new();
    for (i, p) in passages.iter().enumerate() {
        wanted.entry(p.doc).or_default().push((i, false));
        wanted.entry(p.of_doc).or_default().push((i, true));
    }
    let mut out = vec![(String::new(), String::new()); passages.len()];
    corpus.read(false, |batch| {
        for d in batch {
            let Some(list) = wanted.get(&d.number) else {
                continue;
            };
            for &(i, is_of) in list {
                let p = &passages[i];
                if is_of {
                    out[i].1 = excerpt(&d.text, p.of_start, p.of_end, max_chars);
                } else {
                    out[i].0 = excerpt(&d.text, p.start, p.end, max_chars);
                }
            }
        }
        Ok(())
    })?;
    Ok(out)
}
