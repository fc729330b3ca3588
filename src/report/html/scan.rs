//! The report of a scan: summary, per-source breakdown, near-duplicate pairs, repeated passages,
//! pages with chrome, and the table of every document with a finding.
//!
//! Two passes over the corpus besides the scan's own: the first counts each document's bytes and
//! lines by source (the findings do not carry sources), the second reads only the documents the
//! report draws. Neither keeps more than the drawn documents' text.

use super::charts;
use super::detail::View;
use super::markup::{escape, Strike};
use super::{begin, end, finish, percent, section_open, Options, Row, NO_SOURCE};
use crate::corpus::Corpus;
use crate::scan::Findings;
use crate::Result;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::{self, Write};

/// What each document found holds, by document number.
#[derive(Debug, Default, Clone)]
pub(super) struct DocFindings {
    cluster: usize,
    of: Option<u32>,
    passages: u32,
    passage_bytes: u64,
    pub(super) chrome: u32,
    chrome_bytes: u64,
}

/// Totals of one source (or of the whole corpus).
#[derive(Debug, Default, Clone)]
struct Totals {
    documents: u64,
    bytes: u64,
    lines: u64,
    duplicates: u64,
    passages: u64,
    passage_bytes: u64,
    chrome_lines: u64,
    chrome_bytes: u64,
}

impl Totals {
    fn add(&mut self, bytes: u64, lines: u64, f: Option<&DocFindings>) {
        self.documents += 1;
        self.bytes += bytes;
        self.lines += lines;
        if let Some(f) = f {
            self.duplicates += f.of.is_some() as u64;
            self.passages += f.passages as u64;
            self.passage_bytes += f.passage_bytes;
            self.chrome_lines += f.chrome as u64;
            self.chrome_bytes += f.chrome_bytes;
        }
    }
}

/// A document the report draws.
pub(super) struct Drawn {
    pub(super) id: String,
    pub(super) source: String,
    pub(super) text: String,
}

