//! Small charts drawn as inline SVG: a share as a filled bar, and a row of summary figures.
//! Colours come from the stylesheet (classes), so dark mode restyles them without a second
//! drawing.

use super::markup::escape;
use std::fmt::{self, Write};

/// A horizontal bar `width` pixels wide filled to `share` (0 to 1), labelled for assistive
/// technology with `label` and the percentage.
pub(super) fn bar(out: &mut String, share: f64, class: &str, label: &str) -> fmt::Result {
    let share = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let width = 120.0;
    // A share above zero stays visible however small it is.
    let filled = if share > 0.0 {
        (share * width).max(1.5)
    } else {
        0.0
    };
    write!(
        out,
        "<svg class=\"bar {class}\" width=\"{width}\" height=\"12\" viewBox=\"0 0 {width} 12\" role=\"img\" aria-label=\""
    )?;
    escape(out, label);
    write!(
        out,
        " {:.1}%\"><rect class=\"track\" width=\"{width}\" height=\"12\" rx=\"3\"/><rect class=\"fill\" width=\"{filled:.1}\" height=\"12\" rx=\"3\"/></svg>",
        share * 100.0
    )
}

/// Segments of one stacked bar: `(class, label, share)`.
pub(super) type Segments<'a> = [(&'a str, &'a str, f64)];

/// A stacked bar of what a whole is made of (shares are of the whole, drawn left to right,
/// the remainder left empty), with a legend below it.
pub(super) fn stacked(out: &mut String, title: &str, segments: &Segments) -> fmt::Result {
    let width = 600.0;
    out.push_str("<figure class=\"stack\"><svg width=\"100%\" height=\"22\" viewBox=\"0 0 600 22\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"");
    escape(out, title);
    for (_, label, share) in segments {
        write!(out, "; {label} {:.1}%", share * 100.0)?;
    }
    write!(
        out,
        "\"><rect class=\"track\" width=\"{width}\" height=\"22\" rx=\"4\"/>"
    )?;
    let mut x = 0.0;
    for (class, _, share) in segments {
        let w = (share.clamp(0.0, 1.0) * width).min(width - x);
        if w > 0.0 {
            write!(
                out,
                "<rect class=\"fill {class}\" x=\"{x:.1}\" width=\"{w:.1}\" height=\"22\"/>"
            )?;
            x += w;
        }
    }
    out.push_str("</svg><figcaption>");
    escape(out, title);
    out.push_str(": ");
    for (i, (class, label, share)) in segments.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write!(
            out,
            "<span class=\"key {class}\" aria-hidden=\"true\"></span>{label} {:.1}%",
            share * 100.0
        )?;
    }
    out.push_str("</figcaption></figure>");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_is_filled_in_proportion_and_labelled() {
        let mut out = String::new();
        bar(&mut out, 0.25, "chrome", "chrome <lines>").unwrap();
        assert!(out.contains("class=\"fill\" width=\"30.0\""));
        assert!(out.contains("aria-label=\"chrome &lt;lines&gt; 25.0%\""));
        let mut empty = String::new();
        bar(&mut empty, f64::NAN, "chrome", "x").unwrap();
        assert!(empty.contains("class=\"fill\" width=\"0.0\""));
    }

    #[test]
    fn stacked_segments_never_overflow_the_bar() {
        let mut out = String::new();
        stacked(&mut out, "text", &[("a", "a", 0.7), ("b", "b", 0.7)]).unwrap();
        assert!(out.contains("x=\"420.0\" width=\"180.0\""));
    }
}
