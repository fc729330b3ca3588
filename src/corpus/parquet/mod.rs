//! Parquet corpora: one document per row, read with the arrow-rs Parquet reader.
//!
//! Only the text, id and source columns are decoded (a projection, so the other columns of a
//! wide table cost nothing), one row group at a time in batches of 1024 rows: memory
//! holds a batch of those three columns, never a file. Each column is a top-level column named
//! by [`super::Fields`] (`--text-field`, `--id-field`, `--source-field`):
//! * the text column must exist and hold strings (`Utf8`, `LargeUtf8`, `Utf8View`) or bytes
//!   (`Binary`, `LargeBinary`, `BinaryView`, decoded as UTF-8, `--lossy` as for JSONL); a null
//!   text is an empty document, as a JSONL `"text":null` is: it is numbered, finds nothing, and
//!   `clean` writes its row unchanged;
//! * the id and source columns are optional and may hold strings, bytes or integers (written
//!   in decimal, as a JSON number id is); a row whose id is null or whose file has no id column
//!   is named `FILE:ROW` (1-based row in the file, across row groups), or by
//!   [`super::content_id`] where JSONL records would be.
//!
//! A document's [`super::Origin::line`] is its 1-based row. Errors are [`Error::Parquet`] with the
//! file and, where they apply, the row, row group and column.
//!
//! `clean` writes a Parquet file back with [`mirror::Mirror`].

pub(super) mod mirror;

use super::SourceFrom;
use super::{unnumbered, utf8, Document, InputFile, RawRecord, ReadOptions, RowColumns};
use crate::{Advice, Error, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::Array;
use arrow_schema::{DataType, Schema};
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::ProjectionMask;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Rows decoded at a time: small enough that a batch of long articles stays a few MB.
const BATCH_ROWS: usize = 1024;

/// A Parquet error at `path` with whatever of the place is known.
pub(super) fn parquet_error(
    path: &Path,
    row: Option<u64>,
    row_group: Option<usize>,
    column: Option<&str>,
    message: impl std::fmt::Display,
) -> Error {
    Error::Parquet {
        path: path.to_path_buf(),
        row,
        row_group,
        column: column.map(str::to_string),
        message: message.to_string(),
        advice: None,
    }
}

/// [`parquet_error`] that ends with `advice`.
fn advised(error: Error, advice: Advice) -> Error {
    match error {
        Error::Parquet {
            path,
            row,
            row_group,
            column,
            message,
            ..
        } => Error::Parquet {
            path,
            row,
            row_group,
            column,
            message,
            advice: Some(Box::new(advice)),
        },
        other => other,
    }
}

/// Whether a column of this type holds text (strings, or bytes read as UTF-8).
fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
    )
}

/// Whether a column of this type can name a document (an id or a source).
fn is_name(data_type: &DataType) -> bool {
    is_text(data_type) || data_type.is_integer()
}

/// The bytes of row `i` of a text column; `None` when null. The column's type was checked by
/// [`is_text`] when the file was opened.
pub(super) fn text_at(array: &dyn Array, i: usize) -> Option<&[u8]> {
    if array.is_null(i) {
        return None;
    }
    Some(match array.data_type() {
        DataType::Utf8 => array.as_string::<i32>().value(i).as_bytes(),
        DataType::LargeUtf8 => array.as_string::<i64>().value(i).as_bytes(),
        DataType::Utf8View => array.as_string_view().value(i).as_bytes(),
        DataType::Binary => array.as_binary::<i32>().value(i),
        DataType::LargeBinary => array.as_binary::<i64>().value(i),
        DataType::BinaryView => array.as_binary_view().value(i),
        _ => return None,
    })
}

/// Row `i` of an id or source column as text; `None` when null.
fn name_at(array: &dyn Array, i: usize) -> Option<String> {
    if array.is_null(i) {
        return None;
    }
    macro_rules! integer {
        ($t:ty) => {
            array.as_primitive::<$t>().value(i).to_string()
        };
    }
    Some(match array.data_type() {
        DataType::Int8 => integer!(Int8Type),
        DataType::Int16 => integer!(Int16Type),
        DataType::Int32 => integer!(Int32Type),
        DataType::Int64 => integer!(Int64Type),
        DataType::UInt8 => integer!(UInt8Type),
        DataType::UInt16 => integer!(UInt16Type),
        DataType::UInt32 => integer!(UInt32Type),
        DataType::UInt64 => integer!(UInt64Type),
        _ => String::from_utf8_lossy(text_at(array, i)?).into_owned(),
    })
}

/// The top-level column `name` of `schema` when its type passes `accepts`; `Ok(None)` when the
/// file has no such column.
fn column_index(
    schema: &Schema,
    name: &str,
    accepts: fn(&DataType) -> bool,
    wanted: &str,
    path: &Path,
) -> Result<Option<usize>> {
    let Ok(index) = schema.index_of(name) else {
        return Ok(None);
    };
    let data_type = schema.field(index).data_type();
    if !accepts(data_type) {
        return Err(parquet_error(
            path,
            None,
            None,
            Some(name),
            format!("must hold {wanted}, found {data_type}"),
        ));
    }
    Ok(Some(index))
}

