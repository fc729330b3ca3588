//! Chrome extension: template statistics learned by every add, and the chrome lines of new
//! documents judged with them.
//!
//! At `add`, each page's template line keys (its [`crate::sketch::ChromeSketch`]: line shapes with
//! digits, dates and counters masked, and the half of the page they lie in) are counted per
//! source in `chrome_lines`, and its source's pages in `chrome_sources`: the counts of
//! [`crate::chrome::Model`] (Bar-Yossef & Rajagopalan 2002), kept incrementally so that what
//! earlier scrapes taught about a site's template is not forgotten. Every key is kept, also
//! those seen on one page so far (unlike a saved model, which drops them), because a later page
//! may make them recur.
//!
//! At `check`, each new page is judged by [`crate::chrome::detect_text`] with, for its source,
//! the index's counts plus those of the other new pages of the same source (so a brand-new
//! source's template is visible too), and its lines' own shape. Each chrome line is one record
//! per the chrome contract, `{"kind":"chrome","id","start","end","line","reason"}`, plus
//! `"in_index"`: true when the index's counts alone make the line template chrome (a template
//! the index knows), false when the evidence is the page itself or today's other pages (for an
//! indexed source, a template change). The chrome rule counts new documents with at least one
//! chrome line.

use super::db;
use super::extension::{Extension, Finding};
use super::sketches::{keys_blob, keys_from_blob};
use super::stage::{StagedTable, Stages};
use crate::chrome::{self, Model, SourceStats};
use crate::corpus::{Corpus, Document};
use crate::report::{ChromeRecord, Kind, Record};
use crate::sketch::{ChromeSketch, ChromeSketcher};
use crate::Result;
use rayon::prelude::*;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::HashMap;

/// The chrome stage of the index.
#[derive(Default)]
pub struct ChromeExtension {
    config: chrome::Config,
}

/// A page's distinct template keys: the library's sketch of it.
fn keys_of(text: &str) -> Vec<u64> {
    ChromeSketcher.sketch(text, None).keys
}

/// Index counts read during one check: sources by name, and line counts by (source, key).
#[derive(Default)]
struct Counts {
    sources: HashMap<String, Option<(i64, u32)>>,
    lines: HashMap<(i64, u64), u32>,
}

impl Counts {
    /// `(source number, pages)` of a source in the index.
    fn source(&mut self, conn: &Connection, name: &str) -> Result<Option<(i64, u32)>> {
        if let Some(s) = self.sources.get(name) {
            return Ok(*s);
        }
        let row = conn
            .prepare_cached("SELECT source, pages FROM chrome_sources WHERE name = ?1")
            .map_err(|e| db(conn, e))?
            .query_row([name], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
            .map_err(|e| db(conn, e))?;
        self.sources.insert(name.to_string(), row);
        Ok(row)
    }

    /// Indexed pages of source `source` carrying `key`.
    fn line(&mut self, conn: &Connection, source: i64, key: u64) -> Result<u32> {
        if let Some(n) = self.lines.get(&(source, key)) {
            return Ok(*n);
        }
        let n: u32 = conn
            .prepare_cached("SELECT documents FROM chrome_lines WHERE source = ?1 AND line = ?2")
            .map_err(|e| db(conn, e))?
            .query_row(params![source, key as i64], |r| r.get(0))
            .optional()
            .map_err(|e| db(conn, e))?
            .unwrap_or(0);
        self.lines.insert((source, key), n);
        Ok(n)
    }
}

impl ChromeExtension {
    /// The chrome stage with chrome's default thresholds.
    pub fn new() -> ChromeExtension {
        ChromeExtension::default()
    }
}

/// (source, key) of each page's template lines, staged and then counted per key into
/// `chrome_lines` in key order.
const STAGED_LINES: StagedTable = StagedTable {
    name: "staged_chrome_lines",
    columns: 2,
    finish: "INSERT INTO chrome_lines (source, line, documents) \
             SELECT c0, c1, count(*) FROM temp.staged_chrome_lines WHERE true \
             GROUP BY c0, c1 ORDER BY c0, c1 \
             ON CONFLICT (source, line) DO UPDATE SET documents = documents + excluded.documents",
};

impl Extension for ChromeExtension {
    type Prepared = ChromeSketch;

    fn kind(&self) -> Kind {
        Kind::Chrome
    }

    fn staged(&self) -> &'static [StagedTable] {
        &[STAGED_LINES]
    }

    fn prepare(&self, document: &Document) -> ChromeSketch {
        ChromeSketcher.sketch(&document.text, document.source.as_deref())
    }

    fn add_document(
        &self,
        conn: &Connection,
        stages: &mut Stages,
        doc: i64,
        _document: &Document,
        sketch: ChromeSketch,
    ) -> Result<()> {
        let e = |err| db(conn, err);
        let source: i64 = conn
            .prepare_cached(
                "INSERT INTO chrome_sources (name, pages) VALUES (?1, 1) \
                 ON CONFLICT (name) DO UPDATE SET pages = pages + 1 RETURNING source",
            )
            .map_err(e)?
            .query_row([sketch.source.as_deref().unwrap_or("")], |r| r.get(0))
            .map_err(e)?;
        for &k in &sketch.keys {
            stages.push(conn, STAGED_LINES.name, &[source, k as i64])?;
        }
        conn.prepare_cached("INSERT INTO chrome_docs (doc, keys) VALUES (?1, ?2)")
            .map_err(e)?
            .execute(params![doc, keys_blob(&sketch.keys)])
            .map_err(e)?;
        Ok(())
    }

