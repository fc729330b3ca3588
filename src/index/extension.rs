//! Extension point: how the passage and chrome stages plug into the index.
//!
//! Duplicates are built into the index; passages (`crate::passages`) and chrome (`crate::chrome`)
//! are separate stages that keep their own per-document data. Each implements [`Extension`]:
//! `prepare` runs in parallel over a batch of documents (tokenizing is the costly part) and
//! returns the stage's own [`Extension::Prepared`] type, then `add_document` stores it (rows of
//! hash-clustered tables through [`super::stage`]) inside the add's transaction (so its rows
//! commit or vanish with the add, and crash safety holds for them too), `remove_document` runs
//! inside the removal's, and `check` reads the committed state in the check's read transaction.
//! Their tables are part of [`super::schema::SCHEMA`]; an extension may create more with
//! `CREATE TABLE IF NOT EXISTS` in [`Extension::schema`].
//!
//! The stages an index runs are the fields of [`super::registry::Extensions`]: each stage's
//! prepared data reaches its own `add_document` by type, never through a downcast. A `fail_on`
//! rule whose kind no stage records is refused as unsupported rather than passing silently.
//!
//! This module depends on no stage; the stages depend on it, and the registry on both.

use super::stage::{StagedTable, Stages};
use crate::corpus::{Corpus, Document};
use crate::report::{Kind, Record};
use crate::Result;
use rusqlite::Connection;

/// What a check found beyond duplicates: one record, ready to print.
#[derive(Debug, Clone)]
pub struct Finding {
    /// Number of the new document concerned (corpus order of the checked corpus).
    pub doc: u32,
    /// 1-based line in the document's text where the finding starts (annotations of `.txt`
    /// inputs point there; those of JSONL inputs point at the document's line in the file).
    pub line: u64,
    /// The record (a passage or chrome record with `in_index`).
    pub record: Record,
    /// One line for people.
    pub message: String,
}

/// A stage that stores per-document data in the index and checks new documents against it.
pub trait Extension: Send + Sync {
    /// What [`Extension::prepare`] computes of one document for [`Extension::add_document`].
    type Prepared: Send;

    /// The kind of finding (`passage` or `chrome`), as a `fail_on` rule names it.
    fn kind(&self) -> Kind;

    /// SQL run (idempotently) in every add transaction before documents are stored.
    fn schema(&self) -> &'static str {
        ""
    }

    /// Tables clustered on a hash that this stage fills through staging (see
    /// [`super::stage`]): `add_document` pushes their rows to `stages`, and the add moves them
    /// in key order once every document is stored.
    fn staged(&self) -> &'static [StagedTable] {
        &[]
    }

    /// Computes what [`Extension::add_document`] stores; called in parallel, without the
    /// database.
    fn prepare(&self, document: &Document) -> Self::Prepared;

    /// Stores what later checks need of one document, numbered `doc` in the index: rows keyed
    /// by the document directly, rows of clustered tables through `stages`.
    fn add_document(
        &self,
        conn: &Connection,
        stages: &mut Stages,
        doc: i64,
        document: &Document,
        prepared: Self::Prepared,
    ) -> Result<()>;

    /// Forgets document `doc` (its `docs` row is still there when this runs).
    fn remove_document(&self, conn: &Connection, doc: i64) -> Result<()>;

    /// Findings of the new documents of `corpus`, against the index (`"in_index":true`) and,
    /// where the stage compares documents, among themselves (`"in_index":false`).
    fn check(&self, conn: &Connection, corpus: &Corpus) -> Result<Vec<Finding>>;
}
