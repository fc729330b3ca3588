//! Corpus discovery and streaming, parallel parsing.
//!
//! Reading is bounded by [`ReadOptions::max_doc_bytes`] whatever the input: a `.txt` file is read
//! in two steps, a prefix of [`BINARY_PROBE`] bytes that decides whether it is binary (then it is
//! skipped with a warning and the rest never read, so `/dev/zero` costs 8 KB), then the rest up to
//! the limit; a JSONL line is read up to the limit and refused as soon as it passes it. A document
//! over the limit is an error naming the file (and line), not a skip: dropping it silently would
//! leave it out of every result, and the user can raise the limit.

use super::jsonl::{json_message, parse_record, replace_lone_surrogates, FieldValue, UTF8_BOM};
use super::{Compression, Format};
use crate::{Error, Result};
use rayon::prelude::*;
use std::cell::Cell;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Names of the JSON fields that hold a document's parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// Field with the document id (default `id`; missing → `FILE:LINE`).
    pub id: String,
    /// Field with the text (default `text`; required).
    pub text: String,
    /// Field with the source, e.g. the site (default `source`; optional).
    pub source: String,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            id: "id".into(),
            text: "text".into(),
            source: "source".into(),
        }
    }
}

/// Where a document's source (site) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceFrom {
    /// The JSONL source field; `.txt` documents have none.
    #[default]
    Field,
    /// The name of the directory holding the file.
    Dir,
}

/// How to read a corpus.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// JSON field names.
    pub fields: Fields,
    /// Where sources come from.
    pub source_from: SourceFrom,
    /// Replace invalid UTF-8 (and, in JSON, escapes of lone surrogates) with U+FFFD instead of
    /// failing.
    pub lossy: bool,
    /// Give a JSONL record without an id field the id [`super::content_id`] of its text
    /// instead of `FILE:LINE`, which names another document when a file of the same name
    /// comes again (the index's daily `today.jsonl`).
    pub content_ids: bool,
    /// Largest document accepted, in bytes: a `.txt` file's size, a JSONL line's length
    /// (default [`DEFAULT_MAX_DOC_BYTES`]). A larger one stops the run with an error naming it;
    /// memory use grows with this limit (about 10 bytes per byte of the largest document), never
    /// with the size of an input file. Between 1 and `u32::MAX` (offsets are 32-bit).
    pub max_doc_bytes: u64,
}

/// Default document size limit: 64 MiB, far above any article or page, far below what makes
/// memory run out.
pub const DEFAULT_MAX_DOC_BYTES: u64 = 64 << 20;

/// Bytes of a `.txt` file looked at for a NUL byte before the rest is read.
pub const BINARY_PROBE: usize = 8192;

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            fields: Fields::default(),
            source_from: SourceFrom::default(),
            lossy: false,
            content_ids: false,
            max_doc_bytes: DEFAULT_MAX_DOC_BYTES,
        }
    }
}

impl ReadOptions {
    /// Refuses options that cannot work.
    pub fn validate(&self) -> Result<()> {
        if self.max_doc_bytes == 0 || self.max_doc_bytes > u32::MAX as u64 {
            return Err(crate::ConfigError::new(
                "corpus.max_doc_bytes",
                self.max_doc_bytes,
                format!("between 1 and {} (4 GiB - 1)", u32::MAX),
            )
            .into());
        }
        Ok(())
    }
}

/// Parses a byte size: a number with an optional `K`, `M` or `G` suffix (powers of 1024,
/// case-insensitive, an optional trailing `B` or `iB`), as in `64M` or `1G`.
pub fn parse_byte_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let t = lower
        .strip_suffix("ib")
        .or_else(|| lower.strip_suffix('b'))
        .unwrap_or(&lower);
    let (digits, shift) = match t.chars().last() {
        Some('k') => (&t[..t.len() - 1], 10),
        Some('m') => (&t[..t.len() - 1], 20),
        Some('g') => (&t[..t.len() - 1], 30),
        _ => (t, 0),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(1 << shift))
        .ok_or_else(|| format!("`{text}` is not a byte size (examples: 1000000, 64M, 1G)"))
}

/// One file of the corpus.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Path to open.
    pub path: PathBuf,
    /// Path as shown to the user in messages and used in `FILE:LINE` ids.
    pub display: String,
    /// Path relative to the input it was found under (the document id of a `.txt` file).
    pub relative: PathBuf,
    /// Path under an output directory that mirrors the input layout.
    pub mirror: PathBuf,
    /// How it is encoded.
    pub format: Format,
}

impl InputFile {
    /// The path errors name: the path given or found, `<stdin>` for standard input (never the
    /// temporary file it is spooled to).
    pub fn shown(&self) -> PathBuf {
        PathBuf::from(&self.display)
    }
}

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

