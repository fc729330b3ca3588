//! `chaff clean` copies what it does not change byte for byte: in a JSONL line only the text
//! field's value is replaced, and a dropped `.txt` document leaves no file behind.

mod common;

use common::chaff;
use std::fs;
use std::path::Path;

/// A paragraph of 30 distinct words, long enough to be a repeated passage (min 20 tokens).
fn paragraph(tag: &str) -> String {
    (0..30)
        .map(|i| format!("{tag}{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A text whose second copy of a paragraph `clean` cuts (a repeat within one document).
fn text_with_a_repeat() -> String {
    format!(
        "{}\n\n{}\n\n{}\n",
        paragraph("lead"),
        paragraph("body"),
        paragraph("lead")
    )
}

fn clean_passages_only(input: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    chaff()
        .arg("clean")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(["--no-chrome", "--no-dups", "--quiet"])
        .args(extra)
        .output()
        .unwrap()
}

/// Splits an output line into (before the text value, the text value, after it), given the
/// bytes that surround the value in the input line.
fn text_value<'a>(line: &'a [u8], before: &[u8], after: &[u8]) -> &'a [u8] {
    assert!(
        line.starts_with(before),
        "the bytes before the text field changed:\n{}",
        String::from_utf8_lossy(line)
    );
    assert!(
        line.ends_with(after),
        "the bytes after the text field changed:\n{}",
        String::from_utf8_lossy(line)
    );
    &line[before.len()..line.len() - after.len()]
}

#[test]
fn a_cut_jsonl_line_keeps_big_numbers_exponents_deep_nesting_and_key_order_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!("{}7{}", "[".repeat(100), "]".repeat(100));
    let deeper = format!("{}{}", "{\"k\":".repeat(200), "null") + &"}".repeat(200);
    let before = format!(
        "{{\"z\":1e5, \"big\":123456789012345678901234567890,\"neg\":-0.0,\"id\":\"a\",\"deep\":{deep},\"nest\":{deeper},\"text\" : "
    );
    let after = ",\"esc\":\"\\u00e9\\/\",\"f\":1.50E+3}\n";
    let text = text_with_a_repeat();
    let line = format!("{before}{}{after}", serde_json::to_string(&text).unwrap());
    let input = dir.path().join("c.jsonl");
    fs::write(&input, &line).unwrap();
    let out = dir.path().join("out");
    let run = clean_passages_only(&input, &out, &[]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let written = fs::read(out.join("c.jsonl")).unwrap();
    let value = text_value(&written, before.as_bytes(), after.as_bytes());
    let cleaned: String = serde_json::from_slice(value).unwrap();
    assert_eq!(cleaned.matches(&paragraph("lead")).count(), 1, "{cleaned}");
    assert!(cleaned.contains(&paragraph("body")));
}

#[test]
fn lossy_clean_cuts_a_line_with_an_invalid_byte_and_copies_that_byte_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let mut line = b"{\"id\":\"a\",\"meta\":\"caf\xe9\",\"text\":".to_vec();
    let before = line.clone();
    line.extend_from_slice(
        serde_json::to_string(&text_with_a_repeat())
            .unwrap()
            .as_bytes(),
    );
    let after = b",\"n\":1e5}\n";
    line.extend_from_slice(after);
    // A second line, unchanged, with an invalid byte inside its text.
    let kept = b"{\"id\":\"b\",\"text\":\"plain \xff text\"}\n";
    line.extend_from_slice(kept);
    let input = dir.path().join("c.jsonl");
    fs::write(&input, &line).unwrap();
    let out = dir.path().join("out");
    let run = clean_passages_only(&input, &out, &["--lossy"]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let written = fs::read(out.join("c.jsonl")).unwrap();
    let split = written.iter().position(|&b| b == b'\n').unwrap() + 1;
    let (first, second) = written.split_at(split);
    let value = text_value(first, &before, after);
    let cleaned: String = serde_json::from_slice(value).unwrap();
    assert_eq!(cleaned.matches(&paragraph("lead")).count(), 1, "{cleaned}");
    assert_eq!(second, kept, "an unchanged line is copied byte for byte");
}

#[test]
fn a_dropped_txt_duplicate_is_absent_from_the_output_not_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("pages");
    fs::create_dir(&input).unwrap();
    let text = format!("{}\n\n{}\n", paragraph("one"), paragraph("two"));
    fs::write(input.join("a.txt"), &text).unwrap();
    fs::write(input.join("b.txt"), &text).unwrap();
    fs::write(input.join("c.txt"), paragraph("other")).unwrap();
    let out = dir.path().join("out");
    let run = chaff()
        .arg("clean")
        .arg(&input)
        .arg("--out")
        .arg(&out)
        .args(["--no-chrome", "--no-passages", "--quiet"])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mirrored = out.join("pages");
    assert_eq!(fs::read_to_string(mirrored.join("a.txt")).unwrap(), text);
    assert!(
        !mirrored.join("b.txt").exists(),
        "the dropped duplicate b.txt was written ({} bytes)",
        fs::metadata(mirrored.join("b.txt")).map_or(0, |m| m.len())
    );
    assert!(mirrored.join("c.txt").exists());
    let names: Vec<_> = fs::read_dir(&mirrored)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names.len(), 2, "no temporary files are left: {names:?}");
}
