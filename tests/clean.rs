//! `chaff clean` and `chaff scan` on the seeds: what is removed, what is kept, what is logged.

mod common;

use common::*;
use std::fs;

fn clean(extra: &[&str]) -> (tempfile::TempDir, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let log = dir.path().join("log.jsonl");
    chaff()
        .arg("clean")
        .arg(fixture(""))
        .args(["--quiet", "--out"])
        .arg(&out)
        .arg("--log")
        .arg(&log)
        .args(extra)
        .assert()
        .success();
    let records = records(&fs::read(&log).unwrap());
    (dir, records)
}

fn cleaned(dir: &tempfile::TempDir, name: &str) -> String {
    fs::read_to_string(dir.path().join("out").join("fixtures").join(name)).unwrap()
}

#[test]
fn clean_with_passages_only_removes_exactly_the_later_copy_in_seed_001() {
    let (dir, log) = clean(&["--no-chrome", "--no-dups"]);
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0]["kind"], "passage");
    assert_eq!(log[0]["line"], 14);
    assert_eq!(log[0]["of_line"], 2);
    let (name, original) = seed("001");
    let after = cleaned(&dir, &name);
    let before_lines: Vec<&str> = original.lines().collect();
    let after_lines: Vec<&str> = after.lines().collect();
    // The first occurrence (line 2) stays, line 14 loses its opening copy and keeps the rest.
    assert_eq!(after_lines[1], before_lines[1]);
    let start = log[0]["start"].as_u64().unwrap() as usize;
    let end = log[0]["end"].as_u64().unwrap() as usize;
    let copy = &original[start..end];
    assert_eq!(
        after.matches(copy).count(),
        1,
        "one copy of the passage is left"
    );
    assert!(after.len() < original.len() && after.len() + copy.len() + 2 >= original.len());
    // Every other line is untouched.
    let changed: Vec<usize> = (0..before_lines.len())
        .filter(|&i| !after_lines.contains(&before_lines[i]))
        .collect();
    assert_eq!(changed, vec![13], "only line 14 changed");
    // The other seeds are copied byte for byte.
    for prefix in ["000", "002", "003", "004"] {
        let (name, text) = seed(prefix);
        assert_eq!(cleaned(&dir, &name), text, "{name}");
    }
}

#[test]
fn clean_with_chrome_keeps_every_line_of_seed_002_and_logs_reasons() {
    let (dir, log) = clean(&[]);
    let (name, text) = seed("002");
    assert_eq!(cleaned(&dir, &name), text);
    assert!(log.iter().all(|r| r["id"] != name.as_str()));
    let chrome: Vec<_> = log.iter().filter(|r| r["kind"] == "chrome").collect();
    assert!(!chrome.is_empty());
    assert!(chrome
        .iter()
        .all(|r| !r["reason"].as_str().unwrap().is_empty()));
    // Chrome lines are gone from the cleaned seed 003, its article paragraphs are all there.
    let (name3, text3) = seed("003");
    let after = cleaned(&dir, &name3);
    for r in chrome.iter().filter(|r| r["id"] == name3.as_str()) {
        let (s, e) = (
            r["start"].as_u64().unwrap() as usize,
            r["end"].as_u64().unwrap() as usize,
        );
        let line = &text3[s..e];
        assert!(!after.lines().any(|l| l == line), "{line} still there");
    }
    for para in text3.lines().filter(|l| l.chars().count() > 100) {
        assert!(after.contains(para), "lost a paragraph: {para}");
    }
}

#[test]
fn scan_reports_all_kinds_and_a_summary() {
    let recs = json_records(&["scan", fixture("").to_str().unwrap()]);
    let kinds: std::collections::BTreeSet<&str> =
        recs.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains("passage") && kinds.contains("chrome") && kinds.contains("summary"));
    let summary = recs.last().unwrap();
    assert_eq!(summary["kind"], "summary");
    assert_eq!(summary["documents"], 5);
    assert_eq!(summary["duplicates"], 0);
    assert_eq!(summary["passages"], 1);
}
