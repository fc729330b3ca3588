//! The line features of pass 1 kept for pass 2, packed, within a memory budget.
//!
//! Both passes of [`super::detect_with_model`] need every line's features: pass 1 for template
//! counts, line marks and titles, pass 2 to judge the page. Computing them is the largest cost
//! of chrome detection (two fifths of a `chaff chrome` run when done in both passes), so pass 1
//! keeps each page's lines, packed to 112 bytes a line (from 184 as [`Line`]), and pass 2 takes
//! them back instead of computing them again: the first pages in memory within a budget, the
//! rest written to a temporary file (about 83 bytes a line) and read back in corpus order, so
//! that pass 2 reads neither the corpus nor computes features, whatever the corpus size. Pages
//! whose line does not fit the packed form (a text past 4 GiB, a count past 65 535) are not
//! kept; then pass 2 reads the corpus and computes their features as before.
//!
//! Guarantees: a kept page unpacks to exactly the lines [`super::features::lines`] gives, from
//! memory or from the file; which pages are kept where changes the time taken, never the lines
//! found.

use super::features::{Features, Line};
use super::lexicon::Lang;
use crate::Result;
use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::sync::{Arc, Mutex};

/// One line's features in 112 bytes (see [`PackedLine::pack`]).
#[derive(Debug, Clone)]
pub(super) struct PackedLine {
    /// shape, exact, prefix2, head3, tail3, label, path.
    hashes: [u64; 7],
    start: u32,
    end: u32,
    /// tokens, words, numbers, quantities, chars, stop, ui, date_words, commas, capitalized,
    /// separators, and the words and the words the vocabulary weighs.
    counts: [u16; 13],
    /// The sum of their weights.
    vocab_sum: i32,
    /// Their least and greatest weight.
    vocab_range: [i8; 2],
    flags: u32,
    /// How the line ends: its rhyme, last word and the rhyme before it.
    ending: [u16; 3],
    /// The stopword list's index, [`NO_LIST`] for none.
    stop_lang: u8,
    /// The number of a numbered point, 0 for none.
    point: u8,
}

const NO_LIST: u8 = u8::MAX;

/// The flags, in bit order.
const STARTS_LOWER: u32 = 1;
const ADDRESS: u32 = 1 << 1;
const ENDS_SENTENCE: u32 = 1 << 2;
const ENDS_COLON: u32 = 1 << 3;
const TRUNCATED: u32 = 1 << 4;
const ENDS_STAR: u32 = 1 << 5;
const STARTS_STAR: u32 = 1 << 6;
const STAR_MARKER: u32 = 1 << 7;
const LEADING_SEPARATOR: u32 = 1 << 8;
const PATH_SEPARATOR: u32 = 1 << 9;
const BULLET: u32 = 1 << 10;
const CLOCK_OR_DATE: u32 = 1 << 11;
const COPYRIGHT: u32 = 1 << 12;
const LABEL_UI: u32 = 1 << 13;
const HAS_LABEL: u32 = 1 << 14;
const HAS_PATH: u32 = 1 << 15;
const INNER_SENTENCE: u32 = 1 << 16;

