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
    /// A document is not valid UTF-8 (and [`crate::corpus::ReadOptions::lossy`] is off). The
    /// message ends with [`Advice::lossy`].
    #[error("{path}{}: invalid UTF-8 at byte {byte_offset}{}", line_suffix(*.line), Advice::lossy())]
    InvalidUtf8 {
        /// The file holding the document.
        path: PathBuf,
        /// 1-based line for JSONL inputs.
        line: Option<u64>,
        /// Offset of the first invalid byte, in the file for `.txt`, in the line for JSONL.
        byte_offset: usize,
    },
    /// A JSONL line is not a JSON object of the expected shape.
    #[error("{path}:{line}: {message}{}", advice_suffix(.advice))]
    Json {
        /// The JSONL file.
        path: PathBuf,
        /// 1-based line number.
        line: u64,
        /// What was expected and what was found.
        message: String,
        /// The setting that would let the line through, when one would.
        advice: Option<Box<Advice>>,
    },
    /// An input cannot be read as a corpus: a document over the size limit, a corrupt
    /// compressed stream. The message says what and where (byte offsets included).
    #[error("{path}{}: {message}{}", line_suffix(*.line), advice_suffix(.advice))]
    Input {
        /// The input file, or `<stdin>`.
        path: PathBuf,
        /// 1-based line of a JSONL input, when the problem is in one.
        line: Option<u64>,
        /// What is wrong and where.
        message: String,
        /// The setting that would let the input through, when one would.
        advice: Option<Box<Advice>>,
    },
    /// A Parquet file cannot be read as a corpus or written back: not Parquet, a missing or
    /// mistyped column, a value over the size limit, a codec this build lacks.
    #[error("{path}{}: {message}{}", parquet_place(*.row, *.row_group, .column.as_deref()), advice_suffix(.advice))]
    Parquet {
        /// The Parquet file (an input, or the output being written).
        path: PathBuf,
        /// 1-based row in the file (across row groups), when one row is at fault.
        row: Option<u64>,
        /// 0-based row group (as `pyarrow`'s `read_row_group` counts), when known.
        row_group: Option<usize>,
        /// The column concerned, when one is.
        column: Option<String>,
        /// What is wrong.
        message: String,
        /// The setting that would let the file through, when one would.
        advice: Option<Box<Advice>>,
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
    #[error("{path}: {message}{}", advice_suffix(.advice))]
    Index {
        /// The index file.
        path: PathBuf,
        /// What went wrong, in words a user can act on.
        message: String,
        /// The setting that would help (a longer wait for a locked index), or the operation
        /// (creating the index, [`crate::index::CREATE`]), when one would.
        advice: Option<Box<Advice>>,
    },
    /// A corpus holds more than a stage can count (more than 2^32 repeated passage
    /// fingerprints); the advice names the setting that brings it back within reach.
    #[error("{message}{advice}")]
    Capacity {
        /// What overflowed.
        message: String,
        /// The setting to change.
        advice: Box<Advice>,
    },
}

/// What to do about an error, naming the setting to change by its library field
/// (`corpus.lossy`, as [`ConfigError::field`] names settings), so that each front end can name
/// it its own way: the `chaff` binary by its flag ([`Error::describe`]). Advice to run an
/// operation names it alike ([`crate::index::CREATE`]; the binary names its command). It is
/// always the end of the error's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advice {
    /// The setting, as `stage.field`.
    pub field: &'static str,
    /// Text before the setting's name.
    before: String,
    /// Text after it.
    after: String,
}

impl Advice {
    /// Advice `before` + the setting `field` + `after`.
    pub fn new(before: impl Into<String>, field: &'static str, after: impl Into<String>) -> Self {
        Advice {
            field,
            before: before.into(),
            after: after.into(),
        }
    }

    /// The advice of invalid UTF-8: replace it ([`crate::corpus::ReadOptions::lossy`]).
    pub fn lossy() -> Self {
        Advice::new(" (use ", "corpus.lossy", " to replace invalid bytes)")
    }

    /// The advice of a document over the size limit
    /// ([`crate::corpus::ReadOptions::max_doc_bytes`]).
    pub fn max_doc_bytes(after: &str) -> Self {
        Advice::new("; raise it with ", "corpus.max_doc_bytes", after)
    }

    /// The advice with the setting called `name`.
    pub fn render(&self, name: &str) -> String {
        format!("{}{name}{}", self.before, self.after)
    }
}

impl std::fmt::Display for Advice {
    /// The advice with the setting named by its library field.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.render(self.field))
    }
}

fn advice_suffix(advice: &Option<Box<Advice>>) -> String {
    advice.as_ref().map(|a| a.to_string()).unwrap_or_default()
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
    /// The advice that ends this error's message, when it has one.
    pub fn advice(&self) -> Option<Advice> {
        match self {
            Error::InvalidUtf8 { .. } => Some(Advice::lossy()),
            Error::Json { advice, .. }
            | Error::Input { advice, .. }
            | Error::Parquet { advice, .. }
            | Error::Index { advice, .. } => advice.as_deref().cloned(),
            Error::Capacity { advice, .. } => Some(advice.as_ref().clone()),
            _ => None,
        }
    }

    /// The message with the setting of its advice named by `name_of` (given the library field)
    /// instead of by its field: how a front end (the `chaff` binary, with its flags) tells it.
    pub fn describe(&self, name_of: impl Fn(&'static str) -> &str) -> String {
        let text = self.to_string();
        match self.advice() {
            Some(advice) => {
                let own = advice.to_string();
                // The advice is the end of every message that has one (see each variant).
                let base = text.strip_suffix(&own).unwrap_or(&text);
                format!("{base}{}", advice.render(name_of(advice.field)))
            }
            None => text,
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_front_end_names_the_advised_setting_its_own_way() {
        let e = Error::Input {
            path: "a.jsonl".into(),
            line: Some(3),
            message: "too large".into(),
            advice: Some(Box::new(Advice::max_doc_bytes(" (or split the input)"))),
        };
        assert_eq!(
            e.to_string(),
            "a.jsonl:3: too large; raise it with corpus.max_doc_bytes (or split the input)"
        );
        let flag = |field: &str| {
            if field == "corpus.max_doc_bytes" {
                "--max-doc-bytes"
            } else {
                "?"
            }
        };
        assert_eq!(
            e.describe(flag),
            "a.jsonl:3: too large; raise it with --max-doc-bytes (or split the input)"
        );
        let utf8 = Error::InvalidUtf8 {
            path: "b.txt".into(),
            line: None,
            byte_offset: 4,
        };
        assert_eq!(
            utf8.describe(|_| "--lossy"),
            "b.txt: invalid UTF-8 at byte 4 (use --lossy to replace invalid bytes)"
        );
        assert!(!utf8.to_string().contains("--"));
    }
}
