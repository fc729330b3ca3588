//! The stages an index runs beside duplicates, as one typed value: each field is one
//! [`Extension`], and each stage's prepared data travels in its own field of [`Prepared`].

use super::chrome::ChromeExtension;
use super::extension::{Extension, Finding};
use super::passages::PassageExtension;
use super::schema::Settings;
use super::stage::{StagedTable, Stages};
use crate::corpus::{Corpus, Document};
use crate::report::Kind;
use crate::Result;
use rusqlite::Connection;

/// The extensions this build records and checks, configured by the index's settings.
pub struct Extensions {
    passages: PassageExtension,
    chrome: ChromeExtension,
}

/// What every extension computed of one document before it is stored.
pub struct Prepared {
    passages: <PassageExtension as Extension>::Prepared,
    chrome: <ChromeExtension as Extension>::Prepared,
}

impl Extensions {
    /// The extensions of an index with these settings (refused as [`crate::Error::Config`]
    /// when its passage settings are invalid).
    pub fn new(settings: &Settings) -> Result<Extensions> {
        Ok(Extensions {
            passages: PassageExtension::new(settings)?,
            chrome: ChromeExtension::new(),
        })
    }

    /// The kinds of finding recorded, in the order their findings come.
    pub fn kinds(&self) -> [Kind; 2] {
        [self.passages.kind(), self.chrome.kind()]
    }

    /// Whether an extension records findings of `kind`.
    pub fn records(&self, kind: Kind) -> bool {
        self.kinds().contains(&kind)
    }

    /// SQL of every extension's [`Extension::schema`].
    pub fn schema(&self) -> [&'static str; 2] {
        [self.passages.schema(), self.chrome.schema()]
    }

    /// Every extension's staged tables.
    pub fn staged(&self) -> Vec<StagedTable> {
        [self.passages.staged(), self.chrome.staged()].concat()
    }

    /// Every extension's [`Extension::prepare`] of one document.
    pub fn prepare(&self, document: &Document) -> Prepared {
        Prepared {
            passages: self.passages.prepare(document),
            chrome: self.chrome.prepare(document),
        }
    }

    /// Every extension's [`Extension::add_document`], each with its own prepared data.
    pub fn add_document(
        &self,
        conn: &Connection,
        stages: &mut Stages,
        doc: i64,
        document: &Document,
        prepared: Prepared,
    ) -> Result<()> {
        self.passages
            .add_document(conn, stages, doc, document, prepared.passages)?;
        self.chrome
            .add_document(conn, stages, doc, document, prepared.chrome)
    }

    /// Every extension's [`Extension::remove_document`].
    pub fn remove_document(&self, conn: &Connection, doc: i64) -> Result<()> {
        self.passages.remove_document(conn, doc)?;
        self.chrome.remove_document(conn, doc)
    }

    /// Every extension's findings: passages, then chrome.
    pub fn check(&self, conn: &Connection, corpus: &Corpus) -> Result<Vec<Finding>> {
        let mut findings = self.passages.check(conn, corpus)?;
        findings.extend(self.chrome.check(conn, corpus)?);
        Ok(findings)
    }
}