/// Renders the HTML report of `findings` over `corpus` (the corpus the scan read).
pub fn scan_report(corpus: &Corpus, findings: &Findings, options: &Options) -> Result<String> {
    let mut by_doc: HashMap<u32, DocFindings> = HashMap::new();
    if let Some(d) = &findings.dups {
        for c in &d.clusters {
            for &m in &c.members {
                by_doc.entry(m).or_default().cluster = c.number;
            }
        }
        for dup in &d.duplicates {
            by_doc.entry(dup.doc).or_default().of = Some(dup.of);
        }
    }
    if let Some(p) = &findings.passages {
        for x in &p.passages {
            let f = by_doc.entry(x.doc).or_default();
            f.passages += 1;
            f.passage_bytes += (x.end - x.start) as u64;
        }
    }
    if let Some(c) = &findings.chrome {
        for line in c.lines.iter() {
            let line = line?;
            let f = by_doc.entry(line.doc).or_default();
            f.chrome += 1;
            f.chrome_bytes += (line.byte_end - line.byte_start) as u64;
        }
    }

    // Pass 1: sources, sizes and the ids of documents with findings.
    let mut sources: Vec<String> = vec![NO_SOURCE.to_string()];
    let mut source_index: HashMap<String, u32> = HashMap::new();
    let mut doc_source: Vec<u32> = Vec::new();
    let mut ids: HashMap<u32, String> = HashMap::new();
    let mut per_source: Vec<Totals> = vec![Totals::default()];
    let mut all = Totals::default();
    corpus.read(false, |batch| {
        let lines: Vec<u64> = batch
            .par_iter()
            .map(|d| memchr::memchr_iter(b'\n', d.text.as_bytes()).count() as u64 + 1)
            .collect();
        for (doc, lines) in batch.into_iter().zip(lines) {
            let s = match &doc.source {
                None => 0,
                Some(name) => *source_index.entry(name.clone()).or_insert_with(|| {
                    sources.push(name.clone());
                    per_source.push(Totals::default());
                    sources.len() as u32 - 1
                }),
            };
            let n = doc.number as usize;
            if doc_source.len() <= n {
                doc_source.resize(n + 1, 0);
            }
            doc_source[n] = s;
            let f = by_doc.get(&doc.number);
            per_source[s as usize].add(doc.text.len() as u64, lines, f);
            all.add(doc.text.len() as u64, lines, f);
            if f.is_some() {
                ids.insert(doc.number, doc.id);
            }
        }
        Ok(())
    })?;
    let source_of = |doc: u32| doc_source.get(doc as usize).copied().unwrap_or(0);

    // What to draw: the largest clusters, the longest passages, and pages with chrome taken in
    // turn from each source (so every site's template is seen), then pages without.
    let mut clusters: Vec<&crate::cluster::Cluster> = findings
        .dups
        .as_ref()
        .map(|d| d.clusters.iter().collect())
        .unwrap_or_default();
    clusters.sort_by_key(|c| (std::cmp::Reverse(c.members.len()), c.number));
    clusters.truncate(options.max_items);
    let mut passages: Vec<&crate::passages::Passage> = findings
        .passages
        .as_ref()
        .map(|p| p.passages.iter().collect())
        .unwrap_or_default();
    passages.sort_by_key(|p| std::cmp::Reverse(p.tokens));
    passages.truncate(options.max_items);
    let pages = pages_to_draw(&by_doc, &doc_source, findings, options.max_items);

    let mut wanted: HashSet<u32> = pages.iter().copied().collect();
    for c in &clusters {
        wanted.insert(c.representative);
        wanted.extend(partner(c));
    }
    for p in &passages {
        wanted.insert(p.doc);
        wanted.insert(p.of_doc);
    }
    // Pass 2: the text of what is drawn, and nothing else.
    let mut drawn: HashMap<u32, Drawn> = HashMap::new();
    corpus.read_selected(&|n| wanted.contains(&n), |batch| {
        for d in batch {
            drawn.insert(
                d.number,
                Drawn {
                    id: d.id,
                    source: d.source.unwrap_or_else(|| NO_SOURCE.to_string()),
                    text: d.text,
                },
            );
        }
        Ok(())
    })?;

    let strikes = strikes_by_doc(findings, &wanted)?;
    let mut out = String::with_capacity(1 << 20);
    let sections = [
        ("summary", "Summary"),
        ("sources", "Sources"),
        ("duplicates", "Near-duplicates"),
        ("passages", "Repeated passages"),
        ("pages", "Chrome"),
        ("documents", "Documents"),
    ];
    let subtitle = format!(
        "{} documents, {}: near-duplicates, repeated passages and chrome",
        all.documents,
        size(all.bytes)
    );
    let mut result = begin(&mut out, options, &subtitle, &sections, &sources[1..]);
    result = result.and_then(|_| write_summary(&mut out, findings, &all));
    result = result.and_then(|_| write_sources(&mut out, &sources, &per_source, options));
    let view = View {
        drawn: &drawn,
        strikes: &strikes,
        options,
    };
    result = result.and_then(|_| view.clusters(&mut out, findings, &clusters));
    result = result.and_then(|_| view.passages(&mut out, findings, &passages));
    result = result.and_then(|_| view.pages(&mut out, findings, &pages, &by_doc));

    // Anchors: a drawn page first, else the cluster, else the first drawn passage.
    let mut anchors: HashMap<u32, String> = HashMap::new();
    for (i, p) in passages.iter().enumerate() {
        anchors.entry(p.doc).or_insert_with(|| format!("p-{i}"));
    }
    for c in &clusters {
        for &m in &c.members {
            anchors.insert(m, format!("c-{}", c.number));
        }
    }
    for &p in &pages {
        anchors.insert(p, format!("d-{p}"));
    }
    let mut numbers: Vec<u32> = by_doc.keys().copied().collect();
    numbers.sort_unstable();
    let total = numbers.len();
    let rows: Vec<Row> = numbers
        .into_iter()
        .take(options.max_rows)
        .map(|n| {
            let f = &by_doc[&n];
            let id = |n: u32| ids.get(&n).cloned().unwrap_or_else(|| n.to_string());
            Row(
                id(n),
                source_of(n),
                f.cluster,
                f.of.map(id).unwrap_or_default(),
                f.passages,
                f.chrome,
                anchors.get(&n).cloned().unwrap_or_default(),
            )
        })
        .collect();
    result = result.and_then(|_| end(&mut out, &sources, rows, total));
    Ok(finish(result, out))
}

