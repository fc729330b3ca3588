//! Records as one Parquet table (`--format parquet`): the JSON Lines records, one row each.
//!
//! The table is flat and the same for every command, so that the output of `dups`, `passages`,
//! `chrome` and `scan` can be concatenated or queried alike: one column per record field, named
//! as in JSON, null where a kind of record has no such field. [`COLUMNS`] is the schema; a record
//! field that is an array (`template` of a chrome record) is spread over the columns named in
//! [`SPREAD`]. A row holds exactly the values its JSON record holds: floats the same rounded
//! `f64`s, integers the same numbers, absent fields null.
//!
//! Rows are gathered into batches of 65,536 and written as they fill, so records of
//! any number cost one batch of memory.

use crate::{Error, Result};
use arrow_array::{ArrayRef, BooleanArray, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

/// The type of a record column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text (`Utf8`).
    Text,
    /// An unsigned integer: offsets, lines, counts (`UInt64`).
    Count,
    /// A float: similarities, scores, seconds (`Float64`).
    Float,
    /// A boolean (`Boolean`).
    Flag,
}

/// Every column of the records table, in order, with its type. `kind` is never null.
pub const COLUMNS: &[(&str, ColumnType)] = &[
    ("kind", ColumnType::Text),
    ("id", ColumnType::Text),
    ("of", ColumnType::Text),
    ("similarity", ColumnType::Float),
    ("containment", ColumnType::Float),
    ("cluster", ColumnType::Count),
    ("start", ColumnType::Count),
    ("end", ColumnType::Count),
    ("line", ColumnType::Count),
    ("of_start", ColumnType::Count),
    ("of_end", ColumnType::Count),
    ("of_line", ColumnType::Count),
    ("tokens", ColumnType::Count),
    ("edits", ColumnType::Count),
    ("reason", ColumnType::Text),
    ("score", ColumnType::Float),
    ("region", ColumnType::Text),
    ("cue", ColumnType::Text),
    ("template_pages", ColumnType::Count),
    ("template_source_pages", ColumnType::Count),
    ("copies", ColumnType::Count),
    ("in_index", ColumnType::Flag),
    ("documents", ColumnType::Count),
    ("bytes", ColumnType::Count),
    ("duplicates", ColumnType::Count),
    ("clusters", ColumnType::Count),
    ("passages", ColumnType::Count),
    ("chrome_lines", ColumnType::Count),
    ("seconds", ColumnType::Float),
];

/// Record fields that are arrays, and the columns their items go to, in order.
pub const SPREAD: &[(&str, &[&str])] =
    &[("template", &["template_pages", "template_source_pages"])];

/// Rows gathered before they are written.
const BATCH_ROWS: usize = 65_536;

/// The records table's schema.
pub fn schema() -> SchemaRef {
    let fields: Vec<Field> = COLUMNS
        .iter()
        .map(|&(name, kind)| {
            let data_type = match kind {
                ColumnType::Text => DataType::Utf8,
                ColumnType::Count => DataType::UInt64,
                ColumnType::Float => DataType::Float64,
                ColumnType::Flag => DataType::Boolean,
            };
            Field::new(name, data_type, name != "kind")
        })
        .collect();
    Arc::new(Schema::new(fields))
}

/// The values of one column gathered so far.
enum Values {
    Text(Vec<Option<String>>),
    Count(Vec<Option<u64>>),
    Float(Vec<Option<f64>>),
    Flag(Vec<Option<bool>>),
}

impl Values {
    fn new(kind: ColumnType) -> Values {
        match kind {
            ColumnType::Text => Values::Text(Vec::new()),
            ColumnType::Count => Values::Count(Vec::new()),
            ColumnType::Float => Values::Float(Vec::new()),
            ColumnType::Flag => Values::Flag(Vec::new()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Values::Text(v) => v.len(),
            Values::Count(v) => v.len(),
            Values::Float(v) => v.len(),
            Values::Flag(v) => v.len(),
        }
    }

    /// Appends `value`, or a null for `None`; `Err` names what the column takes.
    fn push(&mut self, value: Option<&serde_json::Value>) -> std::result::Result<(), &str> {
        use serde_json::Value;
        let value = value.filter(|v| !v.is_null());
        match self {
            Values::Text(v) => v.push(match value {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err("a string"),
            }),
            Values::Count(v) => v.push(match value {
                None => None,
                Some(n) => Some(n.as_u64().ok_or("a non-negative integer")?),
            }),
            Values::Float(v) => v.push(match value {
                None => None,
                Some(n) => Some(n.as_f64().ok_or("a number")?),
            }),
            Values::Flag(v) => v.push(match value {
                None => None,
                Some(b) => Some(b.as_bool().ok_or("a boolean")?),
            }),
        }
        Ok(())
    }

    fn take(&mut self) -> ArrayRef {
        match self {
            Values::Text(v) => Arc::new(StringArray::from(std::mem::take(v))),
            Values::Count(v) => Arc::new(UInt64Array::from(std::mem::take(v))),
            Values::Float(v) => Arc::new(Float64Array::from(std::mem::take(v))),
            Values::Flag(v) => Arc::new(BooleanArray::from(std::mem::take(v))),
        }
    }
}

/// Writes records (any of chaff's serde record types, mixed) as one Parquet table.
pub struct RecordWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    schema: SchemaRef,
    columns: Vec<Values>,
    /// Names the output in errors (`<stdout>` or the file).
    shown: PathBuf,
}