/// The text column of a file: its index in the Arrow schema, or an error that lists the columns
/// there are.
pub(super) fn text_column(schema: &Schema, name: &str, path: &Path) -> Result<usize> {
    column_index(schema, name, is_text, "strings or bytes", path)?.ok_or_else(|| {
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        advised(
            parquet_error(path, None, None, Some(name), "no such top-level column"),
            Advice::new(
                " (choose the text column with ",
                "corpus.fields.text",
                format!("; the file has: {})", names.join(", ")),
            ),
        )
    })
}

/// Reads the rows of one Parquet file as raw records (text bytes, id and source beside them),
/// none with a text longer than the size limit; `emit` returns false to stop early. The
/// compressed size of each row group read is added to `progress`.
pub(super) fn read_rows(
    index: u32,
    file: &InputFile,
    options: &ReadOptions,
    progress: &AtomicU64,
    emit: &mut dyn FnMut(RawRecord) -> bool,
) -> Result<()> {
    let shown = file.shown();
    let handle = std::fs::File::open(&file.path).map_err(|e| Error::io(&shown, e))?;
    let metadata = ArrowReaderMetadata::load(&handle, ArrowReaderOptions::new())
        .map_err(|e| parquet_error(&shown, None, None, None, e))?;
    let schema = metadata.schema().clone();
    let fields = &options.fields;
    let text = text_column(&schema, &fields.text, &shown)?;
    let id = column_index(&schema, &fields.id, is_name, "strings or integers", &shown)?;
    let source = match options.source_from {
        SourceFrom::Field => column_index(
            &schema,
            &fields.source,
            is_name,
            "strings or integers",
            &shown,
        )?,
        SourceFrom::Dir => None,
    };
    let mut roots = vec![text];
    roots.extend(id);
    roots.extend(source);
    let mask = ProjectionMask::roots(metadata.parquet_schema(), roots);
    // A projected batch holds only these columns: each is found by its name.
    let text_name = fields.text.as_str();
    let id_name = id.map(|_| fields.id.as_str());
    let source_name = source.map(|_| fields.source.as_str());
    let limit = options.max_doc_bytes;
    let mut row = 0u64;
    for group in 0..metadata.metadata().num_row_groups() {
        let place = |e: &dyn std::fmt::Display, row: Option<u64>| {
            parquet_error(&shown, row, Some(group), None, e)
        };
        let input = handle.try_clone().map_err(|e| Error::io(&shown, e))?;
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(input, metadata.clone())
            .with_row_groups(vec![group])
            .with_projection(mask.clone())
            .with_batch_size(BATCH_ROWS)
            .build()
            .map_err(|e| place(&e, None))?;
        for batch in reader {
            let batch = batch.map_err(|e| place(&e, Some(row + 1)))?;
            let column = |name: &str| {
                batch
                    .column_by_name(name)
                    .expect("a projected column is in the batch")
                    .clone()
            };
            let texts = column(text_name);
            let ids = id_name.map(column);
            let sources = source_name.map(column);
            for i in 0..batch.num_rows() {
                row += 1;
                let bytes = text_at(&texts, i).unwrap_or_default();
                if bytes.len() as u64 > limit {
                    return Err(advised(
                        parquet_error(
                            &shown,
                            Some(row),
                            Some(group),
                            Some(&fields.text),
                            format!(
                                "the text is larger than the document size limit of {limit} bytes"
                            ),
                        ),
                        Advice::max_doc_bytes(""),
                    ));
                }
                let columns = RowColumns {
                    id: ids.as_ref().and_then(|a| name_at(a, i)),
                    source: sources.as_ref().and_then(|a| name_at(a, i)),
                };
                let record = RawRecord {
                    origin: super::Origin {
                        file: index,
                        line: row,
                    },
                    bytes: bytes.to_vec(),
                    columns: Some(Box::new(columns)),
                };
                if !emit(record) {
                    return Ok(());
                }
            }
        }
        let size = metadata.metadata().row_group(group).compressed_size();
        progress.fetch_add(size.max(0) as u64, Ordering::Relaxed);
    }
    Ok(())
}

/// The document of one row read by [`read_rows`].
pub(super) fn document(
    options: &ReadOptions,
    file: &InputFile,
    raw: RawRecord,
) -> Result<Document> {
    let row = raw.origin.line;
    let text = match utf8(&raw.bytes) {
        Ok(_) => String::from_utf8(raw.bytes).expect("validated just above"),
        Err(_) if options.lossy => String::from_utf8_lossy(&raw.bytes).into_owned(),
        Err(e) => {
            return Err(advised(
                parquet_error(
                    &file.shown(),
                    Some(row),
                    None,
                    Some(&options.fields.text),
                    format!("invalid UTF-8 at byte {} of the text", e.valid_up_to()),
                ),
                Advice::lossy(),
            ))
        }
    };
    let columns = raw.columns.map(|c| *c).unwrap_or(RowColumns {
        id: None,
        source: None,
    });
    let id = match columns.id {
        Some(id) => id,
        None if options.content_ids => super::content_id(&text),
        None => format!("{}:{row}", file.display),
    };
    Ok(unnumbered(
        options,
        file,
        raw.origin,
        id,
        text,
        columns.source,
    ))
}
