//! The chrome lines of a corpus, stored compactly and spilled to a temporary file beyond a
//! memory budget: the most numerous findings of a scan (a dozen or more per page), which would
//! otherwise grow with the corpus at about 110 bytes each.
//!
//! Lines are appended a document at a time in corpus order as one *block* per document with
//! lines: the document's id once, then 42 bytes per line (offsets, line number, reason, score).
//! Blocks gather in memory; once they pass the budget they are appended to an unlinked temporary
//! file (see [`crate::spill`]: under `TMPDIR`, reclaimed by the system however the process ends)
//! and the buffer starts again. A document's block is found by binary search in an index of 12
//! bytes per document with lines, and read back whole, from memory or by a positioned read of
//! the file, so reads from several threads need no lock.
//!
//! Guarantees: every line reads back exactly as it was pushed (offsets, reason and score bit for
//! bit), in the order pushed, whatever the budget.

use super::{ChromeLine, Cue, Reason, Region, Span};
use crate::Result;
use std::borrow::Cow;
use std::fs::File;
use std::io::Write;
use std::ops::Range;
use std::sync::Arc;

/// Bytes of one encoded line.
const LINE: usize = 42;

/// Chrome lines in corpus order, then line order (see the module documentation).
#[derive(Debug, Clone)]
pub struct ChromeLines {
    /// Blocks not yet spilled, from logical offset `spilled` on.
    memory: Vec<u8>,
    /// Blocks spilled, from logical offset 0 to `spilled`.
    file: Option<Arc<File>>,
    spilled: u64,
    budget: usize,
    /// Document number of each block, ascending.
    docs: Vec<u32>,
    /// Logical offset of each block.
    offsets: Vec<u64>,
    /// The distinct (region, cue) pairs seen; a line names its pair by index.
    kinds: Vec<(Region, Cue)>,
    len: usize,
}

impl Default for ChromeLines {
    fn default() -> Self {
        ChromeLines::new(crate::spill::DEFAULT_MEMORY)
    }
}

/// Documents [`ChromeLines::render_each`] renders at once: ~16 000 lines of news, a few MB of
/// records in memory, and chunks large enough that the threads' start-up does not show.
const RENDER_CHUNK: usize = 1024;