impl<W: Write + Send> RecordWriter<W> {
    /// A table written to `out`, named `shown` in errors. Zstd-compressed.
    pub fn new(out: W, shown: impl Into<PathBuf>) -> Result<Self> {
        let shown = shown.into();
        let schema = schema();
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(props))
            .map_err(|e| error(&shown, None, e))?;
        Ok(RecordWriter {
            writer,
            schema,
            columns: COLUMNS.iter().map(|&(_, kind)| Values::new(kind)).collect(),
            shown,
        })
    }

    /// Adds one record as a row. A field without a column (a record type that gained a field
    /// [`COLUMNS`] lacks) is an error, never dropped silently.
    pub fn push<T: crate::report::record::Wire>(&mut self, record: &T) -> Result<()> {
        let value = serde_json::to_value(record).map_err(|e| error(&self.shown, None, e))?;
        let serde_json::Value::Object(mut fields) = value else {
            return Err(error(&self.shown, None, "a record is not an object"));
        };
        for (name, items) in SPREAD {
            if let Some(value) = fields.remove(*name) {
                let array = value.as_array().cloned().unwrap_or_default();
                for (i, column) in items.iter().enumerate() {
                    if let Some(item) = array.get(i) {
                        fields.insert(column.to_string(), item.clone());
                    }
                }
            }
        }
        if let Some(unknown) = fields.keys().find(|k| !COLUMNS.iter().any(|(c, _)| c == k)) {
            return Err(error(
                &self.shown,
                Some(unknown),
                "a record field with no column in the records table",
            ));
        }
        for (values, &(name, _)) in self.columns.iter_mut().zip(COLUMNS) {
            values
                .push(fields.get(name))
                .map_err(|wanted| error(&self.shown, Some(name), format!("expected {wanted}")))?;
        }
        if self.columns[0].len() >= BATCH_ROWS {
            self.write_batch()?;
        }
        Ok(())
    }

    /// Adds every record of `records`.
    pub fn push_all<T: crate::report::record::Wire>(&mut self, records: &[T]) -> Result<()> {
        records.iter().try_for_each(|r| self.push(r))
    }

    fn write_batch(&mut self) -> Result<()> {
        if self.columns[0].len() == 0 {
            return Ok(());
        }
        let arrays: Vec<ArrayRef> = self.columns.iter_mut().map(Values::take).collect();
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)
            .map_err(|e| error(&self.shown, None, e))?;
        self.writer
            .write(&batch)
            .map_err(|e| error(&self.shown, None, e))
    }

    /// Writes what is left and the file's footer; returns the output.
    pub fn finish(mut self) -> Result<W> {
        self.write_batch()?;
        self.writer
            .into_inner()
            .map_err(|e| error(&self.shown, None, e))
    }
}

fn error(shown: &std::path::Path, column: Option<&str>, e: impl std::fmt::Display) -> Error {
    Error::Parquet {
        path: shown.to_path_buf(),
        row: None,
        row_group: None,
        column: column.map(str::to_string),
        message: e.to_string(),
        advice: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Kind, Record};

    /// The records of the kinds written as Parquet (all but `check`'s), each with every
    /// optional field and with none; `check`'s token offsets left out, as no Parquet output
    /// carries them.
    fn table_records() -> Vec<Record> {
        crate::report::record::tests::samples()
            .into_iter()
            .flat_map(|(full, minimal)| [full, minimal])
            .filter(|r| r.kind() != Kind::Check)
            .map(|r| match r {
                Record::Passage(p) => Record::Passage(crate::report::PassageRecord {
                    of_token_start: None,
                    of_token_end: None,
                    ..p
                }),
                other => other,
            })
            .collect()
    }

    #[test]
    fn every_record_kind_fits_the_table() {
        let mut w = RecordWriter::new(Vec::new(), "<test>").unwrap();
        w.push_all(&table_records()).unwrap();
        let bytes = w.finish().unwrap();
        assert!(bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"));
    }

    #[test]
    fn a_field_without_a_column_is_refused() {
        // Token offsets into an indexed document belong to `check` records, which have no
        // Parquet format: the table has no column for them.
        let (full_passage, _) = crate::report::record::tests::samples()
            .into_iter()
            .find(|(r, _)| r.kind() == Kind::Passage)
            .unwrap();
        let mut w = RecordWriter::new(Vec::new(), "<test>").unwrap();
        let err = w.push(&full_passage).unwrap_err();
        assert!(err.to_string().contains("of_token_start"), "{err}");
    }
}