impl PackedLine {
    /// The packed form of `line`, or `None` when a value does not fit it.
    fn pack(line: &Line) -> Option<PackedLine> {
        let f = &line.f;
        let small = |n: u32| u16::try_from(n).ok();
        let counts = [
            small(f.tokens)?,
            small(f.words)?,
            small(f.numbers)?,
            small(f.quantities)?,
            small(f.chars)?,
            small(f.stop)?,
            small(f.ui)?,
            small(f.date_words)?,
            small(f.commas)?,
            small(f.capitalized)?,
            small(f.separators)?,
            small(f.vocab.words)?,
            small(f.vocab.known)?,
        ];
        // `lang` is the list's language when the list is one of Lang's (see features()).
        let stop_lang = match f.stop_lang {
            Some(i) if i != NO_LIST && f.lang == Lang::ALL.get(i as usize).copied() => i,
            Some(_) => return None,
            None if f.lang.is_none() => NO_LIST,
            None => return None,
        };
        let mut flags = 0;
        for (on, bit) in [
            (f.starts_lower, STARTS_LOWER),
            (f.address, ADDRESS),
            (f.ends_sentence, ENDS_SENTENCE),
            (f.ends_colon, ENDS_COLON),
            (f.truncated, TRUNCATED),
            (f.ends_star, ENDS_STAR),
            (f.starts_star, STARTS_STAR),
            (f.star_marker, STAR_MARKER),
            (f.leading_separator, LEADING_SEPARATOR),
            (f.path_separator, PATH_SEPARATOR),
            (f.bullet, BULLET),
            (f.clock_or_date, CLOCK_OR_DATE),
            (f.copyright, COPYRIGHT),
            (f.label_ui, LABEL_UI),
            (f.label.is_some(), HAS_LABEL),
            (f.path.is_some(), HAS_PATH),
            (f.inner_sentence, INNER_SENTENCE),
        ] {
            if on {
                flags |= bit;
            }
        }
        Some(PackedLine {
            hashes: [
                f.shape,
                f.exact,
                f.prefix2,
                f.head3,
                f.tail3,
                f.label.unwrap_or(0),
                f.path.unwrap_or(0),
            ],
            start: u32::try_from(line.start).ok()?,
            end: u32::try_from(line.end).ok()?,
            counts,
            flags,
            ending: [f.ending.rhyme, f.ending.word, f.ending.before],
            stop_lang,
            point: f.point,
            vocab_sum: f.vocab.sum,
            vocab_range: [f.vocab.min, f.vocab.max],
        })
    }

    /// The line back, as line `number` of its page.
    fn unpack(&self, number: u32) -> Line {
        let [tokens, words, numbers, quantities, chars, stop, ui, date_words, commas, capitalized, separators, vocab_words, known] =
            self.counts.map(u32::from);
        let [shape, exact, prefix2, head3, tail3, label, path] = self.hashes;
        let on = |bit: u32| self.flags & bit != 0;
        let stop_lang = (self.stop_lang != NO_LIST).then_some(self.stop_lang);
        Line {
            start: self.start as usize,
            end: self.end as usize,
            number,
            f: Features {
                tokens,
                words,
                numbers,
                quantities,
                chars,
                stop,
                ui,
                date_words,
                lang: stop_lang.and_then(|i| Lang::ALL.get(i as usize).copied()),
                stop_lang,
                commas,
                capitalized,
                starts_lower: on(STARTS_LOWER),
                address: on(ADDRESS),
                ends_sentence: on(ENDS_SENTENCE),
                ends_colon: on(ENDS_COLON),
                inner_sentence: on(INNER_SENTENCE),
                truncated: on(TRUNCATED),
                ends_star: on(ENDS_STAR),
                starts_star: on(STARTS_STAR),
                star_marker: on(STAR_MARKER),
                separators,
                leading_separator: on(LEADING_SEPARATOR),
                path_separator: on(PATH_SEPARATOR),
                bullet: on(BULLET),
                clock_or_date: on(CLOCK_OR_DATE),
                copyright: on(COPYRIGHT),
                shape,
                exact,
                prefix2,
                head3,
                tail3,
                label: on(HAS_LABEL).then_some(label),
                label_ui: on(LABEL_UI),
                path: on(HAS_PATH).then_some(path),
                point: self.point,
                ending: super::features::Ending {
                    rhyme: self.ending[0],
                    word: self.ending[1],
                    before: self.ending[2],
                },
                vocab: super::vocabulary::Weighed {
                    words: vocab_words,
                    known,
                    sum: self.vocab_sum,
                    min: self.vocab_range[0],
                    max: self.vocab_range[1],
                },
            },
        }
    }
}

/// A page's lines packed, or `None` when one of them does not fit the packed form.
pub(super) fn pack(lines: &[Line]) -> Option<Box<[PackedLine]>> {
    // Line numbers are implied by position: lines() numbers them from 1 without gaps.
    debug_assert!(lines.iter().zip(1..).all(|(l, n)| l.number == n));
    // Sized once: collected through `Option`, the vector knew no size and grew by doubling
    // (a reallocation and copy every few lines, then one more to shrink it).
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        out.push(PackedLine::pack(line)?);
    }
    Some(out.into_boxed_slice())
}

