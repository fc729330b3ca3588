//! The README's CI flow, day after day: a daily file with a fixed name and no ids, a first add
//! that is interrupted, and the README's shell script run as written.

mod common;

use common::{chaff, paused_add, records, stdout_of};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A deterministic article of 200 words from a 5,000-word vocabulary.
fn article(seed: u64) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..200)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            format!("w{}", x % 5000)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Writes `today.jsonl` with one id-less record per article seed.
fn write_day(dir: &Path, seeds: impl Iterator<Item = u64>) -> PathBuf {
    let path = dir.join("today.jsonl");
    let lines: Vec<String> = seeds
        .map(|s| serde_json::json!({"source": "site", "text": article(s)}).to_string())
        .collect();
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn add(index: &Path, corpus: &Path) -> Value {
    let out = stdout_of(
        chaff()
            .args(["index", "add", s(corpus), "--index", s(index), "--quiet"])
            .args(["--format", "json"]),
    );
    serde_json::from_slice(&out).unwrap()
}

fn indexed_documents(index: &Path) -> i64 {
    let out = stdout_of(chaff().args(["index", "stats", "--index", s(index), "--format", "json"]));
    let stats: Value = serde_json::from_slice(&out).unwrap();
    stats["documents"].as_i64().unwrap()
}

#[test]
fn a_daily_file_with_a_fixed_name_and_no_ids_is_indexed_every_day() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    let today = write_day(dir.path(), 0..30);
    let day1 = add(&index, &today);
    assert_eq!(
        (day1["added"].as_u64(), day1["skipped"].as_u64()),
        (Some(30), Some(0))
    );

    let today = write_day(dir.path(), 100..130);
    let day2 = add(&index, &today);
    assert_eq!(
        (day2["added"].as_u64(), day2["skipped"].as_u64()),
        (Some(30), Some(0)),
        "day 2's new documents were taken for day 1's: {day2}"
    );
    assert_eq!(indexed_documents(&index), 60);
    // The same content again is already indexed, whatever file it comes in.
    let again = add(&index, &write_day(dir.path(), 100..130));
    assert_eq!(again["skipped"].as_u64(), Some(30));
}

#[test]
fn check_names_an_indexed_document_without_id_by_its_content_hash() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    add(&index, &write_day(dir.path(), 0..10));
    let today = write_day(dir.path(), [3, 1000].into_iter());
    let out = stdout_of(chaff().args([
        "check",
        s(&today),
        "--index",
        s(&index),
        "--format",
        "json",
        "--quiet",
    ]));
    let hash = |text: &str| format!("xxh3:{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()));
    let found = records(&out);
    let duplicate = found
        .iter()
        .find(|r| r["kind"] == "duplicate")
        .expect("the copy of article 3 is found");
    assert_eq!(duplicate["id"], hash(&article(3)));
    assert_eq!(duplicate["of"], hash(&article(3)));
}

/// The plain shell script of the README's "Use in CI" section.
fn readme_script() -> String {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme
        .find("```sh\n#!/bin/sh\n")
        .expect("the README holds the CI shell script")
        + "```sh\n".len();
    let end = start + readme[start..].find("```").unwrap();
    readme[start..end].to_string()
}

/// Runs the README's script on `today.jsonl` in `dir` with this build's chaff on the PATH.
fn run_script(dir: &Path, script: &Path) -> Option<i32> {
    let bin = assert_cmd::cargo::cargo_bin("chaff");
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg(script)
        .arg("today.jsonl")
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .unwrap();
    out.status.code()
}

#[cfg(unix)]
#[test]
fn an_interrupted_first_add_leaves_nothing_and_the_readme_script_recovers_day_after_day() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("kept.chaff");
    let today = write_day(dir.path(), 0..30);

    let mut child = paused_add(&index, &today, 5);
    child.kill().unwrap();
    child.wait().unwrap();
    for leftover in ["kept.chaff", "kept.chaff-wal", "kept.chaff-shm"] {
        assert!(
            !dir.path().join(leftover).exists(),
            "the killed first add left {leftover}"
        );
    }

    let script = dir.path().join("ci.sh");
    std::fs::write(&script, readme_script()).unwrap();
    // Day 1, after the interrupted attempt: everything is kept.
    assert_eq!(run_script(dir.path(), &script), Some(0));
    assert_eq!(indexed_documents(&index), 30);
    // Day 2: new articles under the same file name pass and are kept.
    write_day(dir.path(), 100..130);
    assert_eq!(run_script(dir.path(), &script), Some(0));
    assert_eq!(indexed_documents(&index), 60);
    // Day 3: a scrape repeating day 1 fails the check and is not kept.
    write_day(dir.path(), 0..10);
    assert_eq!(run_script(dir.path(), &script), Some(1));
    assert_eq!(indexed_documents(&index), 60);
}

#[test]
fn a_first_add_leaves_only_the_index_file_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("idx").join("kept.chaff");
    add(&index, &write_day(dir.path(), 0..5));
    let names: Vec<String> = std::fs::read_dir(index.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, vec!["kept.chaff".to_string()]);
    assert_eq!(indexed_documents(&index), 5);
}
