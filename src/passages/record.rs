//! Passage records for scripts (JSON Lines, the type of [`crate::report::record`]) and
//! readable excerpts for people.

use super::{Outcome, Passage};
use crate::corpus::Corpus;
use crate::Result;
use std::collections::HashMap;

pub use crate::report::PassageRecord;

impl Outcome {
    /// One record per passage, in the order of [`Outcome::passages`].
    pub fn records(&self) -> Vec<PassageRecord> {
        self.passages.iter().map(|p| self.record(p)).collect()
    }

    /// The record of passage `p` (one of [`Outcome::passages`]): what [`Outcome::records`]
    /// holds for every passage at once, made one at a time where records are written or
    /// logged as they come (millions of passages at corpus scale, ~250 bytes each as records).
    pub fn record(&self, p: &Passage) -> PassageRecord {
        let id = |n: u32| self.ids.get(&n).cloned().unwrap_or_else(|| n.to_string());
        PassageRecord {
            id: id(p.doc),
            start: p.start,
            end: p.end,
            line: p.line,
            of: id(p.of_doc),
            of_start: Some(p.of_start),
            of_end: Some(p.of_end),
            of_line: Some(p.of_line),
            of_token_start: None,
            of_token_end: None,
            tokens: p.tokens,
            edits: p.edits,
            in_index: None,
        }
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
