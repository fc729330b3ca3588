//! The report of `chaff check`: the verdict with each rule and why it passed or failed, the
//! near-duplicates found in the index and among the new documents, and the new documents with
//! their findings drawn in place (chrome struck through, repeated spans highlighted).

use super::markup::{self, escape, Decorations, Mark, Strike};
use super::{
    begin, end, finish, item_heading, item_open, percent, section_close_with, section_open,
    write_id, Options, Row, NO_SOURCE,
};
use crate::corpus::Corpus;
use crate::index::{CheckOutcome, Rules};
use crate::report::{Kind, Record};
use crate::Result;
use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write};

/// Renders the HTML report of a check of `corpus` (the new documents) with `rules`.
pub fn check_report(
    corpus: &Corpus,
    outcome: &CheckOutcome,
    rules: &Rules,
    options: &Options,
) -> Result<String> {
    // Findings by new document, in corpus order.
    let mut by_doc: BTreeMap<u32, Vec<&crate::index::extension::Finding>> = BTreeMap::new();
    for f in &outcome.findings {
        by_doc.entry(f.doc).or_default().push(f);
    }
    let drawn_docs: Vec<u32> = by_doc.keys().copied().take(options.max_items).collect();
    let mut texts: HashMap<u32, String> = HashMap::new();
    corpus.read_selected(&|n| drawn_docs.binary_search(&n).is_ok(), |batch| {
        texts.extend(batch.into_iter().map(|d| (d.number, d.text)));
        Ok(())
    })?;

    let mut sources: Vec<String> = outcome
        .new
        .iter()
        .filter_map(|d| d.source.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    sources.insert(0, NO_SOURCE.to_string());
    let source_index: HashMap<&str, u32> = sources
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, s)| (s.as_str(), i as u32))
        .collect();

    let mut out = String::with_capacity(1 << 20);
    let sections = [
        ("verdict", "Verdict"),
        ("duplicates", "Near-duplicates"),
        ("pages", "Findings in place"),
        ("documents", "Documents"),
    ];
    let subtitle = format!(
        "{} new documents checked against {} indexed: {}",
        outcome.new.len(),
        outcome.indexed,
        if outcome.failed() { "FAILED" } else { "passed" }
    );
    let mut result = begin(&mut out, options, &subtitle, &sections, &sources[1..]);
    result = result.and_then(|_| write_verdict(&mut out, outcome, rules));
    result = result.and_then(|_| write_duplicates(&mut out, outcome, options));
    result = result.and_then(|_| write_pages(&mut out, outcome, &by_doc, &texts, options));

    let mut rows: BTreeMap<u32, Row> = BTreeMap::new();
    let source_of = |doc: u32| {
        outcome.new[doc as usize]
            .source
            .as_deref()
            .and_then(|s| source_index.get(s).copied())
            .unwrap_or(0)
    };
    let new_row = |doc: u32| {
        Row(
            outcome.new[doc as usize].id.clone(),
            source_of(doc),
            0,
            String::new(),
            0,
            0,
            String::new(),
        )
    };
    for m in &outcome.in_index {
        rows.entry(m.doc).or_insert_with(|| new_row(m.doc)).3 = format!("{} (indexed)", m.of);
    }
    for d in &outcome.within_new.duplicates {
        let r = rows.entry(d.doc).or_insert_with(|| new_row(d.doc));
        r.2 = d.cluster;
        r.3 = outcome.new[d.of as usize].id.clone();
    }
    for (&doc, list) in &by_doc {
        let r = rows.entry(doc).or_insert_with(|| new_row(doc));
        for f in list {
            match f.record.kind() {
                Kind::Chrome => r.5 += 1,
                Kind::Passage => r.4 += 1,
                _ => {}
            }
        }
        if drawn_docs.binary_search(&doc).is_ok() {
            r.6 = format!("d-{doc}");
        }
    }
    let total = rows.len();
    let rows: Vec<Row> = rows.into_values().take(options.max_rows).collect();
    result = result.and_then(|_| end(&mut out, &sources, rows, total));
    Ok(finish(result, out))
}

fn write_verdict(out: &mut String, outcome: &CheckOutcome, rules: &Rules) -> fmt::Result {
    let failed = outcome.failed();
    section_open(out, "verdict", "Verdict");
    write!(
        out,
        "<p class=\"verdict {}\"><strong>The check {}.</strong> ",
        if failed { "failed" } else { "passed" },
        if failed { "failed" } else { "passed" }
    )?;
    let broken: Vec<String> = outcome
        .rules
        .iter()
        .filter(|r| r.broken)
        .map(|r| {
            format!(
                "{} of the {} new documents are {} ({}), more than the {} allowed",
                r.documents,
                outcome.new.len(),
                concern(r.rule.name()),
                percent(r.ratio, 1.0),
                percent(r.max, 1.0)
            )
        })
        .collect();
    if broken.is_empty() {
        out.push_str("No --fail-on rule is broken.");
    } else {
        escape(out, &broken.join("; "));
        out.push('.');
    }
    out.push_str("</p><table class=\"rules\"><caption>Rules</caption><thead><tr><th scope=\"col\">rule</th><th scope=\"col\">new documents concerned</th><th scope=\"col\">share</th><th scope=\"col\">maximum</th><th scope=\"col\">in --fail-on</th><th scope=\"col\">verdict</th></tr></thead><tbody>");
    for r in &outcome.rules {
        let enforced = rules.fail_on.contains(&r.rule);
        let verdict = match (enforced, r.broken) {
            (_, true) => "<strong class=\"bad\">broken: the check fails</strong>",
            (true, false) => "<span class=\"good\">kept</span>",
            (false, _) if r.ratio > r.max => "over the maximum, but not a --fail-on rule",
            (false, _) => "not a --fail-on rule",
        };
        write!(
            out,
            "<tr class=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{verdict}</td></tr>",
            if r.broken { "broken" } else { "" },
            r.rule.name(),
            r.documents,
            percent(r.ratio, 1.0),
            percent(r.max, 1.0),
            if enforced { "yes" } else { "no" },
        )?;
    }
    out.push_str("</tbody></table></section>");
    Ok(())
}