/// The cluster member drawn beside the representative: the first other member.
pub(super) fn partner(c: &crate::cluster::Cluster) -> Option<u32> {
    c.members.iter().copied().find(|&m| m != c.representative)
}

/// Pages drawn in the chrome section: those with chrome, taken in turn from each source in
/// corpus order, then those without chrome (so a small corpus shows every page, and a page
/// where nothing was struck can be seen to be untouched).
fn pages_to_draw(
    by_doc: &HashMap<u32, DocFindings>,
    doc_source: &[u32],
    findings: &Findings,
    max: usize,
) -> Vec<u32> {
    if findings.chrome.is_none() {
        return Vec::new();
    }
    let mut queues: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
    let mut with: Vec<u32> = by_doc
        .iter()
        .filter(|(_, f)| f.chrome > 0)
        .map(|(&n, _)| n)
        .collect();
    with.sort_unstable();
    for n in with.into_iter().rev() {
        queues
            .entry(doc_source.get(n as usize).copied().unwrap_or(0))
            .or_default()
            .push(n);
    }
    let mut out = Vec::new();
    while out.len() < max && !queues.is_empty() {
        queues.retain(|_, q| {
            if out.len() < max {
                out.extend(q.pop());
            }
            !q.is_empty()
        });
    }
    let mut n = 0u32;
    while out.len() < max && (n as usize) < doc_source.len() {
        if by_doc.get(&n).is_none_or(|f| f.chrome == 0) {
            out.push(n);
        }
        n += 1;
    }
    out
}

/// The chrome lines of the drawn documents, by document and line.
fn strikes_by_doc(
    findings: &Findings,
    wanted: &HashSet<u32>,
) -> Result<HashMap<u32, HashMap<u32, Strike>>> {
    let mut out: HashMap<u32, HashMap<u32, Strike>> = HashMap::new();
    if let Some(c) = &findings.chrome {
        // Only the drawn documents' lines are read back.
        let mut docs: Vec<u32> = wanted.iter().copied().collect();
        docs.sort_unstable();
        for doc in docs {
            for line in c.lines.of_doc(doc)? {
                out.entry(line.doc).or_default().insert(
                    line.line,
                    Strike {
                        reason: line.reason.to_string(),
                        score: line.score,
                    },
                );
            }
        }
    }
    Ok(out)
}

/// A size for people: KB below a megabyte (a small corpus is not "0.0 MB").
fn size(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{:.1} KB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}

fn write_summary(out: &mut String, findings: &Findings, all: &Totals) -> fmt::Result {
    section_open(out, "summary", "Summary");
    out.push_str("<dl class=\"tiles\">");
    let docs = all.documents as f64;
    let tile = |out: &mut String, name: &str, value: String, detail: String| {
        write!(
            out,
            "<div class=\"tile\"><dt>{name}</dt><dd><strong>{value}</strong><span>{detail}</span></dd></div>"
        )
    };
    tile(out, "Documents", all.documents.to_string(), String::new())?;
    tile(out, "Text", size(all.bytes), format!("{} lines", all.lines))?;
    let not_run = || ("not run".to_string(), String::new());
    let (v, d) = match &findings.dups {
        Some(_) => (
            percent(all.duplicates as f64, docs),
            format!("{} near-duplicate documents", all.duplicates),
        ),
        None => not_run(),
    };
    tile(out, "Near-duplicate rate", v, d)?;
    let (v, d) = match &findings.dups {
        Some(dups) => (
            dups.clusters.len().to_string(),
            "groups of near-duplicates".into(),
        ),
        None => not_run(),
    };
    tile(out, "Clusters", v, d)?;
    let (v, d) = match &findings.passages {
        Some(_) => (
            percent(all.passage_bytes as f64, all.bytes as f64),
            format!("of the text, in {} repeated passages", all.passages),
        ),
        None => not_run(),
    };
    tile(out, "Repeated-passage share", v, d)?;
    let (v, d) = match &findings.chrome {
        Some(_) => (
            percent(all.chrome_lines as f64, all.lines as f64),
            format!(
                "of the lines ({} lines, {} of the text)",
                all.chrome_lines,
                percent(all.chrome_bytes as f64, all.bytes as f64)
            ),
        ),
        None => not_run(),
    };
    tile(out, "Chrome share", v, d)?;
    out.push_str("</dl>");
    let bytes = all.bytes.max(1) as f64;
    charts::stacked(
        out,
        "Share of the text",
        &[
            ("chrome", "chrome lines", all.chrome_bytes as f64 / bytes),
            (
                "passage",
                "repeated passages",
                all.passage_bytes as f64 / bytes,
            ),
        ],
    )?;
    out.push_str("</section>");
    Ok(())
}

