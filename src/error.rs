//! The library's one error type.
//!
//! Every variant that comes from user input carries the place (file, line or byte offset) so the
//! binary can print it once and exit 2 without adding context of its own.

use std::path::PathBuf;

/// Everything that can go wrong while reading, analysing or writing a corpus.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be opened, read or written.
    #[error("{path}: {cause}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's reason (shown in the message, so not chained as a source).
        cause: std::io::Error,
    },
    /// A document is not valid UTF-8 (and `--lossy` was not given).
    #[error("{path}{}: invalid UTF-8 at byte {byte_offset} (use --lossy to replace invalid bytes)", line_suffix(*.line))]
    InvalidUtf8 {
        /// The file holding the document.
        path: PathBuf,
        /// 1-based line for JSONL inputs.
        line: Option<u64>,
        /// Offset of the first invalid byte, in the file for `.txt`, in the line for JSONL.
        byte_offset: usize,
    },
    /// A JSONL line is not a JSON object of the expected shape.
    #[error("{path}:{line}: {message}")]
    Json {
        /// The JSONL file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What was expected and what was found.
        message: String,
    },
    /// An input cannot be read as a corpus: a document over the size limit, a corrupt
    /// compressed stream. The message says what and where (byte offsets included).
    #[error("{path}{}: {message}", line_suffix(*.line))]
    Input {
        /// The input file, or `<stdin>`.
        path: PathBuf,
        /// 1-based line of a JSONL input, when the problem is in one.
        line: Option<u64>,
        /// What is wrong, where, and what to do about it.
        message: String,
    },
    /// A Parquet file cannot be read as a corpus or written back: not Parquet, a missing or
    /// mistyped column, a value over the size limit, a codec this build lacks.
    #[error("{path}{}: {message}", parquet_place(*.row, *.row_group, .column.as_deref()))]
    Parquet {
        /// The Parquet file (an input, or the output being written).
        path: PathBuf,
        /// 1-based row in the file (across row groups), when one row is at fault.
        row: Option<u64>,
        /// 0-based row group (as `pyarrow`'s `read_row_group` counts), when known.
        row_group: Option<usize>,
        /// The column concerned, when one is.
        column: Option<String>,
        /// What is wrong and what to do about it.
        message: String,
    },
    /// A configuration value a stage cannot work with; nothing was read or written.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The command line or configuration asks for something impossible.
    #[error("{0}")]
    Usage(String),
    /// An output would be written over an input or inside one; nothing was written.
    #[error("{path}: {message}")]
    UnsafeOutput {
        /// The output path as given.
        path: PathBuf,
        /// Which output, what it would overwrite, and what to do.
        message: String,
    },
    /// A stored index or model cannot be used with the present configuration.
    #[error("{path}: {message}")]
    Incompatible {
        /// The index or model file.
        path: PathBuf,
        /// Why it was refused.
        message: String,
    },
    /// An index built with other settings than the run asks for; the differences name each
    /// setting by its field (the command line names them by its flags).
    #[error(
        "{path}: the index was built with other settings; pass the same settings as when it \
         was built ({}), or build a new index:\n  {}",
        .stored.describe(),
        .differences.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n  ")
    )]
    IndexSettings {
        /// The index file.
        path: PathBuf,
        /// The settings stored in the index.
        stored: Box<crate::index::Settings>,
        /// Each setting that differs.
        differences: Vec<crate::index::SettingDifference>,
    },
    /// Sketches that cannot be merged or decided together ([`crate::sketch::Sketches`]): made
    /// with other settings (named), a document number given twice or missing, a sketch of the
    /// wrong shape.
    #[error("sketches: {0}")]
    Sketches(String),
    /// A persistent index could not be read or written (locked by another writer, damaged,
    /// or the database refused an operation).
    #[error("{path}: {message}")]
    Index {
        /// The index file.
        path: PathBuf,
        /// What went wrong, in words a user can act on.
        message: String,
    },
}

/// A configuration field holding a value the stage cannot work with (a threshold above 1, more
/// LSH rows than MinHash slots, NaN). Every stage checks its configuration with `validate()`
/// before any work, so a library user gets this instead of a panic or a silently meaningless
/// result. `field` is the library's name for the setting (`dups.threshold`), not a command-line
/// flag: the `chaff` binary translates it when it reports.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} = {value}: must be {allowed}")]
pub struct ConfigError {
    /// The setting, as `stage.field` (`dups.threshold`, `passages.near.seed_tokens`).
    pub field: &'static str,
    /// The value given, written out.
    pub value: String,
    /// What the field accepts, in words ("between 0 and 1").
    pub allowed: String,
}

impl ConfigError {
    /// A refusal of `value` for `field`, which accepts `allowed`.
    pub fn new(
        field: &'static str,
        value: impl std::fmt::Display,
        allowed: impl Into<String>,
    ) -> Self {
        ConfigError {
            field,
            value: value.to_string(),
            allowed: allowed.into(),
        }
    }

    /// `Ok` when `value` lies between 0 and 1 (NaN never does), otherwise the error for `field`:
    /// the rule of every similarity, share and probability threshold.
    pub fn check_unit(field: &'static str, value: f64) -> Result<(), ConfigError> {
        if (0.0..=1.0).contains(&value) {
            Ok(())
        } else {
            Err(ConfigError::new(field, value, "between 0 and 1"))
        }
    }

    /// `Ok` when `value` lies in `range`, otherwise the error for `field`.
    pub fn check_range(
        field: &'static str,
        value: usize,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<(), ConfigError> {
        if range.contains(&value) {
            Ok(())
        } else {
            Err(ConfigError::new(
                field,
                value,
                format!("between {} and {}", range.start(), range.end()),
            ))
        }
    }
}

/// `: row R (row group G), column `C`` with the parts that are known.
fn parquet_place(row: Option<u64>, row_group: Option<usize>, column: Option<&str>) -> String {
    let mut place = Vec::new();
    match (row, row_group) {
        (Some(r), Some(g)) => place.push(format!("row {r} (row group {g})")),
        (Some(r), None) => place.push(format!("row {r}")),
        (None, Some(g)) => place.push(format!("row group {g}")),
        (None, None) => {}
    }
    if let Some(c) = column {
        place.push(format!("column `{c}`"));
    }
    if place.is_empty() {
        String::new()
    } else {
        format!(": {}", place.join(", "))
    }
}

fn line_suffix(line: Option<u64>) -> String {
    line.map(|l| format!(":{l}")).unwrap_or_default()
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, cause: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            cause,
        }
    }
}

/// Shorthand for results of this library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
