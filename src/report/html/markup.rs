//! Escaping, and document text drawn line by line with its findings marked.
//!
//! Every byte of document text reaches the page through [`escape`] (element content and
//! attribute values alike), which escapes the five characters HTML gives meaning to, so a
//! document holding `<script>` shows it as text. JSON embedded in a `<script>` element goes
//! through [`json_in_script`], which hides every `<` (so neither `</script>` nor `<!--` can end
//! or confuse the element).
//!
//! Lines are drawn one element per line with `dir="auto"`: each line takes the direction of its
//! first strong character, so a Persian line reads right to left while a Latin run inside it
//! keeps its own order (the Unicode bidirectional algorithm does this within an isolated line),
//! and an English line beside it stays left to right.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write};
use std::ops::Range;

/// Writes `s` escaped for element content or a quoted attribute value.
pub(crate) fn escape(out: &mut String, s: &str) {
    // Runs without special characters are copied whole: escaping costs one scan of the text.
    let mut rest = s;
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.push_str(&rest[..i]);
        out.push_str(match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        });
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// Serializes `value` as JSON that is safe inside `<script type="application/json">`: `<`, `>`
/// and `&` appear only inside JSON strings, where `\u003c`, `\u003e` and `\u0026` mean the same.
pub(crate) fn json_in_script<T: serde::Serialize>(out: &mut String, value: &T) {
    let json = serde_json::to_string(value).expect("report data serializes (plain values only)");
    out.reserve(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
}

/// A byte range of a document to highlight.
#[derive(Debug, Clone)]
pub(crate) struct Mark {
    /// Bytes of the original text.
    pub(crate) bytes: Range<usize>,
    /// CSS class of the `<mark>` (what kind of finding it is).
    pub(crate) class: &'static str,
    /// Tooltip and accessible description.
    pub(crate) label: String,
}

/// A chrome line: struck through, with its reason and score beside it.
#[derive(Debug, Clone)]
pub(crate) struct Strike {
    /// Why the line is chrome, for people.
    pub(crate) reason: String,
    /// The line model's probability.
    pub(crate) score: f64,
}

/// How one document is drawn.
#[derive(Debug, Default)]
pub(crate) struct Decorations<'a> {
    /// Highlighted spans, by byte range (may cross lines).
    pub(crate) marks: Vec<Mark>,
    /// Chrome lines by 1-based line number.
    pub(crate) strikes: HashMap<u32, Strike>,
    /// The other copy of a near-duplicate pair, when this document is drawn beside it: lines
    /// it does not have are marked, and so are the words of an edited line that it lacks.
    pub(crate) other: Option<&'a Copy>,
}

/// What a near-duplicate's lines are compared with: the other copy's lines and words, as
/// token hashes after chaff's normalization (so `۱۴۰۴` and `1404`, or a word with and without
/// its ZWNJ, are the same word, as they are to the near-duplicate search).
#[derive(Debug)]
pub(crate) struct Copy {
    lines: HashSet<Vec<u64>>,
    words: HashSet<u64>,
}

impl Copy {
    /// The lines and words of `text`.
    pub(crate) fn of(text: &str) -> Copy {
        let mut copy = Copy {
            lines: HashSet::new(),
            words: HashSet::new(),
        };
        for line in text.split('\n') {
            let hashes: Vec<u64> = crate::text::tokens(line).iter().map(|t| t.hash).collect();
            copy.words.extend(&hashes);
            copy.lines.insert(hashes);
        }
        copy
    }
}

/// The lines of `text` as `(1-based number, byte range without the line break)`.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (u32, Range<usize>)> + '_ {
    let mut start = 0;
    text.split('\n').enumerate().map(move |(i, line)| {
        let range = start..start + line.strip_suffix('\r').unwrap_or(line).len();
        start += line.len() + 1;
        (i as u32 + 1, range)
    })
}

