//! Writing a cleaned copy of a Parquet file: every column but the text as it was.
//!
//! The cleaned file has the input's Parquet schema (the same physical and logical types,
//! repetition and field ids, given to the writer as they are rather than derived again from
//! Arrow), its key-value metadata (the embedded Arrow schema, `pandas` metadata, ...), each
//! column's compression codec, its row order and its row groups: input row group *g* becomes
//! one output row group holding the rows of *g* that are kept, and a row group left with no row
//! is left out. A row is changed only in its text column (cuts applied, a null text stays
//! null) or dropped whole. The values of the other columns are decoded to Arrow and encoded
//! again, so values and types are the same while page layout, encodings and statistics are
//! the writer's.
//!
//! Rows come in file order, a row group at a time: memory holds one row group's edits and one
//! batch of its rows, never the file.

use super::{parquet_error, text_at, text_column};
use crate::corpus::InputFile;
use crate::{Error, Result};
use arrow_array::builder::{
    BinaryViewBuilder, GenericBinaryBuilder, GenericStringBuilder, StringViewBuilder,
};
use arrow_array::{Array, ArrayRef, BooleanArray, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::arrow_writer::ArrowWriterOptions;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::{WriterProperties, WriterVersion};
use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::Arc;

/// Rows decoded at a time while a row group is rewritten.
const BATCH_ROWS: usize = 8192;

/// What becomes of one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RowEdit {
    /// Written unchanged.
    Keep,
    /// Left out.
    Drop,
    /// Written with this text in the text column.
    Text(String),
}

/// A cleaned copy of one Parquet file being written to a temporary file beside its target.
pub(crate) struct Mirror {
    input: std::fs::File,
    shown: PathBuf,
    metadata: ArrowReaderMetadata,
    /// Index of the text column in the Arrow schema.
    text: usize,
    writer: ArrowWriter<BufWriter<std::fs::File>>,
    temp: tempfile::TempPath,
    target: PathBuf,
    /// The next input row group to write.
    group: usize,
    /// 1-based row of the file that opens `group`.
    first_row: u64,
    /// Edits of the rows of `group` received so far.
    edits: Vec<RowEdit>,
}

impl Mirror {
    /// Starts the cleaned copy of `file` at `target` (through a temporary file in its directory).
    pub(crate) fn create(file: &InputFile, target: PathBuf, text_field: &str) -> Result<Mirror> {
        let shown = file.shown();
        let input = std::fs::File::open(&file.path).map_err(|e| Error::io(&shown, e))?;
        let metadata = ArrowReaderMetadata::load(&input, ArrowReaderOptions::new())
            .map_err(|e| parquet_error(&shown, None, None, None, e))?;
        let text = text_column(metadata.schema(), text_field, &shown)?;
        let meta = metadata.metadata();
        let file_meta = meta.file_metadata();
        let mut props = WriterProperties::builder()
            // Row groups are cut where the input's were, never by size or count.
            .set_max_row_group_row_count(None)
            .set_max_row_group_bytes(None)
            .set_writer_version(if file_meta.version() >= 2 {
                WriterVersion::PARQUET_2_0
            } else {
                WriterVersion::PARQUET_1_0
            })
            .set_key_value_metadata(file_meta.key_value_metadata().cloned());
        if meta.num_row_groups() > 0 {
            for column in meta.row_group(0).columns() {
                props = props
                    .set_column_compression(column.column_path().clone(), column.compression());
            }
        }
        let (out, temp) = crate::corpus::write::temp_beside(&target)?;
        let options = ArrowWriterOptions::new()
            .with_properties(props.build())
            .with_parquet_schema(file_meta.schema_descr().clone());
        let writer = ArrowWriter::try_new_with_options(
            BufWriter::with_capacity(1 << 20, out),
            metadata.schema().clone(),
            options,
        )
        .map_err(|e| parquet_error(&target, None, None, None, e))?;
        Ok(Mirror {
            input,
            shown,
            metadata,
            text,
            writer,
            temp,
            target,
            group: 0,
            first_row: 1,
            edits: Vec::new(),
        })
    }

    /// The edit of file row `row` (1-based); rows come in order, each once.
    pub(crate) fn push(&mut self, row: u64, edit: RowEdit) -> Result<()> {
        let expected = self.first_row + self.edits.len() as u64;
        if row != expected {
            return Err(parquet_error(
                &self.shown,
                Some(row),
                None,
                None,
                format!("rows reached the writer out of order (expected row {expected})"),
            ));
        }
        self.edits.push(edit);
        self.write_complete_groups()
    }

    /// Writes every row group whose rows all have their edits.
    fn write_complete_groups(&mut self) -> Result<()> {
        let meta = self.metadata.metadata().clone();
        while self.group < meta.num_row_groups()
            && self.edits.len() as i64 >= meta.row_group(self.group).num_rows()
        {
            self.write_group()?;
        }
        Ok(())
    }

