//! Extension point: how the passage and chrome stages plug into the index.
//!
//! Duplicates are built into the index; passages (`crate::passages`) and chrome (`crate::chrome`)
//! are separate stages that keep their own per-document data. Each implements [`Extension`]:
//! `add_document` runs inside the add's transaction (so its rows commit or vanish with the
//! add, and crash safety holds for them too), `remove_document` inside the removal's, and
//! `check` reads the committed state in the check's read transaction. Their tables are reserved
//! in [`super::schema::SCHEMA`] (`passage_fingerprints`, `chrome_lines`); an extension may
//! create more with `CREATE TABLE IF NOT EXISTS` in [`Extension::schema`].
//!
//! EXTENSION POINT: register implementations in [`registered`]. Until one of a kind is
//! registered, `check --fail-on passage|chrome` is refused as unsupported rather than passing
//! silently.

use crate::corpus::Document;
use crate::Result;
use rusqlite::Connection;

/// What a check found beyond duplicates: one record, ready to print.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Number of the new document concerned (corpus order of the checked corpus).
    pub doc: u32,
    /// 1-based line in the document's text, for annotations.
    pub line: u64,
    /// The JSON record (`{"kind":"passage",...}` or `{"kind":"chrome",...}` per the contract,
    /// plus `"in_index"`).
    pub record: serde_json::Value,
    /// One line for people.
    pub message: String,
}

/// A stage that stores per-document data in the index and checks new documents against it.
pub trait Extension: Send + Sync {
    /// The kind of finding (`passage` or `chrome`), as named by `--fail-on`.
    fn kind(&self) -> &'static str;

    /// SQL run (idempotently) in every add transaction before documents are stored.
    fn schema(&self) -> &'static str {
        ""
    }

    /// Stores what later checks need of one document, numbered `doc` in the index.
    fn add_document(&self, conn: &Connection, doc: i64, document: &Document) -> Result<()>;

    /// Forgets document `doc`.
    fn remove_document(&self, conn: &Connection, doc: i64) -> Result<()>;

    /// Findings of a batch of new documents against the index.
    fn check(&self, conn: &Connection, documents: &[Document]) -> Result<Vec<Finding>>;
}

/// The extensions this build records and checks. Empty until the passage and chrome stages are
/// wired in (push `Box::new(...)` of each here).
pub fn registered() -> Vec<Box<dyn Extension>> {
    Vec::new()
}