/// What a rule counts, for the sentence saying why it broke.
fn concern(rule: &str) -> &'static str {
    match rule {
        "duplicate" => "near-duplicates",
        "passage" => "repeating a passage",
        _ => "carrying chrome",
    }
}

fn write_duplicates(out: &mut String, outcome: &CheckOutcome, options: &Options) -> fmt::Result {
    section_open(out, "duplicates", "Near-duplicates");
    if outcome.in_index.is_empty() && outcome.within_new.duplicates.is_empty() {
        return section_close_with(
            out,
            "No new document near-duplicates an indexed one or another new one.",
        );
    }
    out.push_str(
        "<table class=\"dups\"><caption>New documents that near-duplicate another (the first ",
    );
    write!(out, "{} of each kind)</caption><thead><tr><th scope=\"col\">new document</th><th scope=\"col\">duplicates</th><th scope=\"col\">where</th><th scope=\"col\">similarity</th><th scope=\"col\">containment</th></tr></thead><tbody>", options.max_items)?;
    let new = &outcome.new;
    let rows = outcome
        .in_index
        .iter()
        .take(options.max_items)
        .map(|m| (m.doc, m.of.as_str(), "index", m.similarity, m.containment))
        .chain(
            outcome
                .within_new
                .duplicates
                .iter()
                .take(options.max_items)
                .map(|d| {
                    let of = new[d.of as usize].id.as_str();
                    (d.doc, of, "new documents", d.similarity, d.containment)
                }),
        );
    for (doc, of, place, similarity, containment) in rows {
        let d = &new[doc as usize];
        out.push_str("<tr class=\"item-row\" data-kind=\"duplicate\" data-src=\"");
        escape(out, d.source.as_deref().unwrap_or(""));
        out.push_str("\" data-ids=\"");
        escape(out, &format!("{}\n{of}", d.id));
        out.push_str("\"><td>");
        write_id(out, &d.id);
        out.push_str("</td><td>");
        write_id(out, of);
        write!(
            out,
            "</td><td>{place}</td><td>{similarity:.2}</td><td>{containment:.2}</td></tr>"
        )?;
    }
    out.push_str("</tbody></table></section>");
    Ok(())
}

fn write_pages(
    out: &mut String,
    outcome: &CheckOutcome,
    by_doc: &BTreeMap<u32, Vec<&crate::index::extension::Finding>>,
    texts: &HashMap<u32, String>,
    options: &Options,
) -> fmt::Result {
    section_open(out, "pages", "Findings in place");
    if by_doc.is_empty() {
        return section_close_with(
            out,
            "No repeated passage or chrome line in the new documents.",
        );
    }
    write!(
        out,
        "<p class=\"note\">{} new documents repeat a passage or carry chrome; the first {} are drawn. Chrome lines are struck through with their reason and score; repeated spans are highlighted (the indexed copy's text is not stored in the index).</p>",
        by_doc.len(),
        texts.len()
    )?;
    for (i, (&doc, list)) in by_doc.iter().enumerate() {
        let Some(text) = texts.get(&doc) else {
            continue;
        };
        let d = &outcome.new[doc as usize];
        let mut deco = Decorations::default();
        let mut kinds = Vec::new();
        for f in list {
            match &f.record {
                Record::Chrome(r) => {
                    kinds.push("chrome");
                    deco.strikes.insert(
                        r.line,
                        Strike {
                            reason: r.reason.clone(),
                            score: r.score,
                        },
                    );
                }
                Record::Passage(r) => {
                    kinds.push("passage");
                    deco.marks.push(Mark {
                        bytes: r.start..r.end,
                        class: "pass",
                        label: format!(
                            "repeats {}{}",
                            r.of,
                            if r.in_index == Some(true) {
                                " (indexed)"
                            } else {
                                ""
                            }
                        ),
                    });
                }
                _ => {}
            }
        }
        kinds.dedup();
        let kind = if kinds.contains(&"chrome") {
            "chrome"
        } else {
            "passage"
        };
        item_open(
            out,
            &format!("d-{doc}"),
            kind,
            &[d.source.as_deref().unwrap_or("")],
            &[&d.id],
            i < 3,
        )?;
        item_heading(out, &d.id, list.len(), "finding")?;
        out.push_str("</h3></summary><ul class=\"messages\">");
        for f in list.iter().take(20) {
            out.push_str("<li dir=\"auto\">");
            escape(out, &f.message);
            out.push_str("</li>");
        }
        out.push_str("</ul>");
        markup::write_lines(out, text, 1, u32::MAX, options.max_lines, &deco)?;
        out.push_str("</details></article>");
    }
    out.push_str("</section>");
    Ok(())
}