/// Writes lines `first..=last` (1-based) of `text`, at most `max_lines` of them, each as one
/// row: its number, its text (`dir="auto"`, struck as `<del>` when chrome) with its marks, and a
/// chrome line's reason and score.
pub(crate) fn write_lines(
    out: &mut String,
    text: &str,
    first: u32,
    last: u32,
    max_lines: u32,
    deco: &Decorations,
) -> fmt::Result {
    out.push_str("<div class=\"doc\">");
    let mut shown = 0u32;
    for (number, range) in lines(text) {
        if number < first {
            continue;
        }
        if number > last {
            break;
        }
        if shown == max_lines {
            let rest = last.saturating_sub(number) + 1;
            write!(
                out,
                "<p class=\"cut\">… {rest} more line{} not shown</p>",
                if rest == 1 { "" } else { "s" }
            )?;
            break;
        }
        shown += 1;
        write_line(out, text, number, range, deco)?;
    }
    out.push_str("</div>");
    Ok(())
}

fn write_line(
    out: &mut String,
    text: &str,
    number: u32,
    range: Range<usize>,
    deco: &Decorations,
) -> fmt::Result {
    let line = &text[range.clone()];
    let strike = deco.strikes.get(&number);
    // A line the other copy lacks is marked whole, unless most of its words are in the other
    // copy (an edited line): then only the words it lacks are.
    let mut word_marks = Vec::new();
    let mut edited = false;
    let differs = deco.other.is_some_and(|other| {
        let tokens = crate::text::tokens(line);
        let hashes: Vec<u64> = tokens.iter().map(|t| t.hash).collect();
        if hashes.is_empty() || other.lines.contains(&hashes) {
            return false;
        }
        let lacking = tokens.iter().filter(|t| !other.words.contains(&t.hash));
        // A dropped word leaves nothing to mark: the line is still edited, shown by its edge.
        edited = lacking.clone().count() * 2 < tokens.len();
        if edited {
            word_marks.extend(lacking.map(|t| Mark {
                bytes: range.start + t.start..range.start + t.end,
                class: "word",
                label: "not in the other copy".into(),
            }));
        }
        true
    });
    let mut class = String::from("ln");
    if strike.is_some() {
        class.push_str(" chrome");
    }
    if differs {
        class.push_str(if edited { " diff edited" } else { " diff" });
    }
    write!(
        out,
        "<div class=\"{class}\" data-line=\"{number}\"><span class=\"no\" aria-hidden=\"true\">{number}</span>"
    )?;
    let tag = if strike.is_some() { "del" } else { "span" };
    write!(out, "<{tag} class=\"tx\" dir=\"auto\">")?;
    // Labels for screen readers carry a `dir` of their own, so `dir="auto"` skips them when it
    // picks the line's direction from the line's own first strong character.
    if strike.is_some() {
        out.push_str("<span class=\"sr\" dir=\"ltr\">chrome line: </span>");
    }
    if differs {
        out.push_str(if edited {
            "<span class=\"sr\" dir=\"ltr\">edited in this copy: </span>"
        } else {
            "<span class=\"sr\" dir=\"ltr\">only in this copy: </span>"
        });
    }
    if word_marks.is_empty() {
        write_marked(out, text, range, &deco.marks)?;
    } else {
        word_marks.extend(deco.marks.iter().cloned());
        write_marked(out, text, range, &word_marks)?;
    }
    write!(out, "</{tag}>")?;
    if let Some(s) = strike {
        out.push_str("<span class=\"why\" dir=\"ltr\"><span class=\"reason\">");
        escape(out, &s.reason);
        write!(
            out,
            "</span> <span class=\"score\" title=\"the line model's probability that the line is chrome\">{:.2}</span></span>",
            s.score
        )?;
    }
    out.push_str("</div>");
    Ok(())
}

/// Writes `text[range]` with the parts of `marks` that fall in it wrapped in `<mark>`.
fn write_marked(out: &mut String, text: &str, range: Range<usize>, marks: &[Mark]) -> fmt::Result {
    let mut at = range.start;
    let mut inside: Vec<(Range<usize>, &Mark)> = marks
        .iter()
        .filter_map(|m| {
            let start = boundary(text, m.bytes.start.max(range.start));
            let end = boundary(text, m.bytes.end.min(range.end));
            (start < end).then_some((start..end, m))
        })
        .collect();
    inside.sort_by_key(|(r, _)| r.start);
    for (r, m) in inside {
        if r.start < at {
            continue; // overlapping marks: the first one drawn wins
        }
        escape(out, &text[at..r.start]);
        write!(out, "<mark class=\"{}\" title=\"", m.class)?;
        escape(out, &m.label);
        out.push_str("\">");
        escape(out, &text[r.clone()]);
        out.push_str("</mark>");
        at = r.end;
    }
    escape(out, &text[at..range.end]);
    Ok(())
}

