//! CI mode: `chaff index add|stats|remove` and `chaff check`, run as the real binary.

mod common;

use common::{chaff, paused_add, records, stdout_of};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A deterministic article of `words` words drawn from a 5,000-word vocabulary.
fn article(seed: u64, words: usize) -> Vec<String> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..words)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("w{}", x % 5000)
        })
        .collect()
}

/// `words` with every `every`-th word replaced: a light edit (Jaccard of 5-grams ~0.9 at 1/50).
fn edited(words: &[String], every: usize) -> Vec<String> {
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i % every == every - 1 {
                format!("edit{i}")
            } else {
                w.clone()
            }
        })
        .collect()
}

fn line(id: &str, source: &str, words: &[String]) -> String {
    serde_json::json!({"id": id, "source": source, "text": words.join(" ")}).to_string()
}

fn write_lines(path: &Path, lines: &[String]) {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

/// `kept.jsonl`: `n` unrelated articles `kept-0..`.
fn kept_corpus(dir: &Path, name: &str, from: u64, n: u64) -> PathBuf {
    let lines: Vec<String> = (from..from + n)
        .map(|i| line(&format!("kept-{i}"), "site-a", &article(i, 300)))
        .collect();
    let path = dir.join(name);
    write_lines(&path, &lines);
    path
}

/// `new.jsonl`: 20 documents — lines 1-5 light edits of kept-3, kept-10, kept-20, kept-30,
/// kept-40; line 6 fresh and line 7 a copy of it (a duplicate among the new ones); 13 fresh.
fn new_corpus(dir: &Path) -> PathBuf {
    let mut lines = Vec::new();
    for k in [3u64, 10, 20, 30, 40] {
        lines.push(line(
            &format!("new-copy-of-{k}"),
            "site-b",
            &edited(&article(k, 300), 50),
        ));
    }
    let fresh = article(1_000_000, 300);
    lines.push(line("new-fresh", "site-b", &fresh));
    lines.push(line("new-fresh-again", "site-b", &edited(&fresh, 60)));
    for i in 0..13u64 {
        lines.push(line(
            &format!("new-{i}"),
            "site-b",
            &article(2_000_000 + i, 300),
        ));
    }
    let path = dir.join("new.jsonl");
    write_lines(&path, &lines);
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn add(index: &Path, corpus: &Path) {
    chaff()
        .args(["index", "add", s(corpus), "--index", s(index), "--quiet"])
        .assert()
        .success();
}

fn check_json(index: &Path, corpus: &Path, extra: &[&str]) -> (i32, Vec<Value>) {
    let out = chaff()
        .args(["check", s(corpus), "--index", s(index), "--format", "json"])
        .args(["--quiet"])
        .args(extra)
        .output()
        .unwrap();
    (out.status.code().unwrap(), records(&out.stdout))
}

fn stats_json(index: &Path) -> Value {
    let out = stdout_of(chaff().args(["index", "stats", "--index", s(index), "--format", "json"]));
    let mut v: Value = serde_json::from_slice(&out).unwrap();
    // The write-ahead log grows and shrinks with checkpoints; the content is what matters.
    v.as_object_mut().unwrap().remove("file_bytes");
    v
}

#[test]
fn check_names_the_indexed_document_matched_and_exit_codes_follow_the_rules() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    add(&index, &kept_corpus(dir.path(), "kept.jsonl", 0, 200));
    let new = new_corpus(dir.path());

    let (code, recs) = check_json(&index, &new, &[]);
    assert_eq!(code, 0, "no --fail-on: exit 0 whatever is found");
    let in_index: Vec<(String, String)> = recs
        .iter()
        .filter(|r| r["kind"] == "duplicate" && r["in_index"] == true)
        .map(|r| {
            (
                r["id"].as_str().unwrap().into(),
                r["of"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [3, 10, 20, 30, 40]
        .iter()
        .map(|k| (format!("new-copy-of-{k}"), format!("kept-{k}")))
        .collect();
    assert_eq!(in_index, expected);
    let within: Vec<&Value> = recs
        .iter()
        .filter(|r| r["kind"] == "duplicate" && r["in_index"] == false)
        .collect();
    assert_eq!(within.len(), 1, "{within:?}");
    assert_eq!(within[0]["id"], "new-fresh-again");
    assert_eq!(within[0]["of"], "new-fresh");
    let summary = recs.last().unwrap();
    assert_eq!(summary["kind"], "check");
    assert_eq!(summary["documents"], 20);
    assert_eq!(summary["duplicates"], 6);

    // 6 of 20 = 30% duplicates: broken at the default maximum of 0, kept at 0.5.
    assert_eq!(check_json(&index, &new, &["--fail-on", "duplicate"]).0, 1);
    let lenient = ["--fail-on", "duplicate", "--max-duplicate-ratio", "0.5"];
    assert_eq!(check_json(&index, &new, &lenient).0, 0);
    let strict = ["--fail-on", "duplicate", "--max-duplicate-ratio", "0.29"];
    assert_eq!(check_json(&index, &new, &strict).0, 1);

    // A clean scrape passes.
    let fresh = kept_corpus(dir.path(), "fresh.jsonl", 5_000, 30);
    assert_eq!(check_json(&index, &fresh, &["--fail-on", "duplicate"]).0, 0);

    // Errors exit 2.
    let missing = dir.path().join("missing.chaff");
    assert_eq!(check_json(&missing, &new, &["--fail-on", "duplicate"]).0, 2);
}

#[test]
fn github_format_annotates_the_line_of_each_duplicate() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    add(&index, &kept_corpus(dir.path(), "kept.jsonl", 0, 50));
    let new = new_corpus(dir.path());
    let out = chaff()
        .args(["check", s(&new), "--index", s(&index), "--format", "github"])
        .args(["--fail-on", "duplicate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let file = s(&new).replace(':', "%3A").replace(',', "%2C");
    assert!(
        text.contains(&format!("::warning file={file},line=2::new-copy-of-10 ")),
        "{text}"
    );
    assert!(
        text.contains(&format!("::warning file={file},line=7::new-fresh-again ")),
        "{text}"
    );
    assert!(text
        .lines()
        .last()
        .unwrap()
        .starts_with("::error title=chaff check::"));
}

#[test]
fn an_index_built_with_other_settings_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    let kept = kept_corpus(dir.path(), "kept.jsonl", 0, 20);
    add(&index, &kept);
    for flags in [
        &["--ngram", "3"][..],
        &["--num-perm", "64"],
        &["--no-fold", "digits"],
    ] {
        let out = chaff()
            .args(["check", s(&kept), "--index", s(&index)])
            .args(flags)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("other settings") && err.contains(flags[0]),
            "{err}"
        );
        // Growing it with other settings is refused too, and leaves it unchanged.
        let before = stats_json(&index);
        chaff()
            .args(["index", "add", s(&kept), "--index", s(&index)])
            .args(flags)
            .assert()
            .code(2);
        assert_eq!(stats_json(&index), before);
    }
}

/// An index of five documents whose file then claims format `version`.
fn index_claiming_format(dir: &Path, version: u32) -> (PathBuf, PathBuf) {
    let index = dir.join("kept.chaff");
    let kept = kept_corpus(dir, "kept.jsonl", 0, 5);
    add(&index, &kept);
    rusqlite::Connection::open(&index)
        .unwrap()
        .execute_batch(&format!("PRAGMA user_version = {version}"))
        .unwrap();
    (index, kept)
}

#[test]
fn a_newer_format_or_a_foreign_database_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (index, kept) = index_claiming_format(dir.path(), 99);
    let out = chaff()
        .args(["index", "stats", "--index", s(&index)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newer chaff"));

    let foreign = dir.path().join("other.db");
    rusqlite::Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let out = chaff()
        .args(["index", "add", s(&kept), "--index", s(&foreign)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a chaff index"));
}

#[test]
fn a_killed_add_leaves_the_index_as_before_and_a_rerun_completes() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    add(&index, &kept_corpus(dir.path(), "kept.jsonl", 0, 100));
    let more = kept_corpus(dir.path(), "more.jsonl", 100, 300);
    let new = new_corpus(dir.path());
    let stats_before = stats_json(&index);
    let check_before = check_json(&index, &new, &[]);
    assert_eq!(stats_before["documents"], 100);

    // Killed with SIGKILL after 150 of its 300 documents were stored in the transaction.
    let mut child = paused_add(&index, &more, 150);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(stats_json(&index), stats_before);
    assert_eq!(check_json(&index, &new, &[]), check_before);

    add(&index, &more);
    let after = stats_json(&index);
    assert_eq!(after["documents"], 400);
    assert_eq!(after["generations"].as_array().unwrap().len(), 2);
    // Re-adding is idempotent: every id is already kept.
    add(&index, &more);
    let again = stats_json(&index);
    assert_eq!(again["documents"], 400);
    assert_eq!(again["generations"][2]["skipped"], 300);
}

#[test]
fn a_second_writer_is_refused_while_readers_still_answer() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    let kept = kept_corpus(dir.path(), "kept.jsonl", 0, 60);
    add(&index, &kept);
    let more = kept_corpus(dir.path(), "more.jsonl", 100, 50);
    let mut writer = paused_add(&index, &more, 10);

    let out = chaff()
        .args([
            "index",
            "add",
            s(&kept),
            "--index",
            s(&index),
            "--wait",
            "0.2",
        ])
        .output()
        .unwrap();
    let refused = (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    );
    let reader = check_json(&index, &new_corpus(dir.path()), &[]);
    writer.kill().unwrap();
    writer.wait().unwrap();

    assert_eq!(refused.0, Some(2));
    assert!(
        refused
            .1
            .contains("index is being written by another chaff process"),
        "{}",
        refused.1
    );
    assert_eq!(reader.0, 0);
    assert_eq!(reader.1.last().unwrap()["indexed"], 60);
}

#[test]
fn removed_documents_are_no_longer_matched() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    add(&index, &kept_corpus(dir.path(), "kept.jsonl", 0, 50));
    let new = new_corpus(dir.path());
    let of = |recs: &[Value]| -> Vec<String> {
        recs.iter()
            .filter(|r| r["in_index"] == true)
            .map(|r| r["of"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(of(&check_json(&index, &new, &[]).1).contains(&"kept-10".to_string()));

    // An unknown id refuses the whole removal.
    chaff()
        .args(["index", "remove", "kept-10", "nope", "--index", s(&index)])
        .assert()
        .code(2);
    assert_eq!(stats_json(&index)["documents"], 50);

    chaff()
        .args(["index", "remove", "kept-10", "--index", s(&index)])
        .assert()
        .success();
    let stats = stats_json(&index);
    assert_eq!(stats["documents"], 49);
    assert_eq!(stats["band_rows"], 49 * (16 + 42));
    let matched = of(&check_json(&index, &new, &[]).1);
    assert!(!matched.contains(&"kept-10".to_string()), "{matched:?}");
    assert!(matched.contains(&"kept-20".to_string()));
}

/// A new document quoting tokens 100..140 of kept-7 between words the index has never seen.
fn quoting_corpus(dir: &Path) -> (PathBuf, usize, usize) {
    let quote = article(7, 300)[100..140].join(" ");
    let before: Vec<String> = (0..30).map(|i| format!("fresh{i}")).collect();
    let after: Vec<String> = (30..60).map(|i| format!("fresh{i}")).collect();
    let text = format!("{}\n{quote} {}", before.join(" "), after.join(" "));
    let start = text.find(&quote).unwrap();
    let lines = vec![
        line("new-plain", "site-b", &article(3_000_000, 300)),
        serde_json::json!({"id": "new-quoting", "source": "site-b", "text": text}).to_string(),
    ];
    let path = dir.join("quoting.jsonl");
    write_lines(&path, &lines);
    (path, start, start + quote.len())
}

#[test]
fn a_passage_quoted_from_an_indexed_document_is_reported_with_its_id_and_span() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    add(&index, &kept_corpus(dir.path(), "kept.jsonl", 0, 50));
    let (new, start, end) = quoting_corpus(dir.path());

    let (code, recs) = check_json(&index, &new, &[]);
    assert_eq!(code, 0);
    let passages: Vec<&Value> = recs.iter().filter(|r| r["kind"] == "passage").collect();
    assert_eq!(passages.len(), 1, "{passages:?}");
    let p = passages[0];
    assert_eq!(p["id"], "new-quoting");
    assert_eq!(p["of"], "kept-7");
    assert_eq!(p["in_index"], true);
    assert_eq!(p["tokens"], 40);
    assert_eq!(
        (p["start"].as_u64(), p["end"].as_u64()),
        (Some(start as u64), Some(end as u64))
    );
    assert_eq!(p["line"], 2);
    assert_eq!(
        (p["of_token_start"].as_u64(), p["of_token_end"].as_u64()),
        (Some(100), Some(140))
    );
    assert_eq!(recs.last().unwrap()["rules"][1]["documents"], 1);

    // 1 of 2 new documents repeats a passage: broken at 0 and at 0.49, kept at 0.5.
    assert_eq!(check_json(&index, &new, &["--fail-on", "passage"]).0, 1);
    let strict = ["--fail-on", "passage", "--max-passage-ratio", "0.49"];
    assert_eq!(check_json(&index, &new, &strict).0, 1);
    let lenient = ["--fail-on", "passage", "--max-passage-ratio", "0.5"];
    assert_eq!(check_json(&index, &new, &lenient).0, 0);
    // Below --min-tokens the quote is not a passage.
    let out = chaff()
        .args(["check", s(&new), "--index", s(&index), "--min-tokens", "50"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an index built for 20 tokens refuses 50"
    );
    let index50 = dir.path().join("kept50.chaff");
    chaff()
        .args([
            "index",
            "add",
            s(&dir.path().join("kept.jsonl")),
            "--index",
            s(&index50),
        ])
        .args(["--quiet", "--min-tokens", "50"])
        .assert()
        .success();
    let (code, recs) = check_json(
        &index50,
        &new,
        &["--min-tokens", "50", "--fail-on", "passage"],
    );
    assert_eq!(code, 0, "{recs:?}");
    assert!(recs.iter().all(|r| r["kind"] != "passage"));
}

#[test]
fn passages_repeated_among_the_new_documents_are_reported_not_in_index() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    add(&index, &kept_corpus(dir.path(), "kept.jsonl", 0, 10));
    let shared = article(4_000_000, 30);
    let mut a = article(4_000_001, 100);
    a.extend(shared.iter().cloned());
    let mut b = article(4_000_002, 50);
    b.extend(shared.iter().cloned());
    let new = dir.path().join("pair.jsonl");
    write_lines(
        &new,
        &[line("new-a", "site-b", &a), line("new-b", "site-b", &b)],
    );
    let (_, recs) = check_json(&index, &new, &[]);
    let p: Vec<&Value> = recs.iter().filter(|r| r["kind"] == "passage").collect();
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(
        (&p[0]["id"], &p[0]["of"], &p[0]["in_index"]),
        (&"new-b".into(), &"new-a".into(), &false.into())
    );
    assert_eq!(p[0]["tokens"], 30);
}

/// `words` words of an article in sentences of ten, with letters for digits: chrome masks
/// digits, so the `w123` words of [`article`] would give every body line the same shape.
fn prose(seed: u64, words: usize) -> String {
    let letters: Vec<String> = article(seed, words)
        .iter()
        .map(|w| {
            w.chars()
                .map(|c| match c.to_digit(10) {
                    Some(d) => (b'a' + d as u8) as char,
                    None => c,
                })
                .collect()
        })
        .collect();
    letters
        .chunks(10)
        .map(|c| c.join(" ") + ".")
        .collect::<Vec<_>>()
        .join(" ")
}

/// A page of `source` wrapped in its site's template.
fn templated(id: &str, source: &str, seed: u64, day: u32) -> String {
    let text = [
        "Home | World | Politics | Business | Sport".to_string(),
        format!("Published June {day}, 2024"),
        prose(seed, 120),
        "Share on Facebook | Twitter | Email".to_string(),
        "Copyright 2024 Example News. All rights reserved.".to_string(),
    ]
    .join("\n");
    serde_json::json!({"id": id, "source": source, "text": text}).to_string()
}

#[test]
fn chrome_on_a_new_page_of_an_indexed_source_is_flagged_from_its_template() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    let kept = dir.path().join("site.jsonl");
    let pages: Vec<String> = (0..10)
        .map(|i| templated(&format!("kept-{i}"), "example", 100 + i, i as u32 + 1))
        .collect();
    write_lines(&kept, &pages);
    add(&index, &kept);

    let new = dir.path().join("today.jsonl");
    let plain = line("new-plain", "other", &article(5_000_000, 200));
    let elsewhere = templated("new-elsewhere", "elsewhere", 998, 21);
    write_lines(
        &new,
        &[plain, templated("new-page", "example", 999, 20), elsewhere],
    );
    let (code, recs) = check_json(&index, &new, &[]);
    assert_eq!(code, 0);
    let chrome: Vec<&Value> = recs
        .iter()
        .filter(|r| r["kind"] == "chrome" && r["id"] != "new-elsewhere")
        .collect();
    assert!(chrome.iter().all(|r| r["id"] == "new-page"), "{chrome:?}");
    // The same template on a source the index has never seen is not known to the index.
    assert!(recs
        .iter()
        .filter(|r| r["id"] == "new-elsewhere")
        .all(|r| r["in_index"] == false));
    let flagged: Vec<(u64, bool)> = chrome
        .iter()
        .map(|r| (r["line"].as_u64().unwrap(), r["in_index"] == true))
        .collect();
    // The template lines (menu, share buttons, copyright), known from the indexed pages.
    for l in [1, 4, 5] {
        assert!(flagged.contains(&(l, true)), "line {l}: {chrome:?}");
    }
    assert!(
        !flagged.iter().any(|&(l, _)| l == 3),
        "the article is not chrome"
    );
    assert!(chrome
        .iter()
        .all(|r| r["reason"].as_str().is_some_and(|s| !s.is_empty())));
    let first = chrome[0];
    let text_start = first["start"].as_u64().unwrap();
    assert!(first["end"].as_u64().unwrap() > text_start);

    assert_eq!(check_json(&index, &new, &["--fail-on", "chrome"]).0, 1);
    let lenient = ["--fail-on", "chrome", "--max-chrome-ratio", "0.67"];
    assert_eq!(check_json(&index, &new, &lenient).0, 0);
}

#[test]
fn github_format_carries_passages_and_chrome() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    let kept = dir.path().join("kept.jsonl");
    let mut pages: Vec<String> = (0..10)
        .map(|i| templated(&format!("page-{i}"), "example", 100 + i, i as u32 + 1))
        .collect();
    pages.extend((0..10).map(|i| line(&format!("kept-{i}"), "site-a", &article(i, 300))));
    write_lines(&kept, &pages);
    add(&index, &kept);
    let (quoting, _, _) = quoting_corpus(dir.path());
    let new = dir.path().join("today.jsonl");
    let quoting_lines = std::fs::read_to_string(&quoting).unwrap();
    write_lines(
        &new,
        &[
            quoting_lines.trim_end().to_string(),
            templated("new-page", "example", 999, 20),
        ],
    );
    let out = chaff()
        .args(["check", s(&new), "--index", s(&index), "--format", "github"])
        .args(["--fail-on", "passage,chrome", "--max-chrome-ratio", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the passage rule is broken");
    let text = String::from_utf8_lossy(&out.stdout);
    let file = s(&new).replace(':', "%3A").replace(',', "%2C");
    assert!(
        text.contains(&format!(
            "::warning file={file},line=2::new-quoting: 40 tokens"
        )),
        "{text}"
    );
    assert!(text.contains("indexed document kept-7"), "{text}");
    assert!(
        text.contains(&format!(
            "::warning file={file},line=3::new-page: line 1 is chrome"
        )),
        "{text}"
    );
    let last = text.lines().last().unwrap();
    assert!(last.starts_with("::error title=chaff check::"), "{last}");
    assert!(
        last.contains("passage: 1 documents") && last.contains("FAILED"),
        "{last}"
    );
}

#[test]
fn an_index_of_the_older_format_is_refused_with_a_request_to_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let (index, kept) = index_claiming_format(dir.path(), 1);
    for args in [
        &["check", s(&kept), "--index", s(&index)][..],
        &["index", "add", s(&kept), "--index", s(&index)],
    ] {
        let out = chaff().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("older") && err.contains("rebuild"), "{err}");
    }
}

#[test]
fn an_index_grown_in_several_adds_answers_as_one_built_in_one_add() {
    // Staged rows are merged into tables that already hold rows: band and fingerprint rows
    // interleave with the stored ones and template counts of the same source add up.
    let dir = tempfile::tempdir().unwrap();
    let mut pages: Vec<String> = (0..12)
        .map(|i| templated(&format!("page-{i}"), "example", 300 + i, i as u32 + 1))
        .collect();
    pages.extend((0..45u64).map(|i| line(&format!("kept-{i}"), "site-a", &article(i, 300))));
    let (first, second) = pages.split_at(pages.len() / 2);
    let whole = dir.path().join("whole.jsonl");
    let part1 = dir.path().join("part1.jsonl");
    let part2 = dir.path().join("part2.jsonl");
    write_lines(&whole, &pages);
    write_lines(&part1, first);
    write_lines(&part2, second);
    let once = dir.path().join("once.chaff");
    let twice = dir.path().join("twice.chaff");
    add(&once, &whole);
    add(&twice, &part1);
    add(&twice, &part2);

    let new = new_corpus(dir.path());
    let mut today = std::fs::read_to_string(&new).unwrap();
    today.push_str(&templated("new-page", "example", 999, 20));
    today.push('\n');
    std::fs::write(&new, today).unwrap();
    let (code_once, once_records) = check_json(&once, &new, &[]);
    let (code_twice, twice_records) = check_json(&twice, &new, &[]);
    assert_eq!(code_once, 0);
    assert_eq!(code_twice, 0);
    let known = |records: &[Value], kind: &str| {
        records
            .iter()
            .filter(|r| r["kind"] == kind && r["in_index"] == true)
            .count()
    };
    assert!(known(&once_records, "duplicate") >= 5, "{once_records:?}");
    assert!(known(&once_records, "chrome") >= 3, "{once_records:?}");
    assert_eq!(once_records, twice_records);
    // Row for row: documents are numbered alike, so every clustered table must be equal.
    let rows = |index: &Path, sql: &str| -> Vec<(i64, i64, i64)> {
        let conn = rusqlite::Connection::open(index).unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap();
        rows.map(Result::unwrap).collect()
    };
    for sql in [
        "SELECT band, key, doc FROM bands ORDER BY 1, 2, 3",
        "SELECT fingerprint, doc, pos FROM passage_fingerprints ORDER BY 1, 2, 3",
        "SELECT source, line, documents FROM chrome_lines ORDER BY 1, 2, 3",
    ] {
        let whole = rows(&once, sql);
        assert!(!whole.is_empty(), "{sql}");
        assert!(whole == rows(&twice, sql), "{sql}");
    }
}