/// A page's lines unpacked.
pub(super) fn unpack(packed: &[PackedLine]) -> Vec<Line> {
    packed.iter().zip(1..).map(|(p, n)| p.unpack(n)).collect()
}

impl PackedLine {
    /// Appends the line to `out` for [`PackedLine::read`]: 92 bytes, 8 more for a label and 8
    /// for a path (most lines have neither).
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.flags.to_le_bytes());
        let [shape, exact, prefix2, head3, tail3, label, path] = self.hashes;
        let optional = [
            (true, shape),
            (true, exact),
            (true, prefix2),
            (true, head3),
            (true, tail3),
            (self.flags & HAS_LABEL != 0, label),
            (self.flags & HAS_PATH != 0, path),
        ];
        for (_, h) in optional.iter().filter(|(on, _)| *on) {
            out.extend_from_slice(&h.to_le_bytes());
        }
        out.extend_from_slice(&self.start.to_le_bytes());
        out.extend_from_slice(&self.end.to_le_bytes());
        for c in &self.counts {
            out.extend_from_slice(&c.to_le_bytes());
        }
        for e in &self.ending {
            out.extend_from_slice(&e.to_le_bytes());
        }
        out.push(self.stop_lang);
        out.push(self.point);
        out.extend_from_slice(&self.vocab_sum.to_le_bytes());
        out.extend(self.vocab_range.map(|v| v as u8));
    }

    /// The line written by [`PackedLine::write`] at the start of `b`, with the bytes it took;
    /// `None` when `b` is too short (a damaged file).
    fn read(b: &[u8]) -> Option<(PackedLine, usize)> {
        let mut at = 0usize;
        let mut take = |n: usize| {
            let s = b.get(at..at + n)?;
            at += n;
            Some(s)
        };
        let flags = u32::from_le_bytes(take(4)?.try_into().ok()?);
        let mut hashes = [0u64; 7];
        for (i, h) in hashes.iter_mut().enumerate() {
            let present = match i {
                5 => flags & HAS_LABEL != 0,
                6 => flags & HAS_PATH != 0,
                _ => true,
            };
            if present {
                *h = u64::from_le_bytes(take(8)?.try_into().ok()?);
            }
        }
        let start = u32::from_le_bytes(take(4)?.try_into().ok()?);
        let end = u32::from_le_bytes(take(4)?.try_into().ok()?);
        let mut counts = [0u16; 13];
        for c in &mut counts {
            *c = u16::from_le_bytes(take(2)?.try_into().ok()?);
        }
        let mut ending = [0u16; 3];
        for e in &mut ending {
            *e = u16::from_le_bytes(take(2)?.try_into().ok()?);
        }
        let stop_lang = take(1)?[0];
        let point = take(1)?[0];
        let vocab_sum = i32::from_le_bytes(take(4)?.try_into().ok()?);
        let range = take(2)?;
        let vocab_range = [range[0] as i8, range[1] as i8];
        let line = PackedLine {
            hashes,
            start,
            end,
            counts,
            flags,
            ending,
            stop_lang,
            point,
            vocab_sum,
            vocab_range,
        };
        Some((line, at))
    }
}

/// Bytes a page kept in memory is counted for: its lines and its entry in the queue.
fn cost(lines: usize) -> u64 {
    (lines * std::mem::size_of::<PackedLine>() + std::mem::size_of::<(u32, Box<[PackedLine]>)>())
        as u64
}

/// A page kept from pass 1: what pass 2 needs of it besides the text.
pub(super) struct KeptPage {
    pub(super) doc: u32,
    pub(super) id: Box<str>,
    pub(super) source: Option<Arc<str>>,
    pub(super) lines: Box<[PackedLine]>,
}

/// Every page of pass 1, in corpus order: the first ones in memory within a budget, the rest
/// in a temporary file, read back in order.
///
/// Beyond the budget pages used to be dropped and their features computed again in pass 2,
/// which then read the whole corpus again too: at 3M pages under the default 2 GiB budget that
/// was 97% of the pages, and it grew the cost of a page with the corpus. Written once and read
/// once in order, a page's features cost about 83 bytes a line of temporary disk (3 KB a
/// page of news), less than a twentieth of the CPU of computing them again.
pub(super) struct Kept {
    state: Mutex<State>,
    budget: u64,
}

