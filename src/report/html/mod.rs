//! One self-contained HTML file that shows what a scan or a check found: a summary with small
//! charts, near-duplicate pairs side by side with the differing lines marked, repeated passages
//! highlighted in both places, pages with their chrome lines struck through beside each line's
//! reason and score, and for `check` the rules and why the check failed.
//!
//! The file needs nothing else (no network, no fonts to fetch: system font stacks that include
//! Arabic-script faces) and opens quickly whatever the corpus size, because what it draws is
//! bounded: the summary and per-source table are aggregates, each section of detail draws at
//! most [`Options::max_items`] items (the largest first) and each document at most
//! [`Options::max_lines`] lines, and the table of every document with a finding is embedded as
//! compact JSON that the page's script draws a page of rows at a time.
//!
//! Escaping is the one invariant that matters for safety: document text, ids, sources and
//! reasons reach the page only through `markup::escape` or, inside the embedded JSON,
//! `markup::json_in_script`.

mod charts;
mod check;
mod detail;
mod markup;
mod scan;

pub use check::check_report;
pub use scan::scan_report;

use crate::Result;
use markup::escape;
use std::fmt::{self, Write};
use std::path::Path;

/// What a report draws, and how much of it.
#[derive(Debug, Clone)]
pub struct Options {
    /// The page's title and main heading (default "chaff report").
    pub title: String,
    /// Most items drawn in each section of detail (clusters, passages, pages); the rest are
    /// counted and listed in the documents table (default 20: what a reader looks through, and
    /// what keeps a 100,000-document report opening in about a second).
    pub max_items: usize,
    /// Most lines drawn of one document (default 300): a 64 MB document must not make a
    /// report that no browser opens.
    pub max_lines: u32,
    /// Most rows in the embedded table of documents with findings (default 250,000, about
    /// 15 MB of JSON).
    pub max_rows: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            title: "chaff report".into(),
            max_items: 20,
            max_lines: 300,
            max_rows: 250_000,
        }
    }
}

/// Writes `html` to `path` through a temporary file renamed into place, so a reader never
/// opens half a report.
pub fn save(path: &Path, html: &str) -> Result<()> {
    crate::corpus::write_atomically(path, html.as_bytes())
}

/// The stylesheet and script, kept in files of their own so they read as CSS and JavaScript.
const STYLE: &str = include_str!("report.css");
const SCRIPT: &str = include_str!("report.js");

/// The kinds of finding the page filters by, as `(value, label)`.
const KINDS: [(&str, &str); 3] = [
    ("duplicate", "near-duplicate"),
    ("passage", "repeated passage"),
    ("chrome", "chrome"),
];

/// One row of the documents table: a document with at least one finding. Serialized as a JSON
/// array (a tuple struct), since an object per row would double the size of a large table:
/// id, index into the sources (0 is "no source"), cluster number (0 when in none), id of the
/// document it duplicates (empty when kept), later passage copies it holds, chrome lines it
/// holds, element id of its drawn detail (empty when not drawn).
#[derive(Debug, serde::Serialize)]
struct Row(String, u32, usize, String, u32, u32, String);

/// Everything the page's script reads: sources, rows, and how many rows there were in all.
#[derive(Debug, serde::Serialize)]
struct Table<'a> {
    sources: &'a [String],
    rows: Vec<Row>,
    total: usize,
}

/// Opens the page: head, heading, section links and the filter bar.
fn begin(
    out: &mut String,
    options: &Options,
    subtitle: &str,
    sections: &[(&str, &str)],
    sources: &[String],
) -> fmt::Result {
    out.push_str("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    out.push_str("<meta name=\"color-scheme\" content=\"light dark\">");
    // No request may leave the page: scripts, styles and images are inline or nothing.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">");
    out.push_str("<title>");
    escape(out, &options.title);
    write!(out, "</title><style>{STYLE}</style></head><body>")?;
    out.push_str("<a class=\"skip\" href=\"#main\">Skip to the findings</a><header><h1>");
    escape(out, &options.title);
    out.push_str("</h1><p class=\"meta\">");
    escape(out, subtitle);
    out.push_str("</p><nav aria-label=\"Sections\"><ul>");
    for (id, label) in sections {
        write!(out, "<li><a href=\"#{id}\">{label}</a></li>")?;
    }
    out.push_str("</ul></nav></header>");
    out.push_str("<form class=\"filters\" role=\"search\" aria-label=\"Filter the findings\" onsubmit=\"return false\">");
    out.push_str("<label>Document id <input id=\"f-id\" type=\"search\" placeholder=\"press / to search\" autocomplete=\"off\"></label>");
    out.push_str("<label>Source <select id=\"f-src\"><option value=\"\">all sources</option>");
    for s in sources {
        out.push_str("<option value=\"");
        escape(out, s);
        out.push_str("\">");
        escape(out, s);
        out.push_str("</option>");
    }
    out.push_str(
        "</select></label><label>Kind <select id=\"f-kind\"><option value=\"\">all kinds</option>",
    );
    for (value, label) in KINDS {
        write!(out, "<option value=\"{value}\">{label}</option>")?;
    }
    out.push_str("</select></label><output id=\"f-count\" aria-live=\"polite\"></output>");
    out.push_str("<span class=\"keys\">keys: <kbd>/</kbd> search, <kbd>j</kbd>/<kbd>k</kbd> next/previous item, <kbd>Esc</kbd> clear</span></form><main id=\"main\">");
    Ok(())
}

