//! Reports: JSON Lines records for scripts, aligned text for people, and one HTML file to look
//! at ([`html`]).
//!
//! Records follow the contract in ARCHITECTURE.md: one JSON object per line with a `kind`, byte
//! offsets into the original text (`end` exclusive) and 1-based lines. Fields are only ever added.

pub mod html;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod record;

pub use record::{
    round4, CheckRecord, ChromeRecord, DuplicateRecord, Kind, PassageRecord, Record, Rule,
    RuleResult, SummaryRecord,
};

use crate::dups::Outcome;
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

/// The duplicate records of a search, in corpus order of the duplicates.
pub fn duplicate_records(outcome: &Outcome) -> Vec<DuplicateRecord> {
    outcome
        .duplicates
        .iter()
        .map(|d| DuplicateRecord {
            id: outcome.docs.id(d.doc).to_string(),
            of: outcome.docs.id(d.of).to_string(),
            similarity: round4(d.similarity),
            containment: round4(d.containment),
            cluster: Some(d.cluster),
            in_index: None,
        })
        .collect()
}

/// Writes records as JSON Lines: only the types of [`record`] can be written.
pub fn write_json<T: record::Wire>(out: &mut dyn Write, records: &[T]) -> io::Result<()> {
    // Each record is serialized into a buffer of its own and written at once: serialized
    // straight into `out`, every key, comma and number was a call through `dyn Write` (~1.5%
    // of `chaff scan`, which writes a dozen chrome records a page).
    let mut line = Vec::with_capacity(256);
    for r in records {
        write_json_line(out, &mut line, r)?;
    }
    Ok(())
}

/// Writes one record as a JSON line through `line`, a buffer the caller reuses.
fn write_json_line<T: record::Wire>(
    out: &mut dyn Write,
    line: &mut Vec<u8>,
    record: &T,
) -> io::Result<()> {
    line.clear();
    serde_json::to_writer(&mut *line, record)?;
    line.push(b'\n');
    out.write_all(line)
}

/// Writes chrome lines as JSON Lines records, as [`write_json`] writes
/// [`ChromeRecord::from`] each, but with one record value refilled ([`ChromeRecord::set`]) and
/// one buffer for a page's lines: the lines are the most numerous records (a dozen a page), and
/// a record, a reason string and a buffer allocated for each were ~2% of `chaff scan`. Pages are
/// formatted on every core ([`ChromeLines::render_each`]) and written in corpus order.
///
/// [`ChromeLines::render_each`]: crate::chrome::ChromeLines::render_each
pub fn write_chrome_json<E: From<crate::Error> + From<io::Error> + Send>(
    out: &mut dyn Write,
    lines: &crate::chrome::ChromeLines,
) -> Result<(), E> {
    lines.render_each(
        |_, id, spans| {
            let mut page = Vec::with_capacity(spans.len() * 256);
            let mut record: Option<ChromeRecord> = None;
            for s in spans {
                let r = match &mut record {
                    Some(r) => {
                        r.set(id, s.byte_start, s.byte_end, s.line, &s.reason, s.score);
                        r
                    }
                    None => record.insert(ChromeRecord::new(
                        id,
                        s.byte_start,
                        s.byte_end,
                        s.line,
                        &s.reason,
                        s.score,
                    )),
                };
                serde_json::to_writer(&mut page, &*r).map_err(io::Error::from)?;
                page.push(b'\n');
            }
            Ok::<_, E>(page)
        },
        |page| Ok(out.write_all(&page)?),
    )
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
            r.cluster.unwrap_or_default(),
            r.similarity,
            r.containment,
            r.id,
            r.of
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