/// The nearest `char` boundary at or before `i` (offsets from records always are boundaries;
/// this keeps a stale or foreign offset from panicking).
fn boundary(text: &str, i: usize) -> usize {
    let mut i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// 1-based line number of byte `offset` of `text` ([`crate::text::line_of`]).
pub(crate) fn line_of(text: &str, offset: usize) -> u32 {
    crate::text::line_of(text, offset) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_are_escaped_in_text_and_attributes() {
        let mut out = String::new();
        escape(&mut out, "<script>alert('x') & \"y\"</script>");
        assert_eq!(
            out,
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
    }

    #[test]
    fn embedded_json_cannot_close_its_script_or_open_a_comment() {
        let mut out = String::new();
        json_in_script(&mut out, &["</script><!-- a & b >"]);
        assert!(!out.contains('<') && !out.contains('>') && !out.contains('&'));
        let back: Vec<String> = serde_json::from_str(&out).unwrap();
        assert_eq!(back, ["</script><!-- a & b >"]);
    }

    #[test]
    fn a_mark_across_lines_is_drawn_on_each_and_chrome_is_struck() {
        let text = "one two\r\nthree <b>\nfour";
        let mut deco = Decorations::default();
        deco.marks.push(Mark {
            bytes: 4..14,
            class: "pass",
            label: "x".into(),
        });
        deco.strikes.insert(
            3,
            Strike {
                reason: "footer: <menu>".into(),
                score: 0.5,
            },
        );
        let mut out = String::new();
        write_lines(&mut out, text, 1, 3, 10, &deco).unwrap();
        assert!(out.contains("one <mark class=\"pass\" title=\"x\">two</mark>"));
        assert!(out.contains("<mark class=\"pass\" title=\"x\">three</mark> &lt;b&gt;"));
        assert!(out.contains("<del class=\"tx\" dir=\"auto\"><span class=\"sr\" dir=\"ltr\">chrome line: </span>four</del>"));
        assert!(out.contains("footer: &lt;menu&gt;"));
        assert!(!out.contains('\r'));
    }

    #[test]
    fn a_copy_marks_lines_it_alone_has_and_words_of_lines_it_edited() {
        let kept = "the minister met the envoy on ۱۴۰۴ monday\nshared line\n";
        let copy = "the minister met the envoy on 1404 monday\nthe minister met the envoy on friday\nshared line\nan extra line only here\n";
        let other = Copy::of(kept);
        let deco = Decorations {
            other: Some(&other),
            ..Decorations::default()
        };
        let mut out = String::new();
        write_lines(&mut out, copy, 1, 4, 10, &deco).unwrap();
        // Digits of another script are the same word: line 1 is no edit.
        assert!(out.contains("<div class=\"ln\" data-line=\"1\">"));
        assert!(out.contains("<div class=\"ln diff edited\" data-line=\"2\">"));
        assert!(out.contains("<mark class=\"word\" title=\"not in the other copy\">friday</mark>"));
        assert_eq!(out.matches("<mark").count(), 1);
        assert!(out.contains("<div class=\"ln\" data-line=\"3\">"));
        assert!(out.contains("<div class=\"ln diff\" data-line=\"4\">"));
    }

    #[test]
    fn lines_beyond_the_limit_are_counted_not_drawn() {
        let mut out = String::new();
        write_lines(&mut out, "a\nb\nc\nd", 1, 4, 2, &Decorations::default()).unwrap();
        assert_eq!(out.matches("class=\"ln\"").count(), 2);
        assert!(out.contains("2 more lines not shown"));
    }

    #[test]
    fn line_numbers_count_line_breaks_before_the_offset() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
