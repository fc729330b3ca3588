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
