//! Reading corpora and writing cleaned copies of them.
//!
//! Inputs are `.txt` files (one document each), JSON Lines files (`.jsonl`, `.ndjson`, optionally
//! `.gz` or `.zst` compressed; one object per line), Parquet files (`.parquet`, one document per
//! row; with the `parquet` feature), directories walked recursively in file-name order, and `-`
//! for JSON Lines on standard input (spooled to a temporary file so that later passes can read
//! it again). Reading streams: a batch of raw records is read on one thread while
//! the previous batch is parsed in parallel, so memory holds a few batches, never the corpus.
//!
//! Documents are numbered densely in corpus order (inputs in the order given, then file-name
//! order inside directories, then line or row order); every pass over the same corpus sees the same
//! numbers, which is what lets later passes and `clean` refer to documents by number.
//!
//! Stages that only need documents in that order take a [`DocumentSource`]: a [`Corpus`] of
//! files, or [`Texts`] held in memory.

mod jsonl;
mod open;
mod options;
#[cfg(feature = "parquet")]
mod parquet;
mod parse;
mod read;
mod safety;
mod source;
mod splice;
mod write;

pub use open::{Corpus, InputFile};
pub use options::{
    parse_byte_size, Fields, ReadOptions, SourceFrom, BINARY_PROBE, DEFAULT_MAX_DOC_BYTES,
};
#[cfg_attr(not(feature = "parquet"), allow(unused_imports))]
use parse::{unnumbered, utf8};
#[cfg(not(feature = "parquet"))]
use read::no_parquet;
use read::RawRecord;
#[cfg_attr(not(feature = "parquet"), allow(unused_imports))]
use read::RowColumns;
pub use read::{Document, Origin};
pub use safety::OutputGuard;
pub use source::{DocumentSource, Texts};
pub use write::{apply_cuts, check_output_dir, write_atomically, Edit, WriteStats};

/// The id of a JSONL record without an id field when [`ReadOptions::content_ids`] is set:
/// `xxh3:` and the 128-bit xxh3 hash of its text in 32 hex digits. It depends on the text
/// only, so the same text gets the same id in whatever file and on whatever line it comes.
pub fn content_id(text: &str) -> String {
    format!("xxh3:{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

/// How an input file is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A plain-text file holding one document.
    Text,
    /// JSON Lines, one document per line.
    Jsonl(Compression),
    /// Parquet (`.parquet`), one document per row. Recognized whatever the build, so that a
    /// build without the `parquet` feature refuses such a file instead of skipping it unseen.
    Parquet,
}

/// Compression of a JSON Lines file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Plain.
    None,
    /// gzip (`.gz`).
    Gzip,
    /// Zstandard (`.zst`).
    Zstd,
}

impl Format {
    /// The format implied by a file name, or `None` when it is not a corpus file.
    pub fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        let (stem, compression) = if let Some(s) = lower.strip_suffix(".gz") {
            (s.to_string(), Compression::Gzip)
        } else if let Some(s) = lower.strip_suffix(".zst") {
            (s.to_string(), Compression::Zstd)
        } else {
            (lower.clone(), Compression::None)
        };
        if lower.ends_with(".parquet") {
            Some(Format::Parquet)
        } else if stem.ends_with(".jsonl") || stem.ends_with(".ndjson") {
            Some(Format::Jsonl(compression))
        } else if lower.ends_with(".txt") {
            Some(Format::Text)
        } else {
            None
        }
    }
}
