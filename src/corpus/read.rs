//! Corpus discovery and streaming, parallel parsing.

use super::{Compression, Format};
use crate::{Error, Result};
use rayon::prelude::*;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
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
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// JSON field names.
    pub fields: Fields,
    /// Where sources come from.
    pub source_from: SourceFrom,
    /// Replace invalid UTF-8 with U+FFFD instead of failing.
    pub lossy: bool,
    /// Give a JSONL record without an id field the id [`super::content_id`] of its text
    /// instead of `FILE:LINE`, which names another document when a file of the same name
    /// comes again (the index's daily `today.jsonl`).
    pub content_ids: bool,
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

/// Where a document came from, for error messages and for later passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// Index into [`Corpus::files`].
    pub file: u32,
    /// 1-based line in a JSONL file; 0 for a `.txt` file.
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

struct RawRecord {
    origin: Origin,
    bytes: Vec<u8>,
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
                    let entry = entry.map_err(|e| {
                        let p = e.path().unwrap_or(path).to_path_buf();
                        Error::io(p, e.into())
                    })?;
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
            warnings: Mutex::new(Vec::new()),
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
        self.warnings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(message);
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

    /// Whether a raw record becomes a document: every JSONL record does, a text file unless
    /// it looks binary (the test `parse` applies).
    fn is_document(&self, raw: &RawRecord) -> bool {
        match self.files[raw.origin.file as usize].format {
            Format::Text => !raw.bytes[..raw.bytes.len().min(8192)].contains(&0),
            Format::Jsonl(_) => true,
        }
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
                    for r in raw {
                        let number = if self.is_document(&r) {
                            let n = next_number;
                            next_number = next_number.checked_add(1).ok_or_else(|| {
                                Error::Usage("more than 4 billion documents".into())
                            })?;
                            Some(n)
                        } else {
                            None
                        };
                        numbered.push((r, number));
                    }
                    let parsed: Vec<Result<Option<Document>>> = numbered
                        .into_par_iter()
                        .filter(|(_, n)| match (wanted, n) {
                            (Some(wanted), Some(n)) => wanted(*n),
                            _ => true,
                        })
                        .map(|(r, n)| {
                            let doc = self.parse(r, keep_raw)?;
                            Ok(doc.map(|d| Document {
                                number: n.expect("is_document agrees with parse"),
                                ..d
                            }))
                        })
                        .collect();
                    let mut docs = Vec::with_capacity(parsed.len());
                    for p in parsed {
                        docs.extend(p?);
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

    /// Reads the raw records of one file; `emit` returns false to stop early.
    fn read_raw(
        &self,
        index: u32,
        file: &InputFile,
        emit: &mut dyn FnMut(RawRecord) -> bool,
    ) -> Result<()> {
        let handle = std::fs::File::open(&file.path).map_err(|e| Error::io(&file.path, e))?;
        let counted = CountingReader {
            inner: handle,
            counter: self.bytes_read.clone(),
        };
        match file.format {
            Format::Text => {
                let mut bytes = Vec::new();
                BufReader::new(counted)
                    .read_to_end(&mut bytes)
                    .map_err(|e| Error::io(&file.path, e))?;
                emit(RawRecord {
                    origin: Origin {
                        file: index,
                        line: 0,
                    },
                    bytes,
                });
            }
            Format::Jsonl(compression) => {
                let reader: Box<dyn Read> = match compression {
                    Compression::None => Box::new(counted),
                    Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(counted)),
                    Compression::Zstd => Box::new(
                        zstd::stream::read::Decoder::new(counted)
                            .map_err(|e| Error::io(&file.path, e))?,
                    ),
                };
                let mut reader = BufReader::with_capacity(1 << 20, reader);
                let mut line = 0u64;
                loop {
                    let mut bytes = Vec::new();
                    let n = reader
                        .read_until(b'\n', &mut bytes)
                        .map_err(|e| Error::io(&file.path, e))?;
                    if n == 0 {
                        break;
                    }
                    line += 1;
                    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
                        continue;
                    }
                    if !emit(RawRecord {
                        origin: Origin { file: index, line },
                        bytes,
                    }) {
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    fn parse(&self, raw: RawRecord, keep_raw: bool) -> Result<Option<Document>> {
        let file = &self.files[raw.origin.file as usize];
        let doc = match file.format {
            Format::Text => {
                let probe = &raw.bytes[..raw.bytes.len().min(8192)];
                if probe.contains(&0) {
                    self.warn(format!(
                        "{}: skipped: looks like a binary file",
                        file.display
                    ));
                    return Ok(None);
                }
                let text = self.decode(&raw.bytes, &file.path, None)?;
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
        };
        Ok(Some(Document {
            raw: keep_raw.then_some(raw.bytes),
            ..doc
        }))
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
        // Borrow the line when it is valid UTF-8 (the usual case) rather than copying it.
        let text: std::borrow::Cow<str> = match utf8(&raw.bytes) {
            Ok(s) => s.into(),
            Err(_) if self.options.lossy => String::from_utf8_lossy(&raw.bytes),
            Err(e) => {
                return Err(Error::InvalidUtf8 {
                    path: file.path.clone(),
                    line: Some(line),
                    byte_offset: e.valid_up_to(),
                })
            }
        };
        let json_error = |message: String| Error::Json {
            path: file.path.clone(),
            line,
            message,
        };
        let fields = &self.options.fields;
        // Only the three named fields are decoded; every other value is skipped without being
        // built (a serde_json::Value tree cost more than tokenizing the text).
        let mut de = serde_json::Deserializer::from_str(text.trim_end());
        let record = serde::de::DeserializeSeed::deserialize(RecordSeed(fields), &mut de)
            .and_then(|r| de.end().map(|()| r))
            .map_err(|e| json_error(format!("malformed JSON: {e}")))?;
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

/// The value of one of the named fields of a JSONL record.
enum FieldValue {
    Text(String),
    /// A number, as serde_json prints it.
    Number(String),
    Null,
    /// Any other JSON kind, named for error messages ("a boolean", "an array", ...).
    Other(&'static str),
}

/// The named fields of one record; `None` for the whole record when it is not an object.
struct Record {
    id: Option<FieldValue>,
    text: Option<FieldValue>,
    source: Option<FieldValue>,
}

struct RecordSeed<'a>(&'a Fields);

impl<'de> serde::de::DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = Option<Record>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for RecordSeed<'_> {
    type Value = Option<Record>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut record = Record {
            id: None,
            text: None,
            source: None,
        };
        // A repeated key keeps its last value, as a parsed JSON object would.
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let slot = if key == self.0.text {
                &mut record.text
            } else if key == self.0.id {
                &mut record.id
            } else if key == self.0.source {
                &mut record.source
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            };
            *slot = Some(map.next_value::<FieldValue>()?);
        }
        Ok(Some(record))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

impl<'de> serde::Deserialize<'de> for FieldValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
}

struct FieldVisitor;

impl<'de> serde::de::Visitor<'de> for FieldVisitor {
    type Value = FieldValue;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_str<E>(self, v: &str) -> Result<FieldValue, E> {
        Ok(FieldValue::Text(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<FieldValue, E> {
        Ok(FieldValue::Text(v))
    }
    fn visit_unit<E>(self) -> Result<FieldValue, E> {
        Ok(FieldValue::Null)
    }
    fn visit_bool<E>(self, _: bool) -> Result<FieldValue, E> {
        Ok(FieldValue::Other("a boolean"))
    }
    fn visit_i64<E>(self, v: i64) -> Result<FieldValue, E> {
        Ok(FieldValue::Number(serde_json::Number::from(v).to_string()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<FieldValue, E> {
        Ok(FieldValue::Number(serde_json::Number::from(v).to_string()))
    }
    fn visit_f64<E>(self, v: f64) -> Result<FieldValue, E> {
        Ok(FieldValue::Number(
            serde_json::Number::from_f64(v)
                .map(|n| n.to_string())
                .unwrap_or_else(|| v.to_string()),
        ))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<FieldValue, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(FieldValue::Other("an array"))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<FieldValue, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(FieldValue::Other("an object"))
    }
}

fn dir_name(path: &Path) -> Option<String> {
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

struct CountingReader<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// `bytes` as text. Every input byte is validated once per pass, which made std's validator
/// ~13% of a `chaff dups` profile; `simdutf8` checks valid input with SIMD and, on invalid
/// input only, std's validator finds the offset an error reports.
fn utf8(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
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
    fn valid_lines_parse_the_same_with_trailing_unicode_space() {
        let docs = read_line(
            "{\"id\":7,\"text\":\"سلام\\n\",\"x\":[1,{\"y\":\"é\"}]}\u{00A0}".as_bytes(),
            false,
        )
        .expect("the line is valid");
        assert_eq!((docs[1].id.as_str(), docs[1].text.as_str()), ("7", "سلام\n"));
    }
}
