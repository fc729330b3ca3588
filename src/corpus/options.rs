//! What to read and how: the JSON fields of a document, where its source comes from, the
//! document size limit and the other reading options, and byte sizes as users write them.

use crate::Result;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_sizes_take_binary_suffixes() {
        assert_eq!(parse_byte_size("64M"), Ok(64 << 20));
        assert_eq!(parse_byte_size("1g"), Ok(1 << 30));
        assert_eq!(parse_byte_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_byte_size("1000"), Ok(1000));
        assert!(parse_byte_size("12x").is_err());
        assert!(parse_byte_size("99999999999G").is_err());
    }
}