impl ChromeLines {
    /// An empty store keeping at most about `budget` bytes of lines in memory.
    pub fn new(budget: u64) -> Self {
        ChromeLines {
            memory: Vec::new(),
            file: None,
            spilled: 0,
            budget: usize::try_from(budget).unwrap_or(usize::MAX),
            docs: Vec::new(),
            offsets: Vec::new(),
            kinds: Vec::new(),
            len: 0,
        }
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether there are no lines.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes written to the temporary file so far.
    pub fn bytes_spilled(&self) -> u64 {
        self.spilled
    }

    /// Appends the chrome lines of document `doc` (numbered above every document pushed so
    /// far; nothing is stored when `spans` is empty).
    pub fn push(&mut self, doc: u32, id: &str, spans: &[Span]) -> Result<()> {
        if spans.is_empty() {
            return Ok(());
        }
        debug_assert!(self.docs.last().is_none_or(|&d| d < doc));
        self.docs.push(doc);
        self.offsets.push(self.spilled + self.memory.len() as u64);
        let m = &mut self.memory;
        m.extend_from_slice(&(id.len() as u32).to_le_bytes());
        m.extend_from_slice(id.as_bytes());
        m.extend_from_slice(&(spans.len() as u32).to_le_bytes());
        for s in spans {
            let pair = (s.reason.region, s.reason.cue);
            let kind = match self.kinds.iter().position(|k| *k == pair) {
                Some(k) => k,
                None => {
                    self.kinds.push(pair);
                    self.kinds.len() - 1
                }
            };
            let m = &mut self.memory;
            m.extend_from_slice(&(s.byte_start as u64).to_le_bytes());
            m.extend_from_slice(&(s.byte_end as u64).to_le_bytes());
            m.extend_from_slice(&s.line.to_le_bytes());
            m.push(kind as u8);
            m.push(s.reason.template.is_some() as u8 | (s.reason.copies.is_some() as u8) << 1);
            let (n, of) = s.reason.template.unwrap_or((0, 0));
            m.extend_from_slice(&n.to_le_bytes());
            m.extend_from_slice(&of.to_le_bytes());
            m.extend_from_slice(&s.reason.copies.unwrap_or(0).to_le_bytes());
            m.extend_from_slice(&s.score.to_bits().to_le_bytes());
        }
        self.len += spans.len();
        if self.memory.len() > self.budget {
            self.spill()?;
        }
        Ok(())
    }

    /// Moves the lines still in memory to the temporary file and frees their memory, when the
    /// store has spilled already (its corpus is beyond the budget): the stages that run after
    /// chrome detection then have the budget to themselves, and read a document's lines back
    /// from the file. A store within its budget stays in memory.
    pub fn spill_rest(&mut self) -> Result<()> {
        if self.file.is_some() {
            if !self.memory.is_empty() {
                self.spill()?;
            }
            self.memory = Vec::new();
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        let file = match &self.file {
            Some(f) => f,
            None => self.file.insert(Arc::new(crate::spill::temp_file()?)),
        };
        (&**file)
            .write_all(&self.memory)
            .map_err(crate::spill::io_error)?;
        self.spilled += self.memory.len() as u64;
        self.memory.clear();
        Ok(())
    }

    /// The encoded block of the `i`th document with lines.
    fn block(&self, i: usize) -> Result<Cow<'_, [u8]>> {
        let start = self.offsets[i];
        let end = self
            .offsets
            .get(i + 1)
            .copied()
            .unwrap_or(self.spilled + self.memory.len() as u64);
        if start >= self.spilled {
            let (s, e) = (
                (start - self.spilled) as usize,
                (end - self.spilled) as usize,
            );
            return Ok(Cow::Borrowed(&self.memory[s..e]));
        }
        let mut out = vec![0u8; (end - start) as usize];
        if let Some(file) = &self.file {
            crate::spill::read_at(file, &mut out, start).map_err(crate::spill::io_error)?;
        }
        Ok(Cow::Owned(out))
    }

    /// The id and the lines of the `i`th document's block `b`: `(id, line count, offset of
    /// the first line)`.
    fn header(b: &[u8]) -> (Cow<'_, str>, usize, usize) {
        let u32_at = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        let id_len = u32_at(0) as usize;
        let id = String::from_utf8_lossy(&b[4..4 + id_len]);
        (id, u32_at(4 + id_len) as usize, 8 + id_len)
    }

    /// The line encoded at offset `at` of block `b`.
    fn span_at(&self, b: &[u8], at: usize) -> Span {
        let u32_at = |at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
        let u64_at = |at: usize| {
            let mut x = [0u8; 8];
            x.copy_from_slice(&b[at..at + 8]);
            u64::from_le_bytes(x)
        };
        let (region, cue) = self.kinds[b[at + 20] as usize];
        let flags = b[at + 21];
        Span {
            byte_start: u64_at(at) as usize,
            byte_end: u64_at(at + 8) as usize,
            line: u32_at(at + 16),
            reason: Reason {
                region,
                cue,
                template: (flags & 1 != 0).then(|| (u32_at(at + 22), u32_at(at + 26))),
                copies: (flags & 2 != 0).then(|| u32_at(at + 30)),
            },
            score: f64::from_bits(u64_at(at + 34)),
        }
    }

    /// Renders every document's lines with `render` (the document's number, its id, its lines
    /// in line order), documents in parallel a chunk at a time, and hands the results to `each`
    /// in corpus order. A writer of records formats them on every core and still writes them in
    /// order: formatted one line at a time through [`ChromeLines::for_each`], the 1.6M records
    /// of a 100k-page `chaff scan` took its last ~1.5 s on one core while the other idled.
    pub fn render_each<T: Send, E: From<crate::Error> + Send>(
        &self,
        render: impl Fn(u32, &str, &[Span]) -> std::result::Result<T, E> + Sync,
        mut each: impl FnMut(T) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        use rayon::prelude::*;
        let n = self.docs.len();
        for lo in (0..n).step_by(RENDER_CHUNK) {
            let rendered: Vec<std::result::Result<T, E>> = (lo..(lo + RENDER_CHUNK).min(n))
                .into_par_iter()
                .map(|i| {
                    let block = self.block(i)?;
                    let (id, lines, first) = Self::header(&block);
                    let spans: Vec<Span> = (0..lines)
                        .map(|k| self.span_at(&block, first + k * LINE))
                        .collect();
                    render(self.docs[i], &id, &spans)
                })
                .collect();
            for r in rendered {
                each(r?)?;
            }
        }
        Ok(())
    }

    /// The lines of the `i`th document with lines.
    fn decode(&self, i: usize) -> Result<Vec<ChromeLine>> {
        let block = self.block(i)?;
        let (id, n, first) = Self::header(&block);
        Ok((0..n)
            .map(|k| {
                let s = self.span_at(&block, first + k * LINE);
                ChromeLine {
                    doc: self.docs[i],
                    id: id.clone().into_owned(),
                    byte_start: s.byte_start,
                    byte_end: s.byte_end,
                    line: s.line,
                    reason: s.reason,
                    score: s.score,
                }
            })
            .collect())
    }

    /// Calls `each` with every line (its document's number and id, the line), in corpus order
    /// then line order, allocating nothing per line: what a writer of records needs, where
    /// [`ChromeLines::iter`] gives each line its own copy of the id (an allocation a line, and
    /// a dozen lines a page).
    pub fn for_each<E: From<crate::Error>>(
        &self,
        mut each: impl FnMut(u32, &str, &Span) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        for (i, &doc) in self.docs.iter().enumerate() {
            let block = self.block(i)?;
            let (id, n, first) = Self::header(&block);
            for k in 0..n {
                each(doc, &id, &self.span_at(&block, first + k * LINE))?;
            }
        }
        Ok(())
    }

    /// The chrome lines of document `doc`, in line order.
    pub fn of_doc(&self, doc: u32) -> Result<Vec<ChromeLine>> {
        match self.docs.binary_search(&doc) {
            Ok(i) => self.decode(i),
            Err(_) => Ok(Vec::new()),
        }
    }

    /// The byte ranges of document `doc`'s chrome lines, in text order.
    ///
    /// Read from the block directly, not through [`ChromeLines::of_doc`]: the second
    /// near-duplicate search asks once a page and the passage filter once a passage found,
    /// and a whole line (with its own copy of the page's id) cost an allocation a line that
    /// only its offsets are read from.
    pub fn ranges_of(&self, doc: u32) -> Result<Vec<Range<usize>>> {
        let Ok(i) = self.docs.binary_search(&doc) else {
            return Ok(Vec::new());
        };
        let block = self.block(i)?;
        let b = &block[..];
        let u64_at = |at: usize| {
            let mut x = [0u8; 8];
            x.copy_from_slice(&b[at..at + 8]);
            u64::from_le_bytes(x) as usize
        };
        let id_len = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
        let at = 4 + id_len;
        let n = u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize;
        let first = at + 4;
        Ok((0..n)
            .map(|k| {
                let at = first + k * LINE;
                u64_at(at)..u64_at(at + 8)
            })
            .collect())
    }

    /// Every line, in corpus order then line order, read back a document at a time.
    pub fn iter(&self) -> impl Iterator<Item = Result<ChromeLine>> + '_ {
        (0..self.docs.len()).flat_map(move |i| {
            let lines: Vec<Result<ChromeLine>> = match self.decode(i) {
                Ok(lines) => lines.into_iter().map(Ok).collect(),
                Err(e) => vec![Err(e)],
            };
            lines
        })
    }

