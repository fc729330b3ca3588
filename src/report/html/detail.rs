//! The sections of detail of a scan report: near-duplicate pairs side by side, repeated passages
//! in both places, and pages with their chrome struck through. Each draws the items chosen by
//! [`super::scan`] from the documents it read for them.

use super::markup::{self, escape, Decorations, Mark, Strike};
use super::scan::{partner, DocFindings, Drawn};
use super::{
    item_heading, item_open, section_close_with, section_open, write_id, Options, NO_SOURCE,
};
use crate::scan::Findings;
use std::collections::HashMap;
use std::fmt::{self, Write};

/// Most lines drawn of each place of a passage.
const PASSAGE_LINES: u32 = 30;

/// The drawn documents and their chrome, shared by the sections of detail.
pub(super) struct View<'a> {
    pub(super) drawn: &'a HashMap<u32, Drawn>,
    pub(super) strikes: &'a HashMap<u32, HashMap<u32, Strike>>,
    pub(super) options: &'a Options,
}

impl View<'_> {
    fn decorations(&self, doc: u32) -> Decorations<'_> {
        Decorations {
            strikes: self.strikes.get(&doc).cloned().unwrap_or_default(),
            ..Decorations::default()
        }
    }

    pub(super) fn clusters(
        &self,
        out: &mut String,
        findings: &Findings,
        clusters: &[&crate::cluster::Cluster],
    ) -> fmt::Result {
        section_open(out, "duplicates", "Near-duplicate documents");
        let Some(dups) = &findings.dups else {
            return section_close_with(out, "Not run (--no-dups).");
        };
        if dups.clusters.is_empty() {
            return section_close_with(out, "No near-duplicate documents.");
        }
        write!(
            out,
            "<p class=\"note\">Clusters: {}; {} drawn, largest first: the kept document beside a copy, lines found in only one of them marked.</p>",
            dups.clusters.len(),
            clusters.len()
        )?;
        let similarity: HashMap<u32, (f64, f64)> = dups
            .duplicates
            .iter()
            .map(|d| (d.doc, (d.similarity, d.containment)))
            .collect();
        for (i, c) in clusters.iter().enumerate() {
            let (Some(rep), Some(other)) = (
                self.drawn.get(&c.representative),
                partner(c).and_then(|p| self.drawn.get(&p).map(|d| (p, d))),
            ) else {
                continue;
            };
            let ids: Vec<&str> = c.members.iter().map(|&m| dups.docs.id(m)).collect();
            let srcs: Vec<&str> = c
                .members
                .iter()
                .map(|&m| dups.docs.source(m).unwrap_or(""))
                .collect();
            item_open(
                out,
                &format!("c-{}", c.number),
                "duplicate",
                &srcs,
                &ids,
                i < 3,
            )?;
            write!(
                out,
                "<summary><h3>Cluster {} <span class=\"count\">{} documents</span></h3></summary><ul class=\"members\">",
                c.number,
                c.members.len()
            )?;
            for &m in &c.members {
                out.push_str("<li>");
                write_id(out, dups.docs.id(m));
                if m == c.representative {
                    out.push_str(" <span class=\"tag keep\">kept</span>");
                } else if let Some((s, k)) = similarity.get(&m) {
                    write!(
                        out,
                        " <span class=\"tag\">similarity {s:.2}, containment {k:.2}</span>"
                    )?;
                }
                out.push_str("</li>");
            }
            out.push_str("</ul><div class=\"pair\">");
            let (other_no, other) = other;
            let rep_copy = markup::Copy::of(&rep.text);
            let other_copy = markup::Copy::of(&other.text);
            for (no, d, against, role) in [
                (c.representative, rep, &other_copy, "kept"),
                (other_no, other, &rep_copy, "copy"),
            ] {
                out.push_str("<div class=\"side\"><h4>");
                write!(out, "{role}: ")?;
                write_id(out, &d.id);
                out.push_str("</h4>");
                let mut deco = self.decorations(no);
                deco.other = Some(against);
                markup::write_lines(out, &d.text, 1, u32::MAX, self.options.max_lines, &deco)?;
                out.push_str("</div>");
            }
            out.push_str("</div></details></article>");
        }
        out.push_str("</section>");
        Ok(())
    }

    pub(super) fn passages(
        &self,
        out: &mut String,
        findings: &Findings,
        passages: &[&crate::passages::Passage],
    ) -> fmt::Result {
        section_open(out, "passages", "Repeated passages");
        let Some(outcome) = &findings.passages else {
            return section_close_with(out, "Not run (--no-passages).");
        };
        if outcome.passages.is_empty() {
            return section_close_with(out, "No repeated passages.");
        }
        write!(
            out,
            "<p class=\"note\">Later copies of repeated passages: {}; {} drawn, longest first: the first occurrence and the copy, each highlighted in its context.</p>",
            outcome.passages.len(),
            passages.len()
        )?;
        for (i, p) in passages.iter().enumerate() {
            let (Some(copy), Some(first)) = (self.drawn.get(&p.doc), self.drawn.get(&p.of_doc))
            else {
                continue;
            };
            item_open(
                out,
                &format!("p-{i}"),
                "passage",
                &[&copy.source, &first.source],
                &[&copy.id, &first.id],
                i < 3,
            )?;
            write!(
                out,
                "<summary><h3>{} tokens repeated in <bdi class=\"id\">",
                p.tokens
            )?;
            escape(out, &copy.id);
            write!(
                out,
                "</bdi>:{}</h3></summary><div class=\"places\">",
                p.line
            )?;
            for (role, no, d, start, end, line) in [
                ("first", p.of_doc, first, p.of_start, p.of_end, p.of_line),
                ("copy", p.doc, copy, p.start, p.end, p.line),
            ] {
                write!(
                    out,
                    "<div class=\"place\" data-place=\"{role}\"><h4>{role}: "
                )?;
                write_id(out, &d.id);
                write!(out, " line {line}, bytes {start}–{end}</h4>")?;
                let mut deco = self.decorations(no);
                deco.marks.push(Mark {
                    bytes: start..end,
                    class: "pass",
                    label: format!("repeated passage ({role} place)"),
                });
                // Context: one line either side of the span; a long span (a whole article
                // copied) is drawn as far as its start shows where it is.
                let first_line = markup::line_of(&d.text, start).saturating_sub(1).max(1);
                let last_line = markup::line_of(&d.text, end) + 1;
                markup::write_lines(
                    out,
                    &d.text,
                    first_line,
                    last_line,
                    self.options.max_lines.min(PASSAGE_LINES),
                    &deco,
                )?;
                out.push_str("</div>");
            }
            out.push_str("</div></details></article>");
        }
        out.push_str("</section>");
        Ok(())
    }

    pub(super) fn pages(
        &self,
        out: &mut String,
        findings: &Findings,
        pages: &[u32],
        by_doc: &HashMap<u32, DocFindings>,
    ) -> fmt::Result {
        section_open(out, "pages", "Pages and their chrome");
        let Some(detection) = &findings.chrome else {
            return section_close_with(out, "Not run (--no-chrome).");
        };
        let with = by_doc.values().filter(|f| f.chrome > 0).count();
        write!(
            out,
            "<p class=\"note\">Chrome lines: {} on {with} pages; {} pages drawn (pages with chrome first, taken in turn from each source). Chrome lines are struck through, each with its reason and the line model's score.</p>",
            detection.lines.len(),
            pages.len()
        )?;
        for (i, &n) in pages.iter().enumerate() {
            let Some(d) = self.drawn.get(&n) else {
                continue;
            };
            let chrome = by_doc.get(&n).map_or(0, |f| f.chrome);
            let source = if d.source == NO_SOURCE { "" } else { &d.source };
            item_open(
                out,
                &format!("d-{n}"),
                if chrome > 0 { "chrome" } else { "page" },
                &[source],
                &[&d.id],
                i < 3,
            )?;
            item_heading(out, &d.id, chrome as usize, "chrome line")?;
            if !source.is_empty() {
                out.push_str(" <span class=\"tag\"><bdi>");
                escape(out, source);
                out.push_str("</bdi></span>");
            }
            out.push_str("</h3></summary>");
            markup::write_lines(
                out,
                &d.text,
                1,
                u32::MAX,
                self.options.max_lines,
                &self.decorations(n),
            )?;
            out.push_str("</details></article>");
        }
        out.push_str("</section>");
        Ok(())
    }
}