    fn remove_document(&self, conn: &Connection, doc: i64) -> Result<()> {
        let e = |err| db(conn, err);
        let row: Option<(Vec<u8>, Option<String>)> = conn
            .query_row(
                "SELECT c.keys, d.source FROM chrome_docs c JOIN docs d ON d.doc = c.doc \
                 WHERE c.doc = ?1",
                [doc],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(e)?;
        let Some((blob, name)) = row else {
            return Ok(());
        };
        let source: i64 = conn
            .query_row(
                "UPDATE chrome_sources SET pages = pages - 1 WHERE name = ?1 RETURNING source",
                [name.as_deref().unwrap_or("")],
                |r| r.get(0),
            )
            .map_err(e)?;
        let mut uncount = conn
            .prepare_cached(
                "UPDATE chrome_lines SET documents = documents - 1 WHERE source = ?1 AND line = ?2",
            )
            .map_err(e)?;
        for k in keys_from_blob(&blob) {
            uncount.execute(params![source, k as i64]).map_err(e)?;
        }
        // Counts that reached zero are rows a later add would recreate; drop them.
        conn.execute(
            "DELETE FROM chrome_lines WHERE source = ?1 AND documents <= 0",
            [source],
        )
        .map_err(e)?;
        conn.execute("DELETE FROM chrome_docs WHERE doc = ?1", [doc])
            .map_err(e)?;
        Ok(())
    }

    fn check(&self, conn: &Connection, corpus: &Corpus) -> Result<Vec<Finding>> {
        // Pass 1: the new pages' own template counts, per source.
        let mut today = Model::default();
        corpus.read(false, |batch| {
            let keys: Vec<Vec<u64>> = batch.par_iter().map(|d| keys_of(&d.text)).collect();
            for (d, k) in batch.iter().zip(keys) {
                today.add_page(d.source.as_deref(), k);
            }
            Ok(())
        })?;
        // Pass 2: judge each page with index + today's counts (the page itself excluded, as
        // `detect_text` counts it once more).
        let mut counts = Counts::default();
        let mut findings = Vec::new();
        corpus.read(false, |batch| {
            let keys: Vec<Vec<u64>> = batch.par_iter().map(|d| keys_of(&d.text)).collect();
            let mut models = Vec::with_capacity(batch.len());
            for (d, keys) in batch.iter().zip(&keys) {
                let name = d.source.as_deref().unwrap_or("");
                let indexed = counts.source(conn, name)?;
                let (_, new_pages) = today.count(d.source.as_deref(), 0);
                let mut known = SourceStats {
                    pages: indexed.map_or(0, |s| s.1),
                    lines: HashMap::new(),
                };
                let mut all = SourceStats {
                    pages: known.pages + new_pages.saturating_sub(1),
                    lines: HashMap::new(),
                };
                for &k in keys {
                    let n = match indexed {
                        Some((source, _)) => counts.line(conn, source, k)?,
                        None => 0,
                    };
                    let (m, _) = today.count(d.source.as_deref(), k);
                    known.lines.insert(k, n);
                    all.lines.insert(k, n + m.saturating_sub(1));
                }
                let model = |s: SourceStats| Model {
                    sources: HashMap::from([(name.to_string(), s)]),
                };
                models.push((model(known), model(all)));
            }
            let found: Vec<Vec<Finding>> = batch
                .par_iter()
                .zip(models)
                .map(|(d, (known, all))| {
                    let source = d.source.as_deref();
                    let from_index: Vec<u32> =
                        chrome::detect_text(&d.text, source, &known, &self.config)?
                            .into_iter()
                            .filter(|s| s.reason.template.is_some())
                            .map(|s| s.line)
                            .collect();
                    Ok(chrome::detect_text(&d.text, source, &all, &self.config)?
                        .into_iter()
                        .map(|s| {
                            let in_index = from_index.contains(&s.line);
                            let reason = s.reason.to_string();
                            Finding {
                                doc: d.number,
                                line: s.line as u64,
                                record: Record::Chrome(ChromeRecord {
                                    in_index: Some(in_index),
                                    ..ChromeRecord::new(
                                        &d.id,
                                        s.byte_start,
                                        s.byte_end,
                                        s.line,
                                        &s.reason,
                                        s.score,
                                    )
                                }),
                                message: format!(
                                    "{}: line {} is chrome ({reason}){}",
                                    d.id,
                                    s.line,
                                    if in_index {
                                        ", a template line of indexed pages"
                                    } else {
                                        ""
                                    }
                                ),
                            }
                        })
                        .collect())
                })
                .collect::<Result<_>>()?;
            findings.extend(found.into_iter().flatten());
            Ok(())
        })?;
        Ok(findings)
    }
}