struct State {
    /// The first pages, in memory.
    pages: VecDeque<KeptPage>,
    used: u64,
    /// Every page so far is kept (in memory or on disk).
    complete: bool,
    /// One shared name per source, and its number in the file.
    sources: HashMap<String, u32>,
    names: Vec<Arc<str>>,
    /// The pages after those in memory, once the budget is used up.
    disk: Option<Disk>,
}

/// The pages written to a temporary file (see [`crate::spill`]), read back in the same order.
struct Disk {
    writer: Option<BufWriter<File>>,
    reader: Option<BufReader<File>>,
    /// Pages in the file not yet read back.
    left: u64,
    /// A page read back but not yet asked for.
    ahead: Option<KeptPage>,
    /// Bytes written.
    bytes: u64,
    buffer: Vec<u8>,
}

/// A source's number in the file when a page has none.
const NO_SOURCE: u32 = u32::MAX;

impl Kept {
    /// An empty store holding at most `budget` bytes of packed lines in memory.
    pub(super) fn new(budget: u64) -> Self {
        Kept {
            state: Mutex::new(State {
                pages: VecDeque::new(),
                used: 0,
                complete: true,
                sources: HashMap::new(),
                names: Vec::new(),
                disk: None,
            }),
            budget,
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keeps page `doc`'s packed lines (`None`: lines that did not fit the packed form, which
    /// pass 2 computes again); pages come in corpus order. Fails only when the temporary file
    /// cannot be written.
    pub(super) fn add(
        &self,
        doc: u32,
        id: &str,
        source: Option<&str>,
        packed: Option<Box<[PackedLine]>>,
    ) -> Result<()> {
        let mut state = self.state();
        let Some(lines) = packed else {
            state.complete = false;
            return Ok(());
        };
        let source = source.map(|name| state.source(name));
        let c = cost(lines.len()) + id.len() as u64;
        // Once a page went to disk every later one does, so that memory holds a prefix of the
        // corpus and the file the rest, both in corpus order.
        if state.disk.is_none() && state.used + c <= self.budget {
            state.used += c;
            debug_assert!(state.pages.back().is_none_or(|p| p.doc < doc));
            let source = source.map(|s| state.names[s as usize].clone());
            state.pages.push_back(KeptPage {
                doc,
                id: id.into(),
                source,
                lines,
            });
            return Ok(());
        }
        state.write(doc, id, source.unwrap_or(NO_SOURCE), &lines)
    }

    /// Whether every page of pass 1 was kept, so that pass 2 need not read the corpus.
    pub(super) fn complete(&self) -> bool {
        self.state().complete
    }

    /// Bytes of pages written to the temporary file.
    #[cfg(test)]
    fn bytes_on_disk(&self) -> u64 {
        self.state().disk.as_ref().map_or(0, |d| d.bytes)
    }

    /// Takes page `doc`'s lines out of the store, if kept; asked in corpus order, so that the
    /// pages before it (never asked for) are dropped on the way.
    pub(super) fn take(&self, doc: u32) -> Result<Option<Box<[PackedLine]>>> {
        let mut state = self.state();
        while state.pages.front().is_some_and(|p| p.doc < doc) {
            state.pages.pop_front();
        }
        if let Some(p) = state.pages.front() {
            return Ok((p.doc == doc)
                .then(|| state.pages.pop_front().map(|p| p.lines))
                .flatten());
        }
        while let Some(page) = state.next_on_disk()? {
            if page.doc == doc {
                return Ok(Some(page.lines));
            }
            if page.doc > doc {
                if let Some(d) = state.disk.as_mut() {
                    d.ahead = Some(page);
                }
                return Ok(None);
            }
        }
        Ok(None)
    }

    /// Takes the next `n` pages out of the store (fewer at its end), in corpus order.
    pub(super) fn take_front(&self, n: usize) -> Result<Vec<KeptPage>> {
        let mut state = self.state();
        let from_memory = n.min(state.pages.len());
        let mut out: Vec<KeptPage> = state.pages.drain(..from_memory).collect();
        while out.len() < n {
            match state.next_on_disk()? {
                Some(page) => out.push(page),
                None => break,
            }
        }
        Ok(out)
    }
}

impl State {
    /// Source `name`'s number, given on first sight.
    fn source(&mut self, name: &str) -> u32 {
        if let Some(&n) = self.sources.get(name) {
            return n;
        }
        let n = self.names.len() as u32;
        self.names.push(Arc::from(name));
        self.sources.insert(name.to_string(), n);
        n
    }

    /// Appends a page to the file: its length, number, source, id and lines.
    fn write(&mut self, doc: u32, id: &str, source: u32, lines: &[PackedLine]) -> Result<()> {
        let disk = match &mut self.disk {
            Some(d) => d,
            None => self.disk.insert(Disk {
                writer: Some(BufWriter::with_capacity(
                    1 << 20,
                    crate::spill::temp_file()?,
                )),
                reader: None,
                left: 0,
                ahead: None,
                bytes: 0,
                buffer: Vec::new(),
            }),
        };
        let b = &mut disk.buffer;
        b.clear();
        b.extend_from_slice(&[0; 4]);
        b.extend_from_slice(&doc.to_le_bytes());
        b.extend_from_slice(&source.to_le_bytes());
        b.extend_from_slice(&(id.len() as u32).to_le_bytes());
        b.extend_from_slice(id.as_bytes());
        b.extend_from_slice(&(lines.len() as u32).to_le_bytes());
        for line in lines {
            line.write(b);
        }
        let len = (b.len() - 4) as u32;
        b[..4].copy_from_slice(&len.to_le_bytes());
        let writer = disk
            .writer
            .as_mut()
            .expect("every page of pass 1 is added before pass 2 takes any");
        writer.write_all(b).map_err(crate::spill::io_error)?;
        disk.left += 1;
        disk.bytes += b.len() as u64;
        Ok(())
    }

    /// The next page of the file, if any; the first call ends the writing.
    fn next_on_disk(&mut self) -> Result<Option<KeptPage>> {
        let Some(disk) = self.disk.as_mut() else {
            return Ok(None);
        };
        if let Some(page) = disk.ahead.take() {
            return Ok(Some(page));
        }
        if let Some(writer) = disk.writer.take() {
            let mut file = writer
                .into_inner()
                .map_err(|e| crate::spill::io_error(e.into_error()))?;
            file.seek(SeekFrom::Start(0))
                .map_err(crate::spill::io_error)?;
            disk.reader = Some(BufReader::with_capacity(1 << 20, file));
        }
        if disk.left == 0 {
            // Read to its end: the file goes back to the system.
            disk.reader = None;
            return Ok(None);
        }
        let Some(reader) = disk.reader.as_mut() else {
            return Ok(None);
        };
        let mut len = [0u8; 4];
        reader
            .read_exact(&mut len)
            .map_err(crate::spill::io_error)?;
        disk.buffer.resize(u32::from_le_bytes(len) as usize, 0);
        reader
            .read_exact(&mut disk.buffer)
            .map_err(crate::spill::io_error)?;
        disk.left -= 1;
        let page = decode_page(&disk.buffer, &self.names).ok_or_else(|| {
            crate::spill::io_error(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                "a page of chrome features read back damaged",
            ))
        })?;
        Ok(Some(page))
    }
}

/// A page written by [`State::write`] (without its length); `None` when damaged.
fn decode_page(b: &[u8], names: &[Arc<str>]) -> Option<KeptPage> {
    let u32_at = |at: usize| Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?));
    let (doc, source, id_len) = (u32_at(0)?, u32_at(4)?, u32_at(8)? as usize);
    let id = std::str::from_utf8(b.get(12..12 + id_len)?).ok()?;
    let mut at = 12 + id_len;
    let n = u32_at(at)? as usize;
    at += 4;
    let mut lines = Vec::with_capacity(n);
    for _ in 0..n {
        let (line, used) = PackedLine::read(b.get(at..)?)?;
        lines.push(line);
        at += used;
    }
    let source = match source {
        NO_SOURCE => None,
        s => Some(names.get(s as usize)?.clone()),
    };
    Some(KeptPage {
        doc,
        id: id.into(),
        source,
        lines: lines.into_boxed_slice(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Normalizer;

    #[test]
    fn a_packed_line_takes_the_bytes_the_budget_counts() {
        // The module's and `chrome`'s documentation give these sizes.
        assert_eq!(std::mem::size_of::<PackedLine>(), 112);
        assert_eq!(std::mem::size_of::<Line>(), 184);
    }

    #[test]
    fn packed_lines_unpack_to_the_same_features() {
        let mut text = String::new();
        for name in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        {
            text.push_str(&std::fs::read_to_string(name).unwrap());
        }
        text.push_str("\nHome › World › Talks\nRelated: more here\n© 2024 x\n11:04 - 29/10/2024\n");
        let lines = super::super::features::lines(
            &text,
            &Normalizer::default(),
            &crate::chrome::LineModel::builtin().vocabulary,
        );
        assert!(lines.len() > 100);
        let back = unpack(&pack(&lines).unwrap());
        assert_eq!(back.len(), lines.len());
        for (a, b) in lines.iter().zip(&back) {
            assert_eq!((a.start, a.end, a.number), (b.start, b.end, b.number));
            assert_eq!(a.f, b.f);
        }
    }

    #[test]
    fn pages_beyond_the_budget_are_read_back_from_disk_in_order() {
        let text = "Home › World\na b c, d.\n© 2024 x\n11:04 - 29/10/2024\n";
        let lines = super::super::features::lines(
            text,
            &Normalizer::default(),
            &crate::chrome::LineModel::builtin().vocabulary,
        );
        let kept = Kept::new(cost(lines.len()) * 2 + 2);
        for doc in 0..6 {
            let source = (doc % 3 != 0).then(|| format!("s{}", doc % 2));
            kept.add(doc, &format!("d{doc}"), source.as_deref(), pack(&lines))
                .unwrap();
        }
        assert!(kept.complete() && kept.bytes_on_disk() > 0);
        assert!(kept.take(0).unwrap().is_some());
        // Page 1 (in memory) and page 2 (the first on disk) are never asked for.
        let three = kept.take(3).unwrap().unwrap();
        assert_eq!(unpack(&three).len(), lines.len());
        for (a, b) in lines.iter().zip(unpack(&three)) {
            assert_eq!((a.start, a.end, a.number), (b.start, b.end, b.number));
            assert_eq!(a.f, b.f);
        }
        let rest = kept.take_front(5).unwrap();
        let names: Vec<_> = rest
            .iter()
            .map(|p| (p.doc, &*p.id, p.source.as_deref()))
            .collect();
        assert_eq!(names, [(4, "d4", Some("s0")), (5, "d5", Some("s1"))]);
        assert!(kept.take(6).unwrap().is_none() && kept.take_front(1).unwrap().is_empty());
    }

    #[test]
    fn a_page_asked_for_after_a_later_one_is_not_there() {
        let lines = super::super::features::lines(
            "a b\nc d\n",
            &Normalizer::default(),
            &crate::chrome::LineModel::builtin().vocabulary,
        );
        let kept = Kept::new(0);
        for doc in [2, 4, 6] {
            kept.add(doc, "d", None, pack(&lines)).unwrap();
        }
        assert!(kept.take(3).unwrap().is_none());
        assert!(kept.take(4).unwrap().is_some());
        assert!(kept.take(6).unwrap().is_some());
    }

    #[test]
    fn a_page_whose_lines_do_not_pack_leaves_the_store_incomplete() {
        let lines = super::super::features::lines(
            "a b\nc d\n",
            &Normalizer::default(),
            &crate::chrome::LineModel::builtin().vocabulary,
        );
        let kept = Kept::new(1 << 20);
        kept.add(0, "a", None, pack(&lines)).unwrap();
        assert!(kept.complete());
        kept.add(1, "b", None, None).unwrap();
        assert!(!kept.complete());
        let pages = kept.take_front(5).unwrap();
        assert_eq!(pages.len(), 1);
        assert_eq!(&*pages[0].id, "a");
    }
}