    /// The lines whose score reaches `min`, in a store of their own with `budget` bytes.
    pub fn at_least(&self, min: f64, budget: u64) -> Result<ChromeLines> {
        let mut out = ChromeLines::new(budget);
        for (i, &doc) in self.docs.iter().enumerate() {
            let lines = self.decode(i)?;
            let spans: Vec<Span> = lines
                .iter()
                .filter(|l| l.score >= min)
                .map(|l| Span {
                    byte_start: l.byte_start,
                    byte_end: l.byte_end,
                    line: l.line,
                    reason: l.reason,
                    score: l.score,
                })
                .collect();
            if let Some(first) = lines.first() {
                out.push(doc, &first.id, &spans)?;
            }
        }
        Ok(out)
    }

    /// Every line as a record (for a corpus whose records fit in memory).
    pub fn records(&self) -> Result<Vec<crate::report::ChromeRecord>> {
        self.iter().map(|l| l.map(|l| (&l).into())).collect()
    }

    /// Every line in a vector (for a corpus whose lines fit in memory).
    pub fn to_vec(&self) -> Result<Vec<ChromeLine>> {
        self.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(k: u32) -> Span {
        Span {
            byte_start: k as usize * 100,
            byte_end: k as usize * 100 + 40 + k as usize,
            line: k + 1,
            reason: Reason {
                region: [Region::Header, Region::Body, Region::Footer][k as usize % 3],
                cue: [Cue::Date, Cue::Template, Cue::LineModel][k as usize % 3],
                template: (k % 2 == 0).then_some((k, 3 * k + 1)),
                copies: (k % 5 == 0).then_some(k),
            },
            score: 1.0 / (k as f64 + 3.0),
        }
    }

    fn lines_of(budget: u64, docs: u32) -> (ChromeLines, Vec<ChromeLine>) {
        let mut store = ChromeLines::new(budget);
        let mut expected = Vec::new();
        for doc in (0..docs).filter(|d| d % 3 != 1) {
            let spans: Vec<Span> = (0..doc % 7).map(span).collect();
            let id = format!("page-{doc}-ü");
            store.push(doc, &id, &spans).unwrap();
            expected.extend(spans.iter().map(|s| ChromeLine {
                doc,
                id: id.clone(),
                byte_start: s.byte_start,
                byte_end: s.byte_end,
                line: s.line,
                reason: s.reason,
                score: s.score,
            }));
        }
        (store, expected)
    }

    #[test]
    fn lines_read_back_after_the_rest_is_spilled() {
        let (mut kept, expected) = lines_of(u64::MAX, 300);
        kept.spill_rest().unwrap();
        assert_eq!(
            kept.bytes_spilled(),
            0,
            "a store within budget stays in memory"
        );
        let (mut partly, _) = lines_of(2_000, 300);
        let before = partly.bytes_spilled();
        assert!(before > 0);
        partly.spill_rest().unwrap();
        assert!(partly.bytes_spilled() >= before);
        assert!(partly.memory.capacity() == 0);
        assert_eq!(partly.to_vec().unwrap(), expected);
        assert_eq!(kept.to_vec().unwrap(), expected);
        // Line by line with a borrowed id, the same lines.
        for store in [&partly, &kept] {
            let mut seen = Vec::new();
            store
                .for_each(|doc, id, s| {
                    seen.push(ChromeLine {
                        doc,
                        id: id.to_string(),
                        byte_start: s.byte_start,
                        byte_end: s.byte_end,
                        line: s.line,
                        reason: s.reason,
                        score: s.score,
                    });
                    Ok::<(), crate::Error>(())
                })
                .unwrap();
            assert_eq!(seen, expected);
        }
    }

    #[test]
    fn lines_read_back_as_pushed_whether_spilled_or_not() {
        let (kept, expected) = lines_of(u64::MAX, 300);
        let (spilled, _) = lines_of(0, 300);
        assert_eq!(kept.bytes_spilled(), 0);
        assert!(spilled.bytes_spilled() > 0);
        for store in [&kept, &spilled] {
            assert_eq!(store.len(), expected.len());
            assert_eq!(store.to_vec().unwrap(), expected);
            let of_5: Vec<ChromeLine> = expected.iter().filter(|l| l.doc == 5).cloned().collect();
            assert_eq!(store.of_doc(5).unwrap(), of_5);
            assert!(
                store.of_doc(4).unwrap().is_empty(),
                "document 4 has no lines"
            );
            for doc in 0..301 {
                let ranges: Vec<Range<usize>> = expected
                    .iter()
                    .filter(|l| l.doc == doc)
                    .map(|l| l.byte_start..l.byte_end)
                    .collect();
                assert_eq!(store.ranges_of(doc).unwrap(), ranges, "document {doc}");
            }
        }
    }
}