    /// Rewrites row group `self.group` with its edits as one output row group.
    fn write_group(&mut self) -> Result<()> {
        let group = self.group;
        let rows = self.metadata.metadata().row_group(group).num_rows().max(0) as usize;
        let edits: Vec<RowEdit> = self.edits.drain(..rows).collect();
        if edits.iter().any(|e| *e != RowEdit::Drop) {
            let input = self
                .input
                .try_clone()
                .map_err(|e| Error::io(&self.shown, e))?;
            let reader =
                ParquetRecordBatchReaderBuilder::new_with_metadata(input, self.metadata.clone())
                    .with_row_groups(vec![group])
                    .with_batch_size(BATCH_ROWS)
                    .build()
                    .map_err(|e| parquet_error(&self.shown, None, Some(group), None, e))?;
            let mut at = 0;
            for batch in reader {
                let row = self.first_row + at as u64;
                let batch = batch
                    .map_err(|e| parquet_error(&self.shown, Some(row), Some(group), None, e))?;
                let n = batch.num_rows();
                let part = edits.get(at..at + n).ok_or_else(|| {
                    parquet_error(
                        &self.shown,
                        Some(row),
                        Some(group),
                        None,
                        "the row group holds more rows than its metadata says",
                    )
                })?;
                at += n;
                let batch = apply(batch, part, self.text).map_err(|e| {
                    let column = self.metadata.schema().field(self.text).name();
                    parquet_error(&self.shown, Some(row), Some(group), Some(column), e)
                })?;
                if batch.num_rows() > 0 {
                    self.writer
                        .write(&batch)
                        .map_err(|e| parquet_error(&self.target, None, Some(group), None, e))?;
                }
            }
            // Ends the output row group here, where the input's ended.
            self.writer
                .flush()
                .map_err(|e| parquet_error(&self.target, None, Some(group), None, e))?;
        }
        self.first_row += rows as u64;
        self.group += 1;
        Ok(())
    }

    /// Finishes the file and renames it into place. Every row must have had its edit.
    pub(crate) fn commit(mut self) -> Result<()> {
        self.write_complete_groups()?;
        if self.group < self.metadata.metadata().num_row_groups() || !self.edits.is_empty() {
            return Err(parquet_error(
                &self.shown,
                Some(self.first_row + self.edits.len() as u64),
                Some(self.group),
                None,
                "the cleaned copy ended before the input's last row",
            ));
        }
        let out = self
            .writer
            .into_inner()
            .map_err(|e| parquet_error(&self.target, None, None, None, e))?;
        out.into_inner()
            .map_err(|e| Error::io(&self.target, e.into_error()))?;
        self.temp
            .persist(&self.target)
            .map_err(|e| Error::io(&self.target, e.error))
    }
}

/// `batch` with `edits` (one per row) applied to its text column `text`.
fn apply(batch: RecordBatch, edits: &[RowEdit], text: usize) -> Result<RecordBatch, String> {
    if edits.iter().all(|e| *e == RowEdit::Keep) {
        return Ok(batch);
    }
    let mut columns = batch.columns().to_vec();
    if edits.iter().any(|e| matches!(e, RowEdit::Text(_))) {
        columns[text] = replaced(&columns[text], edits)?;
    }
    let batch = RecordBatch::try_new(batch.schema(), columns).map_err(|e| e.to_string())?;
    if !edits.contains(&RowEdit::Drop) {
        return Ok(batch);
    }
    let keep: BooleanArray = edits.iter().map(|e| Some(*e != RowEdit::Drop)).collect();
    arrow_select::filter::filter_record_batch(&batch, &keep).map_err(|e| e.to_string())
}

/// The text column `array` with the new texts of `edits` in their rows, of the same type.
fn replaced(array: &ArrayRef, edits: &[RowEdit]) -> Result<ArrayRef, String> {
    // Each builder takes the new text or the old value (null stays null) for every row.
    macro_rules! rebuild {
        ($builder:expr, $value:expr) => {{
            let mut builder = $builder;
            for (i, edit) in edits.iter().enumerate() {
                match (edit, text_at(array.as_ref(), i)) {
                    (RowEdit::Text(t), _) => builder.append_value($value(t.as_bytes())),
                    (_, Some(old)) => builder.append_value($value(old)),
                    (_, None) => builder.append_null(),
                }
            }
            Arc::new(builder.finish()) as ArrayRef
        }};
    }
    fn text(b: &[u8]) -> &str {
        std::str::from_utf8(b).expect("a string column's values and a new text are UTF-8")
    }
    fn bytes(b: &[u8]) -> &[u8] {
        b
    }
    let n = edits.len();
    Ok(match array.data_type() {
        DataType::Utf8 => rebuild!(GenericStringBuilder::<i32>::with_capacity(n, 0), text),
        DataType::LargeUtf8 => rebuild!(GenericStringBuilder::<i64>::with_capacity(n, 0), text),
        DataType::Utf8View => rebuild!(StringViewBuilder::with_capacity(n), text),
        DataType::Binary => rebuild!(GenericBinaryBuilder::<i32>::with_capacity(n, 0), bytes),
        DataType::LargeBinary => rebuild!(GenericBinaryBuilder::<i64>::with_capacity(n, 0), bytes),
        DataType::BinaryView => rebuild!(BinaryViewBuilder::with_capacity(n), bytes),
        other => return Err(format!("cannot rewrite a text column of type {other}")),
    })
}