fn write_sources(
    out: &mut String,
    sources: &[String],
    per_source: &[Totals],
    options: &Options,
) -> fmt::Result {
    section_open(out, "sources", "By source");
    let mut order: Vec<usize> = (0..sources.len())
        .filter(|&i| per_source[i].documents > 0)
        .collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(per_source[i].documents), i));
    let shown = order.len().min(options.max_items.max(20));
    out.push_str("<table class=\"sources\"><caption class=\"sr\">Findings by source</caption><thead><tr><th scope=\"col\">source</th><th scope=\"col\">documents</th><th scope=\"col\">text</th><th scope=\"col\">near-duplicates</th><th scope=\"col\">repeated passages (of text)</th><th scope=\"col\">chrome (of lines)</th></tr></thead><tbody>");
    for &i in &order[..shown] {
        let t = &per_source[i];
        out.push_str("<tr data-src=\"");
        escape(out, if i == 0 { "" } else { &sources[i] });
        out.push_str("\"><th scope=\"row\"><bdi>");
        escape(out, &sources[i]);
        write!(
            out,
            "</bdi></th><td>{}</td><td>{}</td>",
            t.documents,
            size(t.bytes)
        )?;
        for (class, label, part, whole) in [
            ("dup", "near-duplicates", t.duplicates, t.documents),
            ("passage", "repeated passages", t.passage_bytes, t.bytes),
            ("chrome", "chrome lines", t.chrome_lines, t.lines),
        ] {
            out.push_str("<td class=\"share\">");
            charts::bar(out, part as f64 / whole.max(1) as f64, class, label)?;
            write!(
                out,
                " <span>{}</span></td>",
                percent(part as f64, whole as f64)
            )?;
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    if shown < order.len() {
        write!(
            out,
            "<p class=\"note\">{} more sources not listed (the documents table below has them all).</p>",
            order.len() - shown
        )?;
    }
    out.push_str("</section>");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_with_chrome_come_in_turn_from_each_source_then_pages_without() {
        // Documents 0..6: sources 1,1,1,2,2,0; chrome on 0, 1, 2, 3 and 4.
        let doc_source = [1, 1, 1, 2, 2, 0];
        let by_doc: HashMap<u32, DocFindings> = (0..5)
            .map(|n| {
                let f = DocFindings {
                    chrome: 1,
                    ..DocFindings::default()
                };
                (n, f)
            })
            .collect();
        let findings = Findings {
            chrome: Some(crate::chrome::Detection::default()),
            ..Findings::default()
        };
        assert_eq!(pages_to_draw(&by_doc, &doc_source, &findings, 3), [0, 3, 1]);
        assert_eq!(
            pages_to_draw(&by_doc, &doc_source, &findings, 10),
            [0, 3, 1, 4, 2, 5]
        );
        let no_chrome = Findings::default();
        assert!(pages_to_draw(&by_doc, &doc_source, &no_chrome, 10).is_empty());
    }
}