/// A corpus: the list of its files and how to read them.
#[derive(Debug)]
pub struct Corpus {
    /// Input files in corpus order.
    pub files: Vec<InputFile>,
    /// The directories and files the user named, canonicalized, to refuse writing into them.
    pub roots: Vec<PathBuf>,
    options: ReadOptions,
    /// Bytes consumed so far by the current pass, for progress bars.
    bytes_read: Arc<AtomicU64>,
    warnings: Mutex<Vec<String>>,
    _stdin_spool: Option<tempfile::TempPath>,
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
    /// Finds the files of the corpus named by `paths` (files, directories, or `-` for stdin).
    pub fn open(paths: &[PathBuf], options: ReadOptions) -> Result<Corpus> {
        if paths.is_empty() {
            return Err(Error::Usage(
                "no input given (pass files, directories or -)".into(),
            ));
        }
        options.validate()?;
        if paths.iter().filter(|p| p.as_os_str() == "-").count() > 1 {
            return Err(Error::Usage(
                "`-` (standard input) is given more than once: stdin can be read only once".into(),
            ));
        }
        let mut warnings = Vec::new();
        let mut files = Vec::new();
        let mut roots = Vec::new();
        let mut spool = None;
        let mut mirror_names = std::collections::HashSet::new();
        for path in paths {
            if path.as_os_str() == "-" {
                let (file, temp) = spool_stdin()?;
                files.push(file);
                spool = Some(temp);
                continue;
            }
            let meta = std::fs::metadata(path).map_err(|e| Error::io(path, e))?;
            roots.push(path.canonicalize().map_err(|e| Error::io(path, e))?);
            let top_name = path
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(PathBuf::from))
                .unwrap_or_else(|| PathBuf::from("input"));
            if !mirror_names.insert(top_name.clone()) {
                return Err(Error::Usage(format!(
                    "two inputs are named `{}`: clean mirrors each input under its name, so they would collide",
                    top_name.display()
                )));
            }
            if meta.is_dir() {
                let walk = walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name();
                for entry in walk {
                    let entry = match entry {
                        Ok(entry) => entry,
                        // A symlink whose target is gone is skipped with a warning, as fd and
                        // ripgrep do: one stale link should not stop a run over a big tree.
                        Err(e) if e.path().is_some_and(is_dangling_symlink) => {
                            let p = e.path().unwrap_or(path);
                            warnings.push(format!(
                                "{}: skipped: a symbolic link to a missing file",
                                p.display()
                            ));
                            continue;
                        }
                        Err(e) => {
                            let p = e.path().unwrap_or(path).to_path_buf();
                            return Err(Error::io(p, e.into()));
                        }
                    };
                    if !entry.file_type().is_file() {
                        continue;
                    }
                    let name = entry.file_name().to_string_lossy();
                    let Some(format) = Format::from_name(&name) else {
                        continue;
                    };
                    let relative = entry
                        .path()
                        .strip_prefix(path)
                        .unwrap_or(entry.path())
                        .to_path_buf();
                    files.push(InputFile {
                        path: entry.path().to_path_buf(),
                        display: entry.path().display().to_string(),
                        mirror: top_name.join(&relative),
                        relative,
                        format,
                    });
                }
            } else {
                let name = path.file_name().map(|n| n.to_string_lossy().to_string());
                // A file named explicitly is read even without a known extension, as plain text.
                let format = name
                    .as_deref()
                    .and_then(Format::from_name)
                    .unwrap_or(Format::Text);
                files.push(InputFile {
                    path: path.clone(),
                    display: path.display().to_string(),
                    relative: path.clone(),
                    mirror: top_name,
                    format,
                });
            }
        }
        if files.len() > u32::MAX as usize {
            return Err(Error::Usage("too many input files".into()));
        }
        Ok(Corpus {
            files,
            roots,
            options,
            bytes_read: Arc::new(AtomicU64::new(0)),
            warnings: Mutex::new(warnings),
            _stdin_spool: spool,
        })
    }

    /// Total size of the input files on disk (compressed size for compressed files).
    pub fn total_bytes(&self) -> u64 {
        self.files
            .iter()
            .filter_map(|f| std::fs::metadata(&f.path).ok())
            .map(|m| m.len())
            .sum()
    }

    /// Bytes of input files consumed by the running pass (reset at the start of each pass).
    pub fn progress_counter(&self) -> Arc<AtomicU64> {
        self.bytes_read.clone()
    }

    /// Warnings gathered so far (skipped binary files, ...), drained.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.lock().unwrap_or_else(|e| e.into_inner()))
    }

    fn warn(&self, message: String) {
        // Every pass over the corpus meets the same skipped file: say so once.
        let mut warnings = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
        if !warnings.contains(&message) {
            warnings.push(message);
        }
    }

    /// The read options in use.
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

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
            message: format!(
                "{what} is larger than the document size limit of {limit} bytes; \
                 raise it with --max-doc-bytes (or split the input)"
            ),
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

    fn parse(&self, raw: RawRecord, keep_raw: bool) -> Result<Document> {
        let file = &self.files[raw.origin.file as usize];
        let doc = match file.format {
            Format::Text => {
                let text = self.decode(&raw.bytes, &file.shown(), None)?;
                let id = file.relative.to_string_lossy().to_string();
                let source = match self.options.source_from {
                    SourceFrom::Dir => dir_name(&file.path),
                    SourceFrom::Field => None,
                };
                Document {
                    number: 0,
                    id,
                    source,
                    text,
                    origin: raw.origin,
                    raw: None,
                }
            }
            Format::Jsonl(_) => self.parse_json_line(&raw, file)?,
            // Its writer reads the file again, column by column: no raw bytes to keep.
            #[cfg(feature = "parquet")]
            Format::Parquet => return super::parquet::document(&self.options, file, raw),
            #[cfg(not(feature = "parquet"))]
            Format::Parquet => return Err(no_parquet(file)),
        };
        Ok(Document {
            raw: keep_raw.then_some(raw.bytes),
            ..doc
        })
    }

    fn decode(&self, bytes: &[u8], path: &Path, line: Option<u64>) -> Result<String> {
        match utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) if self.options.lossy => Ok(String::from_utf8_lossy(bytes).into_owned()),
            Err(e) => Err(Error::InvalidUtf8 {
                path: path.to_path_buf(),
                line,
                byte_offset: e.valid_up_to(),
            }),
        }
    }

    fn parse_json_line(&self, raw: &RawRecord, file: &InputFile) -> Result<Document> {
        let line = raw.origin.line;
        // A byte-order mark opening the file (Windows tools write one) is not JSON; it is
        // skipped, and offsets in messages still count it.
        let bom = if line == 1 && raw.bytes.starts_with(UTF8_BOM) {
            UTF8_BOM.len()
        } else {
            0
        };
        let bytes = &raw.bytes[bom..];
        // Borrow the line when it is valid UTF-8 (the usual case) rather than copying it.
        let text: std::borrow::Cow<str> = match utf8(bytes) {
            Ok(s) => s.into(),
            Err(_) if self.options.lossy => String::from_utf8_lossy(bytes),
            Err(e) => {
                return Err(Error::InvalidUtf8 {
                    path: file.shown(),
                    line: Some(line),
                    byte_offset: bom + e.valid_up_to(),
                })
            }
        };
        let json_error = |message: String| Error::Json {
            path: file.shown(),
            line,
            message,
        };
        let fields = &self.options.fields;
        let json = text.trim_end();
        let record = match parse_record(json, fields) {
            Ok(record) => record,
            // serde_json names a lone surrogate variously ("unexpected end of hex escape", "lone
            // leading surrogate"), so the line itself is looked at, only once it has failed.
            Err(e) => match replace_lone_surrogates(json) {
                Some(fixed) if self.options.lossy => parse_record(&fixed, fields)
                    .map_err(|e| json_error(json_message(&e, bom, false)))?,
                Some(_) => return Err(json_error(json_message(&e, bom, true))),
                None => return Err(json_error(json_message(&e, bom, false))),
            },
        };
        let Some(record) = record else {
            return Err(json_error("expected a JSON object".into()));
        };
        let text = match record.text {
            Some(FieldValue::Text(s)) => s,
            Some(FieldValue::Null) => String::new(),
            Some(FieldValue::Number(_)) => {
                return Err(json_error(format!(
                    "field `{}` must be a string, found a number",
                    fields.text
                )))
            }
            Some(FieldValue::Other(kind)) => {
                return Err(json_error(format!(
                    "field `{}` must be a string, found {kind}",
                    fields.text
                )))
            }
            None => {
                return Err(json_error(format!(
                    "missing text field `{}` (choose another with --text-field)",
                    fields.text
                )))
            }
        };
        let id = match record.id {
            Some(FieldValue::Text(s)) | Some(FieldValue::Number(s)) => s,
            _ if self.options.content_ids => super::content_id(&text),
            _ => format!("{}:{}", file.display, line),
        };
        let source = match self.options.source_from {
            SourceFrom::Dir => dir_name(&file.path),
            SourceFrom::Field => match record.source {
                Some(FieldValue::Text(s)) | Some(FieldValue::Number(s)) => Some(s),
                _ => None,
            },
        };
        Ok(Document {
            number: 0,
            id,
            source,
            text,
            origin: raw.origin,
            raw: None,
        })
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

fn is_dangling_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        && std::fs::metadata(path).is_err()
}

