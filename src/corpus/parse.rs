//! Parsing raw records into documents: a `.txt` file's bytes, or a JSONL line's id, text and
//! source fields (a Parquet row is parsed by the `parquet` module), with UTF-8 checked once
//! and every error naming the file, line and byte offset.

use super::jsonl::{json_message, parse_record, replace_lone_surrogates, FieldValue, UTF8_BOM};
#[cfg(not(feature = "parquet"))]
use super::no_parquet;
use super::{Corpus, Document, Format, InputFile, Origin, RawRecord, ReadOptions, SourceFrom};
use crate::{Advice, Error, Result};
use std::path::Path;

impl Corpus {
    pub(super) fn parse(&self, raw: RawRecord, keep_raw: bool) -> Result<Document> {
        let file = &self.files[raw.origin.file as usize];
        let doc = match file.format {
            Format::Text => {
                let text = self.decode(&raw.bytes, &file.shown(), None)?;
                let id = file.relative.to_string_lossy().to_string();
                unnumbered(&self.options, file, raw.origin, id, text, None)
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
        let advised = |(message, advice): (String, Option<Advice>)| Error::Json {
            path: file.shown(),
            line,
            message,
            advice: advice.map(Box::new),
        };
        let json_error = |message: String| advised((message, None));
        let fields = &self.options.fields;
        let json = text.trim_end();
        let record = match parse_record(json, fields) {
            Ok(record) => record,
            // serde_json names a lone surrogate variously ("unexpected end of hex escape", "lone
            // leading surrogate"), so the line itself is looked at, only once it has failed.
            Err(e) => match replace_lone_surrogates(json) {
                Some(fixed) if self.options.lossy => parse_record(&fixed, fields)
                    .map_err(|e| advised(json_message(&e, bom, false)))?,
                Some(_) => return Err(advised(json_message(&e, bom, true))),
                None => return Err(advised(json_message(&e, bom, false))),
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
                return Err(advised((
                    format!("missing text field `{}`", fields.text),
                    Some(Advice::new(
                        " (choose another with ",
                        "corpus.fields.text",
                        ")",
                    )),
                )))
            }
        };
        let id = match record.id {
            Some(FieldValue::Text(s)) | Some(FieldValue::Number(s)) => s,
            _ if self.options.content_ids => super::content_id(&text),
            _ => format!("{}:{}", file.display, line),
        };
        let field_source = match record.source {
            Some(FieldValue::Text(s)) | Some(FieldValue::Number(s)) => Some(s),
            _ => None,
        };
        Ok(unnumbered(
            &self.options,
            file,
            raw.origin,
            id,
            text,
            field_source,
        ))
    }
}

/// A document of `file` before the corpus numbers it: its source is the file's directory or
/// the record's own source field (`field_source`), as the options say.
pub(super) fn unnumbered(
    options: &ReadOptions,
    file: &InputFile,
    origin: Origin,
    id: String,
    text: String,
    field_source: Option<String>,
) -> Document {
    let source = match options.source_from {
        SourceFrom::Dir => dir_name(&file.path),
        SourceFrom::Field => field_source,
    };
    Document {
        number: 0,
        id,
        source,
        text,
        origin,
        raw: None,
    }
}

fn dir_name(path: &Path) -> Option<String> {
    path.canonicalize()
        .ok()?
        .parent()?
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
}

/// `bytes` as text. Every input byte is validated once per pass, which made std's validator
/// ~13% of a `chaff dups` profile; `simdutf8` checks valid input with SIMD and, on invalid
/// input only, std's validator finds the offset an error reports.
pub(super) fn utf8(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes))
}

#[cfg(test)]
mod tests {
    use super::super::ReadOptions;
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