/// Writes the documents section (filled by the script from the embedded rows) and closes the
/// page.
fn end(out: &mut String, sources: &[String], rows: Vec<Row>, total: usize) -> fmt::Result {
    section_open(out, "documents", "Documents with findings");
    write!(
        out,
        "<p class=\"note\" id=\"rows-note\">{total} document{} with at least one finding{}. Filter above; the table shows 100 at a time.</p>",
        if total == 1 { "" } else { "s" },
        if rows.len() < total {
            format!(" (the first {} are listed)", rows.len())
        } else {
            String::new()
        }
    )?;
    out.push_str("<table id=\"rows\"><caption class=\"sr\">Documents with findings</caption><thead><tr><th scope=\"col\">document</th><th scope=\"col\">source</th><th scope=\"col\">cluster</th><th scope=\"col\">duplicate of</th><th scope=\"col\">passages</th><th scope=\"col\">chrome lines</th></tr></thead><tbody></tbody></table>");
    out.push_str("<div class=\"pager\"><button type=\"button\" id=\"prev\">previous 100</button> <span id=\"page\" aria-live=\"polite\"></span> <button type=\"button\" id=\"next\">next 100</button></div>");
    out.push_str("<noscript><p>The table of documents needs JavaScript; every other part of this report does not.</p></noscript></section>");
    out.push_str("</main><footer><p>Written by chaff. Document text is shown as written; lines take the direction of their own script.</p></footer>");
    out.push_str("<script type=\"application/json\" id=\"chaff-rows\">");
    let table = Table {
        sources,
        rows,
        total,
    };
    markup::json_in_script(out, &table);
    writeln!(out, "</script><script>{SCRIPT}</script></body></html>")
}

/// Opens a section of the report: its heading names it for the page's outline and for
/// assistive technology.
fn section_open(out: &mut String, id: &str, heading: &str) {
    for piece in [
        "<section id=\"",
        id,
        "\" aria-labelledby=\"h-",
        id,
        "\"><h2 id=\"h-",
        id,
        "\">",
        heading,
        "</h2>",
    ] {
        out.push_str(piece);
    }
}

/// Closes a section that has nothing to show but `note` (an analysis not run, nothing found).
fn section_close_with(out: &mut String, note: &str) -> fmt::Result {
    write!(out, "<p class=\"note\">{note}</p></section>")
}

/// Writes the heading of an item: the document's id and how many findings of `noun` it holds
/// (the caller closes the `<h3>`, after anything it adds).
fn item_heading(out: &mut String, id: &str, count: usize, noun: &str) -> fmt::Result {
    out.push_str("<summary><h3>");
    write_id(out, id);
    write!(
        out,
        " <span class=\"count\">{count} {noun}{}</span>",
        if count == 1 { "" } else { "s" }
    )
}

/// Opens one item of detail, filterable by kind, source and ids.
fn item_open(
    out: &mut String,
    anchor: &str,
    kind: &str,
    sources: &[&str],
    ids: &[&str],
    open: bool,
) -> fmt::Result {
    write!(
        out,
        "<article class=\"item {kind}\" id=\"{anchor}\" data-kind=\"{kind}\" data-src=\""
    )?;
    escape(out, &sources.join("\n"));
    out.push_str("\" data-ids=\"");
    escape(out, &ids.join("\n"));
    write!(out, "\"><details{}>", if open { " open" } else { "" })?;
    Ok(())
}

/// Writes a document id for people: isolated from the surrounding text's direction, so an id
/// in Persian or Arabic does not reorder the words around it.
fn write_id(out: &mut String, id: &str) {
    out.push_str("<bdi class=\"id\">");
    escape(out, id);
    out.push_str("</bdi>");
}

/// The label shown for a document without a source.
const NO_SOURCE: &str = "(no source)";

/// A share as a percentage with one decimal, or a dash when there is nothing to share.
fn percent(part: f64, whole: f64) -> String {
    if whole > 0.0 {
        format!("{:.1}%", 100.0 * part / whole)
    } else {
        "–".into()
    }
}

/// The string a report is built into: writing to a `String` cannot fail, so the `fmt::Result`
/// of the writers is an invariant, not an error to report.
fn finish(result: fmt::Result, out: String) -> String {
    result.expect("writing to a String cannot fail");
    out
}
