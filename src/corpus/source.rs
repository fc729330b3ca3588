//! The document-source seam: where a stage's documents come from.
//!
//! A stage that reads documents (near-duplicate search, for one) takes them from a
//! [`DocumentSource`] rather than from files: [`Corpus`] streams a corpus from disk, [`Texts`]
//! holds texts already in memory (a library caller's batch, a binding's list of strings).
//!
//! Numbering is part of the contract, because corpus order decides which copy of a
//! near-duplicate is kept: a source hands documents out in batches, in increasing
//! [`Document::number`] order, numbered densely from 0, and every pass over the same source gives
//! every document the same number.

use super::{Corpus, Document, Origin};
use crate::Result;

/// Documents for a stage to read, in corpus order, as often as the stage needs.
pub trait DocumentSource: Sync {
    /// Calls `each_batch` with every document, a batch at a time, numbered `0, 1, 2, ...` in
    /// corpus order; stops at the first error, of the source or of `each_batch`.
    fn for_each_batch(&self, each_batch: &mut dyn FnMut(Vec<Document>) -> Result<()>)
        -> Result<()>;

    /// Like [`DocumentSource::for_each_batch`], but hands out only the documents whose number
    /// `wanted` accepts, numbered as that method numbers them (for a second pass that needs a
    /// few documents of a source read once).
    fn for_each_selected_batch(
        &self,
        wanted: &(dyn Fn(u32) -> bool + Sync),
        each_batch: &mut dyn FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<()>;
}

impl DocumentSource for Corpus {
    fn for_each_batch(
        &self,
        each_batch: &mut dyn FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<()> {
        self.read(false, each_batch)
    }

    fn for_each_selected_batch(
        &self,
        wanted: &(dyn Fn(u32) -> bool + Sync),
        each_batch: &mut dyn FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<()> {
        self.read_selected(wanted, each_batch)
    }
}

/// One text held in memory, with the id and source it is reported under.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Text {
    id: String,
    source: Option<String>,
    text: String,
}

/// Texts held in memory, numbered in the order they were given: the in-memory
/// [`DocumentSource`].
///
/// A document's [`Origin`] has `file` 0 and `line` its 1-based position, since there is no file.
///
/// ```
/// use chaff::corpus::{DocumentSource, Texts};
///
/// let texts = Texts::from_texts(["first text", "second text"]);
/// let mut ids = Vec::new();
/// texts.for_each_batch(&mut |batch| {
///     ids.extend(batch.into_iter().map(|d| (d.number, d.id)));
///     Ok(())
/// })?;
/// assert_eq!(ids, [(0, "0".to_string()), (1, "1".to_string())]);
/// # Ok::<(), chaff::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    texts: Vec<Text>,
}

/// Bytes of text handed out per batch, as [`Corpus`] does for files.
const BATCH_BYTES: usize = 8 << 20;

impl Texts {
    /// No texts yet.
    pub fn new() -> Texts {
        Texts::default()
    }

    /// Texts without ids or sources: each is named by its number (`"0"`, `"1"`, ...).
    pub fn from_texts<S: Into<String>>(texts: impl IntoIterator<Item = S>) -> Texts {
        let mut out = Texts::new();
        for text in texts {
            let id = out.len().to_string();
            out.push(id, None, text);
        }
        out
    }

    /// Appends a document; it gets the next number.
    pub fn push(&mut self, id: impl Into<String>, source: Option<String>, text: impl Into<String>) {
        self.texts.push(Text {
            id: id.into(),
            source,
            text: text.into(),
        });
    }

    /// Number of texts.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// True when there is no text.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    fn batches(
        &self,
        wanted: Option<&(dyn Fn(u32) -> bool + Sync)>,
        each_batch: &mut dyn FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<()> {
        if self.texts.len() > u32::MAX as usize {
            return Err(crate::Error::Usage("more than 4 billion documents".into()));
        }
        let mut batch = Vec::new();
        let mut bytes = 0usize;
        for (number, t) in self.texts.iter().enumerate() {
            let number = number as u32;
            if wanted.is_some_and(|wanted| !wanted(number)) {
                continue;
            }
            bytes += t.text.len();
            batch.push(Document {
                number,
                id: t.id.clone(),
                source: t.source.clone(),
                text: t.text.clone(),
                origin: Origin {
                    file: 0,
                    line: u64::from(number) + 1,
                },
                raw: None,
            });
            if bytes >= BATCH_BYTES {
                bytes = 0;
                each_batch(std::mem::take(&mut batch))?;
            }
        }
        if !batch.is_empty() {
            each_batch(batch)?;
        }
        Ok(())
    }
}

impl DocumentSource for Texts {
    fn for_each_batch(
        &self,
        each_batch: &mut dyn FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<()> {
        self.batches(None, each_batch)
    }

    fn for_each_selected_batch(
        &self,
        wanted: &(dyn Fn(u32) -> bool + Sync),
        each_batch: &mut dyn FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<()> {
        self.batches(Some(wanted), each_batch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selected_batches_keep_the_numbers_of_a_full_pass() {
        let texts = Texts::from_texts((0..10).map(|i| format!("text {i}")));
        let mut seen = Vec::new();
        texts
            .for_each_selected_batch(&|n| n % 3 == 0, &mut |batch| {
                seen.extend(batch.into_iter().map(|d| (d.number, d.text)));
                Ok(())
            })
            .unwrap();
        let expected: Vec<(u32, String)> = [0, 3, 6, 9]
            .into_iter()
            .map(|n| (n, format!("text {n}")))
            .collect();
        assert_eq!(seen, expected);
    }
}
