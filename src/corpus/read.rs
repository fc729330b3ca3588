//! Corpus discovery and streaming, parallel parsing.
//!
//! Reading is bounded by [`ReadOptions::max_doc_bytes`] whatever the input: a `.txt` file is read
//! in two steps, a prefix of [`BINARY_PROBE`] bytes that decides whether it is binary (then it is
//! skipped with a warning and the rest never read, so `/dev/zero` costs 8 KB), then the rest up to
//! the limit; a JSONL line is read up to the limit and refused as soon as it passes it. A document
//! over the limit is an error naming the file (and line), not a skip: dropping it silently would
//! leave it out of every result, and the user can raise the limit.

use super::{Compression, Corpus, Format, InputFile, BINARY_PROBE};
use crate::{Advice, Error, Result};
use rayon::prelude::*;
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Where a document came from, for error messages and for later passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// Index into [`Corpus::files`].
    pub file: u32,
    /// 1-based line in a JSONL file, 1-based row (across row groups) in a Parquet file; 0 for
    /// a `.txt` file.
    pub line: u64,
}

/// One document.
#[derive(Debug, Clone)]
pub struct Document {
    /// Dense number in corpus order, starting at 0.
    pub number: u32,
    /// The id reported to users.
    pub id: String,
    /// The site or feed it came from, when known.
    pub source: Option<String>,
    /// The text, exactly as read (after `--lossy` replacement, if any).
    pub text: String,
    /// Where it came from.
    pub origin: Origin,
    /// The raw record (file bytes or JSONL line), kept only when asked for by a writer.
    pub raw: Option<Vec<u8>>,
}

/// One record as read from its file, before it is parsed: a `.txt` file's bytes, a JSONL line,
/// or a Parquet row's text with its other columns beside it.
pub(super) struct RawRecord {
    pub(super) origin: Origin,
    pub(super) bytes: Vec<u8>,
    /// A Parquet row's id and source, read from their columns (a JSONL line carries its own).
    // Read only by the Parquet reader; a build without it never sets it.
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    pub(super) columns: Option<Box<RowColumns>>,
}

/// The id and source columns of one Parquet row (`None` where null or absent).
#[cfg_attr(not(feature = "parquet"), allow(dead_code))]
pub(super) struct RowColumns {
    pub(super) id: Option<String>,
    pub(super) source: Option<String>,
}

/// Bytes of raw records gathered before a batch is handed to the parsers.
const BATCH_BYTES: usize = 8 << 20;

