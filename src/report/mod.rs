//! Reports: JSON Lines records for scripts, aligned text for people, and one HTML file to look
//! at ([`html`]).
//!
//! Records follow the contract in ARCHITECTURE.md: one JSON object per line with a `kind`, byte
//! offsets into the original text (`end` exclusive) and 1-based lines. Fields are only ever added.

pub mod html;
#[cfg(feature = "parquet")]
pub mod parquet;

use crate::dups::Outcome;
use serde::Serialize;
use std::io::{self, Write};

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned, readable text (default).
    #[default]
    Text,
    /// JSON Lines records.
    Json,
}

/// A near-duplicate document, as reported.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct DuplicateRecord {
    /// Always `duplicate`.
    pub kind: &'static str,
    /// The duplicate document (dropped by `clean`).
    pub id: String,
    /// The document it duplicates.
    pub of: String,
    /// Jaccard similarity of the two, rounded to 4 decimals.
    pub similarity: f64,
    /// Containment of the smaller in the larger, rounded to 4 decimals.
    pub containment: f64,
    /// Cluster number (1-based, in corpus order of the clusters' first documents).
    pub cluster: usize,
}

/// A similarity, containment or score as records give it: rounded to 4 decimals.
pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The duplicate records of a search, in corpus order of the duplicates.
pub fn duplicate_records(outcome: &Outcome) -> Vec<DuplicateRecord> {
    outcome
        .duplicates
        .iter()
        .map(|d| DuplicateRecord {
            kind: "duplicate",
            id: outcome.docs[d.doc as usize].id.clone(),
            of: outcome.docs[d.of as usize].id.clone(),
            similarity: round4(d.similarity),
            containment: round4(d.containment),
            cluster: d.cluster,
        })
        .collect()
}

/// Writes records as JSON Lines.
pub fn write_json<T: Serialize>(out: &mut dyn Write, records: &[T]) -> io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *out, r)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes the near-duplicates as a table grouped by cluster.
pub fn write_duplicates_text(out: &mut dyn Write, outcome: &Outcome) -> io::Result<()> {
    if outcome.clusters.is_empty() {
        return writeln!(out, "no near-duplicate documents");
    }
    let records = duplicate_records(outcome);
    let id_width = records
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(8)
        .clamp(8, 60);
    writeln!(
        out,
        "{:>7}  {:>10}  {:>11}  {:<id_width$}  duplicates",
        "cluster", "similarity", "containment", "document"
    )?;
    for r in &records {
        writeln!(
            out,
            "{:>7}  {:>10.3}  {:>11.3}  {:<id_width$}  {}",
            r.cluster, r.similarity, r.containment, r.id, r.of
        )?;
    }
    Ok(())
}

/// Human summary line of a run: documents, megabytes, clusters, seconds.
pub fn summary_line(outcome: &Outcome, seconds: f64) -> String {
    let mb = outcome.stats.bytes as f64 / 1e6;
    format!(
        "{} documents, {:.1} MB, {} clusters, {} duplicates, {:.2} s ({:.1} MB/s)",
        outcome.stats.documents,
        mb,
        outcome.clusters.len(),
        outcome.duplicates.len(),
        seconds,
        if seconds > 0.0 { mb / seconds } else { 0.0 }
    )
}

/// A chrome line, as reported.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ChromeRecord {
    /// Always `chrome`.
    pub kind: &'static str,
    /// The document.
    pub id: String,
    /// Byte offset of the line's start in the original text.
    pub start: usize,
    /// Byte offset just past the line's end (its line break excluded).
    pub end: usize,
    /// 1-based line number.
    pub line: u32,
    /// Why the line is chrome, for people.
    pub reason: String,
    /// The line model's probability that the line is chrome, rounded to 4 decimals.
    pub score: f64,
    /// Where on the page: `header`, `inline` or `footer`.
    pub region: &'static str,
    /// The main cue, by its stable name (`date`, `navigation`, `related_list`, `template`, ...).
    pub cue: &'static str,
    /// `[pages carrying the line's shape, pages of the source]` when the line recurs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<[u32; 2]>,
    /// Syndicated copies compared, when they lack the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<u32>,
}

impl ChromeRecord {
    /// The record of a chrome line of document `id`.
    pub fn new(
        id: &str,
        byte_start: usize,
        byte_end: usize,
        line: u32,
        reason: &crate::chrome::Reason,
        score: f64,
    ) -> Self {
        ChromeRecord {
            kind: "chrome",
            id: id.to_string(),
            start: byte_start,
            end: byte_end,
            line,
            reason: reason.to_string(),
            score: round4(score),
            region: reason.region.name(),
            cue: reason.cue.name(),
            template: reason.template.map(|(n, of)| [n, of]),
            copies: reason.copies,
        }
    }
}