/// The refusal of a Parquet input by a build without the `parquet` feature.
#[cfg(not(feature = "parquet"))]
fn no_parquet(file: &InputFile) -> Error {
    Error::Parquet {
        path: file.shown(),
        row: None,
        row_group: None,
        column: None,
        message: "this build of chaff reads no Parquet (build it with the `parquet` feature, \
                  on by default)"
            .into(),
    }
}

pub(super) fn dir_name(path: &Path) -> Option<String> {
    path.canonicalize()
        .ok()?
        .parent()?
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
}

fn spool_stdin() -> Result<(InputFile, tempfile::TempPath)> {
    let mut temp = tempfile::NamedTempFile::new().map_err(|e| Error::io("<stdin spool>", e))?;
    std::io::copy(&mut std::io::stdin().lock(), &mut temp).map_err(|e| Error::io("<stdin>", e))?;
    let mut magic = [0u8; 4];
    let mut f = std::fs::File::open(temp.path()).map_err(|e| Error::io(temp.path(), e))?;
    let n = f.read(&mut magic).unwrap_or(0);
    let compression = if n >= 2 && magic[..2] == [0x1f, 0x8b] {
        Compression::Gzip
    } else if n == 4 && magic == [0x28, 0xb5, 0x2f, 0xfd] {
        Compression::Zstd
    } else {
        Compression::None
    };
    let path = temp.into_temp_path();
    let file = InputFile {
        path: path.to_path_buf(),
        display: "<stdin>".into(),
        relative: PathBuf::from("stdin.jsonl"),
        mirror: PathBuf::from("stdin.jsonl"),
        format: Format::Jsonl(compression),
    };
    Ok((file, path))
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

/// `bytes` as text. Every input byte is validated once per pass, which made std's validator
/// ~13% of a `chaff dups` profile; `simdutf8` checks valid input with SIMD and, on invalid
/// input only, std's validator finds the offset an error reports.
pub(super) fn utf8(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_line(line: &[u8], lossy: bool) -> Result<Vec<Document>> {
        let dir = tempfile::tempdir().expect("a temp dir can be made");
        let path = dir.path().join("c.jsonl");
        let mut body = b"{\"id\":\"first\",\"text\":\"fine\"}\n".to_vec();
        body.extend_from_slice(line);
        body.push(b'\n');
        std::fs::write(&path, body).expect("the temp file can be written");
        let options = ReadOptions {
            lossy,
            ..ReadOptions::default()
        };
        let corpus = Corpus::open(&[path], options)?;
        let mut docs = Vec::new();
        corpus.read(false, |batch| {
            docs.extend(batch);
            Ok(())
        })?;
        Ok(docs)
    }

    #[test]
    fn invalid_utf8_anywhere_in_a_jsonl_line_names_its_byte_offset() {
        for line in [
            &b"{\"id\":\"x\",\"text\":\"ab\xffcd\"}"[..],
            b"{\"id\":\"x\",\"text\":\"abcd\",\"meta\":{\"tags\":[\"ok\",\"b\xfe\"]}}",
            b"{\"id\":\"x\",\"k\xff\":1,\"text\":\"abcd\"}",
            b"{\"id\":\"x\",\"text\":\"abcd\"} \xff",
        ] {
            let offset = std::str::from_utf8(line).unwrap_err().valid_up_to();
            match read_line(line, false) {
                Err(Error::InvalidUtf8 {
                    line: Some(2),
                    byte_offset,
                    ..
                }) => assert_eq!(byte_offset, offset),
                other => panic!("{other:?} for {}", String::from_utf8_lossy(line)),
            }
            // --lossy reads them; a replaced byte after the object is still trailing garbage.
            let trailing = line.ends_with(b"\xff");
            assert_eq!(read_line(line, true).is_ok(), !trailing);
        }
    }

    #[test]
    fn byte_sizes_take_binary_suffixes() {
        assert_eq!(parse_byte_size("64M"), Ok(64 << 20));
        assert_eq!(parse_byte_size("1g"), Ok(1 << 30));
        assert_eq!(parse_byte_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_byte_size("1000"), Ok(1000));
        assert!(parse_byte_size("12x").is_err());
        assert!(parse_byte_size("99999999999G").is_err());
    }

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

    #[test]
    fn valid_lines_parse_the_same_with_trailing_unicode_space() {
        let docs = read_line(
            "{\"id\":7,\"text\":\"سلام\\n\",\"x\":[1,{\"y\":\"é\"}]}\u{00A0}".as_bytes(),
            false,
        )
        .expect("the line is valid");
        assert_eq!((docs[1].id.as_str(), docs[1].text.as_str()), ("7", "سلام\n"));
    }
}