impl Corpus {
    /// Streams every document to `each_batch` in corpus order, a batch at a time; the batch's
    /// documents were parsed in parallel. `keep_raw` keeps each record's raw bytes for writers.
    pub fn read(
        &self,
        keep_raw: bool,
        each_batch: impl FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<()> {
        self.read_numbered(keep_raw, None, each_batch)
    }

    /// Like [`Corpus::read`], but parses only the documents whose number `wanted` accepts:
    /// the others are numbered exactly as `read` numbers them and left out of the batches
    /// unparsed (so a malformed record among them is not reported). For later passes that
    /// need a few documents of a corpus already read once.
    pub fn read_selected(
        &self,
        wanted: &(dyn Fn(u32) -> bool + Sync),
        each_batch: impl FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<()> {
        self.read_numbered(false, Some(wanted), each_batch)
    }

    fn read_numbered(
        &self,
        keep_raw: bool,
        wanted: Option<&(dyn Fn(u32) -> bool + Sync)>,
        mut each_batch: impl FnMut(Vec<Document>) -> Result<()>,
    ) -> Result<()> {
        self.bytes_read.store(0, Ordering::Relaxed);
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<RawRecord>>>(2);
        std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let mut batch = Vec::new();
                let mut batch_bytes = 0usize;
                for (index, file) in self.files.iter().enumerate() {
                    let result = self.read_raw(index as u32, file, &mut |record| {
                        batch_bytes += record.bytes.len();
                        batch.push(record);
                        if batch_bytes >= BATCH_BYTES {
                            batch_bytes = 0;
                            // A closed channel means the consumer stopped on an error.
                            tx.send(Ok(std::mem::take(&mut batch))).is_ok()
                        } else {
                            true
                        }
                    });
                    if let Err(e) = result {
                        let _ = tx.send(Err(e));
                        return;
                    }
                }
                let _ = tx.send(Ok(batch));
            });
            let mut next_number = 0u32;
            let mut outcome = Ok(());
            for raw in rx.iter() {
                let step = raw.and_then(|raw| {
                    // Numbers are given before parsing, in order, so that unwanted records
                    // need not be parsed at all; a record that is no document gets none.
                    let mut numbered = Vec::with_capacity(raw.len());
                    // (Binary text files are skipped by the reader, so every record is one.)
                    for r in raw {
                        let n = next_number;
                        next_number = next_number
                            .checked_add(1)
                            .ok_or_else(|| Error::Usage("more than 4 billion documents".into()))?;
                        numbered.push((r, n));
                    }
                    let parsed: Vec<Result<Document>> = numbered
                        .into_par_iter()
                        .filter(|(_, n)| wanted.is_none_or(|wanted| wanted(*n)))
                        .map(|(r, n)| {
                            let doc = self.parse(r, keep_raw)?;
                            Ok(Document { number: n, ..doc })
                        })
                        .collect();
                    let mut docs = Vec::with_capacity(parsed.len());
                    for p in parsed {
                        docs.push(p?);
                    }
                    each_batch(docs)
                });
                if let Err(e) = step {
                    outcome = Err(e);
                    break;
                }
            }
            drop(rx);
            let _ = reader.join();
            outcome
        })
    }

    /// Reads the raw records of one file, none longer than the size limit; `emit` returns
    /// false to stop early.
    fn read_raw(
        &self,
        index: u32,
        file: &InputFile,
        emit: &mut dyn FnMut(RawRecord) -> bool,
    ) -> Result<()> {
        if file.format == Format::Parquet {
            #[cfg(feature = "parquet")]
            return super::parquet::read_rows(index, file, &self.options, &self.bytes_read, emit);
            #[cfg(not(feature = "parquet"))]
            return Err(no_parquet(file));
        }
        let shown = file.shown();
        let handle = std::fs::File::open(&file.path).map_err(|e| Error::io(&shown, e))?;
        let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
        let consumed = Rc::new(Cell::new(0u64));
        let counted = CountingReader {
            inner: handle,
            counter: self.bytes_read.clone(),
            consumed: consumed.clone(),
        };
        let limit = self.options.max_doc_bytes;
        let too_large = |line: Option<u64>, what: &str| Error::Input {
            path: shown.clone(),
            line,
            message: format!("{what} is larger than the document size limit of {limit} bytes"),
            advice: Some(Box::new(Advice::max_doc_bytes(" (or split the input)"))),
        };
        match file.format {
            Format::Text => {
                let mut reader = counted;
                // Sized from the file (up to the limit) so the buffer does not grow by doubling.
                let mut bytes = Vec::with_capacity(size.min(limit + 1) as usize);
                (&mut reader)
                    .take(BINARY_PROBE as u64)
                    .read_to_end(&mut bytes)
                    .map_err(|e| Error::io(&shown, e))?;
                if bytes.contains(&0) {
                    self.warn(format!(
                        "{}: skipped: looks like a binary file",
                        file.display
                    ));
                    return Ok(());
                }
                // One byte past the limit tells a file at the limit from a larger one.
                let rest = (limit + 1).saturating_sub(bytes.len() as u64);
                (&mut reader)
                    .take(rest)
                    .read_to_end(&mut bytes)
                    .map_err(|e| Error::io(&shown, e))?;
                if bytes.len() as u64 > limit {
                    return Err(too_large(None, "the file"));
                }
                emit(RawRecord {
                    origin: Origin {
                        file: index,
                        line: 0,
                    },
                    bytes,
                    columns: None,
                });
            }
            Format::Parquet => {}
            Format::Jsonl(compression) => {
                let reader: Box<dyn Read> = match compression {
                    Compression::None => Box::new(counted),
                    Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(counted)),
                    Compression::Zstd => Box::new(
                        zstd::stream::read::Decoder::new(counted)
                            .map_err(|e| Error::io(&shown, e))?,
                    ),
                };
                let mut reader = BufReader::with_capacity(1 << 20, reader);
                let mut line = 0u64;
                // Decompressed bytes before the current line.
                let mut offset = 0u64;
                loop {
                    let mut bytes = Vec::new();
                    let read = read_line_at_most(&mut reader, &mut bytes, limit).map_err(|e| {
                        match compression {
                            Compression::None => Error::io(&shown, e),
                            Compression::Gzip | Compression::Zstd => Error::Input {
                                path: shown.clone(),
                                line: Some(line + 1),
                                message: format!(
                                    "corrupt {} data: {e} (after {} compressed bytes; the \
                                     decompressed text was good up to byte {})",
                                    if compression == Compression::Gzip {
                                        "gzip"
                                    } else {
                                        "zstd"
                                    },
                                    consumed.get(),
                                    offset + bytes.len() as u64
                                ),
                                advice: None,
                            },
                        }
                    })?;
                    let n = match read {
                        Line::End => break,
                        Line::TooLong => return Err(too_large(Some(line + 1), "the line")),
                        Line::Read(n) => n,
                    };
                    line += 1;
                    offset += n as u64;
                    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    if !emit(RawRecord {
                        origin: Origin { file: index, line },
                        bytes,
                        columns: None,
                    }) {
                        break;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Reads one line (with its `\n`) into `out`, refusing it as soon as it passes `limit` bytes
/// (without the line break), so a huge line costs at most `limit` bytes of memory.
fn read_line_at_most(
    reader: &mut impl BufRead,
    out: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<Line> {
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if buf.is_empty() {
            return Ok(if out.is_empty() {
                Line::End
            } else {
                Line::Read(out.len())
            });
        }
        let (take, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (i + 1, true),
            None => (buf.len(), false),
        };
        // The line break does not count against the limit.
        let content = out.len() + take - usize::from(done);
        if content as u64 > limit {
            return Ok(Line::TooLong);
        }
        out.extend_from_slice(&buf[..take]);
        reader.consume(take);
        if done {
            return Ok(Line::Read(out.len()));
        }
    }
}

/// What [`read_line_at_most`] found.
enum Line {
    /// A line of this many bytes (with its line break).
    Read(usize),
    /// The end of the input.
    End,
    /// A line longer than the limit, left unread.
    TooLong,
}

/// The refusal of a Parquet input by a build without the `parquet` feature.
#[cfg(not(feature = "parquet"))]
pub(super) fn no_parquet(file: &InputFile) -> Error {
    Error::Parquet {
        path: file.shown(),
        row: None,
        row_group: None,
        column: None,
        message: "this build of chaff reads no Parquet (build it with the `parquet` feature, \
                  on by default)"
            .into(),
        advice: None,
    }
}

/// Counts the bytes read from a file: into the pass's progress counter, and into the file's own
/// count that places an error in a compressed stream.
struct CountingReader<R> {
    inner: R,
    counter: Arc<AtomicU64>,
    consumed: Rc<Cell<u64>>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        self.consumed.set(self.consumed.get() + n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_over_the_limit_is_refused_without_reading_it_whole() {
        let mut input = std::io::Cursor::new(b"short\nfar too long a line\nok".to_vec());
        let mut reader = BufReader::with_capacity(4, &mut input);
        let mut line = Vec::new();
        assert!(matches!(
            read_line_at_most(&mut reader, &mut line, 5),
            Ok(Line::Read(6))
        ));
        line.clear();
        assert!(matches!(
            read_line_at_most(&mut reader, &mut line, 5),
            Ok(Line::TooLong)
        ));
        // Refused once past the limit: no more than the limit and one buffer were taken.
        assert!(line.len() <= 5);
        drop(reader);
        assert!(input.position() <= 6 + 5 + 4);
    }
}
